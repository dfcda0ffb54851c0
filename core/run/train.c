/* Training: device memory, the step time, and the run of steps with checkpoints, evaluations, failures and
 * restarts, as a state machine on the engine.  Identical steps between two boundaries (a checkpoint, an
 * evaluation, a failure) are one event: k steps take exactly k × step ticks, so the result equals stepping
 * them one by one (TsRunInfo.step_events, used by the tests, does exactly that).  docs/model.md, "Run model". */
#include "run/run-private.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

typedef enum { STATE_STEPS, STATE_CHECKPOINT, STATE_EVAL, STATE_RESTART } TrainState;

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
  TsMeter *meter;
  gboolean started, finished;
  double recompute; /* fraction of the layers recomputed in the backward pass: 0, 1, or in between (auto) */
  TsStackConstants stack; /* the run's software stack on this device (stack.h) */
  gboolean warned_not_modelled; /* the collective-not-modelled diagnostic was given */
  gboolean quiet;               /* costing an earlier segment of a batch ramp: no diagnostics */
  /* Segments of identical steps: one, or a batch ramp's.  Segment i ends after seg_end[i] steps in all. */
  guint n_seg;
  guint64 seg_end[TS_RAMP_MAX];
  TsTime seg_ticks[TS_RAMP_MAX];
  double seg_samples;   /* samples (sequences, padding included) the planned steps go through */
  TsTime planned_ticks; /* all planned steps, failure-free */
} Train;

static void train_next(Train *t);
static guint64 count_of(double v);

/* The segment of identical steps that step `done` (counted from 0) belongs to. */
static guint
segment_of(const Train *t, guint64 done)
{
  guint i = 0;
  while (i + 1 < t->n_seg && done >= t->seg_end[i])
    i++;
  return i;
}

void
ts_train_free(gpointer p)
{
  Train *t = p;
  g_free(t->spec.optimizer);
  g_free(t->where);
  if (t->kept)
    g_array_unref(t->kept);
  g_free(t);
}

/* Bytes per parameter of optimizer state (fp32): SGD none, momentum and LARS one buffer, Adam/AdamW/LAMB
 * two (ZeRO paper, arXiv 1910.02054, §3.1). */
static double
optimizer_state_bytes(const char *optimizer)
{
  if (g_strcmp0(optimizer, "adam") == 0 || g_strcmp0(optimizer, "adamw") == 0 || g_strcmp0(optimizer, "lamb") == 0)
    return 8.0;
  if (g_strcmp0(optimizer, "sgd") == 0)
    return 0.0;
  return 4.0;
}

static gboolean
is_16bit(TsPrecision p)
{
  return p == TS_PRECISION_FP16 || p == TS_PRECISION_BF16 || p == TS_PRECISION_FP8 || p == TS_PRECISION_INT8;
}

/* ---- memory ----------------------------------------------------------------------------------- */

typedef struct {
  double state;       /* weights, master copy, gradients, optimizer state on one device */
  double act_per_sample; /* activation bytes per sample of micro-batch on one device */
  double reserved;
  double total;
} Memory;

/* Full recomputation keeps only each layer's input: 2 of the 34 bytes per element of a transformer layer's
 * activations (Korthikanti et al. 2022). */
#define RECOMPUTE_KEPT (2.0 / 34.0)

/* Of a transformer layer's 34 bytes per element (Korthikanti et al. 2022, eq. 1 without the a·s/h term), tensor
 * parallelism splits the 24 inside the attention and MLP blocks over the t ranks; the 10 of the layer norms,
 * dropouts and the blocks' inputs stay whole on every rank (eq. 2: s·b·h·(10 + 24/t)).  Sequence parallelism
 * splits those along the sequence too (eq. 3: 34/t).  Full recomputation keeps the layer's input, 2 bytes: whole
 * on every rank without sequence parallelism, split with it (their Table 2). */
#define TP_REPLICATED (10.0 / 34.0)

/* The share of the model's activation bytes one tensor rank keeps, with a fraction f of the layers recomputed.
 * Convolutional models keep the plain 1/t split (their layers are not tensor-parallel in Megatron's way). */
static double
activation_share(const TsTrainSpec *s, const TsModel *m, double f)
{
  double t = s->tp;
  if (m->workload != TS_WORKLOAD_TRANSFORMER || s->tp <= 1 || s->sequence_parallel)
    return (1.0 - f * (1.0 - RECOMPUTE_KEPT)) / t;
  double kept = TP_REPLICATED + (1.0 - TP_REPLICATED) / t;
  return (1.0 - f) * kept + f * RECOMPUTE_KEPT;
}

/* A decoded training image: the 224 x 224 crop with 3 channels in float32, as torchvision's ToTensor and
 * Normalize hand it to the model (ResNet's and ViT's ImageNet training resolution). */
#define DECODED_IMAGE_BYTES (224.0 * 224.0 * 3.0 * 4.0)

/* The parameters one device holds, in two parts.  The dense part (attention, embeddings, router, norms, dense
 * and shared-expert FFNs) is split over the tensor x pipeline ranks.  The routed experts are split over the
 * expert-parallel ranks too: each holds experts/ep of every MoE layer, each expert itself split over the
 * tensor ranks (Megatron-Core's expert-tensor-parallel size defaults to the tensor-parallel size; its shared
 * experts "are not distributed but replicated in EP ranks", megatron/core/transformer/moe/README.md). */
static void
device_params(const TsTrainSpec *s, const TsModel *m, double *dense, double *experts)
{
  double shard = (double) s->tp * s->pp;
  double e = m->experts > 1 ? m->expert_params : 0.0;
  *dense = (m->params - e) / shard;
  *experts = e / (shard * s->ep);
}

/* The ranks over which ZeRO shards a device's state: the data-parallel ranks (or the hybrid-sharding group of
 * shard_group of them) for the dense part; for the experts, those of them that hold the same experts -- the
 * dp/ep "expert data-parallel" ranks of DeepSpeed-MoE (Rajbhandari et al. 2022, sec. 5) and Megatron-Core.
 * Expert-parallel groups are ep consecutive data-parallel ranks (Megatron-Core's tp-cp-ep-dp-pp order), so a
 * hybrid-sharding group of g ranks holds at least floor(g / ep) copies of each expert: the device with the
 * fewest copies has the most state, and that is the one that must fit. */
static void
zero_groups(const TsTrainSpec *s, guint dp, double *dense, double *experts)
{
  guint group = s->shard_group > 0 ? s->shard_group : dp;
  *dense = group;
  *experts = MAX(1u, group / s->ep);
}

static void
device_memory(const TsTrainSpec *s, const TsModel *m, const TsAccelerator *a, guint dp, double micro,
              double recompute, Memory *mem)
{
  double dense, experts, dense_group, expert_group;
  device_params(s, m, &dense, &experts);
  zero_groups(s, dp, &dense_group, &expert_group);
  gboolean half = is_16bit(s->precision);
  double weights = half ? 2.0 : 4.0, master = half ? 4.0 : 0.0;
  double grads = s->grad_bytes > 0 ? s->grad_bytes : half ? 2.0 : 4.0;
  double opt = optimizer_state_bytes(s->optimizer);
  /* ZeRO: stage 1 shards optimizer state (and master copy) over data-parallel ranks, 2 also gradients, 3 also
   * weights (Rajbhandari et al. 2020); the dense part over dense_group ranks, the experts over expert_group. */
  mem->state = 0;
  const double parts[2][2] = {{dense, dense_group}, {experts, expert_group}};
  for (int i = 0; i < 2; i++) {
    double n = parts[i][1], w = weights, ms = master, g = grads, o = opt;
    if (s->zero >= 1)
      o = (o + ms) / n, ms = 0;
    if (s->zero >= 2)
      g /= n;
    if (s->zero >= 3)
      w /= n;
    mem->state += parts[i][0] * (w + ms + g + o);
  }
  /* Activations: the model's bytes per sample at 16 bits (x2 at fp32), a tensor rank's share of them
   * (activation_share: sequence parallelism, recomputation), split over pipeline-parallel ranks and the
   * context-parallel split of the sequence; 1F1B keeps up to pp micro-batches in flight on the first stage. */
  double act = m->activations * (half ? 1.0 : 2.0) * s->views * activation_share(s, m, recompute) /
               ((double) s->pp * s->cp);
  double in_flight = s->pp > 1 ? s->pp : 1;
  mem->act_per_sample = act * in_flight;
  mem->reserved = a->record->spec.runtime_reserved_bytes;
  mem->total = mem->state + mem->act_per_sample * micro + mem->reserved;
}

