/* Encoders as operations: BERT (models.bert_large) and ViT (models.vit_b16).  Both are LayerNorm
 * transformers with a bias on every product and GELU FFNs, attention not causal (transformer.c).
 *
 * BERT (Devlin et al. 2019; the layout of Hugging Face's BertForPreTraining): word, position (seq rows) and
 * token-type (2 rows) embeddings summed, LayerNorm, dropout; post-norm layers with hidden dropout 0.1 after
 * the attention output and the FFN; the pooler (a width x width product on the first token) and the
 * next-sentence head (width x 2); the masked-LM head (width x width transform, GELU, LayerNorm, then the
 * output product tied to the word embedding, with its own bias) on every token, and the loss.  Attention
 * dropout is inside the fused attention kernel.  bert-large: 336,226,108 parameters (the hub's "336M").
 *
 * ViT (Dosovitskiy et al. 2021): the patch embedding (a patch x patch / patch convolution, as a product),
 * a class token and a position table added; pre-norm layers; a final LayerNorm and the class head on the
 * class token; no dropout (the DeiT/timm recipe most ViT training follows).  ViT-B/16 at 224 x 224 and 1000
 * classes: 86,567,656 parameters, 17.6 G multiply-adds forward (the paper's Table 6).
 *
 * Pipeline parallelism as for the decoder (decoder.c): the last stage's layers and heads, the embeddings
 * only when pp = 1. */
#include "model/model-private.h"

#include <math.h>

static void
layer_norm(GArray *ops, const TsModelOpContext *ctx, const char *name, double rows, double width)
{
  ModelStream s = {.kind = "norm", .name = name, .elements = model_sp_rows(ctx, rows) * width,
                   .fwd = model_norm_fwd(ctx), .bwd = model_norm_bwd(ctx), .params = 2 * width, .times = 1};
  model_stream(ops, ctx, &s);
}

/* A classifier or output head (`head`) stays at 16 bits in an 8-bit run (ops.c, "The 8-bit pass"). */
static void
linear(GArray *ops, const TsModelOpContext *ctx, const char *name, double rows, double n, double k, double params,
       gboolean head)
{
  ModelProduct p = {.name = name, .m = rows, .n = n, .k = k, .in = rows * k, .out = rows * n, .params = params,
                    .times = 1, .wide = head};
  model_product(ops, ctx, &p);
}

static void
loss(GArray *ops, const TsModelOpContext *ctx, double rows, double classes)
{
  ModelStream s = {.kind = "softmax", .name = "loss", .elements = rows * classes, .fwd = ctx->value_bytes,
                   .bwd = 2 * ctx->value_bytes, .times = 1};
  model_stream(ops, ctx, &s);
}

static ModelBlock
encoder_block(const TsModel *m, const TsModelOpContext *ctx, double tokens)
{
  return (ModelBlock) {.tokens = tokens / ctx->cp, .kv_len = tokens,
                       .layers = ceil((double) m->layers / ctx->pp), .width = m->width, .heads = m->heads,
                       .kv_heads = m->kv_heads, .ffn = m->ffn, .experts = m->experts,
                       .active_experts = m->active_experts, .biases = TRUE, .layer_norm = TRUE};
}

/* BERT's three embeddings summed, per element of the output: forward reads a row of each table and writes
 * the sum (3w + v); backward reads dy and accumulates it into each table's gradient row (v + 6w). */
static void
bert_embeddings(GArray *ops, const TsModelOpContext *ctx, const TsModel *m, double rows)
{
  double d = m->width, v = ctx->value_bytes, w = ctx->weight_bytes;
  ModelStream e = {.kind = "embedding", .name = "embed", .elements = rows * d, .fwd = 3 * w + v, .bwd = v + 6 * w,
                   .params = (double) m->vocab * d / ctx->tp + (m->seq + 2.0) * d, .times = 1};
  model_stream(ops, ctx, &e);
  layer_norm(ops, ctx, "embed.norm", rows, d);
  ModelStream drop = {.kind = "elementwise", .name = "embed.dropout", .elements = model_sp_rows(ctx, rows) * d,
                      .fwd = 2 * v + 1, .bwd = 2 * v + 1, .times = 1, .fusible = TRUE};
  if (model_drops_out(ctx, model_architecture_drops_out(m)))
    model_stream(ops, ctx, &drop);
}

