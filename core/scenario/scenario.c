#include "scenario/scenario.h"
#include "scenario/scenario-private.h"

#include "common/ts-error.h"
#include "common/ts-text.h"
#include "scenario/bindings.h"
#include "scenario/fields.h"
#include "units/units.h"

#include <lauxlib.h>
#include <string.h>

void
ts_scenario_options_init(TsScenarioOptions *options)
{
  memset(options, 0, sizeof *options);
  ts_sandbox_limits_init(&options->limits);
  options->max_events = TS_SCENARIO_MAX_EVENTS;
  options->horizon_s = TS_SCENARIO_HORIZON_S;
}

gboolean
ts_scenario_options_parse_limits(TsScenarioOptions *options, gint64 max_events, const char *horizon, GError **error)
{
  if (max_events == 0 || max_events < -1 || max_events > G_GINT64_CONSTANT(1000000000000)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--max-events: expected 1 to 1000000000000 events, got %" G_GINT64_FORMAT,
                max_events);
    return FALSE;
  }
  if (max_events > 0)
    options->max_events = (guint64) max_events;
  if (horizon != NULL) {
    TsQuantity q;
    g_autoptr(GError) err = NULL;
    if (!ts_quantity_parse(horizon, TS_DIM_TIME, &q, &err)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--horizon: %s", err->message);
      return FALSE;
    }
    if (!(q.value > 0) || q.value > TS_SCENARIO_HORIZON_MAX_S) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--horizon: expected a duration above 0 and at most 200 years, got "
                  "\"%s\"", horizon);
      return FALSE;
    }
    options->horizon_s = q.value;
  }
  return TRUE;
}

/* The simulation process: the scenario's run function as a coroutine, resumed by engine events. */
typedef struct {
  TsRun *run;
  TsSandbox *sandbox;
  TsBindings *bindings;
  lua_State *co;
  const char *path;
  GHashTable *known_ids; /* accelerator ids the run already bills */
  char *last_where;      /* "file:line" of the last action the run function took */
  GError *error; /* first failure; stops the engine */
  const TsScenarioOptions *options;
} Process;

static void process_step(TsRun *run, void *data);

static void
process_fail(Process *p, GError *error)
{
  if (p->error == NULL)
    p->error = error;
  else
    g_error_free(error);
  ts_engine_stop(ts_run_get_engine(p->run));
}

/* What an action leaves on the host for the rest of the run, charged to the sandbox's memory cap: the
 * structs below and their names, plus its phase, samples and diagnostics (ACTION_OVERHEAD). */
#define ACTION_OVERHEAD 512

static gsize
name_size(const char *s)
{
  return s != NULL ? strlen(s) + 1 : 0;
}

static gsize
dataset_size(const TsDataset *d)
{
  if (d == NULL)
    return 0;
  gsize n = sizeof *d + 2 * name_size(d->name); /* the phase is named after it too */
  if (d->from != NULL)
    n += sizeof *d->from + name_size(d->from->name);
  return n;
}

static gsize
model_size(const TsModel *m)
{
  return m != NULL ? sizeof *m + name_size(m->name) : 0;
}

/* r:train / r:infer's `stack`, re-checked here: the prelude validated it, but nothing from Lua is trusted. */
static gboolean
read_stack(lua_State *co, int t, const char *where, TsStack *stack, gboolean *stack_default, GError **error)
{
  g_autofree char *name = ts_lua_dup_string(co, t, "stack");
  *stack_default = name == NULL;
  *stack = TS_STACK_DEFAULT;
  if (name != NULL && !ts_stack_from_name(name, stack)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: stack: expected \"eager\", \"compiled\" or \"tuned\", "
                "got \"%s\"", where, name);
    return FALSE;
  }
  return TRUE;
}

/* r:train's `attention`, `batch_norm`, `optimizer_impl`, `dropout` (0 to below 1), re-checked (the prelude did). */
static gboolean
read_attention(lua_State *co, int t, const char *where, TsTrainSpec *spec, GError **error)
{
  g_autofree char *name = ts_lua_dup_string(co, t, "attention"); /* absent: the zeroed spec's fused (0) */
  if (name != NULL && !ts_attention_from_name(name, &spec->attention)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: attention: expected \"fused\", \"fused_softmax\", "
                "\"unfused\", \"flash2\" or \"fused_fp8\", got \"%s\"", where, name);
    return FALSE;
  }
  g_autofree char *impl = ts_lua_dup_string(co, t, "optimizer_impl"), *bn = ts_lua_dup_string(co, t, "batch_norm");
  spec->optimizer_unfused = impl != NULL && g_strcmp0(impl, "fused") != 0; /* train-setup.c: for which optimizers */
  ts_batch_norm_from_name(bn, &spec->batch_norm); /* fields.c checked both words; absent: the zeroed "separate" */
  int type = ts_lua_rawfield(co, t, "dropout");
  spec->dropout_given = type != LUA_TNIL;
  spec->dropout = type == LUA_TNUMBER ? lua_tonumber(co, -1) : -1;
  lua_pop(co, 1);
  if (!spec->dropout_given || (spec->dropout >= 0 && spec->dropout < 1))
    return TRUE;
  g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: dropout: expected a probability from 0 to below 1", where);
  return FALSE;
}

