/* /report/...: the sweep's report.html from hand-made rows and the comparison's from hand-written compare.json
 * (sweep/sweep-report.c, output/report-compare.c, report-pareto.c), without a browser: what they refuse, that
 * script text is escaped, the chart's logarithmic axes and its binning, and the order of the comparison.  tests/test-report-browser.py
 * renders the real outputs in Chromium. */
#include "common/ts-error.h"
#include "output/report-html.h"
#include "output/report-svg.h"
#include "output/series.h"
#include "sweep/sweep.h"

#include <math.h>
#include <string.h>

/* Where `needle` first occurs in `h`, failing the test when it does not. */
static gsize
at(const char *h, const char *needle)
{
  const char *p = strstr(h, needle);
  if (p == NULL)
    g_error("%s not in the page", needle);
  return (gsize) (p - h);
}

static guint
count(const char *h, const char *needle)
{
  guint n = 0;
  for (const char *p = strstr(h, needle); p != NULL; p = strstr(p + 1, needle))
    n++;
  return n;
}

/* A row of a hand-made sweep: what is unknown stays NaN. */
static TsSweepRow
row(guint64 index, TsVariantStatus status, double time_s, double cost_usd, const char *error)
{
  TsSweepRow r = {index, index + 4, status, g_strdup(error), time_s, cost_usd, NAN, NAN, NAN, NAN,
                  NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, {NAN, NAN, NAN}, {NAN, NAN, NAN},
                  FALSE, FALSE, FALSE, FALSE, NAN};
  return r;
}

/* Four variants: two on the front (the slower one recommended under a 2000 s deadline), an infeasible one and
 * a failed one; a parameter value, the scenario's name and an error message carrying markup. */
static TsSweepResult *
four_variants(void)
{
  TsSweepSpec *spec = ts_sweep_spec_new("x.lua", 0);
  g_free(spec->scenario);
  spec->scenario = g_strdup("<i>x</i>.lua");
  g_assert_true(ts_sweep_spec_add_set(spec, "n=<b>,2,3,4", NULL));
  spec->deadline_s = 2000;
  TsSweepResult *res = ts_sweep_result_new(spec);
  res->complete = TRUE;
  TsSweepRow rows[] = {row(0, TS_VARIANT_OK, 100, 10, NULL), row(1, TS_VARIANT_OK, 1000, 1, NULL),
                       row(2, TS_VARIANT_INFEASIBLE, 10000, 100, "out of memory"),
                       row(3, TS_VARIANT_ERROR, NAN, NAN, "<script>alert(1)</script>")};
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
    rows[i].seed = ts_sweep_variant_seed(0, i);
  rows[1].peak_device = 1073741824;
  rows[1].device_capacity = 4294967296;
  g_array_append_vals(res->rows, rows, G_N_ELEMENTS(rows));
  ts_sweep_result_finish(res);
  return res;
}

/* `trainsim report DIR` reads sweep.json back as merge reads a shard: what that refuses, it refuses naming the
 * file. */
static void
test_sweep_refuses(void)
{
  static const char *const bad[] = {"[]", "{\"total_time_s\":1}", "{\"kind\":\"sweep\"}",
                                    "{\"kind\":\"sweep\",\"runs\":[1]}", ("{\"kind\":\"sweep\",\"runs\":[],"
                                    "\"parameters\":[\"n\"]}"), "{"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(TsSweepResult) res = ts_sweep_result_load_data(bad[i], strlen(bad[i]), "dir/sweep.json", &error);
    g_assert_null(res);
    g_assert_error(error, TS_ERROR, TS_ERROR_USAGE);
    g_assert_true(g_str_has_prefix(error->message, "dir/sweep.json"));
  }
}

