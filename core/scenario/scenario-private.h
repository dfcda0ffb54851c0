/* Shared by scenario.c (one run()) and jobs.c (several job{}s on one cluster). */
#ifndef TS_SCENARIO_PRIVATE_H
#define TS_SCENARIO_PRIVATE_H

#include "scenario/bindings.h"
#include "scenario/sandbox.h"
#include "scenario/scenario.h"

/* Plays the run function held at registry reference `process_ref` on `run` (its cluster set, with id
 * `cluster_id`) from time 0 to its end, then closes the run's books.  The first error that stopped it, or NULL. */
GError *scenario_play(TsRun *run, TsSandbox *sb, TsBindings *b, int process_ref, int cluster_id,
                      const TsScenarioOptions *options);

/* The scenario's job{}s: each played alone on its share of the cluster, then placed by the cluster's scheduler.
 * The cluster's run (its outputs: a track per job, the pool's bill, jobs[] in the summary); NULL with an error
 * when it could not run, or the run with an infeasible error (a job that did not fit). */
TsRun *scenario_run_jobs(const TsRegistry *registry, const TsScenarioOptions *options, TsSandbox *sb, TsBindings *b,
                         GError **error);

#endif
