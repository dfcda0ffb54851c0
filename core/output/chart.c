#include "output/chart.h"

#include "output/atomic-file.h"

#include <cairo-svg.h>
#include <cairo.h>
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
#define MAX_INTERVALS 6

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

static const guint32 palette[] = {TS_COLOR_BLUE,  TS_COLOR_ORANGE, TS_COLOR_GREEN, TS_COLOR_RED,
                                  TS_COLOR_PURPLE, TS_COLOR_BROWN, TS_COLOR_PINK,  TS_COLOR_GREY,
                                  TS_COLOR_OLIVE, TS_COLOR_CYAN};

guint32
ts_chart_palette(guint i)
{
  return palette[i % G_N_ELEMENTS(palette)];
}

/* ---- model ---------------------------------------------------------------------------------------- */

static void
line_free(gpointer p)
{
  Line *l = p;
  g_free(l->label);
  g_array_unref(l->x);
  g_array_unref(l->y);
  g_free(l);
}

static void
points_free(gpointer p)
{
  Points *l = p;
  g_free(l->label);
  g_array_unref(l->x);
  g_array_unref(l->y);
  g_free(l);
}

static void
rule_free(gpointer p)
{
  Rule *r = p;
  g_free(r->label);
  g_free(r);
}

static void
note_free(gpointer p)
{
  Note *n = p;
  g_free(n->text);
  g_free(n);
}

static void
panel_free(gpointer p)
{
  Panel *pa = p;
  g_free(pa->ylabel);
  g_ptr_array_unref(pa->lines);
  g_ptr_array_unref(pa->points);
  g_ptr_array_unref(pa->rules);
  g_ptr_array_unref(pa->notes);
  g_free(pa);
}

static void
band_clear(gpointer p)
{
  g_free(((Band *) p)->label);
}

TsPlot *
ts_plot_new(const char *title, const char *subtitle, int width, int height, TsAxisKind xkind, const char *xlabel)
{
  TsPlot *p = g_new0(TsPlot, 1);
  p->title = g_strdup(title);
  p->subtitle = g_strdup(subtitle);
  p->xlabel = g_strdup(xlabel);
  p->width = width;
  p->height = height;
  p->xkind = xkind;
  p->panels = g_ptr_array_new_with_free_func(panel_free);
  p->bands = g_array_new(FALSE, TRUE, sizeof(Band));
  g_array_set_clear_func(p->bands, band_clear);
  return p;
}

void
ts_plot_free(TsPlot *p)
{
  if (p == NULL)
    return;
  g_free(p->title);
  g_free(p->subtitle);
  g_free(p->xlabel);
  g_ptr_array_unref(p->panels);
  g_array_unref(p->bands);
  g_free(p);
}

guint
ts_plot_add_panel(TsPlot *p, const char *ylabel, TsAxisKind ykind, double weight)
{
  Panel *pa = g_new0(Panel, 1);
  pa->ylabel = g_strdup(ylabel);
  pa->ykind = ykind;
  pa->weight = weight > 0 ? weight : 1;
  pa->lines = g_ptr_array_new_with_free_func(line_free);
  pa->points = g_ptr_array_new_with_free_func(points_free);
  pa->rules = g_ptr_array_new_with_free_func(rule_free);
  pa->notes = g_ptr_array_new_with_free_func(note_free);
  g_ptr_array_add(p->panels, pa);
  return p->panels->len - 1;
}

static Panel *
panel_get(TsPlot *p, guint i)
{
  g_return_val_if_fail(i < p->panels->len, NULL);
  return g_ptr_array_index(p->panels, i);
}

void
ts_plot_add_band(TsPlot *p, double x0, double x1, const char *label)
{
  Band b = {x0, x1, g_strdup(label)};
  g_array_append_val(p->bands, b);
}

static GArray *
copy_doubles(const double *v, guint n)
{
  GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(double), n);
  g_array_append_vals(a, v, n);
  return a;
}

void
ts_plot_add_line(TsPlot *p, guint panel, const char *label, guint32 color, TsLineStyle style, const double *x,
                 const double *y, guint n)
{
  Panel *pa = panel_get(p, panel);
  g_return_if_fail(pa != NULL);
  Line *l = g_new0(Line, 1);
  l->label = g_strdup(label);
  l->color = color;
  l->style = style;
  l->x = copy_doubles(x, n);
  l->y = copy_doubles(y, n);
  g_ptr_array_add(pa->lines, l);
}

