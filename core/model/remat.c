/* Named recomputation policies (remat.h).
 *
 * MaxText wraps each decoder layer in jax.checkpoint with the policy its remat_policy names
 * (AI-Hypercomputer/maxtext MaxText/layers/models.py, get_remat_policy; the MLPerf fork at f586e43f has the
 * save_dot_except_logits* ones).  Under such a policy the backward pass re-runs the layer's forward, and what
 * the policy saves is not computed again: XLA drops every recomputed operation whose output is not needed.  So
 * a kept product's output costs memory and saves its product; everything not kept but needed is recomputed from
 * the layer's input (always kept: it is the scan's carry) and the kept tensors.  The count below, per token of a
 * layer, in values (2 bytes each at 16 bits):
 * - the layer's input: width (split over tp with sequence parallelism);
 * - q, k, v: (heads + 2 kv_heads) x head_dim / tp (each rank its heads);
 * - the attention core's output ("context"): heads x head_dim / tp;
 * - the attention output product's: width (split with sequence parallelism); it is needed for the norm after the
 *   residual add;
 * - the FFN's first product(s): ffn (x 2 gated) / tp; its activation output: ffn / tp;
 * - the FFN's down product's output is never needed (the residual add's gradient passes through), so no policy
 *   keeps or recomputes it.
 * What each policy saves (the names in checkpoint_name calls of the layers):
 *   minimal (checkpoint_dots_with_no_batch_dims): every product with weights: q/k/v, output, FFN up;
 *     the attention core (a dot with batch dimensions, or the flash kernel) and the element-wise work recomputed;
 *   save_dot_with_context_except_mlp: q/k/v, context, output;
 *   save_dot_except_mlpwi ("query_proj", "value_proj", "key_proj", "qkv_proj", "out_proj", "mlpwo"),
 *   save_dot_except_mlp (the same less "mlpwo"), save_dot_except_logits_ffn1 (fork: the same plus "ffn2", the
 *     down product's output, and "wv_prod", dot-product attention's P.V, absent with flash attention): q/k/v and
 *     output; the FFN up product recomputed;
 *   save_dot_except_logits (fork: also "ffn1", the activation's output): q/k/v, output and the activation; the
 *     FFN up product is still recomputed, as the activation's gradient needs its input;
 *   save_qkv_proj: q/k/v; the output product recomputed (the norm after the residual add needs it);
 *   full (policy None: nothing saveable): the layer's input alone; every product re-run but the FFN's down one,
 *     which XLA drops as above -- unlike recompute = true, PyTorch's checkpoint, which re-runs the whole forward. 
 * Offloading (minimal_offloaded: offload_dot_with_no_batch_dims; a custom policy's "offload" names) moves the
 * kept tensors to pinned host memory in the forward pass and back in the backward pass. */
#include "model/remat.h"

#include "common/ts-error.h"

typedef struct {
  const char *name;
  guint keep;
} Policy;

static const Policy policies[] = {
  {"minimal", TS_REMAT_KEEP_QKV | TS_REMAT_KEEP_OUT | TS_REMAT_KEEP_FFN_UP},
  {"save_dot_with_context_except_mlp", TS_REMAT_KEEP_QKV | TS_REMAT_KEEP_CONTEXT | TS_REMAT_KEEP_OUT},
  {"save_dot_except_mlpwi", TS_REMAT_KEEP_QKV | TS_REMAT_KEEP_OUT},
  {"save_dot_except_mlp", TS_REMAT_KEEP_QKV | TS_REMAT_KEEP_OUT},
  {"save_dot_except_logits_ffn1", TS_REMAT_KEEP_QKV | TS_REMAT_KEEP_OUT},
  {"save_dot_except_logits", TS_REMAT_KEEP_QKV | TS_REMAT_KEEP_OUT | TS_REMAT_KEEP_FFN_ACT},
  {"save_qkv_proj", TS_REMAT_KEEP_QKV},
  {"full", 0},
};

/* The same names in the same order (checked by /model/remat/names), for the field rules. */
const char *const ts_remat_policy_names[] = {"minimal", "save_dot_with_context_except_mlp",
                                             "save_dot_except_mlpwi", "save_dot_except_mlp",
                                             "save_dot_except_logits_ffn1", "save_dot_except_logits",
                                             "save_qkv_proj", "full", NULL};


gboolean
ts_remat_policy_from_name(const char *name, guint *policy)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(policies); i++)
    if (g_strcmp0(policies[i].name, name) == 0) {
      *policy = (guint) i + 1;
      return TRUE;
    }
  return FALSE;
}

const char *
ts_remat_policy_get_name(guint policy)
{
  return policy >= 1 && policy <= G_N_ELEMENTS(policies) ? policies[policy - 1].name : NULL;
}

guint
ts_remat_policy_get_keep(guint policy)
{
  return policy >= 1 && policy <= G_N_ELEMENTS(policies) ? policies[policy - 1].keep : 0;
}

