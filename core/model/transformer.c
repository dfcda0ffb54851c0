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
 * its FLOPs stay those of its own tokens' active experts.  Shared experts run on every token like a dense FFN
 * of shared_experts x expert_ffn columns (one launch, as Megatron-Core fuses them); the first dense_layers
 * layers of a mixture-of-experts model have a dense FFN of width ffn instead (DeepSeek-V3's
 * first_k_dense_replace).  Sequence parallelism: the norms, dropout and residual adds see 1/tp of the tokens.
 *
 * Multi-head latent attention (DeepSeek-V2, arXiv 2405.04434, sec. 2.1; V3 keeps it): the width goes down to a
 * query latent (q_lora_rank) and a key/value latent (kv_lora_rank) plus one shared rotary key (rope_head_dim),
 * each latent is normed and goes up to the heads: queries of head_dim + rope_head_dim, keys of head_dim (+ the
 * shared rotary part), values of head_dim.  Training runs the up-projections (the absorbed form is an inference
 * trick), so attention sees full heads.  The down-projections are not split by tensor parallelism (every rank
 * runs them whole, as Megatron-Core does); the up-projections are split by heads.  The attention core is
 * listed at the mean of the query/key width (head_dim + rope_head_dim) and the value width (head_dim): its
 * FLOPs (Q.K^T at the first, P.V at the second) and the bytes of Q, K, V, O and their gradients are then exact. */
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
                   .times = times, .fusible = TRUE, .recomputed = TRUE,
                   .role = TS_REMAT_ROLE_STREAM};
  model_stream(ops, ctx, &s);
}

static void
norm(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, const char *name, double rows)
{
  ModelStream s = {.kind = "norm", .name = name, .elements = model_sp_rows(ctx, rows) * b->width,
                   .fwd = model_norm_fwd(ctx), .bwd = model_norm_bwd(ctx),
                   .params = (b->layer_norm ? 2.0 : 1.0) * b->width, .times = b->layers, .recomputed = TRUE,
                   .role = TS_REMAT_ROLE_STREAM};
  model_stream(ops, ctx, &s);
}

