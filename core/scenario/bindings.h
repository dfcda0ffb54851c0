/* The C helpers the prelude calls (the `ts` table), and reading the prelude's normalized tables back
 * into run-model structs. */
#ifndef TS_BINDINGS_H
#define TS_BINDINGS_H

#include <glib.h>
#include <lua.h>

#include "plugin/plugin-host.h"
#include "run/run.h"

/* A job{} of the scenario: its cluster and run function (registry references) and what the scheduler needs,
 * every value checked again here as it crosses from Lua. */
typedef struct {
  int cluster_ref;
  int process_ref;
  char *name;
  char *group; /* NULL: its own */
  char *where; /* "file:line" of the job{} */
  double arrival_s, restart_s;
  int priority;
  guint devices;
} TsBindingsJob;

typedef struct {
  const TsRegistry *registry;
  GHashTable *sets;  /* name -> value text from --set */
  GHashTable *used;  /* names param() declared */
  GPtrArray *params; /* TsParam*, declaration order */
  int cluster_ref;   /* LUA_NOREF until run() */
  char *run_where;   /* "file:line" of the run() call, NULL until then */
  int process_ref;
  int action_ref;    /* the prelude's token that marks the actions it validated */
  GArray *jobs;      /* TsBindingsJob, in declaration order; empty for a scenario with one run() */
  int live_refs;     /* registry references taken and not yet released (0 at teardown) */
  gboolean against_pass; /* the break-even's run on the owned machine's rented alternative (ts.against_pass) */
} TsBindings;

void ts_bindings_init(TsBindings *b, const TsRegistry *registry);
/* Releases the registry references (on `L`, which may be NULL once closed) and frees what `b` holds. */
void ts_bindings_clear(TsBindings *b);
void ts_bindings_unref_all(TsBindings *b, lua_State *L);
/* Registry references the bindings of every scenario in this process hold now (atomic; tests assert 0
 * when no scenario runs). */
int ts_bindings_get_live_refs(void);

/* Push the `ts` helper table (closures over `b`). */
void ts_bindings_push(lua_State *L, TsBindings *b);

/* Convert the normalized tables at `idx` into owned structs; errors name `where`. */
gboolean ts_bindings_to_accelerator(lua_State *L, int idx, TsBindings *b, TsMachineGroup *a, GError **error);
TsCluster *ts_bindings_to_cluster(lua_State *L, int idx, TsBindings *b, GError **error);
/* NULL (with the error set) when a number in the table is out of the range the run model can use. */
TsDataset *ts_bindings_to_dataset(lua_State *L, int idx, GError **error);
TsModel *ts_bindings_to_model(lua_State *L, int idx, GError **error);

/* Field readers on the table at `idx`, raw (no metamethods); nil when `idx` is not a table. */
int ts_lua_rawfield(lua_State *L, int idx, const char *field);
gboolean ts_lua_get_boolean(lua_State *L, int idx, const char *field); /* Lua truth of a raw field */
double ts_lua_get_number(lua_State *L, int idx, const char *field, double fallback);
/* A count: the number clamped to [0, G_MAXUINT] (or G_MAXUINT64), NaN as 0, so that no value a script can
 * produce makes the conversion undefined.  The prelude reports out-of-range values first; this is the
 * backstop. */
guint ts_lua_get_uint(lua_State *L, int idx, const char *field, guint fallback);
guint64 ts_lua_get_uint64(lua_State *L, int idx, const char *field, guint64 fallback);
char *ts_lua_dup_string(lua_State *L, int idx, const char *field);

#endif
