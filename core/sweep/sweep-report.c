/* A sweep's report.html, from its rows (so `sweep --out`, `merge --out` and `trainsim report DIR`, which reads
 * sweep.json back with ts_sweep_result_load, write the same page): the recommendation and why, the fastest and
 * the cheapest option, the time-cost chart on logarithmic axes with a colour per option, the table of variants
 * with their ranges, and the variants that failed (docs/outputs.md, "The sweep's report.html").  Made from the
 * rows rather than from sweep.json's text so that a merge of 100,000 rows never holds that 78 MB text or a
 * tree of it (docs/performance.md, section 6). */
#include "sweep/sweep.h"

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
  const TsSweepResult *res;
  const TsSweepSpec *spec;
  guint np;            /* parameters */
  const char **values; /* scratch: one variant's values (np of them) */
  gboolean replicas;   /* rows carry quantiles */
} Doc;

static const TsSweepRow *
row_at(Doc *d, guint i)
{
  return &g_array_index(d->res->rows, TsSweepRow, i);
}

static guint
rows(Doc *d)
{
  return d->res->rows->len;
}

static gboolean
plotted(const TsSweepRow *r)
{
  return ts_sweep_row_has_result(r) && r->total_time_s > 0 && r->cost_total > 0;
}

/* sweep.json's tri-state members as the row gives them: "meets_deadline" is null without a deadline,
 * "meets_budget" without a budget or a price. */
static gboolean
meets_deadline(Doc *d, const TsSweepRow *r)
{
  return !isnan(d->spec->deadline_s) && r->meets_deadline;
}

static gboolean
meets_budget(Doc *d, const TsSweepRow *r)
{
  return !isnan(d->spec->budget_usd) && (!ts_sweep_row_has_result(r) || !isnan(r->cost_total)) && r->meets_budget;
}

static const char *
param_name(Doc *d, guint k)
{
  return ((const TsSweepParam *) g_ptr_array_index(d->spec->params, k))->name;
}

/* A row's parameter values (borrowed, in d->values, until the next call): their canonical text, as sweep.csv
 * and the terminal give them ("512", "0.5", "adam"). */
static const char **
row_values(Doc *d, const TsSweepRow *r)
{
  ts_sweep_spec_variant_values(d->spec, r->index, d->values);
  return d->values;
}

/* "batch=512 opt=adam" */
static char *
values_text(Doc *d, const TsSweepRow *r)
{
  const char **v = row_values(d, r);
  GString *s = g_string_new(NULL);
  for (guint k = 0; k < d->np; k++)
    g_string_append_printf(s, "%s%s=%s", k ? " " : "", param_name(d, k), v[k]);
  return g_string_free(s, FALSE);
}

static char *
option_label(Doc *d, const TsSweepRow *r)
{
  g_autofree char *v = values_text(d, r);
  return g_strdup_printf("#%" G_GUINT64_FORMAT "%s%s", r->index, *v ? ": " : "", v);
}

/* The feasible run with the least time (fastest) or cost (cheapest); ties to the earlier (the rows' order,
 * cheapest first). */
static const TsSweepRow *
extreme(Doc *d, gboolean by_time)
{
  const TsSweepRow *best = NULL;
  for (guint i = 0; i < rows(d); i++) {
    const TsSweepRow *r = row_at(d, i);
    double v = by_time ? r->total_time_s : r->cost_total;
    if (r->status != TS_VARIANT_OK || !isfinite(v))
      continue;
    double b = best == NULL ? INFINITY : by_time ? best->total_time_s : best->cost_total;
    if (v < b)
      best = r;
  }
  return best;
}

/* "#3: batch=512: 2 h 10 min, 1,234 USD", the time and cost carrying their values under ids PREFIX-time and
 * PREFIX-cost. */