/* The numbers, names and switches of an r:train action (fields.c checked them: types and ranges). */
static void
read_train_spec(lua_State *co, int t, TsTrainSpec *spec)
{
  spec->batch = ts_lua_get_uint64(co, t, "batch", 1);
  spec->micro_batch = ts_lua_get_uint64(co, t, "micro_batch", 0);
  spec->epochs = ts_lua_get_number(co, t, "epochs", 0);
  spec->steps = ts_lua_get_uint64(co, t, "steps", 0);
  spec->tokens = ts_lua_get_number(co, t, "tokens", 0);
  spec->views = ts_lua_get_uint(co, t, "views", 1);
  spec->input_cores = ts_lua_get_number(co, t, "input_cores", 0);
  g_autofree char *prec = ts_lua_dup_string(co, t, "precision");
  spec->precision = TS_PRECISION_FP32;
  ts_precision_from_name(prec, &spec->precision);
  spec->optimizer = ts_lua_dup_string(co, t, "optimizer");
  spec->load_all = ts_lua_get_boolean(co, t, "load_all");
  spec->tp = ts_lua_get_uint(co, t, "tp", 1);
  spec->pp = ts_lua_get_uint(co, t, "pp", 1);
  spec->vp = ts_lua_get_uint(co, t, "vp", 1);
  spec->cp = ts_lua_get_uint(co, t, "cp", 1);
  spec->ep = ts_lua_get_uint(co, t, "ep", 1);
  spec->zero = ts_lua_get_uint(co, t, "zero", 0);
  spec->shard_group = ts_lua_get_uint(co, t, "shard_group", 0);
  g_autofree char *gprec = ts_lua_dup_string(co, t, "grad_precision");
  spec->grad_bytes = g_strcmp0(gprec, "fp32") == 0 ? 4.0 : g_strcmp0(gprec, "fp8") == 0 ? 1.0 : gprec ? 2.0 : 0.0;
  /* Both words checked against their lists (fields.c); absent, the defaults: reduce-scatter, all overlapped. */
  g_autofree char *greduce = ts_lua_dup_string(co, t, "grad_reduce"), *dpo = ts_lua_dup_string(co, t, "dp_overlap");
  spec->grad_all_reduce = g_strcmp0(greduce, "all-reduce") == 0;
  spec->dp_overlap = !dpo ? TS_DP_OVERLAP_ALL : strcmp(dpo, "none") == 0 ? TS_DP_OVERLAP_NONE : TS_DP_OVERLAP_REDUCE;
  spec->recompute = ts_lua_get_boolean(co, t, "recompute");
  spec->recompute_auto = ts_lua_get_boolean(co, t, "recompute_auto");
  /* Both words checked against their lists (fields.c); absent (NULL): none (the zeroed spec's policy 0). */
  g_autofree char *remat = ts_lua_dup_string(co, t, "remat_policy"), *offload = ts_lua_dup_string(co, t, "offload");
  spec->offload = TS_REMAT_OFFLOAD_NONE;
  ts_remat_policy_from_name(remat, &spec->remat_policy);
  ts_remat_offload_from_name(offload, &spec->offload);
  spec->sequence_parallel = ts_lua_get_boolean(co, t, "sequence_parallel");
  spec->tp_overlap = ts_lua_get_number(co, t, "tp_overlap", 0);
  spec->tp_comm_overlap = ts_lua_get_boolean(co, t, "tp_comm_overlap");
  spec->dualpipe = ts_lua_get_boolean(co, t, "dualpipe");
  spec->partition_embeddings = ts_lua_get_boolean(co, t, "partition_embeddings");
  spec->checkpoint = ts_lua_get_boolean(co, t, "checkpoint");
  spec->ckpt_every_steps = ts_lua_get_uint64(co, t, "ckpt_every_steps", 0);
  spec->ckpt_every_epochs = ts_lua_get_number(co, t, "ckpt_every_epochs", 0);
  spec->ckpt_every_s = ts_lua_get_number(co, t, "ckpt_every_s", 0);
  spec->keep_last = ts_lua_get_uint(co, t, "keep_last", 0);
  spec->keep_every = ts_lua_get_uint(co, t, "keep_every", 0);
  spec->ckpt_async = ts_lua_get_boolean(co, t, "ckpt_async");
  spec->ckpt_final = ts_lua_get_boolean(co, t, "ckpt_final");
  spec->device_mtbf_s = ts_lua_get_number(co, t, "device_mtbf", 0);
  spec->preempt_mtbf_s = ts_lua_get_number(co, t, "preempt_mtbf", 0);
  spec->restart_s = ts_lua_get_number(co, t, "restart", 0);
  spec->repair_s = ts_lua_get_number(co, t, "repair", 0);
  spec->spare_nodes = ts_lua_get_uint(co, t, "spares", 0);
  spec->eval_every_epochs = ts_lua_get_number(co, t, "eval_every_epochs", 0);
  spec->padding = ts_lua_get_number(co, t, "padding", 0);
  spec->slow_nodes = ts_lua_get_uint(co, t, "slow_nodes", 0);
  spec->slow_fraction = ts_lua_get_number(co, t, "slow_fraction", 0);
  spec->slowdown = ts_lua_get_number(co, t, "slowdown", 0);
  spec->jitter = ts_lua_get_number(co, t, "jitter", 0);
  g_autofree char *straggler_mode = ts_lua_dup_string(co, t, "straggler_mode");
  spec->stragglers_sampled = g_strcmp0(straggler_mode, "sampled") == 0;
  /* Mixed generations: an SKU longer than the spec holds is cut, and then names no device (an error there). */
  g_autofree char *mixed_sku = ts_lua_dup_string(co, t, "mixed_sku");
  if (mixed_sku != NULL)
    g_strlcpy(spec->mixed_sku, mixed_sku, sizeof spec->mixed_sku);
  spec->mixed_nodes = mixed_sku != NULL ? ts_lua_get_uint(co, t, "mixed_nodes", 0) : 0;
  g_autofree char *mixed_balance = ts_lua_dup_string(co, t, "mixed_balance");
  spec->mixed_speed = g_strcmp0(mixed_balance, "speed") == 0;
  /* The batch ramp, already checked (fields.c check_ramp). */
  if (ts_lua_rawfield(co, t, "ramp") == LUA_TTABLE) {
    lua_Unsigned n = MIN(lua_rawlen(co, -1), (lua_Unsigned) TS_RAMP_MAX);
    for (lua_Unsigned i = 1; i <= n; i++) {
      lua_rawgeti(co, -1, (lua_Integer) i);
      spec->ramp_size[spec->ramp_segments] = ts_lua_get_uint64(co, -1, "size", 1);
      spec->ramp_until[spec->ramp_segments] = ts_lua_get_number(co, -1, "until_samples", 0);
      spec->ramp_segments++;
      lua_pop(co, 1);
    }
  }
  lua_pop(co, 1);
  spec->eval_every_steps = ts_lua_get_uint64(co, t, "eval_every_steps", 0);
  spec->eval_every_s = ts_lua_get_number(co, t, "eval_every_s", 0);
  spec->eval_samples = ts_lua_get_uint64(co, t, "eval_samples", 0);
}

