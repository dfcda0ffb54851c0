/* A sweep's report.html, from sweep.json's text alone (so `sweep --out`, `merge --out` and `trainsim report DIR`
 * write the same page): the recommendation and why, the fastest and the cheapest option, the time-cost chart
 * on logarithmic axes with a colour per option, the table of variants with their ranges, and the variants that
 * failed (docs/outputs.md, "The sweep's report.html"). */
#include "output/report-html.h"

#include "common/ts-error.h"
#include "output/report-page.h"
#include "output/report-svg.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

/* The most variants listed in the page's table (the front and the recommended one always are): sweep.csv has
 * them all. */
#define MAX_TABLE_ROWS 120
/* Colours per option when there are at most this many (the palette less its yellow, too pale on white). */
#define MAX_COLOURS 7
static const int colour_order[MAX_COLOURS] = {0, 1, 2, 3, 4, 5, 7};

typedef struct {
  GString *h;
  const TsJsonValue *root;
  const TsJsonValue *runs;
  const TsJsonValue *params;
  gboolean replicas; /* runs carry quantiles */
} Doc;

static gboolean
has_result(const TsJsonValue *run)
{
  const char *st = report_string(run, "status");
  return g_strcmp0(st, "ok") == 0 || g_strcmp0(st, "infeasible") == 0;
}

static gboolean
plotted(const TsJsonValue *run)
{
  const TsJsonValue *c = report_object(run, "cost_usd");
  return has_result(run) && report_number(run, "total_time_s") > 0 && report_number(c, "total") > 0;
}

/* A run's parameter value as sweep.json has it ("512", "adam", "true"). */
static char *
param_value(const TsJsonValue *run, const char *name)
{
  const TsJsonValue *params = report_object(run, "parameters");
  const TsJsonValue *n = name != NULL ? ts_json_value_get_member(params, name) : NULL;
  if (!ts_json_value_is_scalar(n))
    return g_strdup("?");
  if (n->type == TS_JSON_STRING)
    return g_strdup(n->u.s);
  return report_json_text(n);
}

static const char *
param_name(Doc *d, guint k)
{
  return report_string(report_element(d->params, k), "name");
}

/* "batch=512 opt=adam" */
static char *
values_text(Doc *d, const TsJsonValue *run)
{
  GString *s = g_string_new(NULL);
  for (guint k = 0; d->params && k < d->params->len; k++) {
    g_autofree char *v = param_value(run, param_name(d, k));
    g_string_append_printf(s, "%s%s=%s", k ? " " : "", param_name(d, k), v);
  }
  return g_string_free(s, FALSE);
}

static char *
option_label(Doc *d, const TsJsonValue *run)
{
  g_autofree char *v = values_text(d, run);
  return g_strdup_printf("#%.0f%s%s", report_number(run, "index"), *v ? ": " : "", v);
}

static const TsJsonValue *
run_at(Doc *d, guint i)
{
  return report_element(d->runs, i);
}

/* The feasible run with the least time (fastest) or cost (cheapest); ties to the earlier (sweep.json's order,
 * cheapest first). */
static const TsJsonValue *
extreme(Doc *d, gboolean by_time)
{
  const TsJsonValue *best = NULL;
  for (guint i = 0; i < d->runs->len; i++) {
    const TsJsonValue *r = run_at(d, i);
    double v = by_time ? report_number(r, "total_time_s") : report_number(report_object(r, "cost_usd"), "total");
    if (report_bool(r, "feasible") != 1 || !isfinite(v))
      continue;
    double b = best == NULL ? INFINITY
               : by_time    ? report_number(best, "total_time_s")
                            : report_number(report_object(best, "cost_usd"), "total");
    if (v < b)
      best = r;
  }
  return best;
}

static const TsJsonValue *
recommended_run(Doc *d)
{
  for (guint i = 0; i < d->runs->len; i++)
    if (report_bool(run_at(d, i), "recommended") == 1)
      return run_at(d, i);
  return NULL;
}

/* "#3: batch=512: 2 h 10 min, 1,234 USD", the time and cost carrying their values under ids PREFIX-time and
 * PREFIX-cost. */
