#include "sweep/compare.h"
#include "sweep/sweep.h"

#include "common/ts-error.h"
#include "output/atomic-file.h"
#include "output/chart.h"
#include "output/json-writer.h"
#include "output/report-html.h"
#include "output/timeline-csv.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

#define TS_COMPARE_MAX_DIFFERENCES 6 /* lines of "largest differences" */

void
ts_compare_alt_clear(TsCompareAlt *a)
{
  g_free(a->path);
  g_free(a->name);
  g_free(a->label);
  g_clear_pointer(&a->sets, g_ptr_array_unref);
  ts_run_free(a->run);
  ts_series_free(a->series);
  g_free(a->error);
}

static void
difference_clear(gpointer p)
{
  g_free(((TsCompareDifference *) p)->text);
}

const TsResults *
ts_compare_alt_results(const TsCompareAlt *a)
{
  return a->run ? ts_run_get_results(a->run) : NULL;
}

const TsCompareMetric ts_compare_metrics[TS_COMPARE_METRIC_COUNT] = {
  {"total_time_s", "wall time", TS_COMPARE_TIME, G_STRUCT_OFFSET(TsResults, total_time_s)},
  {"cost_usd.total", "cost", TS_COMPARE_USD, G_STRUCT_OFFSET(TsResults, cost_total)},
  {"cost_usd.compute", "compute cost", TS_COMPARE_USD, G_STRUCT_OFFSET(TsResults, cost_compute)},
  {"cost_usd.host", "host cost", TS_COMPARE_USD, G_STRUCT_OFFSET(TsResults, cost_host)},
  {"cost_usd.storage", "storage cost", TS_COMPARE_USD, G_STRUCT_OFFSET(TsResults, cost_storage)},
  {"cost_usd.network", "network cost", TS_COMPARE_USD, G_STRUCT_OFFSET(TsResults, cost_network)},
  {"peak_memory_bytes.device", "peak device memory", TS_COMPARE_BYTES, G_STRUCT_OFFSET(TsResults, peak_device)},
  {"peak_memory_bytes.host", "peak host memory", TS_COMPARE_BYTES, G_STRUCT_OFFSET(TsResults, peak_host)},
  {"peak_memory_bytes.storage", "peak storage", TS_COMPARE_BYTES, G_STRUCT_OFFSET(TsResults, peak_storage)},
};

/* The metric's value, NAN when the run does not model it. */
double
ts_compare_metric_value(const TsResults *r, const TsCompareMetric *m)
{
  if (r == NULL)
    return NAN;
  if (strcmp(m->metric, "cost_usd.storage") == 0 && !r->storage_cost_modelled)
    return NAN;
  if (strcmp(m->metric, "cost_usd.network") == 0 && !r->network_cost_modelled)
    return NAN;
  return *(const double *) ((const char *) r + m->offset);
}

char *
ts_compare_format_metric(TsCompareKind kind, double v)
{
  if (isnan(v))
    return g_strdup("not modelled");
  switch (kind) {
  case TS_COMPARE_TIME: return ts_format_duration(v);
  case TS_COMPARE_USD: return ts_format_usd(v);
  case TS_COMPARE_BYTES: return ts_format_bytes(v);
  }
  return NULL;
}

static char *
difference_text(const TsCompareAlt *a, const TsCompareAlt *base, const TsCompareMetric *m, double bv, double v)
{
  double ratio = v / bv;
  g_autofree char *delta = ts_compare_format_metric(m->kind, fabs(v - bv));
  g_autofree char *vs = ts_compare_format_metric(m->kind, v);
  g_autofree char *bs = ts_compare_format_metric(m->kind, bv);
  switch (m->kind) {
  case TS_COMPARE_TIME:
    return g_strdup_printf("%s takes %s %s than %s (%s vs %s, %.2fx)", a->name, delta, v > bv ? "longer" : "less",
                           base->name, vs, bs, ratio);
  case TS_COMPARE_USD:
    return g_strdup_printf("%s: %s %s %s than %s (%s vs %s, %.2fx)", a->name, m->label, delta,
                           v > bv ? "more" : "less", base->name, vs, bs, ratio);
  case TS_COMPARE_BYTES:
    return g_strdup_printf("%s: %s %s vs %s for %s (%.2fx)", a->name, m->label, vs, bs, base->name, ratio);
  }
  return NULL;
}

