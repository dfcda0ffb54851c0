/* Training memory: the parameters, ZeRO groups and activations one device holds, the recomputation that makes
 * them fit, and the host memory of the input pipeline (docs/model.md, "Memory"). */
#include "run/train-private.h"

#include "common/ts-error.h"
#include "model/operators.h"
#include "units/units.h"

#include <math.h>

/* Bytes per parameter of optimizer state (fp32): SGD none, momentum and LARS one buffer, Adam/AdamW/LAMB
 * two (ZeRO paper, arXiv 1910.02054, §3.1). */
double
optimizer_state_bytes(const char *optimizer)
{
  if (g_strcmp0(optimizer, "adam") == 0 || g_strcmp0(optimizer, "adamw") == 0 || g_strcmp0(optimizer, "lamb") == 0)
    return 8.0;
  if (g_strcmp0(optimizer, "sgd") == 0)
    return 0.0;
  return 4.0;
}

/* Training below fp32 (fp16, bf16, fp8, int8) keeps 16-bit weights, gradients and activations with an fp32 master
 * copy (mixed precision: FP8 training too stores its weights in bf16 and casts them for the products). */
gboolean
below_fp32(TsPrecision p)
{
  return p == TS_PRECISION_FP16 || p == TS_PRECISION_BF16 || p == TS_PRECISION_FP8 || p == TS_PRECISION_INT8;
}

/* Full recomputation keeps only each layer's input: 2 of the 34 bytes per element of a transformer layer's
 * activations (Korthikanti et al. 2022). */
#define RECOMPUTE_KEPT (2.0 / 34.0)

/* Of a transformer layer's 34 bytes per element (Korthikanti et al. 2022, eq. 1 without the a·s/h term), tensor
 * parallelism splits the 24 inside the attention and MLP blocks over the t ranks; the 10 of the layer norms,
 * dropouts and the blocks' inputs stay whole on every rank (eq. 2: s·b·h·(10 + 24/t)).  Sequence parallelism
 * splits those along the sequence too (eq. 3: 34/t).  Full recomputation keeps the layer's input, 2 bytes: whole
 * on every rank without sequence parallelism, split with it (their Table 2). */
#define TP_REPLICATED (10.0 / 34.0)

/* The share of the model's activation bytes one tensor rank keeps, with a fraction f of the layers recomputed.
 * Convolutional models keep the plain 1/t split (their layers are not tensor-parallel in Megatron's way). */
static double
activation_share(const TsTrainSpec *s, const TsModel *m, double f)
{
  double t = s->tp;
  if (m->workload != TS_WORKLOAD_TRANSFORMER || s->tp <= 1 || s->sequence_parallel)
    return (1.0 - f * (1.0 - RECOMPUTE_KEPT)) / t;
  double kept = TP_REPLICATED + (1.0 - TP_REPLICATED) / t;
  return (1.0 - f) * kept + f * RECOMPUTE_KEPT;
}

/* The attention scores a materialised core (attention = "fused_softmax" or "unfused") keeps for the backward
 * pass, per sample over all layers with no split (ts_model_get_score_bytes): Korthikanti et al. 2022's 5as/h
 * bytes per element of a layer's input with dropout (eq. 1), 2as/h without it. */
static double
score_bytes(const TsTrainSpec *s, const TsModel *m, gboolean half)
{
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.attention = s->attention;
  ctx.value_bytes = half ? 2.0 : 4.0;
  ctx.dropout_given = s->dropout_given;
  ctx.dropout = s->dropout;
  return ts_model_get_score_bytes(m, &ctx);
}

/* A decoded training image: the 224 x 224 crop with 3 channels in float32, as torchvision's ToTensor and
 * Normalize hand it to the model (ResNet's and ViT's ImageNet training resolution). */
#define DECODED_IMAGE_BYTES (224.0 * 224.0 * 3.0 * 4.0)


/* The parameters one device holds, in two parts.  The dense part (attention, embeddings, router, norms, dense
 * and shared-expert FFNs) is split over the tensor x pipeline ranks.  The routed experts are split over the
 * expert-parallel ranks too: each holds experts/ep of every MoE layer, each expert itself split over the
 * tensor ranks (Megatron-Core's expert-tensor-parallel size defaults to the tensor-parallel size; its shared
 * experts "are not distributed but replicated in EP ranks", megatron/core/transformer/moe/README.md). */
void
device_params(const TsTrainSpec *s, const TsModel *m, double *dense, double *experts)
{
  double shard = (double) s->tp * s->pp;
  double e = m->experts > 1 ? m->expert_params : 0.0;
  *dense = (m->params - e) / shard;
  *experts = e / (shard * s->ep);
}

