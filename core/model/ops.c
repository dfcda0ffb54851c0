/* The operation list of a model with an architecture (operators.h): the shared ways an operation is
 * appended, and the dispatch to the architecture files (decoder.c, encoder.c, resnet.c).
 *
 * Counting rules (docs/model.md, "Operator-level model: the layers"):
 * - a product y = x.w costs 2.m.n.k FLOPs forward; backward is the data gradient dx = dy.w^T and the weight
 *   gradient dw = x^T.dy, each as large again (an input that needs no gradient skips the first); each pass
 *   is one launch that reads its two operands and writes its result once;
 * - a memory-bound pass costs no FLOPs worth counting and moves its tensors once per launch, forward and
 *   backward (the bytes per element are given where each op is appended);
 * - recomputation re-runs `recompute` of every forward launch inside the layers (not the embedding, the
 *   head or the loss) during the backward pass;
 * - forward_only (inference) keeps the forward launches alone. */
#include "model/model-private.h"

#include "common/ts-error.h"

#include <math.h>

void
ts_model_op_context_init(TsModelOpContext *ctx)
{
  *ctx = (TsModelOpContext) {.micro = 1, .tp = 1, .cp = 1, .pp = 1, .value_bytes = 2, .weight_bytes = 2,
                             .recompute = 0, .ep = 1, .sequence_parallel = FALSE,
                             .cast_8bit = FALSE, .cast_per_use = FALSE, .weight_casts = 1,
                             .attention = TS_ATTENTION_FUSED,
                             .batch_norm = TS_BATCH_NORM_SEPARATE, .dropout_given = FALSE, .dropout = 0};
}

gboolean
model_drops_out(const TsModelOpContext *ctx, gboolean architecture_rule)
{
  return ctx->dropout_given ? ctx->dropout > 0 : architecture_rule;
}

gboolean
ts_model_has_architecture(const TsModel *m)
{
  return m != NULL && m->arch > TS_MODEL_ARCH_NONE && m->arch < TS_MODEL_ARCH_COUNT;
}

/* How many times the backward pass re-runs an operation's forward launch: the recompute fraction inside the
 * layers, or under a named policy once where the policy does not keep what it needs (remat.c). */
static double
recomputed(const TsModelOpContext *ctx, gboolean in_layer, TsRematRole role)
{
  if (!in_layer || ctx->forward_only)
    return 0;
  if (ctx->remat_policy)
    return ts_remat_role_recomputed(ctx->remat_keep, role) ? 1 : 0;
  return ctx->recompute;
}

/* The 8-bit pass.  FP8 training (Transformer Engine; Micikevicius et al. 2022, "FP8 formats for deep learning",
 * sec. 4) and int8 training (AQT) keep activations, their gradients and the weights in 16 bits (or more) and
 * hand each product 8-bit copies of its operands, made by memory-bound passes of their own, listed here apart
 * from the product (v = the 16-bit value's bytes, 2):
 * - the input x (`in` values), forward: read at v, written at 1 byte twice, as it is for the product and
 *   transposed for the weight gradient x^T.dy (TE's fused cast + transpose, whose amax is reduced in the same
 *   pass): v + 2 per value; re-run where the forward is recomputed; inference writes no transpose (v + 1);
 * - the output gradient dy (`out` values), backward: v + 2 (dy for the data gradient, dy^T for the weight
 *   gradient); v + 1 where the input needs no gradient (dy^T alone);
 * - the weights (k x n), v + 2 (w for the forward product, w^T for the data gradient; inference v + 1), once
 *   per step: TE casts them at the first micro-batch and keeps them for the others (`is_first_microbatch`), so
 *   a micro-batch carries ctx->weight_casts of the pass.
 * The input and gradient casts are fusible (TE fuses them into the LayerNorm and the GELU that produce the
 * operand; XLA folds the convert into its producer): the stack's fusion applies to them.  The weights' cast
 * is a kernel of its own.  The amax history and the scales (a few values per tensor) are left out. */
