/* The reports' own drawings (output/report-html.h), as inline SVG with real text: the phase Gantt and the
 * step-time bars (report-svg.c), the sweep's time-cost chart (report-pareto.c); and the inlining of cairo's
 * chart SVGs into one HTML page. */
#ifndef TS_REPORT_SVG_H
#define TS_REPORT_SVG_H

#include <glib.h>
#include "common/ts-json-tree.h"

/* Okabe & Ito's colour-blind-safe palette (Okabe and Ito 2008, "Color Universal Design"). */
extern const char *const ts_report_palette[8];

/* A Gantt of summary.json's "phases" array: one lane per phase kind, in order of first appearance (a foreground
 * checkpoint that is a phase gets a lane of its own; restarts, inside the train phase, are marked on the charts). */
void ts_report_svg_gantt(GString *html, const TsJsonValue *phases, double total_s);
/* Horizontal bars of the step-time breakdown (label, seconds), largest first as given. */
void ts_report_svg_bars(GString *html, const char *const *labels, const double *values, guint n);
/* One option of a sweep on the time-cost chart. */
typedef struct {
  double time_s, cost_usd; /* both > 0: the axes are logarithmic */
  const char *label;       /* "#3 batch=512": the tooltip's, and beside the point when `labelled` */
  int colour;              /* index into ts_report_palette; -1: grey */
  gboolean feasible, pareto, recommended, labelled;
} TsReportPoint;

/* Up to this many options, every one is drawn; beyond, those off the Pareto front are binned: one marker per
 * TS_REPORT_PARETO_CELL x TS_REPORT_PARETO_CELL cell of the chart (in its 900 x 540 units), colour and kind, at
 * the mean position of the options it stands for, its tooltip giving how many and their range (data-count), so
 * that the page's size stops growing with the sweep's (docs/outputs.md, "The sweep's report.html"). */
#define TS_REPORT_PARETO_EXACT 2000
#define TS_REPORT_PARETO_CELL 6.0

/* Wall time against cost on logarithmic axes: a dot per feasible option (larger on the Pareto front, which is
 * drawn as a staircase), a cross per infeasible one, a ring around the recommended one, the deadline and budget
 * as dashed lines (NAN: none), and labels beside the points where they fit without overlapping (the recommended
 * one first, then the front).  Returns the number of labels drawn, and in `markers` the number of dots and
 * crosses (n unless binned). */
guint ts_report_svg_pareto(GString *html, const TsReportPoint *points, guint n, double deadline_s,
                           double budget_usd, guint *markers);
/* Append an SVG document inline: the XML prolog dropped, every id (and its url(#..)/href="#.." references)
 * prefixed with `prefix` so that several charts' glyph ids do not collide in one page. */
void ts_report_svg_inline(GString *html, const char *svg, gsize len, const char *prefix);

#endif