static int
cmp_difference(gconstpointer pa, gconstpointer pb)
{
  const TsCompareDifference *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->alt != b->alt)
    return a->alt < b->alt ? -1 : 1;
  return strcmp(a->metric, b->metric);
}

static const char *
first_problem(const TsCompareAlt *a)
{
  if (a->error)
    return a->error;
  const GPtrArray *d = a->run ? ts_run_get_diagnostics(a->run) : NULL;
  for (guint i = 0; d && i < d->len; i++) {
    const TsDiagnostic *x = g_ptr_array_index(d, i);
    if (x->severity == TS_SEVERITY_ERROR)
      return x->message;
  }
  return "";
}

/* The largest differences from the first alternative: changes of feasibility, then the largest ratios. */
GArray *
ts_compare_differences(TsCompareAlt *alts, guint n)
{
  GArray *diffs = g_array_new(FALSE, TRUE, sizeof(TsCompareDifference));
  g_array_set_clear_func(diffs, difference_clear);
  const TsCompareAlt *base = &alts[0];
  const TsResults *br = ts_compare_alt_results(base);
  for (guint i = 1; i < n; i++) {
    const TsCompareAlt *a = &alts[i];
    const TsResults *ar = ts_compare_alt_results(a);
    if (br == NULL || ar == NULL)
      continue;
    if (br->feasible != ar->feasible) {
      TsCompareDifference d = {i, "feasible", br->feasible, ar->feasible, INFINITY, NULL};
      d.text = g_strdup_printf("%s is %s, %s is %s%s%s", a->name, ar->feasible ? "feasible" : "infeasible",
                               base->name, br->feasible ? "feasible" : "infeasible",
                               ar->feasible ? "" : ": ", ar->feasible ? "" : first_problem(a));
      g_array_append_val(diffs, d);
    }
    for (guint k = 0; k < TS_COMPARE_METRIC_COUNT; k++) {
      double bv = ts_compare_metric_value(br, &ts_compare_metrics[k]), v = ts_compare_metric_value(ar, &ts_compare_metrics[k]);
      if (!(bv > 0) || !(v > 0) || !isfinite(bv) || !isfinite(v))
        continue;
      double score = fabs(log(v / bv));
      if (score < log(1.01)) /* within 1 %: not a difference worth a line */
        continue;
      /* Nor is a change too small to matter next to the whole: a cent of storage in a 70 USD run, a few
       * MiB of a 340 GiB host. */
      double scale = ts_compare_metrics[k].kind == TS_COMPARE_USD   ? MAX(br->cost_total, ar->cost_total)
                     : ts_compare_metrics[k].kind == TS_COMPARE_TIME ? 0
                     : k == 6                    ? MAX(br->device_capacity, ar->device_capacity)
                     : k == 7                    ? MAX(br->host_capacity, ar->host_capacity)
                                                 : MAX(br->storage_capacity, ar->storage_capacity);
      if (fabs(v - bv) < 0.01 * scale || (ts_compare_metrics[k].kind == TS_COMPARE_USD && fabs(v - bv) < 0.01))
        continue;
      TsCompareDifference d = {i, ts_compare_metrics[k].metric, bv, v, score, difference_text(a, base, &ts_compare_metrics[k], bv, v)};
      g_array_append_val(diffs, d);
    }
  }
  g_array_sort(diffs, cmp_difference);
  if (diffs->len > TS_COMPARE_MAX_DIFFERENCES)
    g_array_set_size(diffs, TS_COMPARE_MAX_DIFFERENCES);
  return diffs;
}

/* ---- outputs -------------------------------------------------------------------------------------------- */

static const char *
alt_status(const TsCompareAlt *a)
{
  return a->run == NULL ? "error" : ts_compare_alt_results(a)->feasible ? "ok" : "infeasible";
}

