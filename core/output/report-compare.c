/* A comparison's report.html, from compare.json's text and compare.svg alone (so `compare --out` and
 * `trainsim report DIR` write the same page): the alternatives side by side, what decides first (fits, wall
 * time, cost, their ranges, the deadline and budget), then the rest; the differences from the baseline in words,
 * the decisive ones first; the overlaid chart (docs/outputs.md, "The comparison's report.html"). */
#include "output/report-html.h"

#include "common/ts-error.h"
#include "output/report-page.h"
#include "output/report-svg.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

typedef struct {
  GString *h;
  const TsJsonValue *root;
  const TsJsonValue *alts;
  guint n;
} Doc;

typedef enum { KIND_TIME, KIND_USD, KIND_BYTES, KIND_COUNT, KIND_PERCENT } Kind;

/* A numeric row of the table: where its value is in an alternative's object. */
typedef struct {
  const char *label;
  const char *group; /* NULL: a member of the alternative itself */
  const char *key;
  Kind kind;
  const char *id; /* cells' ids: ID-i (i: the alternative's position), for the browser test; NULL: none */
} Row;

static const Row decisive[] = {
  {"wall time", NULL, "total_time_s", KIND_TIME, "time"},
  {"cost", "cost_usd", "total", KIND_USD, "cost"},
};

static const Row rest[] = {
  {"compute cost", "cost_usd", "compute", KIND_USD, NULL},
  {"host cost", "cost_usd", "host", KIND_USD, NULL},
  {"storage cost", "cost_usd", "storage", KIND_USD, NULL},
  {"network cost", "cost_usd", "network", KIND_USD, NULL},
  {"peak device memory", "peak_memory_bytes", "device", KIND_BYTES, NULL},
  {"device capacity", "peak_memory_bytes", "device_capacity", KIND_BYTES, NULL},
  {"peak host memory", "peak_memory_bytes", "host", KIND_BYTES, NULL},
  {"host capacity", "peak_memory_bytes", "host_capacity", KIND_BYTES, NULL},
  {"peak storage", "peak_memory_bytes", "storage", KIND_BYTES, NULL},
  {"storage capacity", "peak_memory_bytes", "storage_capacity", KIND_BYTES, NULL},
  {"training steps", "training", "steps", KIND_COUNT, NULL},
  {"step time", "training", "step_time_s", KIND_TIME, NULL},
  {"MFU", "training", "mfu", KIND_PERCENT, NULL},
};

static const TsJsonValue *
alt_at(Doc *d, guint i)
{
  return report_element(d->alts, i);
}

static double
row_value(const TsJsonValue *alt, const Row *r)
{
  return report_number(r->group ? report_object(alt, r->group) : alt, r->key);
}

static char *
format(Kind kind, double v)
{
  if (!isfinite(v))
    return g_strdup("-");
  switch (kind) {
  case KIND_TIME:
    return ts_format_duration(v);
  case KIND_USD:
    return ts_format_usd(v);
  case KIND_BYTES:
    return ts_format_bytes(v);
  case KIND_PERCENT:
    return g_strdup_printf("%.1f %%", 100 * v);
  case KIND_COUNT:
  default:
    return g_strdup_printf("%.0f", v);
  }
}

