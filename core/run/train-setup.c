/* Setting a training up (ts_run_train): its layout on the cluster, the memory it needs, the time of its steps,
 * how many it takes, its checkpoints, evaluations and failures, and the results known before it runs; then
 * the state machine (train.c) plays it on the engine. */
#include "run/train-private.h"

#include "common/ts-error.h"
#include "model/operators.h"
#include "run/compute.h"
#include "run/stragglers.h"
#include "units/units.h"

#include <math.h>

gboolean
normalize_spec(TsTrainSpec *s, const char *where, GError **error)
{
  if (s->tp == 0) s->tp = 1;
  if (s->pp == 0) s->pp = 1;
  if (s->cp == 0) s->cp = 1;
  if (s->ep == 0) s->ep = 1;
  if (s->views == 0) s->views = 1;
  if (s->vp == 0) s->vp = 1;
  if (!(s->padding >= 0 && s->padding < 1)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: padding %g: expected a fraction from 0 to below 1", where,
                s->padding);
    return FALSE;
  }
  /* Only a convolutional net's op list has batch norms to place (model/resnet.c). */
  if (s->batch_norm != TS_BATCH_NORM_SEPARATE && (s->model == NULL || s->model->arch != TS_MODEL_ARCH_RESNET50)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: batch_norm: \"%s\" is modelled for models.resnet50, "
                "whose op list has batch norms; this model has none", where, ts_batch_norm_get_name(s->batch_norm));
    return FALSE;
  }
  /* Transformer Engine's FP8 attention is a kernel of an FP8 run: its Q, K and V come from an 8-bit product. */
  if (s->attention == TS_ATTENTION_FUSED_FP8 && s->precision != TS_PRECISION_FP8) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: attention: \"fused_fp8\" is Transformer Engine's FP8 "
                "attention, which runs in an fp8 run; this run's precision is %s", where,
                ts_precision_get_name(s->precision));
    return FALSE;
  }
  /* FlashAttention-2 runs fp16 and bf16 (flash_attn's interface refuses other types); an 8-bit run keeps its
   * attention at 16 bits (compute.c, precision_of). */
  if (s->attention == TS_ATTENTION_FLASH2 && (s->precision == TS_PRECISION_FP32 || s->precision == TS_PRECISION_TF32)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: attention: \"flash2\" (FlashAttention-2) computes in fp16 "
                "or bf16; this run's precision is %s", where, ts_precision_get_name(s->precision));
    return FALSE;
  }
  /* An unfused optimizer update's passes are modelled for these (train-step.c, unfused_passes). */
  const char *const unfusable[] = {"sgd", "momentum", "adam", "adamw", NULL};
  if (s->optimizer_unfused && !g_strv_contains(unfusable, s->optimizer ? s->optimizer : "")) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: optimizer_impl: an unfused update is modelled for sgd, "
                "momentum, adam and adamw, not %s", where, s->optimizer ? s->optimizer : "(none)");
    return FALSE;
  }
  return TRUE;
}

/* A global batch over dp replicas: its micro-batch and how many micro-batches a replica runs per step. */
static gboolean
split_batch(const TsTrainSpec *s, const TsMachineGroup *a, guint dp, guint model_parallel, guint64 batch,
            const char *where, double *micro_out, guint *n_micro_out, GError **error)
{
  if (batch < dp || batch % dp != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: batch %" G_GUINT64_FORMAT " does not split evenly over "
                "%u data-parallel replicas (%u devices)", where, batch, dp, a->devices);
    return FALSE;
  }
  if (batch < a->devices && model_parallel == 1) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: batch %" G_GUINT64_FORMAT " is smaller than the %u "
                "devices it is split over", where, batch, a->devices);
    return FALSE;
  }
  double per_replica = (double) batch / dp;
  double micro = s->micro_batch > 0 ? (double) s->micro_batch : per_replica;
  if (micro > per_replica || fmod(per_replica, micro) != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: micro_batch %.0f does not divide the per-replica batch "
                "%.0f", where, micro, per_replica);
    return FALSE;
  }
  if (micro_out)
    *micro_out = micro;
  if (n_micro_out)
    *n_micro_out = (guint) MIN(per_replica / micro, (double) G_MAXUINT); /* batch <= 2^53 */
  return TRUE;
}

/* Expert parallelism: the expert-parallel group is a sub-group of the data-parallel ranks (Megatron-Core's
 * tp-cp-ep-dp-pp order: "The EP group in MoE is a sub-group of DP in Attention"), and each rank holds the
 * same number of experts of every MoE layer. */
