/* Inference (ts_run_infer): the memory of the weights and one layer's live activations, the latency of a batch
 * from the device's compute time plus the stack's step overhead, and the batches one after another. */
#include "run/run-private.h"

#include "common/ts-error.h"
#include "units/units.h"

gboolean
ts_run_infer(TsRun *run, const TsInferSpec *spec, const char *where, TsRunDone done, void *data, GError **error)
{
  g_ptr_array_add(run->models, spec->model);
  run_provision_implicitly(run, where);
  const TsModel *m = spec->model;
  const TsDeviceSpec *dev = &run->cluster->accel.record->spec;
  gboolean half = spec->precision != TS_PRECISION_FP32 && spec->precision != TS_PRECISION_TF32;
  /* Inference keeps the weights and the live activations of about one layer (two tensors of the widest
   * layer), not the whole forward pass: docs/model.md, "Inference". */
  double layers = m->layers > 0 ? m->layers : 1;
  double act = m->activations * (half ? 1.0 : 2.0) / layers * 2.0 * (double) spec->batch;
  double need = m->params * (half ? 2.0 : 4.0) + act + dev->runtime_reserved_bytes;
  TsResults *r = &run->results;
  r->inferred = TRUE;
  r->model_name = m->name;
  r->model_params = m->params;
  r->model_active_params = m->active_params > 0 ? m->active_params : m->params;
  r->stack = spec->stack;
  r->stack_default = spec->stack_default;
  if (!r->trained) {
    /* The bands and the calibration come from training runs (tools/fit.py); no validation case is an inference
     * run, so the summary names them as the training's instead of claiming them for this forecast. */
    const TsDeviceRecord *rec = run->cluster->accel.record;
    r->band_error = rec->band_error[m->workload];
    r->error_band = NULL;
    r->calibration = NULL;
    if (rec->band[m->workload] != NULL) {
      g_autofree char *band = g_strdup_printf("not measured for inference (no validation case is one); training: %s",
                                              rec->band[m->workload]);
      r->error_band = ts_run_keep_string(run, band);
    }
    if (rec->calibration[m->workload] != NULL) {
      g_autofree char *cal = g_strdup_printf("%s (training runs; inference is not validated)",
                                             rec->calibration[m->workload]);
      r->calibration = ts_run_keep_string(run, cal);
    }
  }
  /* Said, not left to be read as a chat model's answers a second: a token model's latency is a prefill's
   * (models.gpt without heads has no architecture recorded; encoders and ViTs generate nothing). */
  if (m->workload == TS_WORKLOAD_TRANSFORMER && m->seq > 1 && m->arch != TS_MODEL_ARCH_ENCODER &&
      m->arch != TS_MODEL_ARCH_VIT)
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "inference-prefill-only", "%s: r:infer times each sample as one "
                          "forward pass over its %u tokens (a decoder's prefill), with one layer's activations in "
                          "memory; generating tokens one at a time (decoding, with its KV cache) is not modelled",
                          where, m->seq);
  r->infer_device_bytes = need;
  if (need > r->peak_device)
    r->peak_device = need;
  if (dev->memory_bytes > 0 && need > dev->memory_bytes) {
    g_autofree char *n = ts_format_bytes(need);
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom", "%s: inference does not fit: %s needed", where, n);
    run->results.feasible = FALSE;
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of device memory for inference (%s needed)", where, n);
    return FALSE;
  }
  TsWork w;
  ts_work_init(&w);
  w.precision = spec->precision;
  w.workload = m->workload;
  w.flops = m->flops * (double) spec->batch;
  w.bytes = m->params * (half ? 2.0 : 4.0) + act;
  w.batch_per_device = (double) spec->batch;
  double t;
  if (!ts_device_compute_time(run->device, &w, &t, error)) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  /* The stack's per-step overhead and one launch per layer of the forward pass (docs/model.md, "Stack
   * constants"). */
  TsStackConstants sc;
  gboolean stack_calibrated;
  if (!ts_stack_get_constants(run->registry, run->device, spec->stack, &sc, &stack_calibrated, error)) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  double latency = t + sc.overhead_s + sc.launch_s * (m->layers > 0 ? m->layers : 1);
  r->infer_latency_s = latency;
  r->infer_samples_per_s = (double) spec->batch / latency;
  guint64 batches = (spec->samples + spec->batch - 1) / spec->batch;
  TsTime now = ts_engine_get_now(run->engine);
  TsTime end = ts_time_add(now, ts_time_mul(ts_time_from_seconds(latency), batches));
  run->device_bytes = need;
  run_add_phase(run, TS_PHASE_INFER, "infer", now, end);
  run_energy_set_activity(run, 1.0, end); /* the devices compute through the batches, idle after */
  run_emit_sample(run);
  run_meter_start(run, ts_time_to_seconds(end - now), end);
  run_schedule_done(run, end, done, data);
  return TRUE;
}
