#include "scenario/fields.h"

#include "common/ts-error.h"
#include "common/ts-text.h"
#include "run/run.h"
#include "scenario/bindings.h"

#include <math.h>
#include <string.h>

/* What a value is, for a message: a number exactly, a string cut and escaped, else its type. */
static char *
describe_value(lua_State *L, int idx)
{
  int type = lua_type(L, idx);
  if (type == LUA_TNUMBER) {
    if (lua_isinteger(L, idx))
      return g_strdup_printf("%lld", (long long) lua_tointeger(L, idx));
    {
      double v = lua_tonumber(L, idx);
      char *s = g_strdup_printf("%.15g", v); /* shortest that reads back the same, for readable messages */
      if (g_ascii_strtod(s, NULL) != v && !isnan(v)) {
        g_free(s);
        s = g_strdup_printf("%.17g", v);
      }
      return s;
    }
  }
  if (type == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    g_autofree char *e = ts_text_escape(s, (gssize) len, 40, FALSE);
    return g_strdup_printf("\"%s\"", e);
  }
  if (type == LUA_TBOOLEAN)
    return g_strdup(lua_toboolean(L, idx) ? "true" : "false");
  return g_strdup(lua_typename(L, type));
}

static char *
describe_rule(const TsFieldRule *r)
{
  switch (r->kind) {
  case TS_FIELD_COUNT:
    return g_strdup_printf("an integer from %.0f to %.0f", r->open ? r->min + 1 : r->min, r->max);
  case TS_FIELD_REAL:
    if (r->max < G_MAXDOUBLE)
      return g_strdup_printf("a number from %g to %g", r->min, r->max);
    return g_strdup_printf("a %snumber %s %g", r->max < INFINITY ? "finite " : "", r->open ? "above" : "of at least",
                           r->min);
  case TS_FIELD_BOOLEAN:
    return g_strdup("true or false");
  case TS_FIELD_TABLE:
    return g_strdup("a table");
  case TS_FIELD_STRING:
  default:
    if (r->choices == NULL)
      return g_strdup("a string");
    g_autofree char *list = g_strjoinv(", ", (char **) r->choices);
    return g_strdup_printf("one of %s", list);
  }
}

static gboolean
value_ok(lua_State *L, int idx, int type, const TsFieldRule *r)
{
  switch (r->kind) {
  case TS_FIELD_COUNT:
  case TS_FIELD_REAL: {
    if (type != LUA_TNUMBER)
      return FALSE;
    double v = lua_tonumber(L, idx);
    if (isnan(v) || v > r->max || (r->open ? !(v > r->min) : !(v >= r->min)))
      return FALSE;
    return r->kind == TS_FIELD_REAL || v == floor(v);
  }
  case TS_FIELD_BOOLEAN:
    return type == LUA_TBOOLEAN;
  case TS_FIELD_TABLE:
    return type == LUA_TTABLE;
  case TS_FIELD_STRING:
    if (type != LUA_TSTRING)
      return FALSE;
    if (r->choices == NULL)
      return TRUE;
    for (const char *const *c = r->choices; *c; c++)
      if (strcmp(lua_tostring(L, idx), *c) == 0)
        return TRUE;
    return FALSE;
  }
  return FALSE;
}

gboolean
ts_fields_check(lua_State *L, int idx, const char *what, const TsFieldRule *rules, gsize n_rules, gboolean optional,
                GError **error)
{
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) {
    if (optional && lua_isnoneornil(L, idx))
      return TRUE;
    g_autofree char *got = describe_value(L, idx);
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s is %s, not a table", what, got);
    return FALSE;
  }
  for (gsize i = 0; i < n_rules; i++) {
    const TsFieldRule *r = &rules[i];
    int type = ts_lua_rawfield(L, idx, r->name);
    gboolean ok = type == LUA_TNIL ? !r->required : value_ok(L, -1, type, r);
    if (!ok) {
      g_autofree char *got = type == LUA_TNIL ? g_strdup("nothing") : describe_value(L, -1);
      g_autofree char *want = describe_rule(r);
      lua_pop(L, 1);
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s.%s holds %s, which the run cannot use (expected %s); was "
                  "the table changed after it was made, or a global the prelude uses replaced?", what, r->name, got,
                  want);
      return FALSE;
    }
    lua_pop(L, 1);
  }
  return TRUE;
}

