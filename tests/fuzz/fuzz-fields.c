/* libFuzzer target: the validation layer between Lua and C (scenario/fields.c, bindings.c) on tables made of
 * the fuzzer's bytes — values no prelude would build: fractions and NaN where counts go, huge and negative
 * numbers, wrong types, long strings with control bytes.
 *
 * Input: records of 10 bytes — a field (byte 0, an index into the names below), a type (byte 1: nil, integer,
 * float, boolean, string, table) and 8 bytes of value (the integer, the double's bits, or a string's length
 * and fill byte).  The first record's field picks the op.  The table is checked as an action, as a model, a
 * dataset and a link; whatever is accepted must hold what the run model needs (an accepted batch is an
 * integer >= 1, a duration is finite and not negative, names come back escaped and short).  Every outcome is
 * fine except a crash, a sanitizer report, a leak or a broken invariant. */
#include "common/ts-text.h"
#include "scenario/bindings.h"
#include "scenario/fields.h"
#include "run/run.h"

#include <lauxlib.h>
#include <lualib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
  "op", "where", "model", "data", "dataset", "target", "to", "batch", "micro_batch", "epochs", "steps", "tokens",
  "views", "input_cores", "precision", "optimizer", "load_all", "tp", "pp", "vp", "cp", "zero", "recompute",
  "recompute_auto", "checkpoint", "ckpt_every_steps", "ckpt_every_epochs", "ckpt_every_s", "keep_last",
  "keep_every", "ckpt_async", "ckpt_final", "device_mtbf", "preempt_mtbf", "restart", "eval_every_epochs",
  "samples", "duration", "startup", "background", "resumable", "__id", "name", "params", "flops", "activations",
  "active_params", "layers", "width", "seq", "experts", "workload", "bytes", "extracted", "eval_samples", "kind",
  "from", "bandwidth", "mtbf", "retry", "egress_price", "ep", "active_experts", "moe_layers", "expert_params",
};
static const char *const ops[] = {"train", "infer", "wait", "download", "provision", "release", "join", "launch"};

static void
push_value(lua_State *L, const uint8_t *r)
{
  uint64_t bits;
  memcpy(&bits, r + 2, 8);
  switch (r[1] % 7) {
  case 0: lua_pushnil(L); break;
  case 1: lua_pushinteger(L, (lua_Integer) bits); break;
  case 2: { double d; memcpy(&d, &bits, 8); lua_pushnumber(L, d); break; }
  case 3: lua_pushboolean(L, bits & 1); break;
  case 4: {
    gsize len = (gsize) (bits & 0xffff);
    char *s = g_malloc(len + 1);
    memset(s, (int) ((bits >> 16) & 0xff), len);
    lua_pushlstring(L, s, len);
    g_free(s);
    break;
  }
  case 5: lua_pushstring(L, ops[(bits >> 8) % G_N_ELEMENTS(ops)]); break;
  default: lua_newtable(L); break;
  }
}

static void
expect_count(lua_State *L, int t, const char *field, double min, double max)
{
  if (ts_lua_rawfield(L, t, field) != LUA_TNIL) {
    double v = lua_tonumber(L, -1);
    if (!(v >= min && v <= max && v == floor(v)))
      abort();
  }
  lua_pop(L, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 4096)
    return 0;
  lua_State *L = luaL_newstate();
  lua_newtable(L);
  int t = lua_gettop(L);
  for (size_t i = 0; i + 10 <= size; i += 10) {
    const uint8_t *r = data + i;
    push_value(L, r);
    if (i == 0 && lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 1);
      lua_pushstring(L, ops[r[1] % G_N_ELEMENTS(ops)]);
      lua_setfield(L, t, "op");
      continue;
    }
    lua_setfield(L, t, names[r[0] % G_N_ELEMENTS(names)]);
  }
  GError *error = NULL;
  if (ts_fields_check_action(L, t, &error)) {
    lua_getfield(L, t, "op");
    const char *op = lua_tostring(L, -1);
    if (op == NULL)
      abort();
    if (strcmp(op, "train") == 0 || strcmp(op, "infer") == 0)
      expect_count(L, t, "batch", 1, TS_FIELD_MAX_COUNT64);
    if (strcmp(op, "train") == 0)
      expect_count(L, t, "zero", 0, 3);
    if (strcmp(op, "wait") == 0) {
      lua_getfield(L, t, "duration");
      double d = lua_tonumber(L, -1);
      if (!(isfinite(d) && d >= 0))
        abort();
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  } else if (error == NULL || error->message == NULL || error->message[0] == '\0') {
    abort(); /* a refusal says why */
  } else if (!ts_text_is_safe(error->message, FALSE)) {
    abort(); /* and never carries raw control bytes from the table */
  }
  g_clear_error(&error);
  /* The same table read as a model and as a dataset (whose "from" may be a link). */
  TsModel *m = ts_bindings_to_model(L, t, &error);
  if (m != NULL) {
    if (!(m->params > 0 && isfinite(m->params) && m->flops > 0 && isfinite(m->flops)) || m->name == NULL ||
        strlen(m->name) > 4 * TS_FIELD_NAME_MAX + 3 || /* each byte kept may become \xHH */ !ts_text_is_safe(m->name, FALSE))
      abort();
    ts_model_free(m);
  }
  g_clear_error(&error);
  TsDataset *d = ts_bindings_to_dataset(L, t, &error);
  if (d != NULL) {
    if (d->samples < 1 || !(d->bytes >= 0) || !ts_text_is_safe(d->name, FALSE))
      abort();
    if (d->from != NULL && (!(d->from->bandwidth >= 0) || !(d->from->mtbf_s >= 0) || !(d->from->retry_s >= 0)))
      abort();
    ts_dataset_free(d);
  }
  g_clear_error(&error);
  lua_close(L);
  return 0;
}
