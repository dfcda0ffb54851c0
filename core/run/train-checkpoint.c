/* Checkpoints: committing one (retention, storage it takes) and advice on the interval between them. */
#include "run/train-private.h"

#include "units/units.h"

#include <math.h>
#include <string.h>

gboolean
commit_checkpoint(Train *t, guint64 steps)
{
  TsRun *run = t->run;
  t->committed_steps = steps;
  /* An asynchronous write commits the snapshot taken when it began; a synchronous one, the steps done. */
  t->committed_ticks = t->spec.ckpt_async ? t->async_ticks : t->done_ticks;
  t->committed_factors = t->spec.ckpt_async ? t->async_factors : t->done_factors;
  t->ckpt_index++;
  run->results.checkpoints++;
  g_array_append_val(t->kept, t->ckpt_index);
  /* Retention: the last keep_last, plus every keep_every-th forever; without it they pile up. */
  if (t->spec.keep_last > 0) {
    guint i = 0;
    while (t->kept->len - i > t->spec.keep_last) {
      guint idx = g_array_index(t->kept, guint, i);
      if (t->spec.keep_every > 0 && idx % t->spec.keep_every == 0)
        i++;
      else
        g_array_remove_index(t->kept, i);
    }
  }
  run->checkpoint_bytes_stored = t->kept->len * t->ckpt_share;
  g_autofree char *what = g_strdup_printf("%s: checkpoint %u (%u kept)", t->where, t->ckpt_index, t->kept->len);
  GError *error = NULL;
  if (!run_set_stored(run, run->dataset_bytes + run->checkpoint_bytes_stored, what, &error)) {
    if (t->spec.keep_last == 0)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "retention", "%s: without retention every checkpoint is kept; "
                            "keep = N deletes older ones", t->where);
    run_stop(run, error);
    return FALSE;
  }
  run_emit_sample(run);
  return TRUE;
}

void
async_commit(TsEngine *engine, void *data)
{
  (void) engine;
  Train *t = data;
  t->async_event = 0;
  commit_checkpoint(t, t->async_steps);
}

/* ---- checkpoint interval advice ----------------------------------------------------------------- */

/* Young's first-order optimum for the compute time between checkpoints, sqrt(2 x C x M) for a checkpoint
 * costing C and failures every M on average (Young 1974; Daly 2006, "A higher order estimate of the optimum
 * checkpoint interval", eq. 1); an interval off by more than a factor of two from it, or no checkpoint at all
 * with failures modelled, gets an info diagnostic with the interval that loses least. */
#define ADVICE_FACTOR 2.0

void
checkpoint_advice(Train *t, double step_s)
{
  TsRun *run = t->run;
  const TsTrainSpec *s = &t->spec;
  if (!(t->job_mtbf_s > 0) || !(step_s > 0) || s->ckpt_async)
    return;
  double mtbf = t->job_mtbf_s;
  g_autofree char *m = ts_format_duration(mtbf);
  if (!s->checkpoint) {
    double run_s = step_s * (double) t->total_steps;
    const GPtrArray *diags = run->diagnostics;
    for (guint i = 0; i < diags->len; i++) /* spot's own warning says it already */
      if (strcmp(((const TsDiagnostic *) g_ptr_array_index(diags, i))->code, "spot-without-checkpoints") == 0)
        return;
    if (run_s > mtbf / 10.0)
      ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "checkpoint-interval", "%s: no checkpoints, with a failure "
                            "every %s on average: each failure restarts the training from its first step; "
                            "checkpoint = { every = ... } at Young/Daly's optimum, sqrt(2 x the write time x %s)",
                            t->where, m, m);
    return;
  }
  double c = ts_time_to_seconds(t->ckpt_ticks);
  if (!(c > 0) || t->ckpt_every == 0)
    return;
  double interval = step_s * (double) t->ckpt_every;
  double opt = sqrt(2.0 * c * mtbf);
  if (interval <= opt * ADVICE_FACTOR && interval >= opt / ADVICE_FACTOR)
    return;
  guint64 opt_steps = MAX((guint64) 1, count_of(round(opt / step_s)));
  /* An optimum beyond the end: no interval inside the run reaches it, and fewer checkpoints always lose less, down
   * to the one at the end (advising more steps than the run has would be no advice). */
  g_autofree char *beyond = NULL;
  if (t->total_steps > 0 && opt_steps >= t->total_steps) {
    if (t->ckpt_every >= t->total_steps)
      return; /* already as few as the run allows */
    opt_steps = t->total_steps;
    g_autofree char *whole = ts_format_duration(step_s * (double) t->total_steps);
    beyond = g_strdup_printf(", which is longer than the whole training (%s, %" G_GUINT64_FORMAT " steps)", whole,
                             t->total_steps);
  }
  g_autofree char *iv = ts_format_duration(interval);
  g_autofree char *op = ts_format_duration(opt);
  g_autofree char *cs = ts_format_duration(c);
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "checkpoint-interval", "%s: checkpoints every %s of training (%"
                        G_GUINT64_FORMAT " steps), %s Young/Daly's optimum sqrt(2 x %s per checkpoint x %s between "
                        "failures) = %s%s; checkpoint.every = \"%" G_GUINT64_FORMAT " steps\"%s loses less time to "
                        "checkpoints and failures together", t->where, iv, t->ckpt_every,
                        interval > opt ? "far above" : "far below", cs, m, op, beyond ? beyond : "", opt_steps,
                        beyond ? ", one checkpoint at the end," : "");
}