char *
ts_lua_dup_name(lua_State *L, int idx, const char *field)
{
  int type = ts_lua_rawfield(L, idx, field);
  char *v = NULL;
  if (type == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    v = ts_text_escape(s, (gssize) len, TS_FIELD_NAME_MAX, FALSE);
  }
  lua_pop(L, 1);
  return v;
}

/* What each action may hold, checked in C whatever the prelude did (fields.h): the prelude builds these
 * tables, but its checks call globals a script can replace (math.type, string methods). */
#define COUNT(n, lo, hi) {n, TS_FIELD_COUNT, lo, FALSE, hi, FALSE, NULL}
#define REAL(n, lo) {n, TS_FIELD_REAL, lo, FALSE, G_MAXDOUBLE, FALSE, NULL}
#define POSITIVE(n) {n, TS_FIELD_REAL, 0, TRUE, G_MAXDOUBLE, FALSE, NULL}
#define FRACTION(n) {n, TS_FIELD_REAL, 0, FALSE, 1.0, FALSE, NULL}
#define FLAG(n) {n, TS_FIELD_BOOLEAN, 0, FALSE, 0, FALSE, NULL}
#define TABLE(n) {n, TS_FIELD_TABLE, 0, FALSE, 0, TRUE, NULL}
#define C32 TS_FIELD_MAX_COUNT
#define C64 TS_FIELD_MAX_COUNT64

static const char *const precisions[] = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8", NULL};
static const char *const optimizers[] = {"sgd", "momentum", "adam", "adamw", "lars", "lamb", NULL};
static const char *const optimizer_impls[] = {"fused", "foreach", "for-loop", NULL};
static const char *const stacks[] = {"eager", "compiled", "tuned", NULL};
static const char *const attentions[] = {"fused", "fused_softmax", "unfused", "flash2", "fused_fp8", NULL};
static const char *const batch_norms[] = {"separate", "conv_stats", "conv_fused", NULL};
static const char *const ops[] = {"download", "join", "provision", "release", "wait", "train", "infer", NULL};

