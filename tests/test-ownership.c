/* /ownership/...: buying instead of renting (issue 17, item 5; docs/model.md, "Owned hardware and commitments"):
 * the purchase over the hours used in the service life (utilisation), financing as an annuity, a commitment's
 * whole term, and the break-even of owning against a rented alternative, each recomputed here by hand from the
 * catalog's numbers (DGX Station: 69,000 USD, 1,500 W; p3.16xlarge: 24.48 USD/instance-hour on demand;
 * a2-highgpu-8g committed 1 year: 13,514.9691136 USD per 730-hour month, plugins/gpu/gpu.json). */
#include "common/ts-error.h"
#include "cost/ownership.h"
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static TsRegistry *registry;
static GPtrArray *paths; /* the scenarios' file names: a run borrows its name, for its summary */

#define YEAR_H 8766.0 /* 365.25 days */
#define STATION_USD 69000.0
#define STATION_KW 1.5
#define P3_USD_PER_HOUR 24.48

static TsRun *
run_text(const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  TsRun *run = test_scenario_run_text(registry, text, NULL, &path, &error);
  g_ptr_array_add(paths, path);
  g_assert_no_error(error);
  g_assert_nonnull(run);
  return run;
}

/* The station owned on the given terms, held for `hours` of waiting (nothing else costs anything). */
static TsRun *
run_station(const char *terms, double hours)
{
  g_autofree char *text = g_strdup_printf(
    "local box = cluster { accelerator = gpu { instance = 'DGX Station', owned = { %s } },\n"
    "                      electricity = '0.15 USD/kWh' }\n"
    "run(box, function(r) r:provision(box.accelerator) r:wait('%g h') r:release(box.accelerator) end)\n",
    terms, hours);
  return run_text(text);
}

static JsonObject *
summary_member(JsonNode **keep, TsRun *run, const char *member)
{
  g_autofree char *json = ts_summary_to_json(run);
  *keep = json_from_string(json, NULL);
  g_assert_nonnull(*keep);
  JsonObject *root = json_node_get_object(*keep);
  g_assert_true(json_object_has_member(root, member));
  return json_object_get_null_member(root, member) ? NULL : json_object_get_object_member(root, member);
}

/* The formulas on their own: straight-line payments, an annuity, the share of an hour used, power. */
static void
test_formulas(void)
{
  TsOwnedTerms cash = {STATION_USD, 4 * TS_OWNED_YEAR_S, 0.25, 0, 1500, 0.15};
  g_assert_cmpfloat(ts_owned_get_payment_per_year(&cash), ==, 17250);
  /* 69,000 USD over 4 years of 8,766 h, a quarter of them used: 17,250 / 2,191.5 per hour used. */
  assert_rel(ts_owned_get_purchase_per_hour(&cash), 17250.0 / (YEAR_H * 0.25), 1e-12);
  assert_rel(ts_owned_get_power_per_hour(&cash), 0.225, 1e-12);
  /* Twice the use, half the purchase in each hour. */
  TsOwnedTerms busier = cash;
  busier.utilisation = 0.5;
  assert_rel(ts_owned_get_purchase_per_hour(&busier), ts_owned_get_purchase_per_hour(&cash) / 2, 1e-12);
  /* On credit at 6 % a year over 4 years: an annuity, 69,000 x 0.06 / (1 - 1.06^-4) = 19,912.81 a year. */
  TsOwnedTerms credit = cash;
  credit.financing_rate = 0.06;
  double annuity = STATION_USD * 0.06 / (1 - 1 / (1.06 * 1.06 * 1.06 * 1.06));
  assert_rel(ts_owned_get_payment_per_year(&credit), annuity, 1e-12);
  g_assert_cmpfloat(fabs(ts_owned_get_payment_per_year(&credit) - 19912.81), <, 0.01);
  /* No life given: 4 years. */
  TsOwnedTerms unknown_life = cash;
  unknown_life.life_s = 0;
  g_assert_cmpfloat(ts_owned_get_payment_per_year(&unknown_life), ==, 17250);
  /* The break-even: F / (c - m) runs, times the hours of one. */
  double runs, hours;
  g_assert_true(ts_break_even_compute(17250, 2.25, 10, 244.8, &runs, &hours));
  assert_rel(runs, 17250 / (244.8 - 2.25), 1e-12);
  assert_rel(hours, 10 * 17250 / (244.8 - 2.25), 1e-12);
  g_assert_false(ts_break_even_compute(17250, 2.25, 10, 2.25, &runs, &hours)); /* renting no dearer: never */
  g_assert_true(isnan(runs));
  g_assert_false(ts_break_even_compute(17250, NAN, 10, 244.8, &runs, &hours));
}