/* r:download: the dataset, where it goes, in the background or not. */
static gboolean
download_action(Process *p, lua_State *co, int t, const char *where, GError **error)
{
  gboolean ok;
  ts_lua_rawfield(co, t, "dataset");
  TsDataset *ds = ts_bindings_to_dataset(co, -1, error);
  lua_pop(co, 1);
  ts_lua_rawfield(co, t, "to");
  gboolean to_storage = lua_istable(co, -1);
  lua_pop(co, 1);
  gboolean background = ts_lua_get_boolean(co, t, "background");
  gboolean resumable = ts_lua_get_boolean(co, t, "resumable");
  ok = ds != NULL && ts_sandbox_charge_host(p->sandbox, ACTION_OVERHEAD + dataset_size(ds), where, error);
  if (!ok)
    ts_dataset_free(ds);
  ok = ok && ts_run_download(p->run, ds, to_storage, background, resumable, where, process_step, p, error);
  if (ds == NULL)
    g_prefix_error(error, "%s: ", where);
  return ok;
}

/* r:provision / r:release: a machine besides the cluster's accelerators is added to the run first. */
static gboolean
machine_action(Process *p, lua_State *co, int t, const char *where, const char *op, GError **error)
{
  gboolean ok;
  ts_lua_rawfield(co, t, "target");
  int id = (int) MIN(ts_lua_get_uint(co, -1, "__id", 0), (guint) G_MAXINT);
  ok = TRUE;
  if (!p->known_ids || !g_hash_table_contains(p->known_ids, GINT_TO_POINTER(id))) {
    /* A machine besides the cluster's accelerators: a CPU box for the download, say. */
    TsMachineGroup *m = g_new0(TsMachineGroup, 1);
    ok = ts_bindings_to_accelerator(co, -1, p->bindings, m, error) &&
         ts_sandbox_charge_host(p->sandbox, sizeof *m + name_size(m->slice), where, error);
    if (ok) {
      ok = ts_run_add_machine(p->run, m, error);
      g_hash_table_add(p->known_ids, GINT_TO_POINTER(id));
    } else {
      ts_machine_group_clear(m);
      g_free(m);
    }
    if (!ok)
      g_prefix_error(error, "%s: ", where);
  }
  lua_pop(co, 1);
  ok = ok && ts_sandbox_charge_host(p->sandbox, ACTION_OVERHEAD, where, error);
  if (ok && op[0] == 'p')
    ok = ts_run_provision(p->run, id, ts_lua_get_number(co, t, "startup", 0), where, process_step, p, error);
  else if (ok)
    ok = ts_run_release(p->run, id, where, process_step, p, error);
  return ok;
}