/* BERT's masked-LM head runs on the masked positions alone, 15 % of each sequence's tokens (Devlin et al. 2019,
 * sec. 3.1: "we mask 15% of all WordPiece tokens in each sequence at random"): the pre-training code gathers
 * them before the head (google-research/bert run_pretraining.py, gather_indexes, to max_predictions_per_seq: 80
 * at 512 tokens, 20 at 128; MLPerf's BERT logs max_predictions_per_seq 76 at 512, and NVIDIA's implementation
 * runs the head on the masked tokens alone, dense_seq_output).  The transform, its GELU and LayerNorm, the output
 * product and the loss see these rows; the pooler and the next-sentence head see the first token of each. */
#define MLM_MASKED_FRACTION 0.15

void
model_encoder_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops)
{
  double d = m->width, v = ctx->value_bytes, micro = ctx->micro;
  double rows = micro * m->seq / ctx->cp, vocab = (double) m->vocab / ctx->tp;
  double masked = rows * MLM_MASKED_FRACTION;
  if (ctx->pp == 1)
    bert_embeddings(ops, ctx, m, rows);
  ModelBlock b = encoder_block(m, ctx, m->seq);
  b.post_norm = TRUE;
  /* BERT's hidden dropout 0.1 unless the run says otherwise */
  b.dropout = model_drops_out(ctx, model_architecture_drops_out(m));
  model_block(ops, ctx, &b);
  linear(ops, ctx, "pooler", micro, d, d, d * d + d, FALSE);
  linear(ops, ctx, "nsp.head", micro, 2, d, 2 * d + 2, TRUE);
  linear(ops, ctx, "mlm.transform", masked, d, d, d * d + d, FALSE);
  ModelStream gelu = {.kind = "elementwise", .name = "mlm.gelu", .elements = masked * d, .fwd = 2 * v,
                      .bwd = 3 * v, .times = 1, .fusible = TRUE};
  model_stream(ops, ctx, &gelu);
  layer_norm(ops, ctx, "mlm.norm", masked, d);
  linear(ops, ctx, "lm.head", masked, vocab, d, vocab, TRUE); /* the weights are the word embedding's; the bias its own */
  loss(ops, ctx, masked, vocab);
}

double
model_vit_tokens(const TsModel *m)
{
  double side = (double) m->image / m->patch;
  return side * side + 1;
}

void
model_vit_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops)
{
  double d = m->width, v = ctx->value_bytes, micro = ctx->micro;
  double side = (double) m->image / m->patch, patches = side * side, tokens = model_vit_tokens(m);
  if (ctx->pp == 1) {
    double k = 3.0 * m->patch * m->patch;
    ModelProduct p = {.name = "patch.embed", .m = micro * patches, .n = d, .k = k,
                      .in = micro * 3.0 * m->image * m->image, .out = micro * patches * d, .params = k * d + d,
                      .times = 1, .no_data_grad = TRUE};
    model_product(ops, ctx, &p);
    /* The class token joins the patches and the position table is added: one pass over the tokens each
     * way (the table itself is read once per launch and stays in cache). */
    ModelStream pos = {.kind = "elementwise", .name = "embed.position", .elements = micro * tokens * d,
                       .fwd = 2 * v, .bwd = 2 * v, .params = tokens * d + d, .times = 1, .fusible = TRUE};
    model_stream(ops, ctx, &pos);
  }
  ModelBlock b = encoder_block(m, ctx, tokens);
  /* the DeiT/timm recipe: none unless the run says otherwise */
  b.dropout = model_drops_out(ctx, model_architecture_drops_out(m));
  model_block(ops, ctx, &b);
  layer_norm(ops, ctx, "final.norm", micro * tokens / ctx->cp, d);
  linear(ops, ctx, "head", micro, m->classes, d, d * m->classes + m->classes, TRUE);
  loss(ops, ctx, micro, m->classes);
}
