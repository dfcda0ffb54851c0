/* The scheduler (scheduler.h): a fluid event loop over job arrivals and the ends of the stretches of each
 * job's timeline.  Between two events nothing changes: each running job advances along its timeline alone at
 * a constant speed, 1 unless it reads from the shared storage, where the running readers split the read
 * bandwidth max-min fairly (a job never gets more than it reads alone) and advance at share / demand. */
#include "resources/scheduler.h"

#include <math.h>

#include "common/ts-error.h"

/* Two event times closer than this (seconds) are one instant: rates times durations do not land exactly. */
#define EPS 1e-9

static const char *const kind_names[TS_SCHEDULER_COUNT] = {"fifo", "priority", "priority-preempt", "fair"};

const char *
ts_scheduler_kind_get_name(TsSchedulerKind kind)
{
  return kind < TS_SCHEDULER_COUNT ? kind_names[kind] : "?";
}

gboolean
ts_scheduler_kind_from_name(const char *name, TsSchedulerKind *kind)
{
  for (guint i = 0; i < TS_SCHEDULER_COUNT; i++)
    if (g_strcmp0(name, kind_names[i]) == 0) {
      *kind = (TsSchedulerKind) i;
      return TRUE;
    }
  return FALSE;
}

typedef enum { JOB_FUTURE, JOB_WAITING, JOB_RUNNING, JOB_DONE } JobState;

typedef struct {
  const TsJobSpec *spec;
  guint index;
  JobState state;
  guint seg;          /* current segment */
  double seg_left;    /* seconds of its timeline left in it */
  double pos;         /* seconds of its timeline done */
  double penalty;     /* restart seconds left before work resumes */
  double rate;        /* timeline seconds per wall second, now */
  double run_start;
  gboolean started;
  guint group;        /* index of its group in Loop.usage */
} Job;

typedef struct {
  TsSchedulerKind kind;
  guint pool, free;
  double read_bps;
  Job *jobs;
  guint n;
  double *usage; /* device-seconds held so far, per group */
  double now;
  TsSchedule *out;
} Loop;

static gboolean
check_specs(guint pool, const TsJobSpec *jobs, guint n, GError **error)
{
  for (guint i = 0; i < n; i++) {
    const TsJobSpec *j = &jobs[i];
    const char *name = j->name ? j->name : "(unnamed)";
    if (j->devices == 0 || j->devices > pool) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "job %s: asks for %u devices; the cluster has %u (a job runs "
                  "on all its devices at once, so it could never start)", name, j->devices, pool);
      return FALSE;
    }
    if (!(j->arrival_s >= 0) || !isfinite(j->arrival_s) || !(j->restart_s >= 0) || !isfinite(j->restart_s)) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "job %s: arrival and restart must be finite and not "
                  "negative, got %g and %g s", name, j->arrival_s, j->restart_s);
      return FALSE;
    }
    for (guint s = 0; s < j->n_segments; s++)
      if (!(j->segments[s].duration_s >= 0) || !isfinite(j->segments[s].duration_s) ||
          !(j->segments[s].read_bps >= 0) || !isfinite(j->segments[s].read_bps)) {
        g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "job %s: segment %u has an invalid length or read rate",
                    name, s);
        return FALSE;
      }
  }
  return TRUE;
}

static void
note_busy(Loop *l)
{
  guint busy = l->pool - l->free;
  GArray *b = l->out->busy;
  TsBusyPoint *last = b->len ? &g_array_index(b, TsBusyPoint, b->len - 1) : NULL;
  if (last != NULL && last->busy == busy)
    return;
  if (last != NULL && last->time_s == l->now) {
    last->busy = busy;
    return;
  }
  TsBusyPoint p = {l->now, busy};
  g_array_append_val(b, p);
}

/* Skip finished segments; the job is done past the last one. */
static gboolean
settle_segment(Job *j)
{
  while (j->seg < j->spec->n_segments && j->seg_left <= EPS) {
    j->seg++;
    j->seg_left = j->seg < j->spec->n_segments ? j->spec->segments[j->seg].duration_s : 0;
  }
  return j->seg >= j->spec->n_segments;
}

/* Put the job's timeline back to `pos`: the segment holding it and what is left of that segment. */
static void
seek(Job *j, double pos)
{
  j->pos = pos;
  j->seg = 0;
  double at = 0;
  while (j->seg < j->spec->n_segments && at + j->spec->segments[j->seg].duration_s <= pos + EPS) {
    at += j->spec->segments[j->seg].duration_s;
    j->seg++;
  }
  j->seg_left = j->seg < j->spec->n_segments ? at + j->spec->segments[j->seg].duration_s - pos : 0;
}

static void
finish_job(Loop *l, Job *j)
{
  TsJobOutcome *o = &l->out->jobs[j->index];
  TsInterval iv = {j->run_start, l->now};
  g_array_append_val(o->runs, iv);
  o->held_s += l->now - j->run_start;
  o->end_s = l->now;
  j->state = JOB_DONE;
  l->free += j->spec->devices;
}

