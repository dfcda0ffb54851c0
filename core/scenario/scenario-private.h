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

/* The script's global plan = { clusters = { cluster{...}, ... }, precisions = { ... } } (scenario-plan.c): the
 * clusters (TsCluster*, an empty array when there is no plan table), the precisions appended to `precisions` when
 * it is not NULL; NULL with an error naming `path` when the table is not one. */
GPtrArray *scenario_read_plan_clusters(lua_State *L, TsBindings *b, const char *path, GArray *precisions,
                                       GError **error);

/* The prelude and the script loaded (not run) into `sb`, as ts_scenario_run loads them, each kept by a registry
 * reference (scenario-worker.c keeps them for every run of a worker). */
gboolean scenario_load_script(TsSandbox *sb, const TsScenarioOptions *options, int *prelude_ref, int *script_ref,
                              GError **error);

/* A worker's kept sandbox (scenario-worker.c).  begin: the sandbox reset for a run of `options`, the kept prelude
 * and script pointed at its new globals; NULL when this run cannot use one (then a new sandbox runs it).
 * push_prelude / push_script: the kept chunk, to call, named in messages as loading it named it.  end, after the
 * run: TRUE when its answer stands, FALSE when a new sandbox must run it again (it read the collector's state,
 * or the memory cap stopped it); the sandbox is kept only for a run that was not killed. */
TsSandbox *scenario_worker_begin(TsScenarioWorker *worker, const TsScenarioOptions *options);
void scenario_worker_push_prelude(TsScenarioWorker *worker, lua_State *L);
void scenario_worker_push_script(TsScenarioWorker *worker, lua_State *L);
gboolean scenario_worker_end(TsScenarioWorker *worker);
void scenario_worker_count_fresh(TsScenarioWorker *worker);

#endif
