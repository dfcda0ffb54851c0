/* The operator-level model, model side (issue #12; docs/model.md, "Operator-level model: the layers"): a
 * model with an architecture lists its operations for one micro-batch on one device, each with the FLOPs
 * and bytes of its forward and backward launches and the shape of one launch.  The device side (how long
 * an operation of this kind and shape takes) is the plugin's operation call; the step adds the ops up
 * (core/run/compute.c, called by core/run/train-step.c).  Nothing here knows a device. */
#ifndef TS_OPERATORS_H
#define TS_OPERATORS_H

#include <glib.h>

#include "model/model.h"

typedef struct {
  const char *kind;  /* "matmul", "attention", "norm", "elementwise", "softmax", "pool", "embedding" */
  const char *name;  /* static string naming the layer group, e.g. "conv3x3", "attn.qkv", "ffn.up", "bn" */
  double flops;      /* forward + backward (+ recomputed forward) on this device, per micro-batch (forward
                      * alone with forward_only) */
  double bytes;      /* moved to and from device memory by those same launches, unfused */
  double count;      /* kernel launches those figures cover (per micro-batch) */
  double m, n, k;    /* shape of one matmul launch (rows = tokens or pixels x batch); attention: q len, kv len,
                      * head dim; 0 for memory-bound kinds */
  double params;     /* weights this op holds on this device (a split product's 1/tp share); their sum over a
                      * model's ops at tp = pp = 1 is its parameter count */
  gboolean fusible;  /* a memory-bound op a compiler may fuse into its neighbouring product */
  gboolean wide;     /* a product an 8-bit run keeps at 16 bits (the output head, the MoE router) */
  /* matmul: how its launches split into passes, each an equal share of flops, bytes and count: the forward
   * product x.w (m, n, k; recomputed ones included), the data gradient dy.w^T (m rows, k outputs, a loop over
   * n) and the weight gradient x^T.dy (k x n outputs, a loop over the m rows).  All 0: one shape (m, n, k). */
  double fwd_passes, dgrad_passes, wgrad_passes;
} TsModelOp;

typedef struct {
  double micro;           /* samples per micro-batch on this device (views included) */
  guint tp, cp, pp;       /* tensor-, context-, pipeline-parallel split: a device runs layers/pp layers, 1/tp of
                           * each product's width, seq/cp tokens */
  gboolean partition_embeddings; /* pp > 1: the embedding and the output head each count as one layer when the
                                 * layers are split into stages (DeepSpeed's 'type:transformer|embedding') */
  double value_bytes;     /* bytes per activation value: 2 (16-bit) or 4 (fp32) */
  double weight_bytes;    /* bytes per weight as read by the products */
  double recompute;       /* fraction of the forward pass recomputed in the backward pass (0..1) */
  gboolean remat_policy;  /* a named recomputation policy (model/remat.h) decides instead, per operation */
  guint remat_keep;       /* its TsRematKeep bits */
  guint ep;               /* expert-parallel ranks the experts are spread over (0 or 1: none; ignored for a
                           * dense model): a device runs experts / ep experts, each on the tokens of ep ranks */
  gboolean sequence_parallel; /* norms, dropout and residual adds run on 1/tp of the tokens (Korthikanti et
                               * al. 2022) instead of all of them on every tensor-parallel rank */
  gboolean forward_only;  /* inference: the forward launches alone (no gradients, no recomputation) */
  gboolean cast_8bit;     /* an 8-bit run (FP8, int8): each product's operands are cast from 16 bits by a
                           * memory-bound pass of their own (ops.c, "The 8-bit pass") */
  gboolean cast_per_use;  /* int8 (AQT): every product call quantizes both its operands afresh (ops.c) */
  TsAttentionImpl attention; /* the attention core's implementation (ops.c, model_attention) */
  TsBatchNormImpl batch_norm; /* a convolutional net's batch norms (resnet.c) */
  gboolean dropout_given; /* the run states its dropout probability (r:train's `dropout`) ... */
  double dropout;         /* ... this one, 0 to below 1: hidden and attention dropout where above 0; when not
                           * given, the architecture's own rule (BERT drops out, GPT and ViT do not) */
  double weight_casts;    /* in such a run, the weights' casts per micro-batch: 1 / micro-batches per step, as
                           * the 8-bit weights are cast once per step and kept for the step's micro-batches */
} TsModelOpContext;

/* micro 1, no split, 16-bit values and weights, no recomputation, no sequence parallelism, training, no 8-bit
 * casts (weight_casts 1), fused attention, separate batch norms, dropout as the architecture's rule says. */
void ts_model_op_context_init(TsModelOpContext *ctx);

/* TRUE when the model names an architecture whose operations ts_model_ops_append lists. */
gboolean ts_model_has_architecture(const TsModel *m);

/* Appends the model's operations for one micro-batch on one device to `ops` (a GArray of TsModelOp).
 * FALSE with an error (nothing appended) when the model has no architecture (the aggregate
 * model{params, flops, activations}), its shape does not check (ts_model_check) or the context cannot
 * split it (tp must divide the heads, ep the experts; a ResNet is not split by tp, cp or pp). */
gboolean ts_model_ops_append(const TsModel *m, const TsModelOpContext *ctx, GArray *ops, GError **error);

/* Bytes per sample that the backward pass keeps of the attention scores a materialised core
 * (ctx->attention fused_softmax or unfused) writes, over all the model's layers, with no split (every head,
 * the whole sequence): per score the softmax's output, and with dropout (ctx->dropout_given / dropout, else the
 * architecture's rule) its one-byte mask and output too, at ctx->value_bytes a value (ops.c).  0 for the fused
 * core, in inference, for ResNet-50 and for a model with no architecture. */
double ts_model_get_score_bytes(const TsModel *m, const TsModelOpContext *ctx);

/* Sums over `ops` of the ops of `kind` (NULL: every op). */
double ts_model_ops_sum_flops(const GArray *ops, const char *kind);
double ts_model_ops_sum_bytes(const GArray *ops, const char *kind);
double ts_model_ops_sum_params(const GArray *ops);

#endif