/* A cell: the value, and beside it its ratio to the baseline's when it differs by 1 % or more. */
static void
value_row(Doc *d, const Row *r)
{
  GString *h = d->h;
  double base = row_value(alt_at(d, 0), r);
  gboolean any = FALSE;
  for (guint i = 0; i < d->n; i++)
    any = any || isfinite(row_value(alt_at(d, i), r));
  if (!any)
    return; /* not modelled for any: said once, in the caption, rather than a row of dashes */
  g_string_append(h, "<tr><th scope=\"row\">");
  report_text(h, r->label);
  g_string_append(h, "</th>");
  for (guint i = 0; i < d->n; i++) {
    double v = row_value(alt_at(d, i), r);
    g_autofree char *id = r->id ? g_strdup_printf("%s-%u", r->id, i) : NULL;
    char *text = format(r->kind, v);
    if (isfinite(v) && g_strcmp0(r->group, "peak_memory_bytes") == 0 && g_str_has_prefix(r->key, "storage") &&
        report_bool(report_object(alt_at(d, i), r->group), "storage_per_host") == 1) {
      char *per = g_strdup_printf("%s per host", text); /* local disks: one host's share, as summary.json says */
      g_free(text);
      text = per;
    }
    if (i > 0 && isfinite(v) && base > 0 && fabs(v / base - 1) >= 0.01) {
      char *with = g_strdup_printf("%s (%.2fx)", text, v / base);
      g_free(text);
      text = with;
    }
    report_value_cell(h, id, v, text);
  }
  g_string_append(h, "</tr>\n");
}

static void
text_row(Doc *d, const char *label, char *(*cell)(const TsJsonValue *alt))
{
  g_string_append(d->h, "<tr><th scope=\"row\">");
  report_text(d->h, label);
  g_string_append(d->h, "</th>");
  for (guint i = 0; i < d->n; i++) {
    g_autofree char *v = cell(alt_at(d, i));
    g_string_append(d->h, "<td>");
    report_text(d->h, v);
    g_string_append(d->h, "</td>");
  }
  g_string_append(d->h, "</tr>\n");
}

static char *
cell_fits(const TsJsonValue *a)
{
  int f = report_bool(a, "feasible");
  return g_strdup(f == 1 ? "yes" : f == 0 ? "NO" : "error");
}

static char *
yes_no(int b)
{
  return g_strdup(b == 1 ? "yes" : b == 0 ? "no" : "-");
}

static char *
cell_deadline(const TsJsonValue *a)
{
  return yes_no(report_bool(a, "meets_deadline"));
}

static char *
cell_budget(const TsJsonValue *a)
{
  return yes_no(report_bool(a, "meets_budget"));
}

static char *
cell_recommended(const TsJsonValue *a)
{
  return yes_no(report_bool(a, "recommended"));
}

static char *
range_text(const TsJsonValue *a, const char *key, gboolean usd)
{
  const TsJsonValue *q = report_object(a, "quantiles");
  double lo = report_number(report_object(q, "p10"), key), hi = report_number(report_object(q, "p90"), key);
  if (!isfinite(lo) || !isfinite(hi))
    return g_strdup("-");
  g_autofree char *x = usd ? ts_format_usd(lo) : ts_format_duration(lo);
  g_autofree char *y = usd ? ts_format_usd(hi) : ts_format_duration(hi);
  return g_strdup_printf("%s \xe2\x80\x93 %s", x, y);
}

static char *
cell_time_range(const TsJsonValue *a)
{
  return range_text(a, "time_s", FALSE);
}

static char *
cell_cost_range(const TsJsonValue *a)
{
  return range_text(a, "cost_usd", TRUE);
}

static char *
cell_status(const TsJsonValue *a)
{
  return g_strdup(report_string(a, "status") ? report_string(a, "status") : "?");
}

static char *
cell_parameters(const TsJsonValue *a)
{
  const TsJsonValue *p = report_object(a, "parameters");
  GString *s = g_string_new(NULL);
  for (guint k = 0; p != NULL && k < p->len; k++) {
    g_autofree char *v = report_json_text(&p->u.items[k]);
    g_string_append_printf(s, "%s%s=%s", s->len ? " " : "", p->keys[k], v);
  }
  return g_string_free(s, FALSE);
}

static gboolean
has_member(Doc *d, const char *key)
{
  for (guint i = 0; i < d->n; i++) {
    const TsJsonValue *m = ts_json_value_get_member(alt_at(d, i), key);
    if (m != NULL && m->type != TS_JSON_NULL)
      return TRUE;
  }
  return FALSE;
}