static gboolean
check_experts(const TsTrainSpec *s, const TsMachineGroup *a, const char *where, guint dp, guint model_parallel,
              GError **error)
{
  const TsModel *m = s->model;
  if (s->ep <= 1)
    return TRUE;
  if (m->experts <= 1) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u needs a mixture-of-experts model "
                "(models.gpt { experts = N, ... }); %s has no experts", where, s->ep, m->name);
    return FALSE;
  }
  if (m->experts % s->ep != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u does not divide the %u experts of "
                "%s: each expert-parallel rank holds the same number of them", where, s->ep, m->experts, m->name);
    return FALSE;
  }
  if (dp % s->ep != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u does not divide the %u "
                "data-parallel replicas (%u devices / tensor x pipeline x context %u): expert-parallel groups "
                "are made of data-parallel ranks", where, s->ep, dp, a->devices, model_parallel);
    return FALSE;
  }
  if (s->tp > 1 && !s->sequence_parallel) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u with tensor = %u needs "
                "parallel.sequence_parallel = true, as Megatron-Core requires with tensor and expert parallelism: "
                "the tensor ranks then split the tokens the experts exchange", where, s->ep, s->tp);
    return FALSE;
  }
  if (!(m->expert_params > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.expert = %u needs the experts' share of %s's "
                "parameters: describe it by its shape (models.gpt) or give model { expert_params = N }", where,
                s->ep, m->name);
    return FALSE;
  }
  return TRUE;
}

/* A named remat policy (parallel.recompute) alone, on a model it is modelled for; offload only with one. */
static gboolean
check_remat(const TsTrainSpec *s, const char *where, GError **error)
{
  if (s->remat_policy > 0 && ts_remat_policy_get_name(s->remat_policy) == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: remat policy number %u: no such policy", where,
                s->remat_policy);
    return FALSE;
  }
  if (s->remat_policy > 0 && (s->recompute || s->recompute_auto)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.recompute: the remat policy %s and %s cannot both "
                "decide", where, ts_remat_policy_get_name(s->remat_policy), s->recompute ? "true" : "\"auto\"");
    return FALSE;
  }
  if (s->offload != TS_REMAT_OFFLOAD_NONE && s->remat_policy == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: parallel.offload = \"%s\" moves what a remat policy keeps "
                "to host memory: give parallel.recompute a policy", where, ts_remat_offload_get_name(s->offload));
    return FALSE;
  }
  double device, host;
  if (s->remat_policy > 0 && !ts_remat_kept_values(s->model, ts_remat_policy_get_keep(s->remat_policy), s->offload,
                                                   s->tp, s->sequence_parallel, &device, &host, error)) {
    g_prefix_error(error, "%s: parallel.recompute = \"%s\": ", where, ts_remat_policy_get_name(s->remat_policy));
    return FALSE;
  }
  return TRUE;
}

gboolean
check_layout(const TsTrainSpec *s, const TsMachineGroup *a, const char *where, guint *dp_out,
             guint *model_parallel_out, double *micro, guint *n_micro, GError **error)
{
  /* The product in double first: tensor x pipeline x context could wrap around in a guint (to 0). */
  if ((double) s->tp * s->pp * s->cp > (double) a->devices) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %u devices are fewer than tensor x pipeline x context "
                "parallel = %g", where, a->devices, (double) s->tp * s->pp * s->cp);
    return FALSE;
  }
  guint model_parallel = s->tp * s->pp * s->cp;
  if (a->devices % model_parallel != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %u devices are not a multiple of tensor x pipeline x "
                "context parallel = %u", where, a->devices, model_parallel);
    return FALSE;
  }
  /* Multislice: tensor, pipeline and context ranks stay inside one slice (only data parallelism crosses the
   * data-centre network, as MaxText's dcn_* axes are used), and each slice holds whole replicas. */
  if (a->slices > 1 && (a->devices / a->slices) % model_parallel != 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: tensor x pipeline x context parallel = %u does not divide "
                "the %u chips of one slice (of %u): model-parallel groups would cross the data-centre network, "
                "which is not modelled", where, model_parallel, a->devices / a->slices, a->slices);
    return FALSE;
  }
  guint dp = a->devices / model_parallel;
  if (s->shard_group > 0 && (s->shard_group > dp || dp % s->shard_group != 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: shard_group %u does not divide the %u data-parallel "
                "replicas (%u devices / tensor x pipeline x context %u)", where, s->shard_group, dp, a->devices,
                model_parallel);
    return FALSE;
  }
  /* The prelude checks these too; a spec built another way (the planner, a test) is held to the same rules. */
  if ((s->shard_group > 0 && s->zero == 0) || (s->grad_all_reduce && s->zero != 1)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %s with zero = %u: it needs %s", where,
                s->grad_all_reduce && s->zero != 1 ? "grad_reduce = \"all-reduce\"" : "shard_group", s->zero,
                s->grad_all_reduce && s->zero != 1 ? "zero = 1" : "zero = 1, 2 or 3");
    return FALSE;
  }
  if (!check_experts(s, a, where, dp, model_parallel, error) || !check_remat(s, where, error))
    return FALSE;
  /* Every size of a batch ramp splits as a single batch would. */
  for (guint i = 0; i < s->ramp_segments; i++)
    if (!split_batch(s, a, dp, model_parallel, s->ramp_size[i], where, NULL, NULL, error))
      return FALSE;
  if (!split_batch(s, a, dp, model_parallel, s->batch, where, micro, n_micro, error))
    return FALSE;
  *dp_out = dp;
  *model_parallel_out = model_parallel;
  return TRUE;
}

