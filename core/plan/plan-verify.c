/* The best plans of the search played as whole runs of the scenario, their layout (and hardware) in place of
 * the script's: their time and cost are then what `trainsim run` gives for them -- checkpoints, evaluations,
 * failures and restarts, every phase -- and, for a run with random failures or spot preemption, the chosen
 * percentile of a replica set (seeds seed .. seed + replicas - 1, as `trainsim run --replicas` draws them). */
#include "plan/plan-private.h"

#include "common/ts-error.h"
#include "run/quantiles.h"
#include "scenario/replicas.h"

#include <math.h>

static gboolean
apply_layout(TsTrainSpec *spec, const char *where, void *data, GError **error)
{
  (void) where;
  (void) error;
  plan_layout_apply(data, spec);
  return TRUE;
}

static gboolean
verify_one(TsPlanProblem *p, const TsPlanOptions *o, TsPlanCandidate *c, GError **error)
{
  TsScenarioOptions so = p->scenario;
  so.train_hook = apply_layout;
  so.hook_data = &c->layout;
  so.plan_cluster = c->layout.hw;
  so.plan_clusters = NULL;
  GError *err = NULL;
  TsRun *run = ts_scenario_run(p->registry, &so, &err);
  if (run == NULL) {
    g_propagate_prefixed_error(error, err, "playing the plan (tensor %u, pipeline %u): ", c->layout.tp, c->layout.pp);
    return FALSE;
  }
  const TsResults *res = ts_run_get_results(run);
  c->verified = TRUE;
  c->run_feasible = err == NULL && res->feasible;
  c->run_replicas = 1;
  /* A run without random failures is one draw; its range is the model's error band alone, as every output
   * gives it (run/quantiles.h), so that plans with and without failures are judged at the same percentile. */
  TsDraw draw = ts_draw_from_results(res);
  TsQuantiles q;
  ts_quantiles_combine(&draw, 1, res->band_error, &q);
  c->run_time_p50_s = q.time_s[1];
  c->run_time_p90_s = q.time_s[2];
  c->run_cost_p50_usd = q.cost_usd[1];
  c->run_cost_p90_usd = q.cost_usd[2];
  gboolean random = res->failures_modelled;
  g_clear_error(&err);
  ts_run_free(run);
  if (random && c->run_feasible && o->replicas > 1) {
    TsReplicaStats st = {0};
    if (!ts_replicas_run(p->registry, &so, o->replicas, &st, error))
      return FALSE;
    c->run_replicas = o->replicas;
    c->run_feasible = st.feasible == st.replicas;
    c->run_time_p50_s = st.time_p50_s;
    c->run_time_p90_s = st.time_p90_s;
    c->run_cost_p50_usd = st.cost_p50_usd;
    c->run_cost_p90_usd = st.cost_p90_usd;
  }
  c->run_time_s = o->quantile == 90 ? c->run_time_p90_s : c->run_time_p50_s;
  c->run_cost_usd = o->quantile == 90 ? c->run_cost_p90_usd : c->run_cost_p50_usd;
  c->over_deadline = !isnan(o->deadline_s) && c->run_time_s > o->deadline_s;
  c->over_budget = !isnan(o->budget_usd) && !(c->run_cost_usd <= o->budget_usd);
  return TRUE;
}

/* The most plans one choice plays before it settles for the best found (a run with random failures plays each
 * with --replicas seeds). */
#define MAX_PLAYED 24

typedef struct {
  TsPlanProblem *p;
  const TsPlanOptions *o;
  GHashTable *played; /* candidate index -> its played copy (TsPlanCandidate*), each candidate played once */
  guint64 plays;
} Player;

static gboolean
play(Player *pl, const TsPlanCandidate *c, TsPlanCandidate **out, GError **error)
{
  *out = g_hash_table_lookup(pl->played, &c->index);
  if (*out != NULL)
    return TRUE;
  TsPlanCandidate *copy = g_memdup2(c, sizeof *c);
  if (!verify_one(pl->p, pl->o, copy, error)) {
    g_free(copy);
    return FALSE;
  }
  pl->plays++;
  g_hash_table_insert(pl->played, &copy->index, copy);
  *out = copy;
  return TRUE;
}

/* The objective's primary value: of the run once played, of the estimate before. */
static double
primary(const TsPlanCandidate *c, TsPlanObjective objective)
{
  double v = objective == TS_PLAN_COST ? plan_cost_of(c) : plan_time_of(c);
  return isnan(v) ? plan_time_of(c) : v;
}

typedef struct {
  double time, cost;
} Ratio;

/* Play the ranked candidates in order, skipping those whose run would be past the limits or could not beat the
 * `keep` runs that met them so far, until none is left (or MAX_PLAYED have been played); those, ranked by their
 * runs, into `to`.
 *
 * Would: a candidate's estimate bounds its run from below (checkpoints, evaluations, failures and restarts only
 * add time, and cost with it; the percentile adds the model's error band).  These add roughly the same fraction
 * whatever the layout, so once a hardware choice has a played run, its estimates are scaled by the least run /
 * estimate ratios (time, cost) played on it: a prediction rather than a strict bound, which keeps a run with
 * failures from playing every layout within its failures' overhead of the best. */