static void
option_sentence(Doc *d, const TsJsonValue *run, const char *prefix)
{
  g_autofree char *label = option_label(d, run);
  g_autofree char *tid = g_strdup_printf("%s-time", prefix), *cid = g_strdup_printf("%s-cost", prefix);
  double t = report_number(run, "total_time_s"), c = report_number(report_object(run, "cost_usd"), "total");
  report_text(d->h, label);
  g_string_append(d->h, ", wall time ");
  report_value_span(d->h, tid, t, ts_format_duration(t));
  g_string_append(d->h, ", cost ");
  report_value_span(d->h, cid, c, isfinite(c) ? ts_format_usd(c) : g_strdup("unknown (no price)"));
}

static void
section_recommendation(Doc *d)
{
  GString *h = d->h;
  const TsJsonValue *counts = report_object(d->root, "counts");
  double deadline = report_number(d->root, "deadline_s"), budget = report_number(d->root, "budget_usd");
  g_string_append(h, "<section id=\"forecast\"><h2>Recommendation</h2>\n<p class=\"headline\">");
  g_string_append_printf(h, "%.0f of %.0f variants finished: %.0f ok, %.0f infeasible, %.0f failed; ",
                         report_number(d->root, "finished"), report_number(d->root, "variants"),
                         report_number(counts, "ok"), report_number(counts, "infeasible"),
                         report_number(counts, "error") + report_number(counts, "crashed") +
                           report_number(counts, "timeout"));
  g_string_append(h, "Pareto front ");
  report_value_span(h, "pareto-count", report_number(counts, "pareto"),
                    g_strdup_printf("%.0f", report_number(counts, "pareto")));
  g_string_append(h, ".</p>\n");
  if (report_bool(d->root, "complete") == 0)
    g_string_append(h, "<p class=\"bad\">Incomplete: the sweep was interrupted; these are the variants that "
                       "finished.</p>\n");
  const TsJsonValue *rec = report_object(d->root, "recommended"), *best = recommended_run(d);
  if (rec == NULL) {
    g_string_append(h, "<p id=\"recommendation\">No deadline or budget was given (<code>--deadline</code>, "
                       "<code>--budget</code>), so none is recommended: the options worth choosing between are "
                       "the Pareto front's, those no other option beats on both time and cost.</p>\n");
  } else if (best == NULL) {
    g_string_append(h, "<p class=\"bad\" id=\"recommendation\">");
    report_text(h, report_string(rec, "reason"));
    g_string_append(h, ".</p>\n");
  } else {
    g_string_append(h, "<p class=\"headline\" id=\"recommendation\">Recommended: ");
    option_sentence(d, best, "recommended");
    /* The reason up to its own restatement of the option: "cheapest variant that finishes within 4 h 0 min". */
    const char *reason = report_string(rec, "reason") ? report_string(rec, "reason") : "";
    const char *cut = strstr(reason, ": #");
    g_autofree char *rule = g_strndup(reason, cut ? (gsize) (cut - reason) : strlen(reason));
    g_string_append(h, ".</p>\n<p>Why: it is the ");
    report_text(h, rule);
    g_string_append(h, ". ");
    guint meeting = 0, feasible = 0;
    for (guint i = 0; i < d->runs->len; i++) {
      const TsJsonValue *r = run_at(d, i);
      feasible += report_bool(r, "feasible") == 1;
      meeting += report_bool(r, "feasible") == 1 && (isnan(deadline) || report_bool(r, "meets_deadline") == 1) &&
                 (isnan(budget) || report_bool(r, "meets_budget") == 1);
    }
    g_string_append_printf(h, "%u of the %u feasible variants meet %s; among them trainsim takes the %s. ", meeting,
                           feasible, !isnan(deadline) && !isnan(budget) ? "both limits" : "the limit",
                           isnan(deadline) ? "fastest (a budget alone: the time it buys)"
                                           : "cheapest (a deadline: the least money that meets it)");
    if (report_number(d->root, "replicas") > 1)
      g_string_append_printf(h, "Each is judged at %s of its %.0f seeds, not on one draw. ",
                             report_string(d->root, "quantile") ? report_string(d->root, "quantile") : "?",
                             report_number(d->root, "replicas"));
    g_string_append(h, report_bool(best, "pareto") == 1
                         ? "It is on the Pareto front: no other option is both faster and cheaper.</p>\n"
                         : "It is not on the Pareto front: an option outside the limits is both faster and "
                           "cheaper.</p>\n");
  }
  const TsJsonValue *fast = extreme(d, TRUE), *cheap = extreme(d, FALSE);
  if (fast != NULL) {
    g_string_append(h, "<p>Fastest: ");
    option_sentence(d, fast, "fastest");
    g_string_append(h, ".<br>Cheapest: ");
    option_sentence(d, cheap, "cheapest");
    g_string_append(h, ".</p>\n");
  }
  g_string_append(h, "</section>\n");
}

