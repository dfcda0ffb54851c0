/* A Lua state kept from one scenario run to the next (scenario.h, TsScenarioWorker).
 *
 * A sweep's worker process runs variant after variant of one script.  With a new sandbox per variant, half of
 * a variant's instructions went to making the state, loading the prelude's bytecode, parsing the script and
 * closing the state again (docs/performance.md, section 6).  A worker instead makes its sandbox once, loads
 * the prelude and the script once (compiled functions kept by registry references), and before each run
 * resets the sandbox (sandbox-reuse.c: fresh globals and libraries, the limits' counts from zero) and points
 * the two main chunks' _ENV at the new globals.  The prelude's top level and the script's then run as in a new
 * sandbox, so every table and closure they make is the run's own.
 *
 * A full collection before each run makes every run start on the same heap, whatever ran before it in the
 * worker.  What a run could still read of the heap's history (collectgarbage, weak tables) marks the sandbox
 * tainted and the run is made again in a new sandbox, as is a run the memory cap stopped; a killed sandbox
 * is never reset (its kill is sticky): the next run makes a new one. */
#include "scenario/scenario-private.h"

#include <lauxlib.h>
#include <string.h>

struct TsScenarioWorker {
  TsSandbox *sb;          /* NULL until the first run, and after a run that left it unusable */
  gboolean set_up;        /* the key below is the one of the last set-up (sb, or the failure to make it) */
  gboolean setup_failed;  /* the script does not load: every run makes a new sandbox (which says why) */
  TsSandboxLimits limits; /* what sb was made with, seed aside */
  char *path;
  const char *source;
  gsize source_len;
  int prelude_ref, script_ref;
  char *script_name; /* the script's name in messages */
  guint64 kept, fresh;
};

TsScenarioWorker *
ts_scenario_worker_new(void)
{
  TsScenarioWorker *w = g_new0(TsScenarioWorker, 1);
  w->prelude_ref = w->script_ref = LUA_NOREF;
  return w;
}

static void
drop_sandbox(TsScenarioWorker *w)
{
  g_clear_pointer(&w->sb, ts_sandbox_free); /* the references go with the state */
  w->prelude_ref = w->script_ref = LUA_NOREF;
  g_clear_pointer(&w->script_name, g_free);
}

void
ts_scenario_worker_free(TsScenarioWorker *worker)
{
  if (worker == NULL)
    return;
  drop_sandbox(worker);
  g_free(worker->path);
  g_free(worker);
}

void
ts_scenario_worker_get_counts(const TsScenarioWorker *worker, guint64 *kept, guint64 *fresh)
{
  g_return_if_fail(worker != NULL);
  if (kept != NULL)
    *kept = worker->kept;
  if (fresh != NULL)
    *fresh = worker->fresh;
}

static gboolean
same_limits(const TsSandboxLimits *a, const TsSandboxLimits *b)
{
  return a->max_instructions == b->max_instructions && a->max_memory == b->max_memory &&
         a->max_output == b->max_output && a->cpu_limit_s == b->cpu_limit_s && a->cpu_grace_s == b->cpu_grace_s &&
         a->unsafe == b->unsafe;
}

static gboolean
same_script(const TsScenarioWorker *w, const TsScenarioOptions *o)
{
  return same_limits(&w->limits, &o->limits) && g_strcmp0(w->path, o->path) == 0 && w->source == o->source &&
         w->source_len == o->source_len;
}

/* Make the sandbox, keep its pristine globals, load the prelude and the script.  FALSE when any of it fails:
 * a new sandbox per run then says why, as it always did. */
static gboolean
set_up(TsScenarioWorker *w, const TsScenarioOptions *o)
{
  drop_sandbox(w);
  w->set_up = TRUE;
  w->setup_failed = TRUE;
  w->limits = o->limits;
  g_free(w->path);
  w->path = g_strdup(o->path);
  w->source = o->source;
  w->source_len = o->source_len;
  w->sb = ts_sandbox_new(&o->limits, NULL);
  if (w->sb == NULL || !ts_sandbox_save_globals(w->sb, NULL) ||
      !scenario_load_script(w->sb, o, &w->prelude_ref, &w->script_ref, NULL)) {
    drop_sandbox(w);
    return FALSE;
  }
  w->script_name = ts_sandbox_dup_chunkname(w->sb);
  w->setup_failed = FALSE;
  return TRUE;
}

static void
point_env(lua_State *L, int ref)
{
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  if (lua_setupvalue(L, -2, 1) == NULL) /* a main chunk's one upvalue is _ENV */
    lua_pop(L, 1);
  lua_pop(L, 1);
}

TsSandbox *
scenario_worker_begin(TsScenarioWorker *worker, const TsScenarioOptions *options)
{
  g_return_val_if_fail(worker != NULL && options != NULL, NULL);
  const TsScenarioOptions *o = options;
  /* Not for a run with outputs (sinks), which a run made again would feed twice, nor for trainsim plan's. */
  if (o->limits.unsafe || o->sinks != NULL || o->train_hook != NULL || o->plan_clusters != NULL ||
      o->plan_precisions != NULL || o->plan_cluster > 0 || o->against_pass || o->path == NULL)
    return NULL;
  if (!worker->set_up || !same_script(worker, o)) {
    if (!set_up(worker, o))
      return NULL;
  } else if (worker->setup_failed) {
    return NULL;
  } else if (worker->sb == NULL && !set_up(worker, o)) {
    return NULL;
  }
  if (!ts_sandbox_reset(worker->sb, o->limits.seed, NULL)) {
    drop_sandbox(worker);
    return NULL;
  }
  lua_State *L = ts_sandbox_get_state(worker->sb);
  point_env(L, worker->prelude_ref);
  point_env(L, worker->script_ref);
  lua_gc(L, LUA_GCCOLLECT); /* the last run's globals are garbage now: every run starts on the same heap */
  return worker->sb;
}

void
scenario_worker_push_prelude(TsScenarioWorker *worker, lua_State *L)
{
  lua_rawgeti(L, LUA_REGISTRYINDEX, worker->prelude_ref);
  ts_sandbox_set_chunkname(worker->sb, "trainsim-prelude");
}

void
scenario_worker_push_script(TsScenarioWorker *worker, lua_State *L)
{
  lua_rawgeti(L, LUA_REGISTRYINDEX, worker->script_ref);
  ts_sandbox_set_chunkname(worker->sb, worker->script_name);
}

gboolean
scenario_worker_end(TsScenarioWorker *worker)
{
  TsSandbox *sb = worker->sb;
  gboolean stands = !ts_sandbox_is_tainted(sb) && !ts_sandbox_is_killed_by_memory(sb);
  if (!stands || ts_sandbox_is_killed(sb))
    drop_sandbox(worker);
  if (stands)
    worker->kept++;
  return stands;
}

void
scenario_worker_count_fresh(TsScenarioWorker *worker)
{
  worker->fresh++;
}
