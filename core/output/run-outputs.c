#include "output/run-outputs.h"

#include "output/atomic-file.h"
#include "output/report-html.h"
#include "output/timeline-csv.h"
#include "output/json-writer.h"
#include "output/trace.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

struct TsRunOutputs {
  char *dir;
  TsTimelineCsv *csv;
  TsTrace *trace;
  TsSeries *series;
  TsSink sinks[3];
  GPtrArray *sink_ptrs;
};

TsRunOutputs *
ts_run_outputs_new(const char *dir, const char *scenario_path, GError **error)
{
  if (!ts_output_dir_ensure(dir, error))
    return NULL;
  TsRunOutputs *o = g_new0(TsRunOutputs, 1);
  o->dir = g_strdup(dir);
  o->sink_ptrs = g_ptr_array_new();
  g_autofree char *csv = g_build_filename(dir, "timeline.csv", NULL);
  g_autofree char *trace = g_build_filename(dir, "trace.json", NULL);
  g_autofree char *base = g_path_get_basename(scenario_path);
  g_autofree char *pname = g_strdup_printf("trainsim: %s", base);
  o->csv = ts_timeline_csv_new(csv, error);
  if (o->csv == NULL) {
    ts_run_outputs_abort(o);
    return NULL;
  }
  o->trace = ts_trace_new(trace, pname, error);
  if (o->trace == NULL) {
    ts_run_outputs_abort(o);
    return NULL;
  }
  o->series = ts_series_new();
  o->sinks[0] = ts_timeline_csv_sink(o->csv);
  o->sinks[1] = ts_trace_sink(o->trace);
  o->sinks[2] = ts_series_sink(o->series);
  for (guint i = 0; i < G_N_ELEMENTS(o->sinks); i++)
    g_ptr_array_add(o->sink_ptrs, &o->sinks[i]);
  return o;
}

GPtrArray *
ts_run_outputs_get_sinks(TsRunOutputs *o)
{
  return o->sink_ptrs;
}

const TsSeries *
ts_run_outputs_get_series(TsRunOutputs *o)
{
  return o->series;
}

static void
outputs_free(TsRunOutputs *o)
{
  ts_series_free(o->series);
  g_ptr_array_unref(o->sink_ptrs);
  g_free(o->dir);
  g_free(o);
}

void
ts_run_outputs_abort(TsRunOutputs *o)
{
  if (o == NULL)
    return;
  ts_timeline_csv_abort(g_steal_pointer(&o->csv));
  ts_trace_abort(g_steal_pointer(&o->trace));
  outputs_free(o);
}

/* Add the chart's PNG and SVG to the set; its SVG is kept in `svg` for report.html. */
static gboolean
add_chart(TsAtomicSet *set, TsPlot *plot, const char *dir, const char *name, GBytes **svg, GError **error)
{
  g_autofree char *png_name = g_strdup_printf("%s.png", name);
  g_autofree char *svg_name = g_strdup_printf("%s.svg", name);
  g_autofree char *png = g_build_filename(dir, png_name, NULL);
  g_autofree char *svg_path = g_build_filename(dir, svg_name, NULL);
  g_autoptr(GBytes) png_bytes = ts_plot_render_png(plot, error);
  *svg = png_bytes != NULL ? ts_plot_render_svg(plot, error) : NULL;
  ts_plot_free(plot);
  if (*svg == NULL)
    return FALSE;
  gsize n;
  const void *d = g_bytes_get_data(png_bytes, &n);
  if (!ts_atomic_set_add_bytes(set, png, d, n, error))
    return FALSE;
  d = g_bytes_get_data(*svg, &n);
  return ts_atomic_set_add_bytes(set, svg_path, d, n, error);
}