static void
cast_pass(GArray *ops, const TsModelOpContext *ctx, const ModelProduct *p)
{
  double v = ctx->value_bytes, again = recomputed(ctx, p->recomputed, p->role);
  gboolean training = !ctx->forward_only;
  double copies = training ? 2 : 1;
  TsModelOp act = {.kind = "elementwise", .name = "cast8.operands", .fusible = TRUE};
  act.bytes = (p->in * (v + copies) * (1 + again) + (training ? p->out * (v + (p->no_data_grad ? 1 : 2)) : 0)) *
              p->times;
  act.count = (1 + again + (training ? 1 : 0)) * p->times;
  g_array_append_val(ops, act);
  TsModelOp w = {.kind = "elementwise", .name = "cast8.weights", .fusible = FALSE};
  w.bytes = p->k * p->n * (v + copies) * ctx->weight_casts * p->times;
  w.count = ctx->weight_casts * p->times;
  g_array_append_val(ops, w);
}

/* int8 training is AQT's (MaxText quantization=int8; google/aqt aqt/jax/v2/aqt_dot_general.py): every
 * dot_general call, forward and both backward ones, calibrates and quantizes its two operands afresh
 * (DotGeneralRaw.__call__: "quant(lhs, rhs, ...)", the scale from the tensor's own abs-max along the contraction
 * axes), where Transformer Engine casts each tensor once and the weights once per step.  So per call and operand
 * v + 1 bytes per value (one read, the reduction fused with the cast, and the one-byte write: the least traffic):
 * the input x in the forward call(s) (re-run where recomputed) and the weight gradient's, dy in the data and the
 * weight gradients', and the weights in the forward call(s) and the data gradient's, at every micro-batch. */
static void
cast_per_use(GArray *ops, const TsModelOpContext *ctx, const ModelProduct *p)
{
  double per = ctx->value_bytes + 1, forward = 1 + recomputed(ctx, p->recomputed, p->role);
  double wgrad = ctx->forward_only ? 0 : 1, dgrad = ctx->forward_only || p->no_data_grad ? 0 : 1;
  TsModelOp act = {.kind = "elementwise", .name = "cast8.operands", .fusible = TRUE};
  act.bytes = (p->in * (forward + wgrad) + p->out * (dgrad + wgrad)) * per * p->times;
  act.count = (forward + wgrad + dgrad + wgrad) * p->times;
  g_array_append_val(ops, act);
  TsModelOp w = {.kind = "elementwise", .name = "cast8.weights", .fusible = FALSE};
  w.bytes = p->k * p->n * per * (forward + dgrad) * p->times;
  w.count = (forward + dgrad) * p->times;
  g_array_append_val(ops, w);
}

void
model_product(GArray *ops, const TsModelOpContext *ctx, const ModelProduct *p)
{
  gboolean cast = ctx->cast_8bit && !p->wide;
  /* A product an 8-bit run keeps wide reads 16-bit weights (the values are 16-bit already). */
  double vb = ctx->value_bytes, wb = ctx->cast_8bit && p->wide ? ctx->value_bytes : ctx->weight_bytes;
  double weights = p->k * p->n;
  double fwd_flops = 2 * p->m * p->n * p->k;
  double pass_bytes = (p->in + p->out) * vb + weights * wb; /* each pass: two operands in, one result out */
  double passes = ctx->forward_only ? 1 : (p->no_data_grad ? 2 : 3) + recomputed(ctx, p->recomputed, p->role);
  TsModelOp op = {.kind = "matmul", .name = p->name, .m = p->m, .n = p->n, .k = p->k, .fusible = FALSE,
                  .wide = ctx->cast_8bit && p->wide};
  op.fwd_passes = ctx->forward_only ? 1 : 1 + recomputed(ctx, p->recomputed, p->role);
  op.dgrad_passes = ctx->forward_only || p->no_data_grad ? 0 : 1;
  op.wgrad_passes = ctx->forward_only ? 0 : 1;
  op.flops = fwd_flops * passes * p->times;
  op.bytes = pass_bytes * passes * p->times;
  op.count = passes * p->times;
  op.params = p->params * p->times;
  g_array_append_val(ops, op);
  if (cast && ctx->cast_per_use)
    cast_per_use(ops, ctx, p);
  else if (cast)
    cast_pass(ops, ctx, p);
}

