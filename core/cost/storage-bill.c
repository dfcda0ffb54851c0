#include "cost/storage-bill.h"

double
ts_storage_bill_settle(TsStorageBill *bill, double bytes, double price_gb_month, TsTime now)
{
  if (price_gb_month >= 0)
    bill->spent += bytes / 1e9 * price_gb_month * ts_time_to_seconds(now - bill->since) / TS_BILLING_MONTH_S;
  bill->since = now;
  return bill->spent;
}
