/* The sweep report's chart: wall time against cost on logarithmic axes (a sweep's options span decades of
 * both; linear axes squash the cheap and fast corner where the decision is), as inline SVG with real text. */
#include "output/report-svg.h"

#include "output/chart.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

/* Geometry, in SVG user units (the drawing scales to the page width). */
#define PW 900.0
#define PH 540.0
#define LEFT 92.0
#define RIGHT 24.0
#define TOP 18.0
#define BOTTOM 52.0
#define CHAR_W 6.6 /* an average glyph of the 12 px text, for keeping labels apart */
#define LABEL_H 14.0

typedef struct {
  double lo, hi; /* log10 of the axis' ends */
  double x0, x1; /* where they are drawn */
} Axis;

static double
place(const Axis *a, double v)
{
  return a->x0 + (a->x1 - a->x0) * (log10(v) - a->lo) / (a->hi - a->lo);
}

/* The axis' span: the values' range widened by a fifth of a decade each side (a lone value: half a decade). */
static void
axis_fit(Axis *a, double min, double max)
{
  double lo = log10(min), hi = log10(max);
  double pad = hi - lo < 1e-9 ? 0.5 : MAX(0.2, 0.08 * (hi - lo));
  a->lo = lo - pad;
  a->hi = hi + pad;
}

/* Round values to tick at: the coarsest ladder that gives at least three ticks within the axis, at most nine. */
static GArray *
axis_ticks(const Axis *a, gboolean duration)
{
  static const double usd[][10] = {{1}, {1, 3}, {1, 2, 5}, {1, 1.5, 2, 3, 5, 7}, {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8}};
  static const double secs[] = {1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 10800, 21600,
                                43200, 86400, 172800, 345600, 604800, 1209600, 2592000, 7776000, 31536000,
                                63072000, 157680000, 315360000};
  GArray *out = g_array_new(FALSE, FALSE, sizeof(double));
  if (duration) {
    /* Every round duration in range, thinned to at most nine by taking every k-th. */
    g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(double));
    for (gsize i = 0; i < G_N_ELEMENTS(secs); i++)
      if (log10(secs[i]) >= a->lo && log10(secs[i]) <= a->hi)
        g_array_append_val(all, secs[i]);
    for (double v = 1; v > pow(10, a->lo); v /= 10) /* under a second: 0.5 s, 0.1 s, ... */
      for (int k = 0; k < 2; k++) {
        double t = v * (k == 0 ? 0.5 : 0.1);
        if (log10(t) >= a->lo && log10(t) <= a->hi)
          g_array_prepend_val(all, t);
      }
    guint every = all->len / 9 + 1;
    for (guint i = 0; i < all->len; i += every)
      g_array_append_val(out, g_array_index(all, double, i));
    return out;
  }
  for (gsize l = 0; l < G_N_ELEMENTS(usd); l++) {
    g_array_set_size(out, 0);
    for (int e = (int) floor(a->lo) - 1; e <= (int) ceil(a->hi); e++)
      for (int k = 0; k < 10 && usd[l][k] > 0; k++) {
        double v = usd[l][k] * pow(10, e);
        if (log10(v) >= a->lo && log10(v) <= a->hi)
          g_array_append_val(out, v);
      }
    if (out->len >= 3)
      break;
  }
  if (out->len > 9) { /* many decades: powers of ten only, thinned */
    g_autoptr(GArray) keep = g_array_new(FALSE, FALSE, sizeof(double));
    for (guint i = 0; i < out->len; i++) {
      double v = g_array_index(out, double, i), m = log10(v);
      if (fabs(m - round(m)) < 1e-9)
        g_array_append_val(keep, v);
    }
    guint every = keep->len / 9 + 1;
    g_array_set_size(out, 0);
    for (guint i = 0; i < keep->len; i += every)
      g_array_append_val(out, g_array_index(keep, double, i));
  }
  return out;
}