void
ts_compare_judge(TsCompareAlt *alts, guint n, TsCompareLimits *limits)
{
  g_clear_pointer(&limits->recommendation, g_free);
  for (guint i = 0; i < n; i++)
    alts[i].meets_deadline = alts[i].meets_budget = alts[i].recommended = FALSE;
  if (isnan(limits->deadline_s) && isnan(limits->budget_usd))
    return;
  /* Each alternative is a row of a sweep without parameters, so that the sweep's rule judges it (one rule,
   * not two that could drift apart). */
  TsSweepSpec *spec = ts_sweep_spec_new(alts[0].path, 0);
  spec->deadline_s = limits->deadline_s;
  spec->budget_usd = limits->budget_usd;
  spec->replicas = limits->replicas > 1 ? limits->replicas : 1;
  spec->quantile = limits->quantile == 50 ? 50 : 90;
  g_autoptr(TsSweepResult) res = ts_sweep_result_new(spec);
  for (guint i = 0; i < n; i++) {
    const TsCompareAlt *a = &alts[i];
    const TsResults *r = ts_compare_alt_results(a);
    TsSweepRow row = {0};
    row.index = i;
    row.status = r == NULL ? TS_VARIANT_ERROR : r->feasible ? TS_VARIANT_OK : TS_VARIANT_INFEASIBLE;
    double *unset[] = {&row.cost_compute, &row.cost_host, &row.cost_storage, &row.cost_network, &row.peak_device,
                       &row.device_capacity, &row.peak_host, &row.host_capacity, &row.peak_storage,
                       &row.storage_capacity, &row.storage_per_host};
    for (gsize k = 0; k < G_N_ELEMENTS(unset); k++)
      *unset[k] = NAN;
    row.total_time_s = r ? r->total_time_s : NAN;
    row.cost_total = r ? r->cost_total : NAN;
    gboolean q50 = spec->quantile == 50;
    row.time_q_s = a->rep.replicas > 1 ? (q50 ? a->rep.time_p50_s : a->rep.time_p90_s) : NAN;
    row.cost_q_usd = a->rep.replicas > 1 ? (q50 ? a->rep.cost_p50_usd : a->rep.cost_p90_usd) : NAN;
    for (guint k = 0; k < 3; k++) /* not judged on: the judgement is at the quantile */
      row.time_p_s[k] = row.cost_p_usd[k] = NAN;
    g_array_append_val(res->rows, row);
  }
  ts_sweep_result_finish(res); /* sorts the rows: each keeps its alternative's index */
  for (guint k = 0; k < res->rows->len; k++) {
    const TsSweepRow *row = &g_array_index(res->rows, TsSweepRow, k);
    TsCompareAlt *a = &alts[row->index];
    a->meets_deadline = row->meets_deadline;
    a->meets_budget = row->meets_budget;
    a->recommended = row->recommended;
  }
  g_autofree char *what = ts_sweep_spec_describe_limits(spec);
  if (res->recommended < 0) {
    limits->recommendation = g_strdup_printf("no feasible alternative %s", what);
    return;
  }
  const TsSweepRow *b = &g_array_index(res->rows, TsSweepRow, res->recommended);
  gboolean at_q = spec->replicas > 1;
  g_autofree char *t = ts_format_duration(at_q ? b->time_q_s : b->total_time_s);
  g_autofree char *c = ts_format_usd(at_q ? b->cost_q_usd : b->cost_total);
  limits->recommendation = g_strdup_printf("%s alternative that %s: %s (%s, %s)",
                                           isnan(limits->deadline_s) ? "fastest" : "cheapest", what,
                                           alts[b->index].name, t, c);
}

/* The deadline and budget the alternatives were judged against (null: none), as sweep.json states them. */
static void
json_limits(TsJsonWriter *w, const TsCompareLimits *limits)
{
  gboolean has_d = limits && !isnan(limits->deadline_s), has_b = limits && !isnan(limits->budget_usd);
  ts_json_number(w, "deadline_s", has_d ? limits->deadline_s : NAN);
  ts_json_number(w, "budget_usd", has_b ? limits->budget_usd : NAN);
  if ((has_d || has_b) && limits->replicas > 1) {
    g_autofree char *q = g_strdup_printf("p%u", limits->quantile);
    ts_json_string(w, "quantile", q);
  }
  ts_json_string(w, "recommendation", limits ? limits->recommendation : NULL);
}