/* Step by step (stragglers' mode "sampled"): what a step of segment i is made of -- the devices' step without the
 * wait for the slowest node, the device work that wait multiplies, and the input and storage bounds below which
 * no step goes (sampled_step, train.c). */
static void
keep_step_terms(Train *t, guint i)
{
  const StepCost *c = &t->cost;
  const TsStepBreakdown *st = &c->step;
  t->seg_nominal_s[i] = c->device_step - st->stragglers;
  t->seg_work_s[i] = st->compute + st->activations + st->launch + st->update;
  double input = st->input > 0 ? st->input : 0, storage = st->storage > 0 ? st->storage : 0;
  t->seg_floor_s[i] = MAX(input, storage);
}

/* A batch ramp's segments: steps and step time of each, the spec's batch left at the final size.  Segment i
 * trains at its size until ramp_until[i] useful samples in all (the step that crosses it ends the segment), the
 * last to the end of the run's length; earlier segments are costed quietly (their diagnostics would repeat the
 * final one's), the final last, so the step terms in the results are its own. */
static gboolean
ramp_segments(Train *t, guint dp, guint model_parallel, double total_samples, GError **error)
{
  TsTrainSpec *s = &t->spec;
  const TsMachineGroup *a = &t->run->cluster->accel;
  double useful = 1.0 - s->padding, start = 0;
  guint64 end = 0;
  for (guint i = 0; i < s->ramp_segments; i++) {
    gboolean last = i + 1 == s->ramp_segments;
    double stop = last ? total_samples : MIN(total_samples, s->ramp_until[i] / useful);
    double size = (double) s->ramp_size[i];
    guint64 steps = stop > start ? count_of(ceil((stop - start) / size)) : 0;
    if (!last)
      start = MAX(start, stop);
    end += steps;
    s->batch = s->ramp_size[i];
    double micro, step;
    guint n_micro;
    if (!split_batch(s, a, dp, model_parallel, s->batch, t->where, &micro, &n_micro, error))
      return FALSE;
    t->cost.quiet = !last;
    gboolean ok = batch_step(&t->cost, dp, micro, n_micro, &step, error);
    t->cost.quiet = FALSE;
    if (!ok)
      return FALSE;
    t->seg_end[i] = end;
    t->seg_ticks[i] = MAX((TsTime) 1, ts_time_from_seconds(step));
    keep_step_terms(t, i);
    t->seg_samples += (double) steps * size;
  }
  t->n_seg = s->ramp_segments;
  return TRUE;
}

/* The step time (of the final batch of a ramp), its terms and bottleneck in the results. */
static gboolean
cost_steps(Train *t, guint dp, guint model_parallel, double micro, guint n_micro, double *step, GError **error)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  t->cost.step = run->results.step;
  if (s->ramp_segments > 0) {
    /* With padding p a step's sequences carry (1 - p) of useful tokens: an epoch and a number of (useful) tokens
     * take 1/(1 - p) as many steps, each as long as a packed one. */
    double useful = 1.0 - s->padding;
    double seq = s->model->seq > 0 ? s->model->seq : 1;
    double total = s->tokens > 0 ? s->tokens / (seq * useful) : s->epochs * (double) s->data->samples / useful;
    if (!ramp_segments(t, dp, model_parallel, total, error))
      return FALSE;
    t->step_ticks = t->seg_ticks[t->n_seg - 1]; /* the final batch's: intervals in time or epochs count in it */
    *step = ts_time_to_seconds(t->step_ticks);
  } else {
    if (!batch_step(&t->cost, dp, micro, n_micro, step, error))
      return FALSE;
    t->step_ticks = ts_time_from_seconds(*step);
    if (t->step_ticks <= 0)
      t->step_ticks = 1;
    keep_step_terms(t, 0);
  }
  run->results.step = t->cost.step;
  run->results.device_step_s = t->cost.device_step;
  g_free(run->results.bottleneck);
  const TsStorage *st = run->cluster->storage;
  run->results.bottleneck = t->cost.bound == TS_STEP_BOUND_DEVICES ? g_strdup("devices")
                            : t->cost.bound == TS_STEP_BOUND_INPUT ? g_strdup("host CPUs (input pipeline)")
                            : st != NULL ? g_strdup_printf("%s read bandwidth", st->name)
                                         : g_strdup("local disk read bandwidth");
  return TRUE;
}