static void
draw_axes(GString *h, const Axis *ax, const Axis *ay)
{
  g_autoptr(GArray) xt = axis_ticks(ax, TRUE);
  g_autoptr(GArray) yt = axis_ticks(ay, FALSE);
  g_string_append_printf(h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                         "stroke=\"#888\"/>\n", LEFT, TOP, PW - LEFT - RIGHT, PH - TOP - BOTTOM);
  for (guint i = 0; i < xt->len; i++) {
    double v = g_array_index(xt, double, i), x = place(ax, v);
    g_autofree char *label = ts_chart_format_tick(TS_AXIS_DURATION, v, v);
    g_string_append_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, TOP, x, PH - BOTTOM, x,
                           PH - BOTTOM + 16);
    g_autofree char *esc = g_markup_escape_text(label, -1);
    g_string_append_printf(h, "%s</text>\n", esc);
  }
  for (guint i = 0; i < yt->len; i++) {
    double v = g_array_index(yt, double, i), y = place(ay, v);
    g_autofree char *label = ts_chart_format_tick(TS_AXIS_USD, v, v);
    g_autofree char *esc = g_markup_escape_text(label, -1);
    g_string_append_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT, y, PW - RIGHT, y,
                           LEFT - 6, y + 4, esc);
  }
  g_string_append_printf(h, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">wall time (log scale)</text>\n"
                         "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\">cost "
                         "(log scale)</text>\n", (LEFT + PW - RIGHT) / 2, PH - 10, (TOP + PH - BOTTOM) / 2);
}

/* A limit (deadline: vertical; budget: horizontal), dashed and labelled, when it falls on the chart. */
static void
draw_limit(GString *h, const Axis *a, double v, gboolean vertical, const char *label)
{
  if (!(v > 0) || log10(v) < a->lo || log10(v) > a->hi)
    return;
  double p = place(a, v);
  g_autofree char *esc = g_markup_escape_text(label, -1);
  if (vertical)
    g_string_append_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#009E73\" "
                           "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\" "
                           "fill=\"#006B4F\">%s</text>\n", p, TOP, p, PH - BOTTOM, p + 4, TOP + 12, esc);
  else
    g_string_append_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#009E73\" "
                           "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"%.1f\" "
                           "text-anchor=\"end\" fill=\"#006B4F\">%s</text>\n", LEFT, p, PW - RIGHT, p, PW - RIGHT - 4,
                           p - 4, esc);
}

/* The front as a staircase through its points in order of time (each step: slower and cheaper). */
static void
draw_front(GString *h, const TsReportPoint *pts, guint n, const Axis *ax, const Axis *ay)
{
  g_autoptr(GArray) idx = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < n; i++)
    if (pts[i].pareto)
      g_array_append_val(idx, i);
  /* Insertion sort by time: the front is short. */
  for (guint i = 1; i < idx->len; i++)
    for (guint k = i; k > 0 && pts[g_array_index(idx, guint, k)].time_s < pts[g_array_index(idx, guint, k - 1)].time_s;
         k--) {
      guint t = g_array_index(idx, guint, k);
      g_array_index(idx, guint, k) = g_array_index(idx, guint, k - 1);
      g_array_index(idx, guint, k - 1) = t;
    }
  if (idx->len < 2)
    return;
  g_string_append(h, "<path fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" stroke-dasharray=\"3 3\" d=\"");
  for (guint i = 0; i < idx->len; i++) {
    const TsReportPoint *p = &pts[g_array_index(idx, guint, i)];
    double x = place(ax, p->time_s), y = place(ay, p->cost_usd);
    if (i == 0)
      g_string_append_printf(h, "M%.1f %.1f", x, y);
    else
      g_string_append_printf(h, "H%.1f V%.1f", x, y);
  }
  g_string_append(h, "\"/>\n");
}

typedef struct {
  double x0, y0, x1, y1;
} Box;

static gboolean
overlaps(const GArray *boxes, const Box *b)
{
  for (guint i = 0; i < boxes->len; i++) {
    const Box *o = &g_array_index(boxes, Box, i);
    if (b->x0 < o->x1 && o->x0 < b->x1 && b->y0 < o->y1 && o->y0 < b->y1)
      return TRUE;
  }
  return FALSE;
}

/* A point's label beside it: right, left, above or below, the first place that overlaps no label, point or
 * edge; none fits: left out (the table lists every option).  Returns whether it was drawn. */
static gboolean
draw_label(GString *h, GArray *boxes, double x, double y, const char *label, gboolean bold)
{
  double w = CHAR_W * g_utf8_strlen(label, -1) + 2;
  const struct {
    double dx, dy;
    const char *anchor;
  } tries[] = {{9, 4, "start"}, {-9, 4, "end"}, {0, -10, "middle"}, {0, 18, "middle"}, {9, -8, "start"},
               {9, 16, "start"}, {-9, -8, "end"}, {-9, 16, "end"}};
  for (gsize t = 0; t < G_N_ELEMENTS(tries); t++) {
    double bx = x + tries[t].dx, by = y + tries[t].dy;
    Box b = {bx, by - LABEL_H + 3, bx + w, by + 3};
    if (strcmp(tries[t].anchor, "end") == 0)
      b.x0 = bx - w, b.x1 = bx;
    else if (strcmp(tries[t].anchor, "middle") == 0)
      b.x0 = bx - w / 2, b.x1 = bx + w / 2;
    if (b.x0 < LEFT + 2 || b.x1 > PW - RIGHT - 2 || b.y0 < TOP + 2 || b.y1 > PH - BOTTOM - 2 || overlaps(boxes, &b))
      continue;
    g_array_append_val(boxes, b);
    g_autofree char *esc = g_markup_escape_text(label, -1);
    g_string_append_printf(h, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n", bx, by,
                           tries[t].anchor, bold ? " font-weight=\"bold\"" : "", esc);
    return TRUE;
  }
  return FALSE;
}