static void
group_header(Doc *d, const char *title)
{
  g_string_append_printf(d->h, "<tr><th scope=\"colgroup\" colspan=\"%u\" class=\"group\">", d->n + 1);
  report_text(d->h, title);
  g_string_append(d->h, "</th></tr>\n");
}

static void
section_table(Doc *d)
{
  GString *h = d->h;
  g_string_append(h, "<section id=\"side-by-side\"><h2>Side by side</h2>\n<table id=\"compare-table\"><caption>"
                     "The first column is the baseline; beside a value that differs from the baseline's by 1 % or "
                     "more, its ratio to it. Rows no alternative models are left out.</caption>\n<thead><tr><th "
                     "scope=\"col\"></th>");
  for (guint i = 0; i < d->n; i++) {
    g_string_append(h, "<th scope=\"col\">");
    report_text(h, report_string(alt_at(d, i), "scenario"));
    g_string_append(h, i == 0 ? " (baseline)</th>" : "</th>");
  }
  g_string_append(h, "</tr></thead>\n<tbody>\n");
  group_header(d, "What decides: fits, time, cost");
  text_row(d, "fits (feasible)", cell_fits);
  for (gsize k = 0; k < G_N_ELEMENTS(decisive); k++)
    value_row(d, &decisive[k]);
  if (has_member(d, "quantiles")) {
    text_row(d, "wall time P10\xe2\x80\x93P90", cell_time_range);
    text_row(d, "cost P10\xe2\x80\x93P90", cell_cost_range);
  }
  if (isfinite(report_number(d->root, "deadline_s")))
    text_row(d, "meets the deadline", cell_deadline);
  if (isfinite(report_number(d->root, "budget_usd")))
    text_row(d, "within budget", cell_budget);
  if (has_member(d, "recommended"))
    text_row(d, "recommended", cell_recommended);
  g_string_append(h, "</tbody>\n<tbody>\n");
  group_header(d, "The rest");
  for (gsize k = 0; k < G_N_ELEMENTS(rest); k++)
    value_row(d, &rest[k]);
  text_row(d, "parameters", cell_parameters);
  text_row(d, "status", cell_status);
  g_string_append(h, "</tbody></table>\n</section>\n");
}

/* The rank of a difference: a change of fit, then time, then cost, then the rest in compare.json's order. */
static int
decisive_rank(const char *metric)
{
  return g_strcmp0(metric, "feasible") == 0       ? 0
         : g_strcmp0(metric, "total_time_s") == 0 ? 1
         : g_strcmp0(metric, "cost_usd.total") == 0 ? 2
                                                    : 3;
}

