/* What the architecture files of core/model/ share: the two ways an operation is appended (a product with
 * weights, a memory-bound pass over a tensor), fused attention, and one transformer layer. */
#ifndef TS_MODEL_PRIVATE_H
#define TS_MODEL_PRIVATE_H

#include "model/operators.h"
#include "model/remat.h"

/* y[m x n] = x[m x k] . w[k x n], run `times` per micro-batch.  in/out: the values of x and y one launch
 * reads and writes as stored (a convolution reads its input once, not the m x k im2col view of it). */
typedef struct {
  const char *name;
  double m, n, k;
  double in, out;
  double params;       /* weights (+ bias) one instance holds */
  double times;
  gboolean no_data_grad; /* its input needs no gradient (the stem convolution, the patch embedding) */
  gboolean recomputed;   /* inside the layers the recompute fraction re-runs */
  TsRematRole role;      /* what a named recomputation policy decides for it */
  gboolean wide;         /* kept at 16 bits in an 8-bit run (the output head, the MoE router) */
} ModelProduct;

/* A memory-bound pass: `elements` values per launch, `fwd` and `bwd` bytes moved per element by the
 * forward and the backward launch, `times` forward launches per micro-batch. */
typedef struct {
  const char *kind;
  const char *name;
  double elements;
  double fwd, bwd;
  double params;       /* per instance (a norm's scale and shift) */
  double times;
  gboolean fusible;
  gboolean recomputed;
  TsRematRole role;
} ModelStream;

void model_product(GArray *ops, const TsModelOpContext *ctx, const ModelProduct *p);
void model_stream(GArray *ops, const TsModelOpContext *ctx, const ModelStream *s);
/* The attention core as ctx->attention says (fused, or the scores materialised with their softmax pass):
 * `heads` query heads and `kv_heads` key/value heads on this device, `times` layers; causal: a fused kernel
 * skips the masked half; dropout: the probabilities are dropped out (materialised paths count its pass). */
void model_attention(GArray *ops, const TsModelOpContext *ctx, double q_len, double kv_len, double head_dim,
                     double heads, double kv_heads, double times, gboolean causal, gboolean dropout);

/* One transformer layer, `layers` times on this device. */
typedef struct {
  double tokens;      /* per sample on this device (seq / cp) */
  double kv_len;      /* keys each query attends to (the whole sequence) */
  double layers;
  guint width, heads, kv_heads, ffn, experts, active_experts;
  guint head_dim;     /* 0: width / heads */
  guint expert_ffn;   /* 0: ffn */
  guint shared_experts;
  double dense_layers; /* of `layers`, those with a dense FFN in a mixture-of-experts model */
  guint q_lora_rank, kv_lora_rank, rope_head_dim; /* multi-head latent attention when kv_lora_rank > 0 */
  gboolean gated;     /* SwiGLU (else GELU) */
  gboolean causal;
  gboolean biases;    /* every product has a bias (BERT, ViT) */
  gboolean layer_norm; /* LayerNorm, scale and shift (2 x width); else RMSNorm (width) */
  gboolean post_norm; /* BERT: the norm after the residual add */
  gboolean dropout;   /* hidden dropout after the attention and FFN outputs */
} ModelBlock;

void model_block(GArray *ops, const TsModelOpContext *ctx, const ModelBlock *b);

/* Whether the layers drop out: the run's stated probability above 0 when it gave one (r:train's `dropout`),
 * otherwise the architecture's own rule (`architecture_rule`). */
gboolean model_drops_out(const TsModelOpContext *ctx, gboolean architecture_rule);
/* The architecture's own rule: TRUE for BERT. */
gboolean model_architecture_drops_out(const TsModel *m);
/* A ViT's tokens: its patches and the class token. */
double model_vit_tokens(const TsModel *m);

/* The rows a norm, dropout or residual add sees: all of them, or 1/tp with sequence parallelism. */
double model_sp_rows(const TsModelOpContext *ctx, double rows);

/* Bytes per element of the common memory-bound passes (docs/model.md, "Operator-level model: the layers"). */
double model_norm_fwd(const TsModelOpContext *ctx);
double model_norm_bwd(const TsModelOpContext *ctx);

void model_decoder_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops);
void model_encoder_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops);
void model_vit_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops);
void model_resnet50_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops);

#endif
