/* trainsim plan: search the parallel layout (and, where the scenario opens it up, the hardware) of a scenario's
 * training for the cheapest or fastest run that fits, meets a deadline and a budget.
 *
 * The scenario runs once in Lua for its model, data, schedule and cluster (plan-problem.c); the layouts are then
 * enumerated and timed in C against the run model's own estimate (run/estimate.h) on a pool of threads
 * (plan-search.c), memory pruning what cannot fit before anything is timed; the best plans are then played
 * as whole runs of the scenario (plan-verify.c), so their time and cost are those `trainsim run` gives,
 * checkpoints, failures and every other phase included.  docs/cli.md, "plan". */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include <glib.h>
#include <stdio.h>

#include "run/estimate.h"
#include "scenario/scenario.h"

typedef enum { TS_PLAN_COST, TS_PLAN_TIME, TS_PLAN_PARETO } TsPlanObjective;

/* How much of the layers' activations the backward pass recomputes: none, the least fraction that fits
 * device memory (the run model's "auto", which stands in for selective recomputation), or all of them. */
typedef enum { TS_PLAN_RECOMPUTE_NONE, TS_PLAN_RECOMPUTE_AUTO, TS_PLAN_RECOMPUTE_FULL } TsPlanRecompute;

const char *ts_plan_recompute_get_name(TsPlanRecompute r);
const char *ts_plan_objective_get_name(TsPlanObjective o);

typedef struct {
  TsPlanObjective objective;
  double deadline_s; /* NaN: none */
  double budget_usd; /* NaN: none */
  guint quantile;    /* 50 or 90: the percentile of time and cost judged for runs with random failures */
  guint top;         /* plans shown */
  guint threads;     /* 0: one per core */
  guint replicas;    /* seeds per verified plan of a run with random failures */
  gboolean verify;   /* play the best plans as whole runs (FALSE: the estimate only; tests of the search) */
} TsPlanOptions;

void ts_plan_options_init(TsPlanOptions *options);

/* One layout on one of the hardware choices. */
typedef struct {
  guint hw; /* index into the problem's hardware: 0 the scenario's own cluster, i plan.clusters[i] */
  guint tp, pp, vp, cp, ep, dp, zero, micro, n_micro;
  gboolean sp;       /* sequence parallelism */
  guint shard_group; /* ZeRO shards within groups of this many data-parallel ranks (hybrid); 0: all of them */
  TsPrecision precision; /* the scenario's, or one of plan.precisions */
  TsPlanRecompute recompute;
} TsPlanLayout;

typedef struct {
  TsPlanLayout layout;
  guint64 index;   /* position in the enumeration: the last tie-break, so the order never depends on threads */
  TsTrainEstimate est;
  double time_s;   /* estimated: the scenario's other phases + steps x step (failure-free) */
  double cost_usd; /* estimated: time x the hardware's rate; NaN unknown */
  gboolean over_deadline, over_budget;
  gboolean pareto;
  /* Played as a whole run of the scenario (verified): time and cost at the quantile, TRUE when it was. */
  gboolean verified, run_feasible;
  double run_time_s, run_cost_usd, run_time_p50_s, run_time_p90_s, run_cost_p50_usd, run_cost_p90_usd;
  guint run_replicas;
} TsPlanCandidate;

/* One hardware choice: the scenario's cluster or one of plan.clusters. */
typedef struct {
  char *name;            /* "H100-SXM5-80GB x 16384 (p5.48xlarge, on-demand)" */
  TsCluster *cluster;
  double rate_usd_per_s; /* NaN unknown */
  char *rate_desc;
  double fixed_s;        /* the scenario's phases besides training, as its run gives them */
  guint64 evaluated, pruned_memory, invalid;
} TsPlanHardware;

/* Why no plan of a family (hardware x tensor x pipeline x context x expert) survived. */
typedef struct {
  guint hw, tp, pp, cp, ep;
  guint64 evaluated, oom, over_deadline, over_budget;
  double least_memory_bytes; /* of its smallest layout, when all are out of memory */
  double best_time_s, best_cost_usd;
} TsPlanFamily;

typedef struct {
  char *scenario;
  char *where;          /* the r:train line */
  GArray *precisions;   /* TsPrecision searched: the scenario's, then plan.precisions' others */
  guint64 steps;
  double scenario_step_s; /* the scenario's own layout, estimated; NaN when it does not fit or split */
  gboolean scenario_fits;
  TsPlanLayout scenario_layout;
  GPtrArray *hardware;  /* TsPlanHardware* */
  GArray *candidates;   /* TsPlanCandidate: every timed layout, in enumeration order */
  GArray *plans;        /* TsPlanCandidate: the best, ranked (the Pareto front for objective pareto) */
  GArray *families;     /* TsPlanFamily with no surviving plan */
  GArray *per_hardware; /* TsPlanCandidate: the best plan of each hardware choice that has one, in their order */
  guint64 evaluated;    /* candidates whose step time was computed */
  guint64 pruned;       /* rows of layouts (every interleaving of one micro-batch) ruled out by memory, untimed */
  guint64 played;       /* plans played as whole runs of the scenario */
  double search_s;      /* wall time of the search itself */
  TsPlanOptions options;
  gboolean failures;    /* the scenario's run has random failures or preemption: plans judged at a quantile */
} TsPlanResult;

void ts_plan_result_free(TsPlanResult *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsPlanResult, ts_plan_result_free)

/* The whole command: run the scenario once, search, verify the best.  NULL with TS_ERROR_SCENARIO for a
 * scenario error, TS_ERROR_USAGE for a scenario plan cannot search (no r:train, several). */
TsPlanResult *ts_plan_run(const TsRegistry *registry, const TsScenarioOptions *scenario, const TsPlanOptions *options,
                          GError **error);

/* The search alone over a problem plan-problem.c has read (tests compare it with brute force).  */
typedef struct TsPlanProblem TsPlanProblem;
TsPlanProblem *ts_plan_problem_new(const TsRegistry *registry, const TsScenarioOptions *scenario, GError **error);
void ts_plan_problem_free(TsPlanProblem *p);
/* Estimate one layout as the search does (a fresh run of the problem's hardware): for tests. */
gboolean ts_plan_problem_estimate(TsPlanProblem *p, const TsPlanLayout *layout, TsTrainEstimate *out, GError **error);

/* Outputs (plan-write.c): the table on `out`, the JSON document, every timed candidate as CSV. */
void ts_plan_print(FILE *out, const TsPlanResult *r);
char *ts_plan_to_json(const TsPlanResult *r);
gboolean ts_plan_write_csv(const TsPlanResult *r, const char *path, GError **error);

#endif
