/* Billing of a machine group from provisioning to release, idle time included, at a rate derived from a
 * price and the unit it is per (core-, chip-, device-, slice-, instance- or node-hour), or, for owned
 * hardware, from the purchase price amortized over the service life plus power at an electricity price.
 * Billing knows nothing of the run model: the run describes each machine group as a plain TsRate. */
#ifndef TS_BILLING_H
#define TS_BILLING_H

#include <glib.h>

#include "cost/ownership.h"
#include "engine/engine.h"
#include "units/units.h"

typedef enum { TS_COST_COMPUTE, TS_COST_HOST } TsCostCategory;

/* What a machine group costs, as the run model describes it. */
typedef struct {
  int id;                    /* the machine group */
  TsCostCategory category;   /* host: CPU machines billed apart from the accelerators */
  const char *name;          /* shown in phases: the slice, instance or SKU ("v3-128", "p4d.24xlarge") */
  const char *unit_name;     /* in messages: the instance or SKU */
  guint nodes;               /* hosts (instances) */
  double chips;              /* accelerator chips */
  double devices;            /* billed devices: GPUs, or a TPU slice's host boards */
  double cores;              /* CPU cores, for core-hour prices */
  guint slices;              /* TPU slices billed at a slice-hour price (multislice: more than 1); 0 counts as 1 */
  /* Owned hardware: the purchase over the hours used in its service life + power x electricity, per node
   * (cost/ownership.h). */
  gboolean owned;
  double purchase_price;     /* USD per node; <= 0: unknown */
  double service_life_s;     /* <= 0: 4 years */
  double utilisation;        /* fraction of the life in use, (0, 1]; <= 0: 1 */
  double financing_rate;     /* per year; 0: paid in cash */
  double watts;              /* per node */
  double electricity;        /* USD/kWh */
  TsPriceUnit fitting_unit;  /* the unit a missing owned price should be given in */
  /* Rented. */
  double price;              /* USD per price_per */
  TsPriceUnit price_per;
  gboolean price_known;      /* FALSE: no price listed or given; the cost is unknown (NaN), not 0 */
  const char *pricing;       /* "on-demand", "spot", "committed" */
  gboolean pricing_given;    /* the scenario said which */
  gboolean price_from_catalog;
  const char *region;        /* of the catalog's price; NULL: "catalog" */
} TsRate;

typedef struct {
  int id;
  TsCostCategory category;
  char *name;      /* TsRate.name */
  char *unit_name; /* TsRate.unit_name */
  double rate;     /* USD per second while provisioned; NaN when the price is unknown */
  TsTime since;    /* -1 when not provisioned */
  double spent;    /* settled USD */
  double held_s;   /* settled seconds provisioned */
  char *desc;      /* "2 USD/chip-hour x 64 chips = 128.00 USD/hour (on-demand, us-central1)" */
} TsBillable;

gboolean ts_billable_init(TsBillable *b, const TsRate *rate, GError **error);
void ts_billable_clear(TsBillable *b);
void ts_billable_start(TsBillable *b, TsTime now);
void ts_billable_stop(TsBillable *b, TsTime now);
/* Spent so far, including the running period up to `now`. */
double ts_billable_cost_at(const TsBillable *b, TsTime now);

#endif
