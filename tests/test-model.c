/* /model/...: the operation lists of core/model/ (operators.h) against sums computed here by hand from the
 * published shapes and the counting rules of docs/model.md ("Operator-level model: the layers"), never by
 * calling the code under test for the expected value. */
#include "common/ts-error.h"
#include "model/operators.h"
#include "model/remat.h"
#include "plugin/plugin-host.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <math.h>
#include <string.h>

static TsRegistry *registry;

static GArray *
ops_new(void)
{
  return g_array_new(FALSE, TRUE, sizeof(TsModelOp));
}

static GArray *
list(const TsModel *m, const TsModelOpContext *ctx)
{
  GArray *ops = ops_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_model_ops_append(m, ctx, ops, &error));
  g_assert_no_error(error);
  return ops;
}

/* The first op called `name`, or NULL. */
static const TsModelOp *
lookup(const GArray *ops, const char *name)
{
  for (guint i = 0; i < ops->len; i++)
    if (strcmp(g_array_index(ops, TsModelOp, i).name, name) == 0)
      return &g_array_index(ops, TsModelOp, i);
  return NULL;
}

/* The first op called `name`, which must be there. */
static const TsModelOp *
find(const GArray *ops, const char *name)
{
  const TsModelOp *op = lookup(ops, name);
  if (op == NULL)
    g_error("no op named %s", name);
  return op;
}

/* Whether an op called `name` is there. */
static gboolean
has_op(const GArray *ops, const char *name)
{
  return lookup(ops, name) != NULL;
}

static double
sum_count(const GArray *ops, const char *kind)
{
  double n = 0;
  for (guint i = 0; i < ops->len; i++)
    if (strcmp(g_array_index(ops, TsModelOp, i).kind, kind) == 0)
      n += g_array_index(ops, TsModelOp, i).count;
  return n;
}

/* ---- the GPT/Llama decoder ---- */

/* A small decoder, every dimension different so a swapped one shows: 2 layers, width 64, 4 query heads of
 * 16, 2 key/value heads, gated FFN of 96, vocabulary 100, 32 tokens, untied head. */
static TsModel
small_decoder(void)
{
  return (TsModel) {.name = "small", .arch = TS_MODEL_ARCH_DECODER, .layers = 2, .width = 64, .heads = 4,
                    .kv_heads = 2, .ffn = 96, .gated = TRUE, .vocab = 100, .seq = 32, .tied = FALSE};
}

/* Its parameters by hand: per layer queries 64x64, keys and values 2 x 64x32, output 64x64, gate/up/down
 * 3 x 64x96, two RMSNorm weights of 64; embedding and head 100x64 each; a final norm of 64. */
#define SMALL_LAYER (64.0 * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 64 * 96 + 2 * 64)
#define SMALL_PARAMS (2 * SMALL_LAYER + 2 * 100 * 64 + 64)

static void
test_gpt_params(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, SMALL_PARAMS);
  /* Tied: the head reads the embedding's weights and holds none of its own. */
  m.tied = TRUE;
  g_autoptr(GArray) tied = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(tied), ==, SMALL_PARAMS - 100 * 64);

  /* Mistral 7B: 32 layers, width 4096, 32 heads, 8 kv heads, gated FFN 14,336, vocabulary 32,000, untied:
   * its model card's 7,241,732,096 parameters, the count models.gpt gives too. */
  TsModel mistral = {.name = "mistral", .arch = TS_MODEL_ARCH_DECODER, .layers = 32, .width = 4096, .heads = 32,
                     .kv_heads = 8, .ffn = 14336, .gated = TRUE, .vocab = 32000, .seq = 4096, .tied = FALSE};
  g_autoptr(GArray) big = list(&mistral, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(big), ==, 7241732096.0);
}

/* Products: 2 FLOPs per multiply-add forward, twice that backward (data and weight gradients), so every
 * weight that a product reads costs 6 FLOPs per token: 6 x tokens x (parameters - the embedding, a lookup -
 * the norm weights).  Attention: forward 2 x 2 x seq^2 x width per layer and sequence, halved for causal
 * masking (Kaplan et al. 2020's 2 x layers x seq x width per token); backward 2.5 x that (FlashAttention-2
 * recomputes the scores). */
static void
test_gpt_flops(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 3;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double tokens = 3 * 32;
  double in_products = SMALL_PARAMS - 100 * 64 - (2 * 2 * 64 + 64);
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==, 6 * tokens * in_products);
  double attention_fwd = 2 * (2.0 * 2 * 32 * 32 * 64 / 2) * 3; /* layers x (QK + PV) x causal half x micro */
  assert_rel(ts_model_ops_sum_flops(ops, "attention"), 3.5 * attention_fwd, 1e-15);
  /* Nothing memory-bound is counted as FLOPs. */
  assert_rel(ts_model_ops_sum_flops(ops, NULL), 6 * tokens * in_products + 3.5 * attention_fwd, 1e-15);
  /* Launches: 4 products per layer and the head, 3 launches each; one attention forward and backward per
   * layer. */
  g_assert_cmpfloat(sum_count(ops, "matmul"), ==, 3 * (4 * 2 + 1));
  g_assert_cmpfloat(sum_count(ops, "attention"), ==, 2 * 2);
  /* One launch's shape: the query/key/value product is (tokens) x (64 + 2 x 32) x 64. */
  const TsModelOp *qkv = find(ops, "attn.qkv");
  g_assert_cmpfloat(qkv->m, ==, tokens);
  g_assert_cmpfloat(qkv->n, ==, 128);
  g_assert_cmpfloat(qkv->k, ==, 64);
  /* Its launches: one forward, one data gradient, one weight gradient per layer (core/run/compute.c sends each
   * with its own shape). */
  g_assert_cmpfloat(qkv->fwd_passes, ==, 1);
  g_assert_cmpfloat(qkv->dgrad_passes, ==, 1);
  g_assert_cmpfloat(qkv->wgrad_passes, ==, 1);
  const TsModelOp *att = find(ops, "attn.core");
  g_assert_cmpfloat(att->m, ==, 32);
  g_assert_cmpfloat(att->n, ==, 32);
  g_assert_cmpfloat(att->k, ==, 16);
}

/* Bytes, 16-bit values and weights (v = w = 2): a product's three passes each read both operands and
 * write the result; a norm moves 2v forward and 3v backward per value; SwiGLU 3v and 5v per FFN column;
 * the embedding w + v and v + 2w per value; the loss v and 2v per logit. */
static void
test_gpt_bytes(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 3;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double T = 3 * 32;
  g_assert_cmpfloat(find(ops, "attn.qkv")->bytes, ==, 2 * 3 * ((T * 64 + T * 128) * 2 + 64 * 128 * 2));
  g_assert_cmpfloat(find(ops, "lm.head")->bytes, ==, 3 * ((T * 64 + T * 100) * 2 + 64 * 100 * 2));
  g_assert_cmpfloat(ts_model_ops_sum_bytes(ops, "norm"), ==, (2 * 2 + 1) * T * 64 * (4 + 6));
  g_assert_cmpfloat(find(ops, "ffn.swiglu")->bytes, ==, 2 * T * 96 * (6 + 10));
  g_assert_cmpfloat(find(ops, "embed")->bytes, ==, T * 64 * (4 + 6));
  g_assert_cmpfloat(find(ops, "loss")->bytes, ==, T * 100 * (2 + 4));
  /* Attention reads Q, K, V and writes O forward; reads Q, K, V, O, dO and writes dQ, dK, dV backward. */
  double q = 3 * 32 * 64 * 2.0, kv = 3 * 32 * 32 * 2.0;
  g_assert_cmpfloat(find(ops, "attn.core")->bytes, ==, 2 * (2 * q + 2 * kv + 4 * q + 4 * kv));
  g_assert_true(find(ops, "ffn.swiglu")->fusible && find(ops, "attn.residual")->fusible);
  g_assert_false(find(ops, "attn.norm")->fusible || find(ops, "loss")->fusible || find(ops, "embed")->fusible);
}

/* Materialised attention (before FlashAttention), counted by hand.  The small decoder (4 heads of 16 on 32
 * tokens, 2 key/value heads, 2 layers, no dropout) at micro-batch 3: E = 3 x 4 x 32 x 32 = 12,288 scores a
 * layer.  The products compute the whole matrix (no causal half): 2 x 2 x 32 x 32 x 16 x 4 x 3 FLOPs forward,
 * 2 x that backward; their bytes add the scores (S written and P read forward, P read, dP written and dS read
 * twice backward: 2E + 4E values of 2 bytes).  attn.softmax: fused_softmax 2v + 3v a score, unfused 8v + 7v
 * (scale, mask multiply, subtract, softmax forward; softmax, mask, scale backward), with recomputation the
 * forward again.  BERT-large (dropout on the probabilities) adds 2v + 1 each way: 21 + 19 bytes a score. */