static gboolean
train_action(Process *p, lua_State *co, int t, const char *where, GError **error)
{
  gboolean ok;
  TsTrainSpec spec = {0};
  if (!read_stack(co, t, where, &spec.stack, &spec.stack_default, error) ||
      !read_attention(co, t, where, &spec, error))
    return FALSE;
  ts_lua_rawfield(co, t, "model");
  spec.model = ts_bindings_to_model(co, -1, error);
  lua_pop(co, 1);
  if (spec.model != NULL) {
    ts_lua_rawfield(co, t, "data");
    spec.data = ts_bindings_to_dataset(co, -1, error);
    lua_pop(co, 1);
  }
  if (spec.model == NULL || spec.data == NULL) {
    g_prefix_error(error, "%s: ", where);
    ts_model_free(spec.model);
    return FALSE;
  }
  read_train_spec(co, t, &spec);
  if (p->options->train_hook != NULL && !p->options->train_hook(&spec, where, p->options->hook_data, error)) {
    ts_model_free(spec.model);
    ts_dataset_free(spec.data);
    g_free(spec.optimizer);
    return FALSE;
  }
  ok = ts_sandbox_charge_host(p->sandbox, ACTION_OVERHEAD + model_size(spec.model) + dataset_size(spec.data), where,
                              error);
  if (!ok) {
    ts_model_free(spec.model);
    ts_dataset_free(spec.data);
  }
  ok = ok && ts_run_train(p->run, &spec, where, process_step, p, error);
  g_free(spec.optimizer);
  return ok;
}

static gboolean
infer_action(Process *p, lua_State *co, int t, const char *where, GError **error)
{
  gboolean ok;
  TsInferSpec spec = {0};
  ts_lua_rawfield(co, t, "model");
  spec.model = ts_bindings_to_model(co, -1, error);
  lua_pop(co, 1);
  if (spec.model == NULL) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  spec.batch = ts_lua_get_uint64(co, t, "batch", 1);
  spec.samples = ts_lua_get_uint64(co, t, "samples", 1);
  g_autofree char *prec = ts_lua_dup_string(co, t, "precision");
  spec.precision = TS_PRECISION_FP32;
  ts_precision_from_name(prec, &spec.precision);
  if (!read_stack(co, t, where, &spec.stack, &spec.stack_default, error)) {
    ts_model_free(spec.model);
    return FALSE;
  }
  ok = ts_sandbox_charge_host(p->sandbox, ACTION_OVERHEAD + model_size(spec.model), where, error);
  if (!ok)
    ts_model_free(spec.model);
  ok = ok && ts_run_infer(p->run, &spec, where, process_step, p, error);
  return ok;
}

/* The action's "file:line", pushed and left on the stack (so the string outlives the call): the string itself
 * when it is safe to show as it is (the usual case), else an escaped copy kept in *copy. */
static const char *
borrow_where(lua_State *co, int t, char **copy)
{
  if (ts_lua_rawfield(co, t, "where") != LUA_TSTRING)
    return NULL;
  size_t len;
  const char *s = lua_tolstring(co, -1, &len);
  if (len <= TS_FIELD_NAME_MAX && strlen(s) == len && ts_text_is_safe(s, FALSE))
    return s;
  *copy = ts_text_escape(s, (gssize) len, TS_FIELD_NAME_MAX, FALSE);
  return *copy;
}

