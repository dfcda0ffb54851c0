/* The step time of a training layout, term by term: the model's operations on the device, the tensor-,
 * context- and expert-parallel collectives, the pipeline bubble, the data-parallel gradient reduction and the
 * optimizer update (docs/model.md, "Step time").  Input and storage bounds are in train-input.c. */
#include "run/train-private.h"

#include "model/operators.h"
#include "run/compute.h"

#include <math.h>
#include <string.h>

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
operation(const StepCost *c, const char *kind, const char *precision, double flops, double bytes, double count, double m,
          double n, double k, double batch, double *seconds, GError **error)
{
  TsOperation op;
  ts_operation_init(&op);
  op.kind = kind;
  op.precision = precision;
  op.workload = ts_workload_get_name(c->spec->model->workload);
  op.stack = ts_stack_get_name(c->spec->stack);
  op.flops = flops;
  op.bytes = bytes;
  op.count = count;
  op.m = m;
  op.n = n;
  op.k = k;
  op.batch = batch;
  gboolean by_plugin;
  return ts_device_operation_time(c->device != NULL ? c->device : c->run->device, &op, seconds, &by_plugin, error);
}

/* What one device sends to devices on other nodes for a collective of `bytes` over n ranks, per_node of them on a
 * node, done hierarchically (inside the node first, then one ring across the m nodes for each device's 1/per_node
 * share): an all-reduce sends 2 (m - 1) / m of that share, an all-gather or reduce-scatter (m - 1) / m.  What
 * jobs sharing a scale-out fabric contend for (core/scenario/jobs.c); not an output, and not part of the step time,
 * which the device's plugin gives. */
static double
between_nodes(TsCollectiveKind kind, guint n, guint per_node, double bytes)
{
  per_node = MAX(1u, MIN(per_node, n));
  double m = (double) n / per_node;
  if (!(m > 1))
    return 0;
  double share = bytes / per_node * (m - 1) / m;
  return kind == TS_COLLECTIVE_ALL_REDUCE ? 2 * share : share;
}

/* The data-parallel traffic of one group of parameters, by the window that can hide it (data_parallel_term):
 * `backward` is reduced once per step from the last micro-batch's backward pass on, `forward` gathered once per
 * step before each model chunk's first forward pass, `every` is traffic of every micro-batch, spread over the
 * whole compute, and `whole_backward` is reduced while the gradients of every micro-batch are produced. */
typedef struct {
  double backward, forward, every, whole_backward;
} DpTraffic;

/* ZeRO's collectives over `replicas` ranks sharded in groups of `group` (all of them when group >= replicas),
 * per_node of them in one NVLink domain or slice: one all-gather of `bytes` (the weights) and one reduce-scatter
 * of `gbytes` (the gradients) inside a group, the group's first ranks on one node, and where there are several
 * groups one all-reduce of the gbytes / group share each rank holds over the ranks holding the same share in
 * the others (Zhang et al. 2022, MiCS; PyTorch HSDP; apex's DistributedFusedLAMB across nodes).  Each with what
 * it sends between nodes (between_nodes). */
typedef struct {
  double gather, scatter, across;                   /* seconds */
  double gather_bytes, scatter_bytes, across_bytes; /* sent between nodes by one device */
} GroupTraffic;

static gboolean
hybrid_collectives(TsRun *run, guint replicas, guint per_node, guint group, const guint *dims, double bytes,
                   double gbytes, GroupTraffic *g, guint *missing, GError **error)
{
  memset(g, 0, sizeof *g);
  group = MIN(group, replicas);
  guint groups = replicas / group, in_node = MIN(per_node, group), across_node = MAX(1u, per_node / group);
  if (!collective(run, TS_COLLECTIVE_ALL_GATHER, group, in_node, dims, bytes, &g->gather, missing, MISSING_DP,
                  error) ||
      !collective(run, TS_COLLECTIVE_REDUCE_SCATTER, group, in_node, dims, gbytes, &g->scatter, missing, MISSING_DP,
                  error))
    return FALSE;
  g->gather_bytes = between_nodes(TS_COLLECTIVE_ALL_GATHER, group, in_node, bytes);
  g->scatter_bytes = between_nodes(TS_COLLECTIVE_REDUCE_SCATTER, group, in_node, gbytes);
  if (groups > 1) {
    if (!collective(run, TS_COLLECTIVE_ALL_REDUCE, groups, across_node, dims, gbytes / group, &g->across, missing,
                    MISSING_DP, error))
      return FALSE;
    g->across_bytes = between_nodes(TS_COLLECTIVE_ALL_REDUCE, groups, across_node, gbytes / group);
  }
  return TRUE;
}

