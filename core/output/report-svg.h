/* The report's own drawings (output/report-html.h), as inline SVG with real text: the phase Gantt and the
 * step-time bars; and the inlining of cairo's chart SVGs into one HTML page. */
#ifndef TS_REPORT_SVG_H
#define TS_REPORT_SVG_H

#include <glib.h>
#include <json-glib/json-glib.h>

/* Okabe & Ito's colour-blind-safe palette (Okabe and Ito 2008, "Color Universal Design"). */
extern const char *const ts_report_palette[8];

/* A Gantt of summary.json's "phases" array: one lane per phase kind, in order of first appearance; restarts
 * and checkpoints get lanes of their own so they show where they happened. */
void ts_report_svg_gantt(GString *html, JsonArray *phases, double total_s);
/* Horizontal bars of the step-time breakdown (label, seconds), largest first as given. */
void ts_report_svg_bars(GString *html, const char *const *labels, const double *values, guint n);
/* Append an SVG document inline: the XML prolog dropped, every id (and its url(#..)/href="#.." references)
 * prefixed with `prefix` so that several charts' glyph ids do not collide in one page. */
void ts_report_svg_inline(GString *html, const char *svg, gsize len, const char *prefix);

#endif
