#include "output/report-html.h"

#include "common/ts-error.h"
#include "output/report-page.h"
#include "output/report-svg.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

const char *const ts_report_chart_names[3] = {"memory", "storage", "cost"};
const char *const ts_report_chart_captions[3] = {
  "Memory per device and per host over the run (phases shaded; restarts and checkpoints marked)",
  "Storage over the run: datasets and checkpoints", "Cumulative cost by category (restarts and checkpoints marked)"};

typedef struct {
  GString *h;
  const TsJsonValue *root;
} Doc;

/* The range: P10-P90 and the median of the model's band combined with the draws (summary.json quantiles). */
static void
headline_range(GString *h, const TsJsonValue *q, const TsJsonValue *basis)
{
  const TsJsonValue *p10 = report_object(q, "p10"), *p50 = report_object(q, "p50"), *p90 = report_object(q, "p90");
  /* Without the band, why (summary.json's quantiles_basis.method: "the draws alone: WHY"). */
  const char *method = report_string(basis, "method");
  const char *why = method != NULL && g_str_has_prefix(method, "the draws alone: ") ? method + 17 : NULL;
  if (p10 == NULL || p50 == NULL || p90 == NULL) {
    g_string_append(h, "<p class=\"range\" id=\"range\">Range: unknown (");
    report_text(h, why != NULL ? why : "no error band");
    g_string_append(h, ").</p>\n");
    return;
  }
  double draws = report_number(basis, "draws");
  g_string_append(h, "<p class=\"range\" id=\"range\">");
  if (why != NULL) {
    g_string_append(h, draws > 1 ? "The failure and preemption draws alone (" : "The forecast alone (");
    report_text(h, why);
    g_string_append(h, ")");
  } else if (draws > 1)
    g_string_append_printf(h, "The model's error band combined with %.0f failure and preemption draws", draws);
  else
    g_string_append(h, "With the model's error band");
  g_string_append(h, ": wall time ");
  report_value_span(h, "time-p10", report_number(p10, "time_s"), ts_format_duration(report_number(p10, "time_s")));
  g_string_append(h, " &ndash; ");
  report_value_span(h, "time-p90", report_number(p90, "time_s"), ts_format_duration(report_number(p90, "time_s")));
  g_string_append(h, " (P10&ndash;P90, median ");
  report_value_span(h, "time-p50", report_number(p50, "time_s"), ts_format_duration(report_number(p50, "time_s")));
  g_string_append(h, ")");
  if (isfinite(report_number(p10, "cost_usd"))) {
    g_string_append(h, "; cost ");
    report_value_span(h, "cost-p10", report_number(p10, "cost_usd"), ts_format_usd(report_number(p10, "cost_usd")));
    g_string_append(h, " &ndash; ");
    report_value_span(h, "cost-p90", report_number(p90, "cost_usd"), ts_format_usd(report_number(p90, "cost_usd")));
    g_string_append(h, " (P10&ndash;P90, median ");
    report_value_span(h, "cost-p50", report_number(p50, "cost_usd"), ts_format_usd(report_number(p50, "cost_usd")));
    g_string_append(h, ")");
  }
  g_string_append(h, ".</p>\n");
}

static void
section_headline(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *cost = report_object(d->root, "cost_usd");
  g_string_append(h, "<section id=\"forecast\"><h2>Forecast</h2>\n<p class=\"headline\">Wall time ");
  report_value_span(h, "headline-time", report_number(d->root, "total_time_s"),
             ts_format_duration(report_number(d->root, "total_time_s")));
  g_string_append(h, ", cost ");
  report_value_span(h, "headline-cost", report_number(cost, "total"), ts_format_usd(report_number(cost, "total")));
  const TsJsonValue *f = ts_json_value_get_member(d->root, "feasible");
  gboolean feasible = ts_json_value_is_scalar(f) && ts_json_value_get_boolean(f);
  g_string_append(h, "</p>\n");
  if (!feasible)
    g_string_append(h, "<p class=\"bad\" id=\"infeasible\">This run is not feasible: see the diagnostics.</p>\n");
  headline_range(h, report_object(d->root, "quantiles"), report_object(d->root, "quantiles_basis"));
  const char *band = report_string(d->root, "error_band"), *cal = report_string(d->root, "calibration");
  g_string_append(h, "<p>Expected error of the model: ");
  report_text(h, band ? band : "unknown (the model has no band for this device)");
  g_string_append(h, ". Calibration: ");
  report_text(h, cal ? cal : "none");
  g_string_append(h, ".</p>\n</section>\n");
}