void
model_stream(GArray *ops, const TsModelOpContext *ctx, const ModelStream *s)
{
  double again = recomputed(ctx, s->recomputed, s->role);
  TsModelOp op = {.kind = s->kind, .name = s->name, .fusible = s->fusible};
  double backward = ctx->forward_only ? 0 : 1;
  op.bytes = s->elements * (s->fwd * (1 + again) + s->bwd * backward) * s->times;
  /* A pass with no forward bytes runs inside a neighbouring kernel (resnet.c, a convolution-fused batch norm):
   * no forward launch of its own. */
  double forward = s->fwd > 0 ? 1 + again : 0;
  op.count = (forward + backward) * s->times;
  op.params = s->params * s->times;
  g_array_append_val(ops, op);
}

/* The attention core, by the run's implementation (ctx->attention; docs/model.md, "Operator-level model: the
 * layers").  Q, K, V, O and their gradients: q_side and kv_side bytes each.
 *
 * Fused (FlashAttention, Dao 2022; FlashAttention-2, Dao 2023): forward is two products per head, S = Q.K^T and
 * O = P.V, 2 x 2.q.kv.d FLOPs, in one launch that never writes S; backward recomputes S and computes dV, dP, dQ
 * and dK: five products, 2.5 x the forward, in one launch.  Causal: half the blocks are skipped.  Bytes: forward
 * reads Q, K, V and writes O; backward reads Q, K, V, O, dO and writes dQ, dK, dV.
 *
 * Materialised (before FlashAttention): S = Q.K^T and O = P.V are batched products of their own (two forward
 * launches; backward dV = P^T.dO, dP = dO.V^T, dQ = dS.K, dK = dS^T.Q, four launches, 2 x the forward), each
 * computing the whole q x kv matrix, a causal mask included (the mask is applied to the full scores).  The
 * products move the score matrix (E = micro.heads.q.kv values of v bytes): forward S written, P read (2E.v);
 * backward P read, dP written, dS read twice (4E.v).  Between them a memory-bound pass, listed apart as
 * `attn.softmax` (not fusible: the run's code says which kernels ran), per score value:
 * - fused_softmax (Megatron's scaled_masked_softmax / scaled_upper_triang_masked_softmax, one kernel each way):
 *   forward reads S, writes P (2v); backward reads dP and P, writes dS (3v);
 * - unfused (Megatron-LM 2019, mpu/transformer.py: `attention_scores / math.sqrt(...)`,
 *   `torch.mul(attention_scores, ltor_mask) - 10000.0 * (1.0 - ltor_mask)`, `torch.nn.Softmax`, each a PyTorch
 *   kernel): forward scale, mask multiply, subtract, softmax, 2v each (8v; the [1, 1, s, s] mask terms are small);
 *   backward softmax 3v, mask multiply 2v, scale 2v (7v; the subtraction's gradient passes through);
 * - with dropout on the probabilities (`dropout`: the model's rule for its hidden dropout), forward reads P, writes
 *   P' and a one-byte mask (2v + 1) and backward reads dP' and the mask, writes dP (2v + 1), in both. */
