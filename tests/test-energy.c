/* /energy/...: the energy a run's machines draw and what it emits (docs/model.md, "Energy and carbon"): one case by
 * hand from the catalog's power figures, the PUE and the grid intensity; an unknown power is null with a
 * diagnostic, never a default; the scenario's own PUE and intensity; the same run twice gives the same figures. */
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "run/run.h"
#include "test-scenario.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static TsRegistry *registry;

static TsRun *
run_text(const char *text, char **path)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, &opts, path, &error);
  g_assert_no_error(error);
  g_assert_nonnull(run);
  return run;
}

/* summary.json's energy object (the caller unrefs the parser it lives in). */
static JsonObject *
energy_json(TsRun *run, JsonParser **parser)
{
  g_autofree char *json = ts_summary_to_json(run);
  *parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(*parser, json, -1, NULL));
  JsonObject *o = json_node_get_object(json_parser_get_root(*parser));
  g_assert_true(json_object_has_member(o, "energy"));
  return json_object_get_object_member(o, "energy");
}

/* A v3-8 (4 chips) held from 0 to the end: provisioned for 10 min, idle 30 min, then trained with a synchronous
 * checkpoint each epoch.  The TPU v3 documentation measures a chip at 123 W minimum and 262 W maximum: every
 * chip draws 123 W whenever held and 262 - 123 W more while it computes (the steps' device time, which goodput
 * counts as productive); x Google's 2024 fleet PUE 1.09 -> kWh; x us-central1's 412.72 gCO2e/kWh -> kg. */
static void
test_by_hand(void)
{
  const char *text =
    "local box = cluster { accelerator = tpu { slice = 'v3-8' } }\n"
    "local d = dataset { samples = 1281167, bytes = '148 GB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator, { startup = '10 min' })\n"
    "  r:wait('30 min')\n"
    "  r:train { model = models.resnet50, data = d, batch = 1024, epochs = 2, precision = 'bf16',\n"
    "            checkpoint = { every = '1 epochs' } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  g_autofree char *path = NULL;
  TsRun *run = run_text(text, &path);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(r->devices, ==, 4);
  g_assert_cmpuint(r->checkpoints, ==, 2);
  double held = r->total_time_s; /* provisioned at 0, released at the end */
  double busy = (double) r->steps * MIN(r->device_step_s, r->step_time_s);
  g_assert_cmpfloat_with_epsilon(busy, r->goodput.seconds[TS_GOODPUT_PRODUCTIVE], 1e-6);
  g_assert_cmpfloat(busy, <, held - 2400); /* the idle 40 min and the checkpoint writes draw idle power */
  double joules = 4 * (123.0 * held + (262.0 - 123.0) * busy);
  double it_kwh = joules / 3.6e6;
  assert_rel(r->energy.it_kwh, it_kwh, 1e-9);
  assert_rel(r->energy.pue, 1.09, 0);
  assert_rel(r->energy.kwh, it_kwh * 1.09, 1e-9);
  assert_rel(r->energy.grid_g_per_kwh, 412.72, 0);
  assert_rel(r->energy.co2_kg, it_kwh * 1.09 * 412.72 / 1000, 1e-9);
  /* summary.json says the same, with a source for each figure. */
  JsonParser *parser = NULL;
  JsonObject *e = energy_json(run, &parser);
  assert_rel(json_object_get_double_member(e, "kwh"), it_kwh * 1.09, 1e-12);
  assert_rel(json_object_get_double_member(e, "co2_kg"), it_kwh * 1.09 * 0.41272, 1e-12);
  JsonArray *sources = json_object_get_array_member(e, "sources");
  g_assert_cmpuint(json_array_get_length(sources), ==, 4); /* maximum, idle, PUE, grid */
  for (guint i = 0; i < json_array_get_length(sources); i++) {
    JsonObject *s = json_array_get_object_element(sources, i);
    g_assert_nonnull(json_object_get_string_member(s, "url"));
    g_assert_nonnull(json_object_get_string_member(s, "date"));
  }
  g_object_unref(parser);
  ts_run_free(run);
}