/* Gradient reduction of `params` parameters per device over the `replicas` ranks that hold the same ones,
 * per_node of them in one NVLink domain (a host, or a rack whose switches join its hosts) or slice.
 *  - zero 0: one all-reduce of the summed gradients per step.  With gradient accumulation the frameworks sum the
 *    micro-batches' gradients locally and reduce them once (PyTorch DDP's no_sync; Megatron-LM's schedules
 *    disable grad sync, "Disable async grad reductions", and enable it for the last micro-batch of each model
 *    chunk), so the reduction runs from the last micro-batch's backward pass on (*t->backward).
 *  - zero 1 (a distributed optimizer: Megatron-LM's use_distributed_optimizer "issue reduce-scatter collectives
 *    to aggregate gradients", NeMo/Apex distributed_fused_adam, DeepSpeed stage 1): a reduce-scatter of the
 *    gradients in the same window, and an all-gather of the updated 16-bit weights, which overlap_param_gather
 *    ("overlap param all-gather with forward compute") runs under the next step's first forward pass
 *    (*t->forward).  The volume is the all-reduce's, in two halves.  Hybrid (a shard_group smaller than the
 *    replicas; apex's DistributedFusedLAMB with dwu_group_size, "Reduction within each node" then "Reduction
 *    across nodes for each rank"): the reduce-scatter stays inside a group, each rank all-reduces its 1/group
 *    share with the ranks holding the same share in the other groups (the backward window too), and the
 *    all-gather of the weights stays inside the group (hybrid_collectives).  With grad_reduce "all-reduce"
 *    (DistributedFusedLAMB's full_ar, "full all reduce, only need AR and AG groups", which NVIDIA's MLPerf BERT
 *    sets when the run spans nodes) the gradients are all-reduced over every replica instead and each rank
 *    updates its share; the gather stays inside the group.
 *  - zero 2: DeepSpeed's stage 2 reduces every micro-batch's gradients as they are produced
 *    (stage_1_and_2.py, reduce_ready_partitions_and_remove_grads: "if self.partition_gradients or
 *    self.is_gradient_accumulation_boundary"): one all-reduce per step, hidden under the whole backward pass
 *    (*t->whole_backward; the per-micro-batch volume is not modelled).
 *  - zero 3 gathers the weights before each micro-batch's forward and again before its backward pass and
 *    reduce-scatters its gradients (Rajbhandari et al. 2020, §7.2.2: 1.5x the all-reduce volume, per
 *    micro-batch because the gathered weights are freed after use) (*t->every).  Hybrid sharding: ZeRO-3's
 *    gathers and scatters stay inside a group of `group` ranks, the first ranks of a host or slice; once per
 *    step each rank then all-reduces its 1/group share of the gradients with the ranks holding the same share
 *    in the other groups -- the inter-node (or inter-slice) part of a hierarchical all-reduce (Zhang et al.
 *    2022, MiCS; PyTorch HSDP; MaxText's ici_fsdp x dcn_data axes); all of it *t->every. */
static gboolean
reduce_gradients(TsRun *run, const TsTrainSpec *s, double params, guint replicas, guint per_node, guint group,
                 const guint *dims, guint n_micro, DpTraffic *t, double *node_bytes, guint *missing, GError **error)
{
  memset(t, 0, sizeof *t);
  if (replicas <= 1 || params <= 0)
    return TRUE;
  gboolean half = below_fp32(s->precision);
  double bytes = params * (half ? 2.0 : 4.0);
  double gbytes = params * (s->grad_bytes > 0 ? s->grad_bytes : half ? 2.0 : 4.0);
  per_node = MIN(per_node, replicas);
  group = MIN(group, replicas);
  if (s->zero == 0 || s->zero == 2) {
    *node_bytes += between_nodes(TS_COLLECTIVE_ALL_REDUCE, replicas, per_node, gbytes);
    return collective(run, TS_COLLECTIVE_ALL_REDUCE, replicas, per_node, dims, gbytes,
                      s->zero == 0 ? &t->backward : &t->whole_backward, missing, MISSING_DP, error);
  }
  GroupTraffic g;
  if (!hybrid_collectives(run, replicas, per_node, group, dims, bytes, gbytes, &g, missing, error))
    return FALSE;
  if (s->zero == 1 && s->grad_all_reduce) {
    *node_bytes += between_nodes(TS_COLLECTIVE_ALL_REDUCE, replicas, per_node, gbytes) + g.gather_bytes;
    t->forward = g.gather;
    return collective(run, TS_COLLECTIVE_ALL_REDUCE, replicas, per_node, dims, gbytes, &t->backward, missing,
                      MISSING_DP, error);
  }
  if (s->zero == 1) {
    t->backward = g.scatter + g.across;
    t->forward = g.gather;
    *node_bytes += g.scatter_bytes + g.across_bytes + g.gather_bytes;
    return TRUE;
  }
  t->every = (2.0 * g.gather + g.scatter) * n_micro + g.across;
  *node_bytes += (2.0 * g.gather_bytes + g.scatter_bytes) * n_micro + g.across_bytes;
  return TRUE;
}

