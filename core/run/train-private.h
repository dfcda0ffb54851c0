/* Training internals shared by the files of the training: train.c (the state machine on the engine),
 * train-setup.c (ts_run_train: the layout, its schedule and results), train-memory.c (device and host memory),
 * train-step.c (the step time), train-input.c (input- and storage-bound steps), train-checkpoint.c and
 * train-failure.c; estimate.c costs one layout with the same functions, nothing scheduled. */
#ifndef TS_TRAIN_PRIVATE_H
#define TS_TRAIN_PRIVATE_H

#include "run/estimate.h"
#include "run/run-private.h"

typedef enum { STATE_STEPS, STATE_CHECKPOINT, STATE_EVAL, STATE_RESTART } TrainState;

/* Costing one step of a layout: what a training and an estimate (estimate.c) share. */
typedef struct {
  TsRun *run;
  const TsTrainSpec *spec;      /* parallel degrees at least 1 (normalize_spec) */
  const char *where;
  double recompute;             /* fraction of the layers recomputed in the backward pass: 0, 1, or in between */
  TsStackConstants stack;       /* the run's software stack on this device (stack.h) */
  gboolean quiet;               /* no input or storage diagnostics: an earlier segment of a batch ramp, an estimate */
  gboolean warned_not_modelled; /* the collective-not-modelled diagnostic was given (an estimate gives none) */
  TsStepBreakdown step;         /* the terms of the step costed last */
  double straggler_factor;      /* the expected slowest node's factor on the device work (stragglers.h); 0 or 1: none */
  TsDevice *device;             /* the device the operations run on; NULL: the run's (another generation's: mixed) */
  TsStepBound bound;            /* what sets its time (named in the results by train-setup.c) */
  double device_step;           /* the step costed last on the devices alone, before the input and storage bounds */
} StepCost;

typedef struct {
  TsRun *run;
  TsTrainSpec spec;
  char *where;
  TsRunDone done;
  void *data;

  TsTime step_ticks, ckpt_ticks, eval_ticks, restart_ticks;
  guint64 total_steps, steps_per_epoch, ckpt_every, eval_every;
  double ckpt_bytes;   /* one checkpoint, whole model */
  double ckpt_share;   /* bytes of it on the run's storage (per host on disks) */
  double job_mtbf_s;   /* 0: no failures */
  double node_share;   /* of the failures, the fraction that are a device's (the rest preemptions) */
  guint spares_free;   /* spare nodes ready (spares and repair) */
  GArray *repairs;     /* TsTime: when each node out for repair is back, ascending */

  guint64 done_steps;      /* progress, committed or not */
  guint64 committed_steps; /* at the last committed checkpoint */
  guint ckpt_index;
  GArray *kept;            /* guint indices of checkpoints on storage */
  guint evals;
  TsTime eval_done_ticks; /* completed evaluation passes of this training */
  double eval_base_s;     /* results.eval_time_s of the trainings before this one */

  TrainState state;
  TsTime state_start;
  guint64 seg_steps;
  TsEventId event;
  TsTime next_failure;
  guint fruitless_failures;     /* failures in a row with no checkpoint committed between them */
  guint64 committed_at_failure; /* committed_steps at the last failure */
  TsEventId async_event;
  guint64 async_steps;
  TsTime phase_start;
  Meter *meter;
  gboolean started, finished;
  StepCost cost; /* the step, its recomputation and stack */
  /* Segments of identical steps: one, or a batch ramp's.  Segment i ends after seg_end[i] steps in all. */
  guint n_seg;
  guint64 seg_end[TS_RAMP_MAX];
  TsTime seg_ticks[TS_RAMP_MAX];
  double seg_samples;   /* samples (sequences, padding included) the planned steps go through */
  TsTime planned_ticks; /* all planned steps, failure-free */
  /* Stragglers step by step (mode "sampled", docs/model.md "Stragglers"): a step of segment i takes
   * max(seg_nominal_s[i] + (M - 1) x seg_work_s[i], seg_floor_s[i]) with M its nodes' largest factor, drawn from
   * the run's stragglers stream; otherwise every step is seg_ticks[i] (the expectation). */
  gboolean sampled;
  guint strag_nodes, strag_slow;
  double strag_slowdown, strag_scale; /* a step's factor is strag_scale x the largest node's (mixed generations) */
  TsDeviceRecord mixed_record;        /* the other generation's device (mixed), as its TsDevice sees it */
  TsDevice *mixed_device;             /* NULL: one generation */
  double seg_nominal_s[TS_RAMP_MAX], seg_work_s[TS_RAMP_MAX], seg_floor_s[TS_RAMP_MAX];
  TsRng seg_rng;          /* the stream at the running segment's first step: train_close replays it */
  TsTime seg_total;       /* the running segment's drawn ticks */
  double seg_factor_sum;  /* and its steps' factors, summed */
  TsTime done_ticks, committed_ticks, async_ticks;       /* drawn ticks of the steps done, committed, snapshotted */
  double done_factors, committed_factors, async_factors; /* their factors, summed */
} Train;