static void
option_sentence(Doc *d, const TsSweepRow *r, const char *prefix)
{
  g_autofree char *label = option_label(d, r);
  g_autofree char *tid = g_strdup_printf("%s-time", prefix), *cid = g_strdup_printf("%s-cost", prefix);
  double t = r->total_time_s, c = r->cost_total;
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
  const TsSweepResult *res = d->res;
  guint counts[TS_VARIANT_STATUS_COUNT] = {0}, pareto = 0;
  for (guint i = 0; i < rows(d); i++) {
    counts[row_at(d, i)->status]++;
    pareto += row_at(d, i)->pareto;
  }
  double deadline = d->spec->deadline_s, budget = d->spec->budget_usd;
  g_string_append(h, "<section id=\"forecast\"><h2>Recommendation</h2>\n<p class=\"headline\">");
  g_string_append_printf(h, "%u of %" G_GUINT64_FORMAT " variants finished: %u ok, %u infeasible, %u failed; ",
                         rows(d), d->spec->variants, counts[TS_VARIANT_OK], counts[TS_VARIANT_INFEASIBLE],
                         counts[TS_VARIANT_ERROR] + counts[TS_VARIANT_CRASHED] + counts[TS_VARIANT_TIMEOUT]);
  g_string_append(h, "Pareto front ");
  report_value_span(h, "pareto-count", pareto, g_strdup_printf("%u", pareto));
  g_string_append(h, ".</p>\n");
  if (!res->complete)
    g_string_append(h, "<p class=\"bad\">Incomplete: the sweep was interrupted; these are the variants that "
                       "finished.</p>\n");
  const TsSweepRow *best = res->recommended >= 0 ? row_at(d, (guint) res->recommended) : NULL;
  if (res->recommendation == NULL) {
    g_string_append(h, "<p id=\"recommendation\">No deadline or budget was given (<code>--deadline</code>, "
                       "<code>--budget</code>), so none is recommended: the options worth choosing between are "
                       "the Pareto front's, those no other option beats on both time and cost.</p>\n");
  } else if (best == NULL) {
    g_string_append(h, "<p class=\"bad\" id=\"recommendation\">");
    report_text(h, res->recommendation);
    g_string_append(h, ".</p>\n");
  } else {
    g_string_append(h, "<p class=\"headline\" id=\"recommendation\">Recommended: ");
    option_sentence(d, best, "recommended");
    /* The reason up to its own restatement of the option: "cheapest variant that finishes within 4 h 0 min". */
    const char *reason = res->recommendation;
    const char *cut = strstr(reason, ": #");
    g_autofree char *rule = g_strndup(reason, cut ? (gsize) (cut - reason) : strlen(reason));
    g_string_append(h, ".</p>\n<p>Why: it is the ");
    report_text(h, rule);
    g_string_append(h, ". ");
    guint meeting = 0, feasible = 0;
    for (guint i = 0; i < rows(d); i++) {
      const TsSweepRow *r = row_at(d, i);
      gboolean ok = r->status == TS_VARIANT_OK;
      feasible += ok;
      meeting += ok && (isnan(deadline) || meets_deadline(d, r)) && (isnan(budget) || meets_budget(d, r));
    }
    g_string_append_printf(h, "%u of the %u feasible variants meet %s; among them trainsim takes the %s. ", meeting,
                           feasible, !isnan(deadline) && !isnan(budget) ? "both limits" : "the limit",
                           isnan(deadline) ? "fastest (a budget alone: the time it buys)"
                                           : "cheapest (a deadline: the least money that meets it)");
    if (d->replicas)
      g_string_append_printf(h, "Each is judged at p%u of its %u seeds, not on one draw. ", d->spec->quantile,
                             d->spec->replicas);
    g_string_append(h, best->pareto ? "It is on the Pareto front: no other option is both faster and cheaper.</p>\n"
                                    : "It is not on the Pareto front: an option outside the limits is both faster "
                                      "and cheaper.</p>\n");
  }
  const TsSweepRow *fast = extreme(d, TRUE), *cheap = extreme(d, FALSE);
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
 * per row) and the legend. */