/* Turn the action table the prelude yielded into a run-model call. */
static gboolean
dispatch(Process *p, GError **error)
{
  lua_State *co = p->co;
  int t = lua_gettop(co);
  /* A script runs millions of actions (tests/bad/budgets/zero-waits.lua): `where` and `op` are read in place
   * from the strings the table holds, kept on the stack above it until the action is dispatched, and copied
   * only when they must change (an escaped name, a new line for last_where). */
  g_autofree char *where_escaped = NULL;
  const char *where = borrow_where(co, t, &where_escaped);
  if (where != NULL && g_strcmp0(p->last_where, where) != 0) {
    g_free(p->last_where);
    p->last_where = g_strdup(where);
  }
  if (!ts_fields_check_action(co, t, error)) {
    if (where != NULL)
      g_prefix_error(error, "%s: ", where);
    lua_settop(co, 0);
    return FALSE;
  }
  ts_lua_rawfield(co, t, "op"); /* a string: ts_fields_check_action checked it */
  const char *op = lua_tostring(co, -1);
  gboolean ok;
  if (g_strcmp0(op, "download") == 0) {
    ok = download_action(p, co, t, where, error);
  } else if (g_strcmp0(op, "join") == 0) {
    ok = ts_sandbox_charge_host(p->sandbox, ACTION_OVERHEAD, where, error) &&
         ts_run_join(p->run, where, process_step, p, error);
  } else if (g_strcmp0(op, "provision") == 0 || g_strcmp0(op, "release") == 0) {
    ok = machine_action(p, co, t, where, op, error);
  } else if (g_strcmp0(op, "wait") == 0) {
    ok = ts_sandbox_charge_host(p->sandbox, ACTION_OVERHEAD, where, error) &&
         ts_run_wait(p->run, ts_lua_get_number(co, t, "duration", 0), where, process_step, p, error);
  } else if (g_strcmp0(op, "train") == 0) {
    ok = train_action(p, co, t, where, error);
  } else if (g_strcmp0(op, "infer") == 0) {
    ok = infer_action(p, co, t, where, error);
  } else {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: unknown action %s", where, op ? op : "(none)");
    ok = FALSE;
  }
  lua_settop(co, 0);
  return ok;
}

static void
process_step(TsRun *run, void *data)
{
  (void) run;
  Process *p = data;
  int nres = 0;
  gboolean finished = FALSE;
  GError *error = NULL;
  if (!ts_sandbox_resume(p->sandbox, p->co, 0, &nres, &finished, &error)) {
    process_fail(p, error);
    return;
  }
  if (finished) {
    lua_settop(p->co, 0);
    return;
  }
  /* An action is (token, table): the prelude's token proves the table went through its validation. */
  gboolean action = nres == 2 && lua_istable(p->co, -1);
  if (action) {
    lua_rawgeti(p->co, LUA_REGISTRYINDEX, p->bindings->action_ref);
    action = lua_rawequal(p->co, -1, -3);
    lua_pop(p->co, 1);
  }
  if (!action) {
    lua_settop(p->co, 0);
    process_fail(p, g_error_new(TS_ERROR, TS_ERROR_SCENARIO, "%s: the run function yielded something that is not "
                                "an r:... action (coroutine.yield is not for scenarios)", p->path));
    return;
  }
  lua_remove(p->co, -2); /* the token */
  if (!dispatch(p, &error))
    process_fail(p, error);
}

static void
process_start(TsEngine *engine, void *data)
{
  (void) engine;
  Process *p = data;
  process_step(p->run, p);
}

static gboolean
parse_sets(TsBindings *b, const char *const *sets, GError **error)
{
  for (const char *const *s = sets; s && *s; s++) {
    const char *eq = strchr(*s, '=');
    if (eq == NULL || eq == *s) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set %s: expected name=value", *s);
      return FALSE;
    }
    g_hash_table_replace(b->sets, g_strndup(*s, (gsize) (eq - *s)), g_strdup(eq + 1));
  }
  return TRUE;
}

static gboolean
check_sets_used(TsBindings *b, GError **error)
{
  GHashTableIter it;
  gpointer key;
  g_autoptr(GPtrArray) unknown = g_ptr_array_new();
  g_hash_table_iter_init(&it, b->sets);
  while (g_hash_table_iter_next(&it, &key, NULL))
    if (!g_hash_table_contains(b->used, key))
      g_ptr_array_add(unknown, key);
  if (unknown->len == 0)
    return TRUE;
  g_ptr_array_sort(unknown, (GCompareFunc) g_strcmp0);
  GString *declared = g_string_new(NULL);
  for (guint i = 0; i < b->params->len; i++)
    g_string_append_printf(declared, "%s%s", i ? ", " : "", ((TsParam *) g_ptr_array_index(b->params, i))->name);
  g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set %s: the scenario declares no such param; declared: %s",
              (char *) g_ptr_array_index(unknown, 0), declared->len ? declared->str : "(none)");
  g_string_free(declared, TRUE);
  return FALSE;
}

/* Every error about the script names it.  Lua's own messages carry "file:line:", but a script that raises
 * a non-string value (error({}), error()) or a string without a position (error("x", 0)) would otherwise
 * reach the user as "(error object is a table value)" or "x" with no file at all. */