/* A count of steps from a double (epochs x steps per epoch, tokens / tokens per step): NaN and
 * negatives give 0, and anything past 2^63 is capped there (no run that long fits in simulated time
 * anyway) instead of making the conversion undefined. */
static inline guint64
count_of(double v)
{
  if (!(v > 0))
    return 0;
  return v >= 9223372036854775808.0 ? (guint64) G_MAXINT64 : (guint64) v;
}

/* ---- train-memory.c ---- */

typedef struct {
  double state;          /* weights, master copy, gradients, optimizer state on one device */
  double act_per_sample; /* activation bytes per sample of micro-batch on one device */
  double host_per_sample; /* of those, what a remat policy offloads to host memory (not in act_per_sample) */
  double reserved;
  double total;
} Memory;

double optimizer_state_bytes(const char *optimizer);
gboolean below_fp32(TsPrecision p);
void device_params(const TsTrainSpec *s, const TsModel *m, double *dense, double *experts);
void zero_groups(const TsTrainSpec *s, guint dp, double *dense, double *experts);
/* Device memory of a layout at micro-batch `micro`, with the spec's recomputation (*recompute: the fraction
 * chosen); TRUE when recompute = "auto" recomputes part of the layers to fit. */
gboolean layout_memory(const TsTrainSpec *s, const TsMachineGroup *a, guint dp, double micro, double *recompute,
                       Memory *mem);
/* Diagnostics and error of a layout that does not fit in device memory. */
void report_device_oom(TsRun *run, const TsTrainSpec *s, const char *where, guint dp, guint n_micro,
                       const Memory *mem, GError **error);
/* Host memory of the input pipeline; FALSE (infeasible, diagnosed) when it does not fit. */
gboolean check_host_memory(TsRun *run, const TsTrainSpec *s, const char *where, double offloaded, GError **error);

/* ---- train-step.c, train-input.c ---- */

/* The devices' step time at one micro-batch size, its terms in c->step. */
gboolean step_time(StepCost *c, guint dp, double micro, guint n_micro, double *seconds, GError **error);
/* One step's time at the spec's batch: the devices' step, bounded below by the input pipeline and storage. */
gboolean batch_step(StepCost *c, guint dp, double micro, guint n_micro, double *step, GError **error);
/* The tensor-, context- and expert-parallel collectives of one evaluation micro-batch: the forward pass's share of
 * a training micro-batch's (no recomputation), hidden as the step hides them under `attention` and `products`,
 * that micro-batch's forward attention cores and other products. */
gboolean eval_collectives(StepCost *c, double micro, double attention, double products, double *seconds,
                          GError **error);
void input_bound(StepCost *c, double *step);
void storage_bound(StepCost *c, double *step);

/* ---- train-setup.c ---- */

/* Parallel degrees left 0 become 1; a padding out of range is an error. */
gboolean normalize_spec(TsTrainSpec *s, const char *where, GError **error);
/* The layout on the cluster's devices: data-parallel replicas, micro-batch and micro-batches per step. */
gboolean check_layout(const TsTrainSpec *s, const TsMachineGroup *a, const char *where, guint *dp,
                      guint *model_parallel, double *micro, guint *n_micro, GError **error);

/* ---- train.c, train-checkpoint.c, train-failure.c ---- */

void arm(Train *t, TrainState state, TsTime duration);
void train_next(Train *t);
gboolean commit_checkpoint(Train *t, guint64 steps);
/* Step by step: one step of segment `seg` drawn from `rng` (its ticks; *factor: its largest node factor). */
TsTime sampled_step(const Train *t, guint seg, TsRng *rng, double *factor);
void async_commit(TsEngine *engine, void *data);
void checkpoint_advice(Train *t, double step_s);
gboolean spot_preemption(Train *t, const char *where, double *rate);
double expected_failures(const Train *t, double step_s);
void on_failure(Train *t);

#endif