static void
parameters_text(GString *out, const TsJsonValue *params, const TsJsonValue *seed)
{
  for (guint k = 0; params != NULL && k < params->len; k++) {
    g_autofree char *v = report_json_text(&params->u.items[k]);
    g_string_append_printf(out, "%s%s=%s", out->len ? " " : "", params->keys[k], v);
  }
  g_string_append_printf(out, "%sseed %" G_GINT64_FORMAT, out->len ? ", " : "",
                         ts_json_value_is_scalar(seed) ? ts_json_value_get_int(seed) : 0);
}

static void
catalogs_table(GString *h, const TsJsonValue *cats)
{
  g_string_append(h, "<table id=\"catalogs\"><caption>Catalogs read (device facts and prices, each number with its "
                     "source in the catalog file)</caption>\n<tr><th scope=\"col\">plugin</th><th scope=\"col\">file"
                     "</th><th scope=\"col\">prices dated</th><th scope=\"col\">sha256</th></tr>\n");
  for (guint i = 0; cats && i < cats->len; i++) {
    const TsJsonValue *c = report_element(cats, i);
    const char *cols[] = {report_string(c, "plugin"), report_string(c, "file"), report_string(c, "price_date"),
                          report_string(c, "sha256")};
    g_string_append(h, "<tr>");
    for (gsize k = 0; k < G_N_ELEMENTS(cols); k++) {
      g_string_append(h, k == 3 ? "<td><code>" : "<td>");
      report_text(h, cols[k] ? cols[k] : "not stated");
      g_string_append(h, k == 3 ? "</code></td>" : "</td>");
    }
    g_string_append(h, "</tr>\n");
  }
  g_string_append(h, "</table>\n");
}

static void
section_assumptions(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *cluster = report_object(d->root, "cluster"), *prov = report_object(d->root, "provenance");
  const TsJsonValue *train = report_object(d->root, "training");
  g_string_append(h, "<section id=\"assumptions\"><h2>Assumptions</h2>\n<table>\n");
  report_table_row(h, "scenario", report_string(d->root, "scenario"), FALSE);
  g_autoptr(GString) params = g_string_new(NULL);
  parameters_text(params, report_object(d->root, "parameters"), ts_json_value_get_member(d->root, "seed"));
  report_table_row(h, "parameters", params->str, FALSE);
  const char *device = report_string(cluster, "device");
  double nodes = report_number(cluster, "nodes");
  g_autofree char *cl = g_strdup_printf("%.0f x %s on %.0f host%s", report_number(cluster, "devices"),
                                        device ? device : "?", nodes, nodes == 1 ? "" : "s");
  report_table_row(h, "cluster", cl, FALSE);
  const char *pricing = report_string(prov, "pricing");
  report_table_row(h, "price", pricing ? pricing : "not stated", FALSE);
  const char *stack = report_string(train, "stack") ? report_string(train, "stack")
                                                    : report_string(report_object(d->root, "inference"), "stack");
  if (stack != NULL)
    report_table_row(h, "software stack", stack, FALSE);
  report_table_row(h, "trainsim", report_string(d->root, "trainsim_version"), FALSE);
  g_string_append(h, "</table>\n");
  catalogs_table(h, report_array(prov, "catalogs"));
  g_string_append(h, "</section>\n");
}

static void
section_phases(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *phases = report_array(d->root, "phases");
  if (phases == NULL)
    return;
  g_string_append(h, "<section id=\"phases\"><h2>Phases</h2>\n<figure>");
  ts_report_svg_gantt(h, phases, report_number(d->root, "total_time_s"));
  g_string_append(h, "<figcaption>Phases over the run's wall time, one lane per kind (hover for times).</figcaption>"
                     "</figure>\n");
  guint n = phases->len;
  if (n <= 40) {
    g_string_append(h, "<table id=\"phase-table\"><tr><th scope=\"col\">phase</th><th scope=\"col\">kind</th>"
                       "<th scope=\"col\">starts</th><th scope=\"col\">lasts</th></tr>\n");
    for (guint i = 0; i < n; i++) {
      const TsJsonValue *p = report_element(phases, i);
      g_autofree char *s = ts_format_duration(report_number(p, "start_s"));
      g_autofree char *l = ts_format_duration(report_number(p, "end_s") - report_number(p, "start_s"));
      const char *cols[] = {report_string(p, "name"), report_string(p, "kind"), s, l};
      g_string_append(h, "<tr>");
      for (gsize k = 0; k < G_N_ELEMENTS(cols); k++) {
        g_string_append(h, k >= 2 ? "<td class=\"num\">" : "<td>");
        report_text(h, cols[k]);
        g_string_append(h, "</td>");
      }
      g_string_append(h, "</tr>\n");
    }
    g_string_append(h, "</table>\n");
  } else {
    g_string_append_printf(h, "<p>%u phases (the table is in summary.json and timeline.csv).</p>\n", n);
  }
  g_string_append(h, "</section>\n");
}

