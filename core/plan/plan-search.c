/* The search: every family of every hardware choice estimated on a pool of threads (GThreadPool), each thread
 * with runs of its own (a plugin instance is one simulation's, never shared), the results gathered in the
 * families' order and ranked with the enumeration index as the last tie-break: the same plans in the same
 * order whatever the number of threads. */
#include "plan/plan-private.h"

#include "common/ts-error.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  TsPlanProblem *problem;
  const TsPlanOptions *options;
  PlanFamily family;
  PlanFamilyResult result;
} Task;

static void
run_task(gpointer data, gpointer user_data)
{
  (void) user_data;
  Task *t = data;
  plan_space_evaluate(t->problem, &t->family, t->options, &t->result);
}

/* Known costs before unknown ones (NaN), then ascending. */
static int
compare_cost(double a, double b)
{
  if (isnan(a) || isnan(b))
    return isnan(a) - isnan(b);
  return (a > b) - (a < b);
}

double
plan_time_of(const TsPlanCandidate *c)
{
  return c->verified ? c->run_time_s : c->time_s;
}

double
plan_cost_of(const TsPlanCandidate *c)
{
  return c->verified ? c->run_cost_usd : c->cost_usd;
}

int
plan_compare(const TsPlanCandidate *a, const TsPlanCandidate *b, TsPlanObjective objective)
{
  /* A step that leaves out a collective the plugin cannot time is too short by an unknown amount: such a layout
   * ranks after every fully timed one. */
  if (a->est.collectives_modelled != b->est.collectives_modelled)
    return a->est.collectives_modelled ? -1 : 1;
  double ta = plan_time_of(a), tb = plan_time_of(b);
  int by_time = (ta > tb) - (ta < tb);
  int by_cost = compare_cost(plan_cost_of(a), plan_cost_of(b));
  int first = objective == TS_PLAN_COST ? by_cost : by_time;
  int second = objective == TS_PLAN_COST ? by_time : by_cost;
  if (first != 0)
    return first;
  if (second != 0)
    return second;
  return (a->index > b->index) - (a->index < b->index);
}

static gint
compare_pointers(gconstpointer pa, gconstpointer pb, gpointer data)
{
  return plan_compare(*(TsPlanCandidate *const *) pa, *(TsPlanCandidate *const *) pb,
                      *(const TsPlanObjective *) data);
}

gboolean
plan_meets(const TsPlanCandidate *c)
{
  return !c->over_deadline && !c->over_budget && (!c->verified || c->run_feasible);
}

GPtrArray *
plan_ranked(GArray *from, const TsPlanOptions *o, gint hw)
{
  GPtrArray *ok = g_ptr_array_new();
  for (guint i = 0; i < from->len; i++) {
    TsPlanCandidate *c = &g_array_index(from, TsPlanCandidate, i);
    if (plan_meets(c) && (hw < 0 || c->layout.hw == (guint) hw))
      g_ptr_array_add(ok, c);
  }
  TsPlanObjective by = o->objective == TS_PLAN_PARETO ? TS_PLAN_TIME : o->objective;
  g_ptr_array_sort_with_data(ok, compare_pointers, &by);
  if (o->objective != TS_PLAN_PARETO)
    return ok;
  /* The Pareto front of time and cost: ranked by time, a plan stays when it is cheaper than every faster one. */
  GPtrArray *front = g_ptr_array_new();
  double best_cost = INFINITY;
  for (guint i = 0; i < ok->len; i++) {
    TsPlanCandidate *c = g_ptr_array_index(ok, i);
    double cost = isnan(plan_cost_of(c)) ? INFINITY : plan_cost_of(c);
    if (front->len == 0 || cost < best_cost) {
      g_ptr_array_add(front, c);
      best_cost = cost;
    }
  }
  g_ptr_array_unref(ok);
  return front;
}

const TsPlanCandidate *
plan_best_any(GArray *from, TsPlanObjective objective, guint hw)
{
  const TsPlanCandidate *best = NULL;
  TsPlanObjective by = objective == TS_PLAN_PARETO ? TS_PLAN_COST : objective;
  for (guint i = 0; i < from->len; i++) {
    const TsPlanCandidate *c = &g_array_index(from, TsPlanCandidate, i);
    if (c->layout.hw == hw && (best == NULL || plan_compare(c, best, by) < 0))
      best = c;
  }
  return best;
}

