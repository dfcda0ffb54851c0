/* One transformer layer as operations (model-private.h), shared by the decoder, BERT and ViT.
 *
 * Tensor parallelism (Megatron-LM): the query/key/value and FFN-up products are split by columns, the
 * attention-output and FFN-down products by rows, so a device holds heads / tp query heads (kv_heads / tp
 * key/value heads, or one replicated head when kv_heads < tp) and ffn / tp FFN columns; norms, dropout and
 * residual adds run on the whole width on every device (no sequence parallelism).  Context parallelism
 * gives each device seq / cp queries, which attend to the whole sequence.  Mixture-of-experts: each token
 * goes through active_experts of the experts after a router product; with balanced routing each expert's
 * products see tokens x active_experts / experts rows, one launch per expert.  Expert parallelism: a device
 * holds experts / ep of them, each seeing the tokens of ep ranks (the all-to-all is the run model's), so
 * its FLOPs stay those of its own tokens' active experts.  Sequence parallelism: the norms, dropout and
 * residual adds see 1/tp of the tokens. */
#include "model/model-private.h"

/* Elementwise passes (bytes per element, v = bytes per value):
 *   residual add   forward reads two inputs, writes one (3v); backward adds the gradients of the skip and
 *                  the branch where they meet (3v);
 *   dropout        forward reads x, writes y and a one-byte mask (2v + 1); backward reads dy and the mask,
 *                  writes dx (2v + 1);
 *   GELU           forward 2v; backward reads dy and x, writes dx (3v);
 *   SwiGLU         forward reads gate and up, writes their product (3v per FFN column); backward reads dy,
 *                  gate and up, writes both gradients (5v). */
static void
elementwise(GArray *ops, const TsModelOpContext *ctx, const char *name, double elements, double fwd, double bwd,
            double times)
{
  ModelStream s = {.kind = "elementwise", .name = name, .elements = elements, .fwd = fwd, .bwd = bwd,
                   .times = times, .fusible = TRUE, .recomputed = TRUE};
  model_stream(ops, ctx, &s);
}

static void
norm(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, const char *name, double rows)
{
  ModelStream s = {.kind = "norm", .name = name, .elements = model_sp_rows(ctx, rows) * b->width,
                   .fwd = model_norm_fwd(ctx), .bwd = model_norm_bwd(ctx),
                   .params = (b->layer_norm ? 2.0 : 1.0) * b->width, .times = b->layers, .recomputed = TRUE};
  model_stream(ops, ctx, &s);
}

/* y = x.w (+ b) with x rows x k, in a layer. */
static void
linear(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, const char *name, double rows, double n,
       double k, double times)
{
  ModelProduct p = {.name = name, .m = rows, .n = n, .k = k, .in = rows * k, .out = rows * n,
                    .params = k * n + (b->biases ? n : 0), .times = times, .recomputed = TRUE};
  model_product(ops, ctx, &p);
}

static void
branch_end(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, const char *dropout,
           const char *residual, const char *post_norm, double rows)
{
  double v = ctx->value_bytes, elements = model_sp_rows(ctx, rows) * b->width;
  if (b->dropout)
    elementwise(ops, ctx, dropout, elements, 2 * v + 1, 2 * v + 1, b->layers);
  elementwise(ops, ctx, residual, elements, 3 * v, 3 * v, b->layers);
  if (b->post_norm)
    norm(ops, ctx, b, post_norm, rows);
}

static void
feed_forward(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, double rows)
{
  double d = b->width, ffn = (double) b->ffn / ctx->tp, v = ctx->value_bytes;
  double expert_rows = rows, times = b->layers;
  if (b->experts > 1) {
    double ep = ctx->ep > 1 ? ctx->ep : 1;
    linear(ops, ctx, b, "moe.router", rows, b->experts, d, b->layers);
    expert_rows = rows * b->active_experts / b->experts * ep;
    times = b->layers * b->experts / ep;
  }
  linear(ops, ctx, b, "ffn.up", expert_rows, (b->gated ? 2 : 1) * ffn, d, times);
  if (b->gated)
    elementwise(ops, ctx, "ffn.swiglu", expert_rows * ffn, 3 * v, 5 * v, times);
  else
    elementwise(ops, ctx, "ffn.gelu", expert_rows * ffn, 2 * v, 3 * v, times);
  linear(ops, ctx, b, "ffn.down", expert_rows, d, ffn, times);
}

void
model_block(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b)
{
  double tp = ctx->tp, d = b->width, rows = ctx->micro * b->tokens;
  double head_dim = b->head_dim > 0 ? b->head_dim : d / b->heads, heads = b->heads / tp;
  double kv_heads = b->kv_heads >= ctx->tp ? b->kv_heads / tp : 1;
  if (!b->post_norm)
    norm(ops, ctx, b, "attn.norm", rows);
  linear(ops, ctx, b, "attn.qkv", rows, head_dim * (heads + 2 * kv_heads), d, b->layers);
  model_attention(ops, ctx, b->tokens, b->kv_len, head_dim, heads, kv_heads, b->layers, b->causal);
  linear(ops, ctx, b, "attn.out", rows, d, head_dim * heads, b->layers);
  branch_end(ops, ctx, b, "attn.dropout", "attn.residual", "attn.norm", rows);
  if (!b->post_norm)
    norm(ops, ctx, b, "ffn.norm", rows);
  feed_forward(ops, ctx, b, rows);
  branch_end(ops, ctx, b, "ffn.dropout", "ffn.residual", "ffn.norm", rows);
}
