/* What a scenario asks plan to solve: it runs once in Lua, as `trainsim run` would, and its one r:train gives
 * the model, data, schedule and the layout it states; its cluster and the script's plan.clusters are the
 * hardware to choose from. */
#include "plan/plan-private.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

static gboolean
capture_train(TsTrainSpec *spec, const char *where, void *data, GError **error)
{
  (void) error;
  TsPlanProblem *p = data;
  if (p->trains++ == 0) {
    p->spec = *spec;
    p->spec.model = ts_model_copy(spec->model);
    p->spec.data = ts_dataset_copy(spec->data);
    p->spec.optimizer = g_strdup(spec->optimizer);
    p->where = g_strdup(where);
    p->ramp = spec->ramp_segments > 0;
  }
  return TRUE;
}

static void
hardware_free(gpointer data)
{
  TsPlanHardware *h = data;
  g_free(h->name);
  g_free(h->rate_desc);
  ts_cluster_free(h->cluster);
  g_free(h);
}

static void
pool_free(gpointer data)
{
  GAsyncQueue *q = data;
  TsRun *run;
  while ((run = g_async_queue_try_pop(q)) != NULL)
    ts_run_free(run);
  g_async_queue_unref(q);
}

void
ts_plan_problem_free(TsPlanProblem *p)
{
  if (p == NULL)
    return;
  ts_model_free(p->spec.model);
  ts_dataset_free(p->spec.data);
  g_free(p->spec.optimizer);
  g_free(p->where);
  if (p->precisions)
    g_array_unref(p->precisions);
  if (p->pools)
    g_ptr_array_unref(p->pools);
  if (p->hardware)
    g_ptr_array_unref(p->hardware);
  g_free(p);
}

/* "H100-SXM5-80GB x 16384 (p5.48xlarge, spot)": what a hardware choice is, in a row of the table. */
static char *
hardware_name(const TsCluster *c)
{
  const TsMachineGroup *a = &c->accel;
  const char *pricing = a->owned ? "owned" : ts_pricing_get_name(a->pricing);
  if (a->slice != NULL)
    return a->slices > 1 ? g_strdup_printf("%u x %s (%u chips, %s)", a->slices, a->slice, a->devices, pricing)
                         : g_strdup_printf("%s (%u chips, %s)", a->slice, a->devices, pricing);
  if (a->instance != NULL)
    return g_strdup_printf("%s x %u (%s, %s)", a->record->sku, a->devices, a->instance->name, pricing);
  return g_strdup_printf("%s x %u (%s)", a->record->sku, a->devices, pricing);
}

TsRun *
plan_problem_take_run(TsPlanProblem *p, guint hw, GError **error)
{
  TsRun *run = g_async_queue_try_pop(g_ptr_array_index(p->pools, hw));
  if (run != NULL)
    return run;
  TsPlanHardware *h = g_ptr_array_index(p->hardware, hw);
  TsRunInfo info = {p->scenario.path, p->scenario.limits.seed, NULL, FALSE};
  run = ts_run_new(p->registry, &info);
  if (!ts_run_set_cluster(run, ts_cluster_copy(h->cluster), error)) {
    g_prefix_error(error, "%s: %s: ", p->scenario.path, h->name);
    ts_run_free(run);
    return NULL;
  }
  return run;
}

void
plan_problem_give_run(TsPlanProblem *p, guint hw, TsRun *run)
{
  g_async_queue_push(g_ptr_array_index(p->pools, hw), run);
}

/* The planned steps as ts_run_train counts them, for a scenario whose own layout did not get that far. */
static guint64
planned_steps(const TsTrainSpec *s)
{
  double useful = 1.0 - s->padding, seq = s->model->seq > 0 ? s->model->seq : 1;
  if (s->steps > 0)
    return s->steps;
  if (s->tokens > 0)
    return (guint64) ceil(s->tokens / ((double) s->batch * seq * useful));
  double per_epoch = ceil((double) s->data->samples / ((double) s->batch * useful));
  return (guint64) MAX(1.0, round(s->epochs * per_epoch));
}

