/* The cluster's run for several jobs (jobs.h): the schedule played on the run's engine, so that the outputs
 * (timeline samples, trace spans, the pool's bill) come from the same machinery as a single run's. */
#include "run/jobs.h"

#include <math.h>

#include "run/run-private.h"

struct TsClusterJobsPlay {
  TsClusterJobs *jobs;
  GPtrArray *spans; /* Span*, freed with the play */
};

typedef struct {
  TsRun *run;
  char *track; /* "job NAME" */
  char *name;
  TsPhaseKind kind;
  TsTime start, end;
  int job;     /* the job whose last stretch this is (its own costs are added at its end), or -1 */
} Span;

static void
span_free(gpointer p)
{
  Span *s = p;
  g_free(s->track);
  g_free(s->name);
  g_free(s);
}

void
ts_cluster_jobs_free(TsClusterJobs *jobs)
{
  if (jobs == NULL)
    return;
  for (guint i = 0; i < jobs->n_jobs; i++) {
    g_free(jobs->jobs[i].name);
    g_free(jobs->jobs[i].group);
  }
  g_free(jobs->jobs);
  ts_schedule_free(jobs->schedule);
  g_free(jobs);
}

void
run_jobs_free(struct TsClusterJobsPlay *play)
{
  if (play == NULL)
    return;
  ts_cluster_jobs_free(play->jobs);
  g_ptr_array_unref(play->spans);
  g_free(play);
}

const TsClusterJobs *
ts_run_get_jobs(TsRun *run)
{
  return run->jobs != NULL ? run->jobs->jobs : NULL;
}

static void
nothing(TsRun *run, void *data)
{
  (void) run;
  (void) data;
}

static void
provision_pool(TsEngine *engine, void *data)
{
  (void) engine;
  TsRun *run = data;
  GError *error = NULL;
  if (!ts_run_provision(run, run->cluster->accel.id, 0, "jobs", nothing, NULL, &error))
    run_stop(run, error);
}

static void
release_pool(TsEngine *engine, void *data)
{
  (void) engine;
  TsRun *run = data;
  GError *error = NULL;
  run->phase = "idle";
  if (!ts_run_release(run, run->cluster->accel.id, "jobs", nothing, NULL, &error))
    run_stop(run, error);
}

static void
span_end(TsEngine *engine, void *data)
{
  (void) engine;
  Span *s = data;
  TsRun *run = s->run;
  run_record_phase(run, s->kind, s->name, s->start, s->end);
  /* Goodput of the pool (run/goodput.c): wall time when some job holds its devices counts as productive, the
   * rest is idle; what each job did with its devices is its own (jobs[]: held_s, lost_s), not split here.
   * Overlapping jobs count once (goodput.c caps the steps at the time the job spans cover). */
  if (s->kind == TS_PHASE_TRAIN)
    run->kept_step_ticks += s->end - s->start;
  run_emit_span(run, s->track, s->name, s->kind, s->start, s->end);
  if (s->job >= 0) {
    /* The job's own costs (its storage, downloads, other machines) count from its end: the cluster's cost
     * counter then ends at the sum the summary states. */
    const TsJobResult *j = &run->jobs->jobs->jobs[s->job];
    run->jobs_host_usd += j->own_host_usd;
    run->storage_bill.spent += j->own_storage_usd;
    run->results.cost_network += j->own_network_usd;
    run_emit_sample(run);
  }
}

static void
busy_change(TsEngine *engine, void *data)
{
  (void) engine;
  TsRun *run = data;
  const GArray *busy = run->jobs->jobs->schedule->busy;
  TsTime now = ts_engine_get_now(run->engine);
  guint n = 0;
  for (guint i = 0; i < busy->len; i++) {
    const TsBusyPoint *p = &g_array_index(busy, TsBusyPoint, i);
    if (ts_time_from_seconds(p->time_s) <= now)
      n = p->busy;
  }
  run->phase = n > 0 ? "jobs" : "idle";
  /* The pool's devices draw at work in proportion to those the jobs hold (energy.c). */
  guint pool = run->cluster->accel.devices;
  run_energy_set_activity(run, pool > 0 ? (double) MIN(n, pool) / pool : 0, TS_TIME_MAX);
  run_emit_sample(run);
}

/* The cost counter moves through every span, as through a single run's phases (run_meter_start). */
static void
span_start(TsEngine *engine, void *data)
{
  (void) engine;
  Span *s = data;
  run_meter_start(s->run, ts_time_to_seconds(s->end - s->start), s->end);
}

static void
add_span(TsRun *run, const char *job_name, const char *name, TsPhaseKind kind, double start_s, double end_s, int job)
{
  Span *s = g_new0(Span, 1);
  s->run = run;
  s->track = g_strdup_printf("job %s", job_name);
  s->name = g_strdup(name);
  s->kind = kind;
  s->start = ts_time_from_seconds(start_s);
  s->end = ts_time_from_seconds(end_s);
  s->job = job;
  g_ptr_array_add(run->jobs->spans, s);
  if (s->end > s->start)
    ts_engine_schedule(run->engine, s->start, TS_PRIORITY_DEFAULT + 2, span_start, s);
  ts_engine_schedule(run->engine, s->end, TS_PRIORITY_COMPLETE, span_end, s);
}

