#include "cost/billing.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>

gboolean
ts_billable_init(TsBillable *b, const TsRate *a, GError **error)
{
  b->id = a->id;
  b->since = -1;
  b->spent = 0;
  b->held_s = 0;
  b->category = a->category;
  b->name = g_strdup(a->name);
  b->unit_name = g_strdup(a->unit_name);
  const char *unit_name = a->unit_name;
  if (a->owned) {
    /* Owned: the purchase over the hours used in the service life + power x electricity, per node (docs/model.md,
     * "Owned hardware and commitments"). */
    if (!(a->purchase_price > 0)) {
      b->rate = NAN; /* unknown, as a missing rental price */
      b->desc = g_strdup_printf("unknown: %s is owned and the catalog has no purchase price for it (give owned = "
                                "{ price = \"... USD\" } for one node, or price = \"... USD/%s\" to bill it by the "
                                "hour)", unit_name, ts_price_unit_get_name(a->fitting_unit));
      return TRUE;
    }
    TsOwnedTerms t = {a->purchase_price, a->service_life_s, a->utilisation, a->financing_rate, a->watts,
                      a->electricity};
    double life = a->service_life_s > 0 ? a->service_life_s : TS_OWNED_DEFAULT_LIFE_S;
    double u = a->utilisation > 0 ? a->utilisation : 1.0;
    double per_node = ts_owned_get_purchase_per_hour(&t) + ts_owned_get_power_per_hour(&t);
    b->rate = per_node * a->nodes / 3600.0;
    g_autofree char *financed = a->financing_rate > 0 ? g_strdup_printf(" financed at %.3g %%/year", 100.0 * a->financing_rate)
                                                      : g_strdup("");
    b->desc = g_strdup_printf("owned: %.0f USD%s over %.1f years at %.3g %% use + %.0f W x %.3f USD/kWh = %.2f USD/hour "
                              "per node x %u", a->purchase_price, financed, life / TS_OWNED_YEAR_S, 100.0 * u, a->watts,
                              a->electricity, per_node, a->nodes);
    return TRUE;
  }
  double units;
  const char *what;
  switch (a->price_per) {
  case TS_PRICE_CHIP_HOUR:
    units = a->chips;
    what = "chips";
    break;
  case TS_PRICE_DEVICE_HOUR:
    units = a->devices; /* a Cloud TPU "device" is one host's board of chips; a GPU device is one GPU */
    what = "devices";
    break;
  case TS_PRICE_CORE_HOUR:
    units = a->cores;
    what = "cores";
    break;
  case TS_PRICE_SLICE_HOUR:
    units = a->slices > 1 ? a->slices : 1; /* multislice: each slice is billed */
    what = a->slices > 1 ? "slices" : "slice";
    break;
  case TS_PRICE_INSTANCE_HOUR:
  case TS_PRICE_NODE_HOUR:
    units = a->nodes;
    what = a->price_per == TS_PRICE_INSTANCE_HOUR ? "instances" : "nodes";
    break;
  default:
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: a machine price must be per core-, chip-, device-, slice-, "
                "instance- or node-hour, got per %s", unit_name, ts_price_unit_get_name(a->price_per));
    return FALSE;
  }
  if (!a->price_known) {
    /* Unknown, not free: NaN makes every sum it enters unknown, and the outputs print null / "unknown". */
    b->rate = NAN;
    b->desc = g_strdup_printf("unknown: %s has no %s price in the catalog (give price = \"... USD/%s\")",
                              unit_name, a->pricing, ts_price_unit_get_name(a->price_per));
    return TRUE;
  }
  b->rate = a->price * units / 3600.0;
  if (a->price_from_catalog)
    b->desc = g_strdup_printf("%.10g USD/%s x %.0f %s = %.2f USD/hour (%s, %s)", a->price,
                              ts_price_unit_get_name(a->price_per), units, what, b->rate * 3600.0,
                              a->pricing, a->region ? a->region : "catalog");
  else if (a->pricing_given) /* the scenario's own price for what it calls spot or committed */
    b->desc = g_strdup_printf("%.10g USD/%s x %.0f %s = %.2f USD/hour (%s, price set by the scenario)", a->price,
                              ts_price_unit_get_name(a->price_per), units, what, b->rate * 3600.0, a->pricing);
  else
    b->desc = g_strdup_printf("%.10g USD/%s x %.0f %s = %.2f USD/hour (price set by the scenario)", a->price,
                              ts_price_unit_get_name(a->price_per), units, what, b->rate * 3600.0);
  return TRUE;
}

void
ts_billable_clear(TsBillable *b)
{
  g_clear_pointer(&b->desc, g_free);
  g_clear_pointer(&b->name, g_free);
  g_clear_pointer(&b->unit_name, g_free);
}

void
ts_billable_start(TsBillable *b, TsTime now)
{
  if (b->since < 0)
    b->since = now;
}

void
ts_billable_stop(TsBillable *b, TsTime now)
{
  if (b->since < 0)
    return;
  b->spent += b->rate * ts_time_to_seconds(now - b->since);
  b->held_s += ts_time_to_seconds(now - b->since);
  b->since = -1;
}

double
ts_billable_cost_at(const TsBillable *b, TsTime now)
{
  return b->spent + (b->since >= 0 ? b->rate * ts_time_to_seconds(now - b->since) : 0.0);
}
