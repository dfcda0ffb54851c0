/* The plan layer's internals: the problem the scenario poses (plan-problem.c), the layout space
 * (plan-space.c), the threaded search (plan-search.c) and the verification of the best plans (plan-verify.c). */
#ifndef TS_PLAN_PRIVATE_H
#define TS_PLAN_PRIVATE_H

#include "plan/plan.h"

struct TsPlanProblem {
  const TsRegistry *registry;
  TsScenarioOptions scenario; /* as given, without outputs */
  TsTrainSpec spec;           /* the scenario's r:train (owns model, data, optimizer) */
  char *where;
  guint trains;               /* r:train calls the scenario made */
  gboolean ramp;
  TsResults results;          /* of the scenario's own run (pointers not kept) */
  gboolean scenario_trained;
  GPtrArray *hardware;        /* TsPlanHardware* */
  GArray *precisions;         /* TsPrecision: the scenario's first, then plan.precisions' others */
  GPtrArray *pools;           /* per hardware: GAsyncQueue of idle TsRun*, one per thread that needed one */
  guint64 steps;
};

/* A run on hardware `hw`, its cluster set, for one thread's estimates: taken from the pool or made. */
TsRun *plan_problem_take_run(TsPlanProblem *p, guint hw, GError **error);
void plan_problem_give_run(TsPlanProblem *p, guint hw, TsRun *run);
/* The spec of `layout` (the scenario's, its layout replaced); model and data stay the problem's. */
void plan_layout_apply(const TsPlanLayout *layout, TsTrainSpec *spec);

/* One family of the space: a hardware choice and its tensor x pipeline x context x expert shape. */
typedef struct {
  guint hw, tp, pp, cp, ep, dp;
} PlanFamily;

/* The families of hardware `hw`, in a fixed order (plan-space.c). */
void plan_space_families(const TsPlanProblem *p, guint hw, GArray *families);
/* Every layout of a family, timed unless memory rules it out first; candidates appended to `out`. */
typedef struct {
  GArray *candidates;      /* TsPlanCandidate */
  guint64 pruned, invalid; /* out of memory before timing; not a valid split */
  double least_memory;     /* the smallest memory of a layout that did not fit */
  GError *error;
} PlanFamilyResult;
void plan_space_evaluate(TsPlanProblem *p, const PlanFamily *f, const TsPlanOptions *o, PlanFamilyResult *res);

/* Time and cost of a candidate from its estimate (the scenario's other phases + steps x step). */
void plan_candidate_finish(const TsPlanProblem *p, const TsPlanOptions *o, TsPlanCandidate *c);

/* plan-search.c: every family over the thread pool, then the ranking. */
gboolean plan_search(TsPlanProblem *p, const TsPlanOptions *o, TsPlanResult *r, GError **error);
/* plan-verify.c: the best plans played as whole runs; r->plans re-ranked by what the runs give. */
gboolean plan_verify(TsPlanProblem *p, const TsPlanOptions *o, TsPlanResult *r, GError **error);
/* Time and cost of a candidate: the run's when it was played, else the estimate's. */
double plan_time_of(const TsPlanCandidate *c);
double plan_cost_of(const TsPlanCandidate *c);
/* The objective's order (cost: known costs first), the enumeration index last. */
int plan_compare(const TsPlanCandidate *a, const TsPlanCandidate *b, TsPlanObjective objective);
/* Within the deadline and budget (and, when played, feasible as a run). */
gboolean plan_meets(const TsPlanCandidate *c);
/* Pointers to the candidates of `from` (hardware hw, or all for -1) that meet the limits, ranked by the objective;
 * for pareto, the front of time and cost ranked by time. */
GPtrArray *plan_ranked(GArray *from, const TsPlanOptions *o, gint hw);
/* The best candidate of hardware hw whatever the limits (NULL when it has none). */
const TsPlanCandidate *plan_best_any(GArray *from, TsPlanObjective objective, guint hw);
void plan_take(GPtrArray *ranked, GArray *to, guint keep, gboolean pareto);

#endif