static void
test_sweep_page(void)
{
  g_autoptr(TsSweepResult) res = four_variants();
  g_autofree char *h = ts_sweep_result_to_html(res);
  /* Script text escaped: no markup of its own reaches the page, which has no script and no i or b element. */
  g_assert_null(strstr(h, "<script"));
  g_assert_null(strstr(h, "<i>"));
  g_assert_null(strstr(h, "<b>"));
  at(h, "&lt;script&gt;alert(1)&lt;/script&gt;");
  at(h, "&lt;i&gt;x&lt;/i&gt;.lua");
  /* The recommendation with its exact time and cost, and why. */
  at(h, "id=\"recommended-time\" data-value=\"1000\">16 min 40 s<");
  at(h, "id=\"recommended-cost\" data-value=\"1\">1.00 USD<");
  at(h, "Why: it is the cheapest variant that finishes within 33 min 20 s. 2 of the 2 feasible variants meet");
  at(h, "It is on the Pareto front");
  at(h, "id=\"fastest-time\" data-value=\"100\"");
  at(h, "id=\"cheapest-cost\" data-value=\"1\"");
  /* The chart: the two feasible ones as dots, the infeasible one as a cross, the failed one not plotted; the
   * ring around the recommended one; the deadline.  Three options: none binned. */
  g_assert_cmpuint(count(h, "<circle "), ==, 3);
  g_assert_cmpuint(count(h, "r=\"10\" fill=\"none\""), ==, 1);
  g_assert_cmpuint(count(h, "stroke-width=\"2\"><title>"), ==, 1);
  g_assert_null(strstr(h, "Binned"));
  at(h, "Not plotted: 1 variant without a time or a price.");
  at(h, ">deadline 33 min 20 s</text>");
  /* Colour per option (three plotted): a legend entry each. */
  g_assert_cmpuint(count(h, "class=\"legend-item\""), ==, 3);
  /* Every variant in the table, cheapest first; the failed ones again with their messages. */
  g_assert_cmpuint(count(h, "<tr class=\"recommended\">"), ==, 1);
  g_assert_cmpuint(at(h, "id=\"time-1\""), <, at(h, "id=\"time-0\""));
  g_assert_cmpuint(at(h, "id=\"time-0\""), <, at(h, "id=\"time-2\""));
  g_assert_null(strstr(h, "id=\"time-3\"")); /* no time: a dash, no value */
  at(h, "1.0 GiB (25 %)");
  at(h, "<td>out of memory</td>");
  /* `trainsim report DIR` makes its page from sweep.json read back: the same page, byte for byte. */
  g_free(res->spec->scenario);
  res->spec->scenario = g_strdup("x.lua"); /* sweep.json's loader takes a file name only */
  res->spec->scenario_sha256 = g_strnfill(64, 'a');
  g_autofree char *page = ts_sweep_result_to_html(res);
  g_autofree char *json = ts_sweep_result_to_json(res);
  g_autoptr(GError) error = NULL;
  g_autoptr(TsSweepResult) back = ts_sweep_result_load_data(json, strlen(json), "sweep.json", &error);
  g_assert_no_error(error);
  g_autofree char *again = ts_sweep_result_to_html(back);
  g_assert_cmpstr(page, ==, again);
}

/* A sweep of n options on a grid of times and costs (a x b: time grows with a, cost with a and b), the cheapest
 * of each a on the front. */
static TsSweepResult *
grid_sweep(guint a, guint b)
{
  TsSweepSpec *spec = ts_sweep_spec_new("grid.lua", 1);
  g_autofree char *sa = g_strdup_printf("a=1..%u", a), *sb = g_strdup_printf("b=1..%u", b);
  g_assert_true(ts_sweep_spec_add_set(spec, sa, NULL));
  g_assert_true(ts_sweep_spec_add_set(spec, sb, NULL));
  spec->budget_usd = 1e9;
  TsSweepResult *res = ts_sweep_result_new(spec);
  res->complete = TRUE;
  for (guint i = 0; i < a; i++)
    for (guint k = 0; k < b; k++) {
      guint64 index = (guint64) i * b + k;
      TsSweepRow r = row(index, index % 7 == 3 ? TS_VARIANT_INFEASIBLE : TS_VARIANT_OK, 3600.0 * (a - i),
                         10.0 * (i + 1) * (1 + (double) k / b), NULL);
      g_array_append_val(res->rows, r);
    }
  ts_sweep_result_finish(res);
  return res;
}

/* The sum of data-count="N" over the page's binned markers. */
static guint
binned_count(const char *h, guint *markers)
{
  guint sum = 0;
  *markers = 0;
  for (const char *p = strstr(h, "data-count=\""); p != NULL; p = strstr(p + 1, "data-count=\"")) {
    sum += (guint) g_ascii_strtoull(p + strlen("data-count=\""), NULL, 10);
    ++*markers;
  }
  return sum;
}

/* Up to TS_REPORT_PARETO_EXACT options every one is its own marker, as before; beyond, those off the front are
 * binned, the front and the recommendation still drawn one by one, every option counted once, and the page's
 * chart stops growing with the options. */
