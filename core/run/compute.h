/* The device work of one training step from the model's operation list (issue #12; docs/model.md,
 * "Operator-level model"): train.c's step time asks for it when the model names an architecture; a model
 * given only as model{params, flops, activations} keeps the aggregate terms of train.c. */
#ifndef TS_RUN_COMPUTE_H
#define TS_RUN_COMPUTE_H

#include "run/run.h"

/* One step's operations on one device, summed over its micro-batches. */
typedef struct {
  double products;      /* s: the products (matmul, attention) */
  double attention;     /* s: of which the attention cores (the window ring attention's exchange hides under) */
  double memory_ops;    /* s: the memory-bound kinds (norm, elementwise, softmax, pool, embedding) */
  double compute_bound; /* s: the operations whose arithmetic is the larger side of the roofline */
  double memory_bound;  /* s: those whose memory traffic is */
  double launches;      /* kernel launches (fused memory-bound ones left out) */
  double launch_exposed; /* s: the host's launch time (launches x launch_s) beyond the list's device time */
  double flops;         /* the operations' FLOPs (for the tests and the docs' hand checks) */
  double bytes;         /* and their bytes as they reach the device (after fusion) */
  guint ops;            /* operations in the list */
} TsStepOps;

/* What the step's operations are computed for. */
typedef struct {
  const TsTrainSpec *spec;
  TsDevice *device;
  double micro;     /* samples per micro-batch on one data-parallel replica (views not included) */
  guint n_micro;    /* micro-batches per step */
  double recompute; /* fraction of the layers recomputed in the backward pass */
  double fusion;    /* the stack's: fraction of the fusible memory-bound bytes and launches left */
  double launch_s;  /* the stack's host cost per kernel launch */
  gboolean forward_only; /* an evaluation pass: the forward launches alone, each sample seen once (no views) */
} TsStepOpsQuery;

/* Lists the model's operations for one micro-batch (ts_model_ops_append, with the spec's splits and
 * precision) and sends each through the device's operation call (ts_device_operation_time).  FALSE with an
 * error when the list cannot be made or the device refuses an operation. */
gboolean ts_step_ops_compute(const TsStepOpsQuery *q, TsStepOps *out, GError **error);

#endif
