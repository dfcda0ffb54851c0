#include "scenario/replicas.h"

#include "common/ts-error.h"

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
  double failures = 0;
  guint feasible = 0;
  for (guint i = 0; i < n; i++) {
    TsScenarioOptions o = *options;
    o.limits.seed = options->limits.seed + i;
    o.sinks = NULL; /* outputs are the caller's first replica's business */
    GError *err = NULL;
    TsRun *run = ts_scenario_run(registry, &o, &err);
    if (run == NULL) {
      g_propagate_prefixed_error(error, err, "replica %u (seed %" G_GUINT64_FORMAT "): ", i, o.limits.seed);
      return FALSE;
    }
    const TsResults *r = ts_run_get_results(run);
    times[i] = r->total_time_s;
    costs[i] = r->cost_total;
    failures += r->failures;
    feasible += r->feasible ? 1 : 0;
    g_clear_error(&err);
    ts_run_free(run);
  }
  qsort(times, n, sizeof *times, compare_doubles);
  qsort(costs, n, sizeof *costs, compare_doubles);
  stats->replicas = n;
  stats->feasible = feasible;
  stats->time_p50_s = ts_percentile_sorted(times, n, 50);
  stats->time_p90_s = ts_percentile_sorted(times, n, 90);
  stats->cost_p50_usd = ts_percentile_sorted(costs, n, 50);
  stats->cost_p90_usd = ts_percentile_sorted(costs, n, 90);
  stats->failures_mean = failures / n;
  return TRUE;
}
