/* The expected slowest of N nodes (stragglers.h).  The integral runs over u = ln x, where the integrand
 * (1 - F(e^u)) e^u is smooth: below u_lo every node's factor is above e^u with probability 1 to double precision,
 * so that part is e^u_lo exactly; above u_hi the largest factor is below e^u with the same certainty. */
#include "run/stragglers.h"

#include <float.h>
#include <math.h>

#define TAIL 12.0         /* standard deviations: Phi(-12) is 1.8e-33, below what any node count can lift */
#define INTERVALS 20000   /* Simpson intervals over the range (even) */

/* log Phi(z), finite down to where erfc underflows (then -inf: the factor is certainly above). */
static double
log_phi(double z)
{
  return log(0.5 * erfc(-z / M_SQRT2));
}

/* 1 - F(e^u): the probability that the slowest node's factor is above e^u. */
static double
above(double u, double n_fast, double n_slow, double log_slow, double sigma)
{
  double h = sigma * sigma / 2;
  double log_f = 0;
  if (n_fast > 0)
    log_f += n_fast * log_phi((u + h) / sigma);
  if (n_slow > 0)
    log_f += n_slow * log_phi((u - log_slow + h) / sigma);
  return -expm1(log_f);
}

double
ts_stragglers_expected_max(guint nodes, guint slow, double slowdown, double jitter)
{
  if (nodes == 0)
    return 1.0;
  if (slow > nodes)
    slow = nodes;
  double s = slow > 0 && slowdown > 1 ? slowdown : 1.0;
  if (!(jitter > 0))
    return s;
  double n_slow = s > 1 ? (double) slow : 0.0, n_fast = (double) nodes - n_slow;
  double log_slow = log(s), h = jitter * jitter / 2;
  double lo = -h - TAIL * jitter, hi = log_slow - h + TAIL * jitter;
  double dx = (hi - lo) / INTERVALS, sum = 0;
  for (int i = 0; i <= INTERVALS; i++) {
    double u = lo + i * dx;
    double w = i == 0 || i == INTERVALS ? 1 : i % 2 ? 4 : 2;
    sum += w * above(u, n_fast, n_slow, log_slow, jitter) * exp(u);
  }
  return exp(lo) + sum * dx / 3;
}

guint
ts_stragglers_slow_nodes(guint nodes, double fraction)
{
  if (!(fraction > 0))
    return 0;
  double k = floor(fraction * (double) nodes + 0.5);
  return k >= (double) nodes ? nodes : (guint) k;
}

/* The standard normal quantile of the upper tail: z with P(Z > z) = q, 0 < q < 1.  Acklam's rational
 * approximation (relative error 1.15e-9) refined by one Halley step on erfc, which brings it to double
 * precision; written for the upper tail so that q down to 1e-300 (the largest of millions of draws) keeps its
 * digits instead of rounding 1 - q to 1. */
static double
upper_quantile(double q)
{
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  /* x: the lower-tail quantile of p = q, i.e. -z. */
  double x;
  if (q < 0.02425) {
    double r = sqrt(-2 * log(q));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
        ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else if (q <= 1 - 0.02425) {
    double u = q - 0.5, r = u * u;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    double r = sqrt(-2 * log1p(-q));
    x = -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
        ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  }
  /* Halley: e = Phi(x) - q, with Phi(x) = erfc(-x / sqrt 2) / 2. */
  double e = 0.5 * erfc(-x / M_SQRT2) - q;
  double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
  x = x - u / (1 + x * u / 2);
  return -x;
}

/* The largest of n standard normal draws from one uniform: its CDF is Phi(z)^n, so z = Phi^-1(U^(1/n)), taken
 * through the upper tail 1 - U^(1/n) = -expm1(ln U / n). */
static double
max_normal(TsRng *rng, double n)
{
  double q = -expm1(log(ts_rng_uniform(rng)) / n);
  if (!(q > 0)) /* U = 1 exactly: the largest representable tail */
    q = DBL_MIN;
  if (q >= 1)
    q = 1 - DBL_EPSILON;
  return upper_quantile(q);
}

double
ts_stragglers_sample_max(TsRng *rng, guint nodes, guint slow, double slowdown, double jitter)
{
  if (nodes == 0)
    return 1.0;
  if (slow > nodes)
    slow = nodes;
  double s = slow > 0 && slowdown > 1 ? slowdown : 1.0;
  if (!(jitter > 0))
    return s;
  double n_slow = s > 1 ? (double) slow : 0.0, n_fast = (double) nodes - n_slow;
  double h = jitter * jitter / 2, m = 0;
  /* Two draws per step, always in this order (one per group, even an empty one), so a run's stream advances
   * the same way whatever the groups' sizes. */
  double z_fast = max_normal(rng, n_fast > 0 ? n_fast : 1), z_slow = max_normal(rng, n_slow > 0 ? n_slow : 1);
  if (n_fast > 0)
    m = exp(jitter * z_fast - h);
  if (n_slow > 0)
    m = MAX(m, s * exp(jitter * z_slow - h));
  return m;
}