static void
test_gpt_attention_materialised(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 3;
  g_autoptr(GArray) flash = list(&m, &ctx);
  ctx.attention = TS_ATTENTION_FUSED_SOFTMAX;
  g_autoptr(GArray) fused = list(&m, &ctx);
  double E = 3 * 4 * 32 * 32.0, q = 3 * 32 * 64 * 2.0, kv = 3 * 32 * 32 * 2.0, fwd = 4.0 * 32 * 32 * 16 * 4 * 3;
  g_assert_cmpfloat(find(flash, "attn.core")->flops, ==, 2 * fwd / 2 * 3.5);
  g_assert_cmpfloat(find(fused, "attn.core")->flops, ==, 2 * fwd * 3);
  g_assert_cmpfloat(find(fused, "attn.core")->bytes, ==, 2 * ((2 * q + 2 * kv + 2 * E * 2) + (4 * q + 4 * kv + 4 * E * 2)));
  g_assert_cmpfloat(find(fused, "attn.core")->count, ==, 2 * (2 + 4));
  g_assert_cmpfloat(find(fused, "attn.softmax")->bytes, ==, 2 * E * (4 + 6));
  g_assert_cmpfloat(find(fused, "attn.softmax")->count, ==, 2 * 2);
  g_assert_false(find(fused, "attn.softmax")->fusible);
  g_assert_cmpstr(find(fused, "attn.softmax")->kind, ==, "softmax");
  for (guint i = 0; i < flash->len; i++)
    g_assert_cmpstr(g_array_index(flash, TsModelOp, i).name, !=, "attn.softmax");
  /* Everything else is the same list. */
  g_assert_cmpfloat(ts_model_ops_sum_bytes(fused, "matmul"), ==, ts_model_ops_sum_bytes(flash, "matmul"));
  g_assert_cmpfloat(ts_model_ops_sum_bytes(fused, "norm"), ==, ts_model_ops_sum_bytes(flash, "norm"));

  ctx.attention = TS_ATTENTION_UNFUSED;
  g_autoptr(GArray) unfused = list(&m, &ctx);
  g_assert_cmpfloat(find(unfused, "attn.softmax")->bytes, ==, 2 * E * (16 + 14));
  g_assert_cmpfloat(find(unfused, "attn.softmax")->count, ==, 2 * (4 + 3));
  ctx.recompute = 1;
  g_autoptr(GArray) again = list(&m, &ctx);
  g_assert_cmpfloat(find(again, "attn.softmax")->bytes, ==, 2 * E * (2 * 16 + 14));
  g_assert_cmpfloat(find(again, "attn.core")->flops, ==, 2 * fwd * 4);
  ctx.recompute = 0;
  ctx.forward_only = TRUE;
  g_autoptr(GArray) infer = list(&m, &ctx);
  g_assert_cmpfloat(find(infer, "attn.softmax")->bytes, ==, 2 * E * 16);

  TsModel bert = {.name = "bert_large", .arch = TS_MODEL_ARCH_ENCODER, .layers = 24, .width = 1024, .heads = 16,
                  .kv_heads = 16, .ffn = 4096, .vocab = 30522, .seq = 512};
  ts_model_op_context_init(&ctx);
  ctx.attention = TS_ATTENTION_UNFUSED;
  g_autoptr(GArray) b = list(&bert, &ctx);
  g_assert_cmpfloat(find(b, "attn.softmax")->bytes, ==, 24 * 16 * 512 * 512.0 * (21 + 19));
  g_assert_cmpfloat(find(b, "attn.softmax")->count, ==, 24 * (5 + 4));

  TsAttentionImpl a;
  g_assert_true(ts_attention_from_name("fused_softmax", &a) && a == TS_ATTENTION_FUSED_SOFTMAX);
  g_assert_true(ts_attention_from_name("flash2", &a) && a == TS_ATTENTION_FLASH2);
  g_assert_true(ts_attention_from_name("fused_fp8", &a) && a == TS_ATTENTION_FUSED_FP8);
  g_assert_false(ts_attention_from_name("flash3", &a));
  g_assert_true(ts_attention_is_fused(TS_ATTENTION_FLASH2) && ts_attention_is_fused(TS_ATTENTION_FUSED_FP8));
  g_assert_false(ts_attention_is_fused(TS_ATTENTION_FUSED_SOFTMAX));
  g_assert_cmpstr(ts_attention_get_name(TS_ATTENTION_UNFUSED), ==, "unfused");
}

/* Dropout in a decoder, by hand (small decoder, micro 3, 16-bit values: 96 rows of width 64, 6,144 values).
 * None unless the run states a probability above 0.  At 0.1: embed.dropout once, attn.dropout and ffn.dropout
 * once a layer (2 layers), each 2v + 1 = 5 bytes a value forward and 5 backward (a one-byte mask): 61,440 bytes
 * for the embedding's, 122,880 for each of the layers'.  With the scores materialised ("unfused", E = 3 x 4
 * heads x 32 x 32 scores a layer) the probabilities' dropout adds 5 + 5 bytes a score and one launch each way
 * to attn.softmax: 2 E (16 + 14) -> 2 E (21 + 19).  A stated 0 drops BERT's dropout too. */
static void
test_gpt_dropout(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 3;
  g_autoptr(GArray) none = list(&m, &ctx);
  g_assert_false(has_op(none, "embed.dropout") || has_op(none, "attn.dropout") || has_op(none, "ffn.dropout"));
  ctx.dropout_given = TRUE;
  ctx.dropout = 0;
  g_autoptr(GArray) zero = list(&m, &ctx);
  g_assert_cmpuint(zero->len, ==, none->len);
  g_assert_false(has_op(zero, "attn.dropout"));
  ctx.dropout = 0.1;
  g_autoptr(GArray) drop = list(&m, &ctx);
  g_assert_cmpuint(drop->len, ==, none->len + 3);
  g_assert_cmpfloat(find(drop, "embed.dropout")->bytes, ==, 6144.0 * 10);
  g_assert_cmpfloat(find(drop, "attn.dropout")->bytes, ==, 2 * 6144.0 * 10);
  g_assert_cmpfloat(find(drop, "ffn.dropout")->bytes, ==, 2 * 6144.0 * 10);
  g_assert_cmpfloat(find(drop, "ffn.dropout")->flops, ==, 0);
  g_assert_true(find(drop, "attn.dropout")->fusible);
  g_assert_cmpfloat(ts_model_ops_sum_bytes(drop, "matmul"), ==, ts_model_ops_sum_bytes(none, "matmul"));
  /* The fused (flash) core drops out inside its kernel: nothing more there. */
  g_assert_cmpfloat(find(drop, "attn.core")->bytes, ==, find(none, "attn.core")->bytes);

  double E = 3 * 4 * 32 * 32.0;
  ctx.attention = TS_ATTENTION_UNFUSED;
  g_autoptr(GArray) unfused = list(&m, &ctx);
  g_assert_cmpfloat(find(unfused, "attn.softmax")->bytes, ==, 2 * E * (21 + 19));
  g_assert_cmpfloat(find(unfused, "attn.softmax")->count, ==, 2 * (5 + 4));

  TsModel bert = {.name = "bert_large", .arch = TS_MODEL_ARCH_ENCODER, .layers = 24, .width = 1024, .heads = 16,
                  .kv_heads = 16, .ffn = 4096, .vocab = 30522, .seq = 512};
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) bert_rule = list(&bert, &ctx);
  g_assert_true(has_op(bert_rule, "embed.dropout") && has_op(bert_rule, "attn.dropout"));
  ctx.dropout_given = TRUE;
  ctx.dropout = 0;
  g_autoptr(GArray) bert_none = list(&bert, &ctx);
  g_assert_false(has_op(bert_none, "embed.dropout") || has_op(bert_none, "attn.dropout") ||
                 has_op(bert_none, "ffn.dropout"));
  g_assert_cmpuint(bert_none->len, ==, bert_rule->len - 3);
}

/* Splits: tp = 2 halves every product and attention (2 query heads, 1 kv head, 48 FFN columns, 50 logits a
 * device) and leaves the norms whole; cp = 2 halves the tokens; pp = 2 runs one layer and the head (the last
 * stage), no embedding. */
static void
test_gpt_splits(void)
{
  TsModel m = small_decoder();
  TsModelOpContext one, ctx;
  ts_model_op_context_init(&one);
  g_autoptr(GArray) whole = list(&m, &one);
  double tokens = 32, layer_products = SMALL_LAYER - 2 * 64, head = 100 * 64;

  ctx = one;
  ctx.tp = 2;
  g_autoptr(GArray) tp = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(tp, "matmul"), ==, ts_model_ops_sum_flops(whole, "matmul") / 2);
  g_assert_cmpfloat(ts_model_ops_sum_flops(tp, "attention"), ==, ts_model_ops_sum_flops(whole, "attention") / 2);
  g_assert_cmpfloat(ts_model_ops_sum_bytes(tp, "norm"), ==, ts_model_ops_sum_bytes(whole, "norm"));
  g_assert_cmpfloat(find(tp, "ffn.up")->n, ==, 96);
  g_assert_cmpfloat(find(tp, "attn.qkv")->n, ==, 16 * (2 + 2));

  ctx = one;
  ctx.cp = 2;
  g_autoptr(GArray) cp = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(cp, "matmul"), ==, 6 * tokens / 2 * (2 * layer_products + head));
  g_assert_cmpfloat(ts_model_ops_sum_flops(cp, "attention"), ==, ts_model_ops_sum_flops(whole, "attention") / 2);
  g_assert_cmpfloat(find(cp, "attn.core")->m, ==, 16);
  g_assert_cmpfloat(find(cp, "attn.core")->n, ==, 32);

  ctx = one;
  ctx.pp = 2;
  g_autoptr(GArray) pp = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(pp, "matmul"), ==, 6 * tokens * (layer_products + head));
  g_assert_cmpfloat(ts_model_ops_sum_bytes(pp, "embedding"), ==, 0);
  /* Three layers over two stages: the busier stage runs two. */
  m.layers = 3;
  g_autoptr(GArray) pp3 = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(pp3, "matmul"), ==, 6 * tokens * (2 * layer_products + head));
}

/* DeepSpeed's 'type:transformer|embedding' split (ctx.partition_embeddings): the embedding and the head count as
 * one layer each, so 4 layers over 2 stages are 6 units, 3 a stage.  With the small head (100 x 64, below one
 * layer's products) the busiest stage is a middle one: 3 layers, no head; with a head wider than a layer (1,000
 * x 64), the last: 2 layers and the head.  The plain split runs 2 layers and the head either way. */
static void
test_gpt_partition_embeddings(void)
{
  TsModel m = small_decoder();
  m.layers = 4;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.pp = 2;
  double tokens = 32, layer_products = SMALL_LAYER - 2 * 64, head = 100 * 64;
  g_autoptr(GArray) plain = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(plain, "matmul"), ==, 6 * tokens * (2 * layer_products + head));
  ctx.partition_embeddings = TRUE;
  g_autoptr(GArray) middle = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(middle, "matmul"), ==, 6 * tokens * 3 * layer_products);
  g_assert_false(has_op(middle, "lm.head"));
  m.vocab = 1000;
  head = 1000 * 64;
  g_autoptr(GArray) last = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(last, "matmul"), ==, 6 * tokens * (2 * layer_products + head));
  g_assert_true(has_op(last, "lm.head"));
  /* One stage: nothing to split, the whole model as before. */
  ctx.pp = 1;
  g_autoptr(GArray) whole = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_flops(whole, "matmul"), ==, 6 * tokens * (4 * layer_products + head));
}

/* Recomputation re-runs the layers' forward launches (not the head's): with all of it, a layer product
 * costs 4 forwards instead of 3, attention 4.5 instead of 3.5, a norm 2 forwards and a backward. */
static void
test_gpt_recompute(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.recompute = 1;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double tokens = 32, layer_products = SMALL_LAYER - 2 * 64, head = 100 * 64;
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==, 8 * tokens * 2 * layer_products + 6 * tokens * head);
  double attention_fwd = 2 * (2.0 * 2 * 32 * 32 * 64 / 2);
  assert_rel(ts_model_ops_sum_flops(ops, "attention"), 4.5 * attention_fwd, 1e-15);
  g_assert_cmpfloat(find(ops, "attn.norm")->bytes, ==, 2 * 32 * 64 * (2 * 4 + 6));
  g_assert_cmpfloat(find(ops, "final.norm")->bytes, ==, 32 * 64 * (4 + 6));
  g_assert_cmpfloat(sum_count(ops, "matmul"), ==, 4 * 4 * 2 + 3);
  /* A recomputed product runs its forward twice; the head is not recomputed. */
  g_assert_cmpfloat(find(ops, "attn.qkv")->fwd_passes, ==, 2);
  g_assert_cmpfloat(find(ops, "lm.head")->fwd_passes, ==, 1);
}

