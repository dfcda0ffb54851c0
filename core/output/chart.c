/* Charts (chart.h): the plot's model, built by the ts_plot_add_* calls, and its output as PNG and SVG bytes or files.
 * The axes are in chart-axes.c, the drawing in chart-draw.c, the SVG id renumbering in chart-svg-ids.c. */
#include "output/chart-private.h"

#include "common/install-dirs.h"
#include "common/ts-error.h"
#include "output/atomic-file.h"

#include <math.h>

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

/* ---- output --------------------------------------------------------------------------------------- */

/* The drawing module (chart-render.c), opened once per process, the first time a chart is drawn: from the
 * build tree for a binary of the build tree, else beside the installed plugins' directory
 * (<libdir>/trainsim/trainsim-charts.so); TRAINSIM_CHARTS_MODULE names another file. */
static const TsChartRenderer *
renderer(GError **error)
{
  static GMutex mutex;
  static const TsChartRenderer *found;
  static char *why;
  g_mutex_lock(&mutex);
  if (found == NULL && why == NULL) {
    g_autofree char *path = NULL;
    const TsChartRenderer *(*entry)(void) = NULL;
    *(void **) (&entry) = ts_install_open_module("TRAINSIM_CHARTS_MODULE", TS_BUILD_CHARTS_MODULE,
                                                 TS_CHARTS_MODULE_NAME, TS_CHART_RENDERER_SYMBOL, "the charts' module",
                                                 &path, &why);
    const TsChartRenderer *r = entry != NULL ? entry() : NULL;
    if (entry != NULL && (r == NULL || r->size != sizeof *r || r->plot_size != sizeof(TsPlot)))
      why = g_strdup_printf("%s is not the charts' module of this trainsim (built from another version)", path);
    else if (entry != NULL)
      found = r;
  }
  const TsChartRenderer *r = found;
  if (r == NULL)
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s", why);
  g_mutex_unlock(&mutex);
  return r;
}

GBytes *
ts_plot_render_png(TsPlot *p, GError **error)
{
  const TsChartRenderer *r = renderer(error);
  return r != NULL ? g_string_free_to_bytes(r->render_png(p)) : NULL;
}

GBytes *
ts_plot_render_svg(TsPlot *p, GError **error)
{
  const TsChartRenderer *r = renderer(error);
  if (r == NULL)
    return NULL;
  GString *out = r->render_svg(p);
  ts_svg_normalize_ids(out);
  return g_string_free_to_bytes(out);
}

gboolean
ts_plot_add_to_set(TsPlot *p, TsAtomicSet *set, const char *png_path, const char *svg_path, GError **error)
{
  if (png_path != NULL) {
    g_autoptr(GBytes) png = ts_plot_render_png(p, error);
    if (png == NULL)
      return FALSE;
    gsize n;
    const void *d = g_bytes_get_data(png, &n);
    if (!ts_atomic_set_add_bytes(set, png_path, d, n, error))
      return FALSE;
  }
  if (svg_path != NULL) {
    g_autoptr(GBytes) svg = ts_plot_render_svg(p, error);
    if (svg == NULL)
      return FALSE;
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