TsPlanProblem *
ts_plan_problem_new(const TsRegistry *registry, const TsScenarioOptions *scenario, GError **error)
{
  TsPlanProblem *p = g_new0(TsPlanProblem, 1);
  p->registry = registry;
  p->scenario = *scenario;
  p->scenario.sinks = NULL;
  TsScenarioOptions o = p->scenario;
  o.train_hook = capture_train;
  o.hook_data = p;
  GPtrArray *alternatives = NULL;
  o.plan_clusters = &alternatives;
  g_autoptr(GArray) listed = g_array_new(FALSE, FALSE, sizeof(TsPrecision));
  o.plan_precisions = listed;
  GError *err = NULL;
  TsRun *run = ts_scenario_run(registry, &o, &err);
  if (run == NULL) {
    g_propagate_error(error, err);
    ts_plan_problem_free(p);
    return NULL;
  }
  g_clear_error(&err); /* infeasible as written is still a problem to solve */
  if (p->trains != 1) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: plan searches the layout of one training; this scenario "
                "calls r:train %u times", scenario->path, p->trains);
    goto fail;
  }
  if (p->ramp) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: plan does not search a batch ramp's layouts (batch = "
                "{ {upto = ..., size = ...}, ... }): give one batch size", p->where);
    goto fail;
  }
  /* The precisions searched: the scenario's, then those plan.precisions allows besides it. */
  p->precisions = g_array_new(FALSE, FALSE, sizeof(TsPrecision));
  g_array_append_val(p->precisions, p->spec.precision);
  for (guint i = 0; i < listed->len; i++) {
    TsPrecision q = g_array_index(listed, TsPrecision, i);
    gboolean seen = FALSE;
    for (guint j = 0; j < p->precisions->len; j++)
      seen = seen || g_array_index(p->precisions, TsPrecision, j) == q;
    if (!seen)
      g_array_append_val(p->precisions, q);
  }
  p->results = *ts_run_get_results(run);
  p->scenario_trained = p->results.steps > 0 && p->results.step_time_s > 0;
  p->steps = p->scenario_trained ? p->results.steps : planned_steps(&p->spec);
  /* The scenario's phases besides its training -- provisioning, downloads, staging, release -- as its run
   * gives them: a layout changes the steps, not those. */
  double fixed = p->results.total_time_s - p->results.train_time_s;
  p->hardware = g_ptr_array_new_with_free_func(hardware_free);
  p->pools = g_ptr_array_new_with_free_func(pool_free);
  for (guint i = 0; i <= alternatives->len; i++) {
    TsPlanHardware *h = g_new0(TsPlanHardware, 1);
    h->cluster = ts_cluster_copy(i == 0 ? ts_run_get_cluster(run) : g_ptr_array_index(alternatives, i - 1));
    h->name = hardware_name(h->cluster);
    h->fixed_s = MAX(0.0, fixed);
    g_ptr_array_add(p->hardware, h);
    g_ptr_array_add(p->pools, g_async_queue_new());
    TsRun *probe = plan_problem_take_run(p, i, error);
    if (probe == NULL)
      goto fail;
    const char *desc = NULL;
    h->rate_usd_per_s = ts_run_get_cluster_rate(probe, &desc);
    h->rate_desc = g_strdup(desc);
    plan_problem_give_run(p, i, probe);
  }
  g_ptr_array_unref(alternatives);
  ts_run_free(run);
  return p;

fail:
  if (alternatives)
    g_ptr_array_unref(alternatives);
  ts_run_free(run);
  ts_plan_problem_free(p);
  return NULL;
}

void
plan_layout_apply(const TsPlanLayout *l, TsTrainSpec *s)
{
  s->tp = l->tp;
  s->pp = l->pp;
  s->vp = l->vp;
  s->cp = l->cp;
  s->ep = l->ep;
  s->zero = l->zero;
  s->micro_batch = l->micro;
  s->sequence_parallel = l->sp;
  s->recompute = l->recompute == TS_PLAN_RECOMPUTE_FULL;
  s->recompute_auto = l->recompute == TS_PLAN_RECOMPUTE_AUTO;
  s->shard_group = l->shard_group;
  s->precision = l->precision;
}

gboolean
ts_plan_problem_estimate(TsPlanProblem *p, const TsPlanLayout *layout, TsTrainEstimate *out, GError **error)
{
  if (layout->hw >= p->hardware->len) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "hardware %u of %u", layout->hw, p->hardware->len);
    return FALSE;
  }
  TsRun *run = plan_problem_take_run(p, layout->hw, error);
  if (run == NULL)
    return FALSE;
  TsTrainSpec s = p->spec;
  plan_layout_apply(layout, &s);
  gboolean ok = ts_train_estimate(run, &s, out, error);
  plan_problem_give_run(p, layout->hw, run);
  return ok;
}