static void
step_breakdown(GString *h, const TsJsonValue *bd)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) values = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint k = 0; bd != NULL && k < bd->len; k++) {
    double v = report_number(bd, bd->keys[k]);
    if (isfinite(v) && v > 0) {
      g_ptr_array_add(labels, g_strdelimit(g_strdup(bd->keys[k]), "_", ' '));
      g_array_append_val(values, v);
    }
  }
  if (labels->len == 0)
    return;
  g_string_append(h, "<h3>Step time by term</h3>\n<figure>");
  ts_report_svg_bars(h, (const char *const *) labels->pdata, (const double *) values->data, labels->len);
  g_string_append(h, "<figcaption>The terms of one step as summary.json's training.step_breakdown_s gives them "
                     "(docs/model.md says which overlap).</figcaption></figure>\n<table id=\"step-breakdown\">\n");
  for (guint i = 0; i < labels->len; i++) {
    g_autofree char *v = ts_format_duration(g_array_index(values, double, i));
    report_table_row(h, g_ptr_array_index(labels, i), v, TRUE);
  }
  g_string_append(h, "</table>\n");
}

static void
section_training(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *t = report_object(d->root, "training");
  if (t == NULL || !isfinite(report_number(t, "steps")))
    return;
  g_string_append(h, "<section id=\"training\"><h2>Training</h2>\n<table>\n");
  g_autofree char *steps = g_strdup_printf("%.0f of %.0f (%.1f epochs)", report_number(t, "steps_done"),
                                           report_number(t, "steps"), report_number(t, "epochs"));
  report_table_row(h, "steps done", steps, TRUE);
  g_autofree char *st = ts_format_duration(report_number(t, "step_time_s"));
  report_table_row(h, "step time", st, TRUE);
  g_autofree char *tp = g_strdup_printf("%.0f samples/s, MFU %.1f %%", report_number(t, "samples_per_s"),
                                        100.0 * report_number(t, "mfu"));
  report_table_row(h, "throughput", tp, TRUE);
  if (report_string(t, "bottleneck"))
    report_table_row(h, "bottleneck", report_string(t, "bottleneck"), FALSE);
  const TsJsonValue *ck = report_object(d->root, "checkpoints"), *f = report_object(d->root, "failures");
  g_autofree char *sz = ts_format_bytes(report_number(ck, "size_bytes"));
  g_autofree char *cks = g_strdup_printf("%.0f written, %s each", report_number(ck, "count"), sz);
  report_table_row(h, "checkpoints", cks, TRUE);
  if (isfinite(report_number(f, "count"))) {
    g_autofree char *lost = ts_format_duration(report_number(f, "lost_time_s"));
    g_autofree char *fs = g_strdup_printf("%.0f interruptions, %s of work lost", report_number(f, "count"), lost);
    report_table_row(h, "failures", fs, TRUE);
  } else {
    report_table_row(h, "failures", "not modelled", FALSE);
  }
  g_string_append(h, "</table>\n");
  step_breakdown(h, report_object(t, "step_breakdown_s"));
  g_string_append(h, "</section>\n");
}

static void
peak_row(GString *h, const TsJsonValue *m, const char *label, const char *key, const char *cap_key)
{
  double used = report_number(m, key), cap = report_number(m, cap_key);
  if (!isfinite(used)) {
    report_table_row(h, label, "not modelled", FALSE);
    return;
  }
  g_autofree char *u = ts_format_bytes(used);
  g_autofree char *c = isfinite(cap) && cap > 0 ? ts_format_bytes(cap) : NULL;
  g_autofree char *v = c ? g_strdup_printf("%s of %s (%.0f %%)", u, c, 100.0 * used / cap) : g_strdup(u);
  report_table_row(h, label, v, TRUE);
}

static void
section_resources(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *m = report_object(d->root, "peak_memory_bytes"), *c = report_object(d->root, "cost_usd");
  g_string_append(h, "<section id=\"resources\"><h2>Memory, storage and cost</h2>\n<table id=\"peaks\">"
                     "<caption>Peaks</caption>\n");
  peak_row(h, m, "device memory", "device", "device_capacity");
  peak_row(h, m, "host memory", "host", "host_capacity");
  peak_row(h, m, report_bool(m, "storage_per_host") == 1 ? "storage per host" : "storage", "storage",
           "storage_capacity");
  g_string_append(h, "</table>\n<table id=\"cost-split\"><caption>Cost split</caption>\n");
  static const char *const keys[] = {"compute", "host", "storage", "network", "total"};
  for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
    double v = report_number(c, keys[k]);
    g_autofree char *s = isfinite(v) ? ts_format_usd(v) : g_strdup("not modelled");
    report_table_row(h, keys[k], s, isfinite(v));
  }
  g_string_append(h, "</table>\n</section>\n");
}