/* Colour per option: each its own when they are few, else per value of the first parameter that has few,
 * else one colour (the front and the recommendation still stand out by size and ring).  Fills `colours` (one
 * per run) and the legend. */
static void
assign_colours(Doc *d, int *colours, GString *legend)
{
  guint n = d->runs->len, np = d->params ? d->params->len : 0, shown = 0;
  for (guint i = 0; i < n; i++)
    shown += plotted(run_at(d, i));
  for (guint i = 0; i < n; i++)
    colours[i] = 0;
  if (shown <= MAX_COLOURS) {
    guint c = 0;
    for (guint i = 0; i < n; i++) {
      if (!plotted(run_at(d, i)))
        continue;
      colours[i] = colour_order[c++];
      g_autofree char *label = option_label(d, run_at(d, i));
      g_string_append_printf(legend, "<span class=\"legend-item\"><span class=\"swatch\" style=\"background:%s\">"
                             "</span>", ts_report_palette[colours[i]]);
      report_text(legend, label);
      g_string_append(legend, "</span> ");
    }
    return;
  }
  for (guint k = 0; k < np; k++) {
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < n; i++) {
      g_autofree char *v = param_value(run_at(d, i), param_name(d, k));
      guint at = 0;
      while (at < values->len && strcmp(g_ptr_array_index(values, at), v) != 0)
        at++;
      if (at == values->len)
        g_ptr_array_add(values, g_strdup(v));
      colours[i] = at < MAX_COLOURS ? colour_order[at] : 0;
    }
    if (values->len >= 2 && values->len <= MAX_COLOURS) {
      g_string_append(legend, "Colour: ");
      report_text(legend, param_name(d, k));
      g_string_append(legend, " ");
      for (guint v = 0; v < values->len; v++) {
        g_string_append_printf(legend, "<span class=\"legend-item\"><span class=\"swatch\" style=\"background:%s\">"
                               "</span>", ts_report_palette[colour_order[v]]);
        report_text(legend, g_ptr_array_index(values, v));
        g_string_append(legend, "</span> ");
      }
      return;
    }
  }
  for (guint i = 0; i < n; i++)
    colours[i] = 0;
  g_string_append(legend, "One colour: every parameter has more values than the palette has colours.");
}

static void
section_chart(Doc *d)
{
  GString *h = d->h;
  guint n = d->runs->len;
  g_autofree int *colours = g_new0(int, MAX(n, 1));
  g_autoptr(GString) legend = g_string_new(NULL);
  assign_colours(d, colours, legend);
  g_autofree TsReportPoint *pts = g_new0(TsReportPoint, MAX(n, 1));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
  guint np = 0, unplotted = 0, labelled = 0;
  gboolean few = n <= 12; /* few enough to label every one */
  for (guint i = 0; i < n; i++) {
    const TsJsonValue *r = run_at(d, i);
    if (!plotted(r)) {
      unplotted++;
      continue;
    }
    char *label = option_label(d, r);
    g_ptr_array_add(labels, label);
    gboolean front = report_bool(r, "pareto") == 1, rec = report_bool(r, "recommended") == 1;
    pts[np++] = (TsReportPoint){report_number(r, "total_time_s"), report_number(report_object(r, "cost_usd"), "total"),
                                label, colours[i], report_bool(r, "feasible") == 1, front, rec, few || front || rec};
    labelled += few || front || rec;
  }
  g_string_append(h, "<section id=\"chart\"><h2>Time against cost</h2>\n");
  if (np == 0) {
    g_string_append(h, "<p>No variant has both a time and a price to plot.</p>\n</section>\n");
    return;
  }
  g_string_append(h, "<figure>");
  guint drawn = ts_report_svg_pareto(h, pts, np, report_number(d->root, "deadline_s"),
                                     report_number(d->root, "budget_usd"));
  g_string_append(h, "<figcaption><p class=\"legend\">");
  g_string_append(h, legend->str);
  g_string_append(h, "</p>Each option's wall time and cost on its own seed, both axes logarithmic. Dots: feasible "
                     "(larger on the Pareto front, joined by the dashed staircase); crosses: infeasible; the ring: "
                     "the recommended option; dashed green lines: the deadline and the budget.");
  if (drawn < labelled)
    g_string_append_printf(h, " %u of %u labels are left out where they would overlap (hover over a point, or see "
                           "the table).", labelled - drawn, labelled);
  if (!few)
    g_string_append(h, " Labelled: the Pareto front and the recommendation.");
  if (unplotted > 0)
    g_string_append_printf(h, " Not plotted: %u variant%s without a time or a price.", unplotted,
                           unplotted == 1 ? "" : "s");
  g_string_append(h, "</figcaption></figure>\n</section>\n");
}