/* Mixture-of-experts: 4 experts of which 2 per token.  The FFN products follow the active experts (each
 * expert's launch sees tokens x 2 / 4 rows) and a router product (width x experts) is added; the
 * parameters hold all 4 experts. */
static void
test_gpt_moe(void)
{
  TsModel m = small_decoder();
  m.experts = 4;
  m.active_experts = 2;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  double tokens = 32, expert = 3 * 64 * 96, attention = 64.0 * 64 + 2 * 64 * 32 + 64 * 64;
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==,
                    2 * (attention + 4 * expert + 64 * 4 + 2 * 64) + 2 * 100 * 64 + 64);
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==,
                    6 * tokens * (2 * (attention + 2 * expert + 64 * 4) + 100 * 64));
  g_assert_cmpfloat(find(ops, "ffn.up")->m, ==, 16);
  g_assert_cmpfloat(find(ops, "ffn.up")->count, ==, 3 * 2 * 4);
}

/* Expert parallelism over 2 ranks: a device holds 2 of the 4 experts, each launch sees the tokens of both
 * ranks routed to it (32 x 2 / 4 x 2 = 32 rows), so the FLOPs stay those of its own tokens' active experts
 * while the launches halve.  3 ranks cannot split 4 experts. */
static void
test_gpt_expert_parallel(void)
{
  TsModel m = small_decoder();
  m.experts = 4;
  m.active_experts = 2;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.ep = 2;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double tokens = 32, expert = 3 * 64 * 96, attention = 64.0 * 64 + 2 * 64 * 32 + 64 * 64;
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==,
                    6 * tokens * (2 * (attention + 2 * expert + 64 * 4) + 100 * 64));
  g_assert_cmpfloat(find(ops, "ffn.up")->m, ==, 32);
  g_assert_cmpfloat(find(ops, "ffn.up")->count, ==, 3 * 2 * 2);
  g_assert_cmpfloat(find(ops, "ffn.down")->params, ==, 2 * 2 * 96 * 64);
  g_autoptr(GArray) none = ops_new();
  g_autoptr(GError) error = NULL;
  ctx.ep = 3;
  g_assert_false(ts_model_ops_append(&m, &ctx, none, &error));
  g_assert_nonnull(strstr(error->message, "4 experts, which expert parallelism of 3"));
}

/* Sequence parallelism with tp = 2: the norms and residual adds see half the tokens; the products and
 * attention are those of tp = 2 alone. */
static void
test_gpt_sequence_parallel(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.tp = 2;
  g_autoptr(GArray) plain = list(&m, &ctx);
  ctx.sequence_parallel = TRUE;
  g_autoptr(GArray) sp = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_bytes(sp, "norm"), ==, (2 * 2 + 1) * 16 * 64 * (4 + 6));
  g_assert_cmpfloat(ts_model_ops_sum_bytes(sp, "norm"), ==, ts_model_ops_sum_bytes(plain, "norm") / 2);
  g_assert_cmpfloat(find(sp, "attn.residual")->bytes, ==, find(plain, "attn.residual")->bytes / 2);
  g_assert_cmpfloat(find(sp, "ffn.swiglu")->bytes, ==, find(plain, "ffn.swiglu")->bytes);
  g_assert_cmpfloat(ts_model_ops_sum_flops(sp, NULL), ==, ts_model_ops_sum_flops(plain, NULL));
}

/* Inference (forward_only): one pass of every product (2 FLOPs per weight and token: models.gpt's 2 x N
 * less the lookup and norms), attention's forward alone, memory-bound passes forward only; recomputation does
 * not apply. */
static void
test_gpt_forward_only(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.forward_only = TRUE;
  ctx.recompute = 1;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double tokens = 32, in_products = SMALL_PARAMS - 100 * 64 - (2 * 2 * 64 + 64);
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==, 2 * tokens * in_products);
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "attention"), ==, 2 * (2.0 * 2 * 32 * 32 * 64 / 2));
  g_assert_cmpfloat(ts_model_ops_sum_bytes(ops, "norm"), ==, (2 * 2 + 1) * 32 * 64 * 4);
  g_assert_cmpfloat(find(ops, "attn.qkv")->bytes, ==, 2 * ((32 * 64 + 32 * 128) * 2 + 64 * 128 * 2));
  g_assert_cmpfloat(sum_count(ops, "matmul"), ==, 4 * 2 + 1);
  g_assert_cmpfloat(sum_count(ops, "norm"), ==, 2 * 2 + 1);
  /* Inference: the forward pass alone, no gradients. */
  const TsModelOp *qkv = find(ops, "attn.qkv");
  g_assert_cmpfloat(qkv->fwd_passes, ==, 1);
  g_assert_cmpfloat(qkv->dgrad_passes + qkv->wgrad_passes, ==, 0);
}

/* Sum of `field` (0 bytes, 1 count) over the ops called `name` (a name every product's cast pass shares). */
static double
sum_named(const GArray *ops, const char *name, int field)
{
  double total = 0;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    if (strcmp(op->name, name) == 0)
      total += field == 0 ? op->bytes : op->count;
  }
  return total;
}

/* The 8-bit pass (docs/model.md, "The 8-bit pass"), by hand on the small decoder, 3 samples (T = 96 rows), 16-bit
 * values, 8-bit weights, 4 micro-batches a step.  Per layer the cast products are qkv (64 -> 128), out (64 -> 64),
 * up (64 -> 192) and down (96 -> 64); the head stays at 16 bits and has no cast.  Each product's input is cast
 * forward and its output gradient backward at 2 + 1 + 1 bytes per value (read 16 bits, write 8 bits as it is and
 * transposed): 4 x T x (192 + 128 + 256 + 160) per layer; the weights, 64x128 + 64x64 + 64x192 + 96x64 = 30,720 a
 * layer, at 4 bytes once per step, a quarter of that per micro-batch. */
static void
test_gpt_cast_8bit(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) plain = list(&m, &ctx);
  for (guint i = 0; i < plain->len; i++)
    g_assert_null(strstr(g_array_index(plain, TsModelOp, i).name, "cast8"));
  ctx.micro = 3;
  ctx.weight_bytes = 1;
  ctx.cast_8bit = TRUE;
  ctx.weight_casts = 0.25;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double T = 3 * 32, layer_weights = 64 * 128 + 64 * 64 + 64 * 192 + 96 * 64;
  g_assert_cmpfloat(layer_weights, ==, 30720);
  g_assert_cmpfloat(sum_named(ops, "cast8.operands", 0), ==, 2 * 4 * T * (192 + 128 + 256 + 160));
  g_assert_cmpfloat(sum_named(ops, "cast8.operands", 1), ==, 2 * 4 * 2); /* 2 layers x 4 products x fwd + bwd */
  g_assert_cmpfloat(sum_named(ops, "cast8.weights", 0), ==, 2 * layer_weights * 4 * 0.25);
  g_assert_cmpfloat(sum_named(ops, "cast8.weights", 1), ==, 2 * 4 * 0.25);
  g_assert_true(find(ops, "cast8.operands")->fusible);
  g_assert_false(find(ops, "cast8.weights")->fusible);
  g_assert_cmpstr(find(ops, "cast8.operands")->kind, ==, "elementwise");
  /* A cast product reads 8-bit weights; the head, kept wide, reads them at 16 bits and is marked so. */
  g_assert_cmpfloat(find(ops, "attn.qkv")->bytes, ==, 3 * 2 * ((T * 64 + T * 128) * 2 + 64 * 128 * 1));
  g_assert_cmpfloat(find(ops, "lm.head")->bytes, ==, 3 * ((T * 64 + T * 100) * 2 + 64 * 100 * 2));
  g_assert_true(find(ops, "lm.head")->wide);
  g_assert_false(find(ops, "attn.qkv")->wide);
  /* The FLOPs do not change: the casts are memory-bound. */
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "elementwise"), ==, 0);

  /* Full recomputation casts each input again (forward re-run): + 4 x T x (64 + 64 + 64 + 96) per layer. */
  ctx.recompute = 1;
  g_autoptr(GArray) again = list(&m, &ctx);
  g_assert_cmpfloat(sum_named(again, "cast8.operands", 0), ==,
                    2 * 4 * T * (192 + 128 + 256 + 160) + 2 * 4 * T * (64 + 64 + 64 + 96));
  g_assert_cmpfloat(sum_named(again, "cast8.weights", 0), ==, 2 * layer_weights * 4 * 0.25);

  /* Inference: the inputs and the weights cast without a transpose (2 + 1 bytes), no gradient. */
  ctx.recompute = 0;
  ctx.forward_only = TRUE;
  ctx.weight_casts = 1;
  g_autoptr(GArray) fwd = list(&m, &ctx);
  g_assert_cmpfloat(sum_named(fwd, "cast8.operands", 0), ==, 2 * 3 * T * (64 + 64 + 64 + 96));
  g_assert_cmpfloat(sum_named(fwd, "cast8.weights", 0), ==, 2 * layer_weights * 3);

  /* Weight casts per micro-batch outside (0, 1] are refused. */
  ctx.weight_casts = 0;
  g_autoptr(GArray) none = ops_new();
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_model_ops_append(&m, &ctx, none, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_cmpuint(none->len, ==, 0);
}

/* Named remat policies (model/remat.c), by hand on the small decoder (T = 3 x 32 tokens, 2 layers).  Its products
 * per layer: qkv 64 -> 128 (4 heads + 2 x 2 kv heads of 16), out 64 -> 64, up 64 -> 192 (gated), down 96 -> 64;
 * each costs 2.T.k.n FLOPs a pass.  minimal keeps every product's output: the backward pass re-runs the attention
 * core and the element-wise work only; save_dot_except_mlpwi re-runs the FFN's up product too; save_qkv_proj the
 * output product as well; full every product but the down one, which no policy re-runs (its output is never
 * needed). */
