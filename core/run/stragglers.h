/* Stragglers (issue 19, item 2): a synchronous step waits for the slowest node.  A node's device work takes its
 * factor times as long: `slowdown` on the slow nodes, 1 elsewhere, times a lognormal jitter drawn per node and per
 * step (mean 1, `jitter` the standard deviation of its logarithm).  The step's device work then takes the largest
 * factor of the N nodes; over many steps, its expectation (docs/model.md, "Stragglers"). */
#ifndef TS_STRAGGLERS_H
#define TS_STRAGGLERS_H

#include <glib.h>

#include "run/rng.h"

/* E[max of the nodes' factors] with `slow` of `nodes` nodes at `slowdown` (>= 1) and lognormal jitter of log-sd
 * `jitter` (>= 0), exactly where it is closed-form (no jitter: `slowdown` if any node is slow, else 1) and by
 * numerical integration of the order statistic otherwise: E[M] = integral over x > 0 of 1 - F(x), with
 * F(x) = Phi(a(x))^(nodes - slow) Phi(a(x / slowdown))^slow and a(y) = (ln y + jitter^2 / 2) / jitter. */
double ts_stragglers_expected_max(guint nodes, guint slow, double slowdown, double jitter);

/* The slow nodes a fraction of `nodes` names: the nearest whole number (half up). */
guint ts_stragglers_slow_nodes(guint nodes, double fraction);

/* One step's largest factor of the nodes, drawn from `rng` (the step-by-step mode, docs/model.md "Stragglers"):
 * distributed exactly as the maximum of the nodes' factors, in O(1) whatever the node count (the largest of n
 * standard normals by inversion of Phi^n), two uniforms per step. */
double ts_stragglers_sample_max(TsRng *rng, guint nodes, guint slow, double slowdown, double jitter);

#endif
