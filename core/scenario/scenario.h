/* Running a scenario script: sandbox, prelude, the user's script, then the run function as a
 * simulation process on the engine. */
#ifndef TS_SCENARIO_H
#define TS_SCENARIO_H

#include <glib.h>

#include "plugin/plugin-host.h"
#include "run/run.h"
#include "scenario/sandbox.h"

/* A Lua state kept from one ts_scenario_run to the next of the same script (scenario-worker.c): a sweep's worker
 * runs its variants in one, each with fresh globals, instead of a new sandbox each.  Not thread-safe: one per
 * thread. */
typedef struct TsScenarioWorker TsScenarioWorker;

TsScenarioWorker *ts_scenario_worker_new(void);
void ts_scenario_worker_free(TsScenarioWorker *worker);
/* Runs whose answer came from the kept state, and runs a new sandbox made (tests and the bench read them). */
void ts_scenario_worker_get_counts(const TsScenarioWorker *worker, guint64 *kept, guint64 *fresh);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsScenarioWorker, ts_scenario_worker_free)

typedef struct {
  const char *path;        /* the script's file, or its name in messages when `source` is given */
  const char *source;      /* the script's text when it does not come from a file (standard input); may be NULL */
  gsize source_len;
  const char *const *sets; /* "name=value", NULL-terminated; may be NULL */
  TsSandboxLimits limits;
  gboolean step_events; /* one event per step (tests of aggregation) */
  GPtrArray *sinks;     /* TsSink* to attach to the run (outputs), may be NULL */
  /* Limits on the simulation itself (docs/testing.md, "Contained"): the engine events one run may dispatch,
   * and the simulated time it may reach.  Past either the run ends with TS_ERROR_LIMIT naming the line of
   * the action in progress. */
  guint64 max_events;   /* TS_SCENARIO_MAX_EVENTS by default; 0: none */
  double horizon_s;     /* TS_SCENARIO_HORIZON_S by default; always below the clock's ~292 years */
  /* For trainsim plan (core/plan/).  train_hook, when set, is called with each r:train's spec (model and data
   * read, the layout as the script gives it) before the run model sees it, and may change its layout; FALSE
   * (with *error) stops the run.  plan_clusters, when set, receives the script's global plan.clusters, a list
   * of cluster{...} read as the scenario's own cluster is (TsCluster*, freed with the array; an empty array
   * when the script has no plan table).  plan_cluster > 0 runs the script on plan.clusters[plan_cluster]
   * instead of its own cluster (with its identity, so r:provision(cluster.accelerator) still names it).
   * plan_precisions, when set with plan_clusters, receives plan.precisions (TsPrecision values appended). */
  gboolean (*train_hook)(TsTrainSpec *spec, const char *where, void *data, GError **error);
  void *hook_data;
  GPtrArray **plan_clusters;
  GArray *plan_precisions;
  guint plan_cluster;
  /* The break-even's second run (set by ts_scenario_run itself): the script's owned machines replaced by the rented
   * alternative their owned = { against = ... } names (docs/model.md, "Owned hardware and commitments"). */
  gboolean against_pass;
  /* When set, the run uses the worker's kept Lua state (reset) where it can: not with sinks or the plan fields
   * above, nor for an unsafe sandbox; a run whose answer could depend on the state's history (it read the collector's
   * state, or hit the memory cap) is run again in a new sandbox, whose answer is returned.  Either way the
   * answer is the one a new sandbox gives. */
  TsScenarioWorker *worker;
} TsScenarioOptions;

#define TS_SCENARIO_MAX_EVENTS G_GUINT64_CONSTANT(1000000)
#define TS_SCENARIO_HORIZON_S (100 * 31557600.0) /* 100 years */
#define TS_SCENARIO_HORIZON_MAX_S (200 * 31557600.0) /* the clock (int64 ns) ends at about 292 years */

void ts_scenario_options_init(TsScenarioOptions *options);
/* The simulation limits given on a command line: max_events (< 0: not given) and horizon, a duration such as
 * "150 years" (NULL: not given).  FALSE with TS_ERROR_USAGE when one is out of range. */
gboolean ts_scenario_options_parse_limits(TsScenarioOptions *options, gint64 max_events, const char *horizon,
                                          GError **error);

/* Run the scenario to the end of its simulation.  Returns the run (also when infeasible: then *error is
 * set with TS_ERROR_INFEASIBLE and the run holds the diagnostics), or NULL on a scenario error. */
TsRun *ts_scenario_run(const TsRegistry *registry, const TsScenarioOptions *options, GError **error);

/* Run the script's top level only (the run function is never started) and read its global table `name`:
 * *fields maps each string key to a GVariant holding a string ("s"), a number ("d") or a boolean ("b"); other
 * values are left out.  *fields is NULL when the global is not a table.  FALSE on a scenario error. */
gboolean ts_scenario_read_table(const TsRegistry *registry, const TsScenarioOptions *options, const char *name,
                                GHashTable **fields, GError **error);

/* The embedded prelude (generated from the four prelude-*.lua files at build time). */
extern const char ts_prelude_lua[];
extern const unsigned int ts_prelude_lua_len;
/* The same chunk as Lua bytecode with its debug information, compiled at build time (precompile.c). */
extern const unsigned char ts_prelude_luac[];
extern const unsigned int ts_prelude_luac_len;

#endif