/* The first `keep` of a ranking into `to` (copies). */
void
plan_take(GPtrArray *ranked, GArray *to, guint keep, gboolean pareto)
{
  for (guint i = 0; i < ranked->len && i < keep; i++) {
    TsPlanCandidate *c = g_ptr_array_index(ranked, i);
    c->pareto = pareto;
    g_array_append_val(to, *c);
  }
}

gboolean
plan_search(TsPlanProblem *p, const TsPlanOptions *o, TsPlanResult *r, GError **error)
{
  g_autoptr(GArray) families = g_array_new(FALSE, FALSE, sizeof(PlanFamily));
  for (guint hw = 0; hw < p->hardware->len; hw++)
    plan_space_families(p, hw, families);
  guint n = families->len;
  Task *tasks = g_new0(Task, n);
  guint threads = o->threads > 0 ? o->threads : (guint) MAX(1, g_get_num_processors());
  gint64 start = g_get_monotonic_time();
  GThreadPool *pool = threads > 1 ? g_thread_pool_new(run_task, NULL, (gint) threads, TRUE, NULL) : NULL;
  for (guint i = 0; i < n; i++) {
    tasks[i].problem = p;
    tasks[i].options = o;
    tasks[i].family = g_array_index(families, PlanFamily, i);
    tasks[i].result.candidates = g_array_new(FALSE, FALSE, sizeof(TsPlanCandidate));
    if (pool != NULL)
      g_thread_pool_push(pool, &tasks[i], NULL);
    else
      run_task(&tasks[i], NULL);
  }
  if (pool != NULL)
    g_thread_pool_free(pool, FALSE, TRUE);
  r->search_s = (g_get_monotonic_time() - start) / 1e6;

  gboolean ok = TRUE;
  guint64 index = 0;
  for (guint i = 0; i < n; i++) {
    Task *t = &tasks[i];
    PlanFamilyResult *fr = &t->result;
    if (fr->error != NULL && ok) {
      g_propagate_error(error, fr->error);
      fr->error = NULL;
      ok = FALSE;
    }
    g_clear_error(&fr->error);
    TsPlanHardware *h = g_ptr_array_index(p->hardware, t->family.hw);
    h->evaluated += fr->candidates->len;
    h->pruned_memory += fr->pruned;
    h->invalid += fr->invalid;
    r->evaluated += fr->candidates->len;
    r->pruned += fr->pruned;
    TsPlanFamily fam = {t->family.hw, t->family.tp, t->family.pp, t->family.cp, t->family.ep, fr->candidates->len,
                        fr->pruned, 0, 0, fr->least_memory, INFINITY, INFINITY};
    gboolean any = FALSE;
    for (guint j = 0; j < fr->candidates->len; j++) {
      TsPlanCandidate *c = &g_array_index(fr->candidates, TsPlanCandidate, j);
      c->index = index++;
      fam.over_deadline += c->over_deadline;
      fam.over_budget += c->over_budget;
      fam.best_time_s = MIN(fam.best_time_s, c->time_s);
      if (!isnan(c->cost_usd))
        fam.best_cost_usd = MIN(fam.best_cost_usd, c->cost_usd);
      any = any || plan_meets(c);
    }
    if (!any)
      g_array_append_val(r->families, fam);
    g_array_append_vals(r->candidates, fr->candidates->data, fr->candidates->len);
    g_array_unref(fr->candidates);
  }
  g_free(tasks);
  if (!ok)
    return FALSE;
  if (o->verify)
    return TRUE; /* plan-verify.c chooses, by what the runs give */
  g_autoptr(GPtrArray) ranked = plan_ranked(r->candidates, o, -1);
  plan_take(ranked, r->plans, o->top, o->objective == TS_PLAN_PARETO);
  TsPlanOptions single = *o;
  if (single.objective == TS_PLAN_PARETO)
    single.objective = TS_PLAN_COST;
  for (guint hw = 0; hw < p->hardware->len && p->hardware->len > 1; hw++) {
    g_autoptr(GPtrArray) mine = plan_ranked(r->candidates, &single, (gint) hw);
    plan_take(mine, r->per_hardware, 1, FALSE);
    const TsPlanCandidate *any = mine->len == 0 ? plan_best_any(r->candidates, o->objective, hw) : NULL;
    if (any != NULL) /* none within the limits: the best of them says by how much */
      g_array_append_val(r->per_hardware, *any);
  }
  return TRUE;
}