static void
test_gpt_remat_policies(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 3;
  double T = 3 * 32, L = 2;
  g_autoptr(GArray) none = list(&m, &ctx);
  guint minimal = 0, mlpwi = 0, qkv = 0;
  g_assert_true(ts_remat_policy_from_name("minimal", &minimal));
  g_assert_true(ts_remat_policy_from_name("save_dot_except_mlpwi", &mlpwi));
  g_assert_true(ts_remat_policy_from_name("save_qkv_proj", &qkv));
  g_assert_false(ts_remat_policy_from_name("auto", &qkv));
  g_assert_cmpstr(ts_remat_policy_get_name(minimal), ==, "minimal");
  ctx.remat_policy = TRUE;
  ctx.remat_keep = ts_remat_policy_get_keep(minimal);
  g_autoptr(GArray) min_ops = list(&m, &ctx);
  /* Products: as without recomputation; the attention core once more forward (2 x 2 x 32^2 x 64 / 2 x 3 a layer). */
  g_assert_cmpfloat(ts_model_ops_sum_flops(min_ops, "matmul"), ==, ts_model_ops_sum_flops(none, "matmul"));
  double attention_fwd = L * (2.0 * 2 * 32 * 32 * 64 / 2) * 3;
  assert_rel(ts_model_ops_sum_flops(min_ops, "attention"), 4.5 * attention_fwd, 1e-15);
  /* A norm forward again: 2 norms x 2 layers x T x 64 x 2 bytes read and written once more. */
  assert_rel(sum_named(min_ops, "attn.norm", 0) - sum_named(none, "attn.norm", 0), L * T * 64 * 2 * 2, 1e-15);
  g_assert_cmpfloat(sum_named(min_ops, "attn.qkv", 1), ==, L * 3);
  ctx.remat_keep = ts_remat_policy_get_keep(mlpwi);
  g_autoptr(GArray) mlpwi_ops = list(&m, &ctx);
  assert_rel(ts_model_ops_sum_flops(mlpwi_ops, "matmul") - ts_model_ops_sum_flops(none, "matmul"),
             L * 2 * T * 64 * 192, 1e-15);
  g_assert_cmpfloat(sum_named(mlpwi_ops, "ffn.up", 1), ==, L * 4);
  g_assert_cmpfloat(sum_named(mlpwi_ops, "ffn.down", 1), ==, L * 3);
  ctx.remat_keep = ts_remat_policy_get_keep(qkv);
  g_autoptr(GArray) qkv_ops = list(&m, &ctx);
  assert_rel(ts_model_ops_sum_flops(qkv_ops, "matmul") - ts_model_ops_sum_flops(none, "matmul"),
             L * 2 * T * (64 * 192 + 64 * 64), 1e-15);
  g_assert_cmpfloat(sum_named(qkv_ops, "attn.qkv", 1), ==, L * 3);

  /* "full" (JAX's remat with nothing saveable) re-runs every product but the FFN's down one. */
  guint full = 0;
  g_assert_true(ts_remat_policy_from_name("full", &full));
  ctx.remat_keep = ts_remat_policy_get_keep(full);
  g_autoptr(GArray) full_ops = list(&m, &ctx);
  assert_rel(ts_model_ops_sum_flops(full_ops, "matmul") - ts_model_ops_sum_flops(none, "matmul"),
             L * 2 * T * 64 * (128 + 64 + 192), 1e-15);
  /* The forward's four tensor-parallel collectives re-run: none under minimal, the one before the FFN's up
   * product under save_dot_except_mlpwi, also the output product's under save_qkv_proj, all but the last under
   * full. */
  g_assert_cmpfloat(ts_remat_policy_collectives_rerun(ts_remat_policy_get_keep(minimal)), ==, 0);
  g_assert_cmpfloat(ts_remat_policy_collectives_rerun(ts_remat_policy_get_keep(mlpwi)), ==, 0.25);
  g_assert_cmpfloat(ts_remat_policy_collectives_rerun(ts_remat_policy_get_keep(qkv)), ==, 0.5);
  g_assert_cmpfloat(ts_remat_policy_collectives_rerun(ts_remat_policy_get_keep(full)), ==, 0.75);

  /* What each keeps per token of a layer (values): the input 64, qkv 128, out 64, up 192; with tp = 2 and
   * sequence parallelism every one of them halves; offloaded, the products' outputs (or all) go to the host. */
  double device, host;
  g_assert_true(ts_remat_kept_values(&m, ts_remat_policy_get_keep(minimal), TS_REMAT_OFFLOAD_NONE, 1, FALSE, &device,
                                     &host, NULL));
  g_assert_cmpfloat(device, ==, 64 + 128 + 64 + 192);
  g_assert_cmpfloat(host, ==, 0);
  g_assert_true(ts_remat_kept_values(&m, ts_remat_policy_get_keep(minimal), TS_REMAT_OFFLOAD_PRODUCTS, 2, TRUE,
                                     &device, &host, NULL));
  g_assert_cmpfloat(device, ==, 32);
  g_assert_cmpfloat(host, ==, 64 + 32 + 96);
  /* Without sequence parallelism the input and the output product's output stay whole on each rank. */
  g_assert_true(ts_remat_kept_values(&m, ts_remat_policy_get_keep(mlpwi), TS_REMAT_OFFLOAD_SAVED, 2, FALSE, &device,
                                     &host, NULL));
  g_assert_cmpfloat(device, ==, 0);
  g_assert_cmpfloat(host, ==, 64 + 64 + 64);
  /* A mixture of experts is refused, naming the model. */
  m.experts = 4;
  m.active_experts = 2;
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_remat_kept_values(&m, ts_remat_policy_get_keep(minimal), TS_REMAT_OFFLOAD_NONE, 1, FALSE, &device,
                                      &host, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "small"));
  /* The names the scenario's field rule accepts are the policies, in order. */
  guint n = 0;
  for (const char *const *name = ts_remat_policy_names; *name; name++) {
    guint policy = 0;
    g_assert_true(ts_remat_policy_from_name(*name, &policy));
    g_assert_cmpuint(policy, ==, ++n);
  }
  g_assert_null(ts_remat_policy_get_name(n + 1));
}

/* int8 is AQT's per-use quantization (ops.c, cast_per_use), by hand on the small decoder, 3 samples (T = 96 rows),
 * v = 2: per layer the products read inputs of 64 + 64 + 64 + 96 values a row and write 128 + 64 + 192 + 64; each
 * call quantizes both its operands at v + 1 = 3 bytes a value: x in the forward and the weight-gradient calls, dy in
 * the data- and the weight-gradient calls, the weights (30,720 a layer) in the forward and the data-gradient calls,
 * at every micro-batch (weight_casts does not apply). */
static void
test_gpt_cast_per_use(void)
{
  TsModel m = small_decoder();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 3;
  ctx.weight_bytes = 1;
  ctx.cast_8bit = TRUE;
  ctx.cast_per_use = TRUE;
  ctx.weight_casts = 0.25;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double T = 3 * 32, in = 64 + 64 + 64 + 96, out = 128 + 64 + 192 + 64, layer_weights = 30720;
  g_assert_cmpfloat(sum_named(ops, "cast8.operands", 0), ==, 2 * T * (2 * in + 2 * out) * 3);
  g_assert_cmpfloat(sum_named(ops, "cast8.operands", 1), ==, 2 * 4 * 4);
  g_assert_cmpfloat(sum_named(ops, "cast8.weights", 0), ==, 2 * layer_weights * 3 * 2);
  g_assert_cmpfloat(sum_named(ops, "cast8.weights", 1), ==, 2 * 4 * 2);
  /* A recomputed forward quantizes its input and its weights once more. */
  ctx.recompute = 1;
  g_autoptr(GArray) again = list(&m, &ctx);
  g_assert_cmpfloat(sum_named(again, "cast8.operands", 0), ==, 2 * T * (3 * in + 2 * out) * 3);
  g_assert_cmpfloat(sum_named(again, "cast8.weights", 0), ==, 2 * layer_weights * 3 * 3);
  /* Inference: the forward call alone. */
  ctx.recompute = 0;
  ctx.forward_only = TRUE;
  g_autoptr(GArray) fwd = list(&m, &ctx);
  g_assert_cmpfloat(sum_named(fwd, "cast8.operands", 0), ==, 2 * T * in * 3);
  g_assert_cmpfloat(sum_named(fwd, "cast8.weights", 0), ==, 2 * layer_weights * 3);
}

/* The router of a mixture-of-experts model stays at 16 bits in an 8-bit run, with no cast. */
static void
test_gpt_cast_8bit_router(void)
{
  TsModel m = small_decoder();
  m.experts = 4;
  m.active_experts = 2;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.weight_bytes = 1;
  ctx.cast_8bit = TRUE;
  g_autoptr(GArray) ops = list(&m, &ctx);
  g_assert_true(find(ops, "moe.router")->wide);
  g_assert_cmpfloat(find(ops, "moe.router")->bytes, ==, 2 * 3 * ((32 * 64 + 32 * 4) * 2 + 64 * 4 * 2));
  /* Casts: qkv, out and, per expert (4 on this device, 16 rows each), up and down: 2 layers x (2 + 4 x 2). */
  g_assert_cmpfloat(sum_named(ops, "cast8.weights", 1), ==, 2 * (2 + 4 * 2));
}

/* The aggregate forward FLOPs models.gpt gives (2 x N_active + 2 x layers x seq x width per token) are the
 * operation list's forward FLOPs plus 2 per norm weight per token: the op list counts norms as memory-bound. */
static void
test_gpt_agrees_with_aggregate(void)
{
  TsModel m = small_decoder();
  m.tied = TRUE;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.forward_only = TRUE;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double params = SMALL_PARAMS - 100 * 64, norms = 2 * 2 * 64 + 64, seq = 32;
  double aggregate = (2 * params + 2 * 2 * seq * 64) * seq;
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, NULL) + 2 * norms * seq, ==, aggregate);
}

/* What cannot be listed is refused with a message, and nothing is appended. */
static void
test_gpt_refused(void)
{
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = ops_new();
  g_autoptr(GError) error = NULL;
  TsModel aggregate = {.name = "agg", .params = 1e9, .flops = 1e12};
  g_assert_false(ts_model_has_architecture(&aggregate));
  g_assert_false(ts_model_ops_append(&aggregate, &ctx, ops, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "no architecture"));
  g_clear_error(&error);

  TsModel m = small_decoder();
  g_assert_true(ts_model_has_architecture(&m));
  ctx.tp = 8; /* 4 heads */
  g_assert_false(ts_model_ops_append(&m, &ctx, ops, &error));
  g_assert_nonnull(strstr(error->message, "tensor parallelism of 8"));
  g_clear_error(&error);
  /* 24 query heads in 8 groups over tp = 3: 8 key/value heads cannot be split in 3, nor copied to 3. */
  TsModel groups = small_decoder();
  groups.width = 96;
  groups.heads = 24;
  groups.kv_heads = 8;
  ctx.tp = 3;
  g_assert_false(ts_model_ops_append(&groups, &ctx, ops, &error));
  g_assert_nonnull(strstr(error->message, "8 key/value heads, which tensor parallelism of 3"));
  g_clear_error(&error);
  ctx.tp = 1;
  m.width = 66; /* not a multiple of 4 heads */
  g_assert_false(ts_model_ops_append(&m, &ctx, ops, &error));
  g_assert_nonnull(strstr(error->message, "model.width holds 66"));
  g_clear_error(&error);
  m = small_decoder();
  m.kv_heads = 3;
  g_assert_false(ts_model_ops_append(&m, &ctx, ops, &error));
  g_assert_nonnull(strstr(error->message, "model.heads holds 4, which is not a multiple of model.kv_heads (3)"));
  g_clear_error(&error);
  m = small_decoder();
  m.experts = 4;
  m.active_experts = 5;
  g_assert_false(ts_model_ops_append(&m, &ctx, ops, &error));
  g_assert_nonnull(strstr(error->message, "model.active_experts holds 5"));
  g_clear_error(&error);
  m = small_decoder();
  ctx.recompute = 1.5;
  g_assert_false(ts_model_ops_append(&m, &ctx, ops, &error));
  g_clear_error(&error);
  g_assert_cmpuint(ops->len, ==, 0);
}