static void
name_the_file(GError **error, const char *path)
{
  if (error == NULL || *error == NULL || path == NULL || (*error)->domain != TS_ERROR ||
      (*error)->code == TS_ERROR_USAGE || (*error)->code == TS_ERROR_INTERRUPTED)
    return;
  g_autofree char *base = g_path_get_basename(path);
  if (strstr((*error)->message, base) == NULL)
    g_prefix_error(error, "%s: ", path);
}

/* The prelude, then the script, loaded (each pushed as a function) as a new sandbox loads them. */
static gboolean
load_prelude(TsSandbox *sb, GError **error)
{
  return ts_sandbox_load_host_chunk(sb, ts_prelude_lua, ts_prelude_lua_len, ts_prelude_luac, ts_prelude_luac_len,
                                    "=trainsim-prelude", error);
}

static gboolean
load_script(TsSandbox *sb, const TsScenarioOptions *options, GError **error)
{
  return options->source != NULL ? ts_sandbox_load_string(sb, options->source, options->source_len, options->path, error)
                                  : ts_sandbox_load_file(sb, options->path, error);
}

/* The script's start-up, shared by ts_scenario_run and ts_scenario_read_table: --set values, the prelude with
 * its bindings, then the script's top level; every --set must name a declared param -- checked here when
 * `check_sets`, or by the caller once the run function, which may declare params too, has run.  With `worker`,
 * the prelude and the script are the worker's, loaded once into its kept sandbox `sb` (scenario-worker.c). */
static gboolean
start_script(TsSandbox *sb, TsBindings *b, const TsScenarioOptions *options, TsScenarioWorker *worker,
             gboolean check_sets, GError **error)
{
  lua_State *L = ts_sandbox_get_state(sb);
  if (!parse_sets(b, options->sets, error))
    return FALSE;
  if (worker != NULL)
    scenario_worker_push_prelude(worker, L);
  else if (!load_prelude(sb, error))
    return FALSE;
  ts_bindings_push(L, b);
  if (!ts_sandbox_call(sb, 1, 0, error))
    return FALSE;
  if (worker != NULL)
    scenario_worker_push_script(worker, L);
  else if (!load_script(sb, options, error))
    return FALSE;
  if (!ts_sandbox_call(sb, 0, 0, error))
    return FALSE;
  return !check_sets || check_sets_used(b, error);
}

gboolean
scenario_load_script(TsSandbox *sb, const TsScenarioOptions *options, int *prelude_ref, int *script_ref,
                     GError **error)
{
  lua_State *L = ts_sandbox_get_state(sb);
  if (!load_prelude(sb, error))
    return FALSE;
  *prelude_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (!load_script(sb, options, error)) {
    luaL_unref(L, LUA_REGISTRYINDEX, *prelude_ref);
    *prelude_ref = LUA_NOREF;
    return FALSE;
  }
  *script_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return TRUE;
}