/* A model with an architecture: every operation of its list through the device (compute.c) -- the products
 * (st->compute), the memory-bound operations (st->activations), the host's time to launch their kernels and the
 * optimizer's one (st->launch, set against the whole step's device work by step_time), and the same time split
 * by what bounds each operation. */
static gboolean
listed_operation_terms(const StepCost *c, double micro, guint n_micro, TsStepBreakdown *st, double *attention,
                       GError **error)
{
  TsStepOpsQuery q = {.spec = c->spec, .device = c->device != NULL ? c->device : c->run->device, .micro = micro, .n_micro = n_micro,
                      .recompute = c->recompute, .fusion = c->stack.fusion, .launch_s = c->stack.launch_s};
  TsStepOps ops;
  if (!ts_step_ops_compute(&q, &ops, error))
    return FALSE;
  st->compute = ops.products;
  *attention = ops.attention;
  st->activations = ops.memory_ops;
  st->launch = (ops.launches + 1.0) * c->stack.launch_s;
  st->compute_bound = ops.compute_bound;
  st->memory_bound = ops.memory_bound;
  return TRUE;
}

/* The model's operations on one device: its products, the element-wise layers' activation traffic and the
 * stack's kernel launches (st->compute, st->activations, st->launch), and of the products the attention
 * cores' time (*attention).  A model without an architecture (model{params, flops, activations}) sends them as
 * two aggregate operations (docs/model.md, "Operations"), with no attention core of its own (*attention 0). */
static gboolean
operation_terms(const StepCost *c, double micro, guint n_micro, double device_params, TsStepBreakdown *st,
                double *attention, GError **error)
{
  *attention = 0;
  if (ts_model_has_architecture(c->spec->model))
    return listed_operation_terms(c, micro, n_micro, st, attention, error);
  const TsTrainSpec *s = c->spec;
  const TsModel *m = s->model;
  const TsMachineGroup *a = &c->run->cluster->accel;
  gboolean half = below_fp32(s->precision);
  double per_device = (double) s->batch / a->devices;
  /* A model's forward FLOPs per sample already follow its active parameters (models.gpt counts 2 x N_active per
   * token): they are not scaled by active / params again, which counted a mixture of experts' FLOPs twice as sparse. */
  const char *precision = ts_precision_get_name(s->precision);
  /* The model's products (dense layers, convolutions as implicit GEMM), forward + backward = 3 x forward (+1
   * forward with full recomputation), as one "matmul" operation per layer; shape of one layer's product for a
   * transformer: micro-batch tokens x width x width. */
  double flops = (3.0 + c->recompute) * m->flops * per_device * s->views;
  /* Weights are read by the matrix units (forward, backward for activations, backward for weights): that
   * traffic overlaps the arithmetic, so it only matters when it is the larger of the two (the roofline). */
  double weight_bytes = 3.0 * device_params * (half ? 2.0 : 4.0) * n_micro;
  double layers = m->layers > 0 ? m->layers : 1;
  double tokens = m->workload == TS_WORKLOAD_TRANSFORMER && m->seq > 0 ? micro * m->seq : 0;
  if (!operation(c, "matmul", precision, flops, weight_bytes, layers * n_micro, tokens, m->width, m->width,
                 micro * s->views, &st->compute, error))
    return FALSE;
  /* The activations kept for the backward pass are written by the forward pass and read back by the
   * backward pass through the element-wise layers (normalisation, activation functions, residual adds),
   * which run between the matrix products rather than under them: this traffic adds to the compute time at
   * the device's memory bandwidth.  Twice the stored bytes is the least such traffic; fp32 activations are
   * twice the bytes of 16-bit ones, which is why fp32 training runs slower even where the matrix units
   * multiply in bf16 either way (TPU).  Full recomputation writes them a second time.  A device's share is
   * that of its samples (per_device already divides by the tensor, pipeline and context ranks). */
  double act_bytes = (2.0 + c->recompute) * m->activations * (half ? 1.0 : 2.0) * s->views * per_device;
  /* The element-wise layers are what a graph compiler fuses into the neighbouring products: the stack's fusion
   * is the fraction of these bytes still moved (eager: all of them). */
  act_bytes *= c->stack.fusion;
  if (!operation(c, "elementwise", precision, 0, act_bytes, layers * n_micro, 0, 0, 0, micro * s->views,
                 &st->activations, error))
    return FALSE;
  /* Kernel launches and their host-side cost (the stack's launch_s each): the products and the element-wise
   * layers of every layer and micro-batch, and the optimizer's one (set against the device work by step_time). */
  double launches = 2.0 * layers * n_micro + 1.0;
  st->launch = c->stack.launch_s * launches;
  st->compute_bound = st->compute;
  st->memory_bound = st->activations;
  return TRUE;
}