/* ---- step time -------------------------------------------------------------------------------- */

/* Step terms whose collective the plugin does not model (bits of `missing`): reported as null, never 0 s. */
enum { MISSING_TP = 1, MISSING_CP = 2, MISSING_MOE = 4, MISSING_DP = 8 };

/* A collective's time; one the plugin does not model counts 0 in the sum and sets `bit` in *missing. */
static gboolean
collective(TsRun *run, TsCollectiveKind kind, guint n, guint per_node, const guint dims[3], double bytes, double *t,
           guint *missing, guint bit, GError **error)
{
  TsCollective c;
  ts_collective_init(&c);
  c.kind = kind;
  c.participants = n;
  c.per_node = per_node;
  if (dims != NULL) {
    memcpy(c.dims, dims, sizeof c.dims);
    c.mesh_dims = run->cluster->accel.mesh_dims;
  }
  c.bytes = bytes;
  if (!ts_device_collective_time(run->device, &c, t, error))
    return FALSE;
  if (isnan(*t)) {
    *missing |= bit;
    *t = 0;
  }
  return TRUE;
}

/* One operation of the step through the device-side operation call (ABI 2.0): the plugin answers what an
 * operation of this kind achieves on the device, or the host's roofline does (docs/plugin-abi.md).  Launch
 * costs are the stack's, added by the caller (launch_s x count); a fusible memory-bound operation reaches the
 * device with the bytes the stack's fusion leaves (docs/model.md, "Stack constants"). */
static gboolean
operation(Train *t, const char *kind, const char *precision, double flops, double bytes, double count, double m,
          double n, double k, double batch, double *seconds, GError **error)
{
  TsOperation op;
  ts_operation_init(&op);
  op.kind = kind;
  op.precision = precision;
  op.workload = ts_workload_get_name(t->spec.model->workload);
  op.stack = ts_stack_get_name(t->spec.stack);
  op.flops = flops;
  op.bytes = bytes;
  op.count = count;
  op.m = m;
  op.n = n;
  op.k = k;
  op.batch = batch;
  gboolean by_plugin;
  return ts_device_operation_time(t->run->device, &op, seconds, &by_plugin, error);
}

/* Gradient reduction of `params` parameters per device over the `replicas` ranks that hold the same ones,
 * per_node of them in one host (or slice).  ZeRO stage 3 instead gathers the weights before each micro-batch's
 * forward and again before its backward pass and reduce-scatters its gradients (Rajbhandari et al. 2020,
 * §7.2.2: 1.5x the all-reduce volume, per micro-batch because the gathered weights are freed after use).
 * Hybrid sharding: ZeRO-3's gathers and scatters stay inside a group of `group` ranks, the first ranks of a host
 * or slice; once per step each rank then all-reduces its 1/group share of the gradients with the ranks holding
 * the same share in the other groups -- the inter-node (or inter-slice) part of a hierarchical all-reduce (Zhang
 * et al. 2022, MiCS; PyTorch HSDP; MaxText's ici_fsdp x dcn_data axes). */
static gboolean
reduce_gradients(TsRun *run, const TsTrainSpec *s, double params, guint replicas, guint per_node, guint group,
                 const guint *dims, guint n_micro, double *seconds, guint *missing, GError **error)
{
  *seconds = 0;
  if (replicas <= 1 || params <= 0)
    return TRUE;
  gboolean half = is_16bit(s->precision);
  double bytes = params * (half ? 2.0 : 4.0);
  double gbytes = params * (s->grad_bytes > 0 ? s->grad_bytes : half ? 2.0 : 4.0);
  per_node = MIN(per_node, replicas);
  group = MIN(group, replicas);
  if (s->zero < 3)
    return collective(run, TS_COLLECTIVE_ALL_REDUCE, replicas, per_node, dims, gbytes, seconds, missing, MISSING_DP,
                      error);
  guint groups = replicas / group;
  double gather, scatter, across = 0;
  guint in_node = MIN(per_node, group);
  if (!collective(run, TS_COLLECTIVE_ALL_GATHER, group, in_node, dims, bytes, &gather, missing, MISSING_DP, error) ||
      !collective(run, TS_COLLECTIVE_REDUCE_SCATTER, group, in_node, dims, gbytes, &scatter, missing, MISSING_DP,
                  error))
    return FALSE;
  if (groups > 1 && !collective(run, TS_COLLECTIVE_ALL_REDUCE, groups, MAX(1u, per_node / group), dims,
                                gbytes / group, &across, missing, MISSING_DP, error))
    return FALSE;
  *seconds = (2.0 * gather + scatter) * n_micro + across;
  return TRUE;
}

