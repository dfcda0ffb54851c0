/* One layout's step time and device memory, nothing scheduled (estimate.h): the training's own functions
 * (train-setup.c's layout checks, train-memory.c, train-step.c), with a StepCost that says nothing. */
#include "run/estimate.h"
#include "run/train-private.h"

#include "common/ts-error.h"

#include <math.h>
#include <string.h>

gboolean
ts_train_estimate(TsRun *run, const TsTrainSpec *spec, TsTrainEstimate *out, GError **error)
{
  g_return_val_if_fail(run != NULL && spec != NULL && out != NULL, FALSE);
  memset(out, 0, sizeof *out);
  out->step_s = NAN;
  if (run->cluster == NULL || run->device == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "estimate: the run has no cluster (ts_run_set_cluster)");
    return FALSE;
  }
  if (spec->model == NULL || spec->data == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "estimate: the training names no model or no dataset");
    return FALSE;
  }
  const char *where = "estimate";
  const TsMachineGroup *a = &run->cluster->accel;
  TsTrainSpec s = *spec;
  guint dp, model_parallel, n_micro;
  double micro;
  if (!normalize_spec(&s, where, error) ||
      !check_layout(&s, a, where, &dp, &model_parallel, &micro, &n_micro, error))
    return FALSE;
  out->data_parallel = dp;
  out->micro_batch = micro;
  out->micro_batches = n_micro;

  StepCost c = {.run = run, .spec = &s, .where = where, .quiet = TRUE, .warned_not_modelled = TRUE};
  Memory mem;
  layout_memory(&s, a, dp, micro, &c.recompute, &mem);
  out->recompute = c.recompute;
  out->device_memory_bytes = mem.total;
  out->device_capacity_bytes = a->record->spec.memory_bytes;
  out->fits = !(out->device_capacity_bytes > 0 && mem.total > out->device_capacity_bytes);
  if (!out->fits)
    return TRUE;

  gboolean calibrated;
  if (!ts_stack_get_constants(run->registry, run->device, s.stack, &c.stack, &calibrated, error))
    return FALSE;
  double step;
  gboolean ok = batch_step(&c, dp, micro, n_micro, &step, error);
  if (ok) {
    out->step_s = step;
    out->step = c.step;
    out->collectives_modelled = !isnan(c.step.tensor) && !isnan(c.step.context) && !isnan(c.step.experts) &&
                                !isnan(c.step.data_exposed);
    out->bound = c.bound;
    /* As the run's results count them (train-setup.c, record_plan), at the step's time in seconds. */
    double useful = 1.0 - s.padding;
    out->samples_per_s = (double) s.batch * useful / step;
    double peak = a->record->spec.peak_dense[s.precision];
    double model_flops = 3.0 * s.model->flops * (double) s.batch * useful * s.views;
    out->mfu = peak > 0 ? model_flops / (step * a->devices * peak) : 0.0;
  }
  return ok;
}