/* The width of the keys and values one rank of a context-parallel group exchanges per token: its tensor-
 * parallel share of the key/value heads (kv_heads / tp, or one replicated head when kv_heads < tp; Megatron-
 * Core's context-parallel group joins the ranks of the same tensor rank), K and V each head_dim wide --
 * grouped-query attention sends kv_heads, not heads, which is why the Llama 3 paper's context parallelism
 * finds the K/V exchange small (arXiv 2407.21783, sec. 3.3.2: "the K and V tensors are much smaller than Q
 * tensor due to the use of GQA").  Multi-head latent attention's keys carry the shared rotary part
 * (head_dim + rope_head_dim) beside values of head_dim, one per query head.  A model without heads
 * (model{params, flops, ...}) counts multi-head attention: 2 x width / tp. */
static double
kv_width(const TsModel *m, guint tp)
{
  if (m->heads == 0)
    return 2.0 * m->width / tp;
  double head_dim = m->head_dim > 0 ? m->head_dim : (double) m->width / m->heads;
  if (m->kv_lora_rank > 0)
    return (double) m->heads / tp * (2.0 * head_dim + m->rope_head_dim);
  guint kv = m->kv_heads > 0 ? m->kv_heads : m->heads;
  double local = kv >= tp ? (double) kv / tp : 1.0;
  return 2.0 * head_dim * local;
}

/* The model-parallel collectives of a step (st->tensor, st->context, st->experts), each less what is hidden
 * under the compute it overlaps: `attention` is the step's attention-core time on the device, `products` that
 * of its other products, the dense layers (compute.c); those the plugin does not model count 0 and set their bit in *missing. */
/* The share of a layer's forward collectives that recomputation runs again: the recomputed fraction of the
 * layers, or what a named remat policy re-runs (remat.c, ts_remat_policy_collectives_rerun). */
static double
collectives_rerun(const StepCost *c)
{
  guint policy = c->spec->remat_policy;
  return policy > 0 ? ts_remat_policy_collectives_rerun(ts_remat_policy_get_keep(policy)) : c->recompute;
}