void
ts_plot_add_points(TsPlot *p, guint panel, const char *label, guint32 color, TsMarker marker, const double *x,
                   const double *y, guint n)
{
  Panel *pa = panel_get(p, panel);
  g_return_if_fail(pa != NULL);
  Points *l = g_new0(Points, 1);
  l->label = g_strdup(label);
  l->color = color;
  l->marker = marker;
  l->x = copy_doubles(x, n);
  l->y = copy_doubles(y, n);
  g_ptr_array_add(pa->points, l);
}

static void
add_rule(TsPlot *p, guint panel, const char *label, guint32 color, double v, gboolean vertical)
{
  Panel *pa = panel_get(p, panel);
  g_return_if_fail(pa != NULL);
  if (!isfinite(v))
    return;
  Rule *r = g_new0(Rule, 1);
  r->label = g_strdup(label);
  r->color = color;
  r->v = v;
  r->vertical = vertical;
  g_ptr_array_add(pa->rules, r);
}

void
ts_plot_add_hrule(TsPlot *p, guint panel, const char *label, guint32 color, double y)
{
  add_rule(p, panel, label, color, y, FALSE);
}

void
ts_plot_add_vrule(TsPlot *p, guint panel, const char *label, guint32 color, double x)
{
  add_rule(p, panel, label, color, x, TRUE);
}

void
ts_plot_add_note(TsPlot *p, guint panel, double x, double y, const char *text, guint32 color)
{
  Panel *pa = panel_get(p, panel);
  g_return_if_fail(pa != NULL);
  Note *n = g_new0(Note, 1);
  n->text = g_strdup(text);
  n->color = color;
  n->x = x;
  n->y = y;
  g_ptr_array_add(pa->notes, n);
}

/* ---- axes ----------------------------------------------------------------------------------------- */

typedef struct {
  double step;  /* in data units */
  double max;   /* axis end, a multiple of step */
  guint n;      /* intervals */
} Ticks;

static const double duration_steps[] = {
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
  60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 432000, 864000,
  1728000, 4320000, 8640000, 17280000, 43200000, 86400000};

static double
nice_step(double max, double unit)
{
  double raw = max / unit / MAX_INTERVALS;
  double mag = pow(10, floor(log10(raw)));
  const double m[] = {1, 2, 2.5, 5, 10};
  for (guint i = 0; i < G_N_ELEMENTS(m); i++)
    if (ceil(max / unit / (m[i] * mag) - 1e-9) <= MAX_INTERVALS)
      return m[i] * mag * unit;
  return 10 * mag * unit;
}

static double
bytes_unit(double max, const char **name)
{
  static const char *names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  guint k = 0;
  double u = 1;
  while (k + 1 < G_N_ELEMENTS(names) && max >= u * 1024) {
    u *= 1024;
    k++;
  }
  if (name != NULL)
    *name = names[k];
  return u;
}

static Ticks
ticks_compute(TsAxisKind kind, double max)
{
  Ticks t;
  if (!(max > 0) || !isfinite(max))
    max = kind == TS_AXIS_DURATION ? 60 : 1;
  if (kind == TS_AXIS_DURATION) {
    t.step = duration_steps[G_N_ELEMENTS(duration_steps) - 1];
    for (guint i = 0; i < G_N_ELEMENTS(duration_steps); i++)
      if (ceil(max / duration_steps[i] - 1e-9) <= MAX_INTERVALS) {
        t.step = duration_steps[i];
        break;
      }
  } else if (kind == TS_AXIS_BYTES) {
    t.step = nice_step(max, bytes_unit(max, NULL));
  } else {
    t.step = nice_step(max, 1);
  }
  t.n = (guint) MAX(1, ceil(max / t.step - 1e-9));
  t.max = t.n * t.step;
  return t;
}

/* Shortest decimal text of v, at most 3 decimals ("2.5", "10"). */
static char *
short_number(double v)
{
  char *s = g_strdup_printf("%.3f", v);
  char *e = s + strlen(s) - 1;
  while (*e == '0')
    *e-- = '\0';
  if (*e == '.')
    *e = '\0';
  if (strcmp(s, "-0") == 0) {
    g_free(s);
    s = g_strdup("0");
  }
  return s;
}

