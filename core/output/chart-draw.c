/* Drawing a chart with cairo: the title, then each panel (its header and legend, the bands, the grid, the
 * stacked areas, lines, points, rules and notes), then the x axis under the last panel. */
#include "output/chart-private.h"

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FONT "DejaVu Sans"
#define MARGIN_LEFT 84.0
#define MARGIN_RIGHT 28.0
#define MARGIN_BOTTOM 46.0
#define PANEL_GAP 16.0
#define HEADER_LINE 17.0

static void
set_color(cairo_t *cr, guint32 c, double alpha)
{
  cairo_set_source_rgba(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0, alpha);
}

static void
set_font(cairo_t *cr, double size, gboolean bold)
{
  cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

static double
text_width(cairo_t *cr, const char *s, double size, gboolean bold)
{
  cairo_text_extents_t e;
  set_font(cr, size, bold);
  cairo_text_extents(cr, s, &e);
  return e.x_advance;
}

/* Text with its baseline at y; align 0 left, 0.5 centre, 1 right. */
static void
draw_text(cairo_t *cr, double x, double y, const char *s, double size, double align, guint32 color, gboolean bold)
{
  double w = text_width(cr, s, size, bold);
  set_color(cr, color, 1);
  cairo_move_to(cr, round(x - w * align), round(y));
  cairo_show_text(cr, s);
}

typedef struct {
  double x0, x1, y0, y1; /* plot area */
  double header_y;       /* top of the panel's header */
  guint header_lines;
  double ymax;
  Ticks yt;
} PanelLayout;

/* Legend entries of a panel: lines, points and rules that have labels. */
typedef struct {
  const char *label;
  guint32 color;
  int kind; /* 0 line, 1 area, 2 marker, 3 rule */
  TsMarker marker;
} Legend;

static GArray *
panel_legend(Panel *pa)
{
  GArray *a = g_array_new(FALSE, TRUE, sizeof(Legend));
  for (guint i = 0; i < pa->lines->len; i++) {
    Line *l = g_ptr_array_index(pa->lines, i);
    if (l->label) {
      Legend e = {l->label, l->color, l->style == TS_AREA_STACKED ? 1 : 0, 0};
      g_array_append_val(a, e);
    }
  }
  for (guint i = 0; i < pa->points->len; i++) {
    Points *l = g_ptr_array_index(pa->points, i);
    if (l->label) {
      Legend e = {l->label, l->color, 2, l->marker};
      g_array_append_val(a, e);
    }
  }
  return a;
}

static void
draw_marker(cairo_t *cr, double x, double y, TsMarker m, guint32 color)
{
  switch (m) {
  case TS_MARK_CIRCLE:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 2.6, 0, 2 * G_PI);
    set_color(cr, color, 0.55);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    break;
  case TS_MARK_DOT:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 3.4, 0, 2 * G_PI);
    set_color(cr, color, 1);
    cairo_fill(cr);
    break;
  case TS_MARK_CROSS:
    set_color(cr, color, 0.9);
    cairo_set_line_width(cr, 1.4);
    cairo_move_to(cr, x - 3, y - 3);
    cairo_line_to(cr, x + 3, y + 3);
    cairo_move_to(cr, x - 3, y + 3);
    cairo_line_to(cr, x + 3, y - 3);
    cairo_stroke(cr);
    break;
  case TS_MARK_RING:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 7, 0, 2 * G_PI);
    set_color(cr, color, 1);
    cairo_set_line_width(cr, 2.2);
    cairo_stroke(cr);
    break;
  case TS_MARK_SQUARE:
    set_color(cr, color, 1);
    cairo_rectangle(cr, x - 3.5, y - 3.5, 7, 7);
    cairo_fill(cr);
    break;
  }
}

static double
data_xmax(TsPlot *p)
{
  double m = 0;
  for (guint b = 0; b < p->bands->len; b++)
    m = MAX(m, g_array_index(p->bands, Band, b).x1);
  for (guint i = 0; i < p->panels->len; i++) {
    Panel *pa = g_ptr_array_index(p->panels, i);
    for (guint j = 0; j < pa->lines->len; j++) {
      Line *l = g_ptr_array_index(pa->lines, j);
      for (guint k = 0; k < l->x->len; k++)
        if (isfinite(g_array_index(l->x, double, k)))
          m = MAX(m, g_array_index(l->x, double, k));
    }
    for (guint j = 0; j < pa->points->len; j++) {
      Points *l = g_ptr_array_index(pa->points, j);
      for (guint k = 0; k < l->x->len; k++)
        if (isfinite(g_array_index(l->x, double, k)))
          m = MAX(m, g_array_index(l->x, double, k));
    }
    for (guint j = 0; j < pa->rules->len; j++) {
      Rule *r = g_ptr_array_index(pa->rules, j);
      if (r->vertical)
        m = MAX(m, r->v);
    }
  }
  return m;
}