/* An alternative's verdicts: null where there was nothing to judge. */
static void
json_judgement(TsJsonWriter *w, const TsCompareAlt *a, const TsCompareLimits *limits)
{
  const TsResults *r = ts_compare_alt_results(a);
  gboolean has_d = limits && !isnan(limits->deadline_s), has_b = limits && !isnan(limits->budget_usd);
  if (has_d)
    ts_json_bool(w, "meets_deadline", a->meets_deadline);
  else
    ts_json_null(w, "meets_deadline");
  /* A budget cannot be judged without a price: null, not false (as in sweep.json). */
  if (has_b && !(r != NULL && isnan(r->cost_total)))
    ts_json_bool(w, "meets_budget", a->meets_budget);
  else
    ts_json_null(w, "meets_budget");
  if (has_d || has_b)
    ts_json_bool(w, "recommended", a->recommended);
  else
    ts_json_null(w, "recommended");
}

char *
ts_compare_to_json(TsCompareAlt *alts, guint n, GArray *diffs, guint64 seed, char **sets,
                   const TsCompareLimits *limits)
{
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, TRUE);
  ts_json_begin_object(&w, NULL);
  ts_json_int(&w, "schema_version", 1);
  ts_json_string(&w, "trainsim_version", TS_VERSION);
  ts_json_string(&w, "kind", "compare");
  ts_json_string(&w, "baseline", alts[0].name);
  ts_json_int(&w, "seed", (gint64) seed);
  ts_json_begin_array(&w, "sets");
  for (char **s = sets; s && *s; s++)
    ts_json_string(&w, NULL, *s);
  ts_json_end_array(&w);
  json_limits(&w, limits);
  ts_json_begin_array(&w, "alternatives");
  for (guint i = 0; i < n; i++) {
    const TsCompareAlt *a = &alts[i];
    const TsResults *r = ts_compare_alt_results(a);
    ts_json_begin_object(&w, NULL);
    ts_json_string(&w, "scenario", a->name);
    json_judgement(&w, a, limits);
    ts_json_begin_array(&w, "sets");
    for (guint k = 0; k + 1 < a->sets->len; k++)
      ts_json_string(&w, NULL, g_ptr_array_index(a->sets, k));
    ts_json_end_array(&w);
    ts_json_begin_object(&w, "parameters");
    const GPtrArray *params = a->run ? ts_run_get_info(a->run)->params : NULL;
    for (guint k = 0; params && k < params->len; k++) {
      const TsParam *p = g_ptr_array_index(params, k);
      ts_json_raw(&w, p->name, p->value_json ? p->value_json : "null");
    }
    ts_json_end_object(&w);
    ts_json_string(&w, "status", alt_status(a));
    ts_json_string(&w, "error", a->error);
    if (r != NULL)
      ts_json_bool(&w, "feasible", r->feasible);
    else
      ts_json_null(&w, "feasible");
    ts_json_number(&w, "total_time_s", ts_compare_metric_value(r, &ts_compare_metrics[0]));
    if (a->rep.replicas > 1) { /* the same shape as summary.json's */
      ts_json_begin_object(&w, "quantiles");
      const struct {
        const char *key;
        double time_s, cost_usd;
      } q[] = {{"p10", a->rep.time_p10_s, a->rep.cost_p10_usd},
               {"p50", a->rep.time_p50_s, a->rep.cost_p50_usd},
               {"p90", a->rep.time_p90_s, a->rep.cost_p90_usd}};
      for (gsize k = 0; k < G_N_ELEMENTS(q); k++) {
        ts_json_begin_object(&w, q[k].key);
        ts_json_number(&w, "time_s", q[k].time_s);
        ts_json_number(&w, "cost_usd", q[k].cost_usd);
        ts_json_end_object(&w);
      }
      ts_json_end_object(&w);
    }
    ts_json_begin_object(&w, "cost_usd");
    const char *cost_keys[] = {"total", "compute", "host", "storage", "network"};
    for (guint k = 0; k < 5; k++)
      ts_json_number(&w, cost_keys[k], ts_compare_metric_value(r, &ts_compare_metrics[1 + k]));
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "peak_memory_bytes");
    ts_json_number(&w, "device", r && r->peak_device > 0 ? r->peak_device : NAN);
    ts_json_number(&w, "device_capacity", r && r->device_capacity > 0 ? r->device_capacity : NAN);
    ts_json_number(&w, "host", r && r->peak_host > 0 ? r->peak_host : NAN);
    ts_json_number(&w, "host_capacity", r && r->host_capacity > 0 ? r->host_capacity : NAN);
    ts_json_number(&w, "storage", r ? r->peak_storage : NAN);
    ts_json_number(&w, "storage_capacity", r && r->storage_capacity > 0 ? r->storage_capacity : NAN);
    if (r != NULL) /* as summary.json says it: local disks each hold their share, and the peak is one host's */
      ts_json_bool(&w, "storage_per_host", r->storage_per_host);
    else
      ts_json_null(&w, "storage_per_host");
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "training");
    gboolean t = r != NULL && r->trained;
    ts_json_number(&w, "steps", t ? (double) r->steps : NAN);
    ts_json_number(&w, "step_time_s", t ? r->step_time_s : NAN);
    ts_json_number(&w, "mfu", t ? r->mfu : NAN);
    ts_json_end_object(&w);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_begin_array(&w, "differences");
  for (guint i = 0; i < diffs->len; i++) {
    const TsCompareDifference *d = &g_array_index(diffs, TsCompareDifference, i);
    ts_json_begin_object(&w, NULL);
    ts_json_string(&w, "scenario", alts[d->alt].name);
    ts_json_string(&w, "metric", d->metric);
    if (strcmp(d->metric, "feasible") == 0) {
      ts_json_bool(&w, "baseline_value", d->base != 0);
      ts_json_bool(&w, "value", d->value != 0);
      ts_json_null(&w, "ratio");
    } else {
      ts_json_number(&w, "baseline_value", d->base);
      ts_json_number(&w, "value", d->value);
      ts_json_number(&w, "ratio", d->value / d->base);
    }
    ts_json_string(&w, "text", d->text);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  g_autoptr(GArray) break_evens = ts_compare_break_evens(alts, n);
  ts_compare_break_evens_to_json(&w, alts, break_evens);
  ts_json_end_object(&w);
  return g_string_free(out, FALSE);
}