static void
assign_colours(Doc *d, int *colours, GString *legend)
{
  guint n = rows(d), shown = 0;
  for (guint i = 0; i < n; i++)
    shown += plotted(row_at(d, i));
  for (guint i = 0; i < n; i++)
    colours[i] = 0;
  if (shown <= MAX_COLOURS) {
    guint c = 0;
    for (guint i = 0; i < n; i++) {
      if (!plotted(row_at(d, i)))
        continue;
      colours[i] = colour_order[c++];
      g_autofree char *label = option_label(d, row_at(d, i));
      g_string_append_printf(legend, "<span class=\"legend-item\"><span class=\"swatch\" style=\"background:%s\">"
                             "</span>", ts_report_palette[colours[i]]);
      report_text(legend, label);
      g_string_append(legend, "</span> ");
    }
    return;
  }
  for (guint k = 0; k < d->np; k++) {
    g_autoptr(GPtrArray) values = g_ptr_array_new(); /* borrowed from the spec */
    for (guint i = 0; i < n; i++) {
      const char *v = row_values(d, row_at(d, i))[k];
      guint at = 0;
      while (at < values->len && strcmp(g_ptr_array_index(values, at), v) != 0)
        at++;
      if (at == values->len && values->len <= MAX_COLOURS) /* past the palette: too many, whatever the rest */
        g_ptr_array_add(values, (gpointer) v);
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
  guint n = rows(d), plotted_n = 0;
  for (guint i = 0; i < n; i++)
    plotted_n += plotted(row_at(d, i));
  g_autofree int *colours = g_new0(int, MAX(n, 1));
  g_autoptr(GString) legend = g_string_new(NULL);
  assign_colours(d, colours, legend);
  g_autofree TsReportPoint *pts = g_new0(TsReportPoint, MAX(plotted_n, 1));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func(g_free);
  /* Above TS_REPORT_PARETO_EXACT points the chart bins the others (report-pareto.c): only the points drawn one
   * by one need a label for their tooltip. */
  gboolean binned = plotted_n > TS_REPORT_PARETO_EXACT;
  guint np = 0, unplotted = 0, labelled = 0;
  gboolean few = n <= 12; /* few enough to label every one */
  for (guint i = 0; i < n; i++) {
    const TsSweepRow *r = row_at(d, i);
    if (!plotted(r)) {
      unplotted++;
      continue;
    }
    gboolean front = r->pareto, rec = r->recommended;
    char *label = !binned || front || rec ? option_label(d, r) : NULL;
    if (label != NULL)
      g_ptr_array_add(labels, label);
    pts[np++] = (TsReportPoint){r->total_time_s, r->cost_total, label, colours[i], r->status == TS_VARIANT_OK, front,
                                rec, few || front || rec};
    labelled += few || front || rec;
  }
  g_string_append(h, "<section id=\"chart\"><h2>Time against cost</h2>\n");
  if (np == 0) {
    g_string_append(h, "<p>No variant has both a time and a price to plot.</p>\n</section>\n");
    return;
  }
  g_string_append(h, "<figure>");
  guint markers = 0;
  guint drawn = ts_report_svg_pareto(h, pts, np, d->spec->deadline_s, d->spec->budget_usd, &markers);
  g_string_append(h, "<figcaption><p class=\"legend\">");
  g_string_append(h, legend->str);
  g_string_append(h, "</p>Each option's wall time and cost on its own seed, both axes logarithmic. Dots: feasible "
                     "(larger on the Pareto front, joined by the dashed staircase); crosses: infeasible; the ring: "
                     "the recommended option; dashed green lines: the deadline and the budget.");
  if (markers < np)
    g_string_append_printf(h, " Binned: the %u options are drawn as %u markers; each option off the Pareto front "
                           "shares one marker per %g \xc3\x97 %g cell of the chart with those of the same colour and "
                           "kind beside it (hover over a marker for how many it stands for and their range), while "
                           "the front and the recommendation are drawn exactly.", np, markers,
                           TS_REPORT_PARETO_CELL, TS_REPORT_PARETO_CELL);
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
 * up to MAX_TABLE_ROWS (the rows' order is cheapest first). */
static gboolean *
rows_listed(Doc *d, guint *listed)
{
  guint n = rows(d);
  gboolean *keep = g_new0(gboolean, MAX(n, 1));
  *listed = 0;
  for (guint i = 0; i < n; i++)
    if (n <= MAX_TABLE_ROWS || row_at(d, i)->pareto || row_at(d, i)->recommended) {
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
range_cell(GString *h, double lo, double hi, gboolean usd, guint64 index)
{
  g_string_append(h, "<td class=\"num\">");
  if (!isfinite(lo) || !isfinite(hi)) {
    g_string_append(h, "unknown</td>");
    return;
  }
  const char *what = usd ? "cost" : "time";
  g_autofree char *lo_id = g_strdup_printf("%s-p10-%" G_GUINT64_FORMAT, what, index);
  g_autofree char *hi_id = g_strdup_printf("%s-p90-%" G_GUINT64_FORMAT, what, index);
  report_value_tag(h, "span", lo_id, lo, usd ? ts_format_usd(lo) : ts_format_duration(lo));
  g_string_append(h, " \xe2\x80\x93 ");
  report_value_tag(h, "span", hi_id, hi, usd ? ts_format_usd(hi) : ts_format_duration(hi));
  g_string_append(h, "</td>");
}

static void
notes_cell(Doc *d, const TsSweepRow *r)
{
  g_autoptr(GString) notes = g_string_new(NULL);
  if (r->recommended)
    g_string_append(notes, "recommended; ");
  if (r->pareto)
    g_string_append(notes, "Pareto front; ");
  if (meets_deadline(d, r))
    g_string_append(notes, "meets the deadline; ");
  if (meets_budget(d, r))
    g_string_append(notes, "within budget; ");
  if (notes->len > 2)
    g_string_truncate(notes, notes->len - 2);
  g_string_append(d->h, "<td>");
  report_text(d->h, notes->str);
  g_string_append(d->h, "</td>");
}

static void
section_table(Doc *d)
{
  GString *h = d->h;
  guint n = rows(d), listed = 0;
  g_autofree gboolean *keep = rows_listed(d, &listed);
  g_string_append(h, "<section id=\"variants\"><h2>Variants</h2>\n<table id=\"variant-table\"><caption>");
  if (listed < n)
    g_string_append_printf(h, "%u of %u variants: the Pareto front, the recommendation and the cheapest others "
                           "(sweep.csv has them all), ", listed, n);
  else
    g_string_append_printf(h, "All %u variants, ", n);
  g_string_append(h, "cheapest first");
  if (d->replicas)
    g_string_append_printf(h, "; the ranges are P10\xe2\x80\x93P90 over %u seeds and the model's error band",
                           d->spec->replicas);
  g_string_append(h, "</caption>\n<tr><th scope=\"col\">#</th>");
  for (guint k = 0; k < d->np; k++) {
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
    const TsSweepRow *r = row_at(d, i);
    g_string_append_printf(h, "<tr%s><td class=\"num\">%" G_GUINT64_FORMAT "</td>",
                           r->recommended ? " class=\"recommended\"" : "", r->index);
    const char **v = row_values(d, r);
    for (guint k = 0; k < d->np; k++) {
      g_string_append(h, "<td>");
      report_text(h, v[k]);
      g_string_append(h, "</td>");
    }
    gboolean known = ts_sweep_row_has_result(r);
    double t = r->total_time_s, c = r->cost_total;
    g_autofree char *tid = g_strdup_printf("time-%" G_GUINT64_FORMAT, r->index);
    g_autofree char *cid = g_strdup_printf("cost-%" G_GUINT64_FORMAT, r->index);
    report_value_cell(h, tid, known ? t : NAN, known ? ts_format_duration(t) : g_strdup("-"));
    report_value_cell(h, cid, known ? c : NAN, !known ? g_strdup("-") : isfinite(c) ? ts_format_usd(c)
                                                                                     : g_strdup("unknown"));
    if (d->replicas) {
      range_cell(h, r->time_p_s[0], r->time_p_s[2], FALSE, r->index);
      range_cell(h, r->cost_p_usd[0], r->cost_p_usd[2], TRUE, r->index);
    }
    double used = r->peak_device, cap = r->device_capacity;
    g_autofree char *bytes = isfinite(used) ? ts_format_bytes(used) : NULL;
    g_autofree char *mem = bytes == NULL ? g_strdup("-")
                           : cap > 0     ? g_strdup_printf("%s (%.0f %%)", bytes, 100 * used / cap)
                                         : g_strdup(bytes);
    g_string_append(h, "<td class=\"num\">");
    report_text(h, mem);
    g_string_append(h, "</td><td>");
    report_text(h, ts_variant_status_get_name(r->status));
    g_string_append(h, "</td>");
    notes_cell(d, r);
    g_string_append(h, "</tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

static void
section_failures(Doc *d)
{
  GString *h = d->h;
  guint n = rows(d), failed = 0;
  for (guint i = 0; i < n; i++)
    failed += row_at(d, i)->error != NULL;
  if (failed == 0)
    return;
  g_string_append(h, "<section id=\"diagnostics\"><h2>Variants that failed or do not fit</h2>\n<table><tr>"
                     "<th scope=\"col\">#</th><th scope=\"col\">values</th><th scope=\"col\">status</th>"
                     "<th scope=\"col\">message</th></tr>\n");
  for (guint i = 0; i < n; i++) {
    const TsSweepRow *r = row_at(d, i);
    if (r->error == NULL)
      continue;
    g_autofree char *v = values_text(d, r);
    g_string_append_printf(h, "<tr><td class=\"num\">%" G_GUINT64_FORMAT "</td><td>", r->index);
    report_text(h, v);
    g_string_append(h, "</td><td>");
    report_text(h, ts_variant_status_get_name(r->status));
    g_string_append(h, "</td><td>");
    report_text(h, r->error);
    g_string_append(h, "</td></tr>\n");
  }
  g_string_append(h, "</table>\n</section>\n");
}

static void
section_assumptions(Doc *d)
{
  GString *h = d->h;
  const TsSweepSpec *s = d->spec;
  g_string_append(h, "<section id=\"assumptions\"><h2>Assumptions</h2>\n<table>\n");
  report_table_row(h, "scenario", s->scenario, FALSE);
  report_table_row(h, "scenario sha256", s->scenario_sha256 ? s->scenario_sha256 : "not recorded", FALSE);
  for (guint k = 0; k < d->np; k++) {
    const TsSweepParam *p = g_ptr_array_index(s->params, k);
    g_autofree char *label = g_strdup_printf("swept: %s", p->name);
    g_autofree char *v = g_strdup_printf("%s (%u values)", p->spec, p->values->len);
    report_table_row(h, label, v, FALSE);
  }
  g_autofree char *seed = g_strdup_printf("%" G_GUINT64_FORMAT " (each variant's own is derived from it and its "
                                          "index)", s->seed);
  report_table_row(h, "seed", seed, FALSE);
  g_autofree char *dl = isfinite(s->deadline_s) ? ts_format_duration(s->deadline_s) : g_strdup("none");
  g_autofree char *bu = isfinite(s->budget_usd) ? ts_format_usd(s->budget_usd) : g_strdup("none");
  report_table_row(h, "deadline", dl, FALSE);
  report_table_row(h, "budget", bu, FALSE);
  if (d->replicas) {
    g_autofree char *rep = g_strdup_printf("%u seeds per variant; deadline and budget judged at p%u", s->replicas,
                                           s->quantile);
    report_table_row(h, "replicas", rep, FALSE);
  }
  if (s->shard_n > 0) {
    g_autofree char *sh = g_strdup_printf("%u of %u", s->shard_k, s->shard_n);
    report_table_row(h, "shard", sh, FALSE);
  }
  report_table_row(h, "trainsim", TS_VERSION, FALSE);
  g_string_append(h, "</table>\n<p>The catalog numbers behind each variant, with their sources and dates, are in "
                     "that variant's own report: <code>trainsim run ");
  report_text(h, s->scenario);
  g_string_append(h, " --set NAME=VALUE ... --seed SEED --out DIR</code> with the variant's values and seed "
                     "(sweep.json <code>runs[].seed</code>) gives the same time and cost and writes "
                     "DIR/report.html.</p>\n</section>\n");
}

char *
ts_sweep_result_to_html(const TsSweepResult *res)
{
  const TsSweepSpec *s = res->spec;
  Doc d = {g_string_new(NULL), res, s, s->params->len, g_new0(const char *, s->params->len + 1), s->replicas > 1};
  report_page_begin(d.h, "Sweep", s->scenario, TS_VERSION, "sweep.json");
  section_recommendation(&d);
  section_chart(&d);
  section_table(&d);
  section_assumptions(&d);
  section_failures(&d);
  report_page_end(d.h);
  g_free(d.values);
  return g_string_free(d.h, FALSE);
}
