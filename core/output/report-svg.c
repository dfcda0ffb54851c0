#include "output/report-svg.h"

#include "output/chart.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

const char *const ts_report_palette[8] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                          "#56B4E9", "#CC79A7", "#F0E442", "#000000"};

/* Geometry of the Gantt, in SVG user units (the drawing scales to the page width). */
#define GANTT_W 900.0
#define GANTT_LABEL_W 130.0
#define GANTT_LANE_H 26.0
#define GANTT_AXIS_H 28.0

/* Element `i` of `a` when it is an object, else NULL (its members then read as absent). */
static const TsJsonValue *
object_at(const TsJsonValue *a, guint i)
{
  const TsJsonValue *e = ts_json_value_get_element(a, i);
  return e != NULL && e->type == TS_JSON_OBJECT ? e : NULL;
}

static double
member_number(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  return ts_json_value_is_scalar(n) ? ts_json_value_get_double(n) : NAN;
}

static const char *
member_string(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  return n != NULL && n->type == TS_JSON_STRING ? n->u.s : NULL;
}

/* The lanes: phase kinds in order of first appearance. */
static GPtrArray *
gantt_lanes(const TsJsonValue *phases)
{
  GPtrArray *lanes = g_ptr_array_new();
  for (guint i = 0; i < phases->len; i++) {
    const char *kind = member_string(object_at(phases, i), "kind");
    if (kind == NULL)
      kind = "?";
    gboolean seen = FALSE;
    for (guint k = 0; k < lanes->len && !seen; k++)
      seen = strcmp(g_ptr_array_index(lanes, k), kind) == 0;
    if (!seen)
      g_ptr_array_add(lanes, (gpointer) kind);
  }
  return lanes;
}

static guint
lane_of(GPtrArray *lanes, const char *kind)
{
  for (guint k = 0; k < lanes->len; k++)
    if (strcmp(g_ptr_array_index(lanes, k), kind ? kind : "?") == 0)
      return k;
  return 0;
}

/* Time ticks under the Gantt: about six, at round durations. */
static void
gantt_axis(GString *h, double total_s, double y)
{
  static const double steps[] = {1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400,
                                 172800, 604800, 2592000, 31536000};
  double step = steps[G_N_ELEMENTS(steps) - 1];
  for (gsize i = 0; i < G_N_ELEMENTS(steps); i++)
    if (total_s / steps[i] <= 6) {
      step = steps[i];
      break;
    }
  double span = GANTT_W - GANTT_LABEL_W - 10;
  for (double t = 0; t <= total_s + 1e-9; t += step) {
    double x = GANTT_LABEL_W + span * (total_s > 0 ? t / total_s : 0);
    g_autofree char *label = ts_chart_format_tick(TS_AXIS_DURATION, t, step); /* "30 min", as the charts */
    g_string_append_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>", x, 0.0, x,
                           y + 4);
    g_autofree char *esc = g_markup_escape_text(label, -1);
    g_string_append_printf(h, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, y + 18, esc);
  }
}

void
ts_report_svg_gantt(GString *h, const TsJsonValue *phases, double total_s)
{
  g_autoptr(GPtrArray) lanes = gantt_lanes(phases);
  double height = lanes->len * GANTT_LANE_H + GANTT_AXIS_H;
  double span = GANTT_W - GANTT_LABEL_W - 10;
  g_string_append_printf(h, "<svg class=\"gantt\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                         "aria-labelledby=\"gantt-title\"><title id=\"gantt-title\">Phases over time, one lane per "
                         "kind</title>\n", GANTT_W, height);
  for (guint k = 0; k < lanes->len; k++) {
    g_autofree char *esc = g_markup_escape_text(g_ptr_array_index(lanes, k), -1);
    g_string_append_printf(h, "<text x=\"4\" y=\"%.1f\">%s</text>\n", k * GANTT_LANE_H + 17, esc);
  }
  gantt_axis(h, total_s, lanes->len * GANTT_LANE_H);
  for (guint i = 0; i < phases->len; i++) {
    const TsJsonValue *p = object_at(phases, i);
    double s = member_number(p, "start_s"), e = member_number(p, "end_s");
    guint k = lane_of(lanes, member_string(p, "kind"));
    if (!isfinite(s) || !isfinite(e) || total_s <= 0)
      continue;
    double x = GANTT_LABEL_W + span * s / total_s;
    double w = MAX(span * (e - s) / total_s, 1.5); /* an instant (a restart) still shows */
    g_autofree char *name = g_markup_escape_text(member_string(p, "name") ? member_string(p, "name") : "?", -1);
    g_autofree char *from = ts_format_duration(s);
    g_autofree char *len = ts_format_duration(e - s);
    g_string_append_printf(h, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\">"
                           "<title>%s: starts %s, lasts %s</title></rect>\n", x, k * GANTT_LANE_H + 4, w,
                           GANTT_LANE_H - 8, ts_report_palette[k % 7], name, from, len);
  }
  g_string_append(h, "</svg>\n");
}

void
ts_report_svg_bars(GString *h, const char *const *labels, const double *values, guint n)
{
  double max = 0;
  for (guint i = 0; i < n; i++)
    max = MAX(max, values[i]);
  const double lane = 22, label_w = 200, bar_w = 560;
  g_string_append_printf(h, "<svg class=\"bars\" viewBox=\"0 0 900 %.0f\" role=\"img\" aria-labelledby=\"bars-title\">"
                         "<title id=\"bars-title\">Step time by term</title>\n", MAX(n, 1) * lane + 4);
  for (guint i = 0; i < n; i++) {
    double w = max > 0 ? bar_w * values[i] / max : 0;
    g_autofree char *label = g_markup_escape_text(labels[i], -1);
    g_autofree char *v = ts_format_duration(values[i]);
    g_string_append_printf(h, "<text x=\"4\" y=\"%.1f\">%s</text><rect x=\"%.0f\" y=\"%.1f\" width=\"%.2f\" "
                           "height=\"%.0f\" fill=\"%s\"/><text x=\"%.2f\" y=\"%.1f\">%s</text>\n", i * lane + 16,
                           label, label_w, i * lane + 4, w, lane - 6, ts_report_palette[0], label_w + w + 6,
                           i * lane + 16, v);
  }
  g_string_append(h, "</svg>\n");
}

/* Copy `svg`, inserting `prefix` after every id="  url(#  href="#. */
void
ts_report_svg_inline(GString *h, const char *svg, gsize len, const char *prefix)
{
  static const char *const marks[] = {"id=\"", "url(#", "href=\"#"};
  const char *p = svg, *end = svg + len;
  const char *start = g_strstr_len(svg, (gssize) len, "<svg");
  if (start != NULL)
    p = start; /* drop <?xml ...?>: not allowed inside HTML */
  while (p < end) {
    const char *next = NULL;
    gsize mlen = 0;
    for (gsize m = 0; m < G_N_ELEMENTS(marks); m++) {
      const char *f = g_strstr_len(p, end - p, marks[m]);
      if (f != NULL && (next == NULL || f < next)) {
        next = f;
        mlen = strlen(marks[m]);
      }
    }
    if (next == NULL) {
      g_string_append_len(h, p, end - p);
      break;
    }
    g_string_append_len(h, p, next + mlen - p);
    g_string_append(h, prefix);
    p = next + mlen;
  }
}