/* y = x.w (+ b) with x rows x k, in a layer. */
static void
linear(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, const char *name, double rows, double n,
       double k, double times, TsRematRole role)
{
  ModelProduct p = {.name = name, .m = rows, .n = n, .k = k, .in = rows * k, .out = rows * n,
                    .params = k * n + (b->biases ? n : 0), .times = times, .recomputed = TRUE, .role = role};
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

/* One FFN of `width` columns (before the tensor-parallel split) on `rows` rows, `times` launches of each
 * product; the op names are prefix.up, prefix.swiglu or prefix.gelu and prefix.down (static strings). */
static void
ffn_products(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, const char *const names[3],
             double rows, double width, double times)
{
  double d = b->width, ffn = width / ctx->tp, v = ctx->value_bytes;
  if (!(times > 0))
    return;
  linear(ops, ctx, b, names[0], rows, (b->gated ? 2 : 1) * ffn, d, times, TS_REMAT_ROLE_FFN_UP);
  if (b->gated)
    elementwise(ops, ctx, names[1], rows * ffn, 3 * v, 5 * v, times);
  else
    elementwise(ops, ctx, names[1], rows * ffn, 2 * v, 3 * v, times);
  linear(ops, ctx, b, names[2], rows, d, ffn, times, TS_REMAT_ROLE_FFN_DOWN);
}

static void
feed_forward(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, double rows)
{
  static const char *const plain_gated[3] = {"ffn.up", "ffn.swiglu", "ffn.down"};
  static const char *const plain_gelu[3] = {"ffn.up", "ffn.gelu", "ffn.down"};
  static const char *const dense_gated[3] = {"dense.up", "dense.swiglu", "dense.down"};
  static const char *const dense_gelu[3] = {"dense.up", "dense.gelu", "dense.down"};
  static const char *const shared_gated[3] = {"shared.up", "shared.swiglu", "shared.down"};
  static const char *const shared_gelu[3] = {"shared.up", "shared.gelu", "shared.down"};
  const char *const *plain = b->gated ? plain_gated : plain_gelu;
  if (b->experts <= 1) {
    ffn_products(ops, ctx, b, plain, rows, b->ffn, b->layers);
    return;
  }
  double d = b->width, ep = ctx->ep > 1 ? ctx->ep : 1;
  double moe_layers = b->layers - b->dense_layers, expert_ffn = b->expert_ffn > 0 ? b->expert_ffn : b->ffn;
  ffn_products(ops, ctx, b, b->gated ? dense_gated : dense_gelu, rows, b->ffn, b->dense_layers);
  if (!(moe_layers > 0))
    return;
  /* The router stays at 16 bits in an 8-bit run (DeepSeek-V3's "MoE gating modules"; ops.c, "The 8-bit pass"). */
  ModelProduct router = {.name = "moe.router", .m = rows, .n = b->experts, .k = d, .in = rows * d,
                         .out = rows * b->experts, .params = d * b->experts + (b->biases ? b->experts : 0),
                         .times = moe_layers, .recomputed = TRUE, .wide = TRUE};
  model_product(ops, ctx, &router);
  ffn_products(ops, ctx, b, b->gated ? shared_gated : shared_gelu, rows, (double) b->shared_experts * expert_ffn,
               b->shared_experts > 0 ? moe_layers : 0);
  /* The routed experts: experts / ep on this device, each on its share of the tokens of ep ranks. */
  ffn_products(ops, ctx, b, plain, rows * b->active_experts / b->experts * ep, expert_ffn,
               moe_layers * b->experts / ep);
}

/* Multi-head latent attention's products (the attention core is model_block's). */
static void
latent_attention(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b, double rows, double heads,
                 double head_dim)
{
  double d = b->width, rope = b->rope_head_dim, qk = head_dim + rope;
  if (b->q_lora_rank > 0) {
    ModelProduct down = {.name = "attn.q_down", .m = rows, .n = b->q_lora_rank, .k = d, .in = rows * d,
                         .out = rows * b->q_lora_rank, .params = d * b->q_lora_rank, .times = b->layers,
                         .recomputed = TRUE};
    model_product(ops, ctx, &down); /* whole on every tensor-parallel rank: not divided below */
    ModelStream s = {.kind = "norm", .name = "attn.q_norm", .elements = rows * b->q_lora_rank,
                     .fwd = model_norm_fwd(ctx), .bwd = model_norm_bwd(ctx), .params = b->q_lora_rank,
                     .times = b->layers, .recomputed = TRUE};
    model_stream(ops, ctx, &s);
    linear(ops, ctx, b, "attn.q_up", rows, heads * qk, b->q_lora_rank, b->layers, TS_REMAT_ROLE_PRODUCT);
  } else {
    linear(ops, ctx, b, "attn.q", rows, heads * qk, d, b->layers, TS_REMAT_ROLE_PRODUCT);
  }
  ModelProduct kv_down = {.name = "attn.kv_down", .m = rows, .n = b->kv_lora_rank + rope, .k = d, .in = rows * d,
                          .out = rows * (b->kv_lora_rank + rope), .params = d * (b->kv_lora_rank + rope),
                          .times = b->layers, .recomputed = TRUE};
  model_product(ops, ctx, &kv_down);
  ModelStream s = {.kind = "norm", .name = "attn.kv_norm", .elements = rows * b->kv_lora_rank,
                   .fwd = model_norm_fwd(ctx), .bwd = model_norm_bwd(ctx), .params = b->kv_lora_rank,
                   .times = b->layers, .recomputed = TRUE};
  model_stream(ops, ctx, &s);
  linear(ops, ctx, b, "attn.kv_up", rows, heads * 2 * head_dim, b->kv_lora_rank, b->layers, TS_REMAT_ROLE_PRODUCT);
}

void
model_block(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b)
{
  double tp = ctx->tp, d = b->width, rows = ctx->micro * b->tokens;
  double head_dim = b->head_dim > 0 ? b->head_dim : d / b->heads, heads = b->heads / tp;
  double kv_heads = b->kv_heads >= ctx->tp ? b->kv_heads / tp : 1;
  if (!b->post_norm)
    norm(ops, ctx, b, "attn.norm", rows);
  if (b->kv_lora_rank > 0) {
    latent_attention(ops, ctx, b, rows, heads, head_dim);
    model_attention(ops, ctx, b->tokens, b->kv_len, head_dim + b->rope_head_dim / 2.0, heads, heads, b->layers,
                    b->causal, b->dropout);
  } else {
    linear(ops, ctx, b, "attn.qkv", rows, head_dim * (heads + 2 * kv_heads), d, b->layers, TS_REMAT_ROLE_QKV);
    model_attention(ops, ctx, b->tokens, b->kv_len, head_dim, heads, kv_heads, b->layers, b->causal, b->dropout);
  }
  linear(ops, ctx, b, "attn.out", rows, d, head_dim * heads, b->layers, TS_REMAT_ROLE_OUT);
  branch_end(ops, ctx, b, "attn.dropout", "attn.residual", "attn.norm", rows);
  if (!b->post_norm)
    norm(ops, ctx, b, "ffn.norm", rows);
  feed_forward(ops, ctx, b, rows);
  branch_end(ops, ctx, b, "ffn.dropout", "ffn.residual", "ffn.norm", rows);
}
