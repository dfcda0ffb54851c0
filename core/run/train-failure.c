/* Failures: spot interruptions, the expected number of failures of a training, and what one does to it (the
 * work since the last committed checkpoint is lost, then a restart). */
#include "run/train-private.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>

/* Spot (and preemptible) capacity is taken back: the catalog's mean time between interruptions of one host
 * (sourced or derived, docs/devices.md "Spot interruptions") gives the job a rate of hosts / MTBF, since losing
 * any host stops the job.  FALSE when the run is spot and no rate is known (said in a diagnostic). */
gboolean
spot_preemption(Train *t, const char *where, double *rate)
{
  TsRun *run = t->run;
  const TsMachineGroup *a = &run->cluster->accel;
  if (a->owned || a->pricing != TS_PRICING_SPOT)
    return TRUE;
  double per_host = a->instance ? a->instance->preemption_mtbf_s : a->record->preemption_mtbf_s;
  const char *what = a->instance ? a->instance->name : a->record->sku;
  if (!(per_host > 0)) {
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "spot-rate-unknown",
                          "%s: spot capacity can be taken back at any time, but the catalog has no interruption rate "
                          "for %s: modelled without interruptions; give failures = { preemption = \"...\" }",
                          where, what);
    return FALSE;
  }
  guint hosts = a->nodes ? a->nodes : 1;
  *rate += hosts / per_host;
  g_autofree char *each = ts_format_duration(per_host);
  g_autofree char *job = ts_format_duration(per_host / hosts);
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "spot-preemption",
                        "%s: spot: one interruption every %s per host of %s (catalog), every %s for the job's %u host%s; "
                        "each restarts from the last checkpoint (failures.preemption overrides)",
                        where, each, what, job, hosts, hosts == 1 ? "" : "s");
  if (!t->spec.checkpoint)
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "spot-without-checkpoints",
                          "%s: spot without checkpoints: every interruption restarts training from its first step",
                          where);
  return TRUE;
}

/* The expected number of interruptions of this training, from the rates (not the seeded draw): Daly's (2006)
 * expected wall time T_w = M e^(R/M) (e^((tau+delta)/M) - 1) T_s / tau, with M the job's mean time between
 * failures, R the restart, tau the compute between checkpoints, delta a checkpoint write and T_s the
 * failure-free compute; failures strike at rate 1/M throughout, so E[N] = T_w / M.  Without checkpoints
 * tau = T_s and delta = 0.  /run/daly checks the simulation against T_w. */
double
expected_failures(const Train *t, double step_s)
{
  if (!(t->job_mtbf_s > 0))
    return 0;
  double m = t->job_mtbf_s;
  double ts = step_s * (double) t->total_steps;
  double tau = t->spec.checkpoint && t->ckpt_every > 0 ? step_s * (double) MIN(t->ckpt_every, t->total_steps) : ts;
  double delta = t->spec.checkpoint && !t->spec.ckpt_async ? ts_time_to_seconds(t->ckpt_ticks) : 0;
  double r = ts_time_to_seconds(t->restart_ticks);
  double tw = m * exp(r / m) * expm1((tau + delta) / m) * ts / tau;
  return tw / m;
}

/* Spares and repair (docs/model.md, "Spares and repair"): a device failure takes its node out until now + repair;
 * nodes back from repair by now rejoin the spares; the job takes a free spare, or else waits for the first node back
 * from repair (its own, with no spares) and takes it.  A preemption takes no node out.  Returns the wait. */
static TsTime
replace_node(Train *t, TsTime now)
{
  TsRun *run = t->run;
  TsResults *r = &run->results;
  if (t->repairs == NULL)
    return 0;
  /* Which kind of failure this is: drawn only when both can strike, from a stream of its own (the failure times
   * are the same with or without spares). */
  if (t->node_share < 1 && !(ts_rng_uniform(&run->repairs_rng) <= t->node_share))
    return 0;
  r->node_failures++;
  if (run->node_failure_log != NULL) {
    double at = ts_time_to_seconds(now);
    g_array_append_val(run->node_failure_log, at);
    return 0;
  }
  guint back = 0;
  while (back < t->repairs->len && g_array_index(t->repairs, TsTime, back) <= now)
    back++;
  t->spares_free += back;
  g_array_remove_range(t->repairs, 0, back);
  TsTime out = ts_time_add(now, ts_time_from_seconds(t->spec.repair_s));
  guint at = t->repairs->len; /* repairs take the same time: they come back in the order they went */
  g_array_insert_val(t->repairs, at, out);
  if (t->spares_free > 0) {
    t->spares_free--;
    return 0;
  }
  TsTime first = g_array_index(t->repairs, TsTime, 0);
  g_array_remove_index(t->repairs, 0);
  r->repair_waits++;
  r->repair_wait_s += ts_time_to_seconds(first - now);
  return first - now;
}

/* A job that fails again and again before it can commit a checkpoint never finishes (with failures far
 * more frequent than checkpoints, or restarts that take no time, it would loop for ever at one instant,
 * or until the end of simulated time): after this many failures in a row without progress the run is
 * declared infeasible. */
#define MAX_FRUITLESS_FAILURES 10000

void
on_failure(Train *t)
{
  TsRun *run = t->run;
  TsTime now = ts_engine_get_now(run->engine);
  run->results.failures++;
  if (t->committed_steps != t->committed_at_failure || run->results.failures == 1)
    t->fruitless_failures = 0;
  t->committed_at_failure = t->committed_steps;
  if (++t->fruitless_failures >= MAX_FRUITLESS_FAILURES) {
    g_autofree char *mtbf = ts_format_duration(t->job_mtbf_s);
    g_autofree char *restart = ts_format_duration(ts_time_to_seconds(t->restart_ticks));
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "no-progress", "%s: %u failures in a row before any checkpoint "
                          "was committed", t->where, MAX_FRUITLESS_FAILURES);
    run->results.feasible = FALSE;
    run_stop(run, g_error_new(TS_ERROR, TS_ERROR_INFEASIBLE, "%s: the run never finishes: %u failures in a row "
                                 "struck before a checkpoint could be committed (one failure every %s on average, "
                                 "restart %s); checkpoint more often or lower the failure rate", t->where,
                                 MAX_FRUITLESS_FAILURES, mtbf, restart));
    return;
  }
  if (t->state == STATE_STEPS) {
    /* Steps completed before the failure are gone with the rest of the uncommitted work. */
    g_autofree char *name = g_strdup_printf("steps %" G_GUINT64_FORMAT "- (lost)", t->done_steps);
    run_emit_span(run, "accelerators", name, TS_PHASE_TRAIN, t->state_start, now);
  }
  t->done_steps = t->committed_steps;
  t->done_ticks = t->committed_ticks;
  t->done_factors = t->committed_factors;
  if (t->async_event != 0) {
    ts_engine_cancel(run->engine, t->async_event);
    t->async_event = 0;
  }
  /* The job is down while it waits for a node: the next failure is drawn from the end of the wait (the same draw
   * either way, so a pool only shifts the failures after it). */
  TsTime wait = replace_node(t, now);
  t->next_failure = ts_time_add(ts_time_add(now, wait),
                                ts_time_from_seconds(ts_rng_exponential(&run->failures_rng, t->job_mtbf_s)));
  run->phase = "restart";
  run_emit_sample(run);
  arm(t, STATE_RESTART, ts_time_add(wait, t->restart_ticks));
}
