/* The scheduler (scheduler.h): a fluid event loop over job arrivals and the ends of the stretches of each
 * job's timeline.  Between two events nothing changes: each running job advances along its timeline alone at
 * a constant speed, 1 unless its stretch uses a shared link that the running jobs together would overfill;
 * then the links' bandwidth is split max-min fairly (a job never gets more than it uses alone) and the job
 * advances at the share its tightest link gives it over what it uses there alone (set_rates). */
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
  gboolean open;      /* set_rates: its stretch uses shared links */
  guint next_failure; /* index of its next node failure */
  double run_start;
  gboolean started;
  guint group;        /* index of its group in Loop.usage */
} Job;

typedef struct {
  TsSchedulerKind kind;
  guint pool, free;
  const TsSharedLink *links;
  guint n_links;
  Job *jobs;
  guint n;
  double *usage; /* device-seconds held so far, per group */
  double now;
  TsSchedule *out;
  double *left, *level; /* set_rates' scratch, per link */
  gboolean *exact;
  double *wants;         /* set_rates' scratch, per job */
  guint spares_free;
  double repair_s;       /* 0: no spare pool */
  GArray *repairs;       /* double: when each node out for repair is back, ascending */
} Loop;

static gboolean
check_specs(guint pool, const TsSharedLink *links, guint n_links, const TsJobSpec *jobs, guint n, GError **error)
{
  for (guint k = 0; k < n_links; k++)
    if (!(links[k].bps > 0) || !isfinite(links[k].bps)) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "shared link %s: expected a bandwidth above 0, got %g B/s",
                  links[k].name ? links[k].name : "(unnamed)", links[k].bps);
      return FALSE;
    }
  for (guint i = 0; i < n; i++) {
    const TsJobSpec *j = &jobs[i];
    const char *name = j->name ? j->name : "(unnamed)";
    for (guint f = 0; f < j->n_node_failures; f++)
      if (!(j->node_failures[f] >= 0) || !isfinite(j->node_failures[f]) ||
          (f > 0 && j->node_failures[f] < j->node_failures[f - 1])) {
        g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "job %s: node failure %u is not at a position after the last",
                    name, f);
        return FALSE;
      }
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
    for (guint s = 0; s < j->n_segments; s++) {
      const TsJobSegment *g = &j->segments[s];
      gboolean ok = g->duration_s >= 0 && isfinite(g->duration_s) && (g->n_uses == 0 || g->uses != NULL);
      for (guint u = 0; ok && u < g->n_uses; u++) {
        ok = g->uses[u].link < n_links && g->uses[u].bps >= 0 && isfinite(g->uses[u].bps);
        for (guint v = 0; ok && v < u; v++) /* one use per link: the rates are per link */
          ok = g->uses[v].link != g->uses[u].link;
      }
      if (!ok) {
        g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "job %s: segment %u has an invalid length or use of a "
                    "shared link", name, s);
        return FALSE;
      }
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
  /* Replayed from `pos`, the timeline's node failures after it strike again. */
  j->next_failure = 0;
  while (j->next_failure < j->spec->n_node_failures && j->spec->node_failures[j->next_failure] <= pos + EPS)
    j->next_failure++;
}

/* One of the job's nodes fails at its position now: nodes back from repair rejoin the spares, the failed node goes
 * out for the repair time, and the job takes a free spare or waits (holding its devices) for the first node back
 * (the same rule as one job's spares, run/train-failure.c). */
