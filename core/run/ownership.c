/* What the run's owned machines or commitment amount to beyond the hours it held them: the terms of ownership
 * (price, life, utilisation, financing), a commitment's whole term, and the break-even of owning against the
 * rented alternative the scenario names (docs/model.md, "Owned hardware and commitments"). */
#include "run/run-private.h"

#include "cost/ownership.h"

#include <math.h>

void
run_ownership_init(TsRun *run, const TsMachineGroup *a, const TsRate *rate, const TsBillable *b)
{
  TsResults *r = &run->results;
  r->break_even.asked = a->owned && a->against;
  if (r->break_even.asked) /* until the scenario layer's second run replaces it (not run for jobs or plan) */
    r->break_even.why_unknown = g_strdup("not computed: the rented alternative is run for a scenario with one run(), "
                                         "not for several jobs or trainsim plan's layouts");
  if (a->owned && isfinite(b->rate)) {
    TsOwnedTerms t = {rate->purchase_price, rate->service_life_s, rate->utilisation, rate->financing_rate,
                      rate->watts, rate->electricity};
    double n = a->nodes;
    r->ownership.owned = TRUE;
    r->ownership.nodes = a->nodes;
    r->ownership.price_usd = rate->purchase_price * n;
    r->ownership.life_s = rate->service_life_s > 0 ? rate->service_life_s : TS_OWNED_DEFAULT_LIFE_S;
    r->ownership.life_source = a->owned_life_s > 0 ? "scenario" : rate->service_life_s > 0 ? "catalog" : "assumed";
    r->ownership.utilisation = rate->utilisation > 0 ? rate->utilisation : 1.0;
    r->ownership.utilisation_given = a->utilisation > 0;
    r->ownership.financing = rate->financing_rate;
    r->ownership.payment_per_year_usd = ts_owned_get_payment_per_year(&t) * n;
    r->ownership.watts = rate->watts * n;
    r->ownership.electricity = rate->electricity;
    r->ownership.purchase_usd_per_hour = ts_owned_get_purchase_per_hour(&t) * n;
    r->ownership.power_usd_per_hour = ts_owned_get_power_per_hour(&t) * n;
    /* What the scenario did not say is said here, not silently assumed. */
    if (!r->ownership.utilisation_given)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "owned-utilisation", "%s is owned and costed as busy all of its "
                            "service life (utilisation 1); give owned = { utilisation = f }, the fraction of its life "
                            "it does work like this, and each hour used carries 1/f of its share of the purchase",
                            b->unit_name);
    /* Power left out of an owned machine's cost is said, never passed off as free electricity. */
    if (!a->electricity_given)
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "owned-electricity-unknown", "%s is owned, but the cluster "
                            "states no electricity price: its cost leaves out power (give cluster{ electricity = "
                            "\"0.15 USD/kWh\" })", b->unit_name);
    else if (!(rate->watts > 0) && a->electricity > 0)
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "owned-power-unknown", "%s is owned, but no catalog gives "
                            "its power draw: its cost leaves out electricity (state the power in the catalog or "
                            "a scenario's device definition)", b->unit_name);
    if (g_strcmp0(r->ownership.life_source, "assumed") == 0)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "owned-life", "%s: neither the catalog nor the scenario gives a "
                            "service life: 4 years assumed (give owned = { life = \"5 years\" })", b->unit_name);
  } else if (!a->owned && isfinite(b->rate) &&
             (a->pricing == TS_PRICING_COMMITTED_1Y || a->pricing == TS_PRICING_COMMITTED_3Y)) {
    r->commitment.term = ts_pricing_get_name(a->pricing);
    r->commitment.term_hours = TS_COMMITTED_HOURS_PER_YEAR * (a->pricing == TS_PRICING_COMMITTED_1Y ? 1 : 3);
    r->commitment.usd_per_hour = b->rate * 3600.0;
    r->commitment.devices = a->devices;
  }
}

void
run_ownership_finish(TsRun *run)
{
  const TsBillable *b = run_cluster_billable(run);
  double held = b != NULL ? b->held_s : 0;
  run->results.ownership.held_s = held;
  run->results.commitment.held_s = held;
}

static void
break_even_unknown(TsRun *run, char *why)
{
  TsResults *r = &run->results;
  r->break_even.known = FALSE;
  g_free(r->break_even.why_unknown);
  r->break_even.why_unknown = why;
  ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "break-even-unknown", "break-even: %s", why);
}

gboolean
ts_results_break_even(const TsResults *r, double rented_usd, double *marginal_usd, double *runs_per_year,
                      double *hours_per_year)
{
  double held_h = r->ownership.held_s / 3600.0;
  *marginal_usd = r->cost_total - r->ownership.purchase_usd_per_hour * held_h;
  if (!r->ownership.owned) {
    *runs_per_year = *hours_per_year = NAN;
    return FALSE;
  }
  return ts_break_even_compute(r->ownership.payment_per_year_usd, *marginal_usd, held_h, rented_usd, runs_per_year,
                               hours_per_year);
}

void
ts_run_set_break_even(TsRun *run, TsRun *alt, const GError *alt_error)
{
  TsResults *r = &run->results;
  r->break_even.asked = TRUE;
  if (alt != NULL) {
    const TsResults *ar = ts_run_get_results(alt);
    g_free(r->break_even.against);
    r->break_even.against = g_strdup_printf("%s, %s", ar->device_desc ? ar->device_desc : "?",
                                            ar->price_desc ? ar->price_desc : "price unknown");
    r->break_even.against_time_s = ar->total_time_s;
    r->break_even.against_cost_usd = ar->cost_total;
  }
  if (!r->ownership.owned) {
    break_even_unknown(run, g_strdup("the owned machines' purchase price is unknown"));
    return;
  }
  if (!r->feasible) {
    break_even_unknown(run, g_strdup("this run is infeasible"));
    return;
  }
  if (alt == NULL || alt_error != NULL) {
    break_even_unknown(run, g_strdup_printf("the same run on the rented alternative %s: %s",
                                            alt != NULL && !ts_run_get_results(alt)->feasible ? "is infeasible"
                                                                                            : "failed",
                                            alt_error != NULL ? alt_error->message : "no result"));
    return;
  }
  r->break_even.fixed_usd_per_year = r->ownership.payment_per_year_usd;
  if (!isfinite(r->break_even.against_cost_usd)) {
    break_even_unknown(run, g_strdup_printf("the rented alternative's cost is unknown (%s)", r->break_even.against));
    return;
  }
  r->break_even.known = ts_results_break_even(r, r->break_even.against_cost_usd, &r->break_even.owned_marginal_usd,
                                              &r->break_even.runs_per_year, &r->break_even.hours_per_year);
  if (!r->break_even.known) {
    g_autofree char *c = ts_format_usd(r->break_even.against_cost_usd);
    g_autofree char *m = ts_format_usd(r->break_even.owned_marginal_usd);
    break_even_unknown(run, g_strdup_printf("renting costs %s a run, no more than the owned machines' power and "
                                            "other costs alone (%s): owning never breaks even", c, m));
    return;
  }
  if (r->break_even.hours_per_year > TS_OWNED_YEAR_S / 3600.0)
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "break-even-beyond-a-year", "owning breaks even at %.0f hours of "
                          "use a year, more than a year holds (8,766): at runs like this one, renting stays cheaper",
                          r->break_even.hours_per_year);
}