/* How many steps the training takes, in segments of identical steps, and their failure-free time. */
static void
plan_steps(Train *t)
{
  const TsTrainSpec *s = &t->spec;
  double useful = 1.0 - s->padding;
  t->steps_per_epoch = s->padding > 0 ? count_of(ceil((double) s->data->samples / ((double) s->batch * useful)))
                                      : (s->data->samples + s->batch - 1) / s->batch;
  if (s->ramp_segments > 0)
    t->total_steps = t->seg_end[t->n_seg - 1];
  else if (s->steps > 0)
    t->total_steps = s->steps;
  else if (s->tokens > 0)
    t->total_steps = count_of(ceil(s->tokens / ((double) s->batch * (s->model->seq > 0 ? s->model->seq : 1) *
                                                 useful)));
  else
    t->total_steps = count_of(round(s->epochs * (double) t->steps_per_epoch));
  if (t->total_steps == 0) {
    t->total_steps = 1;
    if (t->n_seg > 0)
      t->seg_end[t->n_seg - 1] = 1;
  }
  if (t->n_seg == 0) { /* no ramp: one segment of identical steps */
    t->n_seg = 1;
    t->seg_end[0] = t->total_steps;
    t->seg_ticks[0] = t->step_ticks;
    t->seg_samples = (double) t->total_steps * s->batch;
  }
  for (guint i = 0; i < t->n_seg; i++) {
    guint64 from = i > 0 ? t->seg_end[i - 1] : 0;
    t->planned_ticks = ts_time_add(t->planned_ticks, ts_time_mul(t->seg_ticks[i], t->seg_end[i] - from));
  }
}

/* Checkpoints: weights in fp32 plus optimizer state; written at the storage's bandwidth. */
static void
plan_checkpoints(Train *t, double step)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  const TsMachineGroup *a = &run->cluster->accel;
  t->ckpt_bytes = s->model->params * (4.0 + optimizer_state_bytes(s->optimizer));
  t->ckpt_share = run->cluster->storage ? t->ckpt_bytes : t->ckpt_bytes / (a->nodes ? a->nodes : 1);
  run->results.checkpoint_bytes = t->ckpt_bytes;
  if (!s->checkpoint)
    return;
  double bw = run_storage_write_bw(run, t->where, INFINITY) * (run->cluster->storage ? 1.0 : (a->nodes ? a->nodes : 1));
  t->ckpt_ticks = ts_time_from_seconds(t->ckpt_bytes / bw);
  run->results.checkpoint_write_s = ts_time_to_seconds(t->ckpt_ticks);
  if (s->ckpt_every_steps > 0)
    t->ckpt_every = s->ckpt_every_steps;
  else if (s->ckpt_every_epochs > 0)
    t->ckpt_every = MAX((guint64) 1, count_of(round(s->ckpt_every_epochs * t->steps_per_epoch)));
  else if (s->ckpt_every_s > 0)
    t->ckpt_every = MAX((guint64) 1, count_of(round(s->ckpt_every_s / step)));
}

/* One evaluation pass of a model with an architecture (docs/model.md, "Evaluation passes"): its samples split
 * over the dp replicas, each replica's share in micro-batches of the training's size (the last one padded to it),
 * every micro-batch the forward launches alone of the model's operations through the device, one view per
 * sample; a pipeline of pp stages fills and drains once per pass (n + pp - 1 stage slots, as a forward-only
 * 1F1B schedule runs).  Each micro-batch also runs the forward share of its tensor-, context- and expert-parallel
 * collectives (eval_collectives): an evaluation step runs the training's sharded layers.  A model without an
 * architecture has no such path: its pass is the aggregate forward FLOPs alone. */
static gboolean
eval_by_operations(Train *t, guint dp, double micro, guint64 samples, double *seconds, GError **error)
{
  const TsTrainSpec *s = &t->spec;
  double per_replica = ceil((double) samples / MAX(1u, dp));
  double n = MAX(1.0, ceil(per_replica / micro));
  /* The operations are summed over up to a million micro-batches (an 8-bit run's weight casts spread over
   * them); a larger pass repeats the same micro-batch time. */
  guint listed = (guint) MIN(n, 1e6);
  TsStepOpsQuery q = {.spec = s, .device = t->run->device, .micro = micro, .n_micro = listed, .recompute = 0,
                      .fusion = t->cost.stack.fusion, .launch_s = t->cost.stack.launch_s, .forward_only = TRUE};
  TsStepOps ops;
  if (!ts_step_ops_compute(&q, &ops, error))
    return FALSE;
  double collectives;
  if (!eval_collectives(&t->cost, micro, ops.attention / listed, (ops.products - ops.attention) / listed,
                        &collectives, error))
    return FALSE;
  double slot = (ops.products + ops.memory_ops + ops.launch_exposed) / listed + collectives;
  *seconds = slot * (n + MAX(1u, s->pp) - 1);
  return TRUE;
}

/* Every N steps, every N epochs of the dataset, or every so much training time (whole steps, as checkpoints
 * count it); each pass evaluates eval.samples, else the dataset's evaluation set. */