static void
section_headline(Doc *d)
{
  GString *h = d->h;
  g_string_append(h, "<section id=\"forecast\"><h2>Comparison</h2>\n<p class=\"headline\">");
  g_string_append_printf(h, "%u alternatives, against the baseline ", d->n);
  report_text(h, report_string(d->root, "baseline"));
  g_string_append(h, ".</p>\n<ul id=\"alternatives\">\n");
  for (guint i = 0; i < d->n; i++) {
    const TsJsonValue *a = alt_at(d, i);
    g_string_append(h, "<li><strong>");
    report_text(h, report_string(a, "scenario"));
    g_string_append(h, "</strong>: ");
    if (report_string(a, "error") != NULL && report_bool(a, "feasible") == -1) {
      g_string_append(h, "<span class=\"bad\">failed</span> (see below)</li>\n");
      continue;
    }
    double t = report_number(a, "total_time_s"), c = report_number(report_object(a, "cost_usd"), "total");
    g_autofree char *tid = g_strdup_printf("headline-time-%u", i), *cid = g_strdup_printf("headline-cost-%u", i);
    g_string_append(h, "wall time ");
    report_value_span(h, tid, t, ts_format_duration(t));
    g_string_append(h, ", cost ");
    report_value_span(h, cid, c, isfinite(c) ? ts_format_usd(c) : g_strdup("unknown (no price)"));
    g_string_append(h, report_bool(a, "feasible") == 1 ? "; fits" : "; <span class=\"bad\">does not fit</span>");
    if (report_bool(a, "recommended") == 1)
      g_string_append(h, "; <strong>recommended</strong>");
    g_string_append(h, "</li>\n");
  }
  g_string_append(h, "</ul>\n");
  const char *rec = report_string(d->root, "recommendation");
  if (rec != NULL) {
    g_string_append(h, "<p id=\"recommendation\">Recommendation: the ");
    report_text(h, rec);
    g_string_append(h, ".</p>\n");
  }
  const TsJsonValue *diffs = report_array(d->root, "differences");
  guint nd = diffs ? diffs->len : 0;
  g_string_append(h, "<h3>Largest differences from the baseline</h3>\n");
  if (nd == 0) {
    g_string_append(h, "<p>None of 1 % or more that matters beside the whole.</p>\n</section>\n");
    return;
  }
  g_string_append(h, "<ol id=\"differences\">\n");
  for (int rank = 0; rank <= 3; rank++)
    for (guint i = 0; i < nd; i++) {
      const TsJsonValue *x = report_element(diffs, i);
      if (decisive_rank(report_string(x, "metric")) != rank)
        continue;
      g_string_append(h, rank < 3 ? "<li><strong>" : "<li>");
      report_text(h, report_string(x, "text"));
      g_string_append(h, rank < 3 ? "</strong></li>\n" : "</li>\n");
    }
  g_string_append(h, "</ol>\n<p class=\"muted\">A change of fit first, then wall time and cost, then the rest by "
                     "size of ratio; a difference under 1 %, or too small beside the whole, is left out.</p>\n"
                     "</section>\n");
}

/* compare.json break_even[]: for each owned alternative against each rented one, the use a year from which
 * owning is cheaper. */
static void
section_break_even(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *be = report_array(d->root, "break_even");
  guint n = be != NULL && report_objects_only(be) ? be->len : 0;
  if (n == 0)
    return;
  g_string_append(h, "<section id=\"ownership\"><h2>Owning or renting</h2>\n<ul>\n");
  for (guint i = 0; i < n; i++) {
    const TsJsonValue *x = report_element(be, i);
    double runs = report_number(x, "runs_per_year"), hours = report_number(x, "hours_per_year");
    g_string_append(h, "<li>Owning ");
    report_text(h, report_string(x, "owned"));
    g_string_append(h, " is cheaper than renting ");
    report_text(h, report_string(x, "against"));
    if (isfinite(runs) && isfinite(hours)) {
      g_autofree char *rid = g_strdup_printf("break-even-runs-%u", i), *hid = g_strdup_printf("break-even-hours-%u", i);
      g_string_append(h, " from ");
      report_value_span(h, rid, runs, g_strdup_printf("%.1f runs a year", runs));
      g_string_append(h, " (");
      report_value_span(h, hid, hours, g_strdup_printf("%.0f hours of use", hours));
      g_string_append(h, ").</li>\n");
    } else {
      g_string_append(h, ": the break-even is unknown.</li>\n");
    }
  }
  g_string_append(h, "</ul>\n<p class=\"muted\">docs/outputs.md, \"Owning, committing and the break-even\", says how "
                     "it is found.</p>\n</section>\n");
}

static void
section_chart(Doc *d, const char *svg, gsize svg_len)
{
  if (svg == NULL)
    return;
  g_string_append(d->h, "<section id=\"charts\"><h2>Over time</h2>\n<figure>");
  ts_report_svg_inline(d->h, svg, svg_len, "c0-");
  g_string_append(d->h, "<figcaption>compare.svg: cumulative cost and device memory over each run's time, one "
                        "colour per alternative.</figcaption></figure>\n</section>\n");
}