/* report.html from the summary's text and the charts just drawn (output/report-html.h). */
static gboolean
add_report(TsAtomicSet *set, const char *dir, const char *summary_json, GBytes *const svgs[3], GError **error)
{
  TsReportChart charts[3];
  for (guint i = 0; i < 3; i++) {
    charts[i].caption = ts_report_chart_captions[i];
    charts[i].svg = g_bytes_get_data(svgs[i], &charts[i].svg_len);
  }
  g_autofree char *html = ts_report_html_run(summary_json, strlen(summary_json), charts, 3, "summary.json", error);
  if (html == NULL)
    return FALSE;
  g_autofree char *path = g_build_filename(dir, "report.html", NULL);
  return ts_atomic_set_add_bytes(set, path, html, strlen(html), error);
}

/* What ts_run_outputs_commit writes, in its order: the CLI lists it after a run (docs/cli.md). */
static const char *const file_names[] = {"timeline.csv", "trace.json", "memory.png", "memory.svg", "storage.png",
                                         "storage.svg", "cost.png", "cost.svg", "report.html", "summary.json",
                                         NULL};

const char *const *
ts_run_outputs_get_file_names(void)
{
  return file_names;
}

/* The trace's metadata: where the wall time goes, in seconds and USD, as summary.json's goodput says. */
static char *
goodput_other_data(TsRun *run)
{
  const TsResults *r = ts_run_get_results(run);
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, FALSE);
  ts_json_begin_object(&w, NULL);
  ts_json_begin_object(&w, "goodput_s");
  for (int c = 0; c < TS_GOODPUT_COUNT; c++)
    ts_json_number(&w, ts_goodput_category_get_name(c), r->goodput.seconds[c]);
  ts_json_end_object(&w);
  ts_json_begin_object(&w, "goodput_cost_usd");
  for (int c = 0; c < TS_GOODPUT_COUNT; c++)
    ts_json_number(&w, ts_goodput_category_get_name(c), r->goodput.usd[c]); /* null when unknown */
  ts_json_end_object(&w);
  ts_json_end_object(&w);
  return g_string_free(out, FALSE);
}

gboolean
ts_run_outputs_commit(TsRunOutputs *o, TsRun *run, const char *summary_json, GError **error)
{
  /* Every file is written in full first; only then are they all renamed into place, summary.json last.
   * A failure on the way (a full disk) leaves DIR as it was. */
  TsAtomicSet *set = ts_atomic_set_new();
  g_autofree char *summary = g_build_filename(o->dir, "summary.json", NULL);
  gboolean ok = ts_timeline_csv_finish(g_steal_pointer(&o->csv), set, error);
  g_autofree char *other = goodput_other_data(run);
  ts_trace_set_other_data(o->trace, other);
  ok = ok && ts_trace_finish(g_steal_pointer(&o->trace), set, error);
  GBytes *svgs[3] = {NULL, NULL, NULL};
  ok = ok && add_chart(set, ts_run_chart_memory(run, o->series), o->dir, "memory", &svgs[0], error);
  ok = ok && add_chart(set, ts_run_chart_storage(run, o->series), o->dir, "storage", &svgs[1], error);
  ok = ok && add_chart(set, ts_run_chart_cost(run, o->series), o->dir, "cost", &svgs[2], error);
  ok = ok && add_report(set, o->dir, summary_json, svgs, error);
  for (guint i = 0; i < 3; i++)
    if (svgs[i] != NULL)
      g_bytes_unref(svgs[i]);
  ok = ok && ts_atomic_set_add_bytes(set, summary, summary_json, strlen(summary_json), error);
  if (ok)
    ok = ts_atomic_set_commit(set, error);
  else
    ts_atomic_set_abort(set);
  ts_run_outputs_abort(o); /* whatever is still open */
  return ok;
}

/* ---- charts --------------------------------------------------------------------------------------------- */

char *
ts_run_describe_params(TsRun *run)
{
  const TsRunInfo *info = ts_run_get_info(run);
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < info->params->len; i++) {
    const TsParam *p = g_ptr_array_index(info->params, i);
    g_string_append_printf(s, "%s%s=%s", i ? " " : "", p->name, p->value_json ? p->value_json : "?");
  }
  g_string_append_printf(s, "%sseed %" G_GUINT64_FORMAT, s->len ? ", " : "", info->seed);
  return g_string_free(s, FALSE);
}