static void
start_job(Loop *l, Job *j)
{
  TsJobOutcome *o = &l->out->jobs[j->index];
  if (!j->started) {
    j->started = TRUE;
    o->start_s = l->now;
    o->queued_s = l->now - j->spec->arrival_s;
  }
  j->state = JOB_RUNNING;
  j->run_start = l->now;
  l->free -= j->spec->devices;
}

/* The job stops and goes back to the queue; its work since the last checkpoint is lost. */
static void
preempt_job(Loop *l, Job *j)
{
  TsJobOutcome *o = &l->out->jobs[j->index];
  TsInterval iv = {j->run_start, l->now};
  g_array_append_val(o->runs, iv);
  o->held_s += l->now - j->run_start;
  o->preemptions++;
  double back = 0;
  for (guint c = 0; c < j->spec->n_checkpoints; c++)
    if (j->spec->checkpoints[c] <= j->pos + EPS)
      back = j->spec->checkpoints[c];
  o->lost_s += j->pos - back;
  seek(j, back);
  j->penalty = j->spec->restart_s;
  j->state = JOB_WAITING;
  l->free += j->spec->devices;
}

/* a before b in the queue? */
static gboolean
goes_first(const Loop *l, const Job *a, const Job *b)
{
  if (l->kind == TS_SCHEDULER_PRIORITY || l->kind == TS_SCHEDULER_PRIORITY_PREEMPT) {
    if (a->spec->priority != b->spec->priority)
      return a->spec->priority > b->spec->priority;
  } else if (l->kind == TS_SCHEDULER_FAIR && a->group != b->group) {
    double ua = l->usage[a->group], ub = l->usage[b->group];
    if (fabs(ua - ub) > EPS * MAX(1.0, MAX(ua, ub)))
      return ua < ub;
  }
  if (a->spec->arrival_s != b->spec->arrival_s)
    return a->spec->arrival_s < b->spec->arrival_s;
  return a->index < b->index;
}

static Job *
head_of_queue(Loop *l)
{
  Job *best = NULL;
  for (guint i = 0; i < l->n; i++) {
    Job *j = &l->jobs[i];
    if (j->state == JOB_WAITING && (best == NULL || goes_first(l, j, best)))
      best = j;
  }
  return best;
}

/* Lower-priority running jobs, lowest priority first and the latest started first among equals, are stopped
 * until `head` fits -- only if stopping all of them would make it fit. */
static gboolean
make_room(Loop *l, Job *head)
{
  guint could = l->free;
  for (guint i = 0; i < l->n; i++)
    if (l->jobs[i].state == JOB_RUNNING && l->jobs[i].spec->priority < head->spec->priority)
      could += l->jobs[i].spec->devices;
  if (could < head->spec->devices)
    return FALSE;
  while (l->free < head->spec->devices) {
    Job *victim = NULL;
    for (guint i = 0; i < l->n; i++) {
      Job *j = &l->jobs[i];
      if (j->state != JOB_RUNNING || j->spec->priority >= head->spec->priority)
        continue;
      if (victim == NULL || j->spec->priority < victim->spec->priority ||
          (j->spec->priority == victim->spec->priority &&
           (j->run_start > victim->run_start || (j->run_start == victim->run_start && j->index > victim->index))))
        victim = j;
    }
    preempt_job(l, victim);
  }
  return TRUE;
}

static void
place(Loop *l)
{
  for (;;) {
    Job *head = head_of_queue(l);
    if (head == NULL)
      return;
    if (head->spec->devices > l->free &&
        !(l->kind == TS_SCHEDULER_PRIORITY_PREEMPT && make_room(l, head)))
      return; /* gang scheduling without backfill: the head waits for all its devices */
    start_job(l, head);
  }
}

/* Max-min fair shares of the storage's read bandwidth among the running jobs that read now. */
static void
set_rates(Loop *l)
{
  guint readers = 0;
  for (guint i = 0; i < l->n; i++) {
    Job *j = &l->jobs[i];
    j->rate = 1;
    if (j->state == JOB_RUNNING && j->penalty <= 0 && j->seg < j->spec->n_segments &&
        j->spec->segments[j->seg].read_bps > 0 && l->read_bps > 0)
      readers++;
  }
  if (readers == 0)
    return;
  double left = l->read_bps;
  guint open = readers;
  gboolean *fixed = g_new0(gboolean, l->n);
  /* Water-filling: a reader that wants less than an equal split of what is left gets what it wants. */
  for (gboolean changed = TRUE; changed && open > 0;) {
    changed = FALSE;
    double share = left / open;
    for (guint i = 0; i < l->n; i++) {
      Job *j = &l->jobs[i];
      if (fixed[i] || j->state != JOB_RUNNING || j->penalty > 0 || j->seg >= j->spec->n_segments)
        continue;
      double want = j->spec->segments[j->seg].read_bps;
      if (want > 0 && want <= share) {
        fixed[i] = TRUE;
        left -= want;
        open--;
        changed = TRUE;
      }
    }
  }
  double share = open > 0 ? left / open : 0;
  for (guint i = 0; i < l->n; i++) {
    Job *j = &l->jobs[i];
    if (fixed[i] || j->state != JOB_RUNNING || j->penalty > 0 || j->seg >= j->spec->n_segments)
      continue;
    double want = j->spec->segments[j->seg].read_bps;
    if (want > 0)
      j->rate = share / want;
  }
  g_free(fixed);
}