static void
section_assumptions(Doc *d)
{
  GString *h = d->h;
  g_string_append(h, "<section id=\"assumptions\"><h2>Assumptions</h2>\n<table>\n");
  g_autofree char *seed = g_strdup_printf("%.0f", report_number(d->root, "seed"));
  report_table_row(h, "seed", seed, FALSE);
  const TsJsonValue *sets = report_array(d->root, "sets");
  g_autoptr(GString) s = g_string_new(NULL);
  for (guint i = 0; sets && i < sets->len; i++) {
    const char *set = ts_json_value_get_string(ts_json_value_get_element(sets, i));
    g_string_append_printf(s, "%s%s", i ? " " : "", set ? set : "?");
  }
  report_table_row(h, "--set for all", s->len ? s->str : "none", FALSE);
  double deadline = report_number(d->root, "deadline_s"), budget = report_number(d->root, "budget_usd");
  g_autofree char *dl = isfinite(deadline) ? ts_format_duration(deadline) : g_strdup("none");
  g_autofree char *bu = isfinite(budget) ? ts_format_usd(budget) : g_strdup("none");
  report_table_row(h, "deadline", dl, FALSE);
  report_table_row(h, "budget", bu, FALSE);
  if (report_string(d->root, "quantile") != NULL)
    report_table_row(h, "judged at", report_string(d->root, "quantile"), FALSE);
  report_table_row(h, "trainsim", report_string(d->root, "trainsim_version"), FALSE);
  g_string_append(h, "</table>\n<p>The catalog numbers behind each alternative, with their sources and dates, are in "
                     "its own report: <code>trainsim run SCENARIO --set ... --seed SEED --out DIR</code> writes "
                     "DIR/report.html with the same time and cost.</p>\n</section>\n");
}

static void
section_errors(Doc *d)
{
  GString *h = d->h;
  gboolean any = FALSE;
  for (guint i = 0; i < d->n; i++)
    any = any || report_string(alt_at(d, i), "error") != NULL;
  if (!any)
    return;
  g_string_append(h, "<section id=\"diagnostics\"><h2>Errors</h2>\n<table><tr><th scope=\"col\">scenario</th>"
                     "<th scope=\"col\">message</th></tr>\n");
  for (guint i = 0; i < d->n; i++) {
    const TsJsonValue *a = alt_at(d, i);
    if (report_string(a, "error") == NULL)
      continue;
    g_string_append(h, "<tr><td>");
    report_text(h, report_string(a, "scenario"));
    g_string_append(h, "</td><td>");
    report_text(h, report_string(a, "error"));
    g_string_append(h, "</td></tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

char *
ts_report_html_compare(const char *json, gsize len, const char *svg, gsize svg_len, const char *what,
                       GError **error)
{
  g_autoptr(TsJsonDoc) doc = NULL;
  const TsJsonValue *root = report_parse(&doc, json, len, what, error);
  if (root == NULL)
    return NULL;
  const TsJsonValue *alts = report_array(root, "alternatives");
  if (g_strcmp0(report_string(root, "kind"), "compare") != 0 || alts == NULL || alts->len == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: not a trainsim comparison (no \"kind\": \"compare\" with "
                "alternatives)", what);
    return NULL;
  }
  if (!report_objects_only(alts) || !report_objects_only(report_array(root, "differences"))) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: an alternative or a difference is not an object", what);
    return NULL;
  }
  Doc d = {g_string_new(NULL), root, alts, alts->len};
  /* "A vs B vs C"; past four, "A and N others" */
  g_autoptr(GString) name = g_string_new(report_string(root, "baseline"));
  if (d.n > 4)
    g_string_append_printf(name, " and %u others", d.n - 1);
  for (guint i = 1; i < d.n && d.n <= 4; i++)
    g_string_append_printf(name, " vs %s", report_string(alt_at(&d, i), "scenario"));
  report_page_begin(d.h, "Comparison", name->str, report_string(root, "trainsim_version"), "compare.json");
  section_headline(&d);
  section_table(&d);
  section_break_even(&d);
  section_chart(&d, svg, svg_len);
  section_assumptions(&d);
  section_errors(&d);
  report_page_end(d.h);
  return g_string_free(d.h, FALSE);
}
