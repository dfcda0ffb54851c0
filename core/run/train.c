/* Training as a state machine on the engine: runs of steps, checkpoints, evaluations, failures and restarts.
 * Identical steps between two boundaries (a checkpoint, an evaluation, a failure) are one event: k steps take
 * exactly k × step ticks, so the result equals stepping them one by one (TsRunInfo.step_events, used by the
 * tests, does exactly that).  docs/model.md, "Run model".  Setting a training up is train-setup.c; what it
 * costs and holds, train-step.c and train-memory.c. */
#include "run/train-private.h"

#include "common/ts-error.h"
#include "run/stragglers.h"
#include "units/units.h"

#include <math.h>
#include <string.h>


/* The segment of identical steps that step `done` (counted from 0) belongs to. */
static guint
segment_of(const Train *t, guint64 done)
{
  guint i = 0;
  while (i + 1 < t->n_seg && done >= t->seg_end[i])
    i++;
  return i;
}

/* The failure-free time of the first n steps, segment by segment (goodput: the kept steps' time). */
static TsTime
steps_ticks(const Train *t, guint64 n)
{
  TsTime sum = 0;
  for (guint i = 0; i < t->n_seg; i++) {
    guint64 from = i > 0 ? t->seg_end[i - 1] : 0, to = MIN(n, t->seg_end[i]);
    if (to > from)
      sum = ts_time_add(sum, ts_time_mul(t->seg_ticks[i], to - from));
  }
  return sum;
}

TsTime
sampled_step(const Train *t, guint seg, TsRng *rng, double *factor)
{
  const TsTrainSpec *s = &t->spec;
  *factor = t->strag_scale * ts_stragglers_sample_max(rng, t->strag_nodes, t->strag_slow, t->strag_slowdown, s->jitter);
  double step = t->seg_nominal_s[seg] + (*factor - 1) * t->seg_work_s[seg];
  return MAX((TsTime) 1, ts_time_from_seconds(MAX(step, t->seg_floor_s[seg])));
}

/* Step by step: the next seg_steps steps drawn now, from the stream's current state (kept in seg_rng so that
 * train_close can tell how many of them ended before the run did). */
static TsTime
draw_segment(Train *t, guint seg)
{
  TsRng *rng = &t->run->stragglers_rng;
  t->seg_rng = *rng;
  t->seg_total = 0;
  t->seg_factor_sum = 0;
  for (guint64 i = 0; i < t->seg_steps; i++) {
    double f;
    t->seg_total = ts_time_add(t->seg_total, sampled_step(t, seg, rng, &f));
    t->seg_factor_sum += f;
  }
  return t->seg_total;
}

/* The steps trained and kept, for the results: with stragglers drawn step by step their time is what was drawn
 * (compute_time_s said the expectation when the training was planned), and their mean largest factor is known. */
static void
record_sampled(Train *t, TsTime kept, double factors, guint64 steps)
{
  if (!t->sampled)
    return;
  TsResults *r = &t->run->results;
  r->compute_time_s += ts_time_to_seconds(kept) - ts_time_to_seconds(t->planned_ticks);
  r->stragglers.sampled_factor = steps > 0 ? factors / (double) steps : NAN;
}

void
train_free(gpointer p)
{
  Train *t = p;
  g_free(t->spec.optimizer);
  g_free(t->where);
  ts_device_free(t->mixed_device);
  if (t->repairs)
    g_array_unref(t->repairs);
  if (t->kept)
    g_array_unref(t->kept);
  g_free(t);
}

/* ---- the state machine ------------------------------------------------------------------------ */

static void on_event(TsEngine *engine, void *data);

