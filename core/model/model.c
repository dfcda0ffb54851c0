/* TsModel: its architecture names and the checks of its shape (model.h). */
#include "model/model.h"

#include "common/ts-error.h"

static const char *const arch_names[TS_MODEL_ARCH_COUNT] = {"none", "decoder", "encoder", "vit", "resnet50"};

const char *
ts_model_arch_get_name(TsModelArch arch)
{
  return arch >= 0 && arch < TS_MODEL_ARCH_COUNT ? arch_names[arch] : "unknown";
}

gboolean
ts_model_arch_from_name(const char *name, TsModelArch *out)
{
  for (int a = 0; a < TS_MODEL_ARCH_COUNT; a++)
    if (g_strcmp0(name, arch_names[a]) == 0) {
      *out = (TsModelArch) a;
      return TRUE;
    }
  return FALSE;
}

static gboolean
need(const TsModel *m, const char *field, guint value, GError **error)
{
  if (value > 0)
    return TRUE;
  g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.%s holds 0 (or nothing), which a %s model cannot use "
              "(expected a positive count)", field, ts_model_arch_get_name(m->arch));
  return FALSE;
}

static gboolean
multiple(const char *field, guint value, const char *of_field, guint of, GError **error)
{
  if (of > 0 && value % of == 0)
    return TRUE;
  g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.%s holds %u, which is not a multiple of model.%s (%u)",
              field, value, of_field, of);
  return FALSE;
}

/* The attention fields every transformer shares. */
static gboolean
check_transformer(const TsModel *m, GError **error)
{
  return need(m, "layers", m->layers, error) && need(m, "width", m->width, error) &&
         need(m, "heads", m->heads, error) && need(m, "kv_heads", m->kv_heads, error) &&
         need(m, "ffn", m->ffn, error) &&
         (m->head_dim > 0 || multiple("width", m->width, "heads", m->heads, error)) &&
         multiple("heads", m->heads, "kv_heads", m->kv_heads, error);
}

gboolean
ts_model_check(const TsModel *m, GError **error)
{
  if (m->experts > 1 && (m->active_experts < 1 || m->active_experts > m->experts)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.active_experts holds %u, which the run cannot use "
                "(expected 1 to model.experts, %u)", m->active_experts, m->experts);
    return FALSE;
  }
  /* The routed experts' share, which expert parallelism shards: within the model, on some of its layers. */
  if (!(m->expert_params >= 0 && m->expert_params <= m->params)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.expert_params holds %g, which the run cannot use "
                "(expected 0 to model.params, %g)", m->expert_params, m->params);
    return FALSE;
  }
  if ((m->shared_experts > 0 || m->expert_ffn > 0) && m->experts <= 1) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.shared_experts (%u) and model.expert_ffn (%u) describe a "
                "mixture of experts, which this model is not (model.experts holds %u; expected more than 1)",
                m->shared_experts, m->expert_ffn, m->experts);
    return FALSE;
  }
  if ((m->q_lora_rank > 0 || m->rope_head_dim > 0) && m->kv_lora_rank == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.q_lora_rank (%u) and model.rope_head_dim (%u) describe "
                "multi-head latent attention, which needs model.kv_lora_rank (expected a positive count, got 0)",
                m->q_lora_rank, m->rope_head_dim);
    return FALSE;
  }
  if (m->kv_lora_rank > 0 && (m->head_dim == 0 || m->kv_heads != m->heads)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "multi-head latent attention (model.kv_lora_rank %u) needs "
                "model.head_dim (got %u) and as many key/value heads as heads (got %u of %u)", m->kv_lora_rank,
                m->head_dim, m->kv_heads, m->heads);
    return FALSE;
  }
  if (m->moe_layers > m->layers) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.moe_layers holds %u, which the run cannot use "
                "(expected at most model.layers, %u)", m->moe_layers, m->layers);
    return FALSE;
  }
  switch (m->arch) {
  case TS_MODEL_ARCH_NONE:
    return TRUE;
  case TS_MODEL_ARCH_DECODER:
  case TS_MODEL_ARCH_ENCODER:
    return check_transformer(m, error) && need(m, "seq", m->seq, error) && need(m, "vocab", m->vocab, error);
  case TS_MODEL_ARCH_VIT:
    return check_transformer(m, error) && need(m, "image", m->image, error) && need(m, "patch", m->patch, error) &&
           need(m, "classes", m->classes, error) && multiple("image", m->image, "patch", m->patch, error);
  case TS_MODEL_ARCH_RESNET50:
    if (!need(m, "image", m->image, error) || !need(m, "classes", m->classes, error))
      return FALSE;
    if (m->image % 32 != 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model.image holds %u, which ResNet-50 cannot use (expected "
                  "a multiple of 32, its total stride)", m->image);
      return FALSE;
    }
    return TRUE;
  default:
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model: unknown architecture %d", (int) m->arch);
    return FALSE;
  }
}

void
ts_model_free(TsModel *m)
{
  if (m == NULL)
    return;
  g_free(m->name);
  g_free(m);
}

TsModel *
ts_model_copy(const TsModel *m)
{
  TsModel *n = g_memdup2(m, sizeof *m);
  n->name = g_strdup(m->name);
  return n;
}

static const char *const attention_names[TS_ATTENTION_COUNT] = {"fused", "fused_softmax", "unfused", "flash2",
                                                                 "fused_fp8"};

gboolean
ts_attention_from_name(const char *name, TsAttentionImpl *out)
{
  for (int i = 0; name != NULL && i < TS_ATTENTION_COUNT; i++)
    if (g_strcmp0(name, attention_names[i]) == 0) {
      *out = (TsAttentionImpl) i;
      return TRUE;
    }
  return FALSE;
}

const char *
ts_attention_get_name(TsAttentionImpl a)
{
  return a >= 0 && a < TS_ATTENTION_COUNT ? attention_names[a] : "fused";
}

gboolean
ts_attention_is_fused(TsAttentionImpl a)
{
  return a == TS_ATTENTION_FUSED || a == TS_ATTENTION_FLASH2 || a == TS_ATTENTION_FUSED_FP8;
}

static const char *const batch_norm_names[TS_BATCH_NORM_COUNT] = {"separate", "conv_stats", "conv_fused"};

gboolean
ts_batch_norm_from_name(const char *name, TsBatchNormImpl *out)
{
  for (int i = 0; name != NULL && i < TS_BATCH_NORM_COUNT; i++)
    if (g_strcmp0(name, batch_norm_names[i]) == 0) {
      *out = (TsBatchNormImpl) i;
      return TRUE;
    }
  return FALSE;
}

const char *
ts_batch_norm_get_name(TsBatchNormImpl b)
{
  return b >= 0 && b < TS_BATCH_NORM_COUNT ? batch_norm_names[b] : "separate";
}
