/* The expected slowest of N nodes (stragglers.h).  The integral runs over u = ln x, where the integrand
 * (1 - F(e^u)) e^u is smooth: below u_lo every node's factor is above e^u with probability 1 to double precision,
 * so that part is e^u_lo exactly; above u_hi the largest factor is below e^u with the same certainty. */
#include "run/stragglers.h"

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