void
ts_run_play_jobs(TsRun *run, TsClusterJobs *jobs)
{
  g_return_if_fail(run->jobs == NULL && run->cluster != NULL);
  run->jobs = g_new0(struct TsClusterJobsPlay, 1);
  run->jobs->jobs = jobs;
  run->jobs->spans = g_ptr_array_new_with_free_func(span_free);
  const TsSchedule *s = jobs->schedule;
  /* Attribution: a job pays its devices' share of the pool's rate for every second it held them (work lost to
   * a preemption included), plus its own costs; what no job held is the idle capacity the pool still bills. */
  double rate = NAN;
  for (guint i = 0; i < run->billables->len; i++) {
    const TsBillable *b = &g_array_index(run->billables, TsBillable, i);
    if (b->id == run->cluster->accel.id)
      rate = b->rate;
  }
  guint billed = run->cluster->accel.devices; /* the pool and its spares */
  jobs->devices = billed - MIN(billed, jobs->spare_devices);
  jobs->device_usd_per_s = billed > 0 ? rate / billed : NAN;
  jobs->billed_device_s = s->makespan_s * billed;
  jobs->idle_device_s = MAX(0.0, jobs->billed_device_s - s->busy_device_s);
  jobs->idle_usd = jobs->idle_device_s * jobs->device_usd_per_s;
  jobs->utilisation = jobs->billed_device_s > 0 ? s->busy_device_s / jobs->billed_device_s : 0;
  for (guint i = 0; i < jobs->n_jobs; i++) {
    TsJobResult *j = &jobs->jobs[i];
    j->cost_usd = s->jobs[i].held_s * j->devices * jobs->device_usd_per_s + j->own_host_usd + j->own_storage_usd +
                  j->own_network_usd;
  }
  /* Each job's datasets and checkpoints are its run's alone; their sum over the schedule (who holds what when,
   * preemptions redoing work) is not composed, so the pool's storage and checkpoint count are unknown, not the
   * nothing the pool's own run stored.  Each job's storage bill is in its cost. */
  run->results.peak_storage = NAN;
  ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "goodput-of-the-pool", "several jobs: goodput counts the wall time "
                        "when some job holds devices as productive and the rest as idle; each job's queue wait, held "
                        "time and work lost to preemptions are in jobs[]");
  ts_engine_schedule(run->engine, 0, TS_PRIORITY_DEFAULT, provision_pool, run);
  for (guint i = 0; i < s->busy->len; i++)
    ts_engine_schedule(run->engine, ts_time_from_seconds(g_array_index(s->busy, TsBusyPoint, i).time_s),
                       TS_PRIORITY_DEFAULT + 1, busy_change, run);
  for (guint i = 0; i < jobs->n_jobs; i++) {
    const TsJobResult *j = &jobs->jobs[i];
    const TsJobOutcome *o = &s->jobs[i];
    g_autofree char *queued = g_strdup_printf("%s queued", j->name);
    g_autofree char *stopped = g_strdup_printf("%s preempted", j->name);
    if (o->queued_s > 0)
      add_span(run, j->name, queued, TS_PHASE_WAIT, j->arrival_s, o->start_s, -1);
    for (guint r = 0; r < o->runs->len; r++) {
      const TsInterval *iv = &g_array_index(o->runs, TsInterval, r);
      g_autofree char *name = r == 0 ? g_strdup(j->name) : g_strdup_printf("%s (run %u)", j->name, r + 1);
      add_span(run, j->name, name, TS_PHASE_TRAIN, iv->start_s, iv->end_s, r + 1 == o->runs->len ? (int) i : -1);
      if (r + 1 < o->runs->len) {
        const TsInterval *next = &g_array_index(o->runs, TsInterval, r + 1);
        add_span(run, j->name, stopped, TS_PHASE_WAIT, iv->end_s, next->start_s, -1);
      }
    }
    if (!j->feasible)
      run->results.feasible = FALSE;
    run->results.peak_device = MAX(run->results.peak_device, j->peak_device);
    run->results.network_cost_modelled = run->results.network_cost_modelled || j->own_network_modelled;
    /* The jobs' failures are the cluster's: random draws make the whole schedule one draw among many, so a run
     * without --replicas reports a replica set over them (cli/cmd-run.c) and the wall time's range. */
    if (j->failures_modelled) {
      run->results.failures_modelled = TRUE;
      run->results.failures += j->failures;
      run->results.failures_expected += j->failures_expected;
      run->results.lost_time_s += j->lost_s_alone;
    }
  }
  /* The forecast's band and calibration are those of the jobs' runs alone (one accelerator, so one generation;
   * the widest where the jobs' workloads differ).  Only the labels: the band is not carried through the schedule
   * (band_error stays 0, and the range says why). */
  const TsJobResult *widest = NULL;
  for (guint i = 0; i < jobs->n_jobs; i++) {
    const TsJobResult *j = &jobs->jobs[i];
    if (j->error_band != NULL && (widest == NULL || j->band_error > widest->band_error))
      widest = j;
  }
  if (widest != NULL) {
    run->results.error_band = widest->error_band;
    run->results.calibration = widest->calibration;
  }
  ts_engine_schedule(run->engine, ts_time_from_seconds(s->makespan_s), TS_PRIORITY_COMPLETE + 1, release_pool, run);
}