gboolean
ts_scenario_read_table(const TsRegistry *registry, const TsScenarioOptions *options, const char *name,
                       GHashTable **fields, GError **error)
{
  *fields = NULL;
  TsSandbox *sb = ts_sandbox_new(&options->limits, error);
  if (sb == NULL)
    return FALSE;
  lua_State *L = ts_sandbox_get_state(sb);
  TsBindings b;
  ts_bindings_init(&b, registry);
  gboolean ok = start_script(sb, &b, options, NULL, TRUE, error);
  if (ok) {
    /* Raw reads only: no metamethod of the script's runs outside the sandbox's budget. */
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushstring(L, name);
    lua_rawget(L, -2);
    lua_remove(L, -2);
    if (lua_type(L, -1) == LUA_TTABLE) {
      *fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
      lua_pushnil(L);
      while (lua_next(L, -2) != 0) {
        GVariant *v = NULL;
        if (lua_type(L, -2) == LUA_TSTRING) {
          if (lua_type(L, -1) == LUA_TSTRING)
            v = g_variant_new_string(lua_tostring(L, -1));
          else if (lua_type(L, -1) == LUA_TNUMBER)
            v = g_variant_new_double(lua_tonumber(L, -1));
          else if (lua_type(L, -1) == LUA_TBOOLEAN)
            v = g_variant_new_boolean(lua_toboolean(L, -1));
        }
        if (v != NULL)
          g_hash_table_insert(*fields, g_strdup(lua_tostring(L, -2)), g_variant_ref_sink(v));
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  name_the_file(error, options->path);
  ts_bindings_unref_all(&b, L);
  g_warn_if_fail(b.live_refs == 0);
  ts_bindings_clear(&b);
  ts_sandbox_free(sb);
  return ok;
}

static guint
alternatives_len(const GPtrArray *a)
{
  return a != NULL ? a->len : 0;
}

/* The simulation passed its event budget or its horizon: name the action in progress, which is what keeps
 * scheduling events (a download over a link failing every microsecond) or asked for the time. */
static GError *
simulation_limit_error(const Process *p, const TsScenarioOptions *options, TsEngineResult ended, double horizon_s)
{
  const char *where = p->last_where != NULL ? p->last_where : p->path;
  if (ended == TS_ENGINE_BUDGET)
    return g_error_new(TS_ERROR, TS_ERROR_LIMIT, "%s: simulation event budget of %" G_GUINT64_FORMAT " events "
                       "exceeded (the run was at this action; a link that fails faster than it retries, or millions "
                       "of actions?  --max-events raises the budget)", where, options->max_events);
  g_autofree char *h = horizon_s >= 31557600.0 ? g_strdup_printf("%.4g years", horizon_s / 31557600.0)
                                                : ts_format_duration(horizon_s);
  return g_error_new(TS_ERROR, TS_ERROR_LIMIT, "%s: the simulation passed its horizon of %s of simulated time (the "
                     "run was at this action; a duration or a number of steps too large?  --horizon moves it, up to "
                     "200 years)", where, h);
}

/* Plays the run function held at `process_ref` on `run` (its cluster set, with id `cluster_id`) from the run's
 * time 0 to its end, then closes the run's books.  Returns the first error that stopped it, or NULL. */
GError *
scenario_play(TsRun *run, TsSandbox *sb, TsBindings *b, int process_ref, int cluster_id,
              const TsScenarioOptions *options)
{
  lua_State *L = ts_sandbox_get_state(sb);
  Process proc = {0};
  lua_rawgeti(L, LUA_REGISTRYINDEX, process_ref);
  proc.co = lua_tothread(L, -1);
  lua_pop(L, 1); /* the registry reference keeps the thread alive */
  proc.run = run;
  proc.options = options;
  proc.path = options->path;
  proc.known_ids = g_hash_table_new(NULL, NULL);
  g_hash_table_add(proc.known_ids, GINT_TO_POINTER(cluster_id));
  proc.sandbox = sb;
  proc.bindings = b;
  TsEngine *engine = ts_run_get_engine(run);
  ts_engine_schedule(engine, 0, TS_PRIORITY_DEFAULT, process_start, &proc);
  ts_engine_set_max_events(engine, options->max_events);
  double horizon_s = MIN(options->horizon_s > 0 ? options->horizon_s : TS_SCENARIO_HORIZON_S, TS_SCENARIO_HORIZON_MAX_S);
  TsEngineResult ended = ts_engine_run(engine, ts_time_from_seconds(horizon_s));
  if (proc.error == NULL && (ended == TS_ENGINE_BUDGET || ended == TS_ENGINE_HORIZON))
    proc.error = simulation_limit_error(&proc, options, ended, horizon_s);
  g_hash_table_unref(proc.known_ids);
  g_free(proc.last_where);
  ts_run_finish(run);
  if (proc.error == NULL && ts_run_get_error(run) != NULL)
    proc.error = g_error_copy(ts_run_get_error(run));
  return proc.error;
}

/* Owned machines that name a rented alternative (owned = { against = ... }): the same script, seed and --set on
 * the alternative, with no outputs attached, for the break-even (run/ownership.c).  Not for trainsim plan, whose
 * runs are searches of layouts, nor for the alternative's own run. */
static void
break_even_pass(const TsRegistry *registry, const TsScenarioOptions *options, TsRun *run)
{
  const TsCluster *c = ts_run_get_cluster(run);
  if (c == NULL || !c->accel.owned || !c->accel.against || options->against_pass || options->plan_cluster > 0 ||
      options->plan_clusters != NULL || options->train_hook != NULL)
    return;
  TsScenarioOptions o = *options;
  o.sinks = NULL;
  o.against_pass = TRUE;
  o.worker = NULL; /* the worker's sandbox is the one this run is using */
  GError *err = NULL;
  TsRun *alt = ts_scenario_run(registry, &o, &err);
  ts_run_set_break_even(run, alt, err);
  g_clear_error(&err);
  g_clear_pointer(&alt, ts_run_free);
}

/* The scenario run in sandbox `sb`: a new one (worker NULL), or the worker's kept one, reset. */
static TsRun *
scenario_run_in(const TsRegistry *registry, const TsScenarioOptions *options, TsSandbox *sb, TsScenarioWorker *worker,
                GError **error)
{
  lua_State *L = ts_sandbox_get_state(sb);
  TsBindings b;
  ts_bindings_init(&b, registry);
  b.against_pass = options->against_pass;
  TsRun *run = NULL;
  GError *proc_error = NULL;

  if (!start_script(sb, &b, options, worker, FALSE, error)) /* --set names are checked after the run function */
    goto out;
  if (b.jobs->len > 0) {
    run = scenario_run_jobs(registry, options, sb, &b, &proc_error);
    if (proc_error == NULL)
      check_sets_used(&b, &proc_error);
    if (proc_error != NULL) {
      if (!g_error_matches(proc_error, TS_ERROR, TS_ERROR_INFEASIBLE))
        g_clear_pointer(&run, ts_run_free);
      g_propagate_error(error, proc_error);
    }
    goto out;
  }
  if (b.process_ref == LUA_NOREF) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: the scenario never calls run(cluster, function(r) ... end)",
                options->path);
    goto out;
  }

  GPtrArray *alternatives = NULL;
  if ((options->plan_clusters != NULL || options->plan_cluster > 0) &&
      (alternatives = scenario_read_plan_clusters(L, &b, options->path, options->plan_precisions, error)) == NULL)
    goto out;
  if (options->plan_cluster > alternatives_len(alternatives)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: plan.clusters has %u clusters, not %u", options->path,
                alternatives_len(alternatives), options->plan_cluster);
    g_ptr_array_unref(alternatives);
    goto out;
  }

  TsRunInfo info = {options->path, options->limits.seed, b.params, options->step_events};
  run = ts_run_new(registry, &info);
  lua_rawgeti(L, LUA_REGISTRYINDEX, b.cluster_ref);
  TsCluster *cluster = ts_bindings_to_cluster(L, -1, &b, error);
  lua_pop(L, 1);
  if (cluster == NULL || cluster->spare_nodes > 0) {
    if (cluster != NULL) /* run() refused it at its line; checked again */
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "cluster.spares: shared by several job{}s, not for one run()");
    g_clear_pointer(&cluster, ts_cluster_free);
    g_prefix_error(error, "%s: cluster: ", options->path);
    g_clear_pointer(&run, ts_run_free);
    g_clear_pointer(&alternatives, g_ptr_array_unref);
    goto out;
  }
  if (options->plan_cluster > 0) {
    /* The alternative takes the scenario's cluster's identity: r:provision(cluster.accelerator) names it. */
    int id = cluster->accel.id;
    ts_cluster_free(cluster);
    cluster = ts_cluster_copy(g_ptr_array_index(alternatives, options->plan_cluster - 1));
    cluster->accel.id = id;
  }
  if (options->plan_clusters != NULL)
    *options->plan_clusters = g_steal_pointer(&alternatives);
  g_clear_pointer(&alternatives, g_ptr_array_unref);
  if (!ts_run_set_cluster(run, cluster, error)) {
    g_prefix_error(error, "%s: ", b.run_where != NULL ? b.run_where : options->path); /* the run() line */
    g_clear_pointer(&run, ts_run_free);
    goto out;
  }

  for (guint i = 0; options->sinks && i < options->sinks->len; i++)
    ts_run_add_sink(run, g_ptr_array_index(options->sinks, i));
  proc_error = scenario_play(run, sb, &b, b.process_ref, cluster->accel.id, options);
  /* Every --set names a param the script declared, at its top level or inside run(). */
  if (proc_error == NULL)
    check_sets_used(&b, &proc_error);
  if (proc_error == NULL || g_error_matches(proc_error, TS_ERROR, TS_ERROR_INFEASIBLE))
    break_even_pass(registry, options, run);
  if (proc_error != NULL) {
    if (!g_error_matches(proc_error, TS_ERROR, TS_ERROR_INFEASIBLE)) /* an infeasible run is still a result */
      g_clear_pointer(&run, ts_run_free);
    g_propagate_error(error, proc_error);
  }

