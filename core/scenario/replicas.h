/* --replicas N: the same scenario under N seeds (seed, seed + 1, ...), for the spread that random failures
 * and preemptions give: P10, P50 and P90 of wall time and cost, the draws alone (nearest rank) and combined
 * with the model's error band (run/quantiles.h), the range every output gives. */
#ifndef TS_REPLICAS_H
#define TS_REPLICAS_H

#include <glib.h>

#include "scenario/scenario.h"

/* The replica set `trainsim run` uses by itself when a run has random failures or spot preemption. */
#define TS_AUTO_REPLICAS 100

/* Runs options->limits.seed + i for i < n.  A scenario error in any replica is an error; infeasible replicas
 * are counted, not errors. */
gboolean ts_replicas_run(const TsRegistry *registry, const TsScenarioOptions *options, guint n,
                         TsReplicaStats *stats, GError **error);

/* Nearest-rank percentile of sorted values (p in (0, 100]). */
double ts_percentile_sorted(const double *sorted, guint n, double p);

#endif
