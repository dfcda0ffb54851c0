/* What the files of the charts share: the plot's model (chart.c builds it), the axes' ticks (chart-axes.c),
 * the drawing (chart-draw.c) and the module that draws (chart-render.c).  Included only from
 * core/output/chart*.c. */
#ifndef TS_CHART_PRIVATE_H
#define TS_CHART_PRIVATE_H

#include "output/chart.h"

#include <cairo.h>

typedef struct {
  char *label;
  guint32 color;
  TsLineStyle style;
  GArray *x, *y; /* double */
} Line;

typedef struct {
  char *label;
  guint32 color;
  TsMarker marker;
  GArray *x, *y;
} Points;

typedef struct {
  char *label;
  guint32 color;
  double v;
  gboolean vertical;
} Rule;

typedef struct {
  char *text;
  guint32 color;
  double x, y;
} Note;

typedef struct {
  char *ylabel;
  TsAxisKind ykind;
  double weight;
  GPtrArray *lines, *points, *rules, *notes;
} Panel;

typedef struct {
  double x0, x1;
  char *label;
} Band;

struct TsPlot {
  char *title, *subtitle, *xlabel;
  int width, height;
  TsAxisKind xkind;
  GPtrArray *panels;
  GArray *bands;
};

typedef struct {
  double step;  /* in data units */
  double max;   /* axis end, a multiple of step */
  guint n;      /* intervals */
} Ticks;

/* Ticks for an axis of `kind` that reaches `max`: at most 6 intervals, at round values. */
Ticks chart_ticks(TsAxisKind kind, double max);

/* Draw the whole plot on cr (the PNG's and the SVG's surface alike). */
void chart_draw(TsPlot *p, cairo_t *cr);

/* What the charts' module (chart-render.c, trainsim-charts.so) gives chart.c: its sizes of this struct and of
 * TsPlot (a module of another build is refused), and the two renderings. */
typedef struct {
  gsize size;
  gsize plot_size;
  GString *(*render_png)(TsPlot *p);
  GString *(*render_svg)(TsPlot *p);
} TsChartRenderer;
#define TS_CHART_RENDERER_SYMBOL "ts_chart_renderer"

#endif