out:
  name_the_file(error, options->path);
  ts_bindings_unref_all(&b, L);
  g_warn_if_fail(b.live_refs == 0); /* every registry reference taken was released */
  ts_bindings_clear(&b);
  return run;
}

TsRun *
ts_scenario_run(const TsRegistry *registry, const TsScenarioOptions *options, GError **error)
{
  TsScenarioWorker *worker = options->worker;
  TsSandbox *kept = worker != NULL ? scenario_worker_begin(worker, options) : NULL;
  if (kept != NULL) {
    GError *kept_error = NULL;
    TsRun *run = scenario_run_in(registry, options, kept, worker, &kept_error);
    if (scenario_worker_end(worker)) {
      if (kept_error != NULL)
        g_propagate_error(error, kept_error);
      return run;
    }
    /* Its answer may depend on what the worker's earlier runs left in the heap: a new sandbox's stands. */
    g_clear_error(&kept_error);
    g_clear_pointer(&run, ts_run_free);
  }
  TsSandbox *sb = ts_sandbox_new(&options->limits, error);
  if (sb == NULL)
    return NULL;
  TsRun *run = scenario_run_in(registry, options, sb, NULL, error);
  ts_sandbox_free(sb);
  if (worker != NULL)
    scenario_worker_count_fresh(worker);
  return run;
}