/* TPU v5e: no source gives its power, so energy and carbon are null, with a diagnostic that says why. */
static void
test_unknown_power(void)
{
  const char *text =
    "local box = cluster { accelerator = tpu { slice = 'v5e-8' } }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:wait('1 h')\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  g_autofree char *path = NULL;
  TsRun *run = run_text(text, &path);
  const TsResults *r = ts_run_get_results(run);
  g_assert_true(isnan(r->energy.it_kwh));
  g_assert_true(isnan(r->energy.kwh));
  g_assert_true(isnan(r->energy.co2_kg));
  g_assert_true(test_run_has_diagnostic(run, "energy-unknown", NULL));
  JsonParser *parser = NULL;
  JsonObject *e = energy_json(run, &parser);
  g_assert_true(json_object_get_null_member(e, "kwh"));
  g_assert_true(json_object_get_null_member(e, "co2_kg"));
  g_object_unref(parser);
  g_autofree char *row = ts_summary_format_energy(r);
  g_assert_nonnull(strstr(row, "unknown"));
  ts_run_free(run);
}

/* Owned hardware: the DGX Station's stated 1,500 W whenever held; the scenario's PUE and intensity replace the
 * (absent) provider's, and the electricity billed is the same kWh at the price; without them the PUE is 1 (the
 * plug) and the carbon unknown, with a diagnostic. */
static void
test_scenario_site(void)
{
  const char *with =
    "local box = cluster { accelerator = gpu { instance = 'DGX Station', pricing = 'owned' },\n"
    "                      electricity = '0.15 USD/kWh', pue = 1.5, carbon = '0.3 kg/kWh' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:wait('2 h')\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  g_autofree char *p1 = NULL;
  TsRun *run = run_text(with, &p1);
  const TsResults *r = ts_run_get_results(run);
  assert_rel(r->energy.it_kwh, 1.5 * 2, 1e-12);
  assert_rel(r->energy.kwh, 1.5 * 2 * 1.5, 1e-12);
  assert_rel(r->energy.co2_kg, 4.5 * 0.3, 1e-12);
  g_assert_false(test_run_has_diagnostic(run, "carbon-unknown", NULL));
  /* One number: the electricity the owned machine is billed is energy.kwh at the price. */
  g_assert_true(r->ownership.owned);
  assert_rel(r->ownership.held_s, 7200, 1e-12);
  assert_rel(r->ownership.power_usd_per_hour * r->ownership.held_s / 3600.0, r->energy.kwh * 0.15, 1e-12);
  ts_run_free(run);

  const char *without =
    "local box = cluster { accelerator = gpu { instance = 'DGX Station', pricing = 'owned' },\n"
    "                      electricity = '0.15 USD/kWh' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:wait('2 h')\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  g_autofree char *p2 = NULL;
  run = run_text(without, &p2);
  r = ts_run_get_results(run);
  assert_rel(r->energy.kwh, 3.0, 1e-12);
  g_assert_true(isnan(r->energy.co2_kg));
  g_assert_true(test_run_has_diagnostic(run, "carbon-unknown", NULL));
  ts_run_free(run);
}

/* The same scenario twice: byte-identical energy objects. */
static void
test_deterministic(void)
{
  const char *text =
    "local box = cluster { accelerator = tpu { slice = 'v3-32' } }\n"
    "local d = dataset { samples = 1281167, bytes = '148 GB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = models.resnet50, data = d, batch = 4096, epochs = 3, precision = 'bf16',\n"
    "            failures = { mtbf = '1 h', restart = '5 min' }, checkpoint = { every = '1 epochs' } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  char *json[2];
  for (int i = 0; i < 2; i++) {
    g_autofree char *path = NULL;
    TsRun *run = run_text(text, &path);
    JsonParser *parser = NULL;
    JsonObject *e = energy_json(run, &parser);
    JsonNode *n = json_node_init_object(json_node_alloc(), e);
    json[i] = json_to_string(n, FALSE);
    json_node_unref(n);
    g_object_unref(parser);
    ts_run_free(run);
  }
  g_assert_cmpstr(json[0], ==, json[1]);
  g_free(json[0]);
  g_free(json[1]);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/energy/by-hand", test_by_hand);
  g_test_add_func("/energy/unknown-power", test_unknown_power);
  g_test_add_func("/energy/scenario-site", test_scenario_site);
  g_test_add_func("/energy/deterministic", test_deterministic);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