static double
panel_ymax(Panel *pa)
{
  double m = 0;
  guint stacked_n = 0;
  double *stack = NULL;
  for (guint j = 0; j < pa->lines->len; j++) {
    Line *l = g_ptr_array_index(pa->lines, j);
    if (l->style == TS_AREA_STACKED) {
      if (stack == NULL) {
        stacked_n = l->y->len;
        stack = g_new0(double, stacked_n);
      }
      for (guint k = 0; k < MIN(stacked_n, l->y->len); k++) {
        double v = g_array_index(l->y, double, k);
        if (isfinite(v))
          stack[k] += v;
        m = MAX(m, stack[k]);
      }
    } else {
      for (guint k = 0; k < l->y->len; k++)
        if (isfinite(g_array_index(l->y, double, k)))
          m = MAX(m, g_array_index(l->y, double, k));
    }
  }
  g_free(stack);
  for (guint j = 0; j < pa->points->len; j++) {
    Points *l = g_ptr_array_index(pa->points, j);
    for (guint k = 0; k < l->y->len; k++)
      if (isfinite(g_array_index(l->y, double, k)))
        m = MAX(m, g_array_index(l->y, double, k));
  }
  for (guint j = 0; j < pa->rules->len; j++) {
    Rule *r = g_ptr_array_index(pa->rules, j);
    if (!r->vertical)
      m = MAX(m, r->v);
  }
  return m;
}

static guint
header_lines(cairo_t *cr, Panel *pa, GArray *legend, double width)
{
  double x = text_width(cr, pa->ylabel ? pa->ylabel : "", 12, TRUE) + 18;
  guint lines = 1;
  for (guint i = 0; i < legend->len; i++) {
    double w = 16 + text_width(cr, g_array_index(legend, Legend, i).label, 11, FALSE) + 16;
    if (x + w > width && x > 0) {
      lines++;
      x = 0;
    }
    x += w;
  }
  return lines;
}

static void
draw_header(cairo_t *cr, Panel *pa, GArray *legend, double left, double top, double width)
{
  double base = top + 12;
  draw_text(cr, left, base, pa->ylabel ? pa->ylabel : "", 12, 0, 0x222222, TRUE);
  double x = text_width(cr, pa->ylabel ? pa->ylabel : "", 12, TRUE) + 18;
  for (guint i = 0; i < legend->len; i++) {
    const Legend *e = &g_array_index(legend, Legend, i);
    double w = 16 + text_width(cr, e->label, 11, FALSE) + 16;
    if (x + w > width && x > 0) {
      base += HEADER_LINE;
      x = 0;
    }
    double sx = left + x, sy = base - 4;
    if (e->kind == 0) {
      set_color(cr, e->color, 1);
      cairo_set_line_width(cr, 2.2);
      cairo_move_to(cr, sx, sy);
      cairo_line_to(cr, sx + 12, sy);
      cairo_stroke(cr);
    } else if (e->kind == 1) {
      set_color(cr, e->color, 0.75);
      cairo_rectangle(cr, sx, sy - 5, 12, 10);
      cairo_fill(cr);
    } else {
      draw_marker(cr, sx + 6, sy, e->marker == TS_MARK_RING ? TS_MARK_DOT : e->marker, e->color);
    }
    draw_text(cr, sx + 16, base, e->label, 11, 0, 0x333333, FALSE);
    x += w;
  }
}

/* cairo keeps fonts in static caches and fontconfig its configuration; release both at exit so that
 * leak checkers (ASan) see a clean process.  FcFini is looked up rather than linked: fontconfig is
 * cairo's dependency, not ours. */
static void
release_font_caches(void)
{
  cairo_debug_reset_static_data();
  union {
    void *p;
    void (*f)(void);
  } fini = {dlsym(RTLD_DEFAULT, "FcFini")};
  if (fini.p != NULL)
    fini.f();
}

static void
release_cairo_caches_at_exit(void)
{
  static gsize once = 0;
  if (g_once_init_enter(&once)) {
    atexit(release_font_caches);
    g_once_init_leave(&once, 1);
  }
}