char *
ts_chart_format_tick(TsAxisKind kind, double v, double step)
{
  if (kind == TS_AXIS_DURATION) {
    if (v == 0)
      return g_strdup("0");
    if (step >= 86400 && fmod(v, 86400) == 0)
      return g_strdup_printf("%.0f d", v / 86400);
    if (v >= 3600) {
      double h = floor(v / 3600 + 1e-9), m = round((v - h * 3600) / 60);
      if (m >= 60) {
        h += 1;
        m = 0;
      }
      return m > 0 ? g_strdup_printf("%.0f h %.0f min", h, m) : g_strdup_printf("%.0f h", h);
    }
    g_autofree char *n = NULL;
    if (v >= 60) {
      n = short_number(v / 60);
      return g_strdup_printf("%s min", n);
    }
    if (v >= 1 || step >= 1) {
      n = short_number(v);
      return g_strdup_printf("%s s", n);
    }
    n = short_number(v * 1000);
    return g_strdup_printf("%s ms", n);
  }
  if (kind == TS_AXIS_BYTES) {
    const char *name;
    double u = bytes_unit(MAX(step, fabs(v)), &name);
    if (v == 0)
      return g_strdup("0");
    g_autofree char *n = short_number(v / u);
    return g_strdup_printf("%s %s", n, name);
  }
  if (kind == TS_AXIS_USD) {
    if (v == 0)
      return g_strdup("0");
    int decimals = step >= 1 ? 0 : (int) ceil(-log10(step) - 1e-9);
    const struct {
      double unit;
      const char *suffix;
    } big[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    for (guint i = 0; i < G_N_ELEMENTS(big); i++)
      if (step >= big[i].unit / 10 && fabs(v) >= big[i].unit && (i < 3 || step >= 1000)) {
        g_autofree char *n = short_number(v / big[i].unit);
        return g_strdup_printf("%s%s USD", n, big[i].suffix);
      }
    return g_strdup_printf("%.*f USD", decimals, v);
  }
  return short_number(v);
}

/* ---- drawing -------------------------------------------------------------------------------------- */

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

static void
draw_plot(TsPlot *p, cairo_t *cr)
{
  release_cairo_caches_at_exit();
  const double W = p->width, H = p->height;
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);

  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);

  double top = 12;
  if (p->title) {
    draw_text(cr, MARGIN_LEFT, top + 15, p->title, 15, 0, 0x111111, TRUE);
    top += 22;
  }
  if (p->subtitle) {
    draw_text(cr, MARGIN_LEFT, top + 13, p->subtitle, 11, 0, 0x555555, FALSE);
    top += 18;
  }
  top += 8;

  const double x0 = MARGIN_LEFT, x1 = W - MARGIN_RIGHT;
  const double bottom = H - MARGIN_BOTTOM;
  guint np = p->panels->len;
  if (np == 0)
    return;
  PanelLayout *lay = g_new0(PanelLayout, np);
  GArray **legends = g_new0(GArray *, np);
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
    lay[i].yt = ticks_compute(pa->ykind, lay[i].ymax * 1.04);
  }
  Ticks xt = ticks_compute(p->xkind, data_xmax(p));
  double xmax = xt.max;
