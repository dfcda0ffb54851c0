/* Charts drawn with cairo, written as PNG and SVG through the atomic write layer.  A chart is one or more
 * panels stacked over a shared x axis, with optional bands (the run's phases) behind every panel; axes are
 * labelled in human units (durations, bytes in KiB/MiB/GiB, USD).  Output is byte-identical from run to
 * run: no timestamps, and the SVG's element ids are renumbered in document order, because cairo's
 * depend on how many surfaces the process created before. */
#ifndef TS_CHART_H
#define TS_CHART_H

#include <glib.h>

#include "output/atomic-file.h"

typedef enum { TS_AXIS_DURATION, TS_AXIS_BYTES, TS_AXIS_USD, TS_AXIS_NUMBER } TsAxisKind;
typedef enum {
  TS_LINE_STEP,    /* holds its value until the next point (memory, storage) */
  TS_LINE_LINEAR,  /* straight between points (dollars accrue continuously) */
  TS_AREA_STACKED  /* filled, stacked on the panel's previous stacked areas (same x as they) */
} TsLineStyle;
typedef enum { TS_MARK_CIRCLE, TS_MARK_DOT, TS_MARK_CROSS, TS_MARK_RING, TS_MARK_SQUARE } TsMarker;

/* Colours as 0xRRGGBB. */
#define TS_COLOR_BLUE 0x1f77b4
#define TS_COLOR_ORANGE 0xff7f0e
#define TS_COLOR_GREEN 0x2ca02c
#define TS_COLOR_RED 0xd62728
#define TS_COLOR_PURPLE 0x9467bd
#define TS_COLOR_BROWN 0x8c564b
#define TS_COLOR_PINK 0xe377c2
#define TS_COLOR_GREY 0x7f7f7f
#define TS_COLOR_OLIVE 0xbcbd22
#define TS_COLOR_CYAN 0x17becf
guint32 ts_chart_palette(guint i);

typedef struct TsPlot TsPlot;

TsPlot *ts_plot_new(const char *title, const char *subtitle, int width, int height, TsAxisKind xkind,
                    const char *xlabel);
void ts_plot_free(TsPlot *plot);
/* Panels share the height in proportion to `weight`.  Returns the panel's index. */
guint ts_plot_add_panel(TsPlot *plot, const char *ylabel, TsAxisKind ykind, double weight);
/* A shaded band behind all panels over [x0, x1], labelled at the top when the label fits. */
void ts_plot_add_band(TsPlot *plot, double x0, double x1, const char *label);
void ts_plot_add_line(TsPlot *plot, guint panel, const char *label, guint32 color, TsLineStyle style,
                      const double *x, const double *y, guint n);
void ts_plot_add_points(TsPlot *plot, guint panel, const char *label, guint32 color, TsMarker marker,
                        const double *x, const double *y, guint n);
/* A dashed reference line (a capacity, a budget, a deadline), labelled at its end. */
void ts_plot_add_hrule(TsPlot *plot, guint panel, const char *label, guint32 color, double y);
void ts_plot_add_vrule(TsPlot *plot, guint panel, const char *label, guint32 color, double x);
/* Text beside a point (x, y) of a panel. */
void ts_plot_add_note(TsPlot *plot, guint panel, double x, double y, const char *text, guint32 color);

/* Render to PNG and SVG bytes, or write both files atomically.  NULL and TS_ERROR_IO when the charts' module
 * (chart-render.c, loaded at the first chart) cannot be loaded. */
GBytes *ts_plot_render_png(TsPlot *plot, GError **error);
GBytes *ts_plot_render_svg(TsPlot *plot, GError **error);
gboolean ts_plot_write(TsPlot *plot, const char *png_path, const char *svg_path, GError **error);
/* Render both and add them to a set of files (output/atomic-file.h). */
gboolean ts_plot_add_to_set(TsPlot *plot, TsAtomicSet *set, const char *png_path, const char *svg_path,
                            GError **error);

/* Rename every id="..." of an SVG document (and its url(#...) / href="#..." references) to the id's
 * alphabetic prefix plus a counter in order of first appearance: "surface6" -> "surface1". */
void ts_svg_normalize_ids(GString *svg);

/* Axis tick labels, exposed for tests: "1 h 30 min", "12 GiB", "250 USD". */
char *ts_chart_format_tick(TsAxisKind kind, double value, double step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsPlot, ts_plot_free)

#endif