static void
draw_point(GString *h, const TsReportPoint *p, double x, double y)
{
  const char *colour = p->colour >= 0 ? ts_report_palette[p->colour % 8] : "#777";
  g_autofree char *t = ts_format_duration(p->time_s);
  g_autofree char *c = ts_format_usd(p->cost_usd);
  g_autofree char *name = g_markup_escape_text(p->label ? p->label : "", -1);
  g_autofree char *tip = g_strdup_printf("<title>%s: %s, %s%s%s</title>", name, t, c,
                                         p->feasible ? "" : " (infeasible)", p->pareto ? " (Pareto front)" : "");
  if (p->feasible)
    g_string_append_printf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#fff\" "
                           "stroke-width=\"1\">%s</circle>\n", x, y, p->pareto ? 5.5 : 4.0, colour, tip);
  else /* a cross: infeasible, told apart by shape as well as colour */
    g_string_append_printf(h, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" stroke-width=\"2\">%s</path>\n",
                           x - 4, y - 4, colour, tip);
  if (p->recommended)
    g_string_append_printf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"10\" fill=\"none\" stroke=\"#009E73\" "
                           "stroke-width=\"2.5\"/>\n", x, y);
}

/* The options off the front that share a cell of the chart (and a colour and a kind): one marker, at their mean
 * position, that says how many it stands for and their range. */
typedef struct {
  guint count;
  double x, y; /* sums of the chart positions, then their mean */
  double tmin, tmax, cmin, cmax;
  int colour;
  gboolean feasible;
} Bin;

static void
draw_bin(GString *h, const Bin *b)
{
  const char *colour = b->colour >= 0 ? ts_report_palette[b->colour % 8] : "#777";
  g_autofree char *t0 = ts_format_duration(b->tmin), *t1 = ts_format_duration(b->tmax);
  g_autofree char *c0 = ts_format_usd(b->cmin), *c1 = ts_format_usd(b->cmax);
  g_autofree char *tip = g_strdup_printf("<title>%u options: %s \xe2\x80\x93 %s, %s \xe2\x80\x93 %s%s</title>", b->count,
                                         t0, t1, c0, c1, b->feasible ? "" : " (infeasible)");
  if (b->feasible)
    g_string_append_printf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.0\" fill=\"%s\" stroke=\"#fff\" "
                           "stroke-width=\"1\" data-count=\"%u\">%s</circle>\n", b->x, b->y, colour, b->count, tip);
  else
    g_string_append_printf(h, "<path d=\"M%.1f %.1fl8 8m0 -8l-8 8\" stroke=\"%s\" stroke-width=\"2\" "
                           "data-count=\"%u\">%s</path>\n", b->x - 4, b->y - 4, colour, b->count, tip);
}

/* The binned options, in the order their cells were first met (so the page is the same on every run). */
static GArray *
bin_points(const TsReportPoint *pts, guint n, const Axis *ax, const Axis *ay)
{
  GArray *bins = g_array_new(FALSE, TRUE, sizeof(Bin));
  g_autoptr(GHashTable) where = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < n; i++) {
    const TsReportPoint *p = &pts[i];
    if (p->pareto || p->recommended)
      continue;
    double x = place(ax, p->time_s), y = place(ay, p->cost_usd);
    gint64 cx = (gint64) floor(x / TS_REPORT_PARETO_CELL), cy = (gint64) floor(y / TS_REPORT_PARETO_CELL);
    gint64 key = ((cx & 0xffff) << 24) | ((cy & 0xffff) << 8) | ((p->colour + 1) & 0x7f) << 1 | (p->feasible != 0);
    gpointer at = NULL;
    Bin *b;
    if (g_hash_table_lookup_extended(where, &key, NULL, &at)) {
      b = &g_array_index(bins, Bin, GPOINTER_TO_UINT(at));
    } else {
      g_hash_table_insert(where, g_memdup2(&key, sizeof key), GUINT_TO_POINTER(bins->len));
      g_array_set_size(bins, bins->len + 1);
      b = &g_array_index(bins, Bin, bins->len - 1);
      *b = (Bin){0, 0, 0, INFINITY, -INFINITY, INFINITY, -INFINITY, p->colour, p->feasible};
    }
    b->count++;
    b->x += x;
    b->y += y;
    b->tmin = MIN(b->tmin, p->time_s);
    b->tmax = MAX(b->tmax, p->time_s);
    b->cmin = MIN(b->cmin, p->cost_usd);
    b->cmax = MAX(b->cmax, p->cost_usd);
  }
  for (guint i = 0; i < bins->len; i++) {
    Bin *b = &g_array_index(bins, Bin, i);
    b->x /= b->count;
    b->y /= b->count;
  }
  return bins;
}

