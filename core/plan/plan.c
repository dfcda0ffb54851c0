/* trainsim plan, from end to end: the problem, the search, the verification of the best plans. */
#include "plan/plan-private.h"

#include "common/ts-error.h"

#include <math.h>
#include <string.h>

const char *
ts_plan_recompute_get_name(TsPlanRecompute r)
{
  static const char *const names[] = {"none", "auto", "full"};
  return (guint) r < G_N_ELEMENTS(names) ? names[r] : "?";
}

const char *
ts_plan_objective_get_name(TsPlanObjective o)
{
  static const char *const names[] = {"cost", "time", "pareto"};
  return (guint) o < G_N_ELEMENTS(names) ? names[o] : "?";
}

void
ts_plan_options_init(TsPlanOptions *o)
{
  memset(o, 0, sizeof *o);
  o->objective = TS_PLAN_COST;
  o->deadline_s = NAN;
  o->budget_usd = NAN;
  o->quantile = 50;
  o->top = 5;
  o->replicas = 20;
  o->verify = TRUE;
}

void
ts_plan_result_free(TsPlanResult *r)
{
  if (r == NULL)
    return;
  g_free(r->scenario);
  g_free(r->where);
  if (r->hardware)
    g_ptr_array_unref(r->hardware);
  if (r->candidates)
    g_array_unref(r->candidates);
  if (r->plans)
    g_array_unref(r->plans);
  if (r->families)
    g_array_unref(r->families);
  if (r->per_hardware)
    g_array_unref(r->per_hardware);
  if (r->precisions)
    g_array_unref(r->precisions);
  g_free(r);
}

TsPlanResult *
ts_plan_run(const TsRegistry *registry, const TsScenarioOptions *scenario, const TsPlanOptions *options,
            GError **error)
{
  TsPlanProblem *p = ts_plan_problem_new(registry, scenario, error);
  if (p == NULL)
    return NULL;
  TsPlanResult *r = g_new0(TsPlanResult, 1);
  r->options = *options;
  r->scenario = g_strdup(scenario->path);
  r->where = g_strdup(p->where);
  r->steps = p->steps;
  r->precisions = g_array_copy(p->precisions);
  r->candidates = g_array_new(FALSE, FALSE, sizeof(TsPlanCandidate));
  r->plans = g_array_new(FALSE, FALSE, sizeof(TsPlanCandidate));
  r->families = g_array_new(FALSE, FALSE, sizeof(TsPlanFamily));
  r->per_hardware = g_array_new(FALSE, FALSE, sizeof(TsPlanCandidate));
  /* The scenario's own layout, estimated by the same model, for comparison. */
  const TsTrainSpec *s = &p->spec;
  TsPlanLayout own = {.tp = MAX(1u, s->tp), .pp = MAX(1u, s->pp), .vp = MAX(1u, s->vp), .cp = MAX(1u, s->cp),
                      .ep = MAX(1u, s->ep), .zero = s->zero, .precision = s->precision, .sp = s->sequence_parallel, .shard_group = s->shard_group,
                      .recompute = s->recompute        ? TS_PLAN_RECOMPUTE_FULL
                                   : s->recompute_auto ? TS_PLAN_RECOMPUTE_AUTO
                                                       : TS_PLAN_RECOMPUTE_NONE};
  TsTrainEstimate est;
  TsRun *run = plan_problem_take_run(p, 0, error);
  gboolean ok = run != NULL;
  if (ok) {
    TsTrainSpec mine = *s;
    GError *err = NULL;
    if (ts_train_estimate(run, &mine, &est, &err)) {
      own.dp = est.data_parallel;
      own.micro = (guint) est.micro_batch;
      own.n_micro = est.micro_batches;
      r->scenario_fits = est.fits;
      r->scenario_step_s = est.fits ? est.step_s : NAN;
    } else {
      r->scenario_step_s = NAN;
      g_clear_error(&err);
    }
    plan_problem_give_run(p, 0, run);
  }
  r->scenario_layout = own;
  ok = ok && plan_search(p, options, r, error);
  if (ok && options->verify)
    ok = plan_verify(p, options, r, error);
  if (ok) {
    r->hardware = g_steal_pointer(&p->hardware);
  }
  ts_plan_problem_free(p);
  if (!ok) {
    ts_plan_result_free(r);
    return NULL;
  }
  return r;
}