/* Where one panel is drawn: its layout and the x axis every panel shares. */
typedef struct {
  cairo_t *cr;
  double x0, x1; /* the plot area's left and right edges */
  double xmax;   /* the x axis' end, in data units */
  const PanelLayout *L;
} Frame;

static double
frame_x(const Frame *f, double v)
{
  return f->x0 + v / f->xmax * (f->x1 - f->x0);
}

static double
frame_y(const Frame *f, double v)
{
  return f->L->y1 - v / f->L->yt.max * (f->L->y1 - f->L->y0);
}

/* Font options that render the same on every machine, and a white background. */
static void
begin_canvas(cairo_t *cr)
{
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);

  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
}

/* The title and subtitle; returns where the first panel starts. */
static double
draw_titles(TsPlot *p, cairo_t *cr)
{
  double top = 12;
  if (p->title) {
    draw_text(cr, MARGIN_LEFT, top + 15, p->title, 15, 0, 0x111111, TRUE);
    top += 22;
  }
  if (p->subtitle) {
    draw_text(cr, MARGIN_LEFT, top + 13, p->subtitle, 11, 0, 0x555555, FALSE);
    top += 18;
  }
  return top + 8;
}

/* Each panel's header, plot area and y ticks: the headers take what their legends need, the plot areas
 * share the rest of the height in proportion to their weights. */
static void
layout_panels(TsPlot *p, cairo_t *cr, double top, double x0, double x1, double bottom, PanelLayout *lay,
              GArray **legends)
{
  guint np = p->panels->len;
  double fixed = 0, weights = 0;
  for (guint i = 0; i < np; i++) {
    Panel *pa = g_ptr_array_index(p->panels, i);
    legends[i] = panel_legend(pa);
    lay[i].header_lines = header_lines(cr, pa, legends[i], x1 - x0);
    fixed += lay[i].header_lines * HEADER_LINE + 6 + (i > 0 ? PANEL_GAP : 0);
    weights += pa->weight;
  }
  double avail = MAX(40.0, bottom - top - fixed);
  double y = top;
  for (guint i = 0; i < np; i++) {
    Panel *pa = g_ptr_array_index(p->panels, i);
    if (i > 0)
      y += PANEL_GAP;
    lay[i].header_y = y;
    y += lay[i].header_lines * HEADER_LINE + 6;
    lay[i].x0 = x0;
    lay[i].x1 = x1;
    lay[i].y0 = y;
    y += avail * pa->weight / weights;
    lay[i].y1 = y;
    lay[i].ymax = panel_ymax(pa);
    lay[i].yt = chart_ticks(pa->ykind, lay[i].ymax * 1.04);
  }
}

/* The bands, alternating tints among the ones wide enough to see; labelled on the first panel. */
static void
draw_bands(const Frame *f, TsPlot *p, gboolean first)
{
  cairo_t *cr = f->cr;
  const PanelLayout *L = f->L;
  guint wide = 0;
  for (guint b = 0; b < p->bands->len; b++) {
    const Band *band = &g_array_index(p->bands, Band, b);
    double bx0 = frame_x(f, band->x0), bx1 = frame_x(f, band->x1);
    if (bx1 - bx0 < 0.5) {
      set_color(cr, 0x999999, 0.5);
      cairo_set_line_width(cr, 1);
      cairo_move_to(cr, round(bx0) + 0.5, L->y0);
      cairo_line_to(cr, round(bx0) + 0.5, L->y1);
      cairo_stroke(cr);
      continue;
    }
    set_color(cr, wide++ % 2 ? 0xf3ead7 : 0xdfe8f3, 0.75);
    cairo_rectangle(cr, bx0, L->y0, bx1 - bx0, L->y1 - L->y0);
    cairo_fill(cr);
    if (first && band->label && text_width(cr, band->label, 10, FALSE) < bx1 - bx0 - 6)
      draw_text(cr, (bx0 + bx1) / 2, L->y0 + 12, band->label, 10, 0.5, 0x555555, FALSE);
  }
}