guint
ts_report_svg_pareto(GString *h, const TsReportPoint *pts, guint n, double deadline_s, double budget_usd,
                     guint *markers)
{
  double tmin = INFINITY, tmax = 0, cmin = INFINITY, cmax = 0;
  for (guint i = 0; i < n; i++) {
    tmin = MIN(tmin, pts[i].time_s);
    tmax = MAX(tmax, pts[i].time_s);
    cmin = MIN(cmin, pts[i].cost_usd);
    cmax = MAX(cmax, pts[i].cost_usd);
  }
  if (isfinite(deadline_s) && deadline_s > 0) /* a limit near the points is part of the picture */
    tmin = MIN(tmin, deadline_s), tmax = MAX(tmax, deadline_s);
  if (isfinite(budget_usd) && budget_usd > 0)
    cmin = MIN(cmin, budget_usd), cmax = MAX(cmax, budget_usd);
  Axis ax = {0, 0, LEFT, PW - RIGHT}, ay = {0, 0, PH - BOTTOM, TOP};
  axis_fit(&ax, tmin, tmax);
  axis_fit(&ay, cmin, cmax);
  g_string_append_printf(h, "<svg class=\"pareto\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"pareto-"
                         "title\"><title id=\"pareto-title\">Wall time against cost of every option, both on "
                         "logarithmic scales</title>\n", PW, PH);
  draw_axes(h, &ax, &ay);
  if (isfinite(deadline_s)) {
    g_autofree char *d = ts_format_duration(deadline_s);
    g_autofree char *l = g_strdup_printf("deadline %s", d);
    draw_limit(h, &ax, deadline_s, TRUE, l);
  }
  if (isfinite(budget_usd)) {
    g_autofree char *b = ts_format_usd(budget_usd);
    g_autofree char *l = g_strdup_printf("budget %s", b);
    draw_limit(h, &ay, budget_usd, FALSE, l);
  }
  draw_front(h, pts, n, &ax, &ay);
  g_autoptr(GArray) boxes = g_array_new(FALSE, FALSE, sizeof(Box));
  gboolean binned = n > TS_REPORT_PARETO_EXACT;
  *markers = 0;
  if (binned) { /* beyond what a reader can tell apart: the options off the front binned per cell */
    g_autoptr(GArray) bins = bin_points(pts, n, &ax, &ay);
    for (guint i = 0; i < bins->len; i++) {
      const Bin *bin = &g_array_index(bins, Bin, i);
      Box b = {bin->x - 6, bin->y - 6, bin->x + 6, bin->y + 6};
      g_array_append_val(boxes, b);
      draw_bin(h, bin);
    }
    *markers = bins->len;
  }
  for (guint i = 0; i < n; i++) { /* the points themselves are obstacles for the labels */
    if (binned && !pts[i].pareto && !pts[i].recommended)
      continue;
    double x = place(&ax, pts[i].time_s), y = place(&ay, pts[i].cost_usd);
    Box b = {x - 6, y - 6, x + 6, y + 6};
    g_array_append_val(boxes, b);
    draw_point(h, &pts[i], x, y);
    ++*markers;
  }
  /* Labels: the recommended option first, then the front, then the rest, so that the ones that matter get
   * their places. */
  guint drawn = 0;
  for (int pass = 0; pass < 3; pass++)
    for (guint i = 0; i < n; i++) {
      const TsReportPoint *p = &pts[i];
      int rank = p->recommended ? 0 : p->pareto ? 1 : 2;
      if (rank != pass || !p->labelled || p->label == NULL)
        continue;
      g_autofree char *label = p->recommended ? g_strdup_printf("%s (recommended)", p->label) : g_strdup(p->label);
      drawn += draw_label(h, boxes, place(&ax, p->time_s), place(&ay, p->cost_usd), label, p->recommended);
    }
  g_string_append(h, "</svg>\n");
  return drawn;
}
