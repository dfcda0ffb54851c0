#include "scenario/replicas.h"

#include "common/ts-error.h"
#include "run/quantiles.h"

#include <math.h>
#include <stdlib.h>

double
ts_percentile_sorted(const double *sorted, guint n, double p)
{
  if (n == 0)
    return NAN;
  guint rank = (guint) ceil(p / 100.0 * n);
  if (rank < 1)
    rank = 1;
  if (rank > n)
    rank = n;
  return sorted[rank - 1];
}

static int
compare_doubles(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

gboolean
ts_replicas_run(const TsRegistry *registry, const TsScenarioOptions *options, guint n, TsReplicaStats *stats,
                GError **error)
{
  g_return_val_if_fail(n > 0, FALSE);
  g_autofree double *times = g_new(double, n);
  g_autofree double *costs = g_new(double, n);
  g_autofree TsDraw *draws = g_new(TsDraw, n);
  double band_error = 0;
  double failures = 0;
  guint feasible = 0;
  /* The replicas differ by their seed alone: one Lua state for them all, reset for each (scenario-worker.c), unless
   * the caller's worker (a sweep's) is at hand. */
  g_autoptr(TsScenarioWorker) own = options->worker == NULL ? ts_scenario_worker_new() : NULL;
  for (guint i = 0; i < n; i++) {
    TsScenarioOptions o = *options;
    o.limits.seed = options->limits.seed + i;
    o.sinks = NULL; /* outputs are the caller's first replica's business */
    o.worker = options->worker != NULL ? options->worker : own;
    GError *err = NULL;
    TsRun *run = ts_scenario_run(registry, &o, &err);
    if (run == NULL) {
      g_propagate_prefixed_error(error, err, "replica %u (seed %" G_GUINT64_FORMAT "): ", i, o.limits.seed);
      return FALSE;
    }
    const TsResults *r = ts_run_get_results(run);
    times[i] = r->total_time_s;
    costs[i] = r->cost_total;
    draws[i] = ts_draw_from_results(r);
    band_error = r->band_error; /* the same device and workload under every seed */
    failures += r->failures;
    feasible += r->feasible ? 1 : 0;
    g_clear_error(&err);
    ts_run_free(run);
  }
  gboolean costs_known = TRUE;
  for (guint i = 0; i < n; i++)
    costs_known = costs_known && !isnan(costs[i]);
  qsort(times, n, sizeof *times, compare_doubles);
  if (costs_known)
    qsort(costs, n, sizeof *costs, compare_doubles);
  stats->replicas = n;
  stats->automatic = FALSE; /* the caller says when it ran the set by itself */
  stats->feasible = feasible;
  stats->draws_time_p10_s = ts_percentile_sorted(times, n, 10);
  stats->draws_time_p50_s = ts_percentile_sorted(times, n, 50);
  stats->draws_time_p90_s = ts_percentile_sorted(times, n, 90);
  /* A cost without a price is unknown in every replica: so are its quantiles. */
  stats->draws_cost_p10_usd = costs_known ? ts_percentile_sorted(costs, n, 10) : NAN;
  stats->draws_cost_p50_usd = costs_known ? ts_percentile_sorted(costs, n, 50) : NAN;
  stats->draws_cost_p90_usd = costs_known ? ts_percentile_sorted(costs, n, 90) : NAN;
  stats->failures_mean = failures / n;
  /* The range every output gives: the draws combined with the model's band (run/quantiles.h). */
  TsQuantiles *q = &stats->quantiles;
  ts_quantiles_combine(draws, n, band_error, q);
  stats->time_p10_s = q->time_s[0];
  stats->time_p50_s = q->time_s[1];
  stats->time_p90_s = q->time_s[2];
  stats->cost_p10_usd = q->cost_usd[0];
  stats->cost_p50_usd = q->cost_usd[1];
  stats->cost_p90_usd = q->cost_usd[2];
  return TRUE;
}