static char *
to_csv(TsCompareAlt *alts, guint n)
{
  GString *o = g_string_new("scenario,status,feasible,total_time_s,cost_total,cost_compute,cost_host,"
                            "cost_storage,cost_network,peak_device_bytes,peak_host_bytes,peak_storage_bytes,"
                            "storage_per_host,error\n");
  for (guint i = 0; i < n; i++) {
    const TsCompareAlt *a = &alts[i];
    const TsResults *r = ts_compare_alt_results(a);
    ts_csv_append_text(o, a->name);
    g_string_append_printf(o, ",%s,%s", alt_status(a), r ? (r->feasible ? "true" : "false") : "");
    for (guint k = 0; k < TS_COMPARE_METRIC_COUNT; k++) {
      g_string_append_c(o, ',');
      ts_csv_append_number(o, ts_compare_metric_value(r, &ts_compare_metrics[k]));
    }
    g_string_append_printf(o, ",%s", r == NULL ? "" : r->storage_per_host ? "true" : "false");
    g_string_append_c(o, ',');
    ts_csv_append_text(o, a->error);
    g_string_append_c(o, '\n');
  }
  return g_string_free(o, FALSE);
}

/* The overlaid chart's PNG and SVG into the set; its SVG kept in `svg` for report.html. */
static gboolean
add_chart(TsAtomicSet *set, TsCompareAlt *alts, guint n, const char *dir, GBytes **svg, GError **error)
{
  GString *sub = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    const TsResults *r = ts_compare_alt_results(&alts[i]);
    g_autofree char *t = r ? ts_format_duration(r->total_time_s) : g_strdup("error");
    g_autofree char *c = r ? ts_format_usd(r->cost_total) : g_strdup("-");
    g_string_append_printf(sub, "%s%s: %s, %s%s", i ? " · " : "", alts[i].name, t, c,
                           r && !r->feasible ? " (infeasible)" : "");
  }
  g_autoptr(TsPlot) plot = ts_plot_new("compare: cumulative cost and device memory over time", sub->str, 900, 640,
                                       TS_AXIS_DURATION, "time since the start of the run");
  g_string_free(sub, TRUE);
  guint pc = ts_plot_add_panel(plot, "cumulative cost", TS_AXIS_USD, 2);
  guint pm = ts_plot_add_panel(plot, "device memory, per device", TS_AXIS_BYTES, 1);
  for (guint i = 0; i < n; i++) {
    const TsCompareAlt *a = &alts[i];
    if (a->run == NULL)
      continue;
    guint len = a->series->points->len;
    g_autofree double *x = g_new(double, MAX(len, 1));
    g_autofree double *c = g_new(double, MAX(len, 1));
    g_autofree double *m = g_new(double, MAX(len, 1));
    for (guint k = 0; k < len; k++) {
      const TsSeriesPoint *p = &g_array_index(a->series->points, TsSeriesPoint, k);
      x[k] = ts_time_to_seconds(p->time);
      c[k] = ts_series_point_total(p);
      m[k] = p->device_bytes;
    }
    guint32 color = ts_chart_palette(i);
    ts_plot_add_line(plot, pc, a->name, color, TS_LINE_LINEAR, x, c, len);
    ts_plot_add_line(plot, pm, NULL, color, TS_LINE_STEP, x, m, len);
  }
  g_autofree char *png = g_build_filename(dir, "compare.png", NULL);
  g_autofree char *svg_path = g_build_filename(dir, "compare.svg", NULL);
  if (!ts_plot_add_to_set(plot, set, png, NULL, error))
    return FALSE;
  *svg = ts_plot_render_svg(plot, error);
  if (*svg == NULL)
    return FALSE;
  gsize len;
  const void *data = g_bytes_get_data(*svg, &len);
  return ts_atomic_set_add_bytes(set, svg_path, data, len, error);
}