/* ---- ResNet-50 v1.5 ---- */

static TsModel
resnet50(void)
{
  return (TsModel) {.name = "resnet50", .arch = TS_MODEL_ARCH_RESNET50, .image = 224, .classes = 1000};
}

/* torchvision's resnet50(): 25,557,032 parameters; 4.1 G multiply-adds forward at 224 x 224 (He et al.
 * 2016 report 3.8 G for v1; v1.5's stride on the 3x3 convolution adds about 0.3 G).  53 convolutions and the
 * FC: 3 launches each, 2 for the stem (the image needs no gradient). */
static void
test_resnet50_published(void)
{
  TsModel m = resnet50();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, 25557032.0);
  g_assert_cmpfloat(sum_count(ops, "matmul"), ==, 53 * 3 - 1 + 3);
  double stem = 2.0 * 112 * 112 * (3 * 7 * 7) * 64; /* forward FLOPs of the 7x7/2 stem */
  double forward = (ts_model_ops_sum_flops(ops, "matmul") + stem) / 3;
  assert_rel(forward / 2, 4.1e9, 0.01);
  g_assert_cmpfloat(find(ops, "conv.stem")->flops, ==, 2 * stem);
  g_assert_cmpfloat(find(ops, "fc")->flops, ==, 3 * 2.0 * 2048 * 1000);
  /* The per-image figures scale with the micro-batch. */
  ctx.micro = 32;
  g_autoptr(GArray) batch = list(&m, &ctx);
  assert_rel(ts_model_ops_sum_flops(batch, NULL), 32 * ts_model_ops_sum_flops(ops, NULL), 1e-15);
  assert_rel(ts_model_ops_sum_bytes(batch, "norm"), 32 * ts_model_ops_sum_bytes(ops, "norm"), 1e-15);
  g_assert_cmpfloat(find(batch, "conv.stem")->m, ==, 32 * 112 * 112);
  g_assert_cmpfloat(find(batch, "conv.stem")->k, ==, 147);
}

/* Memory-bound layers at 16 bits, by hand: the stem's batch norm 3v + 5v per value of its 112 x 112 x 64
 * output, its ReLU 2v + 3v; the max pool reads 112^2 x 64 and writes a quarter forward (1.25v), reads x, y
 * and dy and writes dx backward (2.5v); pooling is not fusible, batch norm (into the convolutions' epilogues
 * and prologues), ReLU and the adds are. */
static void
test_resnet50_memory_bound(void)
{
  TsModel m = resnet50();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 4;
  g_autoptr(GArray) ops = list(&m, &ctx);
  double stem_out = 4.0 * 112 * 112 * 64;
  g_assert_cmpfloat(find(ops, "bn")->bytes, ==, stem_out * (6 + 10));
  g_assert_cmpfloat(find(ops, "bn")->params, ==, 128);
  g_assert_cmpfloat(find(ops, "relu")->bytes, ==, stem_out * (4 + 6));
  g_assert_cmpfloat(find(ops, "maxpool")->bytes, ==, stem_out * (2.5 + 5));
  /* Global average pool over 7 x 7 x 2048. */
  assert_rel(find(ops, "avgpool")->bytes, 4.0 * 49 * 2048 * 2 * (1 + 1.0 / 49) * 3, 1e-15);
  g_assert_false(find(ops, "maxpool")->fusible || find(ops, "avgpool")->fusible || find(ops, "loss")->fusible);
  g_assert_true(find(ops, "bn")->fusible && find(ops, "relu")->fusible && find(ops, "residual")->fusible);
  /* 53 batch norms, 49 ReLUs (one per BN but the 3 expand and 4 projection ones, + one after each of the 16
   * adds), 16 residual adds: 2 launches each. */
  g_assert_cmpfloat(sum_count(ops, "norm"), ==, 2 * 53);
  g_assert_cmpfloat(sum_count(ops, "elementwise"), ==, 2 * ((1 + 16 * 2 + 16) + 16));
  GError *error = NULL;
  ctx.tp = 2;
  g_autoptr(GArray) none = ops_new();
  g_assert_false(ts_model_ops_append(&m, &ctx, none, &error));
  g_assert_nonnull(strstr(error->message, "not split by tensor"));
  g_clear_error(&error);
  m.image = 200;
  ctx.tp = 1;
  g_assert_false(ts_model_ops_append(&m, &ctx, none, &error));
  g_assert_nonnull(strstr(error->message, "model.image holds 200"));
  g_clear_error(&error);
}

/* r:train's `batch_norm` (resnet.c, bn_forward): what NVIDIA's MXNet symbol files leave of each forward pass, by
 * hand per image at 16 bits.  A: the elements of the norms before a convolution (two per bottleneck: the 1x1
 * reduce's output at the block's input side, the 3x3's at its output side); B: the norms before the residual add
 * (the expand's output, and the projection's in each stage's first block); R: the block-end ReLUs.  conv_stats
 * drops the statistics read (1v of A's 3v; all 3v of B's, applied in the add's pass) and the ReLUs' forward
 * passes but the stem's (2v); conv_fused also A's apply (the next convolution does it).  Backward passes and the
 * stem stay; a pass with no forward bytes has no forward launch. */
static void
test_resnet50_batch_norm_in_conv(void)
{
  static const double side_in[4] = {56, 56, 28, 14}, width[4] = {64, 128, 256, 512}, blocks[4] = {3, 4, 6, 3};
  double a = 0, b = 0, r = 0;
  for (int s = 0; s < 4; s++) {
    double out = s == 0 ? 56 : side_in[s] / 2, w = width[s];
    a += side_in[s] * side_in[s] * w + out * out * w;     /* the first block: reduce at the input side */
    a += (blocks[s] - 1) * 2 * out * out * w;             /* the others */
    b += (blocks[s] + 1) * out * out * 4 * w;             /* expand per block + the projection */
    r += blocks[s] * out * out * 4 * w;
  }
  TsModel m = resnet50();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_assert_cmpint(ctx.batch_norm, ==, TS_BATCH_NORM_SEPARATE);
  g_autoptr(GArray) sep = list(&m, &ctx);
  ctx.batch_norm = TS_BATCH_NORM_CONV_STATS;
  g_autoptr(GArray) stats = list(&m, &ctx);
  ctx.batch_norm = TS_BATCH_NORM_CONV_FUSED;
  g_autoptr(GArray) fused = list(&m, &ctx);
  double v = 2;
  assert_rel(ts_model_ops_sum_bytes(sep, "norm") - ts_model_ops_sum_bytes(stats, "norm"), v * (a + 3 * b), 1e-12);
  assert_rel(ts_model_ops_sum_bytes(sep, "norm") - ts_model_ops_sum_bytes(fused, "norm"), v * (3 * a + 3 * b), 1e-12);
  assert_rel(ts_model_ops_sum_bytes(sep, "elementwise") - ts_model_ops_sum_bytes(stats, "elementwise"),
             v * 2 * (a + r), 1e-12);
  g_assert_cmpfloat(ts_model_ops_sum_bytes(fused, "elementwise"), ==, ts_model_ops_sum_bytes(stats, "elementwise"));
  /* The products do not change. */
  g_assert_cmpfloat(ts_model_ops_sum_bytes(fused, "matmul"), ==, ts_model_ops_sum_bytes(sep, "matmul"));
  g_assert_cmpfloat(ts_model_ops_sum_flops(fused, NULL), ==, ts_model_ops_sum_flops(sep, NULL));
  /* Launches: 53 norms (32 before a convolution, 20 before an add, the stem's) and 49 ReLUs + 16 adds, 2 each. */
  g_assert_cmpfloat(sum_count(sep, "norm"), ==, 2 * 53);
  g_assert_cmpfloat(sum_count(stats, "norm"), ==, 2 * 53 - 20);
  g_assert_cmpfloat(sum_count(fused, "norm"), ==, 2 * 53 - 52);
  g_assert_cmpfloat(sum_count(fused, "elementwise"), ==, 2 * 65 - 48);
  /* An evaluation pass (forward only) of conv_fused: the stem's norm and ReLU, and the adds' passes. */
  ctx.forward_only = TRUE;
  g_autoptr(GArray) eval = list(&m, &ctx);
  double stem = 112.0 * 112 * 64;
  assert_rel(ts_model_ops_sum_bytes(eval, "norm"), v * 3 * stem, 1e-12);
  assert_rel(ts_model_ops_sum_bytes(eval, "elementwise"), v * (2 * stem + 3 * r), 1e-12);
  g_assert_cmpstr(ts_batch_norm_get_name(TS_BATCH_NORM_CONV_FUSED), ==, "conv_fused");
  TsBatchNormImpl impl;
  g_assert_true(ts_batch_norm_from_name("conv_stats", &impl) && impl == TS_BATCH_NORM_CONV_STATS);
  g_assert_false(ts_batch_norm_from_name("fused", &impl));
}

/* ---- ViT-B/16 ---- */

static TsModel
vit_b16(void)
{
  return (TsModel) {.name = "vit_b16", .arch = TS_MODEL_ARCH_VIT, .layers = 12, .width = 768, .heads = 12,
                    .kv_heads = 12, .ffn = 3072, .image = 224, .patch = 16, .classes = 1000};
}

/* 86,567,656 parameters (timm's vit_base_patch16_224): patch embedding 16x16x3 x 768 + 768, class token 768,
 * positions 197 x 768, per layer two LayerNorms (2 x 1536), qkv 768 x 2304 + 2304, projection 768^2 + 768,
 * MLP 768 x 3072 + 3072 and 3072 x 768 + 768; final LayerNorm 1536; head 768 x 1000 + 1000.  Forward
 * multiply-adds: 196 x 768^2 (patches) + 12 x (197 x (768 x 2304 + 768^2 + 2 x 768 x 3072) + 2 x 197^2 x 768)
 * (products and attention) + 768 x 1000: 17.56 G, the paper's 17.6 G (Table 6). */