static gboolean
plan_evals(Train *t, guint dp, double micro, double step, GError **error)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  const TsMachineGroup *a = &run->cluster->accel;
  if (!(s->eval_every_epochs > 0 || s->eval_every_steps > 0 || s->eval_every_s > 0))
    return TRUE;
  if (s->eval_every_steps > 0)
    t->eval_every = s->eval_every_steps;
  else if (s->eval_every_epochs > 0)
    t->eval_every = MAX((guint64) 1, count_of(round(s->eval_every_epochs * t->steps_per_epoch)));
  else
    t->eval_every = MAX((guint64) 1, count_of(round(s->eval_every_s / step)));
  guint64 eval_samples = s->eval_samples > 0 ? s->eval_samples : s->data->eval_samples;
  if (eval_samples == 0) {
    /* Not known, so not timed: said, never a silent 0 s. */
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "eval-samples-unknown", "%s: evaluations are not timed: "
                          "dataset %s states no evaluation samples; give eval = { samples = N } (or the dataset's "
                          "eval_samples)", t->where, s->data->name);
    t->eval_every = 0;
  }
  double te = 0;
  if (eval_samples > 0 && ts_model_has_architecture(s->model)) {
    if (!eval_by_operations(t, dp, micro, eval_samples, &te, error)) {
      g_prefix_error(error, "%s: evaluation: ", t->where);
      return FALSE;
    }
  } else if (eval_samples > 0) {
    /* A model without an architecture: its forward FLOPs through the device's aggregate compute time. */
    TsWork w;
    ts_work_init(&w);
    w.precision = s->precision;
    w.workload = s->model->workload;
    w.flops = s->model->flops * (double) eval_samples / a->devices;
    w.batch_per_device = micro;
    if (!ts_device_compute_time(run->device, &w, &te, error)) {
      g_prefix_error(error, "%s: ", t->where);
      return FALSE;
    }
  }
  t->eval_ticks = ts_time_from_seconds(te);
  if (eval_samples > 0) {
    run->results.eval_samples = eval_samples;
    run->results.eval_pass_s = ts_time_to_seconds(t->eval_ticks);
  }
  return TRUE;
}

/* Device failures and spot interruptions: the job's mean time between them, advice on the checkpoint
 * interval, the expected count, and the first one drawn. */
static void
plan_failures(Train *t, double step)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  const TsMachineGroup *a = &run->cluster->accel;
  TsResults *r = &run->results;
  double rate = 0;
  if (s->device_mtbf_s > 0)
    rate += a->devices / s->device_mtbf_s;
  if (s->preempt_mtbf_s > 0)
    rate += 1.0 / s->preempt_mtbf_s;
  else if (!spot_preemption(t, t->where, &rate))
    r->failures_expected_unknown = TRUE;
  t->job_mtbf_s = rate > 0 ? 1.0 / rate : 0;
  t->node_share = rate > 0 && s->device_mtbf_s > 0 ? (a->devices / s->device_mtbf_s) / rate : 0;
  if (run->node_failure_log != NULL && s->device_mtbf_s > 0) {
    /* The cluster's spares (ts_run_log_node_failures): node failures are told apart from preemptions and logged.
     * A repair time of the job's own is the caller's to refuse (it is the cluster's). */
    t->repairs = g_array_new(FALSE, FALSE, sizeof(TsTime));
    r->repair_modelled = s->repair_s > 0;
  } else if (s->repair_s > 0) {
    t->spares_free = s->spare_nodes;
    t->repairs = g_array_new(FALSE, FALSE, sizeof(TsTime));
    r->repair_modelled = TRUE;
    r->spare_nodes = s->spare_nodes;
    r->repair_s = s->repair_s;
  }
  t->restart_ticks = ts_time_from_seconds(s->restart_s);
  r->failures_modelled = r->failures_modelled || t->job_mtbf_s > 0;
  checkpoint_advice(t, step);
  r->failures_expected += expected_failures(t, step);

  TsTime now = ts_engine_get_now(run->engine);
  t->next_failure = t->job_mtbf_s > 0
                      ? ts_time_add(now, ts_time_from_seconds(ts_rng_exponential(&run->failures_rng, t->job_mtbf_s)))
                      : TS_TIME_MAX;
  t->phase_start = now;
}

