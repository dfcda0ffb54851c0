/* The C helpers the prelude calls (the `ts` table), and reading the prelude's normalized tables back
 * into run-model structs. */
#ifndef TS_BINDINGS_H
#define TS_BINDINGS_H

#include <glib.h>
#include <lua.h>

#include "plugin/plugin.h"
#include "run/run.h"

typedef struct {
  const TsRegistry *registry;
  GHashTable *sets;  /* name -> value text from --set */
  GHashTable *used;  /* names param() declared */
  GPtrArray *params; /* TsParam*, declaration order */
  int cluster_ref;   /* LUA_NOREF until run() */
  int process_ref;
} TsBindings;

void ts_bindings_init(TsBindings *b, const TsRegistry *registry);
void ts_bindings_clear(TsBindings *b);

/* Push the `ts` helper table (closures over `b`). */
void ts_bindings_push(lua_State *L, TsBindings *b);

/* Convert the normalized tables at `idx` into owned structs; errors name `where`. */
gboolean ts_bindings_to_accelerator(lua_State *L, int idx, TsBindings *b, TsAccelerator *a, GError **error);
TsCluster *ts_bindings_to_cluster(lua_State *L, int idx, TsBindings *b, GError **error);
TsDataset *ts_bindings_to_dataset(lua_State *L, int idx);
TsModel *ts_bindings_to_model(lua_State *L, int idx);

/* Field readers on the table at `idx`, raw (no metamethods); nil when `idx` is not a table. */
int ts_lua_rawfield(lua_State *L, int idx, const char *field);
double ts_lua_get_number(lua_State *L, int idx, const char *field, double fallback);
char *ts_lua_dup_string(lua_State *L, int idx, const char *field);

#endif