static void
test_vit_published(void)
{
  TsModel m = vit_b16();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  double layer = 2 * 1536 + (768.0 * 2304 + 2304) + (768.0 * 768 + 768) + (768.0 * 3072 + 3072) + (3072.0 * 768 + 768);
  double params = 16 * 16 * 3 * 768.0 + 768 + 768 + 197 * 768.0 + 12 * layer + 1536 + 768 * 1000.0 + 1000;
  g_assert_cmpfloat(params, ==, 86567656.0);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, params);
  double patches = 196.0 * 768 * 768, products = 197.0 * (768 * 2304 + 768 * 768 + 2 * 768 * 3072);
  double head = 768.0 * 1000, attention = 2 * 197.0 * 197 * 768;
  /* Products: 3 passes, 2 for the patch embedding; attention 1 + 2.5. */
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==, 2 * (2 * patches + 3 * (12 * products + head)));
  assert_rel(ts_model_ops_sum_flops(ops, "attention"), 3.5 * 2 * 12 * attention, 1e-15);
  assert_rel(patches + 12 * (products + attention) + head, 17.6e9, 0.01);
  g_assert_cmpfloat(find(ops, "attn.core")->m, ==, 197);
  g_assert_cmpfloat(find(ops, "attn.core")->k, ==, 64);
  g_assert_cmpfloat(find(ops, "patch.embed")->m, ==, 196);
  g_assert_cmpfloat(find(ops, "patch.embed")->k, ==, 768);
}

/* ---- BERT-large ---- */

static TsModel
bert_large(void)
{
  return (TsModel) {.name = "bert_large", .arch = TS_MODEL_ARCH_ENCODER, .layers = 24, .width = 1024, .heads = 16,
                    .kv_heads = 16, .ffn = 4096, .vocab = 30522, .seq = 512};
}

/* Parameters of BertForPreTraining at bert-large's shape: embeddings (30,522 + 512 + 2) x 1024 + LayerNorm
 * 2,048; per layer attention 4 x (1024^2 + 1024), FFN 2 x 1024 x 4096 + 4096 + 1024, two LayerNorms; pooler
 * 1024^2 + 1024: BertModel's 335,141,888.  Heads: MLM transform 1024^2 + 1024, LayerNorm 2,048, output bias
 * 30,522 (weights tied), NSP 1024 x 2 + 2: 336,226,108 in all (the hub's "336M"). */
static void
test_bert_published(void)
{
  TsModel m = bert_large();
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  double d = 1024, layer = 4 * (d * d + d) + 2 * d * 4096 + 4096 + d + 2 * 2 * d;
  double bert_model = (30522 + 512 + 2) * d + 2 * d + 24 * layer + d * d + d;
  g_assert_cmpfloat(bert_model, ==, 335141888.0);
  double heads = (d * d + d) + 2 * d + 30522 + (2 * d + 2);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, bert_model + heads);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, 336226108.0);
  g_assert_cmpfloat(find(ops, "mlm.transform")->params + find(ops, "mlm.norm")->params +
                    find(ops, "lm.head")->params + find(ops, "nsp.head")->params, ==, heads);
  /* Products of the layers on all 512 tokens, of the MLM transform and output head on the 15 % masked ones
   * (76.8 of 512; Devlin et al. 2019, sec. 3.1), of the pooler and NSP head on the first token; attention not
   * causal: 4 x 512^2 x 1024 per layer forward. */
  double tokens = 512, masked = 0.15 * 512, per_token = 24 * (4 * d * d + 2 * d * 4096);
  assert_rel(ts_model_ops_sum_flops(ops, "matmul"),
             6 * tokens * per_token + 6 * masked * (d * d + d * 30522) + 6 * (d * d + 2 * d), 1e-15);
  g_assert_cmpfloat(find(ops, "lm.head")->m, ==, masked);
  assert_rel(find(ops, "loss")->bytes, masked * 30522 * (2 + 4), 1e-15);
  assert_rel(ts_model_ops_sum_flops(ops, "attention"), 3.5 * 24 * 4 * 512.0 * 512 * 1024, 1e-15);
  /* Hidden dropout after the embeddings and twice per layer, a one-byte mask each: 2v + 1 both ways. */
  g_assert_cmpfloat(find(ops, "attn.dropout")->bytes, ==, 24 * 512 * d * (5 + 5));
  g_assert_cmpfloat(find(ops, "embed.dropout")->bytes, ==, 512 * d * (5 + 5));
  /* Post-norm: the embeddings' and two per layer on every token, none before the products; the MLM head's on the
   * masked tokens. */
  assert_rel(ts_model_ops_sum_bytes(ops, "norm"), (1 + 2 * 24) * 512 * d * (4 + 6) + masked * d * (4 + 6), 1e-15);
}

/* The published decoders of the validation cases (scenarios/validation/): each shape's layer list holds
 * within 0.5 % of the parameter count its authors published.  The list leaves out biases, learned position
 * tables and LayerNorm shifts, which is where the small differences come from (each named below). */
typedef struct {
  const char *name;
  guint layers, width, heads, kv_heads, ffn, vocab;
  gboolean gated, tied;
  double published;
  guint head_dim; /* 0: width / heads */
} PublishedDecoder;

static void
test_gpt_published_shapes(void)
{
  static const PublishedDecoder cases[] = {
    /* Llama 3 405B (arXiv 2407.21783, Table 3; vocabulary 128,256 as released): "405B"; the shape counts
     * 405,853,388,800. */
    {"llama3-405b", 126, 16384, 128, 8, 53248, 128256, TRUE, FALSE, 405e9, 0},
    /* LLaMA 65B (arXiv 2302.13971, Table 2; FFN 22,016 from the released model.py): "65.2B". */
    {"llama-65b", 80, 8192, 64, 64, 22016, 32000, TRUE, FALSE, 65.2e9, 0},
    /* BLOOM (bigscience/bloom model card): 176,247,271,424, biases and the embedding LayerNorm included. */
    {"bloom-176b", 70, 14336, 112, 112, 4 * 14336, 250880, FALSE, TRUE, 176247271424.0, 0},
    /* MT-NLG (arXiv 2201.11990): "530B". */
    {"mt-nlg-530b", 105, 20480, 128, 128, 4 * 20480, 50272, FALSE, TRUE, 530e9, 0},
    /* GPT-3 175B (arXiv 2005.14165, Table 2.1), the MLPerf benchmark's vocabulary 50,304: "175.0B". */
    {"gpt3-175b", 96, 12288, 96, 96, 4 * 12288, 50304, FALSE, TRUE, 175e9, 0},
    /* Megatron-LM's 8.3B GPT-2 (arXiv 1909.08053, Table 1). */
    {"gpt2-8.3b", 72, 3072, 32, 32, 4 * 3072, 51200, FALSE, TRUE, 8.3e9, 0},
    /* MPT (llm-foundry yamls; NumParams of its benchmark README, which counts a 2,048-row position table,
     * biases and LayerNorm shifts as well). */
    {"mpt-7b", 32, 4096, 32, 32, 4 * 4096, 50368, FALSE, TRUE, 6658859008.0, 0},
    {"mpt-13b", 40, 5120, 40, 40, 4 * 5120, 50368, FALSE, TRUE, 12853954560.0, 0},
    {"mpt-30b", 48, 7168, 56, 56, 4 * 7168, 50368, FALSE, TRUE, 29975214080.0, 0},
    {"mpt-70b", 80, 8192, 64, 64, 4 * 8192, 50368, FALSE, TRUE, 64862437376.0, 0},
    /* PaLM 540B (arXiv 2204.02311, Table 1): 48 heads of 256, multi-query, SwiGLU of 4 x 18432, tied. */
    {"palm-540b", 118, 18432, 48, 1, 4 * 18432, 256000, TRUE, TRUE, 540.35e9, 256},
  };
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    const PublishedDecoder *c = &cases[i];
    TsModel m = {.name = (char *) c->name, .arch = TS_MODEL_ARCH_DECODER, .layers = c->layers, .width = c->width,
                 .heads = c->heads, .kv_heads = c->kv_heads, .head_dim = c->head_dim, .ffn = c->ffn,
                 .vocab = c->vocab, .seq = 2048, .gated = c->gated, .tied = c->tied};
    g_autoptr(GArray) ops = list(&m, &ctx);
    /* By hand: attention 2d (heads hd) + 2d (kv_heads hd) with hd = head_dim or d / heads, FFN (2 or 3) d ffn,
     * two norms of d per layer; the embedding (twice untied) and the final norm. */
    double d = c->width, hd = c->head_dim > 0 ? c->head_dim : d / c->heads;
    double layer = 2 * d * c->heads * hd + 2 * d * c->kv_heads * hd + (c->gated ? 3 : 2) * d * c->ffn + 2 * d;
    double expected = c->layers * layer + (c->tied ? 1 : 2) * (double) c->vocab * d + d;
    g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, expected);
    if (fabs(expected / c->published - 1) > 0.005)
      g_error("%s: its shape counts %.0f parameters, %.2f %% from the published %.0f", c->name, expected,
              100 * (expected / c->published - 1), c->published);
  }
}

/* head_dim: heads x head_dim wider than the width (MaxText's 16b: 64 heads of 128 at width 4096).  The query,
 * key and value products write heads x head_dim columns, the output product reads them; the attention core
 * runs at head_dim. */
static void
test_gpt_head_dim(void)
{
  TsModel m = {.name = "wide-heads", .arch = TS_MODEL_ARCH_DECODER, .layers = 2, .width = 64, .heads = 8,
               .kv_heads = 2, .head_dim = 16, .ffn = 128, .vocab = 100, .seq = 32, .tied = TRUE};
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  const TsModelOp *qkv = find(ops, "attn.qkv"), *out = find(ops, "attn.out"), *core = find(ops, "attn.core");
  g_assert_cmpfloat(qkv->n, ==, 16 * (8 + 2 * 2));
  g_assert_cmpfloat(qkv->k, ==, 64);
  g_assert_cmpfloat(qkv->params, ==, 2 * 64.0 * 16 * 12);
  g_assert_cmpfloat(out->k, ==, 16 * 8);
  g_assert_cmpfloat(out->n, ==, 64);
  g_assert_cmpfloat(core->k, ==, 16);
  /* Causal, forward 4 q kv hd heads / 2, backward 2.5 x forward: 3.5 x in all, per layer. */
  g_assert_cmpfloat(core->flops, ==, 3.5 * 2 * 4 * 32.0 * 32 * 16 * 8 / 2);
  /* Without head_dim the width must split into the heads. */
  TsModel odd = m;
  odd.head_dim = 0;
  odd.heads = 6;
  odd.kv_heads = 6;
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_model_check(&odd, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "model.width holds 64, which is not a multiple of model.heads (6)"));
}