/* What is known of the training before it runs: its layout, steps, step time, throughput and MFU. */
static void
record_plan(Train *t, guint dp)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  const TsModel *m = s->model;
  const TsMachineGroup *a = &run->cluster->accel;
  TsResults *r = &run->results;
  double useful = 1.0 - s->padding;
  r->trained = TRUE;
  r->model_name = m->name;
  r->model_params = m->params;
  r->model_active_params = m->active_params > 0 ? m->active_params : m->params;
  r->layout.data = dp;
  r->layout.tensor = s->tp;
  r->layout.pipeline = s->pp;
  r->layout.context = s->cp;
  r->layout.expert = s->ep;
  r->layout.zero = s->zero;
  r->stack = s->stack;
  r->stack_default = s->stack_default;
  r->error_band = a->record->band[m->workload];
  r->band_error = a->record->band_error[m->workload];
  r->calibration = a->record->calibration[m->workload];
  r->steps += t->total_steps;
  /* The epochs asked for are what was trained (each epoch's last, partial batch is one step); otherwise the
   * samples the steps go through. */
  r->epochs += s->epochs > 0 && s->steps == 0 && !(s->tokens > 0)
                 ? s->epochs
                 : t->seg_samples * useful / s->data->samples;
  r->step_time_s = ts_time_to_seconds(t->step_ticks);
  r->compute_time_s += ts_time_to_seconds(t->planned_ticks);
  r->ramp_segments = s->ramp_segments;
  for (guint i = 0; i < s->ramp_segments; i++) {
    r->ramp_size[i] = s->ramp_size[i];
    r->ramp_steps[i] = t->seg_end[i] - (i > 0 ? t->seg_end[i - 1] : 0);
    r->ramp_step_s[i] = ts_time_to_seconds(t->seg_ticks[i]);
  }
  /* Throughput and MFU count the useful samples: padding is work done for nothing. */
  r->padding = s->padding;
  r->samples_per_s = (double) s->batch * useful / r->step_time_s;
  double peak = a->record->spec.peak_dense[s->precision];
  double model_flops = 3.0 * m->flops * (double) s->batch * useful * s->views; /* flops follow active params */
  r->mfu = peak > 0 ? model_flops / (r->step_time_s * a->devices * peak) : 0.0;
}

static Train *
train_new(TsRun *run, const TsTrainSpec *spec, const char *where, TsRunDone done, void *data)
{
  g_ptr_array_add(run->models, spec->model);
  g_ptr_array_add(run->datasets, spec->data);
  Train *t = g_new0(Train, 1);
  g_ptr_array_add(run->trains, t);
  run_provision_implicitly(run, where);
  t->run = run;
  t->spec = *spec;
  t->spec.optimizer = g_strdup(spec->optimizer);
  t->where = g_strdup(where);
  t->done = done;
  t->data = data;
  t->kept = g_array_new(FALSE, FALSE, sizeof(guint));
  t->eval_base_s = run->results.eval_time_s;
  t->cost.run = run;
  t->cost.spec = &t->spec;
  t->cost.where = t->where;
  return t;
}

/* A node's device work per step on `device` with its stack constants, at micro-batch `micro`: `var`, what scales
 * with the node's share of the batch (the operations and their launches, the optimizer's one launch included, a
 * few microseconds), and `fixed`, what does not (the optimizer update). */
static gboolean
node_work(const Train *t, TsDevice *device, const TsStackConstants *stack, guint dp, double micro, guint n_micro,
          double *var, double *fixed, GError **error)
{
  StepCost c = t->cost;
  c.device = device;
  c.stack = *stack;
  c.quiet = TRUE;
  c.warned_not_modelled = TRUE; /* the cluster's own step says it */
  c.straggler_factor = 0;
  double step;
  if (!step_time(&c, dp, micro, n_micro, &step, error))
    return FALSE;
  *fixed = c.step.update;
  *var = c.step.compute + c.step.activations + c.step.launch;
  return TRUE;
}

/* One generation's device memory at its share of the micro-batch, against its capacity. */
static gboolean
fits_share(Train *t, const TsMachineGroup *a, guint dp, double micro, double *peak, GError **error)
{
  const TsTrainSpec *s = &t->spec;
  double recompute;
  Memory mem;
  layout_memory(s, a, dp, micro, &recompute, &mem);
  *peak = mem.total;
  double capacity = a->record->spec.memory_bytes;
  if (capacity > 0 && mem.total > capacity) {
    g_autofree char *need = ts_format_bytes(mem.total);
    g_autofree char *have = ts_format_bytes(capacity);
    ts_run_add_diagnostic(t->run, TS_SEVERITY_ERROR, "device-oom", "%s: mixed: the %s devices at their share of the "
                          "batch (micro-batch %.4g) need %s each, %s available", t->where, a->record->sku, micro, need, have);
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: mixed: does not fit in the memory of the %s devices at "
                "their share of the batch: %s needed per device, %s available", t->where, a->record->sku, need, have);
    return FALSE;
  }
  return TRUE;
}

/* Mixed generations (docs/model.md, "Mixed generations"): `k` of the cluster's nodes hold another generation's
 * devices.  Each node's device work per step is var_g x share + fixed_g.  Waiting, every node has the same share and
 * the step's device work is the slower generation's: the other generation's nodes are slow nodes at the ratio of
 * the two works (or the cluster's own nodes are, when the other generation is faster).  Balanced by speed, the
 * shares make every node's work equal: T = (N + sum_g N_g fixed_g / var_g) / sum_g (N_g / var_g), share_g =
 * (T - fixed_g) / var_g, so that sum_g N_g share_g = N.  Either way a step's device work is scale x the largest
 * node's factor of the stragglers' model (jitter still applies per node). */
