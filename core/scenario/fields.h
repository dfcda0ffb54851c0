/* The validation layer between Lua and C: every value the host reads from a script table (an action the
 * run function yielded, a cluster, dataset, model, storage or link table) is checked here against the
 * range the run model can use, whatever the prelude did before — the tables stay the script's, and a
 * script can replace the globals the prelude calls (docs/testing.md, "Contained").  Nothing here calls a
 * metamethod: fields are read raw. */
#ifndef TS_FIELDS_H
#define TS_FIELDS_H

#include <glib.h>
#include <lua.h>

/* Counts that land in a guint, and in a guint64 (2^53: exact in a double). */
#define TS_FIELD_MAX_COUNT 2147483647.0
#define TS_FIELD_MAX_COUNT64 9007199254740992.0
/* Names (of datasets, models, clusters, links, buckets) kept on the host are cut to this many bytes: a
 * script's 50 MB name must not be copied once per action outside the sandbox's memory cap. */
#define TS_FIELD_NAME_MAX 120

typedef enum {
  TS_FIELD_COUNT,   /* an integer-valued number in [min, max] */
  TS_FIELD_REAL,    /* a number in [min, max] (or (min, max] when open); never NaN; infinite only if max is */
  TS_FIELD_BOOLEAN, /* true or false */
  TS_FIELD_STRING,  /* a string; one of `choices` when given */
  TS_FIELD_TABLE,   /* a table */
} TsFieldKind;

typedef struct {
  const char *name;
  TsFieldKind kind;
  double min;
  gboolean open; /* min itself is excluded */
  double max;
  gboolean required;
  const char *const *choices; /* TS_FIELD_STRING: NULL-terminated accepted values, or NULL for any */
} TsFieldRule;

/* Check the fields of the table at idx against rules; a field absent (nil) passes unless required.
 * FALSE with TS_ERROR_SCENARIO naming `what`.field, the value found and the value expected.  When idx
 * is not a table: TRUE if `optional`, else an error. */
gboolean ts_fields_check(lua_State *L, int idx, const char *what, const TsFieldRule *rules, gsize n_rules,
                         gboolean optional, GError **error);

/* The action table at t (what the run function yielded through the prelude: op, where and the op's
 * fields) holds only values the run model can use: counts integral and in range, durations finite and not
 * negative, intervals positive, names of precisions and optimizers known, exactly one length for a train.
 * FALSE with TS_ERROR_SCENARIO naming the field. */
gboolean ts_fields_check_action(lua_State *L, int t, GError **error);

/* A copy of the string field for display and outputs: control characters escaped (\xHH), cut to
 * TS_FIELD_NAME_MAX bytes at a character boundary with "..." appended.  NULL when the field is not a
 * string. */
char *ts_lua_dup_name(lua_State *L, int idx, const char *field);

#endif