/* The grid, with the y ticks' labels. */
static void
draw_grid(const Frame *f, const Panel *pa, const Ticks *xt)
{
  cairo_t *cr = f->cr;
  const PanelLayout *L = f->L;
  cairo_set_line_width(cr, 1);
  for (guint k = 0; k <= L->yt.n; k++) {
    double v = k * L->yt.step, yy = round(frame_y(f, v)) + 0.5;
    set_color(cr, 0x000000, k == 0 ? 0.55 : 0.10);
    cairo_move_to(cr, f->x0, yy);
    cairo_line_to(cr, f->x1, yy);
    cairo_stroke(cr);
    g_autofree char *s = ts_chart_format_tick(pa->ykind, v, L->yt.step);
    draw_text(cr, f->x0 - 6, yy + 4, s, 10, 1, 0x444444, FALSE);
  }
  for (guint k = 0; k <= xt->n; k++) {
    double xx = round(frame_x(f, k * xt->step)) + 0.5;
    set_color(cr, 0x000000, k == 0 ? 0.55 : 0.10);
    cairo_move_to(cr, xx, L->y0);
    cairo_line_to(cr, xx, L->y1);
    cairo_stroke(cr);
  }
}

/* The stacked areas, each on the ones before it (at the first area's x). */
static void
draw_areas(const Frame *f, const Panel *pa)
{
  cairo_t *cr = f->cr;
  guint sn = 0;
  double *base = NULL;
  for (guint j = 0; j < pa->lines->len; j++) {
    Line *l = g_ptr_array_index(pa->lines, j);
    if (l->style != TS_AREA_STACKED || l->x->len == 0)
      continue;
    if (base == NULL) {
      sn = l->x->len;
      base = g_new0(double, sn);
    }
    guint n = MIN(sn, l->x->len);
    const double *xs = (const double *) l->x->data, *ys = (const double *) l->y->data;
    double *top_v = g_new0(double, n);
    for (guint k = 0; k < n; k++)
      top_v[k] = base[k] + (isfinite(ys[k]) ? ys[k] : 0);
    cairo_move_to(cr, frame_x(f, xs[0]), frame_y(f, base[0]));
    for (guint k = 0; k < n; k++)
      cairo_line_to(cr, frame_x(f, xs[k]), frame_y(f, top_v[k]));
    for (guint k = n; k-- > 0;)
      cairo_line_to(cr, frame_x(f, xs[k]), frame_y(f, base[k]));
    cairo_close_path(cr);
    set_color(cr, l->color, 0.75);
    cairo_fill(cr);
    memcpy(base, top_v, n * sizeof(double));
    g_free(top_v);
  }
  g_free(base);
}