static gboolean
choose(Player *pl, GPtrArray *ranked, guint keep, gboolean fallback, GArray *to, GError **error)
{
  const TsPlanOptions *o = pl->o;
  gboolean pareto = o->objective == TS_PLAN_PARETO;
  TsPlanObjective by = pareto ? TS_PLAN_TIME : o->objective;
  g_autoptr(GArray) good = g_array_new(FALSE, FALSE, sizeof(TsPlanCandidate));
  guint played = 0;
  TsPlanCandidate *first = NULL; /* the first played, for a choice none of whose runs meets the limits */
  /* per hardware: the least run / estimate ratios of time and cost played on it; 0 before any (then the
   * estimate itself is the bound) */
  g_autoptr(GArray) ratio = g_array_new(FALSE, TRUE, sizeof(Ratio));
  for (guint i = 0; i < ranked->len && played < MAX_PLAYED; i++) {
    const TsPlanCandidate *c = g_ptr_array_index(ranked, i);
    if (c->layout.hw >= ratio->len)
      g_array_set_size(ratio, c->layout.hw + 1); /* zeroed */
    Ratio *r = &g_array_index(ratio, Ratio, c->layout.hw);
    double time = c->time_s * (r->time > 0 ? r->time : 1.0), cost = c->cost_usd * (r->cost > 0 ? r->cost : 1.0);
    double predicted = by == TS_PLAN_COST && !isnan(cost) ? cost : time;
    if ((!isnan(o->deadline_s) && time > o->deadline_s) || (!isnan(o->budget_usd) && cost > o->budget_usd))
      continue; /* its run would be past the limits */
    if (!pareto && good->len >= keep && predicted > primary(&g_array_index(good, TsPlanCandidate, keep - 1), by))
      continue; /* its run would not be among the best */
    if (pareto && good->len >= keep)
      break;
    TsPlanCandidate *run;
    if (!play(pl, c, &run, error))
      return FALSE;
    played++;
    if (first == NULL)
      first = run;
    if (c->time_s > 0 && isfinite(run->run_time_s)) {
      double q = MAX(1.0, run->run_time_s / c->time_s);
      r->time = r->time > 0 ? MIN(r->time, q) : q;
    }
    if (c->cost_usd > 0 && isfinite(run->run_cost_usd)) {
      double q = MAX(1.0, run->run_cost_usd / c->cost_usd);
      r->cost = r->cost > 0 ? MIN(r->cost, q) : q;
    }
    if (!plan_meets(run))
      continue;
    g_array_append_val(good, *run);
    for (guint j = good->len - 1; j > 0; j--) { /* keep `good` ranked: insertion */
      TsPlanCandidate *a = &g_array_index(good, TsPlanCandidate, j - 1), *b = a + 1;
      if (plan_compare(a, b, by) <= 0)
        break;
      TsPlanCandidate t = *a;
      *a = *b;
      *b = t;
    }
  }
  if (!pareto) {
    for (guint i = 0; i < good->len && i < keep; i++)
      g_array_append_val(to, g_array_index(good, TsPlanCandidate, i));
    if (fallback && good->len == 0 && first != NULL)
      g_array_append_val(to, *first);
    return TRUE;
  }
  /* The front again, of what the runs gave. */
  g_autoptr(GPtrArray) front = plan_ranked(good, o, -1);
  plan_take(front, to, keep, TRUE);
  return TRUE;
}

gboolean
plan_verify(TsPlanProblem *p, const TsPlanOptions *o, TsPlanResult *r, GError **error)
{
  Player pl = {p, o, g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, g_free), 0};
  g_autoptr(GPtrArray) ranked = plan_ranked(r->candidates, o, -1);
  gboolean ok = choose(&pl, ranked, o->top, FALSE, r->plans, error);
  TsPlanOptions single = *o;
  if (single.objective == TS_PLAN_PARETO)
    single.objective = TS_PLAN_COST;
  Player one = pl;
  one.o = &single;
  one.plays = 0;
  for (guint hw = 0; ok && hw < p->hardware->len && p->hardware->len > 1; hw++) {
    g_autoptr(GPtrArray) mine = plan_ranked(r->candidates, &single, (gint) hw);
    guint had = r->per_hardware->len;
    ok = choose(&one, mine, 1, TRUE, r->per_hardware, error);
    const TsPlanCandidate *any = mine->len == 0 ? plan_best_any(r->candidates, o->objective, hw) : NULL;
    if (ok && r->per_hardware->len == had && any != NULL) /* no estimate within the limits: the best says by how much */
      g_array_append_val(r->per_hardware, *any);
  }
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, pl.played);
  while (g_hash_table_iter_next(&it, &key, &value))
    r->failures = r->failures || ((TsPlanCandidate *) value)->run_replicas > 1;
  r->played = pl.plays + one.plays;
  g_hash_table_unref(pl.played);
  return ok;
}