/* A run on owned hardware costs the hours it holds it at price / (life x utilisation) + power: 10 hours of the
 * station over 5 years at a quarter's use, by hand; the summary gives the terms with their units. */
static void
test_utilisation(void)
{
  TsRun *run = run_station("utilisation = 0.25, life = '5 years'", 10);
  const TsResults *r = ts_run_get_results(run);
  double purchase_h = STATION_USD / 5 / (YEAR_H * 0.25), power_h = STATION_KW * 0.15;
  assert_rel(r->cost_compute, 10 * (purchase_h + power_h), 1e-9);
  g_assert_true(r->ownership.owned);
  g_assert_cmpstr(r->ownership.life_source, ==, "scenario");
  g_assert_false(test_run_has_diagnostic(run, "owned-utilisation", NULL));
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o = summary_member(&keep, run, "ownership");
  g_assert_nonnull(o);
  g_assert_cmpfloat(json_object_get_double_member(o, "price_usd"), ==, STATION_USD);
  g_assert_cmpfloat(json_object_get_double_member(o, "life_years"), ==, 5);
  g_assert_cmpfloat(json_object_get_double_member(o, "utilisation"), ==, 0.25);
  assert_rel(json_object_get_double_member(o, "hours_used_per_year"), YEAR_H * 0.25, 1e-12);
  assert_rel(json_object_get_double_member(o, "payment_usd_per_year"), STATION_USD / 5, 1e-12);
  assert_rel(json_object_get_double_member(o, "purchase_usd_per_hour"), purchase_h, 1e-12);
  assert_rel(json_object_get_double_member(o, "power_usd_per_hour"), power_h, 1e-12);
  assert_rel(json_object_get_double_member(o, "rate_usd_per_device_hour"), (purchase_h + power_h) / 4, 1e-12);
  assert_rel(json_object_get_double_member(o, "hours_this_run"), 10, 1e-12);
  assert_rel(json_object_get_double_member(o, "purchase_usd_this_run") +
             json_object_get_double_member(o, "power_usd_this_run"), r->cost_compute, 1e-12);
  g_assert_true(json_object_get_null_member(json_node_get_object(keep), "commitment"));
  g_assert_true(json_object_get_null_member(json_node_get_object(keep), "break_even"));
  ts_run_free(run);

  /* Nothing said: used all its life (1), 4 years, each said in a note rather than silently assumed. */
  run = run_station("", 10);
  r = ts_run_get_results(run);
  assert_rel(r->cost_compute, 10 * (STATION_USD / 4 / YEAR_H + power_h), 1e-9);
  g_assert_false(r->ownership.utilisation_given);
  g_assert_cmpstr(r->ownership.life_source, ==, "assumed");
  g_assert_true(test_run_has_diagnostic(run, "owned-utilisation", NULL));
  g_assert_true(test_run_has_diagnostic(run, "owned-life", NULL));
  ts_run_free(run);

  /* The scenario's own price for the machine replaces the catalog's. */
  run = run_station("price = '49900 USD', life = '4 years', utilisation = 1", 10);
  assert_rel(ts_run_get_results(run)->cost_compute, 10 * (49900.0 / 4 / YEAR_H + power_h), 1e-9);
  ts_run_free(run);
}