void
model_attention(GArray *ops, const TsModelOpContext *ctx, double q_len, double kv_len, double head_dim,
                double heads, double kv_heads, double times, gboolean causal, gboolean dropout)
{
  gboolean fused = ts_attention_is_fused(ctx->attention);
  /* Transformer Engine's FP8 attention reads and writes Q, K, V, O and their gradients at 8 bits (te_layers.py of
   * the MLPerf BERT runs: the QKV product's output "D_dtype=fp8_dtype_forward", dQKV at META_DQKV). */
  double vb = ctx->attention == TS_ATTENTION_FUSED_FP8 ? 1 : ctx->value_bytes;
  double again = recomputed(ctx, TRUE, TS_REMAT_ROLE_ATTENTION);
  double fwd_flops = 4 * q_len * kv_len * head_dim * heads * (causal && fused ? 0.5 : 1) * ctx->micro;
  double q_side = ctx->micro * q_len * head_dim * heads * vb, kv_side = ctx->micro * kv_len * head_dim * kv_heads * vb;
  TsModelOp op = {.kind = "attention", .name = "attn.core", .m = q_len, .n = kv_len, .k = head_dim};
  double backward = ctx->forward_only ? 0 : 1;
  if (fused) {
    op.flops = fwd_flops * (1 + again + 2.5 * backward) * times;
    op.bytes = ((2 * q_side + 2 * kv_side) * (1 + again) + (4 * q_side + 4 * kv_side) * backward) * times;
    op.count = (1 + backward + again) * times;
    g_array_append_val(ops, op);
    return;
  }
  double scores = ctx->micro * heads * q_len * kv_len;
  op.flops = fwd_flops * (1 + again + 2 * backward) * times;
  op.bytes = ((2 * q_side + 2 * kv_side + 2 * scores * vb) * (1 + again) +
              (4 * q_side + 4 * kv_side + 4 * scores * vb) * backward) * times;
  op.count = (2 * (1 + again) + 4 * backward) * times;
  g_array_append_val(ops, op);
  gboolean unfused = ctx->attention == TS_ATTENTION_UNFUSED;
  double drop_fwd = dropout ? 2 * vb + 1 : 0, drop_bwd = dropout ? 2 * vb + 1 : 0;
  TsModelOp sm = {.kind = "softmax", .name = "attn.softmax", .fusible = FALSE};
  double fwd_bytes = (unfused ? 8 : 2) * vb + drop_fwd, bwd_bytes = (unfused ? 7 : 3) * vb + drop_bwd;
  double fwd_launches = (unfused ? 4 : 1) + (dropout ? 1 : 0), bwd_launches = (unfused ? 3 : 1) + (dropout ? 1 : 0);
  sm.bytes = scores * (fwd_bytes * (1 + again) + bwd_bytes * backward) * times;
  sm.count = (fwd_launches * (1 + again) + bwd_launches * backward) * times;
  g_array_append_val(ops, sm);
}

/* BERT drops out (hidden and attention dropout 0.1); the decoders and ViT do not (docs/model.md, "Dropout"). */
gboolean
model_architecture_drops_out(const TsModel *m)
{
  return m->arch == TS_MODEL_ARCH_ENCODER;
}

/* What the backward pass of a materialised attention core keeps of its scores, per score value (docs/model.md,
 * "Memory"; Korthikanti et al. 2022, "Reducing Activation Recomputation in Large Transformer Models", sec. 4.1:
 * "softmax output with size 2as^2b", "a mask with size as^2b" and the dropout's output "2as^2b", 5as/h bytes per
 * element of the layer's input): the softmax's output P, v bytes, which both Megatron-LM variants save for the
 * softmax's gradient (93ab4bea59, mpu/transformer.py: torch.nn.Softmax saves its result; 5c8238c343,
 * megatron/model/fused_softmax.py: ScaledMaskedSoftmax and ScaledUpperTriangMaskedSoftmax
 * `ctx.save_for_backward(softmax_results, scale_t)`) and which P.V keeps for dV = P^T.dO when nothing drops
 * out; with dropout on the probabilities, also the dropout's one-byte mask and its output P' (v bytes), which
 * P'.V keeps instead.  The scale and the mask terms keep nothing per score (the [1, 1, s, s] mask is small). */
double
ts_model_get_score_bytes(const TsModel *m, const TsModelOpContext *ctx)
{
  if (ts_attention_is_fused(ctx->attention) || ctx->forward_only || !ts_model_has_architecture(m) ||
      m->arch == TS_MODEL_ARCH_RESNET50)
    return 0;
  double tokens = m->arch == TS_MODEL_ARCH_VIT ? model_vit_tokens(m) : m->seq;
  double v = ctx->value_bytes;
  double per_score = model_drops_out(ctx, model_architecture_drops_out(m)) ? 2 * v + 1 : v;
  return (double) m->layers * m->heads * tokens * tokens * per_score;
}

double
model_sp_rows(const TsModelOpContext *ctx, double rows)
{
  return ctx->sequence_parallel ? rows / ctx->tp : rows;
}

/* LayerNorm / RMSNorm, forward: one read and one write of the tensor (the row statistics stay on chip);
 * backward: reads dy and x, writes dx (the scale and shift gradients are small row reductions). */
double
model_norm_fwd(const TsModelOpContext *ctx)
{
  return 2 * ctx->value_bytes;
}