static const TsFieldRule action_rules[] = {
  {"op", TS_FIELD_STRING, 0, FALSE, 0, TRUE, ops}, {"where", TS_FIELD_STRING, 0, FALSE, 0, TRUE, NULL},
};
static const TsFieldRule download_rules[] = {TABLE("dataset"), FLAG("background"), FLAG("resumable")};
static const TsFieldRule provision_rules[] = {TABLE("target"), REAL("startup", 0)};
static const TsFieldRule release_rules[] = {TABLE("target")};
static const TsFieldRule wait_rules[] = {{"duration", TS_FIELD_REAL, 0, FALSE, G_MAXDOUBLE, TRUE, NULL}};
static const char *const straggler_modes[] = {"expected", "sampled", NULL};
static const char *const mixed_balances[] = {"wait", "speed", NULL};
static const char *const grad_precisions[] = {"fp32", "bf16", "fp16", "fp8", NULL};
static const char *const offloads[] = {"none", "products", "saved", NULL};
static const char *const grad_reduces[] = {"reduce-scatter", "all-reduce", NULL};
static const char *const dp_overlaps[] = {"none", "reduce", NULL};
static const TsFieldRule train_rules[] = {
  TABLE("model"), TABLE("data"), {"batch", TS_FIELD_COUNT, 1, FALSE, C64, TRUE, NULL},
  COUNT("micro_batch", 1, C64), POSITIVE("epochs"), COUNT("steps", 1, C64), POSITIVE("tokens"),
  COUNT("views", 1, C32), POSITIVE("input_cores"),
  {"precision", TS_FIELD_STRING, 0, FALSE, 0, FALSE, precisions},
  {"optimizer", TS_FIELD_STRING, 0, FALSE, 0, FALSE, optimizers},
  {"optimizer_impl", TS_FIELD_STRING, 0, FALSE, 0, FALSE, optimizer_impls}, FLAG("load_all"),
  COUNT("tp", 1, C32), COUNT("pp", 1, C32), COUNT("vp", 1, C32), COUNT("cp", 1, C32), COUNT("ep", 1, C32),
  COUNT("zero", 0, 3),
  COUNT("shard_group", 1, C32), {"grad_precision", TS_FIELD_STRING, 0, FALSE, 0, FALSE, grad_precisions},
  {"grad_reduce", TS_FIELD_STRING, 0, FALSE, 0, FALSE, grad_reduces},
  {"dp_overlap", TS_FIELD_STRING, 0, FALSE, 0, FALSE, dp_overlaps},
  FLAG("recompute"), FLAG("recompute_auto"), {"remat_policy", TS_FIELD_STRING, 0, FALSE, 0, FALSE, ts_remat_policy_names},
  {"offload", TS_FIELD_STRING, 0, FALSE, 0, FALSE, offloads}, FLAG("sequence_parallel"), FRACTION("tp_overlap"),
  FLAG("tp_comm_overlap"), FLAG("dualpipe"), FLAG("partition_embeddings"), FLAG("checkpoint"),
  COUNT("ckpt_every_steps", 1, C64),
  POSITIVE("ckpt_every_epochs"), POSITIVE("ckpt_every_s"), COUNT("keep_last", 0, C32),
  COUNT("keep_every", 0, C32), FLAG("ckpt_async"), FLAG("ckpt_final"), POSITIVE("device_mtbf"),
  POSITIVE("preempt_mtbf"), REAL("restart", 0), POSITIVE("repair"), COUNT("spares", 0, C32), POSITIVE("eval_every_epochs"),
  COUNT("eval_every_steps", 1, C64), POSITIVE("eval_every_s"), COUNT("eval_samples", 1, C64),
  {"stack", TS_FIELD_STRING, 0, FALSE, 0, FALSE, stacks}, {"attention", TS_FIELD_STRING, 0, FALSE, 0, FALSE, attentions},
  {"batch_norm", TS_FIELD_STRING, 0, FALSE, 0, FALSE, batch_norms}, FRACTION("dropout"),
  FRACTION("padding"), {"ramp", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
  COUNT("slow_nodes", 0, C32), FRACTION("slow_fraction"), {"slowdown", TS_FIELD_REAL, 1, FALSE, 100, FALSE, NULL},
  {"jitter", TS_FIELD_REAL, 0, FALSE, 2, FALSE, NULL},
  {"straggler_mode", TS_FIELD_STRING, 0, FALSE, 0, FALSE, straggler_modes},
  {"mixed_sku", TS_FIELD_STRING, 0, FALSE, 0, FALSE, NULL}, COUNT("mixed_nodes", 1, C32),
  {"mixed_balance", TS_FIELD_STRING, 0, FALSE, 0, FALSE, mixed_balances},
};
static const TsFieldRule infer_rules[] = {
  TABLE("model"), COUNT("batch", 1, C64), COUNT("samples", 1, C64),
  {"precision", TS_FIELD_STRING, 0, FALSE, 0, FALSE, precisions}, {"stack", TS_FIELD_STRING, 0, FALSE, 0, FALSE, stacks},
};

/* How many of the fields are present (not nil). */
static int
count_present(lua_State *L, int t, const char *const *fields)
{
  int n = 0;
  for (const char *const *f = fields; *f; f++) {
    n += ts_lua_rawfield(L, t, *f) != LUA_TNIL;
    lua_pop(L, 1);
  }
  return n;
}

/* A batch ramp: 2 to TS_RAMP_MAX segments of a size, each but the last ending at more samples than the one
 * before, the last without an end. */
static gboolean
check_ramp(lua_State *co, int t, GError **error)
{
  static const TsFieldRule segment_rules[] = {{"size", TS_FIELD_COUNT, 1, FALSE, C64, TRUE, NULL},
                                              POSITIVE("until_samples")};
  if (ts_lua_rawfield(co, t, "ramp") == LUA_TNIL) {
    lua_pop(co, 1);
    return TRUE;
  }
  int ramp = lua_gettop(co);
  lua_Unsigned n = lua_rawlen(co, ramp);
  if (count_present(co, t, (const char *const[]){"steps", NULL}) > 0) {
    lua_settop(co, ramp - 1);
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "r:train holds a batch ramp with a number of steps, "
                        "which the run cannot use (a ramp needs tokens or epochs)");
    return FALSE;
  }
  gboolean ok = n >= 2 && n <= TS_RAMP_MAX;
  double last = 0;
  for (lua_Unsigned i = 1; ok && i <= n; i++) {
    lua_rawgeti(co, ramp, (lua_Integer) i);
    ok = ts_fields_check(co, -1, "r:train.ramp[]", segment_rules, G_N_ELEMENTS(segment_rules), FALSE, error);
    if (ok) {
      double until = ts_lua_get_number(co, -1, "until_samples", 0);
      ok = i < n ? until > last : until == 0;
      last = until;
      if (!ok)
        g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "r:train.ramp holds segments whose ends do not "
                            "increase (or a last one with an end), which the run cannot use");
    }
    lua_pop(co, 1);
  }
  if (!ok && (error == NULL || *error == NULL))
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "r:train.ramp holds %llu segments, which the run cannot use "
                "(expected 2 to %d)", (unsigned long long) n, TS_RAMP_MAX);
  lua_settop(co, ramp - 1);
  return ok;
}