const char *
ts_remat_offload_get_name(TsRematOffload offload)
{
  switch (offload) {
  case TS_REMAT_OFFLOAD_PRODUCTS:
    return "products";
  case TS_REMAT_OFFLOAD_SAVED:
    return "saved";
  case TS_REMAT_OFFLOAD_NONE:
  default:
    return "none";
  }
}

gboolean
ts_remat_offload_from_name(const char *name, TsRematOffload *out)
{
  if (g_strcmp0(name, "products") == 0)
    *out = TS_REMAT_OFFLOAD_PRODUCTS;
  else if (g_strcmp0(name, "saved") == 0)
    *out = TS_REMAT_OFFLOAD_SAVED;
  else if (g_strcmp0(name, "none") == 0)
    *out = TS_REMAT_OFFLOAD_NONE;
  else
    return FALSE;
  return TRUE;
}

gboolean
ts_remat_role_recomputed(guint keep, TsRematRole role)
{
  switch (role) {
  case TS_REMAT_ROLE_STREAM:
    return TRUE;
  case TS_REMAT_ROLE_ATTENTION:
    return !(keep & TS_REMAT_KEEP_CONTEXT);
  case TS_REMAT_ROLE_QKV:
    return !(keep & TS_REMAT_KEEP_QKV);
  case TS_REMAT_ROLE_OUT:
    return !(keep & TS_REMAT_KEEP_OUT);
  case TS_REMAT_ROLE_FFN_UP:
    return !(keep & TS_REMAT_KEEP_FFN_UP);
  case TS_REMAT_ROLE_PRODUCT: /* not listed by a policy's model (ts_remat_kept_values refuses such models) */
  case TS_REMAT_ROLE_FFN_DOWN:
  case TS_REMAT_ROLE_NONE:
  default:
    return FALSE;
  }
}

/* With sequence parallelism a layer's forward pass runs four tensor-parallel collectives: the all-gather before
 * the q/k/v products, the reduce-scatter after the output product, the all-gather before the FFN's up product
 * and the reduce-scatter after its down product (Korthikanti et al. 2022, fig. 5; without it, two all-reduces
 * in the same places).  The re-run forward repeats those that feed or follow a re-run product. */
double
ts_remat_policy_collectives_rerun(guint keep)
{
  double rerun = 0;
  rerun += ts_remat_role_recomputed(keep, TS_REMAT_ROLE_QKV) ? 1 : 0;
  rerun += ts_remat_role_recomputed(keep, TS_REMAT_ROLE_OUT) ? 1 : 0;
  rerun += ts_remat_role_recomputed(keep, TS_REMAT_ROLE_FFN_UP) ? 1 : 0;
  return rerun / 4;
}

gboolean
ts_remat_kept_values(const TsModel *m, guint keep, TsRematOffload offload, guint tp, gboolean sequence_parallel,
                     double *device, double *host, GError **error)
{
  if (m == NULL || (m->arch != TS_MODEL_ARCH_DECODER && m->arch != TS_MODEL_ARCH_ENCODER) || m->heads == 0 ||
      m->width == 0 || m->seq == 0 || m->layers == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s: a named recomputation policy needs a language "
                "model with an architecture (models.gpt, models.bert_large); use recompute = true, false or \"auto\" "
                "for this model", m != NULL ? m->name : "(none)");
    return FALSE;
  }
  if (m->experts > 1 || m->kv_lora_rank > 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "model %s: named recomputation policies are not modelled for "
                "a mixture of experts or multi-head latent attention; use recompute = true, false or \"auto\"",
                m->name);
    return FALSE;
  }
  double t = tp > 0 ? tp : 1, d = m->width;
  double head_dim = m->head_dim > 0 ? m->head_dim : d / m->heads;
  double kv = m->kv_heads > 0 ? m->kv_heads : m->heads;
  double kv_rank = kv >= t ? kv / t : 1; /* fewer key/value heads than ranks: one replicated head each */
  double between = sequence_parallel ? d / t : d;
  double products = 0, input = between;
  if (keep & TS_REMAT_KEEP_QKV)
    products += head_dim * (m->heads / t + 2 * kv_rank);
  if (keep & TS_REMAT_KEEP_CONTEXT)
    products += head_dim * m->heads / t;
  if (keep & TS_REMAT_KEEP_OUT)
    products += between;
  if (keep & TS_REMAT_KEEP_FFN_UP)
    products += (m->gated ? 2.0 : 1.0) * m->ffn / t;
  if (keep & TS_REMAT_KEEP_FFN_ACT)
    products += m->ffn / t;
  *device = input + products;
  *host = 0;
  if (offload == TS_REMAT_OFFLOAD_PRODUCTS) {
    *device = input;
    *host = products;
  } else if (offload == TS_REMAT_OFFLOAD_SAVED) {
    *device = 0;
    *host = input + products;
  }
  return TRUE;
}