/* The step time, and its terms in run->results.step. */
static gboolean
step_time(Train *t, guint dp, double micro, guint n_micro, double *seconds, GError **error)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  const TsModel *m = s->model;
  const TsAccelerator *a = &run->cluster->accel;
  gboolean half = is_16bit(s->precision);
  double per_device = (double) s->batch / a->devices;
  /* A model's forward FLOPs per sample already follow its active parameters (models.gpt counts 2 x N_active per
   * token): they are not scaled by active / params again, which counted a mixture of experts' FLOPs twice as sparse. */

  guint missing = 0;
  const char *precision = ts_precision_get_name(s->precision);
  /* The model's products (dense layers, convolutions as implicit GEMM), forward + backward = 3 x forward (+1
   * forward with full recomputation), as one "matmul" operation per layer; shape of one layer's product for a
   * transformer: micro-batch tokens x width x width. */
  double flops = (3.0 + t->recompute) * m->flops * per_device * s->views;
  /* Weights are read by the matrix units (forward, backward for activations, backward for weights): that
   * traffic overlaps the arithmetic, so it only matters when it is the larger of the two (the roofline). */
  double dense_params, expert_params; /* on this device (device_params) */
  device_params(s, m, &dense_params, &expert_params);
  double weight_bytes = 3.0 * (dense_params + expert_params) * (half ? 2.0 : 4.0) * n_micro;
  double layers = m->layers > 0 ? m->layers : 1;
  double tokens = m->workload == TS_WORKLOAD_TRANSFORMER && m->seq > 0 ? micro * m->seq : 0;
  double t_compute;
  if (!operation(t, "matmul", precision, flops, weight_bytes, layers * n_micro, tokens, m->width, m->width,
                 micro * s->views, &t_compute, error))
    return FALSE;
  /* The activations kept for the backward pass are written by the forward pass and read back by the
   * backward pass through the element-wise layers (normalisation, activation functions, residual adds),
   * which run between the matrix products rather than under them: this traffic adds to the compute time at
   * the device's memory bandwidth.  Twice the stored bytes is the least such traffic; fp32 activations are
   * twice the bytes of 16-bit ones, which is why fp32 training runs slower even where the matrix units
   * multiply in bf16 either way (TPU).  Full recomputation writes them a second time.  A device's share is
   * that of its samples (per_device already divides by the tensor, pipeline and context ranks). */
  double act_bytes = (2.0 + t->recompute) * m->activations * (half ? 1.0 : 2.0) * s->views * per_device;
  /* The element-wise layers are what a graph compiler fuses into the neighbouring products: the stack's fusion
   * is the fraction of these bytes still moved (eager: all of them). */
  act_bytes *= t->stack.fusion;
  double t_act;
  if (!operation(t, "elementwise", precision, 0, act_bytes, layers * n_micro, 0, 0, 0, micro * s->views, &t_act,
                 error))
    return FALSE;
  /* Kernel launches and their host-side cost (the stack's launch_s each): the products and the element-wise
   * layers of every layer and micro-batch, and the optimizer's one. */
  double launches = 2.0 * layers * n_micro + 1.0;
  double t_launch = t->stack.launch_s * launches;

  /* Tensor parallelism: 4 all-reduces of the layer's activations per layer per micro-batch (2 forward, 2
   * backward; Shoeybi et al. 2019), 6 with full recomputation, whose second forward pass repeats its two
   * (Korthikanti et al. 2022, §4).  Sequence parallelism turns each all-reduce into an all-gather and a
   * reduce-scatter of the same tensor, the same volume (their §4.2.2).  tp_overlap is the fraction of this
   * traffic hidden under the layer's compute (communication split into chunks and pipelined with the
   * products, as Megatron-LM's --tp-comm-overlap does); the rest adds to the step. */
  double t_tp = 0;
  if (s->tp > 1 && m->layers > 0 && m->width > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double bytes = micro * seq * m->width * (half ? 2.0 : 4.0);
    double one;
    guint tp_node = MIN(s->tp, a->per_node);
    if (s->sequence_parallel) {
      double gather, scatter;
      if (!collective(run, TS_COLLECTIVE_ALL_GATHER, s->tp, tp_node, NULL, bytes, &gather, &missing, MISSING_TP,
                      error) ||
          !collective(run, TS_COLLECTIVE_REDUCE_SCATTER, s->tp, tp_node, NULL, bytes, &scatter, &missing, MISSING_TP,
                      error))
        return FALSE;
      one = gather + scatter;
    } else if (!collective(run, TS_COLLECTIVE_ALL_REDUCE, s->tp, tp_node, NULL, bytes, &one, &missing, MISSING_TP,
                           error)) {
      return FALSE;
    }
    t_tp = (4.0 + 2.0 * t->recompute) * one * (double) m->layers / s->pp * n_micro * (1.0 - s->tp_overlap);
  }
  /* Context parallelism (ring attention): each layer all-gathers the keys and values of the other sequence
   * chunks, forward, and all-gathers them again and reduce-scatters their gradients, backward -- 3
   * collectives of 2 x micro x seq/cp x width x 2 bytes per rank, assumed not hidden behind attention
   * (Liu et al. 2023; the Llama 3 paper's all-gather-based variant, arXiv 2407.21783 §3.3.2). */
  double t_cp = 0;
  if (s->cp > 1 && m->layers > 0 && m->width > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double bytes = 2.0 * micro * seq / s->cp * m->width * (half ? 2.0 : 4.0);
    double one;
    guint per_node = MAX(1u, a->per_node / s->tp);
    if (!collective(run, TS_COLLECTIVE_ALL_GATHER, s->cp, MIN(per_node, s->cp), NULL, bytes, &one, &missing,
                    MISSING_CP, error))
      return FALSE;
    t_cp = 3.0 * one * (double) m->layers / s->pp * n_micro;
  }
  /* Mixture of experts with expert parallelism: each MoE layer dispatches its tokens to the ranks holding their
   * experts and combines the results back, an all-to-all each, forward and again backward (their gradients) --
   * 4 per MoE layer per micro-batch, 6 with full recomputation, whose second forward pass repeats its two.
   * Each rank sends every one of its tokens to its top-k experts: micro x seq/(cp x tp) tokens (Megatron-Core
   * requires sequence parallelism with tensor and expert parallelism, so the tensor ranks split the tokens) x
   * active_experts x width, at 16 bits (32 for fp32 training).  The expert-parallel group is ep consecutive
   * data-parallel ranks (tp-cp-ep-dp-pp order): inside a node while it fits in the node's per_node/(tp x cp)
   * data-parallel ranks, across nodes otherwise.  Not hidden behind compute. */
  double t_moe = 0;
  guint moe_layers = m->moe_layers > 0 ? m->moe_layers : m->layers;
  if (m->experts > 1 && s->ep > 1 && moe_layers > 0 && m->width > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double k = m->active_experts > 0 ? m->active_experts : 1;
    double bytes = micro * seq / ((double) s->cp * s->tp) * k * m->width * (half ? 2.0 : 4.0);
    guint in_node = MIN(s->ep, MAX(1u, a->per_node / (s->tp * s->cp)));
    double one;
    if (!collective(run, TS_COLLECTIVE_ALL_TO_ALL, s->ep, in_node, NULL, bytes, &one, &missing, MISSING_MOE, error))
      return FALSE;
    t_moe = (4.0 + 2.0 * t->recompute) * one * (double) moe_layers / s->pp * n_micro;
  }
  /* 1F1B pipeline bubble: (pp - 1) idle slots per n_micro micro-batches, each slot as long as one micro-
   * batch's forward and backward work on a stage, its tensor-, context- and expert-parallel traffic included;
   * the interleaved schedule with v stages per device divides it by v (Narayanan et al. 2021, §2.2.1 and
   * §2.2.2). */
  double per_micro_path = t_compute + t_act + (t_launch - t->stack.launch_s) + t_tp + t_cp + t_moe;
  double bubble = s->pp > 1 ? per_micro_path * (double) (s->pp - 1) / ((double) n_micro * s->vp) : 0.0;

  /* Data parallelism: gradients reduced once per step (fp32 for fp32 training, 16-bit otherwise) over the
   * data- and context-parallel ranks that hold the same weights, overlapped with the backward pass, which is
   * 2/3 of the compute, of which the stack's `overlap` fraction hides communication.  ZeRO stage 3 instead gathers the weights before each micro-batch's forward and
   * again before its backward pass and reduce-scatters its gradients (Rajbhandari et al. 2020, §7.2.2: 1.5x
   * the all-reduce volume, per micro-batch because the gathered weights are freed after use), prefetched
   * under the whole of the compute (times overlap). */
  double t_dp = 0, hiding = t_compute * 2.0 / 3.0;
  guint replicas = dp * s->cp;
  if (replicas > 1) {
    /* On TPUs the data-parallel ranks of one slice share its ICI torus; several slices (multislice) split
     * them evenly, and the plugin joins the slices over the data-centre network. */
    guint per_node = a->slice ? MAX(1u, (replicas + a->slices - 1) / MAX(1u, a->slices))
                              : MAX(1u, a->per_node / (s->tp * s->pp));
    per_node = MIN(per_node, replicas);
    const guint *dims = a->slice ? a->dims : NULL;
    guint group = s->shard_group > 0 ? MIN(replicas, s->shard_group * s->cp) : replicas;
    if (s->ep == 1) {
      if (!reduce_gradients(run, s, dense_params + expert_params, replicas, per_node, group, dims, n_micro, &t_dp,
                            &missing, error))
        return FALSE;
    } else {
      /* Expert parallelism: the dense part's gradients over all the replicas, each expert's over the replicas/ep
       * ranks that hold it -- every ep-th rank, so a node holds per_node/ep of them -- one after the other. */
      double t_experts;
      if (!reduce_gradients(run, s, dense_params, replicas, per_node, group, dims, n_micro, &t_dp, &missing,
                            error) ||
          !reduce_gradients(run, s, expert_params, replicas / s->ep, MAX(1u, per_node / s->ep),
                            MAX(1u, group / s->ep), dims, n_micro, &t_experts, &missing, error))
        return FALSE;
      t_dp += t_experts;
    }
    if (s->zero >= 3)
      hiding = t_compute;
  }
  hiding *= t->stack.overlap;
  double exposed = t_dp > hiding ? t_dp - hiding : 0.0;
  /* Optimizer update: read and write weights, master copy and state once per step. */
  double dense_group = 1, expert_group = 1;
  if (s->zero >= 1)
    zero_groups(s, dp, &dense_group, &expert_group);
  double per_param = (half ? 6.0 : 4.0) + optimizer_state_bytes(s->optimizer);
  double update_bytes = dense_params * 2.0 * per_param / dense_group + expert_params * 2.0 * per_param / expert_group;
  double t_update;
  if (!operation(t, "optimizer", "fp32", 0, update_bytes, 1, 0, 0, 0, 0, &t_update, error))
    return FALSE;
  double overhead = t->stack.overhead_s;
  *seconds = t_compute + t_act + t_launch + bubble + t_tp + t_cp + t_moe + exposed + t_update + overhead;
  run->results.step.context = t_cp;
  run->results.step.compute = t_compute;
  run->results.step.activations = t_act;
  run->results.step.bubble = bubble;
  run->results.step.tensor = t_tp;
  run->results.step.experts = t_moe;
  run->results.step.data_exposed = exposed;
  run->results.step.update = t_update;
  run->results.step.overhead = overhead;
  run->results.step.launch = t_launch;
  run->results.step.compute_bound = t_compute;
  run->results.step.memory_bound = t_act + t_update;
  if (missing) {
    /* Not modelled is null in the outputs, never 0 s; the step time above leaves those terms out, and says so. */
    if (missing & MISSING_TP)
      run->results.step.tensor = NAN;
    if (missing & MISSING_CP)
      run->results.step.context = NAN;
    if (missing & MISSING_MOE)
      run->results.step.experts = NAN;
    if (missing & MISSING_DP)
      run->results.step.data_exposed = NAN;
    if (!t->warned_not_modelled) {
      t->warned_not_modelled = TRUE;
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "collective-not-modelled",
                            "%s: plugin %s does not model the %s%s%s%s collectives of this run: those step terms are "
                            "null and the step time leaves them out", t->where, a->plugin->name,
                            missing & MISSING_TP ? "tensor-parallel " : "", missing & MISSING_CP ? "context-parallel " : "",
                            missing & MISSING_MOE ? "expert all-to-all " : "",
                            missing & MISSING_DP ? "data-parallel" : "");
    }
  }
  return TRUE;
}