/* Bought on credit: each hour used carries its share of the annuity, so the interest too. */
static void
test_financing(void)
{
  TsRun *run = run_station("utilisation = 0.5, life = '4 years', financing = 0.06", 10);
  const TsResults *r = ts_run_get_results(run);
  double annuity = STATION_USD * 0.06 / (1 - pow(1.06, -4));
  assert_rel(r->cost_compute, 10 * (annuity / (YEAR_H * 0.5) + STATION_KW * 0.15), 1e-9);
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *o = summary_member(&keep, run, "ownership");
  g_assert_cmpfloat(json_object_get_double_member(o, "financing_rate_per_year"), ==, 0.06);
  assert_rel(json_object_get_double_member(o, "payment_usd_per_year"), annuity, 1e-12);
  assert_rel(json_object_get_double_member(o, "total_paid_usd"), 4 * annuity, 1e-12);
  g_assert_cmpfloat(json_object_get_double_member(o, "total_paid_usd"), >, STATION_USD);
  ts_run_free(run);
}

/* A commitment shorter than its term: the run pays its hours; the summary gives the whole term's cost, the rate
 * per device-hour, and the share of the term used. */
static void
test_commitment_term(void)
{
  TsRun *run = run_text(
    "local box = cluster { accelerator = gpu { instance = 'a2-highgpu-8g', pricing = 'committed-1y' } }\n"
    "run(box, function(r) r:provision(box.accelerator) r:wait('2 h') r:release(box.accelerator) end)\n");
  const TsResults *r = ts_run_get_results(run);
  double per_hour = 13514.9691136 / 730; /* Google's monthly price over its 730-hour month */
  g_assert_cmpstr(r->commitment.term, ==, "committed-1y");
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *c = summary_member(&keep, run, "commitment");
  g_assert_nonnull(c);
  g_assert_cmpfloat(json_object_get_double_member(c, "term_hours"), ==, 8760);
  g_assert_cmpfloat(fabs(json_object_get_double_member(c, "rate_usd_per_hour") - per_hour), <, 2e-5);
  g_assert_cmpfloat(fabs(json_object_get_double_member(c, "rate_usd_per_device_hour") - per_hour / 8), <, 1e-5);
  g_assert_cmpfloat(fabs(json_object_get_double_member(c, "term_cost_usd") - 8760 * per_hour), <, 8760 * 2e-5);
  assert_rel(json_object_get_double_member(c, "usd_this_run"), r->cost_compute, 1e-12);
  assert_rel(json_object_get_double_member(c, "share_of_term"), 2.0 / 8760, 1e-12);
  g_assert_true(json_object_get_null_member(json_node_get_object(keep), "ownership"));
  ts_run_free(run);

  run = run_text(
    "local box = cluster { accelerator = gpu { instance = 'a2-highgpu-8g', pricing = 'committed-3y' } }\n"
    "run(box, function(r) r:provision(box.accelerator) r:wait('2 h') r:release(box.accelerator) end)\n");
  g_assert_cmpfloat(ts_run_get_results(run)->commitment.term_hours, ==, 26280);
  ts_run_free(run);
}

/* Owning against renting, by hand: the station held 10 h costs 2.25 USD of power beside its purchase (17,250 USD a
 * year over 4 years); the p3.16xlarge held the same 10 h costs 244.80 USD.  Owning is cheaper from
 * 17,250 / (244.80 - 2.25) = 71.1 runs a year, 711 hours of use. */