/* Mixture-of-experts variants on the small decoder (4 layers): the first is dense (FFN 96), the other 3 have
 * 4 routed experts of FFN 48 (2 per token) and 1 shared expert of 48.  By hand: per MoE layer the router
 * 64 x 4, 4 + 1 experts of 3 x 64 x 48 each; the dense layer's FFN 3 x 64 x 96.  FLOPs: every token goes
 * through the dense FFN (1 layer), the shared expert and 2 routed ones (3 layers). */
static void
test_gpt_moe_variants(void)
{
  TsModel m = small_decoder();
  m.layers = 4;
  m.experts = 4;
  m.active_experts = 2;
  m.moe_layers = 3;
  m.expert_ffn = 48;
  m.shared_experts = 1;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  double tokens = 32, attention = 64.0 * 64 + 2 * 64 * 32 + 64 * 64, dense = 3 * 64 * 96.0, expert = 3 * 64 * 48.0;
  double router = 64 * 4;
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==,
                    4 * (attention + 2 * 64) + dense + 3 * (router + 5 * expert) + 2 * 100 * 64 + 64);
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==,
                    6 * tokens * (4 * attention + dense + 3 * (router + 3 * expert) + 100 * 64));
  g_assert_cmpfloat(find(ops, "dense.up")->n, ==, 2 * 96);
  g_assert_cmpfloat(find(ops, "dense.up")->count, ==, 3 * 1);
  g_assert_cmpfloat(find(ops, "shared.up")->m, ==, 32);
  g_assert_cmpfloat(find(ops, "shared.down")->k, ==, 48);
  g_assert_cmpfloat(find(ops, "shared.up")->count, ==, 3 * 3);
  /* The routed experts: 32 x 2 / 4 = 16 rows each, one launch per expert per MoE layer. */
  g_assert_cmpfloat(find(ops, "ffn.up")->m, ==, 16);
  g_assert_cmpfloat(find(ops, "ffn.up")->n, ==, 2 * 48);
  g_assert_cmpfloat(find(ops, "ffn.up")->count, ==, 3 * 3 * 4);
  g_assert_cmpfloat(find(ops, "moe.router")->count, ==, 3 * 3);

  /* Pipeline of 2 stages, 2 layers each: the last holds layers 2 and 3, both with experts, so no dense FFN is
   * listed.  With 3 dense layers it holds one dense (layer 2) and one with experts (layer 3). */
  ctx.pp = 2;
  g_autoptr(GArray) staged = list(&m, &ctx);
  for (guint i = 0; i < staged->len; i++)
    g_assert_false(g_str_has_prefix(g_array_index(staged, TsModelOp, i).name, "dense."));
  g_assert_cmpfloat(find(staged, "ffn.up")->count, ==, 3 * 2 * 4);
  m.moe_layers = 1;
  g_autoptr(GArray) mixed = list(&m, &ctx);
  g_assert_cmpfloat(find(mixed, "dense.up")->count, ==, 3 * 1);
  g_assert_cmpfloat(find(mixed, "ffn.up")->count, ==, 3 * 1 * 4);
  g_assert_cmpfloat(find(mixed, "moe.router")->count, ==, 3 * 1);

  /* Shared experts or an expert width on a dense model are refused. */
  TsModel dense_model = small_decoder();
  dense_model.shared_experts = 1;
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_model_check(&dense_model, &error));
  g_assert_nonnull(strstr(error->message, "model.shared_experts (1) and model.expert_ffn (0) describe a mixture"));
}

/* Multi-head latent attention on the small decoder: 4 heads of head_dim 16 with a rotary part of 8, a query
 * latent of 32 and a key/value latent of 24.  By hand per layer: q down 64 x 32, its norm 32, q up 32 x 4 x 24;
 * kv down 64 x (24 + 8), its norm 24, kv up 24 x 4 x 32; output 4 x 16 x 64.  The attention core: Q.K^T at 24
 * and P.V at 16 per head, causal (half), forward + backward 3.5 x. */
static void
test_gpt_latent_attention(void)
{
  TsModel m = small_decoder();
  m.kv_heads = m.heads;
  m.head_dim = 16;
  m.q_lora_rank = 32;
  m.kv_lora_rank = 24;
  m.rope_head_dim = 8;
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  double attention = 64.0 * 32 + 32 + 32 * 4 * 24 + 64 * 32 + 24 + 24 * 4 * 32 + 4 * 16 * 64;
  double layer = attention + 3 * 64 * 96 + 2 * 64;
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, 2 * layer + 2 * 100 * 64 + 64);
  double t = 32, products = attention - 32 - 24; /* weights of the products, without the two norms */
  g_assert_cmpfloat(ts_model_ops_sum_flops(ops, "matmul"), ==, 6 * t * (2 * (products + 3 * 64 * 96) + 100 * 64));
  double core = 4 * (2 * t * t * 24 + 2 * t * t * 16) / 2;
  g_assert_cmpfloat(find(ops, "attn.core")->flops, ==, 3.5 * 2 * core);
  /* Bytes of the core: forward reads Q (24), K (24), V (16), writes O (16) per head and token. */
  g_assert_cmpfloat(find(ops, "attn.core")->bytes, ==, 2 * 2 * t * 4 * ((24 + 16) + (24 + 16) + 2 * (24 + 16 + 24 + 16)));
  /* Tensor parallelism of 2: the down-projections stay whole on each rank, the up-projections halve. */
  ctx.tp = 2;
  g_autoptr(GArray) split = list(&m, &ctx);
  g_assert_cmpfloat(find(split, "attn.q_down")->params, ==, 2 * 64 * 32.0);
  g_assert_cmpfloat(find(split, "attn.kv_down")->params, ==, 2 * 64 * 32.0);
  g_assert_cmpfloat(find(split, "attn.q_up")->n, ==, 2 * 24);
  g_assert_cmpfloat(find(split, "attn.kv_up")->n, ==, 2 * 32);
  g_assert_cmpfloat(find(split, "attn.out")->k, ==, 2 * 16);
  /* Latent attention needs its own key and value per head and a head_dim. */
  TsModel grouped = m;
  grouped.kv_heads = 2;
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_model_check(&grouped, &error));
  g_assert_nonnull(strstr(error->message, "as many key/value heads as heads (got 2 of 4)"));
}

/* DeepSeek-V3 (arXiv 2412.19437 sec. 4.2; deepseek-ai/DeepSeek-V3 config.json): 61 layers of width 7168, the
 * first 3 dense (FFN 18,432), 58 with 256 routed experts (8 per token) and 1 shared, all of FFN 2,048, SwiGLU;
 * multi-head latent attention with 128 heads, head_dim 128, rotary 64, latents 1536 (query) and 512 (key/value);
 * vocabulary 129,280, untied.  Published: "Total parameters: 671B" (the repository's README_WEIGHTS.md, the MTP
 * module apart).  By hand: attention 187,107,328 per layer, a dense FFN 396,361,728, an expert 44,040,192, the
 * router 1,835,008: 671,026,404,352. */
static void
test_gpt_deepseek_v3(void)
{
  TsModel m = {.name = "deepseek-v3", .arch = TS_MODEL_ARCH_DECODER, .layers = 61, .width = 7168, .heads = 128,
               .kv_heads = 128, .head_dim = 128, .q_lora_rank = 1536, .kv_lora_rank = 512, .rope_head_dim = 64,
               .ffn = 18432, .expert_ffn = 2048, .experts = 256, .active_experts = 8, .shared_experts = 1,
               .moe_layers = 58, .gated = TRUE, .vocab = 129280, .seq = 4096};
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(&m, &ctx);
  double d = 7168;
  double attention = d * 1536 + 1536 + 1536 * 128 * 192.0 + d * 576 + 512 + 512 * 128 * 256.0 + 128 * 128 * d;
  g_assert_cmpfloat(attention, ==, 187107328.0);
  double expert = 3 * d * 2048, dense = 3 * d * 18432;
  double total = 61 * (attention + 2 * d) + 3 * dense + 58 * (257 * expert + d * 256) + 2 * 129280 * d + d;
  g_assert_cmpfloat(total, ==, 671026404352.0);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, total);
  assert_rel(ts_model_ops_sum_params(ops), 671e9, 0.005);
}

/* ---- from a scenario: the prelude's models.gpt reaches C with its shape ---- */

static TsRun *
run_text(const char *text, GError **error)
{
  return test_scenario_run_text(registry, text, NULL, NULL, error);
}

#define GPT_SCENARIO                                                                                            \
  "local pod = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 8 } }\n"                                 \
  "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"                                   \
  "local m = models.gpt { layers = 2, width = 64, heads = 4, kv_heads = 2, ffn = 96, gated = true,\n"            \
  "                       vocab = 100, seq = 32, tied_embeddings = false%s }\n"                                 \
  "run(pod, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = 8, steps = 2, precision = 'bf16', optimizer = 'adam' }\n"           \
  "end)\n"

static const TsModel *
first_model(TsRun *run)
{
  const GPtrArray *models = ts_run_get_models(run);
  g_assert_cmpuint(models->len, >=, 1);
  return g_ptr_array_index(models, 0);
}