double
model_norm_bwd(const TsModelOpContext *ctx)
{
  return 3 * ctx->value_bytes;
}

static gboolean
check_context(const TsModel *m, const TsModelOpContext *ctx, GError **error)
{
  if (!(ctx->micro > 0) || !isfinite(ctx->micro) || ctx->tp < 1 || ctx->cp < 1 || ctx->pp < 1 ||
      !(ctx->value_bytes > 0) || !(ctx->weight_bytes > 0) || !(ctx->recompute >= 0 && ctx->recompute <= 1) ||
      !(ctx->weight_casts > 0 && ctx->weight_casts <= 1)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "the operations of model %s need a positive micro-batch, "
                "splits of at least 1, positive bytes per value, a recompute fraction in [0, 1] and weight casts per "
                "micro-batch in (0, 1]", m->name);
    return FALSE;
  }
  if (m->arch == TS_MODEL_ARCH_RESNET50 && (ctx->tp > 1 || ctx->cp > 1 || ctx->pp > 1)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s (ResNet-50) is not split by tensor, context or "
                "pipeline parallelism here (tp = %u, cp = %u, pp = %u): use data parallelism", m->name, ctx->tp,
                ctx->cp, ctx->pp);
    return FALSE;
  }
  if (m->arch == TS_MODEL_ARCH_RESNET50)
    return TRUE;
  if (m->heads % ctx->tp != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s has %u attention heads, which tensor parallelism "
                "of %u does not divide (each device runs heads / tp)", m->name, m->heads, ctx->tp);
    return FALSE;
  }
  if (m->kv_heads % ctx->tp != 0 && ctx->tp % m->kv_heads != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s has %u key/value heads, which tensor parallelism of "
                "%u neither divides nor is a multiple of (each device holds kv_heads / tp of them, or one copy)",
                m->name, m->kv_heads, ctx->tp);
    return FALSE;
  }
  guint ep = ctx->ep > 1 ? ctx->ep : 1;
  if (m->experts > 1 && m->experts % ep != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s has %u experts, which expert parallelism of %u "
                "does not divide (each device holds experts / ep)", m->name, m->experts, ep);
    return FALSE;
  }
  if (ctx->pp > m->layers) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s has %u layers, fewer than its %u pipeline stages",
                m->name, m->layers, ctx->pp);
    return FALSE;
  }
  return TRUE;
}

gboolean
ts_model_ops_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops, GError **error)
{
  if (!ts_model_has_architecture(m)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s has no architecture (model{params=, flops=, "
                "activations=}): no operations to list; use models.gpt, models.bert_large, "
                "models.vit_b16 or models.resnet50", m != NULL ? m->name : "(none)");
    return FALSE;
  }
  if (!ts_model_check(m, error) || !check_context(m, ctx, error))
    return FALSE;
  switch (m->arch) {
  case TS_MODEL_ARCH_DECODER:
    model_decoder_append(m, ctx, ops);
    break;
  case TS_MODEL_ARCH_ENCODER:
    model_encoder_append(m, ctx, ops);
    break;
  case TS_MODEL_ARCH_VIT:
    model_vit_append(m, ctx, ops);
    break;
  case TS_MODEL_ARCH_RESNET50:
    model_resnet50_append(m, ctx, ops);
    break;
  default:
    g_assert_not_reached();
  }
  return TRUE;
}

static double
sum(const GArray *ops, const char *kind, gsize offset)
{
  double total = 0;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    if (kind == NULL || g_strcmp0(op->kind, kind) == 0)
      total += *(const double *) ((const char *) op + offset);
  }
  return total;
}

double
ts_model_ops_sum_flops(const GArray *ops, const char *kind)
{
  return sum(ops, kind, G_STRUCT_OFFSET(TsModelOp, flops));
}

double
ts_model_ops_sum_bytes(const GArray *ops, const char *kind)
{
  return sum(ops, kind, G_STRUCT_OFFSET(TsModelOp, bytes));
}

double
ts_model_ops_sum_params(const GArray *ops)
{
  return sum(ops, NULL, G_STRUCT_OFFSET(TsModelOp, params));
}