void
arm(Train *t, TrainState state, TsTime duration)
{
  TsEngine *e = t->run->engine;
  TsTime now = ts_engine_get_now(e);
  t->state = state;
  t->state_start = now;
  /* The devices' busy share (energy.c): steps compute all but their input-bound part, as goodput counts it;
   * evaluation computes throughout; a synchronous checkpoint write and a restart leave them idle. */
  const TsResults *r = &t->run->results;
  double u = 0;
  if (state == STATE_STEPS)
    u = r->step_time_s > 0 && r->device_step_s > 0 && r->device_step_s < r->step_time_s
          ? r->device_step_s / r->step_time_s
          : 1.0;
  else if (state == STATE_EVAL)
    u = 1.0;
  run_energy_set_activity(t->run, u, TS_TIME_MAX);
  TsTime end = duration > TS_TIME_MAX - now ? TS_TIME_MAX : now + duration;
  /* A failure strikes whatever is running: steps, a checkpoint write, an evaluation or a restart. */
  if (t->next_failure < end)
    t->event = ts_engine_schedule(e, t->next_failure, TS_PRIORITY_FAILURE, on_event, t);
  else
    t->event = ts_engine_schedule(e, end, TS_PRIORITY_COMPLETE, on_event, t);
  /* Every change of state is a sample, so the phase the outputs show is the one running from this instant
   * (not the checkpoint or restart that just ended). */
  run_emit_sample(t->run);
}

static guint64
steps_to_boundary(const Train *t)
{
  guint64 left = t->total_steps - t->done_steps;
  left = MIN(left, t->seg_end[segment_of(t, t->done_steps)] - t->done_steps); /* a batch ramp's next size */
  if (t->ckpt_every > 0)
    left = MIN(left, t->ckpt_every - t->done_steps % t->ckpt_every);
  if (t->eval_every > 0)
    left = MIN(left, t->eval_every - t->done_steps % t->eval_every);
  return t->run->info.step_events ? MIN(left, 1) : left;
}

static void
finish(Train *t)
{
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(run->engine);
  t->finished = TRUE;
  run_meter_stop(run, t->meter);
  run_end_phase(run, TS_PHASE_TRAIN, "train", t->phase_start, now);
  TsResults *r = &run->results;
  r->steps_done += t->total_steps;
  TsTime kept = t->sampled ? t->done_ticks : t->planned_ticks;
  record_sampled(t, kept, t->done_factors, t->total_steps);
  run->kept_step_ticks = ts_time_add(run->kept_step_ticks, kept);
  double wall = ts_time_to_seconds(now - t->phase_start);
  r->train_time_s += wall;
  double failure_free = ts_time_to_seconds(kept) +
                        ts_time_to_seconds(t->ckpt_ticks) * (t->spec.ckpt_async ? 0 : t->ckpt_index) +
                        ts_time_to_seconds(t->eval_ticks) * t->evals;
  r->lost_time_s += wall > failure_free ? wall - failure_free : 0;
  run->phase = "idle";
  run->device_bytes = 0;
  run_energy_set_activity(run, 0, TS_TIME_MAX);
  run_emit_sample(run);
  run_schedule_done(run, now, t->done, t->data);
}

void
train_close(gpointer p)
{
  Train *t = p;
  if (!t->started || t->finished)
    return;
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(run->engine);
  t->finished = TRUE;
  run_meter_stop(run, t->meter);
  guint64 done = t->done_steps;
  TsTime kept;
  if (t->sampled) {
    /* The running segment's steps that ended by now, replayed from the draws it started with. */
    kept = t->done_ticks;
    double factors = t->done_factors;
    if (t->state == STATE_STEPS) {
      guint seg = segment_of(t, done);
      TsRng rng = t->seg_rng;
      TsTime at = t->state_start;
      for (guint64 i = 0; i < t->seg_steps; i++) {
        double f;
        TsTime d = sampled_step(t, seg, &rng, &f);
        if (at + d > now)
          break;
        at += d;
        kept = ts_time_add(kept, d);
        factors += f;
        done++;
      }
    }
    record_sampled(t, kept, factors, done);
  } else {
    if (t->state == STATE_STEPS && now > t->state_start) /* the part of the running segment already done */
      done = MIN(t->total_steps, done + (guint64) ((now - t->state_start) / t->seg_ticks[segment_of(t, done)]));
    kept = steps_ticks(t, done);
  }
  run->results.steps_done += done;
  run->kept_step_ticks = ts_time_add(run->kept_step_ticks, kept);
  run->results.train_time_s += ts_time_to_seconds(now - t->phase_start);
  run_end_phase(run, TS_PHASE_TRAIN, "train", t->phase_start, now);
  run_energy_set_activity(run, 0, TS_TIME_MAX);
}