static gboolean
plan_mixed(Train *t, guint dp, double micro, guint n_micro, guint nodes, GError **error)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  TsResults *r = &run->results;
  guint k = s->mixed_nodes;
  if (k >= nodes) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: mixed.nodes = %u: the cluster has %u node%s; at least one "
                "must hold its own %s", t->where, k, nodes, nodes == 1 ? "" : "s", run->cluster->accel.record->sku);
    return FALSE;
  }
  const TsPlugin *plugin = NULL;
  const TsDeviceRecord *rec = ts_registry_find_device(run->registry, NULL, s->mixed_sku, &plugin, error);
  if (rec == NULL) {
    g_prefix_error(error, "%s: mixed.sku: ", t->where);
    return FALSE;
  }
  ts_run_note_catalog(run, ts_plugin_get_catalog(plugin));
  /* Its nodes sit on the same network as the cluster's: the collectives run at the links' speed either way. */
  t->mixed_record = *rec;
  t->mixed_record.spec.network_bandwidth = run->device_record.spec.network_bandwidth;
  t->mixed_device = ts_device_new(plugin, &t->mixed_record, error);
  if (t->mixed_device == NULL)
    return FALSE;
  TsStackConstants other_stack;
  gboolean calibrated;
  double var_m, fix_m, var_o, fix_o;
  if (!ts_stack_get_constants(run->registry, t->mixed_device, s->stack, &other_stack, &calibrated, error) ||
      !node_work(t, NULL, &t->cost.stack, dp, micro, n_micro, &var_m, &fix_m, error) ||
      !node_work(t, t->mixed_device, &other_stack, dp, micro, n_micro, &var_o, &fix_o, error)) {
    g_prefix_error(error, "%s: mixed: ", t->where);
    return FALSE;
  }
  double w_m = var_m + fix_m, w_o = var_o + fix_o;
  guint n_m = nodes - k;
  double share_m = 1, share_o = 1;
  if (!(w_m > 0 && w_o > 0 && var_m > 0 && var_o > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: mixed: no device work to compare (%s: %g s, %s: %g s)",
                t->where, run->cluster->accel.record->sku, w_m, rec->sku, w_o);
    return FALSE;
  }
  if (s->mixed_speed) {
    double tw = ((double) nodes + n_m * fix_m / var_m + k * fix_o / var_o) / (n_m / var_m + k / var_o);
    share_m = (tw - fix_m) / var_m;
    share_o = (tw - fix_o) / var_o;
    if (!(share_m > 0 && share_o > 0)) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: mixed: balance = \"speed\" cannot even the nodes out: "
                  "one generation's fixed work (its optimizer update) alone outlasts the balanced step", t->where);
      return FALSE;
    }
    t->strag_scale = tw / w_m;
    t->strag_slow = 0;
    t->strag_slowdown = 1;
  } else if (w_o >= w_m) {
    t->strag_scale = 1;
    t->strag_slow = k;
    t->strag_slowdown = w_o / w_m;
  } else {
    t->strag_scale = w_o / w_m;
    t->strag_slow = n_m;
    t->strag_slowdown = w_m / w_o;
  }
  /* Each generation holds its share of the micro-batch: both must fit. */
  TsMachineGroup other = run->cluster->accel;
  other.record = &t->mixed_record;
  double peak_m, peak_o;
  if (!fits_share(t, &other, dp, micro * share_o, &peak_o, error) ||
      (s->mixed_speed && !fits_share(t, &run->cluster->accel, dp, micro * share_m, &peak_m, error)))
    return FALSE;
  if (s->mixed_speed)
    r->peak_device = MAX(r->peak_device, peak_m);
  r->mixed.sku = rec->sku;
  r->mixed.nodes = k;
  r->mixed.speed = s->mixed_speed;
  r->mixed.work_s = w_m;
  r->mixed.other_work_s = w_o;
  r->mixed.share = share_m;
  r->mixed.other_share = share_o;
  r->mixed.other_peak_device = peak_o;
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "mixed-billing", "%s: mixed: the %u node%s of %s are billed at the "
                        "cluster's price for its %s (the run has one price per machine)", t->where, k,
                        k == 1 ? "" : "s", rec->sku, run->cluster->accel.record->sku);
  return TRUE;
}

/* The slow nodes among the cluster's and the expected slowest factor the step's device work takes (stragglers.h);
 * with mixed generations, theirs (plan_mixed). */
