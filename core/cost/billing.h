/* Billing of a machine group from provisioning to release, idle time included, at a rate derived from a
 * price and the unit it is per (core-, chip-, device-, slice-, instance- or node-hour), or, for owned
 * hardware, from the purchase price amortized over the service life plus power at an electricity price. */
#ifndef TS_BILLING_H
#define TS_BILLING_H

#include <glib.h>

#include "engine/engine.h"
#include "run/run.h"

typedef enum { TS_COST_COMPUTE, TS_COST_HOST } TsCostCategory;

typedef struct {
  int id;
  const TsAccelerator *accel; /* borrowed */
  TsCostCategory category;
  double rate;     /* USD per second while provisioned */
  TsTime since;    /* -1 when not provisioned */
  double spent;    /* settled USD */
  char *desc;      /* "2 USD/chip-hour x 64 chips = 128.00 USD/hour (on-demand, us-central1)" */
} TsBillable;

gboolean ts_billable_init(TsBillable *b, const TsAccelerator *accel, GError **error);
void ts_billable_clear(TsBillable *b);
void ts_billable_start(TsBillable *b, TsTime now);
void ts_billable_stop(TsBillable *b, TsTime now);
/* Spent so far, including the running period up to `now`. */
double ts_billable_cost_at(const TsBillable *b, TsTime now);

#endif
