/* Ranking a sweep's rows (ts_sweep_result_finish): order by cost, the Pareto front of time and cost, the
 * deadline and the budget, and the recommendation. */
#include "sweep/sweep.h"
#include "sweep/sweep-private.h"

#include "output/json-writer.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

static int
row_class(const TsSweepRow *r)
{
  return r->status == TS_VARIANT_OK ? 0 : r->status == TS_VARIANT_INFEASIBLE ? 1 : 2;
}

static int
cmp_double(double a, double b)
{
  gboolean na = isnan(a), nb = isnan(b);
  if (na || nb)
    return na - nb; /* unknown last */
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
cmp_by_cost(gconstpointer pa, gconstpointer pb)
{
  const TsSweepRow *a = pa, *b = pb;
  int c = row_class(a) - row_class(b);
  if (c == 0)
    c = cmp_double(a->cost_total, b->cost_total);
  if (c == 0)
    c = cmp_double(a->total_time_s, b->total_time_s);
  if (c == 0)
    c = a->index < b->index ? -1 : a->index > b->index;
  return c;
}

static int
cmp_position_by_cost(gconstpointer pa, gconstpointer pb, gpointer rows)
{
  return cmp_by_cost((const TsSweepRow *) rows + *(const guint *) pa, (const TsSweepRow *) rows + *(const guint *) pb);
}

/* The rows sorted by cost where they are: their positions are sorted, then the rows moved along the cycles of
 * that permutation, one row at a time (g_array_sort's merge sort takes a copy of all the rows: 16 MB of a
 * merge's 100,000).  cmp_by_cost is a total order (the index breaks ties), so the order is g_array_sort's. */
static void
sort_rows_by_cost(GArray *rows)
{
  guint n = rows->len;
  if (n < 2)
    return;
  TsSweepRow *r = (TsSweepRow *) rows->data;
  guint *order = g_new(guint, n); /* order[i]: the row that goes to position i */
  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data(order, (gint) n, sizeof *order, cmp_position_by_cost, r);
  for (guint i = 0; i < n; i++) {
    if (order[i] == i)
      continue;
    TsSweepRow held = r[i];
    guint j = i;
    for (;;) {
      guint k = order[j];
      order[j] = j; /* placed */
      if (k == i) {
        r[j] = held;
        break;
      }
      r[j] = r[k];
      j = k;
    }
  }
  g_free(order);
}

int
sweep_cmp_rows_by_time(gconstpointer pa, gconstpointer pb)
{
  const TsSweepRow *a = *(TsSweepRow *const *) pa, *b = *(TsSweepRow *const *) pb;
  int c = cmp_double(a->total_time_s, b->total_time_s);
  if (c == 0)
    c = cmp_double(a->cost_total, b->cost_total);
  if (c == 0)
    c = a->index < b->index ? -1 : a->index > b->index;
  return c;
}

static double
normalize(double v)
{
  if (!isfinite(v))
    return NAN;
  return v == 0 ? 0.0 : v; /* -0 reads back as 0 */
}

char *
sweep_format_limit_usd(double usd)
{
  GString *s = g_string_new(NULL);
  ts_json_append_number(s, usd);
  g_string_append(s, " USD");
  return g_string_free(s, FALSE);
}

/* What a deadline or budget is judged on: the run's own seed, or with --replicas the stated quantile over
 * its seeds (P90 by default: a deadline met nine times in ten). */
static double
judged_time(const TsSweepSpec *s, const TsSweepRow *r)
{
  return s->replicas > 1 ? r->time_q_s : r->total_time_s;
}

static double
judged_cost(const TsSweepSpec *s, const TsSweepRow *r)
{
  return s->replicas > 1 ? r->cost_q_usd : r->cost_total;
}

char *
ts_sweep_spec_describe_limits(const TsSweepSpec *s)
{
  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  if (!has_d && !has_b)
    return NULL;
  g_autofree char *dl = has_d ? ts_format_duration(s->deadline_s) : NULL;
  g_autofree char *bl = has_b ? sweep_format_limit_usd(s->budget_usd) : NULL;
  g_autofree char *at = s->replicas > 1 ? g_strdup_printf(" at P%u over %u seeds", s->quantile, s->replicas)
                                         : g_strdup("");
  return has_d && has_b ? g_strdup_printf("finishes within %s and costs at most %s%s", dl, bl, at)
         : has_d        ? g_strdup_printf("finishes within %s%s", dl, at)
                        : g_strdup_printf("costs at most %s%s", bl, at);
}

void
ts_sweep_result_finish(TsSweepResult *res)
{
  GArray *rows = res->rows;
  for (guint i = 0; i < rows->len; i++) {
    TsSweepRow *r = &g_array_index(rows, TsSweepRow, i);
    double *v[] = {&r->total_time_s, &r->cost_total, &r->cost_compute, &r->cost_host, &r->cost_storage,
                   &r->cost_network, &r->peak_device, &r->device_capacity, &r->peak_host, &r->host_capacity,
                   &r->peak_storage, &r->storage_capacity, &r->time_q_s, &r->cost_q_usd,
                   &r->time_p_s[0], &r->time_p_s[1], &r->time_p_s[2], &r->cost_p_usd[0], &r->cost_p_usd[1],
                   &r->cost_p_usd[2]};
    for (guint k = 0; k < G_N_ELEMENTS(v); k++)
      *v[k] = normalize(*v[k]);
    r->pareto = r->meets_deadline = r->meets_budget = r->recommended = FALSE;
  }
  sort_rows_by_cost(rows);

  /* The Pareto front of (time, cost) among the feasible rows: no other is at least as fast and as cheap
   * and strictly better in one. */
  g_autoptr(GPtrArray) byt = g_ptr_array_new();
  for (guint i = 0; i < rows->len; i++) {
    TsSweepRow *r = &g_array_index(rows, TsSweepRow, i);
    if (ts_sweep_row_feasible(r) && !isnan(r->total_time_s) && !isnan(r->cost_total))
      g_ptr_array_add(byt, r);
  }
  g_ptr_array_sort(byt, sweep_cmp_rows_by_time);
  double best_cost = INFINITY, best_time = INFINITY;
  for (guint i = 0; i < byt->len; i++) {
    TsSweepRow *r = g_ptr_array_index(byt, i);
    gboolean dominated = best_cost < r->cost_total || (best_cost == r->cost_total && best_time < r->total_time_s);
    r->pareto = !dominated;
    if (r->cost_total < best_cost) {
      best_cost = r->cost_total;
      best_time = r->total_time_s;
    }
  }

  /* Deadline and budget. */
  const TsSweepSpec *s = res->spec;
  gboolean has_d = !isnan(s->deadline_s), has_b = !isnan(s->budget_usd);
  res->recommended = -1;
  g_clear_pointer(&res->recommendation, g_free);
  if (!has_d && !has_b)
    return;
  gint64 best = -1;
  for (guint i = 0; i < rows->len; i++) {
    TsSweepRow *r = &g_array_index(rows, TsSweepRow, i);
    gboolean ok = ts_sweep_row_feasible(r);
    r->meets_deadline = ok && has_d && judged_time(s, r) <= s->deadline_s;
    r->meets_budget = ok && has_b && judged_cost(s, r) <= s->budget_usd;
    if (ok && (!has_d || r->meets_deadline) && (!has_b || r->meets_budget)) {
      if (best < 0) {
        best = i;
      } else if (!has_d) { /* a budget alone: the fastest within it */
        const TsSweepRow *b = &g_array_index(rows, TsSweepRow, best);
        if (cmp_double(judged_time(s, r), judged_time(s, b)) < 0)
          best = i;
      } else if (s->replicas > 1) { /* a deadline: the cheapest at the quantile */
        const TsSweepRow *b = &g_array_index(rows, TsSweepRow, best);
        if (cmp_double(judged_cost(s, r), judged_cost(s, b)) < 0)
          best = i;
      } /* a deadline: the cheapest, and rows are sorted by cost already */
    }
  }
  g_autofree char *what = ts_sweep_spec_describe_limits(s);
  if (best < 0) {
    res->recommendation = g_strdup_printf("no feasible variant %s", what);
    return;
  }
  TsSweepRow *b = &g_array_index(rows, TsSweepRow, best);
  b->recommended = TRUE;
  res->recommended = best;
  guint np = s->params->len;
  const char **values = g_newa(const char *, np + 1);
  ts_sweep_spec_variant_values(s, b->index, values);
  GString *vs = g_string_new(NULL);
  for (guint i = 0; i < np; i++)
    g_string_append_printf(vs, "%s%s=%s", i ? " " : "", ((TsSweepParam *) g_ptr_array_index(s->params, i))->name,
                           values[i]);
  g_autofree char *t = ts_format_duration(judged_time(s, b));
  g_autofree char *c = ts_format_usd(judged_cost(s, b));
  res->recommendation = g_strdup_printf("%s variant that %s: #%" G_GUINT64_FORMAT " %s (%s, %s)",
                                        has_d ? "cheapest" : "fastest", what, b->index, vs->str, t, c);
  g_string_free(vs, TRUE);
}