static void
start_checkpoint_or_next(Train *t)
{
  gboolean boundary = t->ckpt_every > 0 && t->done_steps % t->ckpt_every == 0;
  gboolean last = t->done_steps == t->total_steps;
  if (t->spec.checkpoint && (boundary || (last && t->spec.ckpt_final)) && t->done_steps > t->committed_steps) {
    if (t->spec.ckpt_async) {
      /* The snapshot is taken now; it counts once written, if no failure strikes first. */
      if (t->async_event != 0)
        ts_engine_cancel(t->run->engine, t->async_event);
      t->async_steps = t->done_steps;
      t->async_ticks = t->done_ticks;
      t->async_factors = t->done_factors;
      t->async_event = ts_engine_schedule_in(t->run->engine, t->ckpt_ticks, TS_PRIORITY_DEFAULT, async_commit, t);
    } else {
      t->run->phase = "checkpoint";
      arm(t, STATE_CHECKPOINT, t->ckpt_ticks);
      return;
    }
  }
  if (t->eval_every > 0 && t->done_steps % t->eval_every == 0 && t->eval_ticks > 0 && t->state != STATE_EVAL) {
    t->run->phase = "eval";
    arm(t, STATE_EVAL, t->eval_ticks);
    return;
  }
  train_next(t);
}

void
train_next(Train *t)
{
  if (t->run->error != NULL)
    return;
  if (t->done_steps >= t->total_steps) {
    if (t->spec.ckpt_async && t->async_event != 0) {
      /* Wait for the last asynchronous write to land before calling the run done. */
      t->run->phase = "checkpoint";
      arm(t, STATE_CHECKPOINT, ts_engine_get_due(t->run->engine, t->async_event) - ts_engine_get_now(t->run->engine));
      return;
    }
    finish(t);
    return;
  }
  t->seg_steps = steps_to_boundary(t);
  t->run->phase = "train";
  guint seg = segment_of(t, t->done_steps);
  arm(t, STATE_STEPS, t->sampled ? draw_segment(t, seg) : ts_time_mul(t->seg_ticks[seg], t->seg_steps));
}

static void
on_event(TsEngine *engine, void *data)
{
  Train *t = data;
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(engine);
  t->event = 0;
  if (now == t->next_failure && t->job_mtbf_s > 0) {
    on_failure(t);
    return;
  }
  switch (t->state) {
  case STATE_STEPS: {
    guint64 first = t->done_steps;
    t->done_steps += t->seg_steps;
    if (t->sampled) {
      t->done_ticks = ts_time_add(t->done_ticks, t->seg_total);
      t->done_factors += t->seg_factor_sum;
    }
    if (!run->info.step_events || t->done_steps == t->total_steps || t->done_steps % 1000 == 0) {
      g_autofree char *name = g_strdup_printf("steps %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, first,
                                              t->done_steps - 1);
      run_emit_span(run, "accelerators", name, TS_PHASE_TRAIN, t->state_start, now);
    }
    start_checkpoint_or_next(t);
    return;
  }
  case STATE_CHECKPOINT:
    run_emit_span(run, "storage", "checkpoint", TS_PHASE_CHECKPOINT, t->state_start, now);
    if (t->spec.ckpt_async) {
      /* Reached only when waiting for the final asynchronous write (it has just committed). */
      train_next(t);
      return;
    }
    if (!commit_checkpoint(t, t->done_steps))
      return;
    t->state = STATE_STEPS; /* so an evaluation due at this boundary runs next */
    start_checkpoint_or_next(t);
    return;
  case STATE_EVAL:
    t->evals++;
    run->results.evaluations++;
    /* Summed in ticks, so the summary's total is exactly the eval spans' (no rounding drift per pass). */
    t->eval_done_ticks += now - t->state_start;
    run->results.eval_time_s = t->eval_base_s + ts_time_to_seconds(t->eval_done_ticks);
    run_emit_span(run, "accelerators", "eval", TS_PHASE_EVAL, t->state_start, now);
    train_next(t);
    return;
  case STATE_RESTART:
    run_emit_span(run, "accelerators", "restart", TS_PHASE_RESTART, t->state_start, now);
    train_next(t);
    return;
  }
}