static void
test_sweep_binned(void)
{
  g_autoptr(TsSweepResult) exact = grid_sweep(40, TS_REPORT_PARETO_EXACT / 40);
  g_autofree char *he = ts_sweep_result_to_html(exact);
  guint bins = 0;
  g_assert_cmpuint(binned_count(he, &bins), ==, 0);
  g_assert_cmpuint(bins, ==, 0);
  g_assert_null(strstr(he, "Binned"));
  guint dots = count(he, "<circle cx=") - count(he, "r=\"10\" fill=\"none\""), crosses = count(he, "<path d=\"M");
  g_assert_cmpuint(dots + crosses, ==, TS_REPORT_PARETO_EXACT);

  guint sizes[2] = {0, 0};
  for (guint t = 0; t < 2; t++) {
    guint a = 40, b = t == 0 ? 100 : 1000; /* 4,000 and 40,000 options */
    g_autoptr(TsSweepResult) res = grid_sweep(a, b);
    g_autofree char *h = ts_sweep_result_to_html(res);
    guint front = 0;
    for (guint i = 0; i < res->rows->len; i++)
      front += g_array_index(res->rows, TsSweepRow, i).pareto || g_array_index(res->rows, TsSweepRow, i).recommended;
    g_assert_cmpuint(front, >, 0);
    /* Every option counted once: in a bin or as its own marker (r="5.5": the front's dots, which are feasible). */
    g_assert_cmpuint(binned_count(h, &bins) + count(h, "r=\"5.5\""), ==, a * b);
    g_assert_cmpuint(count(h, "r=\"5.5\""), ==, front);
    g_assert_cmpuint(bins, <, a * b / 4);
    g_autofree char *caption = g_strdup_printf("Binned: the %u options are drawn as %u markers", a * b, bins + front);
    at(h, caption);
    sizes[t] = (guint) (strstr(h, "</svg>") - strstr(h, "<svg class=\"pareto\""));
  }
  /* Ten times the options, the same grid of cells: the chart grows by far less than the options. */
  g_assert_cmpuint(sizes[1], <, 2 * sizes[0]);
}
/* Dots at 10, 100 and 1000 s costing 1, 10 and 100 USD: equally spaced on logarithmic axes, the dearer higher. */
static void
test_pareto_log_axes(void)
{
  TsReportPoint pts[3];
  for (int i = 0; i < 3; i++)
    pts[i] = (TsReportPoint){pow(10, i + 1), pow(10, i), "p", i, TRUE, FALSE, FALSE, FALSE};
  g_autoptr(GString) h = g_string_new(NULL);
  guint markers = 0;
  g_assert_cmpuint(ts_report_svg_pareto(h, pts, 3, NAN, NAN, &markers), ==, 0);
  g_assert_cmpuint(markers, ==, 3);
  double cx[3], cy[3];
  const char *p = h->str;
  for (int i = 0; i < 3; i++) {
    p = strstr(p, "<circle cx=\"");
    g_assert_nonnull(p);
    p += strlen("<circle cx=\"");
    cx[i] = g_ascii_strtod(p, NULL);
    cy[i] = g_ascii_strtod(strstr(p, "cy=\"") + 4, NULL);
  }
  g_assert_cmpfloat(cx[1] - cx[0], >, 100);
  g_assert_cmpfloat(fabs((cx[2] - cx[1]) - (cx[1] - cx[0])), <, 0.15);
  g_assert_cmpfloat(cy[0] - cy[1], >, 100);
  g_assert_cmpfloat(fabs((cy[1] - cy[2]) - (cy[0] - cy[1])), <, 0.15);
  /* Round ticks: "10 s", "1 min" on time; "10 USD" on cost. */
  g_assert_nonnull(strstr(h->str, ">10 s</text>"));
  g_assert_nonnull(strstr(h->str, ">1 min</text>"));
  g_assert_nonnull(strstr(h->str, ">10 USD</text>"));
}

/* The baseline and one alternative that is slower, cheaper and uses less memory; compare.json lists the memory
 * difference first (the largest ratio). */
static const char compare_json[] =
  "{\"schema_version\":1,\"trainsim_version\":\"0.1.0\",\"kind\":\"compare\",\"baseline\":\"a.lua\",\"seed\":0,"
  "\"sets\":[],\"deadline_s\":null,\"budget_usd\":null,\"recommendation\":null,\"alternatives\":["
  "{\"scenario\":\"a.lua\",\"meets_deadline\":null,\"meets_budget\":null,\"recommended\":null,\"sets\":[],"
  "\"parameters\":{},\"status\":\"ok\",\"error\":null,\"feasible\":true,\"total_time_s\":3600,"
  "\"cost_usd\":{\"total\":100,\"compute\":90,\"host\":10,\"storage\":null,\"network\":null},"
  "\"peak_memory_bytes\":{\"device\":8589934592},\"training\":{\"steps\":100,\"step_time_s\":1,\"mfu\":0.5}},"
  "{\"scenario\":\"b.lua\",\"meets_deadline\":null,\"meets_budget\":null,\"recommended\":null,\"sets\":[],"
  "\"parameters\":{},\"status\":\"ok\",\"error\":null,\"feasible\":true,\"total_time_s\":7200,"
  "\"cost_usd\":{\"total\":50,\"compute\":45,\"host\":5,\"storage\":null,\"network\":null},"
  "\"peak_memory_bytes\":{\"device\":1073741824},\"training\":{\"steps\":100,\"step_time_s\":2,\"mfu\":0.25}}],"
  "\"differences\":[{\"scenario\":\"b.lua\",\"metric\":\"peak_memory_bytes.device\",\"text\":\"MEMORY\"},"
  "{\"scenario\":\"b.lua\",\"metric\":\"cost_usd.total\",\"text\":\"COST\"},"
  "{\"scenario\":\"b.lua\",\"metric\":\"total_time_s\",\"text\":\"TIME\"}],"
  "\"break_even\":[{\"owned\":\"a.lua\",\"against\":\"b.lua\",\"runs_per_year\":12.34,\"hours_per_year\":500}]}";