/* Which rows the table lists: all when they fit, else the front and the recommendation and the cheapest others
 * up to MAX_TABLE_ROWS (sweep.json's order is cheapest first). */
static gboolean *
rows_listed(Doc *d, guint *listed)
{
  guint n = d->runs->len;
  gboolean *keep = g_new0(gboolean, MAX(n, 1));
  *listed = 0;
  for (guint i = 0; i < n; i++)
    if (n <= MAX_TABLE_ROWS || report_bool(run_at(d, i), "pareto") == 1 ||
        report_bool(run_at(d, i), "recommended") == 1) {
      keep[i] = TRUE;
      (*listed)++;
    }
  for (guint i = 0; i < n && *listed < MAX_TABLE_ROWS; i++)
    if (!keep[i]) {
      keep[i] = TRUE;
      (*listed)++;
    }
  return keep;
}

/* "1 h 2 min – 1 h 30 min": P10 and P90, each carrying its value under ids time-p10-N, time-p90-N (cost-...). */
static void
range_cell(GString *h, const TsJsonValue *q, const char *key, gboolean usd, double index)
{
  double lo = report_number(report_object(q, "p10"), key), hi = report_number(report_object(q, "p90"), key);
  g_string_append(h, "<td class=\"num\">");
  if (!isfinite(lo) || !isfinite(hi)) {
    g_string_append(h, "unknown</td>");
    return;
  }
  const char *what = usd ? "cost" : "time";
  g_autofree char *lo_id = g_strdup_printf("%s-p10-%.0f", what, index);
  g_autofree char *hi_id = g_strdup_printf("%s-p90-%.0f", what, index);
  report_value_tag(h, "span", lo_id, lo, usd ? ts_format_usd(lo) : ts_format_duration(lo));
  g_string_append(h, " \xe2\x80\x93 ");
  report_value_tag(h, "span", hi_id, hi, usd ? ts_format_usd(hi) : ts_format_duration(hi));
  g_string_append(h, "</td>");
}

static void
notes_cell(GString *h, const TsJsonValue *r)
{
  g_autoptr(GString) notes = g_string_new(NULL);
  if (report_bool(r, "recommended") == 1)
    g_string_append(notes, "recommended; ");
  if (report_bool(r, "pareto") == 1)
    g_string_append(notes, "Pareto front; ");
  if (report_bool(r, "meets_deadline") == 1)
    g_string_append(notes, "meets the deadline; ");
  if (report_bool(r, "meets_budget") == 1)
    g_string_append(notes, "within budget; ");
  if (notes->len > 2)
    g_string_truncate(notes, notes->len - 2);
  g_string_append(h, "<td>");
  report_text(h, notes->str);
  g_string_append(h, "</td>");
}