static gboolean
model_parallel_terms(const StepCost *c, double micro, guint n_micro, gboolean forward_only, double attention,
                     double products, TsStepBreakdown *st, guint *missing, GError **error)
{
  TsRun *run = c->run;
  const TsTrainSpec *s = c->spec;
  const TsModel *m = s->model;
  const TsMachineGroup *a = &run->cluster->accel;
  gboolean half = below_fp32(s->precision);
  /* Tensor parallelism: 4 all-reduces of the layer's activations per layer per micro-batch (2 forward, 2
   * backward; Shoeybi et al. 2019), 6 with full recomputation, whose second forward pass repeats its two
   * (Korthikanti et al. 2022, §4).  Sequence parallelism turns each all-reduce into an all-gather and a
   * reduce-scatter of the same tensor, the same volume (their §4.2.2).  What is hidden: a run whose stack
   * pipelines this traffic with the products (parallel.tp_overlap = true: Megatron-LM's --tp-comm-overlap,
   * NeMo's ub_tp_comm_overlap / TP_COMM_OVERLAP, which split each all-gather and reduce-scatter into chunks
   * that run beside the chunks of the neighbouring product) hides the stack's fitted `tp_overlap` fraction of
   * it, at most the products' time; a fraction given instead (parallel.tp_overlap = F) hides F of it. */
  double t_tp = 0;
  if (s->tp > 1 && m->layers > 0 && m->width > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double bytes = micro * seq * m->width * (half ? 2.0 : 4.0);
    double one;
    guint tp_node = MIN(s->tp, ts_machine_group_get_domain(a));
    if (s->sequence_parallel) {
      double gather, scatter;
      if (!collective(run, TS_COLLECTIVE_ALL_GATHER, s->tp, tp_node, NULL, bytes, &gather, missing, MISSING_TP,
                      error) ||
          !collective(run, TS_COLLECTIVE_REDUCE_SCATTER, s->tp, tp_node, NULL, bytes, &scatter, missing, MISSING_TP,
                      error))
        return FALSE;
      one = gather + scatter;
    } else if (!collective(run, TS_COLLECTIVE_ALL_REDUCE, s->tp, tp_node, NULL, bytes, &one, missing, MISSING_TP,
                           error)) {
      return FALSE;
    }
    t_tp = (forward_only ? 2.0 : 4.0 + 2.0 * collectives_rerun(c)) * one * (double) m->layers / s->pp * n_micro;
    if (s->tp_comm_overlap)
      t_tp -= c->stack.tp_overlap * MIN(t_tp, products);
    else
      t_tp *= 1.0 - s->tp_overlap;
  }
  /* Context parallelism (ring attention; Liu et al. 2023, Megatron-Core's and Transformer Engine's
   * context-parallel attention): the cp ranks pass the keys and values of their sequence chunks around a ring
   * (cp - 1 hops, the volume of an all-gather), forward, and again with their gradients, backward -- 3
   * all-gathers of micro x seq/cp tokens x the key/value width above (kv_width) per layer and micro-batch, a
   * 4th with full recomputation.  Each hop runs while the attention of the chunk already received is computed,
   * so what the attention of cp - 1 of the cp chunks does not cover, at the stack's `overlap` of that window,
   * adds to the step. */
  double t_cp = 0;
  if (s->cp > 1 && m->layers > 0 && m->width > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double bytes = micro * seq / s->cp * kv_width(m, s->tp) * (half ? 2.0 : 4.0);
    double one;
    guint per_node = MAX(1u, ts_machine_group_get_domain(a) / s->tp);
    if (!collective(run, TS_COLLECTIVE_ALL_GATHER, s->cp, MIN(per_node, s->cp), NULL, bytes, &one, missing,
                    MISSING_CP, error))
      return FALSE;
    t_cp = (forward_only ? 1.0 : 3.0 + collectives_rerun(c)) * one * (double) m->layers / s->pp * n_micro;
    double hiding = c->stack.overlap * attention * (s->cp - 1) / s->cp;
    t_cp = t_cp > hiding ? t_cp - hiding : 0.0;
  }
  /* Mixture of experts with expert parallelism: each MoE layer dispatches its tokens to the ranks holding their
   * experts and combines the results back, an all-to-all each, forward and again backward (their gradients) --
   * 4 per MoE layer per micro-batch, 6 with full recomputation, whose second forward pass repeats its two.
   * Each rank sends every one of its tokens to its top-k experts: micro x seq/(cp x tp) tokens (Megatron-Core
   * requires sequence parallelism with tensor and expert parallelism, so the tensor ranks split the tokens) x
   * active_experts x width, at 16 bits (32 for fp32 training).  The expert-parallel group is ep consecutive
   * data-parallel ranks (tp-cp-ep-dp-pp order): inside a node while it fits in the node's per_node/(tp x cp)
   * data-parallel ranks, across nodes otherwise.  Not hidden behind compute, but under DualPipe (DeepSeek-V3,
   * parallel.schedule = "dualpipe"), which runs a forward and a backward chunk of two micro-batches together so
   * that each one's all-to-all proceeds under the other's computation (deepseek-ai/DualPipe: "full overlap of
   * forward and backward computation-communication phases"): the stack's `overlap` of the step's products
   * hides it, and only what exceeds them shows. */
  double t_moe = 0;
  guint moe_layers = m->moe_layers > 0 ? m->moe_layers : m->layers;
  if (m->experts > 1 && s->ep > 1 && moe_layers > 0 && m->width > 0) {
    double seq = m->seq > 0 ? m->seq : 1;
    double k = m->active_experts > 0 ? m->active_experts : 1;
    double bytes = micro * seq / ((double) s->cp * s->tp) * k * m->width * (half ? 2.0 : 4.0);
    guint in_node = MIN(s->ep, MAX(1u, ts_machine_group_get_domain(a) / (s->tp * s->cp)));
    double one;
    if (!collective(run, TS_COLLECTIVE_ALL_TO_ALL, s->ep, in_node, NULL, bytes, &one, missing, MISSING_MOE, error))
      return FALSE;
    t_moe = (forward_only ? 2.0 : 4.0 + 2.0 * c->recompute) * one * (double) moe_layers / s->pp * n_micro;
    if (s->dualpipe) {
      double hiding = c->stack.overlap * (attention + products);
      t_moe = t_moe > hiding ? t_moe - hiding : 0.0;
    }
  }
  st->tensor = t_tp;
  st->context = t_cp;
  st->experts = t_moe;
  return TRUE;
}

/* What a once-per-step collective of `traffic` seconds leaves exposed when it may start only as the last
 * micro-batch's pass over each model chunk produces (or, for a gather, first needs) that chunk's parameters.
 * `micro_pass` is one micro-batch's backward (or forward) pass on the device, `overlap` the stack's fraction of
 * a window that hides communication.  Without interleaving (vp = 1) the buckets are launched as that pass
 * produces them, so the pass itself is the window; the first pipeline stage, whose last backward pass ends the
 * step, has no cool-down after it (on a later stage the idle cool-down is already the bubble's).  With vp model
 * chunks per device, Megatron-LM's interleaved schedule runs the backward passes in groups of pp micro-batches
 * per chunk, the last chunk first, and launches a chunk's reduction after its last micro-batch ("launch grad
 * synchronization (custom grad sync)", is_last_microbatch_for_model_chunk; megatron/core/pipeline_parallel/
 * schedules.py): chunk j (j = vp-1 .. 0) starts with j x pp chunk passes (each micro_pass / vp) still to run,
 * and the chunks share the network one after the other, so the exposed time is the largest over j of
 * (j + 1) x traffic / vp - (j x pp + 1) x overlap x micro_pass / vp.  The forward gathers mirror it: Megatron
 * launches the next chunk's parameter gather at the first forward pass of the current one. */