/* A bandwidth as scenarios state it: decimal units ("20 MB/s"). */
static char *
format_rate(double bytes_per_s)
{
  if (bytes_per_s >= 1e9)
    return g_strdup_printf("%.3g GB/s", bytes_per_s / 1e9);
  if (bytes_per_s >= 1e6)
    return g_strdup_printf("%.3g MB/s", bytes_per_s / 1e6);
  return g_strdup_printf("%.3g kB/s", bytes_per_s / 1e3);
}

static void
set_bottleneck(TsRun *run, const char *what)
{
  g_free(run->results.bottleneck);
  run->results.bottleneck = g_strdup(what);
}

/* The input pipeline bounds the step from below: host CPUs decode and augment every view of every sample. */
static void
input_bound(Train *t, double *step)
{
  TsRun *run = t->run;
  const TsAccelerator *a = &run->cluster->accel;
  if (run->host_cpu == NULL || a->host_cores <= 0) {
    if (!t->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "input-not-modelled",
                          "%s: no host CPU given (host = {cpu = ..., sockets = ...}): the input pipeline is not modelled",
                          t->where);
    return;
  }
  TsInputWork iw;
  ts_input_work_init(&iw);
  iw.kind = t->spec.data->tokens ? TS_INPUT_TOKENS : TS_INPUT_IMAGES;
  iw.cores = t->spec.input_cores > 0 ? t->spec.input_cores : a->host_cores;
  double rate;
  g_autoptr(GError) error = NULL;
  if (!ts_device_input_rate(run->host_cpu, &iw, &rate, &error) || !(rate > 0)) {
    if (!t->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "input-not-modelled", "%s: %s", t->where,
                          error ? error->message : "no input rate");
    return;
  }
  double per_step = (double) t->spec.batch * t->spec.views * (1.0 - t->spec.padding); /* useful tokens only */
  if (t->spec.data->tokens && t->spec.model->seq > 0)
    per_step *= t->spec.model->seq;
  double input = per_step / (rate * (a->nodes ? a->nodes : 1));
  if (input > *step) {
    if (!t->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "input-bound",
                          "%s: input-bound: the host CPUs prepare a step in %.4g s, the devices compute it in %.4g s",
                          t->where, input, *step);
    *step = input;
    set_bottleneck(run, "host CPUs (input pipeline)");
  }
  run->results.step.input = input;
}

/* Reading the data bounds the step from below too: every sample of a step is read once (its views are
 * augmented from the one read) from the storage the dataset lives on -- the run's bucket or shared file
 * system, whose read bandwidth all hosts share, or else each host's local disk, which reads that host's share
 * of the batch.  A bucket holds the dataset as downloaded; a local disk its extracted files. */
static void
storage_bound(Train *t, double *step)
{
  TsRun *run = t->run;
  const TsAccelerator *a = &run->cluster->accel;
  const TsStorage *st = run->cluster->storage;
  const TsDataset *ds = t->spec.data;
  double nodes = a->nodes ? a->nodes : 1;
  double per_sample = ds->samples > 0 ? (st != NULL ? ds->bytes : ds->extracted) / (double) ds->samples : 0;
  double bytes, bw;
  g_autofree char *what = NULL;
  if (st != NULL) {
    bytes = (double) t->spec.batch * (1.0 - t->spec.padding) * per_sample; /* padding is not read */
    bw = st->read_bw;
    what = g_strdup_printf("%s read bandwidth", st->name);
  } else {
    bytes = (double) t->spec.batch * (1.0 - t->spec.padding) / nodes * per_sample;
    bw = a->disk_read_bandwidth;
    what = g_strdup("local disk read bandwidth");
  }
  if (!(bw > 0)) {
    if (!t->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "storage-not-modelled", "%s: the %s is not stated (%s): reading "
                          "the data is not modelled", t->where, what,
                          st != NULL ? "read = \"... GB/s\"" : "host = {disk_read = \"... GB/s\"}");
    return;
  }
  double read = bytes / bw;
  run->results.step.storage = read;
  if (read > *step) {
    g_autofree char *rate = format_rate(bw);
    g_autofree char *per = ts_format_bytes(bytes);
    if (!t->quiet)
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "storage-bound", "%s: storage-bound: the %s (%s) is the "
                          "bottleneck: a step reads %s%s in %.4g s, the %s it in %.4g s", t->where, what, rate, per,
                          st != NULL ? "" : " per host", read,
                          g_strcmp0(run->results.bottleneck, "devices") == 0 ? "devices compute" : "host CPUs prepare",
                          *step);
    *step = read;
    set_bottleneck(run, what);
  }
}

/* ---- checkpoints ------------------------------------------------------------------------------ */

static gboolean
commit_checkpoint(Train *t, guint64 steps)
{
  TsRun *run = t->run;
  t->committed_steps = steps;
  t->ckpt_index++;
  run->results.checkpoints++;
  g_array_append_val(t->kept, t->ckpt_index);
  /* Retention: the last keep_last, plus every keep_every-th forever; without it they pile up. */
  if (t->spec.keep_last > 0) {
    guint i = 0;
    while (t->kept->len - i > t->spec.keep_last) {
      guint idx = g_array_index(t->kept, guint, i);
      if (t->spec.keep_every > 0 && idx % t->spec.keep_every == 0)
        i++;
      else
        g_array_remove_index(t->kept, i);
    }
  }
  run->checkpoint_bytes_stored = t->kept->len * t->ckpt_share;
  g_autofree char *what = g_strdup_printf("%s: checkpoint %u (%u kept)", t->where, t->ckpt_index, t->kept->len);
  GError *error = NULL;
  if (!ts_run_set_stored(run, run->dataset_bytes + run->checkpoint_bytes_stored, what, &error)) {
    if (t->spec.keep_last == 0)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "retention", "%s: without retention every checkpoint is kept; "
                            "keep = N deletes older ones", t->where);
    ts_run_stop(run, error);
    return FALSE;
  }
  ts_run_emit_sample(run);
  return TRUE;
}

static void
async_commit(TsEngine *engine, void *data)
{
  (void) engine;
  Train *t = data;
  t->async_event = 0;
  commit_checkpoint(t, t->async_steps);
}

/* ---- checkpoint interval advice ----------------------------------------------------------------- */

/* Young's first-order optimum for the compute time between checkpoints, sqrt(2 x C x M) for a checkpoint
 * costing C and failures every M on average (Young 1974; Daly 2006, "A higher order estimate of the optimum
 * checkpoint interval", eq. 1); an interval off by more than a factor of two from it, or no checkpoint at all
 * with failures modelled, gets an info diagnostic with the interval that loses least. */
#define ADVICE_FACTOR 2.0

static void
checkpoint_advice(Train *t, double step_s)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  if (!(t->job_mtbf_s > 0) || !(step_s > 0) || s->ckpt_async)
    return;
  double mtbf = t->job_mtbf_s;
  g_autofree char *m = ts_format_duration(mtbf);
  if (!s->checkpoint) {
    double run_s = step_s * (double) t->total_steps;
    const GPtrArray *diags = run->diagnostics;
    for (guint i = 0; i < diags->len; i++) /* spot's own warning says it already */
      if (strcmp(((const TsDiagnostic *) g_ptr_array_index(diags, i))->code, "spot-without-checkpoints") == 0)
        return;
    if (run_s > mtbf / 10.0)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "checkpoint-interval", "%s: no checkpoints, with a failure "
                            "every %s on average: each failure restarts the training from its first step; "
                            "checkpoint = { every = ... } at Young/Daly's optimum, sqrt(2 x the write time x %s)",
                            t->where, m, m);
    return;
  }
  double c = ts_time_to_seconds(t->ckpt_ticks);
  if (!(c > 0) || t->ckpt_every == 0)
    return;
  double interval = step_s * (double) t->ckpt_every;
  double opt = sqrt(2.0 * c * mtbf);
  if (interval <= opt * ADVICE_FACTOR && interval >= opt / ADVICE_FACTOR)
    return;
  guint64 opt_steps = MAX((guint64) 1, count_of(round(opt / step_s)));
  g_autofree char *iv = ts_format_duration(interval);
  g_autofree char *op = ts_format_duration(opt);
  g_autofree char *cs = ts_format_duration(c);
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "checkpoint-interval", "%s: checkpoints every %s of training (%"
                        G_GUINT64_FORMAT " steps), %s Young/Daly's optimum sqrt(2 x %s per checkpoint x %s between "
                        "failures) = %s; checkpoint.every = \"%" G_GUINT64_FORMAT " steps\" loses less time to "
                        "checkpoints and failures together", t->where, iv, t->ckpt_every,
                        interval > opt ? "far above" : "far below", cs, m, op, opt_steps);
}