static void
test_gpt_scenario(void)
{
  g_autofree char *text = g_strdup_printf(GPT_SCENARIO, "");
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  const TsModel *m = first_model(run);
  g_assert_cmpint(m->arch, ==, TS_MODEL_ARCH_DECODER);
  g_assert_cmpuint(m->heads, ==, 4);
  g_assert_cmpuint(m->kv_heads, ==, 2);
  g_assert_cmpuint(m->ffn, ==, 96);
  g_assert_cmpuint(m->vocab, ==, 100);
  g_assert_true(m->gated);
  g_assert_false(m->tied);
  /* The prelude's parameter count and the C operation list's agree. */
  g_assert_cmpfloat(m->params, ==, SMALL_PARAMS);
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops = list(m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops), ==, m->params);
  /* summary.json's model.params and model.active_params (#16 item 3): a dense model uses all of them. */
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpfloat(r->model_params, ==, SMALL_PARAMS);
  g_assert_cmpfloat(r->model_active_params, ==, SMALL_PARAMS);
  g_assert_cmpstr(r->model_name, ==, m->name);
  ts_run_free(run);

  /* Mixture-of-experts reaches C with its active experts. */
  g_free(text);
  text = g_strdup_printf(GPT_SCENARIO, ", experts = 4, active_experts = 2");
  run = run_text(text, &error);
  g_assert_no_error(error);
  m = first_model(run);
  g_assert_cmpuint(m->experts, ==, 4);
  g_assert_cmpuint(m->active_experts, ==, 2);
  g_autoptr(GArray) moe = list(m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(moe), ==, m->params);
  /* Two of four experts per token: fewer active parameters than in all, as the model counts them. */
  r = ts_run_get_results(run);
  g_assert_cmpfloat(r->model_params, ==, m->params);
  g_assert_cmpfloat(r->model_active_params, ==, m->active_params);
  g_assert_cmpfloat(r->model_active_params, <, r->model_params);
  ts_run_free(run);

  /* head_dim reaches C: 4 heads of 32 at width 64, and the two counts still agree. */
  g_free(text);
  text = g_strdup_printf(GPT_SCENARIO, ", head_dim = 32");
  run = run_text(text, &error);
  g_assert_no_error(error);
  m = first_model(run);
  g_assert_cmpuint(m->head_dim, ==, 32);
  g_autoptr(GArray) wide = list(m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(wide), ==, m->params);
  g_assert_cmpfloat(find(wide, "attn.qkv")->n, ==, 32 * (4 + 2 * 2));
  ts_run_free(run);

  /* Leading dense layers, a shared expert and narrower experts reach C: the shape has its architecture and
   * both counts agree. */
  g_free(text);
  text = g_strdup_printf(GPT_SCENARIO, ", experts = 4, active_experts = 2, dense_layers = 1, shared_experts = 1, "
                                       "expert_ffn = 48");
  run = run_text(text, &error);
  g_assert_no_error(error);
  m = first_model(run);
  g_assert_cmpint(m->arch, ==, TS_MODEL_ARCH_DECODER);
  g_assert_cmpuint(m->moe_layers, ==, 1);
  g_assert_cmpuint(m->shared_experts, ==, 1);
  g_assert_cmpuint(m->expert_ffn, ==, 48);
  g_autoptr(GArray) variants = list(m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(variants), ==, m->params);
  ts_run_free(run);

  /* Multi-head latent attention reaches C, both counts agree. */
  g_free(text);
  text = g_strdup(
    "local pod = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 8 } }\n"
    "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 2, width = 64, heads = 4, head_dim = 16, q_lora_rank = 32, kv_lora_rank = 24,\n"
    "                       rope_head_dim = 8, ffn = 96, gated = true, vocab = 100, seq = 32, experts = 4,\n"
    "                       active_experts = 2, shared_experts = 1, expert_ffn = 48, dense_layers = 1 }\n"
    "run(pod, function(r)\n"
    "  r:train { model = m, data = d, batch = 8, steps = 2, precision = 'bf16', optimizer = 'adam' }\n"
    "end)\n");
  run = run_text(text, &error);
  g_assert_no_error(error);
  m = first_model(run);
  g_assert_cmpuint(m->kv_lora_rank, ==, 24);
  g_assert_cmpuint(m->q_lora_rank, ==, 32);
  g_assert_cmpuint(m->rope_head_dim, ==, 8);
  g_assert_cmpuint(m->kv_heads, ==, 4);
  g_autoptr(GArray) latent = list(m, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(latent), ==, m->params);
  ts_run_free(run);
}

/* models.resnet50, models.vit_b16 and models.bert_large reach C with their architecture and shape, and
 * their layer tables hold the prelude's parameter counts (ResNet-50 exactly; ViT-B/16 and BERT-large carry
 * their papers' rounded 86.6 M and 340 M, within 0.1 % and 1.2 %). */
static void
test_catalog_scenario(void)
{
  const char *text =
    "local pod = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 8 } }\n"
    "local img = dataset { samples = 100000, bytes = '1 GB', kind = 'images' }\n"
    "local txt = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"
    "run(pod, function(r)\n"
    "  r:train { model = models.resnet50, data = img, batch = 64, steps = 2 }\n"
    "  r:train { model = models.vit_b16, data = img, batch = 64, steps = 2 }\n"
    "  r:train { model = models.bert_large, data = txt, batch = 8, steps = 2 }\n"
    "end)\n";
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  const GPtrArray *models = ts_run_get_models(run);
  g_assert_cmpuint(models->len, ==, 3);
  const TsModel *resnet = g_ptr_array_index(models, 0), *vit = g_ptr_array_index(models, 1);
  const TsModel *bert = g_ptr_array_index(models, 2);
  g_assert_cmpint(resnet->arch, ==, TS_MODEL_ARCH_RESNET50);
  g_assert_cmpuint(resnet->image, ==, 224);
  g_assert_cmpuint(resnet->classes, ==, 1000);
  g_assert_cmpint(vit->arch, ==, TS_MODEL_ARCH_VIT);
  g_assert_cmpuint(vit->patch, ==, 16);
  g_assert_cmpuint(vit->heads, ==, 12);
  g_assert_cmpuint(vit->ffn, ==, 3072);
  g_assert_cmpint(bert->arch, ==, TS_MODEL_ARCH_ENCODER);
  g_assert_cmpuint(bert->vocab, ==, 30522);
  g_assert_cmpuint(bert->heads, ==, 16);
  g_assert_cmpuint(bert->ffn, ==, 4096);
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) r_ops = list(resnet, &ctx);
  g_autoptr(GArray) v_ops = list(vit, &ctx);
  g_autoptr(GArray) b_ops = list(bert, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(r_ops), ==, resnet->params);
  assert_rel(ts_model_ops_sum_params(v_ops), vit->params, 0.001);
  assert_rel(ts_model_ops_sum_params(b_ops), bert->params, 0.012);
  ts_run_free(run);
}

/* models.bert: an encoder by its shape at a sequence length of its own.  At BERT-large's shape and seq 512 the
 * prelude counts BertForPreTraining's 336,226,108 (the layer table's, /model/bert/published); at seq 128 the
 * position table has 128 rows: 384 x 1024 fewer.  Both counts agree with the layer list. */
static void
test_bert_scenario(void)
{
  const char *text =
    "local pod = cluster { accelerator = tpu { slice = 'v3-8' } }\n"
    "local txt = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"
    "run(pod, function(r)\n"
    "  r:train { model = models.bert { seq = 512 }, data = txt, batch = 8, steps = 2, precision = 'bf16' }\n"
    "  r:train { model = models.bert { seq = 128 }, data = txt, batch = 8, steps = 2, precision = 'bf16' }\n"
    "end)\n";
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  const GPtrArray *models = ts_run_get_models(run);
  g_assert_cmpuint(models->len, ==, 2);
  const TsModel *b512 = g_ptr_array_index(models, 0), *b128 = g_ptr_array_index(models, 1);
  g_assert_cmpint(b512->arch, ==, TS_MODEL_ARCH_ENCODER);
  g_assert_cmpuint(b128->seq, ==, 128);
  g_assert_cmpfloat(b512->params, ==, 336226108.0);
  g_assert_cmpfloat(b128->params, ==, 336226108.0 - 384 * 1024);
  /* Forward FLOPs per sequence: (2 N + 2 L s d) s. */
  g_assert_cmpfloat(b128->flops, ==, (2 * b128->params + 2 * 24 * 128 * 1024.0) * 128);
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  g_autoptr(GArray) ops512 = list(b512, &ctx);
  g_autoptr(GArray) ops128 = list(b128, &ctx);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops512), ==, b512->params);
  g_assert_cmpfloat(ts_model_ops_sum_params(ops128), ==, b128->params);
  ts_run_free(run);
}

/* A decoder without heads keeps the aggregate path; so does model{}. */
static void
test_gpt_scenario_aggregate(void)
{
  const char *text =
    "local pod = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 8 } }\n"
    "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"
    "run(pod, function(r)\n"
    "  r:train { model = models.gpt { layers = 2, width = 64 }, data = d, batch = 8, steps = 2 }\n"
    "  r:train { model = model { params = 1e6, flops = 1e9, activations = 1e6 }, data = d, batch = 8, steps = 2 }\n"
    "end)\n";
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  const GPtrArray *models = ts_run_get_models(run);
  g_assert_cmpuint(models->len, ==, 2);
  for (guint i = 0; i < models->len; i++)
    g_assert_false(ts_model_has_architecture(g_ptr_array_index(models, i)));
  ts_run_free(run);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/model/gpt/params", test_gpt_params);
  g_test_add_func("/model/gpt/flops", test_gpt_flops);
  g_test_add_func("/model/gpt/bytes", test_gpt_bytes);
  g_test_add_func("/model/gpt/splits", test_gpt_splits);
  g_test_add_func("/model/gpt/partition-embeddings", test_gpt_partition_embeddings);
  g_test_add_func("/model/gpt/attention-materialised", test_gpt_attention_materialised);
  g_test_add_func("/model/gpt/dropout", test_gpt_dropout);
  g_test_add_func("/model/gpt/recompute", test_gpt_recompute);
  g_test_add_func("/model/gpt/moe", test_gpt_moe);
  g_test_add_func("/model/gpt/expert-parallel", test_gpt_expert_parallel);
  g_test_add_func("/model/gpt/sequence-parallel", test_gpt_sequence_parallel);
  g_test_add_func("/model/gpt/forward-only", test_gpt_forward_only);
  g_test_add_func("/model/gpt/cast-8bit", test_gpt_cast_8bit);
  g_test_add_func("/model/gpt/cast-8bit-router", test_gpt_cast_8bit_router);
  g_test_add_func("/model/gpt/cast-per-use", test_gpt_cast_per_use);
  g_test_add_func("/model/gpt/remat-policies", test_gpt_remat_policies);
  g_test_add_func("/model/gpt/agrees-with-aggregate", test_gpt_agrees_with_aggregate);
  g_test_add_func("/model/gpt/refused", test_gpt_refused);
  g_test_add_func("/model/gpt/scenario", test_gpt_scenario);
  g_test_add_func("/model/resnet50/published", test_resnet50_published);
  g_test_add_func("/model/resnet50/memory-bound", test_resnet50_memory_bound);
  g_test_add_func("/model/resnet50/batch-norm-in-conv", test_resnet50_batch_norm_in_conv);
  g_test_add_func("/model/vit/published", test_vit_published);
  g_test_add_func("/model/bert/published", test_bert_published);
  g_test_add_func("/model/gpt/published-shapes", test_gpt_published_shapes);
  g_test_add_func("/model/gpt/head-dim", test_gpt_head_dim);
  g_test_add_func("/model/gpt/moe-variants", test_gpt_moe_variants);
  g_test_add_func("/model/gpt/latent-attention", test_gpt_latent_attention);
  g_test_add_func("/model/gpt/deepseek-v3", test_gpt_deepseek_v3);
  g_test_add_func("/model/catalog/scenario", test_catalog_scenario);
  g_test_add_func("/model/bert/scenario", test_bert_scenario);
  g_test_add_func("/model/gpt/scenario-aggregate", test_gpt_scenario_aggregate);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