/* The ranks over which ZeRO shards a device's state: the data-parallel ranks (or the hybrid-sharding group of
 * shard_group of them) for the dense part; for the experts, those of them that hold the same experts -- the
 * dp/ep "expert data-parallel" ranks of DeepSpeed-MoE (Rajbhandari et al. 2022, sec. 5) and Megatron-Core.
 * Expert-parallel groups are ep consecutive data-parallel ranks (Megatron-Core's tp-cp-ep-dp-pp order), so a
 * hybrid-sharding group of g ranks holds at least floor(g / ep) copies of each expert: the device with the
 * fewest copies has the most state, and that is the one that must fit. */
void
zero_groups(const TsTrainSpec *s, guint dp, double *dense, double *experts)
{
  guint group = s->shard_group > 0 ? s->shard_group : dp;
  *dense = group;
  *experts = MAX(1u, group / s->ep);
}

static void
device_memory(const TsTrainSpec *s, const TsModel *m, const TsMachineGroup *a, guint dp, double micro,
              double recompute, Memory *mem)
{
  double dense, experts, dense_group, expert_group;
  device_params(s, m, &dense, &experts);
  zero_groups(s, dp, &dense_group, &expert_group);
  gboolean half = below_fp32(s->precision);
  double weights = half ? 2.0 : 4.0, master = half ? 4.0 : 0.0;
  double grads = s->grad_bytes > 0 ? s->grad_bytes : half ? 2.0 : 4.0;
  double opt = optimizer_state_bytes(s->optimizer);
  /* ZeRO: stage 1 shards optimizer state (and master copy) over data-parallel ranks, 2 also gradients, 3 also
   * weights (Rajbhandari et al. 2020); the dense part over dense_group ranks, the experts over expert_group. */
  mem->state = 0;
  const double parts[2][2] = {{dense, dense_group}, {experts, expert_group}};
  for (int i = 0; i < 2; i++) {
    /* DualPipe keeps two copies of the parameters (deepseek-ai/DualPipe: "Parameter 2x"): its stages run the
     * pipeline from both ends. */
    double n = parts[i][1], w = weights * (s->dualpipe ? 2.0 : 1.0), ms = master, g = grads, o = opt;
    if (s->zero >= 1)
      o = (o + ms) / n, ms = 0;
    if (s->zero >= 2)
      g /= n;
    if (s->zero >= 3)
      w /= n;
    mem->state += parts[i][0] * (w + ms + g + o);
  }
  /* Activations: the model's bytes per sample at 16 bits (x2 at fp32), a tensor rank's share of them
   * (activation_share: sequence parallelism, recomputation), split over pipeline-parallel ranks and the
   * context-parallel split of the sequence; 1F1B keeps up to pp micro-batches in flight on the first stage,
   * DualPipe pp + 1 ("Activation PP+1").  A materialised attention core's scores add theirs in the layers not
   * recomputed, split over the tensor ranks by heads (Korthikanti et al. 2022, eqs. 2 and 3: 5as/(ht), with or
   * without sequence parallelism); a recomputed layer keeps only its input (their Table 2, "selective" and
   * "full" recomputation drop them). */
  double act = (m->activations * (half ? 1.0 : 2.0) * activation_share(s, m, recompute) +
                score_bytes(s, m, half) * (1.0 - recompute) / s->tp) * s->views / ((double) s->pp * s->cp);
  double host = 0;
  double device_values, host_values;
  /* A named policy keeps the values ts_remat_kept_values counts per token of each layer (checked in
   * check_layout), at 16 bits (32 for fp32 training), in device memory or, offloaded, in host memory. */
  if (s->remat_policy > 0 && ts_remat_kept_values(m, ts_remat_policy_get_keep(s->remat_policy), s->offload, s->tp,
                                                  s->sequence_parallel, &device_values, &host_values, NULL)) {
    double per_value = (half ? 2.0 : 4.0) * s->views * (double) m->layers * m->seq / ((double) s->pp * s->cp);
    act = device_values * per_value;
    host = host_values * per_value;
  }
  double in_flight = s->pp > 1 ? s->pp + (s->dualpipe ? 1.0 : 0.0) : 1;
  mem->act_per_sample = act * in_flight;
  mem->host_per_sample = host * in_flight;
  mem->reserved = a->record->spec.runtime_reserved_bytes;
  mem->total = mem->state + mem->act_per_sample * micro + mem->reserved;
}

/* recompute = "auto" recomputes the least fraction of the layers that makes the activations fit, as XLA's
 * rematerialisation pass does on TPUs and selective checkpointing does by hand. */