static void
node_failure(Loop *l, Job *j)
{
  TsJobOutcome *o = &l->out->jobs[j->index];
  j->next_failure++;
  o->node_failures++;
  if (!(l->repair_s > 0))
    return;
  guint back = 0;
  while (back < l->repairs->len && g_array_index(l->repairs, double, back) <= l->now + EPS)
    back++;
  l->spares_free += back;
  g_array_remove_range(l->repairs, 0, back);
  double out = l->now + l->repair_s;
  g_array_append_val(l->repairs, out); /* repairs take the same time: they come back in the order they went */
  if (l->spares_free > 0) {
    l->spares_free--;
    return;
  }
  double first = g_array_index(l->repairs, double, 0);
  g_array_remove_index(l->repairs, 0);
  o->repair_waits++;
  o->repair_wait_s += first - l->now;
  j->penalty += first - l->now;
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

static int
cmp_double(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* What the job's current stretch moves over link k alone (0: it does not use it). */
static double
use_of(const Job *j, guint k)
{
  const TsJobSegment *g = &j->spec->segments[j->seg];
  for (guint u = 0; u < g->n_uses; u++)
    if (g->uses[u].link == k)
      return g->uses[u].bps;
  return 0;
}

/* Water level of one link: the largest share such that the demands above it, cut to it, and the others whole
 * fill `capacity` (INFINITY when all the demands fit).  Sorts `wants`. */
static double
water_level(double *wants, guint m, double capacity)
{
  double sum = 0;
  for (guint x = 0; x < m; x++)
    sum += wants[x];
  if (m == 0 || sum <= capacity * (1 + EPS))
    return INFINITY;
  qsort(wants, m, sizeof(double), cmp_double);
  double rem = MAX(0.0, capacity);
  for (guint x = 0; x < m; x++) {
    double share = rem / (m - x);
    if (wants[x] > share)
      return share;
    rem -= wants[x];
  }
  return INFINITY;
}

/* The running jobs' rates.  Every link splits its bandwidth max-min fairly among the jobs on it (a job that
 * wants less than an equal split gets what it wants, the others an equal share of the rest); a job advances at
 * the rate its tightest link gives it (share / what it uses there alone, at most 1) and uses every link in that
 * proportion, so a job slowed by one link leaves the others more for the jobs there.  Computed in rounds: each
 * round gives every link the water level of the jobs still open on it (their whole uses, against what the
 * settled jobs leave), and settles every job on a link where the level is exact -- a link that is overfilled and
 * on which every open job gets its rate from this link or is not limited at all.  If no link is exact (the open
 * jobs' tightest links form a cycle), the jobs with the lowest rate are settled at it, which may give them a
 * little less than their fair share.  One link per job, or one link for all, settles in one round. */
static void
set_rates(Loop *l)
{
  guint open = 0;
  for (guint i = 0; i < l->n; i++) {
    Job *j = &l->jobs[i];
    j->rate = 1;
    j->open = j->state == JOB_RUNNING && j->penalty <= 0 && j->seg < j->spec->n_segments &&
              j->spec->segments[j->seg].n_uses > 0;
    open += j->open;
  }
  guint K = l->n_links;
  if (open == 0 || K == 0)
    return;
  double *left = l->left, *level = l->level;
  gboolean *exact = l->exact;
  for (guint k = 0; k < K; k++)
    left[k] = l->links[k].bps;
  while (open > 0) {
    gboolean overfilled = FALSE;
    for (guint k = 0; k < K; k++) {
      guint m = 0;
      for (guint i = 0; i < l->n; i++) {
        double w = l->jobs[i].open ? use_of(&l->jobs[i], k) : 0;
        if (w > 0)
          l->wants[m++] = w;
      }
      level[k] = water_level(l->wants, m, left[k]);
      overfilled = overfilled || isfinite(level[k]);
    }
    if (!overfilled)
      break; /* the open jobs fit everywhere: rate 1 */
    double lowest = 1;
    for (guint i = 0; i < l->n; i++) {
      Job *j = &l->jobs[i];
      if (!j->open)
        continue;
      const TsJobSegment *g = &j->spec->segments[j->seg];
      j->rate = 1;
      for (guint u = 0; u < g->n_uses; u++)
        if (g->uses[u].bps > 0 && isfinite(level[g->uses[u].link]))
          j->rate = MIN(j->rate, level[g->uses[u].link] / g->uses[u].bps);
      lowest = MIN(lowest, j->rate);
    }
    gboolean any = FALSE;
    for (guint k = 0; k < K; k++) {
      exact[k] = isfinite(level[k]);
      for (guint i = 0; i < l->n && exact[k]; i++) {
        const Job *j = &l->jobs[i];
        double w = j->open ? use_of(j, k) : 0;
        if (w > 0)
          exact[k] = fabs(j->rate - MIN(1.0, level[k] / w)) <= 1e-12 * MAX(1.0, j->rate);
      }
      any = any || exact[k];
    }
    for (guint i = 0; i < l->n; i++) {
      Job *j = &l->jobs[i];
      if (!j->open)
        continue;
      const TsJobSegment *g = &j->spec->segments[j->seg];
      gboolean settle = FALSE;
      for (guint u = 0; u < g->n_uses && !settle; u++)
        settle = any ? exact[g->uses[u].link] : j->rate <= lowest * (1 + 1e-12);
      if (!settle)
        continue;
      j->open = FALSE;
      open--;
      for (guint u = 0; u < g->n_uses; u++)
        left[g->uses[u].link] = MAX(0.0, left[g->uses[u].link] - j->rate * g->uses[u].bps);
    }
  }
  for (guint i = 0; i < l->n; i++)
    if (l->jobs[i].open)
      l->jobs[i].rate = 1;
}

/* Wall seconds until the running job's current stretch (restart or segment) ends. */
static double
time_to_next(const Job *j)
{
  if (j->penalty > 0)
    return j->penalty;
  double t = j->seg_left / j->rate;
  if (j->next_failure < j->spec->n_node_failures)
    t = MIN(t, MAX(0.0, j->spec->node_failures[j->next_failure] - j->pos) / j->rate);
  return t;
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
ts_schedule_compute(TsSchedulerKind kind, guint pool_devices, const TsSharedLink *links, guint n_links,
                    const TsSparePool *spares, const TsJobSpec *jobs, guint n_jobs, GError **error)
{
  if (!check_specs(pool_devices, links, n_links, jobs, n_jobs, error))
    return NULL;
  TsSchedule *out = g_new0(TsSchedule, 1);
  out->n_jobs = n_jobs;
  out->jobs = g_new0(TsJobOutcome, n_jobs);
  out->busy = g_array_new(FALSE, FALSE, sizeof(TsBusyPoint));
  Loop l = {kind, pool_devices, pool_devices, links, n_links, g_new0(Job, n_jobs), n_jobs, g_new0(double, n_jobs),
            0, out, g_new0(double, n_links), g_new0(double, n_links), g_new0(gboolean, n_links),
            g_new0(double, n_jobs), spares != NULL ? spares->nodes : 0,
            spares != NULL && spares->repair_s > 0 && isfinite(spares->repair_s) ? spares->repair_s : 0,
            g_array_new(FALSE, FALSE, sizeof(double))};
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
        while (j->state == JOB_RUNNING && j->penalty <= 0 && j->next_failure < j->spec->n_node_failures &&
               j->spec->node_failures[j->next_failure] <= j->pos + EPS)
          node_failure(&l, j);
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
  g_free(l.left);
  g_free(l.level);
  g_free(l.exact);
  g_array_unref(l.repairs);
  g_free(l.wants);
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
