/* A model as the run model sees it: its aggregate figures (parameters, forward FLOPs, activations per
 * sample) and, when a script named one of the architectures of the model catalog (models.gpt,
 * models.bert_large, models.vit_b16, models.resnet50), the shape that lists its operations (operators.h).
 * docs/model.md, "Operator-level model: the layers". */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <glib.h>

#include "trainsim/plugin.h"

/* The layer layout an operation list is built from.  NONE: model{params=, flops=, activations=}, the
 * aggregate path, which stays accepted. */
typedef enum {
  TS_MODEL_ARCH_NONE,
  TS_MODEL_ARCH_DECODER,  /* GPT/Llama decoder (models.gpt): pre-norm, causal, GQA, gated FFN, MoE */
  TS_MODEL_ARCH_ENCODER,  /* BERT encoder (models.bert_large): post-norm, biases, MLM + NSP heads */
  TS_MODEL_ARCH_VIT,      /* ViT (models.vit_b16): patch embedding, pre-norm encoder, class head */
  TS_MODEL_ARCH_RESNET50, /* ResNet-50 v1.5 (models.resnet50): torchvision's layout */
  TS_MODEL_ARCH_COUNT
} TsModelArch;

/* How a run's attention core is implemented (docs/model.md, "Operator-level model: the layers"; r:train's
 * `attention`): one fused kernel that never writes the score matrix (FlashAttention and its kin, the default),
 * or the scores materialised in device memory between two batched products, with scale, mask and softmax in one
 * fused kernel (Megatron's scaled_masked_softmax) or each in kernels of its own (eager PyTorch, Megatron-LM 2019).
 * Two fused kernels are named apart, since the device runs them at another rate: FlashAttention-2's own kernels
 * (Dao-AILab flash_attn 2.x, written with the warp-level products of SM80; "flash2") and Transformer Engine's FP8
 * fused attention (cuDNN's FP8 backend, Q, K, V, the scores and O at 8 bits; "fused_fp8", an 8-bit run only). */
typedef enum {
  TS_ATTENTION_FUSED = 0,
  TS_ATTENTION_FUSED_SOFTMAX,
  TS_ATTENTION_UNFUSED,
  TS_ATTENTION_FLASH2,
  TS_ATTENTION_FUSED_FP8,
  TS_ATTENTION_COUNT
} TsAttentionImpl;

/* The name of an implementation ("fused", "fused_softmax", "unfused", "flash2", "fused_fp8"); FALSE for another
 * name. */
gboolean ts_attention_from_name(const char *name, TsAttentionImpl *out);
const char *ts_attention_get_name(TsAttentionImpl a);
/* TRUE for the kernels that never write the score matrix (fused, flash2, fused_fp8). */
gboolean ts_attention_is_fused(TsAttentionImpl a);

/* How a convolutional net's batch norms run in training (docs/model.md, "Operator-level model: the layers";
 * r:train's `batch_norm`): kernels of their own that read their input for the statistics and again to normalise
 * it (the default), the statistics summed by the convolution that writes the input (NVIDIA's MXNet
 * NormConvolution "Stats-Gen"), or also the scale, shift and ReLU applied by the convolution that reads the
 * output ("Stats-Apply Relu Convolution", MLPerf's resnet-v1b-mainloop-fl). */
typedef enum {
  TS_BATCH_NORM_SEPARATE = 0,
  TS_BATCH_NORM_CONV_STATS,
  TS_BATCH_NORM_CONV_FUSED,
  TS_BATCH_NORM_COUNT
} TsBatchNormImpl;

/* The name of an implementation ("separate", "conv_stats", "conv_fused"); FALSE for another name. */
gboolean ts_batch_norm_from_name(const char *name, TsBatchNormImpl *out);
const char *ts_batch_norm_get_name(TsBatchNormImpl b);

typedef struct {
  char *name;
  double params;        /* total */
  double active_params; /* per token, for mixture-of-experts; = params for dense models */
  double flops;         /* forward FLOPs per sample */
  double activations;   /* bytes per sample kept for backward, at 16 bits, all layers */
  TsWorkload workload;
  guint layers;
  guint width;
  guint seq;
  guint experts;        /* routed experts per MoE layer; 0 or 1: dense */
  guint moe_layers;     /* layers with experts, the last ones (the first layers - moe_layers have a dense FFN of
                         * width ffn); 0: all of them */
  double expert_params; /* parameters of the routed experts, all MoE layers (shared experts count as dense) */
  /* The architecture (0 where it has none or the field does not apply to it). */
  TsModelArch arch;
  guint heads;          /* query heads */
  guint kv_heads;       /* key/value heads (< heads: grouped- or multi-query attention) */
  guint head_dim;       /* width of one attention head; 0: width / heads (PaLM and MaxText's scaled models
                         * give heads x head_dim != width) */
  guint ffn;            /* feed-forward width of a dense layer */
  guint expert_ffn;     /* feed-forward width of one routed or shared expert; 0: ffn */
  guint shared_experts; /* always-active experts of every MoE layer, on every token (DeepSeek's shared ones) */
  /* Multi-head latent attention (DeepSeek-V2/V3) when kv_lora_rank > 0: keys and values come up from a
   * kv_lora_rank-wide latent, queries from a q_lora_rank-wide one (0: straight from the width); each head's
   * query and key are head_dim + rope_head_dim wide, its value head_dim. */
  guint q_lora_rank, kv_lora_rank, rope_head_dim;
  gboolean gated;       /* SwiGLU: gate and up products, 3 weight matrices */
  gboolean tied;        /* the output head reuses the token embedding */
  guint vocab;
  guint active_experts; /* experts each token is routed to */
  guint image;          /* input image side in pixels (square) */
  guint patch;          /* ViT patch side in pixels */
  guint classes;        /* classifier outputs */
} TsModel;

const char *ts_model_arch_get_name(TsModelArch arch);
/* FALSE for an unknown name (*out untouched). */
gboolean ts_model_arch_from_name(const char *name, TsModelArch *out);

/* The architecture fields agree with each other (width a multiple of heads, heads of kv_heads, active
 * experts at most experts, image a multiple of patch; width a multiple of heads unless head_dim is given...) and each architecture has the fields it needs.
 * FALSE with TS_ERROR_SCENARIO naming the field, what it holds and what was expected. */
gboolean ts_model_check(const TsModel *m, GError **error);

void ts_model_free(TsModel *m);
TsModel *ts_model_copy(const TsModel *m);

#endif