gboolean
layout_memory(const TsTrainSpec *s, const TsMachineGroup *a, guint dp, double micro, double *recompute, Memory *mem)
{
  const TsModel *m = s->model;
  double capacity = a->record->spec.memory_bytes;
  *recompute = s->recompute ? 1.0 : 0.0;
  device_memory(s, m, a, dp, micro, *recompute, mem);
  if (!(s->recompute_auto && !s->recompute && capacity > 0 && mem->total > capacity && mem->act_per_sample > 0))
    return FALSE;
  Memory full;
  device_memory(s, m, a, dp, micro, 1.0, &full);
  double saved_at_full = (mem->act_per_sample - full.act_per_sample) * micro;
  *recompute = MIN(1.0, (mem->total - capacity) / saved_at_full);
  device_memory(s, m, a, dp, micro, *recompute, mem);
  if (mem->total > capacity * (1.0 + 1e-12)) { /* not even full recomputation fits: report it at full */
    *recompute = 1.0;
    device_memory(s, m, a, dp, micro, *recompute, mem);
    return FALSE;
  }
  mem->total = MIN(mem->total, capacity); /* exactly at capacity, up to rounding */
  return TRUE;
}

void
report_device_oom(TsRun *run, const TsTrainSpec *s, const char *where, guint dp, guint n_micro, const Memory *mem,
                  GError **error)
{
  double capacity = run->cluster->accel.record->spec.memory_bytes;
  double room = capacity - mem->state - mem->reserved;
  guint64 fit_micro = room > 0 ? count_of(floor(room / mem->act_per_sample)) : 0;
  guint64 fit = fit_micro * n_micro * dp;
  g_autofree char *n = ts_format_bytes(mem->total);
  g_autofree char *c = ts_format_bytes(capacity);
  g_autofree char *over = ts_format_bytes(mem->total - capacity);
  g_autofree char *st = ts_format_bytes(mem->state);
  if (fit > 0)
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                          "%s: does not fit in device memory: %s needed per device (%s of weights, gradients and "
                          "optimizer state), %s available, %s over; the largest global batch that fits is %"
                          G_GUINT64_FORMAT, where, n, st, c, over, fit);
  else if (mem->state + mem->reserved > capacity)
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                          "%s: does not fit in device memory even at batch 1: %s of weights, gradients and "
                          "optimizer state alone; shard it (zero = 1..3, tensor or pipeline parallelism)", where, st);
  else {
    /* The state fits; one sample's activations do not -- with a pipeline, those of the pp micro-batches the
     * first stage keeps in flight under 1F1B (pp + 1 under DualPipe).  Sharding the state further would not help. */
    g_autofree char *act = ts_format_bytes(mem->act_per_sample);
    g_autofree char *room_s = ts_format_bytes(MAX(room, 0.0));
    g_autofree char *flight = s->pp > 1 ? g_strdup_printf(" (the first of %u pipeline stages keeps %u "
                                                           "micro-batches in flight)", s->pp,
                                                           s->pp + (s->dualpipe ? 1u : 0u))
                                        : g_strdup("");
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                          "%s: does not fit in device memory even at batch 1: the activations of one sample take "
                          "%s per device%s, and %s is left beside the %s of weights, gradients and optimizer "
                          "state; recompute them (parallel.recompute = true or \"auto\") or split them further "
                          "(tensor or context parallelism)", where, act, flight, room_s, st);
  }
  run->results.feasible = FALSE;
  g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of device memory (%s needed, %s available); largest "
              "batch that fits: %" G_GUINT64_FORMAT, where, n, c, fit);
}

/* Host memory: prefetch buffers of two batches of decoded samples -- an image as the float32 tensor the
 * devices take, not its JPEG bytes; a sequence as its stored tokens -- or the whole dataset when loaded all
 * at once; and the activations a remat policy offloads there. */
gboolean
check_host_memory(TsRun *run, const TsTrainSpec *s, const char *where, double offloaded, GError **error)
{
  const TsMachineGroup *a = &run->cluster->accel;
  TsResults *r = &run->results;
  double per_host_samples = (double) s->batch / (a->nodes ? a->nodes : 1);
  double sample_bytes = s->data->tokens || s->data->samples == 0 ? (s->data->samples > 0 ? s->data->extracted /
                                                                    s->data->samples : 0)
                                                                 : DECODED_IMAGE_BYTES;
  double host = 2.0 * per_host_samples * s->views * sample_bytes;
  if (s->load_all)
    host += s->data->extracted;
  /* A remat policy's offloaded activations (`offloaded`: a host's devices together). */
  host += offloaded;
  r->peak_host = MAX(r->peak_host, host);
  run->host_bytes = host;
  if (a->host_ram > 0 && host > a->host_ram) {
    g_autofree char *n = ts_format_bytes(host);
    g_autofree char *c = ts_format_bytes(a->host_ram);
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "host-oom",
                          "%s: host memory: %s needed, %s available%s", where, n, c,
                          s->load_all ? "; loading the whole dataset into RAM does not fit: stream it in batches "
                                        "(load = \"stream\")" : "");
    r->feasible = FALSE;
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of host memory (%s needed, %s available)", where, n, c);
    return FALSE;
  }
  return TRUE;
}