/* ---- the state machine ------------------------------------------------------------------------ */

static void on_event(TsEngine *engine, void *data);

static void
arm(Train *t, TrainState state, TsTime duration)
{
  TsEngine *e = t->run->engine;
  TsTime now = ts_engine_get_now(e);
  t->state = state;
  t->state_start = now;
  TsTime end = duration > TS_TIME_MAX - now ? TS_TIME_MAX : now + duration;
  /* A failure strikes whatever is running: steps, a checkpoint write, an evaluation or a restart. */
  if (t->next_failure < end)
    t->event = ts_engine_schedule(e, t->next_failure, TS_PRIORITY_FAILURE, on_event, t);
  else
    t->event = ts_engine_schedule(e, end, TS_PRIORITY_COMPLETE, on_event, t);
  /* Every change of state is a sample, so the phase the outputs show is the one running from this instant
   * (not the checkpoint or restart that just ended). */
  ts_run_emit_sample(t->run);
}

static guint64
steps_to_boundary(const Train *t)
{
  guint64 left = t->total_steps - t->done_steps;
  left = MIN(left, t->seg_end[segment_of(t, t->done_steps)] - t->done_steps); /* a batch ramp's next size */
  if (t->ckpt_every > 0)
    left = MIN(left, t->ckpt_every - t->done_steps % t->ckpt_every);
  if (t->eval_every > 0)
    left = MIN(left, t->eval_every - t->done_steps % t->eval_every);
  return t->run->info.step_events ? MIN(left, 1) : left;
}

static void
finish(Train *t)
{
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(run->engine);
  t->finished = TRUE;
  ts_run_meter_stop(run, t->meter);
  ts_run_end_phase(run, TS_PHASE_TRAIN, "train", t->phase_start, now);
  TsResults *r = &run->results;
  r->steps_done += t->total_steps;
  double wall = ts_time_to_seconds(now - t->phase_start);
  r->train_time_s += wall;
  double failure_free = ts_time_to_seconds(t->planned_ticks) +
                        ts_time_to_seconds(t->ckpt_ticks) * (t->spec.ckpt_async ? 0 : t->ckpt_index) +
                        ts_time_to_seconds(t->eval_ticks) * t->evals;
  r->lost_time_s += wall > failure_free ? wall - failure_free : 0;
  run->phase = "idle";
  run->device_bytes = 0;
  ts_run_emit_sample(run);
  ts_run_schedule_done(run, now, t->done, t->data);
}

void
ts_train_close(gpointer p)
{
  Train *t = p;
  if (!t->started || t->finished)
    return;
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(run->engine);
  t->finished = TRUE;
  ts_run_meter_stop(run, t->meter);
  guint64 done = t->done_steps;
  if (t->state == STATE_STEPS && now > t->state_start) /* the part of the running segment already done */
    done = MIN(t->total_steps, done + (guint64) ((now - t->state_start) / t->seg_ticks[segment_of(t, done)]));
  run->results.steps_done += done;
  run->results.train_time_s += ts_time_to_seconds(now - t->phase_start);
  ts_run_end_phase(run, TS_PHASE_TRAIN, "train", t->phase_start, now);
}

static void
start_checkpoint_or_next(Train *t)
{
  gboolean boundary = t->ckpt_every > 0 && t->done_steps % t->ckpt_every == 0;
  gboolean last = t->done_steps == t->total_steps;
  if (t->spec.checkpoint && (boundary || (last && t->spec.ckpt_final)) && t->done_steps > t->committed_steps) {
    if (t->spec.ckpt_async) {
      /* The snapshot is taken now; it counts once written, if no failure strikes first. */
      if (t->async_event != 0)
        ts_engine_cancel(t->run->engine, t->async_event);
      t->async_steps = t->done_steps;
      t->async_event = ts_engine_schedule_in(t->run->engine, t->ckpt_ticks, TS_PRIORITY_DEFAULT, async_commit, t);
    } else {
      t->run->phase = "checkpoint";
      arm(t, STATE_CHECKPOINT, t->ckpt_ticks);
      return;
    }
  }
  if (t->eval_every > 0 && t->done_steps % t->eval_every == 0 && t->eval_ticks > 0 && t->state != STATE_EVAL) {
    t->run->phase = "eval";
    arm(t, STATE_EVAL, t->eval_ticks);
    return;
  }
  train_next(t);
}

static void
train_next(Train *t)
{
  if (t->run->error != NULL)
    return;
  if (t->done_steps >= t->total_steps) {
    if (t->spec.ckpt_async && t->async_event != 0) {
      /* Wait for the last asynchronous write to land before calling the run done. */
      t->run->phase = "checkpoint";
      arm(t, STATE_CHECKPOINT, ts_engine_get_due(t->run->engine, t->async_event) - ts_engine_get_now(t->run->engine));
      return;
    }
    finish(t);
    return;
  }
  t->seg_steps = steps_to_boundary(t);
  t->run->phase = "train";
  arm(t, STATE_STEPS, ts_time_mul(t->seg_ticks[segment_of(t, t->done_steps)], t->seg_steps));
}

/* Spot (and preemptible) capacity is taken back: the catalog's mean time between interruptions of one host
 * (sourced or derived, docs/devices.md "Spot interruptions") gives the job a rate of hosts / MTBF, since losing
 * any host stops the job.  FALSE when the run is spot and no rate is known (said in a diagnostic). */
static gboolean
spot_preemption(Train *t, const char *where, double *rate)
{
  TsRun *run = t->run;
  const TsAccelerator *a = &run->cluster->accel;
  if (a->owned || a->pricing != TS_PRICING_SPOT)
    return TRUE;
  double per_host = a->instance ? a->instance->preemption_mtbf_s : a->record->preemption_mtbf_s;
  const char *what = a->instance ? a->instance->name : a->record->sku;
  if (!(per_host > 0)) {
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "spot-rate-unknown",
                          "%s: spot capacity can be taken back at any time, but the catalog has no interruption rate "
                          "for %s: modelled without interruptions; give failures = { preemption = \"...\" }",
                          where, what);
    return FALSE;
  }
  guint hosts = a->nodes ? a->nodes : 1;
  *rate += hosts / per_host;
  g_autofree char *each = ts_format_duration(per_host);
  g_autofree char *job = ts_format_duration(per_host / hosts);
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "spot-preemption",
                        "%s: spot: one interruption every %s per host of %s (catalog), every %s for the job's %u host%s; "
                        "each restarts from the last checkpoint (failures.preemption overrides)",
                        where, each, what, job, hosts, hosts == 1 ? "" : "s");
  if (!t->spec.checkpoint)
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "spot-without-checkpoints",
                          "%s: spot without checkpoints: every interruption restarts training from its first step",
                          where);
  return TRUE;
}

/* The expected number of interruptions of this training, from the rates (not the seeded draw): Daly's (2006)
 * expected wall time T_w = M e^(R/M) (e^((tau+delta)/M) - 1) T_s / tau, with M the job's mean time between
 * failures, R the restart, tau the compute between checkpoints, delta a checkpoint write and T_s the
 * failure-free compute; failures strike at rate 1/M throughout, so E[N] = T_w / M.  Without checkpoints
 * tau = T_s and delta = 0.  /run/daly checks the simulation against T_w. */
static double
expected_failures(const Train *t, double step_s)
{
  if (!(t->job_mtbf_s > 0))
    return 0;
  double m = t->job_mtbf_s;
  double ts = step_s * (double) t->total_steps;
  double tau = t->spec.checkpoint && t->ckpt_every > 0 ? step_s * (double) MIN(t->ckpt_every, t->total_steps) : ts;
  double delta = t->spec.checkpoint && !t->spec.ckpt_async ? ts_time_to_seconds(t->ckpt_ticks) : 0;
  double r = ts_time_to_seconds(t->restart_ticks);
  double tw = m * exp(r / m) * expm1((tau + delta) / m) * ts / tau;
  return tw / m;
}

/* A job that fails again and again before it can commit a checkpoint never finishes (with failures far
 * more frequent than checkpoints, or restarts that take no time, it would loop for ever at one instant,
 * or until the end of simulated time): after this many failures in a row without progress the run is
 * declared infeasible. */
#define MAX_FRUITLESS_FAILURES 10000

