/* /quantiles/...: the one range every output gives (docs/outputs.md, "Quantiles"), recomputed by hand: the
 * model's error band as a log-normal factor on the training time, mixed over the failure draws. */
#include "output/report-html.h"
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "run/quantiles.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static TsRegistry *registry;

#define Z_90 1.2815515655446004 /* the standard normal's 90th percentile */
#define Z_75 0.6744897501960817

/* One draw: closed form fixed + modelled * exp(+-z90 sigma); P50 is the draw itself; cost in proportion. */
static void
test_one_draw(void)
{
  TsDraw d = {.time_s = 5000, .cost_usd = 100, .modelled_s = 4000};
  TsQuantiles q;
  ts_quantiles_combine(&d, 1, 0.12, &q);
  g_assert_true(q.known);
  double sigma = log(1.12) / Z_75;
  g_assert_cmpfloat_with_epsilon(q.sigma, sigma, 1e-15);
  double t10 = 1000 + 4000 * exp(-Z_90 * sigma), t90 = 1000 + 4000 * exp(Z_90 * sigma);
  g_assert_cmpfloat_with_epsilon(q.time_s[0], t10, 1e-9 * t10);
  g_assert_cmpfloat_with_epsilon(q.time_s[1], 5000, 1e-9);
  g_assert_cmpfloat_with_epsilon(q.time_s[2], t90, 1e-9 * t90);
  g_assert_cmpfloat_with_epsilon(q.cost_usd[0], 100 * t10 / 5000, 1e-9);
  g_assert_cmpfloat_with_epsilon(q.cost_usd[2], 100 * t90 / 5000, 1e-9);
  /* A band of 0 (no calibration.json): not known, and the draw alone. */
  ts_quantiles_combine(&d, 1, 0, &q);
  g_assert_false(q.known);
  g_assert_cmpfloat(q.time_s[0], ==, 5000);
  g_assert_cmpfloat(q.time_s[2], ==, 5000);
  /* Nothing trained: the band has nothing to widen. */
  TsDraw idle = {.time_s = 600, .cost_usd = 1, .modelled_s = 0};
  ts_quantiles_combine(&idle, 1, 0.12, &q);
  g_assert_cmpfloat(q.time_s[0], ==, 600);
  g_assert_cmpfloat(q.time_s[2], ==, 600);
}

/* Two draws, equally likely: at each quantile t, the mean of the draws' log-normal distribution functions is
 * the level (evaluated here with erfc, independently of the bisection); unknown costs stay unknown. */
static void
test_mixture(void)
{
  TsDraw d[2] = {{.time_s = 3600, .cost_usd = NAN, .modelled_s = 3000},
                 {.time_s = 7200, .cost_usd = 50, .modelled_s = 6000}};
  TsQuantiles q;
  ts_quantiles_combine(d, 2, 0.2, &q);
  g_assert_cmpuint(q.draws, ==, 2);
  double sigma = log(1.2) / Z_75;
  const double levels[] = {0.10, 0.50, 0.90};
  for (int k = 0; k < 3; k++) {
    double t = q.time_s[k], f = 0;
    for (int i = 0; i < 2; i++) {
      double fixed = d[i].time_s - d[i].modelled_s;
      f += t <= fixed ? 0 : 0.5 * erfc(-log((t - fixed) / d[i].modelled_s) / (sigma * sqrt(2)));
    }
    g_assert_cmpfloat_with_epsilon(f / 2, levels[k], 1e-9);
    g_assert_true(isnan(q.cost_usd[k]));
  }
  /* Between the draws: the median of two equally likely, equally spread draws lies between them. */
  g_assert_cmpfloat(q.time_s[1], >, 3600);
  g_assert_cmpfloat(q.time_s[1], <, 7200);
}

/* TPU v3's leave-one-out median |error| as tools/fit.py wrote it into plugins/calibration.json (rounded to 4
 * places there, as summary.json carries it). */
static double
tpu_v3_loo_median(void)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_file(parser, TS_SOURCE_DIR "/plugins/calibration.json", NULL));
  JsonArray *gens = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)), "generations");
  for (guint i = 0; i < json_array_get_length(gens); i++) {
    JsonObject *g = json_array_get_object_element(gens, i);
    if (g_strcmp0(json_object_get_string_member(g, "generation"), "TPU v3") == 0)
      return json_object_get_double_member(g, "loo_median_abs_error");
  }
  g_error("no TPU v3 in plugins/calibration.json");
  return 0;
}

/* A shipped scenario run with its summary.json: the text and its root object. */
typedef struct {
  TsRun *run;
  char *path; /* the run's info borrows it (ts_summary_print prints its name) */
  char *json;
  JsonParser *parser;
  JsonObject *o;
} Summary;

static Summary
summary_of(const char *scenario)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  Summary s = {0};
  s.path = g_build_filename(TS_SOURCE_DIR, "scenarios", scenario, NULL);
  opts.path = s.path;
  g_autoptr(GError) error = NULL;
  s.run = ts_scenario_run(registry, &opts, &error);
  g_assert_no_error(error);
  s.json = ts_summary_to_json(s.run);
  s.parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(s.parser, s.json, -1, NULL));
  s.o = json_node_get_object(json_parser_get_root(s.parser));
  return s;
}

static void
summary_clear(Summary *s)
{
  ts_run_free(s->run);
  g_free(s->path);
  g_free(s->json);
  g_object_unref(s->parser);
}

