/* The step time and device memory of one training layout, nothing scheduled: what `trainsim plan` asks of
 * each of the many layouts it searches.  The same functions cost a training's steps (ts_run_train), so an
 * estimate equals the step and memory a run of that layout reports (/run/estimate-agrees). */
#ifndef TS_RUN_ESTIMATE_H
#define TS_RUN_ESTIMATE_H

#include "run/run.h"

typedef enum {
  TS_STEP_BOUND_DEVICES, /* the devices' step */
  TS_STEP_BOUND_INPUT,   /* the host CPUs' input pipeline is slower */
  TS_STEP_BOUND_STORAGE  /* reading the samples from storage is slower */
} TsStepBound;

typedef struct {
  gboolean fits;                /* in device memory (recomputing as the spec asks, "auto" included) */
  double device_memory_bytes;   /* per device */
  double device_capacity_bytes; /* per device; 0: not known (then it fits) */
  double recompute;             /* fraction of the layers recomputed in the backward pass */
  guint data_parallel;          /* replicas: devices / (tensor x pipeline x context) */
  double micro_batch;           /* samples per micro-batch per replica */
  guint micro_batches;          /* per replica per step */
  /* Of one step at the spec's batch; NaN (and the terms untouched, 0) when the layout does not fit. */
  double step_s;                /* the devices' step, bounded below by the input pipeline and storage */
  TsStepBreakdown step;         /* its terms; NaN where the plugin does not model a collective */
  gboolean collectives_modelled; /* FALSE: some terms are NaN and step_s leaves them out */
  TsStepBound bound;
  double samples_per_s;         /* useful samples (padding excluded) */
  double mfu;                   /* model FLOPs utilisation; 0 when the device's peak is not known */
} TsTrainEstimate;

/* Estimate the layout of `spec` on the run's cluster (ts_run_set_cluster first).  A batch ramp is costed at its
 * final batch.  The run is left as it was: no diagnostic, no result, nothing scheduled.  FALSE with
 * TS_ERROR_SCENARIO when the layout is not valid on the cluster (the message says why), or with the plugin's
 * error when it cannot time an operation. */
gboolean ts_train_estimate(TsRun *run, const TsTrainSpec *spec, TsTrainEstimate *out, GError **error);

#endif