static double
windowed_exposure(double traffic, double micro_pass, double overlap, guint pp, guint vp)
{
  if (!(traffic > 0))
    return 0.0;
  if (vp < 1)
    vp = 1;
  double chunk = traffic / vp, pass = overlap * micro_pass / vp, exposed = 0.0;
  for (guint j = 0; j < vp; j++)
    exposed = MAX(exposed, (j + 1.0) * chunk - ((double) j * pp + 1.0) * pass);
  return exposed;
}

/* Data parallelism over the data- and context-parallel ranks that hold the same weights (fp32 gradients for
 * fp32 training, 16-bit otherwise; reduce_gradients says which collectives and when), each less what its window
 * hides at the stack's `overlap`: the once-per-step reduction the last micro-batch's backward pass (backward =
 * (2 + recompute) / (3 + recompute) of the compute, the recomputed forward included) and, interleaved, the
 * chunks' cool-down (windowed_exposure); the once-per-step gather the first micro-batch's forward pass; ZeRO-2's
 * reduction the whole backward pass; ZeRO-3's per-micro-batch gathers and scatters the whole compute, prefetched
 * under it.  With one micro-batch per step the first two windows are the whole backward and forward passes.
 * On TPUs the data-parallel ranks of one slice share its ICI torus; several slices (multislice) split them
 * evenly, and the plugin joins the slices over the data-centre network.  On GPUs an NVLink domain of k GPUs
 * holds k / (tp x pp) ranks of one data-parallel group (the pipeline stages placed inside it first; Megatron-LM's
 * own default order, "tp-cp-ep-dp-pp", would put k / tp there: docs/model.md says why it is not used yet).
 * *exposed: the part not hidden. */
static gboolean
data_parallel_term(StepCost *c, guint dp, guint n_micro, double dense_params, double expert_params,
                   double t_compute, double *exposed, guint *missing, GError **error)
{
  TsRun *run = c->run;
  const TsTrainSpec *s = c->spec;
  const TsMachineGroup *a = &run->cluster->accel;
  DpTraffic t = {0};
  double *node_bytes = &c->step.fabric_bytes;
  guint replicas = dp * s->cp;
  *exposed = 0;
  *node_bytes = 0;
  if (replicas <= 1)
    return TRUE;
  guint per_node = a->slice ? MAX(1u, (replicas + a->slices - 1) / MAX(1u, a->slices))
                            : MAX(1u, ts_machine_group_get_domain(a) / (s->tp * s->pp));
  per_node = MIN(per_node, replicas);
  const guint *dims = a->slice ? a->dims : NULL;
  guint group = s->shard_group > 0 ? MIN(replicas, s->shard_group * s->cp) : replicas;
  if (s->ep == 1) {
    if (!reduce_gradients(run, s, dense_params + expert_params, replicas, per_node, group, dims, n_micro, &t,
                          node_bytes, missing, error))
      return FALSE;
  } else {
    /* Expert parallelism: the dense part's gradients over all the replicas, each expert's over the replicas/ep
     * ranks that hold it -- every ep-th rank, so a node holds per_node/ep of them -- one after the other. */
    DpTraffic e;
    if (!reduce_gradients(run, s, dense_params, replicas, per_node, group, dims, n_micro, &t, node_bytes, missing,
                          error) ||
        !reduce_gradients(run, s, expert_params, replicas / s->ep, MAX(1u, per_node / s->ep), MAX(1u, group / s->ep),
                          dims, n_micro, &e, node_bytes, missing, error))
      return FALSE;
    t.backward += e.backward;
    t.forward += e.forward;
    t.every += e.every;
    t.whole_backward += e.whole_backward;
  }
  /* parallel.dp_overlap: a run whose reductions wait for the backward pass (apex's DistributedFusedLAMB without
   * overlap_reductions reduces in complete_reductions(), after it) hides none; one that overlaps only the
   * reductions gathers the updated weights after the update, before the next forward pass (DistributedFusedLAMB's
   * _pipeline_step), and hides no gather.  ZeRO-3's per-micro-batch traffic counts as gathers. */
  double overlap = c->stack.overlap, rc = c->recompute;
  double reduce_overlap = s->dp_overlap == TS_DP_OVERLAP_NONE ? 0.0 : overlap;
  double gather_overlap = s->dp_overlap == TS_DP_OVERLAP_ALL ? overlap : 0.0;
  double backward = t_compute * (2.0 + rc) / (3.0 + rc), forward = t_compute / (3.0 + rc);
  guint micro = MAX(1u, n_micro), vp = MAX(1u, s->vp);
  double shown = windowed_exposure(t.backward, backward / micro, reduce_overlap, s->pp, vp) +
                 windowed_exposure(t.forward, forward / micro, gather_overlap, s->pp, vp);
  if (t.whole_backward > 0)
    shown += MAX(0.0, t.whole_backward - reduce_overlap * backward);
  if (t.every > 0)
    shown += MAX(0.0, t.every - gather_overlap * t_compute);
  *exposed = shown;
  return TRUE;
}