#define X(v) (x0 + (v) / xmax * (x1 - x0))

  for (guint i = 0; i < np; i++) {
    Panel *pa = g_ptr_array_index(p->panels, i);
    PanelLayout *L = &lay[i];
#define Y(v) (L->y1 - (v) / L->yt.max * (L->y1 - L->y0))
    draw_header(cr, pa, legends[i], x0, L->header_y, x1 - x0);

    /* bands, alternating tints among the ones wide enough to see */
    guint wide = 0;
    for (guint b = 0; b < p->bands->len; b++) {
      const Band *band = &g_array_index(p->bands, Band, b);
      double bx0 = X(band->x0), bx1 = X(band->x1);
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
      if (i == 0 && band->label && text_width(cr, band->label, 10, FALSE) < bx1 - bx0 - 6)
        draw_text(cr, (bx0 + bx1) / 2, L->y0 + 12, band->label, 10, 0.5, 0x555555, FALSE);
    }

    /* grid and y ticks */
    cairo_set_line_width(cr, 1);
    for (guint k = 0; k <= L->yt.n; k++) {
      double v = k * L->yt.step, yy = round(Y(v)) + 0.5;
      set_color(cr, 0x000000, k == 0 ? 0.55 : 0.10);
      cairo_move_to(cr, x0, yy);
      cairo_line_to(cr, x1, yy);
      cairo_stroke(cr);
      g_autofree char *s = ts_chart_format_tick(pa->ykind, v, L->yt.step);
      draw_text(cr, x0 - 6, yy + 4, s, 10, 1, 0x444444, FALSE);
    }
    for (guint k = 0; k <= xt.n; k++) {
      double xx = round(X(k * xt.step)) + 0.5;
      set_color(cr, 0x000000, k == 0 ? 0.55 : 0.10);
      cairo_move_to(cr, xx, L->y0);
      cairo_line_to(cr, xx, L->y1);
      cairo_stroke(cr);
    }

    cairo_save(cr);
    cairo_rectangle(cr, x0 - 8, L->y0 - 8, x1 - x0 + 16, L->y1 - L->y0 + 8);
    cairo_clip(cr);

    /* stacked areas, then lines */
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
      cairo_move_to(cr, X(xs[0]), Y(base[0]));
      for (guint k = 0; k < n; k++)
        cairo_line_to(cr, X(xs[k]), Y(top_v[k]));
      for (guint k = n; k-- > 0;)
        cairo_line_to(cr, X(xs[k]), Y(base[k]));
      cairo_close_path(cr);
      set_color(cr, l->color, 0.75);
      cairo_fill(cr);
      memcpy(base, top_v, n * sizeof(double));
      g_free(top_v);
    }
    g_free(base);
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
          cairo_move_to(cr, X(xs[k]), Y(ys[k]));
        else if (l->style == TS_LINE_STEP) {
          cairo_line_to(cr, X(xs[k]), Y(ys[k - 1]));
          cairo_line_to(cr, X(xs[k]), Y(ys[k]));
        } else
          cairo_line_to(cr, X(xs[k]), Y(ys[k]));
        pen = TRUE;
      }
      set_color(cr, l->color, 1);
      cairo_set_line_width(cr, 2);
      cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke(cr);
    }

    /* points */
    for (guint j = 0; j < pa->points->len; j++) {
      Points *l = g_ptr_array_index(pa->points, j);
      for (guint k = 0; k < l->x->len; k++) {
        double xv = g_array_index(l->x, double, k), yv = g_array_index(l->y, double, k);
        if (isfinite(xv) && isfinite(yv))
          draw_marker(cr, X(xv), Y(yv), l->marker, l->color);
      }
    }

    /* rules */
    for (guint j = 0; j < pa->rules->len; j++) {
      Rule *r = g_ptr_array_index(pa->rules, j);
      const double dash[] = {6, 4};
      cairo_set_dash(cr, dash, 2, 0);
      set_color(cr, r->color, 1);
      cairo_set_line_width(cr, 1.5);
      if (r->vertical) {
        double xx = round(X(r->v)) + 0.5;
        cairo_move_to(cr, xx, L->y0);
        cairo_line_to(cr, xx, L->y1);
      } else {
        double yy = round(Y(r->v)) + 0.5;
        cairo_move_to(cr, x0, yy);
        cairo_line_to(cr, x1, yy);
      }
      cairo_stroke(cr);
      cairo_set_dash(cr, NULL, 0, 0);
      if (r->label) {
        if (r->vertical) {
          double xx = X(r->v);
          gboolean right = xx + 8 + text_width(cr, r->label, 10, FALSE) < x1;
          draw_text(cr, right ? xx + 5 : xx - 5, L->y0 + 26, r->label, 10, right ? 0 : 1, r->color, FALSE);
        } else {
          double yy = Y(r->v);
          draw_text(cr, x1 - 4, yy < L->y0 + 14 ? yy + 13 : yy - 4, r->label, 10, 1, r->color, FALSE);
        }
      }
    }

    /* notes */
    for (guint j = 0; j < pa->notes->len; j++) {
      Note *n = g_ptr_array_index(pa->notes, j);
      double w = text_width(cr, n->text, 11, TRUE);
      double nx = X(n->x) + 10, ny = Y(n->y) - 10;
      if (nx + w > x1)
        nx = X(n->x) - 10 - w;
      if (ny - 12 < L->y0)
        ny = Y(n->y) + 20;
      cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
      cairo_rectangle(cr, nx - 3, ny - 12, w + 6, 16);
      cairo_fill(cr);
      draw_text(cr, nx, ny, n->text, 11, 0, n->color, TRUE);
    }
    cairo_restore(cr);
#undef Y
  }

  /* x ticks under the last panel */
  const PanelLayout *last = &lay[np - 1];
  for (guint k = 0; k <= xt.n; k++) {
    double v = k * xt.step;
    g_autofree char *s = ts_chart_format_tick(p->xkind, v, xt.step);
    draw_text(cr, X(v), last->y1 + 15, s, 10, k == 0 ? 0 : k == xt.n ? 1 : 0.5, 0x444444, FALSE);
  }
  if (p->xlabel)
    draw_text(cr, (x0 + x1) / 2, H - 10, p->xlabel, 11, 0.5, 0x333333, FALSE);
