/* Storage billed per GB-month on the bytes it holds over time (docs/model.md, "Cost"): the run model says how
 * many bytes it held since the last settlement, and at what price. */
#ifndef TS_STORAGE_BILL_H
#define TS_STORAGE_BILL_H

#include <glib.h>

#include "engine/engine.h"

/* A billing month: 730 hours, as the cloud providers' price pages count it. */
#define TS_BILLING_MONTH_S (730.0 * 3600.0)

typedef struct {
  TsTime since;  /* the last settlement */
  double spent;  /* USD so far */
} TsStorageBill;

/* Adds the cost of holding `bytes` from the last settlement to `now` at `price_gb_month` (USD per decimal
 * GB-month; below 0: storage the run does not bill), and settles at `now`.  Returns the USD spent so far. */
double ts_storage_bill_settle(TsStorageBill *bill, double bytes, double price_gb_month, TsTime now);

#endif
