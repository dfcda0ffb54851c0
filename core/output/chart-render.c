/* The charts' drawing module (trainsim-charts.so): cairo's surfaces for a plot's PNG and SVG bytes.  A module
 * of its own, opened by chart.c the first time a chart is drawn, so that a process that draws none (`trainsim
 * --version`, a run without --out, every sweep variant) never loads cairo and the twenty libraries it brings
 * (X11, xcb, fontconfig, freetype, png, pixman): their loading and relocation was most of the start-up's
 * dynamic loader work (docs/performance.md, section 6).  Built from chart-render.c, chart-draw.c and
 * chart-axes.c; it shares nothing with the executable but the TsPlot it is handed and GLib. */
#include "output/chart-private.h"

#include <cairo-svg.h>

static cairo_status_t
append_to_string(void *closure, const unsigned char *data, unsigned int length)
{
  g_string_append_len(closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GString *
render_png(TsPlot *p)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p->width, p->height);
  cairo_t *cr = cairo_create(s);
  chart_draw(p, cr);
  cairo_destroy(cr);
  GString *out = g_string_new(NULL);
  cairo_surface_write_to_png_stream(s, append_to_string, out);
  cairo_surface_destroy(s);
  return out;
}

/* The SVG as cairo writes it (chart.c renumbers its ids). */
static GString *
render_svg(TsPlot *p)
{
  GString *out = g_string_new(NULL);
  cairo_surface_t *s = cairo_svg_surface_create_for_stream(append_to_string, out, p->width, p->height);
  cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
  cairo_t *cr = cairo_create(s);
  chart_draw(p, cr);
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_surface_destroy(s);
  return out;
}

const TsChartRenderer *ts_chart_renderer(void); /* the module's one entry point */

const TsChartRenderer *
ts_chart_renderer(void)
{
  static const TsChartRenderer renderer = {sizeof(TsChartRenderer), sizeof(TsPlot), render_png, render_svg};
  return &renderer;
}