static void
section_table(Doc *d)
{
  GString *h = d->h;
  guint n = d->runs->len, np = d->params ? d->params->len : 0, listed = 0;
  g_autofree gboolean *keep = rows_listed(d, &listed);
  g_string_append(h, "<section id=\"variants\"><h2>Variants</h2>\n<table id=\"variant-table\"><caption>");
  if (listed < n)
    g_string_append_printf(h, "%u of %u variants: the Pareto front, the recommendation and the cheapest others "
                           "(sweep.csv has them all), ", listed, n);
  else
    g_string_append_printf(h, "All %u variants, ", n);
  g_string_append(h, "cheapest first");
  if (d->replicas)
    g_string_append_printf(h, "; the ranges are P10\xe2\x80\x93P90 over %.0f seeds and the model's error band",
                           report_number(d->root, "replicas"));
  g_string_append(h, "</caption>\n<tr><th scope=\"col\">#</th>");
  for (guint k = 0; k < np; k++) {
    g_string_append(h, "<th scope=\"col\">");
    report_text(h, param_name(d, k));
    g_string_append(h, "</th>");
  }
  g_string_append(h, "<th scope=\"col\">wall time</th><th scope=\"col\">cost</th>");
  if (d->replicas)
    g_string_append(h, "<th scope=\"col\">time P10\xe2\x80\x93P90</th><th scope=\"col\">cost P10\xe2\x80\x93P90</th>");
  g_string_append(h, "<th scope=\"col\">device memory</th><th scope=\"col\">status</th><th scope=\"col\">notes</th>"
                     "</tr>\n");
  for (guint i = 0; i < n; i++) {
    if (!keep[i])
      continue;
    const TsJsonValue *r = run_at(d, i);
    double index = report_number(r, "index");
    g_string_append_printf(h, "<tr%s><td class=\"num\">%.0f</td>",
                           report_bool(r, "recommended") == 1 ? " class=\"recommended\"" : "", index);
    for (guint k = 0; k < np; k++) {
      g_autofree char *v = param_value(r, param_name(d, k));
      g_string_append(h, "<td>");
      report_text(h, v);
      g_string_append(h, "</td>");
    }
    gboolean known = has_result(r);
    double t = report_number(r, "total_time_s"), c = report_number(report_object(r, "cost_usd"), "total");
    g_autofree char *tid = g_strdup_printf("time-%.0f", index), *cid = g_strdup_printf("cost-%.0f", index);
    report_value_cell(h, tid, known ? t : NAN, known ? ts_format_duration(t) : g_strdup("-"));
    report_value_cell(h, cid, known ? c : NAN, !known ? g_strdup("-") : isfinite(c) ? ts_format_usd(c)
                                                                                     : g_strdup("unknown"));
    if (d->replicas) {
      range_cell(h, report_object(r, "quantiles"), "time_s", FALSE, index);
      range_cell(h, report_object(r, "quantiles"), "cost_usd", TRUE, index);
    }
    const TsJsonValue *m = report_object(r, "peak_memory_bytes");
    double used = report_number(m, "device"), cap = report_number(m, "device_capacity");
    g_autofree char *bytes = isfinite(used) ? ts_format_bytes(used) : NULL;
    g_autofree char *mem = bytes == NULL ? g_strdup("-")
                           : cap > 0     ? g_strdup_printf("%s (%.0f %%)", bytes, 100 * used / cap)
                                         : g_strdup(bytes);
    g_string_append(h, "<td class=\"num\">");
    report_text(h, mem);
    g_string_append(h, "</td><td>");
    report_text(h, report_string(r, "status"));
    g_string_append(h, "</td>");
    notes_cell(h, r);
    g_string_append(h, "</tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

static void
section_failures(Doc *d)
{
  GString *h = d->h;
  guint n = d->runs->len, failed = 0;
  for (guint i = 0; i < n; i++)
    failed += report_string(run_at(d, i), "error") != NULL;
  if (failed == 0)
    return;
  g_string_append(h, "<section id=\"diagnostics\"><h2>Variants that failed or do not fit</h2>\n<table><tr>"
                     "<th scope=\"col\">#</th><th scope=\"col\">values</th><th scope=\"col\">status</th>"
                     "<th scope=\"col\">message</th></tr>\n");
  for (guint i = 0; i < n; i++) {
    const TsJsonValue *r = run_at(d, i);
    if (report_string(r, "error") == NULL)
      continue;
    g_autofree char *v = values_text(d, r);
    g_string_append_printf(h, "<tr><td class=\"num\">%.0f</td><td>", report_number(r, "index"));
    report_text(h, v);
    g_string_append(h, "</td><td>");
    report_text(h, report_string(r, "status"));
    g_string_append(h, "</td><td>");
    report_text(h, report_string(r, "error"));
    g_string_append(h, "</td></tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

static void
section_assumptions(Doc *d)
{
  GString *h = d->h;
  g_string_append(h, "<section id=\"assumptions\"><h2>Assumptions</h2>\n<table>\n");
  report_table_row(h, "scenario", report_string(d->root, "scenario"), FALSE);
  g_autofree char *sha = g_strdup(report_string(d->root, "scenario_sha256"));
  report_table_row(h, "scenario sha256", sha ? sha : "not recorded", FALSE);
  for (guint k = 0; d->params && k < d->params->len; k++) {
    const TsJsonValue *p = report_element(d->params, k);
    g_autofree char *label = g_strdup_printf("swept: %s", report_string(p, "name"));
    g_autofree char *v = g_strdup_printf("%s (%.0f values)", report_string(p, "spec"), report_number(p, "count"));
    report_table_row(h, label, v, FALSE);
  }
  g_autofree char *seed = g_strdup_printf("%.0f (each variant's own is derived from it and its index)",
                                          report_number(d->root, "seed"));
  report_table_row(h, "seed", seed, FALSE);
  double deadline = report_number(d->root, "deadline_s"), budget = report_number(d->root, "budget_usd");
  g_autofree char *dl = isfinite(deadline) ? ts_format_duration(deadline) : g_strdup("none");
  g_autofree char *bu = isfinite(budget) ? ts_format_usd(budget) : g_strdup("none");
  report_table_row(h, "deadline", dl, FALSE);
  report_table_row(h, "budget", bu, FALSE);
  if (d->replicas) {
    g_autofree char *rep = g_strdup_printf("%.0f seeds per variant; deadline and budget judged at %s",
                                           report_number(d->root, "replicas"), report_string(d->root, "quantile"));
    report_table_row(h, "replicas", rep, FALSE);
  }
  const TsJsonValue *shard = report_object(d->root, "shard");
  if (shard != NULL) {
    g_autofree char *s = g_strdup_printf("%.0f of %.0f", report_number(shard, "index"), report_number(shard, "count"));
    report_table_row(h, "shard", s, FALSE);
  }
  report_table_row(h, "trainsim", report_string(d->root, "trainsim_version"), FALSE);
  g_string_append(h, "</table>\n<p>The catalog numbers behind each variant, with their sources and dates, are in "
                     "that variant's own report: <code>trainsim run ");
  report_text(h, report_string(d->root, "scenario"));
  g_string_append(h, " --set NAME=VALUE ... --seed SEED --out DIR</code> with the variant's values and seed "
                     "(sweep.json <code>runs[].seed</code>) gives the same time and cost and writes "
                     "DIR/report.html.</p>\n</section>\n");
}

char *
ts_report_html_sweep(const char *json, gsize len, const char *what, GError **error)
{
  g_autoptr(TsJsonDoc) doc = NULL;
  const TsJsonValue *root = report_parse(&doc, json, len, what, error);
  if (root == NULL)
    return NULL;
  if (g_strcmp0(report_string(root, "kind"), "sweep") != 0 || report_array(root, "runs") == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: not a trainsim sweep (no \"kind\": \"sweep\" with runs)", what);
    return NULL;
  }
  if (!report_objects_only(report_array(root, "runs")) || !report_objects_only(report_array(root, "parameters"))) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: a run or a parameter is not an object", what);
    return NULL;
  }
  Doc d = {g_string_new(NULL), root, report_array(root, "runs"), report_array(root, "parameters"),
           report_number(root, "replicas") > 1};
  report_page_begin(d.h, "Sweep", report_string(root, "scenario"), report_string(root, "trainsim_version"),
                    "sweep.json");
  section_recommendation(&d);
  section_chart(&d);
  section_table(&d);
  section_assumptions(&d);
  section_failures(&d);
  report_page_end(d.h);
  return g_string_free(d.h, FALSE);
}