gboolean
ts_fields_check_action(lua_State *co, int t, GError **error)
{
  t = lua_absindex(co, t);
  if (!ts_fields_check(co, t, "action", action_rules, G_N_ELEMENTS(action_rules), FALSE, error))
    return FALSE;
  ts_lua_rawfield(co, t, "op");
  const char *op = lua_tostring(co, -1); /* a string, and the table keeps it alive */
  lua_pop(co, 1);
  static const char *const lengths[] = {"epochs", "steps", "tokens", NULL};
  static const char *const intervals[] = {"ckpt_every_steps", "ckpt_every_epochs", "ckpt_every_s", NULL};
  static const char *const eval_intervals[] = {"eval_every_steps", "eval_every_epochs", "eval_every_s", NULL};
  /* Each action's rules and the names its messages use, static: an action costs no allocation here. */
  static const struct {
    const char *op, *what, *target;
    const TsFieldRule *rules;
    gsize n;
  } kinds[] = {
    {"download", "r:download", NULL, download_rules, G_N_ELEMENTS(download_rules)},
    {"provision", "r:provision", "r:provision.target", provision_rules, G_N_ELEMENTS(provision_rules)},
    {"release", "r:release", "r:release.target", release_rules, G_N_ELEMENTS(release_rules)},
    {"wait", "r:wait", NULL, wait_rules, G_N_ELEMENTS(wait_rules)},
    {"train", "r:train", NULL, train_rules, G_N_ELEMENTS(train_rules)},
    {"infer", "r:infer", NULL, infer_rules, G_N_ELEMENTS(infer_rules)},
    {"join", "r:join", NULL, NULL, 0},
  };
  gsize k = 0;
  while (k < G_N_ELEMENTS(kinds) && strcmp(op, kinds[k].op) != 0)
    k++;
  g_return_val_if_fail(k < G_N_ELEMENTS(kinds), FALSE); /* action_rules accepts only these ops */
  if (kinds[k].rules != NULL && !ts_fields_check(co, t, kinds[k].what, kinds[k].rules, kinds[k].n, FALSE, error))
    return FALSE;
  if (strcmp(op, "download") == 0) {
    int type = ts_lua_rawfield(co, t, "to");
    gboolean ok = type == LUA_TNIL || type == LUA_TTABLE || (type == LUA_TSTRING && strcmp(lua_tostring(co, -1), "disk") == 0);
    lua_pop(co, 1);
    if (!ok) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "r:download.to holds a %s, which the run cannot use "
                  "(expected a bucket{...} or \"disk\")", lua_typename(co, type));
      return FALSE;
    }
  } else if (strcmp(op, "provision") == 0 || strcmp(op, "release") == 0) {
    static const TsFieldRule target_rules[] = {COUNT("__id", 0, C32)};
    ts_lua_rawfield(co, t, "target");
    gboolean ok = ts_fields_check(co, -1, kinds[k].target, target_rules, G_N_ELEMENTS(target_rules), FALSE, error);
    lua_pop(co, 1);
    if (!ok)
      return FALSE;
  } else if (strcmp(op, "train") == 0) {
    if (count_present(co, t, lengths) != 1) {
      g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "r:train holds not exactly one of epochs, steps and "
                          "tokens, which the run cannot use");
      return FALSE;
    }
    gboolean checkpoint = ts_lua_get_boolean(co, t, "checkpoint");
    if (checkpoint && count_present(co, t, intervals) != 1) {
      g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "r:train.checkpoint holds not exactly one interval "
                          "(every N steps, N epochs or a duration), which the run cannot use");
      return FALSE;
    }
    if (!check_ramp(co, t, error))
      return FALSE;
    if (count_present(co, t, eval_intervals) > 1) {
      g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "r:train.eval holds more than one interval (every N "
                          "steps, N epochs or a duration), which the run cannot use");
      return FALSE;
    }
  }
  return TRUE;
}

