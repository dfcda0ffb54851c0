/* The one range trainsim gives for a run's wall time and cost (docs/outputs.md, "Quantiles"): the model's error
 * band as a log-normal factor on the modelled (training) time, combined with the failure and preemption draws
 * of a replica set (each draw equally likely), read off at P10, P50 and P90. */
#ifndef TS_QUANTILES_H
#define TS_QUANTILES_H

#include <glib.h>

#include "run/run.h"

/* The percentiles every range reports, in order: P10, P50, P90. */
extern const double ts_quantile_levels[TS_QUANTILE_COUNT];

/* One draw: a run under one seed. */
typedef struct {
  double time_s;     /* its wall time */
  double cost_usd;   /* its cost (NaN when unknown) */
  double modelled_s; /* the part of time_s the error band applies to: the training phases' wall time */
} TsDraw;


/* The draw a finished run is. */
TsDraw ts_draw_from_results(const TsResults *results);

/* The combined quantiles of n draws under an error band of median |error| band_error (<= 0 or NaN: unknown,
 * q->known FALSE and the quantiles the draws' alone).  Deterministic: the mixture's distribution function is inverted by bisection. */
void ts_quantiles_combine(const TsDraw *draws, guint n, double band_error, TsQuantiles *q);

#endif