const char *const ts_compare_file_names[] = {"compare.csv", "compare.png", "compare.svg", "report.html",
                                             "compare.json", NULL};

gboolean
ts_compare_write_outputs(TsCompareAlt *alts, guint n, const char *json, const char *dir, GError **error)
{
  if (!ts_output_dir_ensure(dir, error))
    return FALSE;
  g_autofree char *csv = to_csv(alts, n);
  g_autofree char *pcsv = g_build_filename(dir, "compare.csv", NULL);
  g_autofree char *pjson = g_build_filename(dir, "compare.json", NULL);
  g_autofree char *phtml = g_build_filename(dir, "report.html", NULL);
  g_autoptr(GBytes) svg = NULL;
  TsAtomicSet *set = ts_atomic_set_new(); /* all five files or none; compare.json last */
  gboolean ok = ts_atomic_set_add_bytes(set, pcsv, csv, strlen(csv), error) &&
                add_chart(set, alts, n, dir, &svg, error);
  if (ok) { /* from compare.json's text and compare.svg, as `trainsim report DIR` writes it again */
    gsize svg_len;
    const char *svg_data = g_bytes_get_data(svg, &svg_len);
    g_autofree char *html = ts_report_html_compare(json, strlen(json), svg_data, svg_len, "compare.json", error);
    ok = html != NULL && ts_atomic_set_add_bytes(set, phtml, html, strlen(html), error);
  }
  if (!ok || !ts_atomic_set_add_bytes(set, pjson, json, strlen(json), error)) {
    ts_atomic_set_abort(set);
    return FALSE;
  }
  return ts_atomic_set_commit(set, error);
}