static TsPlot *
new_run_plot(TsRun *run, const char *what, int height)
{
  const TsRunInfo *info = ts_run_get_info(run);
  const TsResults *r = ts_run_get_results(run);
  g_autofree char *base = g_path_get_basename(info->scenario_path);
  g_autofree char *title = g_strdup_printf("%s — %s", base, what);
  g_autofree char *params = ts_run_describe_params(run);
  g_autofree char *t = ts_format_duration(r->total_time_s);
  g_autofree char *c = ts_format_usd(r->cost_total);
  g_autofree char *sub = g_strdup_printf("%s · %s, %s%s · phases shaded", params, t, c,
                                         r->feasible ? "" : " · INFEASIBLE");
  TsPlot *plot = ts_plot_new(title, sub, 900, height, TS_AXIS_DURATION, "time since the start of the run");
  const GPtrArray *phases = ts_run_get_phases(run);
  for (guint i = 0; i < phases->len; i++) {
    const TsPhase *p = g_ptr_array_index(phases, i);
    ts_plot_add_band(plot, ts_time_to_seconds(p->start), ts_time_to_seconds(p->end), p->name);
  }
  return plot;
}

typedef struct {
  double *x, *y;
  guint n;
} XY;

static XY
series_xy(const TsSeries *s, gsize offset)
{
  XY xy = {g_new(double, MAX(s->points->len, 1)), g_new(double, MAX(s->points->len, 1)), s->points->len};
  for (guint i = 0; i < s->points->len; i++) {
    const TsSeriesPoint *p = &g_array_index(s->points, TsSeriesPoint, i);
    xy.x[i] = ts_time_to_seconds(p->time);
    xy.y[i] = offset == G_MAXSIZE ? ts_series_point_total(p) : *(const double *) ((const char *) p + offset);
  }
  return xy;
}

static void
xy_free(XY *xy)
{
  g_free(xy->x);
  g_free(xy->y);
}

static double
xy_max(const XY *xy)
{
  double m = 0;
  for (guint i = 0; i < xy->n; i++)
    if (isfinite(xy->y[i]))
      m = MAX(m, xy->y[i]);
  return m;
}

/* Where each restart and each checkpoint of the series begins (its phase named "restart", or "checkpoint..."),
 * as points on a panel's curve (`offset` into the sample, G_MAXSIZE: the total cost): a failure's restart and a
 * checkpoint written in the foreground show where they happened, even when they are too short to see as a band
 * (docs/outputs.md, "Charts").  Nothing when the run has none. */
static void
event_marks(TsPlot *plot, guint panel, const TsSeries *s, gsize offset)
{
  static const struct {
    const char *prefix, *label;
    guint32 color;
    TsMarker marker;
  } kinds[] = {{"restart", "restart", TS_COLOR_RED, TS_MARK_CROSS},
               {"checkpoint", "checkpoint", TS_COLOR_GREEN, TS_MARK_SQUARE}};
  XY xy = series_xy(s, offset);
  g_autofree double *x = g_new(double, MAX(xy.n, 1)), *y = g_new(double, MAX(xy.n, 1));
  g_autofree guint *at = g_new(guint, MAX(xy.n, 1));
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
    guint n = ts_series_phase_starts(s, kinds[k].prefix, at);
    for (guint i = 0; i < n; i++) {
      x[i] = xy.x[at[i]];
      y[i] = xy.y[at[i]];
    }
    if (n == 0)
      continue;
    g_autofree char *label = g_strdup_printf("%s%s (%u)", kinds[k].label, n == 1 ? "" : "s", n);
    ts_plot_add_points(plot, panel, label, kinds[k].color, kinds[k].marker, x, y, n);
  }
  xy_free(&xy);
}