/* The lines, broken where a value is unknown. */
static void
draw_lines(const Frame *f, const Panel *pa)
{
  cairo_t *cr = f->cr;
  for (guint j = 0; j < pa->lines->len; j++) {
    Line *l = g_ptr_array_index(pa->lines, j);
    if (l->style == TS_AREA_STACKED || l->x->len == 0)
      continue;
    const double *xs = (const double *) l->x->data, *ys = (const double *) l->y->data;
    gboolean pen = FALSE;
    for (guint k = 0; k < l->x->len; k++) {
      if (!isfinite(xs[k]) || !isfinite(ys[k])) {
        pen = FALSE;
        continue;
      }
      if (!pen)
        cairo_move_to(cr, frame_x(f, xs[k]), frame_y(f, ys[k]));
      else if (l->style == TS_LINE_STEP) {
        cairo_line_to(cr, frame_x(f, xs[k]), frame_y(f, ys[k - 1]));
        cairo_line_to(cr, frame_x(f, xs[k]), frame_y(f, ys[k]));
      } else
        cairo_line_to(cr, frame_x(f, xs[k]), frame_y(f, ys[k]));
      pen = TRUE;
    }
    set_color(cr, l->color, 1);
    cairo_set_line_width(cr, 2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
  }
}

static void
draw_points(const Frame *f, const Panel *pa)
{
  for (guint j = 0; j < pa->points->len; j++) {
    Points *l = g_ptr_array_index(pa->points, j);
    for (guint k = 0; k < l->x->len; k++) {
      double xv = g_array_index(l->x, double, k), yv = g_array_index(l->y, double, k);
      if (isfinite(xv) && isfinite(yv))
        draw_marker(f->cr, frame_x(f, xv), frame_y(f, yv), l->marker, l->color);
    }
  }
}

/* The dashed rules, each labelled at its end (a vertical one right of the line when the label fits). */
static void
draw_rules(const Frame *f, const Panel *pa)
{
  cairo_t *cr = f->cr;
  const PanelLayout *L = f->L;
  for (guint j = 0; j < pa->rules->len; j++) {
    Rule *r = g_ptr_array_index(pa->rules, j);
    const double dash[] = {6, 4};
    cairo_set_dash(cr, dash, 2, 0);
    set_color(cr, r->color, 1);
    cairo_set_line_width(cr, 1.5);
    if (r->vertical) {
      double xx = round(frame_x(f, r->v)) + 0.5;
      cairo_move_to(cr, xx, L->y0);
      cairo_line_to(cr, xx, L->y1);
    } else {
      double yy = round(frame_y(f, r->v)) + 0.5;
      cairo_move_to(cr, f->x0, yy);
      cairo_line_to(cr, f->x1, yy);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (r->label) {
      if (r->vertical) {
        double xx = frame_x(f, r->v);
        gboolean right = xx + 8 + text_width(cr, r->label, 10, FALSE) < f->x1;
        draw_text(cr, right ? xx + 5 : xx - 5, L->y0 + 26, r->label, 10, right ? 0 : 1, r->color, FALSE);
      } else {
        double yy = frame_y(f, r->v);
        draw_text(cr, f->x1 - 4, yy < L->y0 + 14 ? yy + 13 : yy - 4, r->label, 10, 1, r->color, FALSE);
      }
    }
  }
}

/* The notes, on a white box, kept inside the plot area. */
static void
draw_notes(const Frame *f, const Panel *pa)
{
  cairo_t *cr = f->cr;
  for (guint j = 0; j < pa->notes->len; j++) {
    Note *n = g_ptr_array_index(pa->notes, j);
    double w = text_width(cr, n->text, 11, TRUE);
    double nx = frame_x(f, n->x) + 10, ny = frame_y(f, n->y) - 10;
    if (nx + w > f->x1)
      nx = frame_x(f, n->x) - 10 - w;
    if (ny - 12 < f->L->y0)
      ny = frame_y(f, n->y) + 20;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
    cairo_rectangle(cr, nx - 3, ny - 12, w + 6, 16);
    cairo_fill(cr);
    draw_text(cr, nx, ny, n->text, 11, 0, n->color, TRUE);
  }
}

static void
draw_panel(const Frame *f, TsPlot *p, guint i, GArray *legend, const Ticks *xt)
{
  cairo_t *cr = f->cr;
  Panel *pa = g_ptr_array_index(p->panels, i);
  const PanelLayout *L = f->L;
  draw_header(cr, pa, legend, f->x0, L->header_y, f->x1 - f->x0);
  draw_bands(f, p, i == 0);
  draw_grid(f, pa, xt);

  cairo_save(cr);
  cairo_rectangle(cr, f->x0 - 8, L->y0 - 8, f->x1 - f->x0 + 16, L->y1 - L->y0 + 8);
  cairo_clip(cr);
  draw_areas(f, pa);
  draw_lines(f, pa);
  draw_points(f, pa);
  draw_rules(f, pa);
  draw_notes(f, pa);
  cairo_restore(cr);
}

void
chart_draw(TsPlot *p, cairo_t *cr)
{
  release_cairo_caches_at_exit();
  const double W = p->width, H = p->height;
  begin_canvas(cr);
  double top = draw_titles(p, cr);

  const double x0 = MARGIN_LEFT, x1 = W - MARGIN_RIGHT;
  const double bottom = H - MARGIN_BOTTOM;
  guint np = p->panels->len;
  if (np == 0)
    return;
  PanelLayout *lay = g_new0(PanelLayout, np);
  GArray **legends = g_new0(GArray *, np);
  layout_panels(p, cr, top, x0, x1, bottom, lay, legends);
  Ticks xt = chart_ticks(p->xkind, data_xmax(p));

  Frame f = {cr, x0, x1, xt.max, NULL};
  for (guint i = 0; i < np; i++) {
    f.L = &lay[i];
    draw_panel(&f, p, i, legends[i], &xt);
  }

  /* x ticks under the last panel */
  f.L = &lay[np - 1];
  for (guint k = 0; k <= xt.n; k++) {
    double v = k * xt.step;
    g_autofree char *s = ts_chart_format_tick(p->xkind, v, xt.step);
    draw_text(cr, frame_x(&f, v), f.L->y1 + 15, s, 10, k == 0 ? 0 : k == xt.n ? 1 : 0.5, 0x444444, FALSE);
  }
  if (p->xlabel)
    draw_text(cr, (x0 + x1) / 2, H - 10, p->xlabel, 11, 0.5, 0x333333, FALSE);
  for (guint i = 0; i < np; i++)
    g_array_unref(legends[i]);
  g_free(legends);
  g_free(lay);
}