#undef X
  for (guint i = 0; i < np; i++)
    g_array_unref(legends[i]);
  g_free(legends);
  g_free(lay);
}

/* ---- output --------------------------------------------------------------------------------------- */

static cairo_status_t
append_to_string(void *closure, const unsigned char *data, unsigned int length)
{
  g_string_append_len(closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
ts_plot_render_png(TsPlot *p)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p->width, p->height);
  cairo_t *cr = cairo_create(s);
  draw_plot(p, cr);
  cairo_destroy(cr);
  GString *out = g_string_new(NULL);
  cairo_surface_write_to_png_stream(s, append_to_string, out);
  cairo_surface_destroy(s);
  return g_string_free_to_bytes(out);
}

GBytes *
ts_plot_render_svg(TsPlot *p)
{
  GString *out = g_string_new(NULL);
  cairo_surface_t *s = cairo_svg_surface_create_for_stream(append_to_string, out, p->width, p->height);
  cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
  cairo_t *cr = cairo_create(s);
  draw_plot(p, cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_surface_destroy(s);
  ts_svg_normalize_ids(out);
  return g_string_free_to_bytes(out);
}

gboolean
ts_plot_add_to_set(TsPlot *p, TsAtomicSet *set, const char *png_path, const char *svg_path, GError **error)
{
  if (png_path != NULL) {
    g_autoptr(GBytes) png = ts_plot_render_png(p);
    gsize n;
    const void *d = g_bytes_get_data(png, &n);
    if (!ts_atomic_set_add_bytes(set, png_path, d, n, error))
      return FALSE;
  }
  if (svg_path != NULL) {
    g_autoptr(GBytes) svg = ts_plot_render_svg(p);
    gsize n;
    const void *d = g_bytes_get_data(svg, &n);
    if (!ts_atomic_set_add_bytes(set, svg_path, d, n, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
ts_plot_write(TsPlot *p, const char *png_path, const char *svg_path, GError **error)
{
  TsAtomicSet *set = ts_atomic_set_new();
  if (!ts_plot_add_to_set(p, set, png_path, svg_path, error)) {
    ts_atomic_set_abort(set);
    return FALSE;
  }
  return ts_atomic_set_commit(set, error);
}

/* ---- SVG ids ---------------------------------------------------------------------------------------- */

static gboolean
id_char(char c)
{
  return g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

static char *
new_id(GHashTable *counters, const char *old)
{
  gsize n = 0;
  while (old[n] && g_ascii_isalpha(old[n]))
    n++;
  g_autofree char *prefix = g_strndup(old, n ? n : 0);
  if (n == 0) {
    g_free(prefix);
    prefix = g_strdup("id");
  }
  guint c = GPOINTER_TO_UINT(g_hash_table_lookup(counters, prefix)) + 1;
  g_hash_table_insert(counters, g_strdup(prefix), GUINT_TO_POINTER(c));
  return g_strdup_printf("%s%u", prefix, c);
}

void
ts_svg_normalize_ids(GString *svg)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  /* Pass 1: ids in order of definition. */
  for (const char *p = strstr(svg->str, " id=\""); p != NULL; p = strstr(p + 1, " id=\"")) {
    const char *s = p + 5, *e = s;
    while (id_char(*e))
      e++;
    if (*e != '"' || e == s)
      continue;
    g_autofree char *old = g_strndup(s, (gsize) (e - s));
    if (!g_hash_table_contains(map, old))
      g_hash_table_insert(map, g_strdup(old), new_id(counters, old));
  }
  if (g_hash_table_size(map) == 0)
    return;
  /* Pass 2: rewrite definitions (id="X") and references (#X after '(' or '"'). */
  GString *out = g_string_sized_new(svg->len);
  const char *p = svg->str;
  while (*p) {
    const char *s = NULL;
    if (g_str_has_prefix(p, " id=\""))
      s = p + 5;
    else if ((*p == '(' || *p == '"') && p[1] == '#')
      s = p + 2;
    if (s != NULL) {
      const char *e = s;
      while (id_char(*e))
        e++;
      g_autofree char *old = g_strndup(s, (gsize) (e - s));
      const char *repl = e > s ? g_hash_table_lookup(map, old) : NULL;
      if (repl != NULL) {
        g_string_append_len(out, p, s - p);
        g_string_append(out, repl);
        p = e;
        continue;
      }
    }
    g_string_append_c(out, *p++);
  }
  g_string_assign(svg, out->str);
  g_string_free(out, TRUE);
}