static void
on_failure(Train *t)
{
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(run->engine);
  run->results.failures++;
  if (t->committed_steps != t->committed_at_failure || run->results.failures == 1)
    t->fruitless_failures = 0;
  t->committed_at_failure = t->committed_steps;
  if (++t->fruitless_failures >= MAX_FRUITLESS_FAILURES) {
    g_autofree char *mtbf = ts_format_duration(t->job_mtbf_s);
    g_autofree char *restart = ts_format_duration(ts_time_to_seconds(t->restart_ticks));
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "no-progress", "%s: %u failures in a row before any checkpoint "
                          "was committed", t->where, MAX_FRUITLESS_FAILURES);
    run->results.feasible = FALSE;
    ts_run_stop(run, g_error_new(TS_ERROR, TS_ERROR_INFEASIBLE, "%s: the run never finishes: %u failures in a row "
                                 "struck before a checkpoint could be committed (one failure every %s on average, "
                                 "restart %s); checkpoint more often or lower the failure rate", t->where,
                                 MAX_FRUITLESS_FAILURES, mtbf, restart));
    return;
  }
  if (t->state == STATE_STEPS) {
    /* Steps completed before the failure are gone with the rest of the uncommitted work. */
    g_autofree char *name = g_strdup_printf("steps %" G_GUINT64_FORMAT "- (lost)", t->done_steps);
    ts_run_emit_span(run, "accelerators", name, TS_PHASE_TRAIN, t->state_start, now);
  }
  t->done_steps = t->committed_steps;
  if (t->async_event != 0) {
    ts_engine_cancel(run->engine, t->async_event);
    t->async_event = 0;
  }
  t->next_failure = ts_time_add(now, ts_time_from_seconds(ts_rng_exponential(&run->failures_rng, t->job_mtbf_s)));
  run->phase = "restart";
  ts_run_emit_sample(run);
  arm(t, STATE_RESTART, t->restart_ticks);
}

static void
on_event(TsEngine *engine, void *data)
{
  Train *t = data;
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(engine);
  t->event = 0;
  if (now == t->next_failure && t->job_mtbf_s > 0) {
    on_failure(t);
    return;
  }
  switch (t->state) {
  case STATE_STEPS: {
    guint64 first = t->done_steps;
    t->done_steps += t->seg_steps;
    if (!run->info.step_events || t->done_steps == t->total_steps || t->done_steps % 1000 == 0) {
      g_autofree char *name = g_strdup_printf("steps %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, first,
                                              t->done_steps - 1);
      ts_run_emit_span(run, "accelerators", name, TS_PHASE_TRAIN, t->state_start, now);
    }
    start_checkpoint_or_next(t);
    return;
  }
  case STATE_CHECKPOINT:
    ts_run_emit_span(run, "storage", "checkpoint", TS_PHASE_CHECKPOINT, t->state_start, now);
    if (t->spec.ckpt_async) {
      /* Reached only when waiting for the final asynchronous write (it has just committed). */
      train_next(t);
      return;
    }
    if (!commit_checkpoint(t, t->done_steps))
      return;
    t->state = STATE_STEPS; /* so an evaluation due at this boundary runs next */
    start_checkpoint_or_next(t);
    return;
  case STATE_EVAL:
    t->evals++;
    run->results.evaluations++;
    /* Summed in ticks, so the summary's total is exactly the eval spans' (no rounding drift per pass). */
    t->eval_done_ticks += now - t->state_start;
    run->results.eval_time_s = t->eval_base_s + ts_time_to_seconds(t->eval_done_ticks);
    ts_run_emit_span(run, "accelerators", "eval", TS_PHASE_EVAL, t->state_start, now);
    train_next(t);
    return;
  case STATE_RESTART:
    ts_run_emit_span(run, "accelerators", "restart", TS_PHASE_RESTART, t->state_start, now);
    train_next(t);
    return;
  }
}

/* ---- setting up ------------------------------------------------------------------------------- */

/* A count of steps from a double (epochs x steps per epoch, tokens / tokens per step): NaN and
 * negatives give 0, and anything past 2^63 is capped there (no run that long fits in simulated time
 * anyway) instead of making the conversion undefined. */
static guint64
count_of(double v)
{
  if (!(v > 0))
    return 0;
  return v >= 9223372036854775808.0 ? (guint64) G_MAXINT64 : (guint64) v;
}

/* A global batch over dp replicas: its micro-batch and how many micro-batches a replica runs per step. */
static gboolean
split_batch(const TsTrainSpec *s, const TsAccelerator *a, guint dp, guint model_parallel, guint64 batch,
            const char *where, double *micro_out, guint *n_micro_out, GError **error)
{
  if (batch < dp || batch % dp != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: batch %" G_GUINT64_FORMAT " does not split evenly over "
                "%u data-parallel replicas (%u devices)", where, batch, dp, a->devices);
    return FALSE;
  }
  if (batch < a->devices && model_parallel == 1) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: batch %" G_GUINT64_FORMAT " is smaller than the %u "
                "devices it is split over", where, batch, a->devices);
    return FALSE;
  }
  double per_replica = (double) batch / dp;
  double micro = s->micro_batch > 0 ? (double) s->micro_batch : per_replica;
  if (micro > per_replica || fmod(per_replica, micro) != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: micro_batch %.0f does not divide the per-replica batch "
                "%.0f", where, micro, per_replica);
    return FALSE;
  }
  if (micro_out)
    *micro_out = micro;
  if (n_micro_out)
    *n_micro_out = (guint) MIN(per_replica / micro, (double) G_MAXUINT); /* batch <= 2^53 */
  return TRUE;
}

/* One step's time at the spec's batch: the devices' step, bounded below by the input pipeline and storage. */
static gboolean
batch_step(Train *t, guint dp, double micro, guint n_micro, double *step, GError **error)
{
  if (!step_time(t, dp, micro, n_micro, step, error)) {
    g_prefix_error(error, "%s: ", t->where);
    return FALSE;
  }
  set_bottleneck(t->run, "devices");
  input_bound(t, step);
  storage_bound(t, step);
  return TRUE;
}

/* A batch ramp's segments: steps and step time of each, the spec's batch left at the final size.  Segment i
 * trains at its size until ramp_until[i] useful samples in all (the step that crosses it ends the segment), the
 * last to the end of the run's length; earlier segments are costed quietly (their diagnostics would repeat the
 * final one's), the final last, so the step terms in the results are its own. */
static gboolean
ramp_segments(Train *t, guint dp, guint model_parallel, double total_samples, GError **error)
{
  TsTrainSpec *s = &t->spec;
  const TsAccelerator *a = &t->run->cluster->accel;
  double useful = 1.0 - s->padding, start = 0;
  guint64 end = 0;
  for (guint i = 0; i < s->ramp_segments; i++) {
    gboolean last = i + 1 == s->ramp_segments;
    double stop = last ? total_samples : MIN(total_samples, s->ramp_until[i] / useful);
    double size = (double) s->ramp_size[i];
    guint64 steps = stop > start ? count_of(ceil((stop - start) / size)) : 0;
    if (!last)
      start = MAX(start, stop);
    end += steps;
    s->batch = s->ramp_size[i];
    double micro, step;
    guint n_micro;
    if (!split_batch(s, a, dp, model_parallel, s->batch, t->where, &micro, &n_micro, error))
      return FALSE;
    t->quiet = !last;
    gboolean ok = batch_step(t, dp, micro, n_micro, &step, error);
    t->quiet = FALSE;
    if (!ok)
      return FALSE;
    t->seg_end[i] = end;
    t->seg_ticks[i] = MAX((TsTime) 1, ts_time_from_seconds(step));
    t->seg_samples += (double) steps * size;
  }
  t->n_seg = s->ramp_segments;
  return TRUE;
}