static void
test_compare_page(void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *h = ts_report_html_compare(compare_json, strlen(compare_json), NULL, 0, "compare.json", &error);
  g_assert_no_error(error);
  at(h, "<title>trainsim: a.lua vs b.lua</title>");
  /* What decides first: fits, time, cost; then the rest. */
  g_assert_cmpuint(at(h, "fits (feasible)"), <, at(h, ">wall time<"));
  g_assert_cmpuint(at(h, ">wall time<"), <, at(h, ">cost<"));
  g_assert_cmpuint(at(h, ">cost<"), <, at(h, "The rest"));
  g_assert_cmpuint(at(h, "The rest"), <, at(h, ">compute cost<"));
  /* The differences: time and cost before memory, whatever compare.json's order. */
  g_assert_cmpuint(at(h, "TIME"), <, at(h, "COST"));
  g_assert_cmpuint(at(h, "COST"), <, at(h, "MEMORY"));
  /* Values with their ratio to the baseline's; rows no alternative models left out. */
  at(h, "id=\"time-1\" data-value=\"7200\">2 h 0 min (2.00x)<");
  at(h, "id=\"cost-1\" data-value=\"50\">50.00 USD (0.50x)<");
  at(h, "id=\"headline-time-0\" data-value=\"3600\">1 h 0 min<");
  g_assert_null(strstr(h, "network cost"));
  at(h, "25.0 % (0.50x)");
  g_assert_null(strstr(h, "id=\"charts\"")); /* no compare.svg: no chart section */
  /* Owning or renting: compare.json's break-even, as the terminal words it. */
  at(h, "Owning a.lua is cheaper than renting b.lua from <strong id=\"break-even-runs-0\" data-value=\"12.34\">12.3 "
        "runs a year</strong> (<strong id=\"break-even-hours-0\" data-value=\"500\">500 hours of use</strong>)");

  static const char *const bad[] = {"{\"kind\":\"compare\",\"alternatives\":[]}", "{\"kind\":\"sweep\"}",
                                    "{\"kind\":\"compare\",\"alternatives\":[null]}"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    g_autofree char *x = ts_report_html_compare(bad[i], strlen(bad[i]), NULL, 0, "c.json", &e);
    g_assert_null(x);
    g_assert_error(e, TS_ERROR, TS_ERROR_IO);
  }
}

/* The charts mark where each restart and each checkpoint begins: a phase's first sample, not every sample of it,
 * a phase that comes back after another counts again, and two checkpoints back to back are two. */
static void
test_phase_starts(void)
{
  static const char *const phases[] = {"train", "restart", "restart", "train", "checkpoint 1", "checkpoint 2",
                                       "train", "restart", "release"};
  g_autoptr(TsSeries) s = ts_series_new();
  for (gsize i = 0; i < G_N_ELEMENTS(phases); i++) {
    TsSample sample = {0};
    sample.time = ts_time_from_seconds(10.0 * (double) i);
    sample.phase = phases[i];
    ts_series_append(s, &sample);
  }
  guint at[G_N_ELEMENTS(phases)];
  g_assert_cmpuint(ts_series_phase_starts(s, "restart", at), ==, 2);
  g_assert_cmpuint(at[0], ==, 1);
  g_assert_cmpuint(at[1], ==, 7);
  g_assert_cmpuint(ts_series_phase_starts(s, "checkpoint", at), ==, 2); /* back to back, each its own */
  g_assert_cmpuint(at[0], ==, 4);
  g_assert_cmpuint(at[1], ==, 5);
  g_assert_cmpuint(ts_series_phase_starts(s, "eval", at), ==, 0);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/report/sweep/refuses", test_sweep_refuses);
  g_test_add_func("/report/sweep/page", test_sweep_page);
  g_test_add_func("/report/sweep/binned", test_sweep_binned);
  g_test_add_func("/report/sweep/log-axes", test_pareto_log_axes);
  g_test_add_func("/report/compare/page", test_compare_page);
  g_test_add_func("/report/charts/phase-starts", test_phase_starts);
  return g_test_run();
}