/* End to end on the shipped TPU v3 scenario: summary.json's quantiles follow from its own numbers (total time,
 * the train phases, cost, the band's median |error|) by the documented formula; P50 is the forecast itself. */
static void
test_summary_by_hand(void)
{
  Summary sum = summary_of("simclr-tpu-v3-128.lua");
  JsonObject *o = sum.o;
  double total = json_object_get_double_member(o, "total_time_s");
  double cost = json_object_get_double_member(json_object_get_object_member(o, "cost_usd"), "total");
  double train = 0;
  JsonArray *phases = json_object_get_array_member(o, "phases");
  for (guint i = 0; i < json_array_get_length(phases); i++) {
    JsonObject *p = json_array_get_object_element(phases, i);
    if (g_strcmp0(json_object_get_string_member(p, "kind"), "train") == 0)
      train += json_object_get_double_member(p, "end_s") - json_object_get_double_member(p, "start_s");
  }
  g_assert_cmpfloat(train, >, 0.5 * total); /* the download and provisioning are the rest */
  JsonObject *basis = json_object_get_object_member(o, "quantiles_basis");
  double band = json_object_get_double_member(basis, "band_median_abs_error");
  g_assert_cmpfloat(band, ==, tpu_v3_loo_median()); /* calibration.json: TPU v3's leave-one-out median */
  g_assert_cmpint(json_object_get_int_member(basis, "draws"), ==, 1);
  double sigma = log1p(band) / Z_75;
  JsonObject *q = json_object_get_object_member(o, "quantiles");
  const char *keys[] = {"p10", "p50", "p90"};
  const double z[] = {-Z_90, 0, Z_90};
  for (int k = 0; k < 3; k++) {
    JsonObject *p = json_object_get_object_member(q, keys[k]);
    double t = total - train + train * exp(z[k] * sigma);
    /* summary.json writes the times rounded to the millisecond */
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(p, "time_s"), t, 2e-3);
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(p, "cost_usd"), cost * t / total, 1e-6 * cost);
  }
  summary_clear(&sum);
}

/* A run that trains nothing (downloads only; inference on a calibrated V100) has no band to widen: the model's
 * band is measured on training.  Its range is its forecast, and the terminal, summary.json and report.html say
 * why -- not that the device has no band (the V100 has one) and not a band the range never used. */
static void
test_trains_nothing(void)
{
  const char *const scenarios[] = {"imagenet-download.lua", "inference-batch1.lua"};
  for (gsize i = 0; i < G_N_ELEMENTS(scenarios); i++) {
    Summary sum = summary_of(scenarios[i]);
    JsonObject *o = sum.o;
    JsonObject *basis = json_object_get_object_member(o, "quantiles_basis");
    g_assert_true(json_object_get_null_member(basis, "band_median_abs_error"));
    g_assert_true(json_object_get_null_member(basis, "sigma"));
    const char *why = "the model's error band is measured on training, and this run trains nothing";
    g_assert_nonnull(strstr(json_object_get_string_member(basis, "method"), why));
    /* The forecast is its own P10, P50 and P90 (docs/outputs.md, "Quantiles": no spread from the band). */
    double total = json_object_get_double_member(o, "total_time_s");
    JsonObject *q = json_object_get_object_member(o, "quantiles");
    g_assert_nonnull(q);
    const char *keys[] = {"p10", "p50", "p90"};
    for (int k = 0; k < 3; k++)
      g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(q, keys[k]), "time_s"), ==,
                        total);
    g_autofree char *buf = test_summary_text(sum.run);
    g_assert_nonnull(strstr(buf, why));
    g_assert_null(strstr(buf, "calibration.json"));
    g_autoptr(GError) error = NULL;
    g_autofree char *html = ts_report_html_run(sum.json, strlen(sum.json), NULL, 0, "summary.json", &error);
    g_assert_no_error(error);
    g_assert_nonnull(strstr(html, "The forecast alone (the model&apos;s error band is measured on training"));
    g_assert_null(strstr(html, "With the model's error band"));
    summary_clear(&sum);
  }
}

/* An inference run on a calibrated V100 names the band and the calibration as its training's: no validation case
 * is an inference run, so neither the terminal nor summary.json may print the training's ±N % as this forecast's. */
static void
test_inference_band_named(void)
{
  Summary sum = summary_of("inference-batch1.lua");
  const char *band = json_object_get_string_member(sum.o, "error_band");
  const char *cal = json_object_get_string_member(sum.o, "calibration");
  g_assert_true(g_str_has_prefix(band, "not measured for inference (no validation case is one); training: ±"));
  g_assert_nonnull(strstr(band, "Volta"));
  g_assert_true(g_str_has_prefix(cal, "calibrated on "));
  g_assert_true(g_str_has_suffix(cal, "(training runs; inference is not validated)"));
  g_autofree char *buf = test_summary_text(sum.run);
  g_assert_nonnull(strstr(buf, band));
  g_assert_nonnull(strstr(buf, cal));
  summary_clear(&sum);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/quantiles/one-draw", test_one_draw);
  g_test_add_func("/quantiles/mixture", test_mixture);
  g_test_add_func("/quantiles/summary-by-hand", test_summary_by_hand);
  g_test_add_func("/quantiles/trains-nothing", test_trains_nothing);
  g_test_add_func("/quantiles/inference-band-named", test_inference_band_named);
  int status = g_test_run();
  ts_registry_free(registry);
  return status;
}
