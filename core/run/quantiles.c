#include "run/quantiles.h"

#include <math.h>
#include <string.h>

const double ts_quantile_levels[TS_QUANTILE_COUNT] = {10, 50, 90};

/* z(0.75): the median of |Z| for a standard normal Z, so that a zero-centred log-normal with
 * sigma = ln(1 + m) / z(0.75) has median |log error| ln(1 + m) -- the band the summary prints. */
#define Z_75 0.6744897501960817

TsDraw
ts_draw_from_results(const TsResults *r)
{
  /* The band was measured on training (step time, time to train, throughput: docs/validation.md): it widens
   * the training phases' wall time, failures and checkpoints included; provisioning, downloads and waits are
   * the draws' own. */
  TsDraw d = {.time_s = r->total_time_s, .cost_usd = r->cost_total, .modelled_s = r->trained ? r->train_time_s : 0};
  if (d.modelled_s > d.time_s)
    d.modelled_s = d.time_s;
  return d;
}

/* P(fixed + var * exp(sigma Z) <= t) */
static double
draw_cdf(double fixed, double var, double sigma, double t)
{
  if (t < fixed)
    return 0;
  if (var <= 0)
    return 1;
  if (t == fixed)
    return 0;
  return 0.5 * erfc(-log((t - fixed) / var) / (sigma * G_SQRT2));
}

/* The p-quantile of the equally weighted mixture of the draws fixed[i] + var[i] * exp(sigma Z). */
static double
mixture_quantile(const double *fixed, const double *var, guint n, double sigma, double p)
{
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < n; i++) {
    lo = fmin(lo, fixed[i] + var[i] * exp(-8 * sigma));
    hi = fmax(hi, fixed[i] + var[i] * exp(8 * sigma));
  }
  /* 200 halvings take any double interval to adjacent values: the answer depends on nothing but the inputs. */
  for (int it = 0; it < 200 && lo < hi; it++) {
    double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi)
      break;
    double f = 0;
    for (guint i = 0; i < n; i++)
      f += draw_cdf(fixed[i], var[i], sigma, mid);
    if (f / n >= p)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

void
ts_quantiles_combine(const TsDraw *draws, guint n, double band_error, TsQuantiles *q)
{
  memset(q, 0, sizeof *q); /* padding too: replica stats are compared whole */
  q->draws = n;
  q->band_error = band_error;
  if (n == 0) {
    for (int k = 0; k < TS_QUANTILE_COUNT; k++)
      q->time_s[k] = q->cost_usd[k] = NAN;
    return;
  }
  /* Without a band (no calibration.json) the quantiles are the draws' alone, and known says so. */
  q->known = band_error > 0 && isfinite(band_error);
  q->sigma = q->known ? log1p(band_error) / Z_75 : 0;
  g_autofree double *tf = g_new(double, n), *tv = g_new(double, n), *cf = g_new(double, n), *cv = g_new(double, n);
  gboolean costs_known = TRUE;
  for (guint i = 0; i < n; i++) {
    tv[i] = draws[i].modelled_s;
    tf[i] = draws[i].time_s - tv[i];
    /* Cost follows wall time in proportion: the draw's own cost per second of its wall time. */
    double share = draws[i].time_s > 0 ? draws[i].cost_usd / draws[i].time_s : 0;
    cv[i] = share * tv[i];
    cf[i] = draws[i].cost_usd - cv[i];
    costs_known = costs_known && isfinite(draws[i].cost_usd);
  }
  for (int k = 0; k < TS_QUANTILE_COUNT; k++) {
    double p = ts_quantile_levels[k] / 100.0;
    q->time_s[k] = mixture_quantile(tf, tv, n, q->sigma, p);
    q->cost_usd[k] = costs_known ? mixture_quantile(cf, cv, n, q->sigma, p) : NAN;
  }
}
