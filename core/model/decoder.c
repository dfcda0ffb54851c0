/* A GPT/Llama decoder as operations (models.gpt): token embedding, pre-norm layers (RMSNorm, causal
 * attention with grouped-query heads, plain or gated FFN, optionally mixture-of-experts), a final norm,
 * the output head (tied to the embedding or not) and the loss.  No biases, no positional table (rotary
 * embeddings are elementwise on Q and K and left out): the parameters are exactly models.gpt's count.
 * Mixture-of-experts variants (transformer.c): leading dense layers (the model's layers - moe_layers),
 * shared experts, experts narrower than the dense FFN; multi-head latent attention.
 *
 * Pipeline parallelism: a device runs ceil(layers / pp) layers.  The busiest stage is taken, the last: it
 * holds the final norm, the head and the loss as well; the embedding lookup is on the first stage and is
 * listed only when pp = 1.  When the embedding and the head count as one layer each in the split
 * (ctx->partition_embeddings, DeepSpeed's 'type:transformer|embedding'), a stage holds ceil((layers + 2) / pp)
 * of those units, so the last one holds one layer fewer than a stage in the middle, and the busier of the two
 * is taken: the last when the head's forward FLOPs exceed one layer's (BLOOM's 250,880-token vocabulary), a
 * middle one (layers alone) otherwise.
 *
 * Dropout: none, unless the run states a probability above 0 (r:train's `dropout`, as Megatron-LM's
 * --hidden-dropout / --attention-dropout): then the embedding's output, the attention and FFN outputs
 * (transformer.c) and, where the scores are materialised, the attention probabilities (ops.c) drop out. */
#include "model/model-private.h"

#include <math.h>

/* Embedding lookup, per element of its output: forward reads a weight row and writes the value (w + v);
 * backward reads dy and accumulates it into the weight gradient's row, a read and a write (v + 2w). */
static void
embedding(GArray *ops, const TsModelOpContext *ctx, const TsModel *m, double rows)
{
  ModelStream s = {.kind = "embedding", .name = "embed", .elements = rows * m->width,
                   .fwd = ctx->weight_bytes + ctx->value_bytes, .bwd = ctx->value_bytes + 2 * ctx->weight_bytes,
                   .params = (double) m->vocab * m->width / ctx->tp, .times = 1};
  model_stream(ops, ctx, &s);
  /* Megatron-LM's embedding dropout (at the hidden dropout's probability) on the embedding's output, where the
   * run drops out: forward reads x, writes y and a one-byte mask (2v + 1), backward reads dy and the mask and
   * writes dx (2v + 1), as the layers' dropout (transformer.c). */
  if (model_drops_out(ctx, model_architecture_drops_out(m))) {
    ModelStream drop = {.kind = "elementwise", .name = "embed.dropout", .elements = model_sp_rows(ctx, rows) * m->width,
                        .fwd = 2 * ctx->value_bytes + 1, .bwd = 2 * ctx->value_bytes + 1, .times = 1, .fusible = TRUE};
    model_stream(ops, ctx, &drop);
  }
}

/* Output head and loss over vocab / tp logits per row (vocabulary-parallel).  The fused cross-entropy
 * reads the logits forward (v) and reads them again and writes their gradient backward (2v). */
static void
head(GArray *ops, const TsModelOpContext *ctx, const TsModel *m, double rows, gboolean tied, const char *name)
{
  double d = m->width, classes = (double) m->vocab / ctx->tp;
  ModelStream final = {.kind = "norm", .name = "final.norm", .elements = model_sp_rows(ctx, rows) * d,
                       .fwd = model_norm_fwd(ctx),
                       .bwd = model_norm_bwd(ctx), .params = d, .times = 1};
  model_stream(ops, ctx, &final);
  ModelProduct p = {.name = name, .m = rows, .n = classes, .k = d, .in = rows * d, .out = rows * classes,
                    .params = tied ? 0 : d * classes, .times = 1, .wide = TRUE};
  model_product(ops, ctx, &p);
  ModelStream loss = {.kind = "softmax", .name = "loss", .elements = rows * classes, .fwd = ctx->value_bytes,
                      .bwd = 2 * ctx->value_bytes, .times = 1};
  model_stream(ops, ctx, &loss);
}

/* The last `layers` layers of the model, as one block.  Dense layers come first, so the last stage holds the
 * last `layers` of them. */
static ModelBlock
last_layers(const TsModelOpContext *ctx, const TsModel *m, double tokens, double layers)
{
  double dense_total = m->experts > 1 && m->moe_layers > 0 ? (double) m->layers - m->moe_layers : 0;
  double dense = MAX(0.0, dense_total - ((double) m->layers - layers));
  return (ModelBlock) {.tokens = tokens, .kv_len = m->seq, .layers = layers, .dense_layers = dense,
                       .expert_ffn = m->expert_ffn, .shared_experts = m->shared_experts, .q_lora_rank = m->q_lora_rank,
                       .kv_lora_rank = m->kv_lora_rank, .rope_head_dim = m->rope_head_dim,
                       .width = m->width, .heads = m->heads, .kv_heads = m->kv_heads, .head_dim = m->head_dim,
                       .ffn = m->ffn, .experts = m->experts, .active_experts = m->active_experts, .gated = m->gated,
                       .causal = TRUE,
                       /* none unless the run states a probability above 0 */
                       .dropout = model_drops_out(ctx, model_architecture_drops_out(m))};
}

/* Whether the output head (final norm, head product, loss) takes more FLOPs than one layer: which of the last
 * stage (a layer fewer, plus the head) and a middle stage is the busier under the 'type:transformer|embedding'
 * split. */
static gboolean
head_outweighs_layer(const TsModelOpContext *ctx, const TsModel *m, double rows, double tokens)
{
  g_autoptr(GArray) one = g_array_new(FALSE, FALSE, sizeof(TsModelOp));
  g_autoptr(GArray) top = g_array_new(FALSE, FALSE, sizeof(TsModelOp));
  ModelBlock b = last_layers(ctx, m, tokens, 1);
  model_block(one, ctx, &b);
  head(top, ctx, m, rows, m->tied, "lm.head");
  return ts_model_ops_sum_flops(top, NULL) > ts_model_ops_sum_flops(one, NULL);
}

void
model_decoder_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops)
{
  double tokens = (double) m->seq / ctx->cp, rows = ctx->micro * tokens;
  if (ctx->pp == 1)
    embedding(ops, ctx, m, rows);
  double layers = ceil((double) m->layers / ctx->pp);
  gboolean has_head = TRUE;
  if (ctx->pp > 1 && ctx->partition_embeddings) {
    layers = ceil(((double) m->layers + 2.0) / ctx->pp);
    has_head = head_outweighs_layer(ctx, m, rows, tokens);
    if (has_head)
      layers -= 1;
  }
  ModelBlock b = last_layers(ctx, m, tokens, layers);
  if (layers > 0)
    model_block(ops, ctx, &b);
  if (has_head)
    head(ops, ctx, m, rows, m->tied, "lm.head");
}