/* Wall seconds until the running job's current stretch (restart or segment) ends. */
static double
time_to_next(const Job *j)
{
  if (j->penalty > 0)
    return j->penalty;
  return j->seg_left / j->rate;
}

static void
advance(Loop *l, double dt)
{
  for (guint i = 0; i < l->n; i++) {
    Job *j = &l->jobs[i];
    if (j->state != JOB_RUNNING)
      continue;
    l->usage[j->group] += dt * j->spec->devices;
    l->out->busy_device_s += dt * j->spec->devices;
    if (j->penalty > 0) {
      j->penalty = j->penalty - dt <= EPS ? 0 : j->penalty - dt;
      continue;
    }
    double step = dt * j->rate;
    j->seg_left = j->seg_left - step <= EPS * MAX(1.0, step) ? 0 : j->seg_left - step;
    j->pos += step;
  }
  l->now += dt;
}

TsSchedule *
ts_schedule_compute(TsSchedulerKind kind, guint pool_devices, double storage_read_bps, const TsJobSpec *jobs,
                    guint n_jobs, GError **error)
{
  if (!check_specs(pool_devices, jobs, n_jobs, error))
    return NULL;
  TsSchedule *out = g_new0(TsSchedule, 1);
  out->n_jobs = n_jobs;
  out->jobs = g_new0(TsJobOutcome, n_jobs);
  out->busy = g_array_new(FALSE, FALSE, sizeof(TsBusyPoint));
  Loop l = {kind, pool_devices, pool_devices, storage_read_bps > 0 && isfinite(storage_read_bps) ? storage_read_bps : 0,
            g_new0(Job, n_jobs), n_jobs, g_new0(double, n_jobs), 0, out};
  g_autoptr(GHashTable) groups = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < n_jobs; i++) {
    Job *j = &l.jobs[i];
    j->spec = &jobs[i];
    j->index = i;
    j->state = JOB_FUTURE;
    seek(j, 0);
    out->jobs[i].runs = g_array_new(FALSE, FALSE, sizeof(TsInterval));
    const char *g = jobs[i].group;
    gpointer at;
    if (g == NULL) {
      j->group = i;
    } else if (g_hash_table_lookup_extended(groups, g, NULL, &at)) {
      j->group = GPOINTER_TO_UINT(at);
    } else {
      j->group = i;
      g_hash_table_insert(groups, (gpointer) g, GUINT_TO_POINTER(i));
    }
  }
  note_busy(&l);
  guint done = 0;
  while (done < n_jobs) {
    for (guint i = 0; i < n_jobs; i++)
      if (l.jobs[i].state == JOB_FUTURE && l.jobs[i].spec->arrival_s <= l.now + EPS)
        l.jobs[i].state = JOB_WAITING;
    /* Jobs whose timeline is empty, or ends now, are done as soon as they start. */
    for (gboolean again = TRUE; again;) {
      again = FALSE;
      place(&l);
      for (guint i = 0; i < n_jobs; i++) {
        Job *j = &l.jobs[i];
        if (j->state == JOB_RUNNING && j->penalty <= 0 && settle_segment(j)) {
          finish_job(&l, j);
          done++;
          again = TRUE;
        }
      }
    }
    note_busy(&l);
    if (done == n_jobs)
      break;
    set_rates(&l);
    double dt = INFINITY;
    for (guint i = 0; i < n_jobs; i++) {
      const Job *j = &l.jobs[i];
      if (j->state == JOB_FUTURE)
        dt = MIN(dt, j->spec->arrival_s - l.now);
      else if (j->state == JOB_RUNNING)
        dt = MIN(dt, time_to_next(j));
    }
    g_assert(isfinite(dt)); /* something is running or will arrive: every job fits the pool */
    advance(&l, MAX(dt, 0));
  }
  out->makespan_s = l.now;
  g_free(l.jobs);
  g_free(l.usage);
  return out;
}

void
ts_schedule_free(TsSchedule *schedule)
{
  if (schedule == NULL)
    return;
  for (guint i = 0; i < schedule->n_jobs; i++)
    g_array_unref(schedule->jobs[i].runs);
  g_free(schedule->jobs);
  g_array_unref(schedule->busy);
  g_free(schedule);
}