gboolean
ts_run_train(TsRun *run, const TsTrainSpec *spec, const char *where, TsRunDone done, void *data, GError **error)
{
  g_ptr_array_add(run->models, spec->model);
  g_ptr_array_add(run->datasets, spec->data);
  Train *t = g_new0(Train, 1);
  g_ptr_array_add(run->trains, t);
  ts_run_provision_implicitly(run, where);
  t->run = run;
  t->spec = *spec;
  t->spec.optimizer = g_strdup(spec->optimizer);
  t->where = g_strdup(where);
  t->done = done;
  t->data = data;
  t->kept = g_array_new(FALSE, FALSE, sizeof(guint));
  t->eval_base_s = run->results.eval_time_s;
  TsTrainSpec *s = &t->spec;
  const TsAccelerator *a = &run->cluster->accel;
  const TsModel *m = s->model;
  TsResults *r = &run->results;
  if (s->tp == 0) s->tp = 1;
  if (s->pp == 0) s->pp = 1;
  if (s->cp == 0) s->cp = 1;
  if (s->ep == 0) s->ep = 1;
  if (s->views == 0) s->views = 1;
  if (s->vp == 0) s->vp = 1;
  if (!(s->padding >= 0 && s->padding < 1)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: padding %g: expected a fraction from 0 to below 1", where,
                s->padding);
    return FALSE;
  }

  /* The product in double first: tensor x pipeline x context could wrap around in a guint (to 0). */
  if ((double) s->tp * s->pp * s->cp > (double) a->devices) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %u devices are fewer than tensor x pipeline x context "
                "parallel = %g", where, a->devices, (double) s->tp * s->pp * s->cp);
    return FALSE;
  }
  guint model_parallel = s->tp * s->pp * s->cp;
  if (a->devices % model_parallel != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %u devices are not a multiple of tensor x pipeline x "
                "context parallel = %u", where, a->devices, model_parallel);
    return FALSE;
  }
  /* Multislice: tensor, pipeline and context ranks stay inside one slice (only data parallelism crosses the
   * data-centre network, as MaxText's dcn_* axes are used), and each slice holds whole replicas. */
  if (a->slices > 1 && (a->devices / a->slices) % model_parallel != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: tensor x pipeline x context parallel = %u does not divide "
                "the %u chips of one slice (of %u): model-parallel groups would cross the data-centre network, "
                "which is not modelled", where, model_parallel, a->devices / a->slices, a->slices);
    return FALSE;
  }
  guint dp = a->devices / model_parallel;
  if (s->shard_group > 0 && (s->shard_group > dp || dp % s->shard_group != 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: shard_group %u does not divide the %u data-parallel "
                "replicas (%u devices / tensor x pipeline x context %u)", where, s->shard_group, dp, a->devices,
                model_parallel);
    return FALSE;
  }
  /* Expert parallelism: the expert-parallel group is a sub-group of the data-parallel ranks (Megatron-Core's
   * tp-cp-ep-dp-pp order: "The EP group in MoE is a sub-group of DP in Attention"), and each rank holds the
   * same number of experts of every MoE layer. */
  if (s->ep > 1) {
    if (m->experts <= 1) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u needs a mixture-of-experts model "
                  "(models.gpt { experts = N, ... }); %s has no experts", where, s->ep, m->name);
      return FALSE;
    }
    if (m->experts % s->ep != 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u does not divide the %u experts of "
                  "%s: each expert-parallel rank holds the same number of them", where, s->ep, m->experts, m->name);
      return FALSE;
    }
    if (dp % s->ep != 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u does not divide the %u "
                  "data-parallel replicas (%u devices / tensor x pipeline x context %u): expert-parallel groups "
                  "are made of data-parallel ranks", where, s->ep, dp, a->devices, model_parallel);
      return FALSE;
    }
    if (s->tp > 1 && !s->sequence_parallel) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u with tensor = %u needs "
                  "parallel.sequence_parallel = true, as Megatron-Core requires with tensor and expert parallelism: "
                  "the tensor ranks then split the tokens the experts exchange", where, s->ep, s->tp);
      return FALSE;
    }
    if (!(m->expert_params > 0)) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u needs the experts' share of %s's "
                  "parameters: describe it by its shape (models.gpt) or give model { expert_params = N }", where,
                  s->ep, m->name);
      return FALSE;
    }
  }
  /* Every size of a batch ramp splits as a single batch would. */
  for (guint i = 0; i < s->ramp_segments; i++)
    if (!split_batch(s, a, dp, model_parallel, s->ramp_size[i], where, NULL, NULL, error))
      return FALSE;
  double micro;
  guint n_micro;
  if (!split_batch(s, a, dp, model_parallel, s->batch, where, &micro, &n_micro, error))
    return FALSE;

  /* Device memory.  recompute = "auto" recomputes the least fraction of the layers that makes the activations
   * fit, as XLA's rematerialisation pass does on TPUs and selective checkpointing does by hand. */
  Memory mem;
  double capacity = a->record->spec.memory_bytes;
  t->recompute = s->recompute ? 1.0 : 0.0;
  device_memory(s, m, a, dp, micro, t->recompute, &mem);
  if (s->recompute_auto && !s->recompute && capacity > 0 && mem.total > capacity && mem.act_per_sample > 0) {
    Memory full;
    device_memory(s, m, a, dp, micro, 1.0, &full);
    double saved_at_full = (mem.act_per_sample - full.act_per_sample) * micro;
    t->recompute = MIN(1.0, (mem.total - capacity) / saved_at_full);
    device_memory(s, m, a, dp, micro, t->recompute, &mem);
    if (mem.total > capacity * (1.0 + 1e-12)) { /* not even full recomputation fits: report it at full */
      t->recompute = 1.0;
      device_memory(s, m, a, dp, micro, t->recompute, &mem);
    } else {
      mem.total = MIN(mem.total, capacity); /* exactly at capacity, up to rounding */
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "recompute-auto", "%s: recomputing %.0f %% of the layers' "
                            "activations in the backward pass to fit device memory (%.1f %% more compute)",
                            where, 100.0 * t->recompute, 100.0 * t->recompute / 3.0);
    }
  }
  r->peak_device = MAX(r->peak_device, mem.total);
  if (capacity > 0 && mem.total > capacity) {
    double room = capacity - mem.state - mem.reserved;
    guint64 fit_micro = room > 0 ? count_of(floor(room / mem.act_per_sample)) : 0;
    guint64 fit = fit_micro * n_micro * dp;
    g_autofree char *n = ts_format_bytes(mem.total);
    g_autofree char *c = ts_format_bytes(capacity);
    g_autofree char *over = ts_format_bytes(mem.total - capacity);
    g_autofree char *st = ts_format_bytes(mem.state);
    if (fit > 0)
      ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                            "%s: does not fit in device memory: %s needed per device (%s of weights, gradients and "
                            "optimizer state), %s available, %s over; the largest global batch that fits is %"
                            G_GUINT64_FORMAT, where, n, st, c, over, fit);
    else if (mem.state + mem.reserved > capacity)
      ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                            "%s: does not fit in device memory even at batch 1: %s of weights, gradients and "
                            "optimizer state alone; shard it (zero = 1..3, tensor or pipeline parallelism)", where, st);
    else {
      /* The state fits; one sample's activations do not -- with a pipeline, those of the pp micro-batches the
       * first stage keeps in flight under 1F1B.  Sharding the state further would not help. */
      g_autofree char *act = ts_format_bytes(mem.act_per_sample);
      g_autofree char *room_s = ts_format_bytes(MAX(room, 0.0));
      g_autofree char *flight = s->pp > 1 ? g_strdup_printf(" (the first of %u pipeline stages keeps %u "
                                                             "micro-batches in flight)", s->pp, s->pp)
                                          : g_strdup("");
      ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                            "%s: does not fit in device memory even at batch 1: the activations of one sample take "
                            "%s per device%s, and %s is left beside the %s of weights, gradients and optimizer "
                            "state; recompute them (parallel.recompute = true or \"auto\") or split them further "
                            "(tensor or context parallelism)", where, act, flight, room_s, st);
    }
    r->feasible = FALSE;
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of device memory (%s needed, %s available); largest "
                "batch that fits: %" G_GUINT64_FORMAT, where, n, c, fit);
    return FALSE;
  }

  /* Host memory: prefetch buffers of two batches of decoded samples -- an image as the float32 tensor the
   * devices take, not its JPEG bytes; a sequence as its stored tokens -- or the whole dataset when loaded all
   * at once. */
  double per_host_samples = (double) s->batch / (a->nodes ? a->nodes : 1);
  double sample_bytes = s->data->tokens || s->data->samples == 0 ? (s->data->samples > 0 ? s->data->extracted /
                                                                    s->data->samples : 0)
                                                                 : DECODED_IMAGE_BYTES;
  double host = 2.0 * per_host_samples * s->views * sample_bytes;
  if (s->load_all)
    host += s->data->extracted;
  r->peak_host = MAX(r->peak_host, host);
  run->host_bytes = host;
  if (a->host_ram > 0 && host > a->host_ram) {
    g_autofree char *n = ts_format_bytes(host);
    g_autofree char *c = ts_format_bytes(a->host_ram);
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "host-oom",
                          "%s: host memory: %s needed, %s available%s", where, n, c,
                          s->load_all ? "; loading the whole dataset into RAM does not fit: stream it in batches "
                                        "(load = \"stream\")" : "");
    r->feasible = FALSE;
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of host memory (%s needed, %s available)", where, n, c);
    return FALSE;
  }

  gboolean stack_calibrated;
  if (!ts_stack_get_constants(run->registry, run->device, s->stack, &t->stack, &stack_calibrated, error)) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  if (!stack_calibrated)
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "stack-uncalibrated", "%s: no calibration.json gives constants for "
                          "the %s stack: no launch cost, fusion or per-step overhead is modelled (docs/model.md)",
                          where, ts_stack_get_name(s->stack));
  /* With padding p a step's sequences carry (1 - p) of useful tokens: an epoch and a number of (useful) tokens
   * take 1/(1 - p) as many steps, each as long as a packed one. */
  double useful = 1.0 - s->padding;
  double step;
  if (s->ramp_segments > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double total = s->tokens > 0 ? s->tokens / (seq * useful) : s->epochs * (double) s->data->samples / useful;
    if (!ramp_segments(t, dp, model_parallel, total, error))
      return FALSE;
    t->step_ticks = t->seg_ticks[t->n_seg - 1]; /* the final batch's: intervals in time or epochs count in it */
    step = ts_time_to_seconds(t->step_ticks);
  } else {
    if (!batch_step(t, dp, micro, n_micro, &step, error))
      return FALSE;
    t->step_ticks = ts_time_from_seconds(step);
    if (t->step_ticks <= 0)
      t->step_ticks = 1;
  }

  t->steps_per_epoch = s->padding > 0 ? count_of(ceil((double) s->data->samples / ((double) s->batch * useful)))
                                      : (s->data->samples + s->batch - 1) / s->batch;
  if (s->ramp_segments > 0)
    t->total_steps = t->seg_end[t->n_seg - 1];
  else if (s->steps > 0)
    t->total_steps = s->steps;
  else if (s->tokens > 0)
    t->total_steps = count_of(ceil(s->tokens / ((double) s->batch * (m->seq > 0 ? m->seq : 1) * useful)));
  else
    t->total_steps = count_of(round(s->epochs * (double) t->steps_per_epoch));
  if (t->total_steps == 0) {
    t->total_steps = 1;
    if (t->n_seg > 0)
      t->seg_end[t->n_seg - 1] = 1;
  }
  if (t->n_seg == 0) { /* no ramp: one segment of identical steps */
    t->n_seg = 1;
    t->seg_end[0] = t->total_steps;
    t->seg_ticks[0] = t->step_ticks;
    t->seg_samples = (double) t->total_steps * s->batch;
  }
  for (guint i = 0; i < t->n_seg; i++) {
    guint64 from = i > 0 ? t->seg_end[i - 1] : 0;
    t->planned_ticks = ts_time_add(t->planned_ticks, ts_time_mul(t->seg_ticks[i], t->seg_end[i] - from));
  }

  /* Checkpoints: weights in fp32 plus optimizer state; written at the storage's bandwidth. */
  t->ckpt_bytes = m->params * (4.0 + optimizer_state_bytes(s->optimizer));
  t->ckpt_share = run->cluster->storage ? t->ckpt_bytes : t->ckpt_bytes / (a->nodes ? a->nodes : 1);
  r->checkpoint_bytes = t->ckpt_bytes;
  if (s->checkpoint) {
    double bw = ts_run_storage_write_bw(run) * (run->cluster->storage ? 1.0 : (a->nodes ? a->nodes : 1));
    t->ckpt_ticks = ts_time_from_seconds(t->ckpt_bytes / bw);
    r->checkpoint_write_s = ts_time_to_seconds(t->ckpt_ticks);
    if (s->ckpt_every_steps > 0)
      t->ckpt_every = s->ckpt_every_steps;
    else if (s->ckpt_every_epochs > 0)
      t->ckpt_every = MAX((guint64) 1, count_of(round(s->ckpt_every_epochs * t->steps_per_epoch)));
    else if (s->ckpt_every_s > 0)
      t->ckpt_every = MAX((guint64) 1, count_of(round(s->ckpt_every_s / step)));
  }
  if (s->eval_every_epochs > 0 || s->eval_every_steps > 0 || s->eval_every_s > 0) {
    /* Every N steps, every N epochs of the dataset, or every so much training time (whole steps, as
     * checkpoints count it); each pass evaluates eval.samples, else the dataset's evaluation set. */
    if (s->eval_every_steps > 0)
      t->eval_every = s->eval_every_steps;
    else if (s->eval_every_epochs > 0)
      t->eval_every = MAX((guint64) 1, count_of(round(s->eval_every_epochs * t->steps_per_epoch)));
    else
      t->eval_every = MAX((guint64) 1, count_of(round(s->eval_every_s / step)));
    guint64 eval_samples = s->eval_samples > 0 ? s->eval_samples : s->data->eval_samples;
    if (eval_samples == 0) {
      /* Not known, so not timed: said, never a silent 0 s. */
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "eval-samples-unknown", "%s: evaluations are not timed: "
                            "dataset %s states no evaluation samples; give eval = { samples = N } (or the dataset's "
                            "eval_samples)", where, s->data->name);
      t->eval_every = 0;
    }
    TsWork w;
    ts_work_init(&w);
    w.precision = s->precision;
    w.workload = m->workload;
    w.flops = m->flops * (double) eval_samples / a->devices;
    w.batch_per_device = micro;
    double te = 0;
    if (eval_samples > 0 && !ts_device_compute_time(run->device, &w, &te, error)) {
      g_prefix_error(error, "%s: ", where);
      return FALSE;
    }
    t->eval_ticks = ts_time_from_seconds(te);
    if (eval_samples > 0) {
      r->eval_samples = eval_samples;
      r->eval_pass_s = ts_time_to_seconds(t->eval_ticks);
    }
  }
  double rate = 0;
  if (s->device_mtbf_s > 0)
    rate += a->devices / s->device_mtbf_s;
  if (s->preempt_mtbf_s > 0)
    rate += 1.0 / s->preempt_mtbf_s;
  else if (!spot_preemption(t, where, &rate))
    r->failures_expected_unknown = TRUE;
  t->job_mtbf_s = rate > 0 ? 1.0 / rate : 0;
  t->restart_ticks = ts_time_from_seconds(s->restart_s);
  r->failures_modelled = r->failures_modelled || t->job_mtbf_s > 0;
  checkpoint_advice(t, step);
  r->failures_expected += expected_failures(t, step);

  TsTime now = ts_engine_get_now(run->engine);
  t->next_failure = t->job_mtbf_s > 0
                      ? ts_time_add(now, ts_time_from_seconds(ts_rng_exponential(&run->failures_rng, t->job_mtbf_s)))
                      : TS_TIME_MAX;
  t->phase_start = now;

  r->trained = TRUE;
  r->layout.data = dp;
  r->layout.tensor = s->tp;
  r->layout.pipeline = s->pp;
  r->layout.context = s->cp;
  r->layout.expert = s->ep;
  r->layout.zero = s->zero;
  r->stack = t->spec.stack;
  r->stack_default = t->spec.stack_default;
  r->error_band = a->record->band[m->workload];
  r->calibration = a->record->calibration[m->workload];
  r->steps += t->total_steps;
  /* The epochs asked for are what was trained (each epoch's last, partial batch is one step); otherwise the
   * samples the steps go through. */
  r->epochs += s->epochs > 0 && s->steps == 0 && !(s->tokens > 0)
                 ? s->epochs
                 : t->seg_samples * useful / s->data->samples;
  r->step_time_s = ts_time_to_seconds(t->step_ticks);
  r->compute_time_s += ts_time_to_seconds(t->planned_ticks);
  r->ramp_segments = s->ramp_segments;
  for (guint i = 0; i < s->ramp_segments; i++) {
    r->ramp_size[i] = s->ramp_size[i];
    r->ramp_steps[i] = t->seg_end[i] - (i > 0 ? t->seg_end[i - 1] : 0);
    r->ramp_step_s[i] = ts_time_to_seconds(t->seg_ticks[i]);
  }
  /* Throughput and MFU count the useful samples: padding is work done for nothing. */
  r->padding = s->padding;
  r->samples_per_s = (double) s->batch * useful / r->step_time_s;
  double peak = a->record->spec.peak_dense[s->precision];
  double model_flops = 3.0 * m->flops * (double) s->batch * useful * s->views; /* flops follow active params */
  r->mfu = peak > 0 ? model_flops / (r->step_time_s * a->devices * peak) : 0.0;
  run->device_bytes = mem.total;
  t->started = TRUE;
  ts_run_begin_phase(run, TS_PHASE_TRAIN, "train", now);
  t->meter = ts_run_meter_start(run, ts_time_to_seconds(t->planned_ticks), TS_TIME_MAX);
  train_next(t); /* its first sample already reads "train" */
  return TRUE;
}
