/* Owned hardware, commitments and the break-even between owning and renting (ownership.h). */
#include "cost/ownership.h"

#include <math.h>

double
ts_owned_get_payment_per_year(const TsOwnedTerms *t)
{
  double years = (t->life_s > 0 ? t->life_s : TS_OWNED_DEFAULT_LIFE_S) / TS_OWNED_YEAR_S;
  double r = t->financing_rate;
  if (!(r > 0))
    return t->price_usd / years;
  /* An annuity: equal yearly payments that repay the price and its interest by the end of the life. */
  return t->price_usd * r / (1.0 - pow(1.0 + r, -years));
}

double
ts_owned_get_purchase_per_hour(const TsOwnedTerms *t)
{
  double u = t->utilisation > 0 ? t->utilisation : 1.0;
  return ts_owned_get_payment_per_year(t) / (TS_OWNED_YEAR_S / 3600.0 * u);
}

double
ts_owned_get_power_per_hour(const TsOwnedTerms *t)
{
  return t->watts / 1000.0 * t->electricity;
}

gboolean
ts_break_even_compute(double fixed_per_year_usd, double owned_marginal_usd, double owned_hours, double rented_usd,
                      double *runs_per_year, double *hours_per_year)
{
  *runs_per_year = NAN;
  *hours_per_year = NAN;
  if (!isfinite(fixed_per_year_usd) || !isfinite(owned_marginal_usd) || !isfinite(owned_hours) ||
      !isfinite(rented_usd) || !(rented_usd > owned_marginal_usd))
    return FALSE;
  *runs_per_year = fixed_per_year_usd / (rented_usd - owned_marginal_usd);
  *hours_per_year = *runs_per_year * owned_hours;
  return TRUE;
}