static void
memory_panel(TsPlot *plot, const TsSeries *s, const char *title, gsize offset, double capacity, guint32 color)
{
  guint p = ts_plot_add_panel(plot, title, TS_AXIS_BYTES, 1);
  XY xy = series_xy(s, offset);
  gboolean known = FALSE; /* several jobs on one pool: their memory and storage are not composed (run/jobs.c) */
  for (guint i = 0; i < xy.n && !known; i++)
    known = isfinite(xy.y[i]);
  g_autofree char *peak = ts_format_bytes(xy_max(&xy));
  g_autofree char *label = known ? g_strdup_printf("in use (peak %s)", peak) : g_strdup("in use: not modelled");
  ts_plot_add_line(plot, p, label, color, TS_LINE_STEP, xy.x, xy.y, xy.n);
  event_marks(plot, p, s, offset);
  if (capacity > 0) {
    g_autofree char *cap = ts_format_bytes(capacity);
    g_autofree char *cl = g_strdup_printf("capacity %s", cap);
    ts_plot_add_hrule(plot, p, cl, TS_COLOR_RED, capacity);
  }
  xy_free(&xy);
}

TsPlot *
ts_run_chart_memory(TsRun *run, const TsSeries *s)
{
  const TsResults *r = ts_run_get_results(run);
  TsPlot *plot = new_run_plot(run, "memory", 620);
  memory_panel(plot, s, "device memory, per device", G_STRUCT_OFFSET(TsSeriesPoint, device_bytes),
               r->device_capacity, TS_COLOR_BLUE);
  memory_panel(plot, s, "host memory, per host", G_STRUCT_OFFSET(TsSeriesPoint, host_bytes), r->host_capacity,
               TS_COLOR_PURPLE);
  return plot;
}

TsPlot *
ts_run_chart_storage(TsRun *run, const TsSeries *s)
{
  const TsResults *r = ts_run_get_results(run);
  TsPlot *plot = new_run_plot(run, "storage", 420);
  memory_panel(plot, s, "storage (datasets and checkpoints)", G_STRUCT_OFFSET(TsSeriesPoint, storage_bytes),
               r->storage_capacity, TS_COLOR_BROWN);
  return plot;
}

TsPlot *
ts_run_chart_cost(TsRun *run, const TsSeries *s)
{
  const TsResults *r = ts_run_get_results(run);
  TsPlot *plot = new_run_plot(run, "cumulative cost", 460);
  guint p = ts_plot_add_panel(plot, "cumulative cost", TS_AXIS_USD, 1);
  static const struct {
    const char *name;
    gsize offset;
    guint32 color;
  } cats[] = {
    {"compute", G_STRUCT_OFFSET(TsSeriesPoint, usd_compute), TS_COLOR_BLUE},
    {"host", G_STRUCT_OFFSET(TsSeriesPoint, usd_host), TS_COLOR_PURPLE},
    {"storage", G_STRUCT_OFFSET(TsSeriesPoint, usd_storage), TS_COLOR_BROWN},
    {"network", G_STRUCT_OFFSET(TsSeriesPoint, usd_network), TS_COLOR_CYAN},
  };
  const double finals[] = {r->cost_compute, r->cost_host, r->cost_storage, r->cost_network};
  const gboolean modelled[] = {TRUE, TRUE, r->storage_cost_modelled, r->network_cost_modelled};
  for (guint i = 0; i < G_N_ELEMENTS(cats); i++) {
    if (!modelled[i])
      continue;
    XY xy = series_xy(s, cats[i].offset);
    g_autofree char *usd = ts_format_usd(finals[i]);
    g_autofree char *label = g_strdup_printf("%s %s", cats[i].name, usd);
    ts_plot_add_line(plot, p, label, cats[i].color, TS_AREA_STACKED, xy.x, xy.y, xy.n);
    xy_free(&xy);
  }
  XY total = series_xy(s, G_MAXSIZE);
  g_autofree char *usd = ts_format_usd(r->cost_total);
  g_autofree char *label = g_strdup_printf("total %s", usd);
  ts_plot_add_line(plot, p, label, 0x222222, TS_LINE_LINEAR, total.x, total.y, total.n);
  xy_free(&total);
  event_marks(plot, p, s, G_MAXSIZE);
  return plot;
}