static gboolean
plan_stragglers(Train *t, guint dp, double micro, guint n_micro, GError **error)
{
  const TsTrainSpec *s = &t->spec;
  TsResults *r = &t->run->results;
  guint nodes = t->run->cluster->accel.nodes;
  guint slow = s->slow_fraction > 0 ? ts_stragglers_slow_nodes(nodes, s->slow_fraction) : s->slow_nodes;
  if (slow > nodes) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: stragglers.slow_nodes = %u, more than the cluster's %u node%s",
                t->where, slow, nodes, nodes == 1 ? "" : "s");
    return FALSE;
  }
  t->strag_scale = 1;
  t->strag_slow = s->slowdown > 1 ? slow : 0;
  t->strag_slowdown = s->slowdown > 1 ? s->slowdown : 1;
  r->mixed.sku = NULL;
  if (s->mixed_nodes > 0) {
    if (s->slowdown > 1) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: give mixed or stragglers.slow_nodes, not both", t->where);
      return FALSE;
    }
    if (!plan_mixed(t, dp, micro, n_micro, nodes, error))
      return FALSE;
  }
  t->cost.straggler_factor =
    t->strag_scale * ts_stragglers_expected_max(nodes, t->strag_slow, t->strag_slowdown, s->jitter);
  t->sampled = s->stragglers_sampled;
  t->strag_nodes = nodes;
  r->stragglers.sampled = s->stragglers_sampled;
  r->stragglers.sampled_factor = NAN;
  r->stragglers.nodes = nodes;
  r->stragglers.slow = t->strag_slow;
  r->stragglers.slowdown = t->strag_slowdown;
  r->stragglers.jitter = s->jitter;
  r->stragglers.factor = t->cost.straggler_factor;
  return TRUE;
}

/* The layout fits in device memory (recomputing as asked), else diagnosed and infeasible. */
static gboolean
fit_device_memory(Train *t, guint dp, double micro, guint n_micro, Memory *mem, GError **error)
{
  TsRun *run = t->run;
  double capacity = run->cluster->accel.record->spec.memory_bytes;
  if (layout_memory(&t->spec, &run->cluster->accel, dp, micro, &t->cost.recompute, mem))
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "recompute-auto", "%s: recomputing %.0f %% of the layers' "
                          "activations in the backward pass to fit device memory (%.1f %% more compute)",
                          t->where, 100.0 * t->cost.recompute, 100.0 * t->cost.recompute / 3.0);
  /* Offloaded activations cross the host link twice a step (to the host in the forward pass, back in the
   * backward pass); XLA runs those copies asynchronously beside the compute, and no host-link rate is in the
   * catalogs, so their time is not charged: said here with their volume. */
  if (mem->host_per_sample > 0) {
    g_autofree char *bytes = ts_format_bytes(mem->host_per_sample * micro * n_micro);
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "remat-offload", "%s: remat policy %s offloads %s of activations "
                          "per device and step to host memory and back; the transfers are taken as hidden under the "
                          "compute (not charged: no host-link rate is modelled)", t->where,
                          ts_remat_policy_get_name(t->spec.remat_policy), bytes);
  }
  run->results.peak_device = MAX(run->results.peak_device, mem->total);
  if (capacity > 0 && mem->total > capacity) {
    report_device_oom(run, &t->spec, t->where, dp, n_micro, mem, error);
    return FALSE;
  }
  return TRUE;
}

gboolean
ts_run_train(TsRun *run, const TsTrainSpec *spec, const char *where, TsRunDone done, void *data, GError **error)
{
  Train *t = train_new(run, spec, where, done, data);
  TsTrainSpec *s = &t->spec;
  guint dp, model_parallel, n_micro;
  double micro, step;
  Memory mem;
  if (!normalize_spec(s, where, error) ||
      !check_layout(s, &run->cluster->accel, where, &dp, &model_parallel, &micro, &n_micro, error) ||
      !fit_device_memory(t, dp, micro, n_micro, &mem, error))
    return FALSE;
  const TsMachineGroup *accel = &run->cluster->accel;
  double per_host = (double) accel->devices / MAX(1u, accel->nodes);
  if (!check_host_memory(run, s, where, mem.host_per_sample * micro * per_host, error))
    return FALSE;
  gboolean stack_calibrated;
  if (!ts_stack_get_constants(run->registry, run->device, s->stack, &t->cost.stack, &stack_calibrated, error)) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  if (!stack_calibrated)
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "stack-uncalibrated", "%s: no calibration.json gives constants for "
                          "the %s stack: no launch cost, fusion or per-step overhead is modelled (docs/model.md)",
                          where, ts_stack_get_name(s->stack));
  if (!plan_stragglers(t, dp, micro, n_micro, error) || !cost_steps(t, dp, model_parallel, micro, n_micro, &step, error))
    return FALSE;
  plan_steps(t);
  plan_checkpoints(t, step);
  if (!plan_evals(t, dp, micro, step, error))
    return FALSE;
  plan_failures(t, step);
  record_plan(t, dp);
  run->device_bytes = mem.total;
  t->started = TRUE;
  run_begin_phase(run, TS_PHASE_TRAIN, "train", t->phase_start);
  t->meter = run_meter_start(run, ts_time_to_seconds(t->planned_ticks), TS_TIME_MAX);
  train_next(t); /* its first sample already reads "train" */
  return TRUE;
}
