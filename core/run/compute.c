/* The device work of one training step from the model's operation list (compute.h).
 *
 * Each operation of ts_model_ops_append goes to the device on its own, with its kind, its shape (m, n, k of
 * one launch), its FLOPs, its bytes and its launch count: the plugin's operation call answers, or the host's
 * roofline (core/plugin/device.c).  A fusible memory-bound operation (an activation function, a residual
 * add, dropout) reaches the device with the stack's `fusion` of its bytes and launches: what a graph compiler
 * folds into the neighbouring product no longer moves through memory on its own (eager: fusion 1).  Each
 * operation's time counts as compute-bound when its arithmetic alone takes as long as the whole operation
 * (the roofline's compute side), memory-bound otherwise.  docs/model.md, "Operator-level model". */
#include "run/compute.h"

#include "model/operators.h"

/* 16-bit values travel between the kernels of an 8-bit run too: FP8 training (Transformer Engine, Gaudi's
 * FP8) keeps activations and their gradients in 16 bits and casts the operands of each product to 8 bits,
 * the weights once per step (Micikevicius et al. 2022, "FP8 formats for deep learning", §4); the casts are
 * operations of their own (core/model/ops.c, "The 8-bit pass"), and the products read 8-bit weights. */
static void
value_sizes(TsPrecision p, double *value, double *weight)
{
  switch (p) {
  case TS_PRECISION_FP8:
  case TS_PRECISION_INT8:
    *value = 2;
    *weight = 1;
    break;
  case TS_PRECISION_FP16:
  case TS_PRECISION_BF16:
    *value = *weight = 2;
    break;
  default:
    *value = *weight = 4;
    break;
  }
}

static gboolean
is_8bit(TsPrecision p)
{
  return p == TS_PRECISION_FP8 || p == TS_PRECISION_INT8;
}

/* The precision each kind runs at: an 8-bit run's products at 8 bits, its fused attention at 16 (the
 * FlashAttention kernels of the frameworks that train in FP8 keep Q.K^T and P.V in 16 bits) unless the run says
 * its attention is Transformer Engine's FP8 kernel (attention = "fused_fp8"), and so the products it keeps wide
 * (the output head, the MoE router: DeepSeek-V3 report, sec. 3.3.1, keeps "the embedding module, the output head,
 * MoE gating modules, normalization operators, and attention operators" at BF16 or FP32; Megatron-Core's output
 * layer is not a Transformer Engine module and runs at BF16). */
static const char *
precision_of(const TsModelOp *op, TsPrecision p, TsAttentionImpl attention)
{
  gboolean core = g_strcmp0(op->kind, "attention") == 0;
  if (is_8bit(p) && ((core && attention != TS_ATTENTION_FUSED_FP8) || op->wide))
    return ts_precision_get_name(TS_PRECISION_BF16);
  return ts_precision_get_name(p);
}

/* The kind the device sees: FlashAttention-2's own kernels are "attention_flash2", which a device may run at a
 * rate of their own (the catalog's attention_flash2; docs/model.md, "Operator-level model: the layers"). */
static const char *
kind_of(const TsModelOp *op, TsAttentionImpl attention)
{
  if (attention == TS_ATTENTION_FLASH2 && g_strcmp0(op->kind, "attention") == 0)
    return "attention_flash2";
  return op->kind;
}

static gboolean
is_product(const TsModelOp *op)
{
  return g_strcmp0(op->kind, "matmul") == 0 || g_strcmp0(op->kind, "attention") == 0;
}

/* Samples per sample of the data the device computes: a training step augments each into the spec's views
 * (SimCLR's 2); an evaluation pass looks at each once. */
static double
views(const TsStepOpsQuery *q)
{
  return q->forward_only ? 1.0 : q->spec->views;
}

static gboolean
device_call(const TsStepOpsQuery *q, const TsModelOp *op, const double shape[3], double flops, double bytes,
            double count, double *seconds, GError **error)
{
  const TsTrainSpec *s = q->spec;
  TsOperation o;
  ts_operation_init(&o);
  o.kind = kind_of(op, s->attention);
  o.precision = precision_of(op, s->precision, s->attention);
  o.workload = ts_workload_get_name(s->model->workload);
  o.stack = ts_stack_get_name(s->stack);
  o.flops = flops;
  o.bytes = bytes;
  o.count = count;
  o.m = shape[0];
  o.n = shape[1];
  o.k = shape[2];
  o.batch = q->micro * views(q);
  gboolean by_plugin;
  if (!ts_device_operation_time(q->device, &o, seconds, &by_plugin, error)) {
    g_prefix_error(error, "operation %s (%s): ", op->name, op->kind);
    return FALSE;
  }
  return TRUE;
}