static void
test_break_even(void)
{
  TsRun *run = run_station("utilisation = 0.5, life = '4 years', against = gpu { instance = 'p3.16xlarge' }", 10);
  const TsResults *r = ts_run_get_results(run);
  double rented = P3_USD_PER_HOUR * 10, marginal = STATION_KW * 0.15 * 10, fixed = STATION_USD / 4;
  g_assert_true(r->break_even.known);
  assert_rel(r->break_even.against_cost_usd, rented, 1e-12);
  assert_rel(r->break_even.owned_marginal_usd, marginal, 1e-9);
  assert_rel(r->break_even.runs_per_year, fixed / (rented - marginal), 1e-9);
  assert_rel(r->break_even.hours_per_year, 10 * fixed / (rented - marginal), 1e-9);
  g_assert_nonnull(strstr(r->break_even.against, "p3.16xlarge"));
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *b = summary_member(&keep, run, "break_even");
  g_assert_nonnull(b);
  assert_rel(json_object_get_double_member(b, "runs_per_year"), fixed / (rented - marginal), 1e-9);
  assert_rel(json_object_get_double_member(b, "hours_per_year"), 10 * fixed / (rented - marginal), 1e-9);
  g_assert_nonnull(strstr(json_object_get_string_member(b, "against"), "p3.16xlarge"));
  g_assert_true(json_object_get_null_member(b, "why_unknown"));
  ts_run_free(run);

  /* The break-even does not depend on the utilisation, which only spreads the purchase over the hours used. */
  run = run_station("utilisation = 0.1, life = '4 years', against = gpu { instance = 'p3.16xlarge' }", 10);
  assert_rel(ts_run_get_results(run)->break_even.runs_per_year, fixed / (rented - marginal), 1e-9);
  ts_run_free(run);

  /* An alternative cheaper than the station's power alone: owning never breaks even, and says so. */
  run = run_station("against = gpu { instance = 'p3.16xlarge', price = '0.01 USD/instance-hour' }", 10);
  r = ts_run_get_results(run);
  g_assert_false(r->break_even.known);
  g_assert_nonnull(r->break_even.why_unknown);
  g_assert_true(test_run_has_diagnostic(run, "break-even-unknown", NULL));
  g_autoptr(JsonNode) keep2 = NULL;
  b = summary_member(&keep2, run, "break_even");
  g_assert_true(json_object_get_null_member(b, "runs_per_year"));
  g_assert_nonnull(json_object_get_string_member(b, "why_unknown"));
  ts_run_free(run);
}

/* An owned machine's power is costed only from a stated electricity price; without one the cost is the purchase
 * alone and a warning says so (free electricity would be a default that looks like knowledge). A price of 0 is a
 * statement, not a gap. */
static void
test_electricity_unstated(void)
{
  TsRun *run = run_text("local box = cluster { accelerator = gpu { instance = 'DGX Station', owned = { utilisation = 1,"
                        " life = '4 years' } } }\n"
                        "run(box, function(r) r:provision(box.accelerator) r:wait('10 h') r:release(box.accelerator)"
                        " end)\n");
  assert_rel(ts_run_get_results(run)->cost_compute, 10 * (STATION_USD / 4 / YEAR_H), 1e-9);
  g_assert_true(test_run_has_diagnostic(run, "owned-electricity-unknown", NULL));
  ts_run_free(run);

  run = run_text("local box = cluster { accelerator = gpu { instance = 'DGX Station', owned = { utilisation = 1,"
                 " life = '4 years' } }, electricity = '0 USD/kWh' }\n"
                 "run(box, function(r) r:provision(box.accelerator) r:wait('10 h') r:release(box.accelerator) end)\n");
  g_assert_false(test_run_has_diagnostic(run, "owned-electricity-unknown", NULL));
  ts_run_free(run);

  run = run_station("utilisation = 1, life = '4 years'", 10);
  g_assert_false(test_run_has_diagnostic(run, "owned-electricity-unknown", NULL));
  g_assert_false(test_run_has_diagnostic(run, "owned-power-unknown", NULL));
  ts_run_free(run);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  paths = g_ptr_array_new_with_free_func(g_free);
  g_test_add_func("/ownership/formulas", test_formulas);
  g_test_add_func("/ownership/utilisation", test_utilisation);
  g_test_add_func("/ownership/financing", test_financing);
  g_test_add_func("/ownership/commitment-term", test_commitment_term);
  g_test_add_func("/ownership/break-even", test_break_even);
  g_test_add_func("/ownership/electricity-unstated", test_electricity_unstated);
  int rc = g_test_run();
  g_ptr_array_unref(paths);
  ts_registry_free(registry);
  return rc;
}