/* The fp32 tensor passes of an unfused update, per parameter: each elementary operation reads its operands and
 * writes its result once over the whole state.  PyTorch's foreach implementations (torch/optim/sgd.py and
 * adamw.py, _multi_tensor_*; the default on CUDA since pytorch/pytorch#95415, "Set defaults to foreach, NOT
 * fused") and the for-loop ones run the same operations, one kernel per operation over all tensors or per tensor:
 *  - sgd: param.add_(grad, -lr): 3 passes (read param and grad, write param);
 *  - momentum: buf.mul_(momentum) 2, buf.add_(grad) 3, param.add_(buf, -lr) 3: 8;
 *  - adam, adamw: the decay param.mul_ 2, exp_avg lerp_ (or mul_ and add_) 3, exp_avg_sq.mul_ 2, addcmul_(grad,
 *    grad) 3, sqrt 2, the bias-correction div_ 2, add_(eps) 2, param.addcdiv_(exp_avg, denom) 4: 20 (MosaicML
 *    Composer's DecoupledAdamW, a for-loop, runs the same twenty without the decay and with exp_avg's mul_ and
 *    add_ apart, 2 + 3).
 * 0 for the optimizers whose unfused update is not modelled (the scenario refuses them). */
static double
unfused_passes(const char *optimizer)
{
  if (g_strcmp0(optimizer, "sgd") == 0)
    return 3;
  if (g_strcmp0(optimizer, "momentum") == 0)
    return 8;
  if (g_strcmp0(optimizer, "adam") == 0 || g_strcmp0(optimizer, "adamw") == 0)
    return 20;
  return 0;
}

/* Optimizer update: a fused update reads and writes weights, master copy and state once per step; an unfused one
 * (optimizer_impl "foreach" or "for-loop") moves its fp32 passes' bytes (unfused_passes). */
static gboolean
update_term(const StepCost *c, guint dp, double dense_params, double expert_params, double *t_update,
            GError **error)
{
  const TsTrainSpec *s = c->spec;
  double dense_group = 1, expert_group = 1;
  if (s->zero >= 1)
    zero_groups(s, dp, &dense_group, &expert_group);
  double per_param = 2.0 * ((below_fp32(s->precision) ? 6.0 : 4.0) + optimizer_state_bytes(s->optimizer));
  if (s->optimizer_unfused && unfused_passes(s->optimizer) > 0)
    per_param = 4.0 * unfused_passes(s->optimizer);
  double update_bytes = dense_params * per_param / dense_group + expert_params * per_param / expert_group;
  return operation(c, "optimizer", "fp32", 0, update_bytes, 1, 0, 0, 0, 0, t_update, error);
}

/* Not modelled is null in the outputs, never 0 s; the step time leaves those terms out, and says so once. */
static void
not_modelled(StepCost *c, guint missing)
{
  if (missing & MISSING_TP)
    c->step.tensor = NAN;
  if (missing & MISSING_CP)
    c->step.context = NAN;
  if (missing & MISSING_MOE)
    c->step.experts = NAN;
  if (missing & MISSING_DP)
    c->step.data_exposed = NAN;
  if (c->warned_not_modelled)
    return;
  c->warned_not_modelled = TRUE;
  ts_run_add_diagnostic(c->run, TS_SEVERITY_WARNING, "collective-not-modelled",
                        "%s: plugin %s does not model the %s%s%s%s collectives of this run: those step terms are "
                        "null and the step time leaves them out", c->where, c->run->cluster->accel.plugin->name,
                        missing & MISSING_TP ? "tensor-parallel " : "", missing & MISSING_CP ? "context-parallel " : "",
                        missing & MISSING_MOE ? "expert all-to-all " : "", missing & MISSING_DP ? "data-parallel" : "");
}