/* Where the wall time goes: summary.json goodput, one row per category that took any time. */
static void
section_goodput(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *g = report_object(d->root, "goodput");
  const TsJsonValue *cats = report_object(g, "categories"), *usd = report_object(g, "cost_usd");
  double total = report_number(d->root, "total_time_s"), percent = report_number(g, "percent");
  if (cats == NULL || !(total > 0))
    return;
  g_string_append(h, "<section id=\"goodput\"><h2>Where the time goes</h2>\n<p>Goodput ");
  g_autofree char *pc = g_strdup_printf("%.1f %%", percent);
  report_value_span(h, "goodput-percent", percent, g_strdup(pc));
  g_string_append(h, " of the wall time is productive training.</p>\n<table id=\"goodput-table\"><caption>Wall time "
                     "and cost by category (they sum to the totals)</caption>\n<tr><th scope=\"col\">category</th>"
                     "<th scope=\"col\">time</th><th scope=\"col\">share</th><th scope=\"col\">cost</th></tr>\n");
  for (guint k = 0; k < cats->len; k++) {
    double t = report_number(cats, cats->keys[k]), c = report_number(usd, cats->keys[k]);
    if (!(t > 0))
      continue;
    g_autofree char *label = g_strdelimit(g_strdup(cats->keys[k]), "_", ' ');
    g_autofree char *dur = ts_format_duration(t);
    g_autofree char *cost = isfinite(c) ? ts_format_usd(c) : g_strdup("unknown");
    g_string_append(h, "<tr><th scope=\"row\">");
    report_text(h, label);
    g_string_append(h, "</th><td>");
    report_text(h, dur);
    g_string_append_printf(h, "</td><td>%.1f %%</td><td>", 100.0 * t / total);
    report_text(h, cost);
    g_string_append(h, "</td></tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

static void
section_charts(Doc *d, const TsReportChart *charts, guint n)
{
  if (n == 0)
    return;
  g_string_append(d->h, "<section id=\"charts\"><h2>Charts</h2>\n");
  for (guint i = 0; i < n; i++) {
    g_autofree char *prefix = g_strdup_printf("c%u-", i);
    g_string_append(d->h, "<figure>");
    ts_report_svg_inline(d->h, charts[i].svg, charts[i].svg_len, prefix);
    g_string_append(d->h, "<figcaption>");
    report_text(d->h, charts[i].caption);
    g_string_append(d->h, "</figcaption></figure>\n");
  }
  g_string_append(d->h, "</section>\n");
}

static void
section_diagnostics(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *diags = report_array(d->root, "diagnostics");
  guint n = diags ? diags->len : 0;
  g_string_append(h, "<section id=\"diagnostics\"><h2>Diagnostics</h2>\n");
  if (n == 0) {
    g_string_append(h, "<p>None.</p>\n</section>\n");
    return;
  }
  g_string_append(h, "<table><tr><th scope=\"col\">severity</th><th scope=\"col\">code</th><th scope=\"col\">at"
                     "</th><th scope=\"col\">message</th></tr>\n");
  for (guint i = 0; i < n; i++) {
    const TsJsonValue *g = report_element(diags, i);
    g_autofree char *at = ts_format_duration(report_number(g, "time_s"));
    const char *cols[] = {report_string(g, "severity"), report_string(g, "code"), at, report_string(g, "message")};
    g_string_append(h, "<tr>");
    for (gsize k = 0; k < G_N_ELEMENTS(cols); k++) {
      g_string_append(h, "<td>");
      report_text(h, cols[k]);
      g_string_append(h, "</td>");
    }
    g_string_append(h, "</tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

char *
ts_report_html_run(const char *json, gsize len, const TsReportChart *charts, guint n_charts, const char *what,
                   GError **error)
{
  g_autoptr(TsJsonDoc) doc = NULL;
  const TsJsonValue *root = report_parse(&doc, json, len, what, error);
  if (root == NULL)
    return NULL;
  if (!isfinite(report_number(root, "total_time_s"))) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: not a trainsim run summary (no total_time_s)", what);
    return NULL;
  }
  Doc d = {g_string_new(NULL), root};
  report_page_begin(d.h, "Training run forecast", report_string(root, "scenario"),
                    report_string(root, "trainsim_version"), "summary.json");
  section_headline(&d);
  section_assumptions(&d);
  section_phases(&d);
  section_training(&d);
  section_resources(&d);
  report_section_ownership(d.h, d.root);
  section_goodput(&d);
  report_section_energy(d.h, d.root);
  section_charts(&d, charts, n_charts);
  section_diagnostics(&d);
  report_page_end(d.h);
  return g_string_free(d.h, FALSE);
}
