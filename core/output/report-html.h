/* report.html: one self-contained page (inline CSS and SVG, no script, no network) for a person who signs
 * the bill.  It is built from summary.json's text alone (plus the run's chart SVGs), so `run --out` and
 * `trainsim report DIR` write the same page and every number in it is the summary's, formatted as the
 * terminal summary formats it (docs/outputs.md, "report.html"). */
#ifndef TS_REPORT_HTML_H
#define TS_REPORT_HTML_H

#include <glib.h>

/* A chart drawn by cairo (output/chart.h) to inline: its caption and its SVG document. */
typedef struct {
  const char *caption;
  const char *svg;
  gsize svg_len;
} TsReportChart;

/* The run's report from its summary.json text; NULL and TS_ERROR_IO naming `what` when that is not a
 * summary.  Deterministic: the same summary and charts give the same bytes. */
char *ts_report_html_run(const char *summary_json, gsize len, const TsReportChart *charts, guint n_charts,
                         const char *what, GError **error);

/* A comparison's report from its compare.json text and compare.svg (output/report-compare.c; `svg` NULL: without
 * the chart); NULL and TS_ERROR_IO naming `what` when that is not a comparison's. */
char *ts_report_html_compare(const char *compare_json, gsize len, const char *svg, gsize svg_len, const char *what,
                             GError **error);

/* The names of the run's charts that the report inlines, in order ("memory", "storage", "cost"), and their
 * captions. */
extern const char *const ts_report_chart_names[3];
extern const char *const ts_report_chart_captions[3];

#endif