/* An operation's device time.  A product goes to the device pass by pass, each with its own shape, since the
 * passes loop over different dimensions (docs/model.md, "Operator-level model"): the forward product over k,
 * the data gradient dy.w^T (an m x k result) over n, the weight gradient x^T.dy (a k x n result) over the m
 * rows of the micro-batch; tiles, waves and the k loop follow each pass's shape. */
static gboolean
device_time(const TsStepOpsQuery *q, const TsModelOp *op, double bytes, double count, double *seconds,
            GError **error)
{
  double passes = op->fwd_passes + op->dgrad_passes + op->wgrad_passes;
  if (g_strcmp0(op->kind, "matmul") != 0 || !(passes > 0)) {
    const double shape[3] = {op->m, op->n, op->k};
    return device_call(q, op, shape, op->flops, bytes, count, seconds, error);
  }
  const double share[3] = {op->fwd_passes / passes, op->dgrad_passes / passes, op->wgrad_passes / passes};
  const double shapes[3][3] = {{op->m, op->n, op->k}, {op->m, op->k, op->n}, {op->k, op->n, op->m}};
  double total = 0;
  for (int i = 0; i < 3; i++) {
    if (!(share[i] > 0))
      continue;
    double t;
    if (!device_call(q, op, shapes[i], op->flops * share[i], bytes * share[i], count * share[i], &t, error))
      return FALSE;
    total += t;
  }
  *seconds = total;
  return TRUE;
}

gboolean
ts_step_ops_compute(const TsStepOpsQuery *q, TsStepOps *out, GError **error)
{
  const TsTrainSpec *s = q->spec;
  *out = (TsStepOps) {0};
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = q->micro * views(q);
  ctx.tp = MAX(1u, s->tp);
  ctx.cp = MAX(1u, s->cp);
  ctx.pp = MAX(1u, s->pp);
  ctx.partition_embeddings = s->partition_embeddings;
  ctx.ep = MAX(1u, s->ep);
  ctx.sequence_parallel = s->sequence_parallel;
  ctx.recompute = q->forward_only ? 0 : q->recompute;
  ctx.forward_only = q->forward_only;
  ctx.remat_policy = s->remat_policy > 0;
  ctx.remat_keep = ts_remat_policy_get_keep(s->remat_policy);
  value_sizes(s->precision, &ctx.value_bytes, &ctx.weight_bytes);
  ctx.cast_8bit = is_8bit(s->precision);
  ctx.cast_per_use = s->precision == TS_PRECISION_INT8; /* int8 training is AQT's (ops.c, cast_per_use) */
  ctx.attention = s->attention;
  ctx.batch_norm = s->batch_norm;
  ctx.dropout_given = s->dropout_given;
  ctx.dropout = s->dropout;
  ctx.weight_casts = q->n_micro > 1 ? 1.0 / q->n_micro : 1.0;
  g_autoptr(GArray) ops = g_array_new(FALSE, FALSE, sizeof(TsModelOp));
  if (!ts_model_ops_append(s->model, &ctx, ops, error))
    return FALSE;
  double n_micro = q->n_micro;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    double kept = op->fusible ? q->fusion : 1.0;
    double bytes = op->bytes * kept, count = op->count * kept;
    double t;
    if (!device_time(q, op, bytes, count, &t, error))
      return FALSE;
    /* Bound by its arithmetic when the operation without its traffic takes as long. */
    double t_math = 0;
    if (op->flops > 0 && !device_time(q, op, 0, count, &t_math, error))
      return FALSE;
    t *= n_micro;
    if (is_product(op))
      out->products += t;
    else
      out->memory_ops += t;
    if (g_strcmp0(op->kind, "attention") == 0)
      out->attention += t;
    if (op->flops > 0 && t_math * n_micro >= t * (1 - 1e-9))
      out->compute_bound += t;
    else
      out->memory_bound += t;
    out->launches += count * n_micro;
    out->flops += op->flops * n_micro;
    out->bytes += bytes * n_micro;
  }
  /* The host launches the kernels ahead of the device (asynchronously, through the stream's queue): the list
   * costs the launches' host time only where it exceeds the device's time for the whole list, not per
   * operation -- a short kernel's launch is hidden by the long ones queued before it. */
  out->launch_exposed = MAX(0.0, out->launches * q->launch_s - (out->products + out->memory_ops));
  out->ops = ops->len;
  return TRUE;
}