gboolean
step_time(StepCost *c, guint dp, double micro, guint n_micro, double *seconds, GError **error)
{
  const TsTrainSpec *s = c->spec;
  TsStepBreakdown *st = &c->step;
  guint missing = 0;
  double dense_params, expert_params; /* on this device (device_params) */
  device_params(s, s->model, &dense_params, &expert_params);
  double attention = 0;
  if (!operation_terms(c, micro, n_micro, dense_params + expert_params, st, &attention, error) ||
      !model_parallel_terms(c, micro, n_micro, FALSE, attention, st->compute - attention, st, &missing, error))
    return FALSE;
  double t_compute = st->compute, t_act = st->activations, t_launch = st->launch;
  double t_tp = st->tensor, t_cp = st->context, t_moe = st->experts;
  /* 1F1B pipeline bubble: (pp - 1) idle slots per n_micro micro-batches, each slot as long as one micro-
   * batch's forward and backward work on a stage, its tensor-, context- and expert-parallel traffic included;
   * the interleaved schedule with v stages per device divides it by v (Narayanan et al. 2021, §2.2.1 and
   * §2.2.2).  DualPipe's bubble is (PP/2 - 1)(F&B + B - 3W) against 1F1B's (PP - 1)(F + B) (deepseek-ai/DualPipe,
   * "Pipeline Bubbles and Memory Usage Comparison"): with a slot's work T = F + B, B = 2F, W (the backward for
   * the weights) = B / 2 and F&B (a forward and a backward chunk overlapped) = F + B, each of its pp/2 - 1 slots
   * lasts 2T/3. */
  double per_micro_path = t_compute + t_act + t_tp + t_cp + t_moe;
  double bubble = 0.0;
  if (s->pp > 1 && s->dualpipe)
    bubble = per_micro_path * (s->pp / 2.0 - 1.0) * (2.0 / 3.0) / n_micro;
  else if (s->pp > 1)
    bubble = per_micro_path * (double) (s->pp - 1) / ((double) n_micro * s->vp);
  double exposed, t_update;
  if (!data_parallel_term(c, dp, n_micro, dense_params, expert_params, t_compute, &exposed, &missing, error) ||
      !update_term(c, dp, dense_params, expert_params, &t_update, error))
    return FALSE;
  /* The host enqueues the step's kernels ahead of the device (asynchronously; the stream's queue holds about a
   * thousand of them), so its launch time costs the step only where it exceeds everything the device does in the
   * step: the step is the larger of the two, not their sum (docs/model.md, "Stack constants").  An eager
   * PyTorch step of a small batch is bound by the host this way: one H200 runs ResNet-50 at batch 32, 64 and
   * 128 in 34.9, 34.9 and 31.5 ms (docs/data/gpu-measure-h200.jsonl), at 256 in 54.6 ms. */
  double device = t_compute + t_act + bubble + t_tp + t_cp + t_moe + exposed + t_update;
  t_launch = MAX(0.0, t_launch - device);
  double overhead = c->stack.overhead_s;
  *seconds = device + t_launch + overhead;
  st->attention = attention;
  st->bubble = bubble;
  st->data_exposed = exposed;
  st->launch = t_launch;
  st->update = t_update;
  st->overhead = overhead;
  st->memory_bound += t_update;
  if (missing)
    not_modelled(c, missing);
  return TRUE;
}

gboolean
eval_collectives(StepCost *c, double micro, double attention, double products, double *seconds, GError **error)
{
  TsStepBreakdown st = {0};
  guint missing = 0;
  if (!model_parallel_terms(c, micro, 1, TRUE, attention, products, &st, &missing, error))
    return FALSE;
  *seconds = st.tensor + st.context + st.experts;
  return TRUE;
}

/* Stragglers (stragglers.h, docs/model.md "Stragglers"): every node waits for the slowest before the step's
 * collectives complete, so the step's device work -- the operations, their launches and the optimizer update --
 * takes the expected largest factor of the nodes; the communication itself runs at the links' speed.  With mixed
 * generations the factor is relative to the cluster's own devices, and below 1 when a faster generation balanced
 * by speed takes more of the batch: the term is then negative, the time the step saves. */
static void
wait_for_slowest(StepCost *c, double *step)
{
  TsStepBreakdown *st = &c->step;
  st->stragglers = 0;
  if (!(c->straggler_factor > 0) || c->straggler_factor == 1) /* 0: none; below 1: mixed, balanced by speed */
    return;
  st->stragglers = (c->straggler_factor - 1) * (st->compute + st->activations + st->launch + st->update);
  *step += st->stragglers;
}

/* attention = "flash2" on a device whose catalog states no measured FlashAttention-2 rate runs the core as any fused
 * attention, at the products' fitted rate (plugin-helpers.c): said, since that is not what the run asked for. */
static void
say_flash2_unrated(StepCost *c)
{
  TsDevice *device = c->device != NULL ? c->device : c->run->device;
  if (c->quiet || c->spec->attention != TS_ATTENTION_FLASH2 || device == NULL)
    return;
  const TsDeviceRecord *rec = ts_device_get_record(device);
  if (rec == NULL || rec->spec.attention_flash2 > 0)
    return;
  ts_run_add_diagnostic(c->run, TS_SEVERITY_INFO, "attention-flash2-unrated",
                        "%s: attention = \"flash2\": no measured FlashAttention-2 rate for %s in its catalog "
                        "(attention_flash2), so the attention core runs as a fused attention at the products' rate",
                        c->where, rec->spec.sku ? rec->spec.sku : "this device");
}

gboolean
batch_step(StepCost *c, guint dp, double micro, guint n_micro, double *step, GError **error)
{
  if (!step_time(c, dp, micro, n_micro, step, error)) {
    g_prefix_error(error, "%s: ", c->where);
    return FALSE;
  }
  wait_for_slowest(c, step); /* the slowest node's wait is the devices' too */
  c->device_step = *step;
  c->bound = TS_STEP_BOUND_DEVICES;
  say_flash2_unrated(c);
  input_bound(c, step);
  storage_bound(c, step);
  return TRUE;
}
