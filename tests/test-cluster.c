/* /cluster/...: the scheduler of several jobs on one pool (core/resources/scheduler.h), checked by hand:
 * FIFO order and waits, priority with and without preemption (the stopped job restarts from its last
 * checkpoint), fair shares between groups over time, gang scheduling, and fair shares of a storage's read
 * bandwidth.  Times below are in hours, converted once. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "resources/scheduler.h"
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
#include "output/summary.h"
#include "run/jobs.h"
#include "scenario/replicas.h"
#include "test-scenario.h"

#include <glib/gstdio.h>
#include <unistd.h>

#define H 3600.0

static void
assert_hours(double seconds, double hours)
{
  g_assert_cmpfloat_with_epsilon(seconds / H, hours, 1e-9);
}

/* One segment of `hours`, reading nothing. */
static TsJobSegment *
plain(double hours)
{
  TsJobSegment *s = g_new0(TsJobSegment, 1);
  s->duration_s = hours * H;
  return s;
}

static TsJobSpec
job(const char *name, double arrival_h, guint devices, double hours, int priority)
{
  TsJobSpec j = {0};
  j.name = name;
  j.arrival_s = arrival_h * H;
  j.devices = devices;
  j.priority = priority;
  j.segments = plain(hours);
  j.n_segments = 1;
  return j;
}

static void
free_specs(TsJobSpec *jobs, guint n)
{
  for (guint i = 0; i < n; i++)
    g_free((gpointer) jobs[i].segments);
}

/* A pool with one shared link, the storage's reads at `read_bps` (none when 0). */
static TsSchedule *
schedule(TsSchedulerKind kind, guint pool, double read_bps, TsJobSpec *jobs, guint n)
{
  g_autoptr(GError) error = NULL;
  TsSharedLink reads = {"storage reads", read_bps};
  TsSchedule *s = ts_schedule_compute(kind, pool, &reads, read_bps > 0 ? 1 : 0, NULL, jobs, n, &error);
  g_assert_no_error(error);
  g_assert_nonnull(s);
  return s;
}

/* Busy devices never exceed the pool, and at every change they equal the devices of the jobs holding theirs. */
static void
check_gang(const TsSchedule *s, const TsJobSpec *jobs, guint pool)
{
  for (guint b = 0; b < s->busy->len; b++) {
    const TsBusyPoint *p = &g_array_index(s->busy, TsBusyPoint, b);
    g_assert_cmpuint(p->busy, <=, pool);
    guint held = 0;
    for (guint i = 0; i < s->n_jobs; i++)
      for (guint r = 0; r < s->jobs[i].runs->len; r++) {
        const TsInterval *iv = &g_array_index(s->jobs[i].runs, TsInterval, r);
        if (iv->start_s <= p->time_s && p->time_s < iv->end_s)
          held += jobs[i].devices;
      }
    g_assert_cmpuint(held, ==, p->busy);
  }
}

/* FIFO: in arrival order; B and C start as A frees the pool.  Without backfill, a small job behind a large
 * one waits even where it would fit now (E waits behind D). */
static void
test_fifo_order(void)
{
  TsJobSpec jobs[] = {job("A", 0, 8, 1, 0), job("B", 0.5, 4, 1, 0), job("C", 0.6, 4, 0.5, 0)};
  TsSchedule *s = schedule(TS_SCHEDULER_FIFO, 8, 0, jobs, 3);
  assert_hours(s->jobs[0].start_s, 0);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[1].start_s, 1);
  assert_hours(s->jobs[1].queued_s, 0.5);
  assert_hours(s->jobs[1].end_s, 2);
  assert_hours(s->jobs[2].start_s, 1);
  assert_hours(s->jobs[2].queued_s, 0.4);
  assert_hours(s->jobs[2].end_s, 1.5);
  assert_hours(s->makespan_s, 2);
  /* 8 x 1 h + 4 x 1 h + 4 x 0.5 h of device time over 2 h x 8 devices. */
  assert_hours(s->busy_device_s, 14);
  check_gang(s, jobs, 8);
  ts_schedule_free(s);
  free_specs(jobs, 3);

  TsJobSpec hol[] = {job("D0", 0, 6, 1, 0), job("D", 0.1, 8, 1, 0), job("E", 0.2, 2, 0.1, 0)};
  s = schedule(TS_SCHEDULER_FIFO, 8, 0, hol, 3);
  assert_hours(s->jobs[1].start_s, 1);
  assert_hours(s->jobs[2].start_s, 2); /* 2 devices were free from 0.2 h, but D was first in the queue */
  assert_hours(s->jobs[2].queued_s, 1.8);
  assert_hours(s->jobs[2].end_s, 2.1);
  check_gang(s, hol, 8);
  ts_schedule_free(s);
  free_specs(hol, 3);
}

/* Priority without preemption: the running job finishes; the high-priority job then goes before the one that
 * arrived earlier. */
static void
test_priority(void)
{
  TsJobSpec jobs[] = {job("A", 0, 8, 1, 0), job("B", 0.1, 8, 1, 0), job("C", 0.2, 8, 1, 5)};
  TsSchedule *s = schedule(TS_SCHEDULER_PRIORITY, 8, 0, jobs, 3);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[2].start_s, 1);
  assert_hours(s->jobs[2].end_s, 2);
  assert_hours(s->jobs[1].start_s, 2);
  assert_hours(s->jobs[1].queued_s, 1.9);
  g_assert_cmpuint(s->jobs[0].preemptions, ==, 0);
  ts_schedule_free(s);
  /* FIFO keeps arrival order. */
  s = schedule(TS_SCHEDULER_FIFO, 8, 0, jobs, 3);
  assert_hours(s->jobs[1].start_s, 1);
  assert_hours(s->jobs[2].start_s, 2);
  ts_schedule_free(s);
  free_specs(jobs, 3);
}

/* Preemption: A (10 h, a checkpoint every hour, 15 min to restart) is stopped at 2.5 h by B (priority 5, 1 h).
 * A loses the half hour since its checkpoint at 2 h, restarts at 3.5 h, spends 0.25 h restarting and 8 h on
 * the rest: it ends at 11.75 h and held its devices 2.5 + 8.25 h. */
static void
test_priority_preempt(void)
{
  double ckpt[10];
  for (guint i = 0; i < 10; i++)
    ckpt[i] = (i + 1) * H;
  TsJobSpec jobs[] = {job("A", 0, 8, 10, 0), job("B", 2.5, 8, 1, 5)};
  jobs[0].checkpoints = ckpt;
  jobs[0].n_checkpoints = 10;
  jobs[0].restart_s = 0.25 * H;
  TsSchedule *s = schedule(TS_SCHEDULER_PRIORITY_PREEMPT, 8, 0, jobs, 2);
  assert_hours(s->jobs[1].start_s, 2.5);
  assert_hours(s->jobs[1].queued_s, 0);
  assert_hours(s->jobs[1].end_s, 3.5);
  g_assert_cmpuint(s->jobs[0].preemptions, ==, 1);
  assert_hours(s->jobs[0].lost_s, 0.5);
  g_assert_cmpuint(s->jobs[0].runs->len, ==, 2);
  const TsInterval *second = &g_array_index(s->jobs[0].runs, TsInterval, 1);
  assert_hours(second->start_s, 3.5);
  assert_hours(s->jobs[0].end_s, 11.75);
  assert_hours(s->jobs[0].held_s, 10.75);
  check_gang(s, jobs, 8);
  ts_schedule_free(s);

  /* Without checkpoints it starts over: 2.5 h lost, ends at 3.5 + 0.25 + 10 h. */
  jobs[0].n_checkpoints = 0;
  s = schedule(TS_SCHEDULER_PRIORITY_PREEMPT, 8, 0, jobs, 2);
  assert_hours(s->jobs[0].lost_s, 2.5);
  assert_hours(s->jobs[0].end_s, 13.75);
  ts_schedule_free(s);

  /* Not preemptive: B waits for A. */
  s = schedule(TS_SCHEDULER_PRIORITY, 8, 0, jobs, 2);
  assert_hours(s->jobs[1].start_s, 10);
  g_assert_cmpuint(s->jobs[0].preemptions, ==, 0);
  ts_schedule_free(s);

  /* Equal priority never preempts. */
  jobs[1].priority = 0;
  s = schedule(TS_SCHEDULER_PRIORITY_PREEMPT, 8, 0, jobs, 2);
  assert_hours(s->jobs[1].start_s, 10);
  ts_schedule_free(s);
  free_specs(jobs, 2);
}

/* Fair share: groups a and b each submit four 1-hour jobs on the whole pool at 0, a's first.  The group with
 * less device-time goes next, so they alternate and, at every even hour, each has held exactly half; FIFO
 * runs a's four first. */
static void
test_fair_share(void)
{
  TsJobSpec jobs[8];
  static const char *const names[] = {"a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4"};
  for (guint i = 0; i < 8; i++) {
    jobs[i] = job(names[i], 0, 8, 1, 0);
    jobs[i].group = i < 4 ? "a" : "b";
  }
  TsSchedule *s = schedule(TS_SCHEDULER_FAIR, 8, 0, jobs, 8);
  for (guint k = 0; k < 4; k++) {
    assert_hours(s->jobs[k].start_s, 2.0 * k);
    assert_hours(s->jobs[4 + k].start_s, 2.0 * k + 1);
  }
  for (double t = 2; t <= 8; t += 2) {
    double held[2] = {0, 0};
    for (guint i = 0; i < 8; i++) {
      double from = s->jobs[i].start_s / H, to = MIN(s->jobs[i].end_s / H, t);
      if (to > from)
        held[i / 4] += (to - from) * 8;
    }
    g_assert_cmpfloat_with_epsilon(held[0], held[1], 1e-9);
    g_assert_cmpfloat_with_epsilon(held[0] + held[1], t * 8, 1e-9);
  }
  ts_schedule_free(s);
  s = schedule(TS_SCHEDULER_FIFO, 8, 0, jobs, 8);
  for (guint i = 0; i < 8; i++)
    assert_hours(s->jobs[i].start_s, i);
  ts_schedule_free(s);
  free_specs(jobs, 8);
}

/* Gang scheduling: B needs 4 of 8 devices while A holds 6; it never starts on the 2 that are free, and starts
 * whole when A ends.  On a larger mix, held devices never pass the pool under any scheduler. */
static void
test_gang(void)
{
  TsJobSpec jobs[] = {job("A", 0, 6, 2, 0), job("B", 0, 4, 1, 0)};
  for (guint k = 0; k < TS_SCHEDULER_COUNT; k++) {
    TsSchedule *s = schedule((TsSchedulerKind) k, 8, 0, jobs, 2);
    assert_hours(s->jobs[1].start_s, 2);
    assert_hours(s->jobs[1].end_s, 3);
    check_gang(s, jobs, 8);
    ts_schedule_free(s);
  }
  free_specs(jobs, 2);

  TsJobSpec mix[24];
  char names[24][8];
  for (guint i = 0; i < 24; i++) {
    g_snprintf(names[i], sizeof names[i], "j%u", i);
    mix[i] = job(names[i], 0.25 * (i % 7), 1u + (i * 5) % 16, 0.5 + (i % 3), (int) (i % 4));
    mix[i].group = i % 2 ? "odd" : "even";
  }
  for (guint k = 0; k < TS_SCHEDULER_COUNT; k++) {
    TsSchedule *s = schedule((TsSchedulerKind) k, 16, 0, mix, 24);
    check_gang(s, mix, 16);
    for (guint i = 0; i < 24; i++) {
      g_assert_cmpfloat(s->jobs[i].start_s, >=, mix[i].arrival_s);
      g_assert_cmpfloat(s->jobs[i].end_s, <=, s->makespan_s);
    }
    ts_schedule_free(s);
  }
  free_specs(mix, 24);

  g_autoptr(GError) error = NULL;
  TsJobSpec big = job("big", 0, 9, 1, 0);
  g_assert_null(ts_schedule_compute(TS_SCHEDULER_FIFO, 8, NULL, 0, NULL, &big, 1, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "job big: asks for 9 devices; the cluster has 8"));
  free_specs(&big, 1);
}

/* Storage contention: two jobs that each read at 2 GB/s alone from a 2 GB/s storage get 1 GB/s each and take
 * twice as long.  Unequal demands: A wants 0.5 GB/s (under the equal split, so it gets it all), B the other
 * 1.5 GB/s; after A's hour B has done 0.75 h of its timeline and finishes the last 0.25 h alone. */
static void
test_storage_share(void)
{
  TsJobSpec jobs[] = {job("A", 0, 8, 1, 0), job("B", 0, 8, 1, 0)};
  TsLinkUse use[2] = {{0, 2e9}, {0, 2e9}};
  for (guint i = 0; i < 2; i++) {
    ((TsJobSegment *) jobs[i].segments)->uses = &use[i];
    ((TsJobSegment *) jobs[i].segments)->n_uses = 1;
  }
  TsSchedule *s = schedule(TS_SCHEDULER_FIFO, 16, 2e9, jobs, 2);
  assert_hours(s->jobs[0].end_s, 2);
  assert_hours(s->jobs[1].end_s, 2);
  ts_schedule_free(s);

  use[0].bps = 0.5e9;
  s = schedule(TS_SCHEDULER_FIFO, 16, 2e9, jobs, 2);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[1].end_s, 1.25);
  ts_schedule_free(s);

  /* One after the other (each needs the whole pool): no sharing. */
  use[0].bps = 2e9;
  jobs[0].devices = jobs[1].devices = 16;
  s = schedule(TS_SCHEDULER_FIFO, 16, 2e9, jobs, 2);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[1].end_s, 2);
  ts_schedule_free(s);
  free_specs(jobs, 2);
}

/* A checkpoint burst against a reader on one storage.  Reader A reads 1.5 GB/s alone for 1 h; writer B writes
 * 1 GB/s alone for 0.5 h; reads are limited to 2 GB/s, writes to 1 GB/s.  With separate read and write limits
 * (an object store) neither slows the other.  With 2 GB/s for reads and writes together (a file server), the
 * equal split is 1 GB/s each; B uses no more than that and gets it, A gets the other 1 GB/s of its 1.5: its steps
 * take 1.5 times as long while B writes (rate 2/3), so after 0.5 h it has done 1/3 h of its timeline and ends
 * at 0.5 + 2/3 h. */
static void
test_checkpoint_burst(void)
{
  TsJobSpec jobs[] = {job("A", 0, 8, 1, 0), job("B", 0, 8, 0.5, 0)};
  TsSharedLink links[] = {{"storage reads", 2e9}, {"storage writes", 1e9}, {"storage reads and writes", 2e9}};
  TsLinkUse reader[] = {{0, 1.5e9}, {2, 1.5e9}}, writer[] = {{1, 1e9}, {2, 1e9}};
  /* Separate limits: each uses its own direction only. */
  ((TsJobSegment *) jobs[0].segments)->uses = reader;
  ((TsJobSegment *) jobs[0].segments)->n_uses = 1;
  ((TsJobSegment *) jobs[1].segments)->uses = writer;
  ((TsJobSegment *) jobs[1].segments)->n_uses = 1;
  g_autoptr(GError) error = NULL;
  TsSchedule *s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, links, 2, NULL, jobs, 2, &error);
  g_assert_no_error(error);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[1].end_s, 0.5);
  ts_schedule_free(s);
  /* Both also on the shared link, which must then be given: a use of a link not given is refused. */
  ((TsJobSegment *) jobs[0].segments)->n_uses = 2;
  ((TsJobSegment *) jobs[1].segments)->n_uses = 2;
  s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, links, 2, NULL, jobs, 2, &error);
  g_assert_null(s);
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_clear_error(&error);
  s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, links, 3, NULL, jobs, 2, &error);
  g_assert_no_error(error);
  assert_hours(s->jobs[1].end_s, 0.5);
  assert_hours(s->jobs[0].end_s, 0.5 + 2.0 / 3.0);
  ts_schedule_free(s);
  free_specs(jobs, 2);
}

/* Two links, each job limited by a different one: the progressive filling lets a job slowed by one link use less
 * of the other.  Link X (1 GB/s) carries A (1 GB/s alone) and B (1 GB/s); link Y (1 GB/s) carries B (0.5 GB/s)
 * and C (1 GB/s).  On X the split is 0.5 each: A and B at rate 0.5.  B then uses 0.25 GB/s of Y, and C gets the
 * 0.75 GB/s left (not the 0.5 of an equal split that ignored B's slowdown): C ends at 4/3 h.  Then X is still
 * full and A and B go on at 0.5: each 1 h alone, they end at 2 h. */
static void
test_two_links(void)
{
  TsJobSpec jobs[] = {job("A", 0, 1, 1, 0), job("B", 0, 1, 1, 0), job("C", 0, 1, 1, 0)};
  TsSharedLink links[] = {{"X", 1e9}, {"Y", 1e9}};
  TsLinkUse a[] = {{0, 1e9}}, b[] = {{0, 1e9}, {1, 0.5e9}}, c[] = {{1, 1e9}};
  TsLinkUse *uses[] = {a, b, c};
  guint n[] = {1, 2, 1};
  for (guint i = 0; i < 3; i++) {
    ((TsJobSegment *) jobs[i].segments)->uses = uses[i];
    ((TsJobSegment *) jobs[i].segments)->n_uses = n[i];
  }
  g_autoptr(GError) error = NULL;
  TsSchedule *s = ts_schedule_compute(TS_SCHEDULER_FIFO, 3, links, 2, NULL, jobs, 3, &error);
  g_assert_no_error(error);
  assert_hours(s->jobs[0].end_s, 2);
  assert_hours(s->jobs[1].end_s, 2);
  assert_hours(s->jobs[2].end_s, 4.0 / 3.0);
  ts_schedule_free(s);
  free_specs(jobs, 3);
}

/* Spares shared by the jobs: one spare node, repairs of 10 h.  A and B each run 10 h alone on 8 of 16 devices;
 * one of A's nodes fails 2 h in, one of B's 3 h in.  A takes the spare at once; at 3 h it is in use and A's node is
 * out until 12 h, so B waits 9 h holding its devices and ends at 19 h.  With two spares nobody waits; with 1 h
 * repairs A's node is back at 3 h and B takes it.  Restarts are in each job's timeline alone, not here. */
static void
test_spares(void)
{
  double fa = 2 * H, fb = 3 * H;
  TsJobSpec jobs[] = {job("A", 0, 8, 10, 0), job("B", 0, 8, 10, 0)};
  jobs[0].node_failures = &fa;
  jobs[0].n_node_failures = 1;
  jobs[1].node_failures = &fb;
  jobs[1].n_node_failures = 1;
  TsSparePool pool = {1, 10 * H};
  g_autoptr(GError) error = NULL;
  TsSchedule *s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, NULL, 0, &pool, jobs, 2, &error);
  g_assert_no_error(error);
  assert_hours(s->jobs[0].end_s, 10);
  g_assert_cmpuint(s->jobs[0].repair_waits, ==, 0);
  g_assert_cmpuint(s->jobs[1].node_failures, ==, 1);
  g_assert_cmpuint(s->jobs[1].repair_waits, ==, 1);
  assert_hours(s->jobs[1].repair_wait_s, 9);
  assert_hours(s->jobs[1].end_s, 19);
  assert_hours(s->jobs[1].held_s, 19); /* it held its devices while it waited */
  ts_schedule_free(s);

  pool.nodes = 2;
  s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, NULL, 0, &pool, jobs, 2, &error);
  assert_hours(s->jobs[1].end_s, 10);
  ts_schedule_free(s);

  pool.nodes = 1;
  pool.repair_s = 1 * H;
  s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, NULL, 0, &pool, jobs, 2, &error);
  assert_hours(s->jobs[1].end_s, 10);
  g_assert_cmpuint(s->jobs[1].repair_waits, ==, 0);
  ts_schedule_free(s);

  /* Without a pool a node failure costs nothing here (its restart is in the timeline alone). */
  s = ts_schedule_compute(TS_SCHEDULER_FIFO, 16, NULL, 0, NULL, jobs, 2, &error);
  assert_hours(s->jobs[1].end_s, 10);
  g_assert_cmpuint(s->jobs[1].node_failures, ==, 1);
  ts_schedule_free(s);
  free_specs(jobs, 2);
}

static TsRegistry *registry;

static int
cmp_seconds(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A pool of 16 A100s reading 2 MB samples from a 2 GB/s bucket: at batch 1024 a step reads 2.048 GB in
 * 1.024 s, far longer than the devices' compute, so every job's steps are storage-bound alone. */
#define POOL \
  "local pool = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 16, per_node = 8, network = '200 Gbit/s', " \
  "price = '2 USD/device-hour' }, storage = bucket { read = '2 GB/s', write = '1 GB/s' }, scheduler = '%s' }\n" \
  "local data = dataset { name = 'shards', samples = 1024000, bytes = '2048 GB', kind = 'images' }\n" \
  "local function train(r) r:train { model = models.resnet50, data = data, batch = 1024, epochs = 1, " \
  "precision = 'bf16', checkpoint = { every = '100 steps' } } end\n"

static TsRun *
run_jobs(const char *scheduler, const char *jobs)
{
  g_autofree char *text = g_strdup_printf(POOL "%s", scheduler, jobs);
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  g_assert_nonnull(ts_run_get_jobs(run));
  return run;
}

/* Several jobs name the band and calibration of their runs alone (the headline of every summary does), and the
 * range says why it has none: the band is not carried through the schedule. */
static void
test_scenario_band(void)
{
  /* The summary names the scenario's file: keep its path alive while the run is printed. */
  g_autofree char *jobs_text = g_strdup_printf(POOL "job { cluster = pool, name = 'a', devices = 8, run = train }\n"
                                               "job { cluster = pool, name = 'b', devices = 8, run = train }\n", "fifo");
  g_autofree char *jobs_path = NULL;
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, jobs_text, NULL, &jobs_path, &error);
  g_assert_no_error(error);
  g_assert_nonnull(ts_run_get_jobs(run));
  g_autofree char *text = g_strdup_printf(POOL "run(pool, function(r) r:provision(pool.accelerator) train(r) "
                                          "r:release(pool.accelerator) end)\n", "fifo");
  TsRun *alone = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run), *one = ts_run_get_results(alone);
  g_assert_nonnull(one->error_band);
  g_assert_nonnull(one->calibration);
  g_assert_cmpstr(r->error_band, ==, one->error_band);
  g_assert_cmpstr(r->calibration, ==, one->calibration);
  const TsClusterJobs *c = ts_run_get_jobs(run);
  for (guint i = 0; i < c->n_jobs; i++)
    g_assert_cmpstr(c->jobs[i].calibration, ==, one->calibration);
  g_assert_cmpfloat(r->band_error, ==, 0); /* labels only: no band through the schedule */
  g_autofree char *buf = test_summary_text(run);
  g_assert_nonnull(strstr(buf, "not carried through a schedule of several jobs"));
  g_assert_null(strstr(buf, "no calibration.json"));
  g_assert_nonnull(strstr(buf, one->calibration));
  ts_run_free(alone);
  ts_run_free(run);
}

/* A diagnostic every job's run gives is said once, naming the jobs (the first three and a count of the rest), not
 * once per job: research-group-month.lua's 112 sweeps printed 112 copies of "no host CPU given". */
static guint
count_code(TsRun *run, const char *code, const TsDiagnostic **last)
{
  const GPtrArray *d = ts_run_get_diagnostics(run);
  guint n = 0;
  for (guint i = 0; i < d->len; i++) {
    const TsDiagnostic *x = g_ptr_array_index(d, i);
    if (g_strcmp0(x->code, code) == 0) {
      n++;
      *last = x;
    }
  }
  return n;
}

static void
test_scenario_diagnostics_once(void)
{
  const TsDiagnostic *x = NULL;
  TsRun *run = run_jobs("fifo", "job { cluster = pool, name = 'a', devices = 8, run = train }\n"
                                "job { cluster = pool, name = 'b', devices = 8, run = train }\n");
  g_assert_cmpuint(count_code(run, "input-not-modelled", &x), ==, 1);
  g_assert_true(g_str_has_prefix(x->message, "2 jobs (a, b): "));
  g_assert_nonnull(strstr(x->message, "no host CPU given"));
  ts_run_free(run);
  run = run_jobs("fifo", "for i = 1, 5 do job { cluster = pool, name = 'j' .. i, devices = 8, run = train } end\n");
  g_assert_cmpuint(count_code(run, "input-not-modelled", &x), ==, 1);
  g_assert_true(g_str_has_prefix(x->message, "5 jobs (j1, j2, j3 and 2 more): "));
  ts_run_free(run);
  run = run_jobs("fifo", "job { cluster = pool, name = 'alone', devices = 8, run = train }\n");
  g_assert_cmpuint(count_code(run, "input-not-modelled", &x), ==, 1);
  g_assert_true(g_str_has_prefix(x->message, "job alone: "));
  ts_run_free(run);
}

/* The pool's memory and storage are not composed from its jobs' (each job's run is alone): the summary says
 * unknown -- null storage peak and checkpoint count, "not modelled" -- and the timeline's memory and storage
 * cells are unknown, instead of the 0 B its own run held while the jobs wrote checkpoints (research-group-month:
 * "storage 0 B", "checkpoints 0" beside a storage bill, and a memory chart at 0 under a 21.6 GiB peak). */
static gboolean
count_samples(void *data, const TsSample *sample, GError **error)
{
  (void) error;
  guint *n = data;
  n[0]++;
  n[1] += isnan(sample->device_bytes) && isnan(sample->host_bytes) && isnan(sample->storage_bytes);
  return TRUE;
}

static void
test_scenario_pool_not_composed(void)
{
  g_autofree char *text = g_strdup_printf(POOL "job { cluster = pool, name = 'a', devices = 8, run = train }\n"
                                          "job { cluster = pool, name = 'b', arrival = '1 h', devices = 8, run = train }\n",
                                          "fifo");
  guint n[2] = {0, 0};
  TsSink sink = {n, count_samples, NULL};
  g_autoptr(GPtrArray) sinks = g_ptr_array_new();
  g_ptr_array_add(sinks, &sink);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.sinks = sinks;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, &opts, &path, &error);
  g_assert_no_error(error);
  const TsClusterJobs *c = ts_run_get_jobs(run);
  g_assert_cmpfloat(c->jobs[0].write_s, >, 0); /* the jobs did write checkpoints */
  g_assert_true(isnan(ts_run_get_results(run)->peak_storage));
  g_assert_cmpuint(n[0], >, 0);
  g_assert_cmpuint(n[1], ==, n[0]);
  g_autofree char *json = ts_summary_to_json(run);
  g_assert_nonnull(strstr(json, "\"storage\": null"));
  g_assert_nonnull(strstr(json, "\"checkpoints\": {\n    \"count\": null"));
  g_autofree char *buf = test_summary_text(run);
  g_assert_nonnull(strstr(buf, "  storage                not modelled"));
  g_assert_null(strstr(buf, "  storage                0 B"));
  ts_run_free(run);
}

/* Two storage-bound jobs at once each read at 1 GB/s, half of what they read alone, so their steps take twice
 * as long, and write their checkpoints at half the write bandwidth; a third, arriving after them, has the bucket
 * to itself and takes as long as alone. */
static void
test_scenario_storage_share(void)
{
  TsRun *run = run_jobs("fifo", "job { cluster = pool, name = 'a', devices = 8, run = train }\n"
                                "job { cluster = pool, name = 'b', devices = 8, run = train }\n"
                                "job { cluster = pool, name = 'c', arrival = '10 h', devices = 8, run = train }\n");
  const TsClusterJobs *c = ts_run_get_jobs(run);
  g_assert_cmpuint(c->n_jobs, ==, 3);
  const TsResults *r = ts_run_get_results(run);
  for (guint i = 0; i < 3; i++) {
    const TsJobResult *j = &c->jobs[i];
    /* Alone it reads the whole bucket's bandwidth: 2.048 GB per 1.024 s step. */
    g_assert_cmpfloat_with_epsilon(j->read_bps / 2e9, 1.0, 1e-9);
    g_assert_cmpfloat_with_epsilon(j->step_time_s, 1.024, 1e-9);
  }
  /* 1000 steps of 1.024 s: the steps alone take 1024 s; the rest of the job is its checkpoint writes, at the
   * bucket's 1 GB/s alone.  a and b run in step: they read together (half each) and write their checkpoints
   * together (half of the write bandwidth each; a bucket's reads and writes are separate limits). */
  const TsJobResult *a = &c->jobs[0];
  double reading = 1000 * 1.024, writing = a->write_s;
  g_assert_cmpfloat(writing, >, 0);
  g_assert_cmpfloat_with_epsilon(a->alone_s, reading + writing, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[0].end_s, 2 * reading + 2 * writing, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[1].end_s, 2 * reading + 2 * writing, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[2].end_s - c->schedule->jobs[2].start_s, c->jobs[2].alone_s, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[2].start_s, 36000, 1e-9);
  /* The pool is billed from 0 to the last end; jobs pay their devices' share while they held them. */
  g_assert_cmpfloat_with_epsilon(r->total_time_s, c->schedule->makespan_s, 1e-6);
  g_assert_cmpfloat_with_epsilon(r->cost_compute, 32.0 * r->total_time_s / 3600, 1e-6);
  double paid = 0;
  for (guint i = 0; i < 3; i++)
    paid += c->jobs[i].cost_usd;
  g_assert_cmpfloat_with_epsilon(paid + c->idle_usd, r->cost_compute, 1e-6);
  ts_run_free(run);
}

/* A checkpoint burst slows another job's reads, end to end.  On a file system (reads and writes share one
 * throughput capacity: 2 GB/s, the larger of read and write), job a reads 2 GB/s alone through all of its
 * 1,024 s of steps and writes no checkpoint; job b (a 350 M-parameter GPT on tokens) writes a checkpoint every 20
 * steps at the 1 GB/s write bandwidth and reads almost nothing.  b never wants more than an equal split, so it
 * runs as alone and ends first.  While b writes, a gets the other 1 GB/s of its 2: rate 1/2.  While b steps, a
 * gets 2 GB/s less what b reads.  Otherwise a has it all.  So by b's end a has done 0.5 W + (1 - b's read / 2 GB/s)
 * S + (b alone - W - S) of its timeline (W: b's writes, S: its steps), and ends when the rest is done at rate 1.
 * On a bucket (separate read and write limits) b's writes do not slow a. */
#define BURST \
  "local tokens = dataset { name = 'tokens', samples = 100000000, bytes = '800 GB', kind = 'tokens' }\n" \
  "job { cluster = pool, name = 'a', devices = 8, run = function(r) r:train { model = models.resnet50, data = data, " \
  "batch = 1024, epochs = 1, precision = 'bf16' } end }\n" \
  "job { cluster = pool, name = 'b', devices = 8, run = function(r) r:train { model = models.gpt { layers = 24, " \
  "width = 1024, heads = 16, seq = 2048, vocab = 50257 }, data = tokens, batch = 64, steps = 200, precision = 'bf16', " \
  "optimizer = 'adamw', checkpoint = { every = '20 steps' } } end }\n"

static TsRun *
run_burst(const char *storage)
{
  g_autofree char *text = g_strdup_printf(
    "local pool = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 16, per_node = 8, network = "
    "'200 Gbit/s', price = '2 USD/device-hour' }, storage = %s, scheduler = 'fifo' }\n"
    "local data = dataset { name = 'shards', samples = 1024000, bytes = '2048 GB', kind = 'images' }\n" BURST, storage);
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  return run;
}

static void
test_scenario_checkpoint_burst(void)
{
  TsRun *run = run_burst("filesystem { read = '2 GB/s', write = '1 GB/s' }");
  const TsClusterJobs *c = ts_run_get_jobs(run);
  const TsJobResult *a = &c->jobs[0], *b = &c->jobs[1];
  double reading = 1000 * 1.024;
  g_assert_cmpfloat_with_epsilon(a->alone_s, reading, 1e-6);
  g_assert_cmpfloat_with_epsilon(a->read_bps, 2e9, 1);
  g_assert_cmpfloat_with_epsilon(a->write_s, 0, 1e-12);
  double W = b->write_s, S = (double) b->steps * b->step_time_s, G = b->alone_s - W - S;
  g_assert_cmpfloat(W, >, 10);          /* 10 writes of 350 M x 12 bytes at 1 GB/s */
  g_assert_cmpfloat(b->read_bps, <, 1e7); /* a few MB/s of tokens */
  g_assert_cmpfloat(G, >=, -1e-6);
  g_assert_cmpfloat(b->alone_s, <, reading);
  const TsJobOutcome *oa = &c->schedule->jobs[0], *ob = &c->schedule->jobs[1];
  g_assert_cmpfloat_with_epsilon(ob->end_s, b->alone_s, 1e-6);
  double done = 0.5 * W + (1 - b->read_bps / 2e9) * S + G;
  g_assert_cmpfloat_with_epsilon(oa->end_s, b->alone_s + (reading - done), 1e-6);
  /* The burst costs a about half of b's writing time. */
  g_assert_cmpfloat(oa->end_s - reading, >, 0.5 * W);
  ts_run_free(run);

  run = run_burst("bucket { read = '2 GB/s', write = '1 GB/s' }");
  c = ts_run_get_jobs(run);
  a = &c->jobs[0];
  b = &c->jobs[1];
  S = (double) b->steps * b->step_time_s;
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[0].end_s, reading + S * b->read_bps / 2e9, 1e-6);
  ts_run_free(run);

  /* A bucket whose bandwidth is stated shares it like the file system. */
  run = run_burst("bucket { read = '2 GB/s', write = '1 GB/s', bandwidth = '2 GB/s' }");
  c = ts_run_get_jobs(run);
  b = &c->jobs[1];
  W = b->write_s;
  S = (double) b->steps * b->step_time_s;
  G = b->alone_s - W - S;
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[0].end_s, b->alone_s + reading - (0.5 * W + (1 - b->read_bps / 2e9) * S + G), 1e-6);
  ts_run_free(run);
}

/* Several downloads at once: jobs a and b fetch a 100 GB dataset from the same internet source ("web", 1 Gbit/s,
 * under the bucket's 1 GB/s write), c the same from another ("mirror").  Alone each takes 800 s; a and b together
 * get half the web link each and take 1,600 s; c, alone on its source and far under the bucket's writes, is not
 * slowed.  A job that arrives after a and b are done has the link to itself. */
static void
test_scenario_downloads(void)
{
  const char *text =
    "local pool = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 32, per_node = 8, network = "
    "'200 Gbit/s', price = '2 USD/device-hour' }, storage = bucket { read = '2 GB/s', write = '1 GB/s' } }\n"
    "local web = internet { name = 'web', bandwidth = '1 Gbit/s' }\n"
    "local mirror = internet { name = 'mirror', bandwidth = '1 Gbit/s' }\n"
    "local function fetch(src) return function(r) r:download(dataset { name = 'd', samples = 1000, bytes = '100 GB', "
    "from = src }) end end\n"
    "job { cluster = pool, name = 'a', devices = 8, run = fetch(web) }\n"
    "job { cluster = pool, name = 'b', devices = 8, run = fetch(web) }\n"
    "job { cluster = pool, name = 'c', devices = 8, run = fetch(mirror) }\n"
    "job { cluster = pool, name = 'e', devices = 8, arrival = '2000 s', run = fetch(web) }\n";
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  const TsClusterJobs *c = ts_run_get_jobs(run);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon(c->jobs[i].alone_s, 800, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[0].end_s, 1600, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[1].end_s, 1600, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[2].end_s, 800, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[3].end_s, 2800, 1e-6);
  ts_run_free(run);
}

/* Two all-reducing jobs on one fabric.  Each job trains ResNet-50 (bf16) data-parallel on 16 A100s, two nodes of
 * 8; the data lives on the hosts' disks (no storage), so the fabric is the only link its steps share.  Each device
 * sends its 1/8 share of the 2-byte gradients twice over (m - 1) / m = 1/2 between the nodes: the job sends 2 P x 2
 * bytes per step in all (P: the model's parameters), F per second alone.  On a fabric that carries F at once,
 * the two jobs together get F / 2 each: their steps take twice as long.  On one that carries 2 F, neither slows;
 * without a fabric the traffic does not contend and a diagnostic says so. */
static TsRun *
run_fabric(const char *fabric)
{
  g_autofree char *text = g_strdup_printf(
    "local pool = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 32, per_node = 8, network = "
    "'200 Gbit/s', price = '2 USD/device-hour' }%s }\n"
    "local data = dataset { name = 'shards', samples = 1024000, bytes = '100 GB', kind = 'images' }\n"
    "local function train(r) r:train { model = models.resnet50, data = data, batch = 1024, steps = 500, "
    "precision = 'bf16' } end\n"
    "job { cluster = pool, name = 'a', devices = 16, run = train }\n"
    "job { cluster = pool, name = 'b', devices = 16, run = train }\n", fabric);
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  return run;
}

static void
test_scenario_fabric(void)
{
  TsRun *run = run_fabric("");
  const TsClusterJobs *c = ts_run_get_jobs(run);
  const TsJobResult *a = &c->jobs[0];
  double F = a->fabric_bps, alone = a->alone_s;
  g_assert_cmpfloat_with_epsilon(alone, 500 * a->step_time_s, 1e-6);
  /* 2 P x 2 bytes per step, P of ResNet-50 about 25.6 M. */
  double P = F * a->step_time_s / 4;
  g_assert_cmpfloat(fabs(P / 25.6e6 - 1), <, 0.01);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[0].end_s, alone, 1e-6);
  g_assert_true(test_run_has_diagnostic(run, "fabric-not-modelled", NULL));
  ts_run_free(run);

  g_autofree char *one = g_strdup_printf(", fabric = '%.3f MB/s'", F / 1e6);
  run = run_fabric(one);
  c = ts_run_get_jobs(run);
  double C = ts_run_get_cluster(run)->fabric_bw;
  g_assert_cmpfloat(fabs(C / F - 1), <, 1e-6);
  g_assert_false(test_run_has_diagnostic(run, "fabric-not-modelled", NULL));
  /* Each gets C / 2 of the F it sends alone: rate C / 2F, so it ends at alone x 2F / C. */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpfloat_with_epsilon(c->schedule->jobs[i].end_s, alone * 2 * F / C, 1e-6);
  ts_run_free(run);

  g_autofree char *two = g_strdup_printf(", fabric = '%.3f MB/s'", 2 * F / 1e6 + 1);
  run = run_fabric(two);
  c = ts_run_get_jobs(run);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpfloat_with_epsilon(c->schedule->jobs[i].end_s, alone, 1e-6);
  ts_run_free(run);
}

/* Spares end to end: two jobs on 16 of 24 A100s (3 nodes of 8, one of them the cluster's spare), each failing
 * often (a device every 20 h: a failure every 2.5 h of a job's 8 devices) with the data on
 * the hosts' disks, so nothing but the spares couples them: each ends at its time alone plus what it waited for a
 * repaired node, it waits only when the spare is taken, and the spare node is billed: the pool's bill is 24 devices
 * over the whole run, and the jobs' costs plus the idle capacity add up to it. */
static TsRun *
run_spares(guint nodes, const char *repair)
{
  g_autofree char *text = g_strdup_printf(
    "local pool = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 16, per_node = 8, network = "
    "'200 Gbit/s', price = '2 USD/device-hour' }, spares = { nodes = %u, repair = '%s' } }\n"
    "local data = dataset { name = 'shards', samples = 1024000, bytes = '100 GB', kind = 'images' }\n"
    "local function train(r) r:train { model = models.resnet50, data = data, batch = 256, steps = 2000000, "
    "precision = 'bf16', checkpoint = { every = '2000 steps' }, failures = { mtbf = '20 h', restart = '10 min' } } "
    "end\n"
    "job { cluster = pool, name = 'a', devices = 8, run = train }\n"
    "job { cluster = pool, name = 'b', devices = 8, run = train }\n", nodes, repair);
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  return run;
}

static void
test_scenario_spares(void)
{
  TsRun *run = run_spares(1, "1 day");
  const TsClusterJobs *c = ts_run_get_jobs(run);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(c->spare_devices, ==, 8);
  g_assert_cmpuint(c->devices, ==, 16);
  guint failures = 0, waits = 0;
  for (guint i = 0; i < 2; i++) {
    const TsJobOutcome *o = &c->schedule->jobs[i];
    g_assert_cmpfloat_with_epsilon(o->end_s, c->jobs[i].alone_s + o->repair_wait_s, 1e-6);
    g_assert_cmpfloat_with_epsilon(o->held_s, o->end_s, 1e-6);
    failures += o->node_failures;
    waits += o->repair_waits;
  }
  g_assert_cmpuint(failures, >, 2);
  g_assert_cmpuint(waits, >, 0);
  g_assert_cmpuint(waits, <, failures); /* the first failure takes the spare */
  /* Billed: 24 devices at 2 USD/device-hour for the whole run. */
  g_assert_cmpfloat_with_epsilon(c->billed_device_s, 24 * r->total_time_s, 1e-6);
  g_assert_cmpfloat_with_epsilon(r->cost_compute, 48.0 * r->total_time_s / 3600, 1e-6);
  double paid = 0;
  for (guint i = 0; i < 2; i++)
    paid += c->jobs[i].cost_usd;
  g_assert_cmpfloat_with_epsilon(paid + c->idle_usd, r->cost_compute, 1e-6);
  g_assert_cmpfloat(c->idle_device_s, >=, 8 * r->total_time_s - 1e-6); /* the spare is never held by a job */
  ts_run_free(run);

  /* Enough spares, or a quick repair: nobody waits. */
  run = run_spares(40, "1 day");
  c = ts_run_get_jobs(run);
  for (guint i = 0; i < 2; i++) {
    g_assert_cmpuint(c->schedule->jobs[i].repair_waits, ==, 0);
    g_assert_cmpfloat_with_epsilon(c->schedule->jobs[i].end_s, c->jobs[i].alone_s, 1e-6);
  }
  ts_run_free(run);
}

/* The wall-time range of several jobs: with random failures the whole schedule is one draw among many, so the
 * cluster's run says failures are modelled (trainsim run then runs a replica set by itself) and a replica set
 * gives the draws' P10/P50/P90 of the makespan, the nearest ranks of the makespans run seed by seed. */
static void
test_scenario_range(void)
{
  g_autofree char *path = NULL;
  TsRun *run = run_spares(1, "1 day");
  g_assert_true(ts_run_get_results(run)->failures_modelled);
  ts_run_free(run);
  const char *text =
    "local pool = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 16, per_node = 8, network = "
    "'200 Gbit/s', price = '2 USD/device-hour' }, spares = { nodes = 1, repair = '1 day' } }\n"
    "local data = dataset { name = 'shards', samples = 1024000, bytes = '100 GB', kind = 'images' }\n"
    "local function train(r) r:train { model = models.resnet50, data = data, batch = 256, steps = 2000000, "
    "precision = 'bf16', checkpoint = { every = '2000 steps' }, failures = { mtbf = '20 h', restart = '10 min' } } "
    "end\n"
    "job { cluster = pool, name = 'a', devices = 8, run = train }\n"
    "job { cluster = pool, name = 'b', devices = 8, run = train }\n";
  g_autoptr(GError) error = NULL;
  gint fd = g_file_open_tmp("trainsim-range-XXXXXX.lua", &path, &error);
  g_assert_no_error(error);
  close(fd);
  g_assert_true(g_file_set_contents(path, text, -1, &error));
  TsScenarioOptions o;
  ts_scenario_options_init(&o);
  o.path = path;
  enum { N = 10 };
  double makespan[N];
  for (guint i = 0; i < N; i++) {
    o.limits.seed = i;
    run = ts_scenario_run(registry, &o, &error);
    g_assert_no_error(error);
    makespan[i] = ts_run_get_results(run)->total_time_s;
    ts_run_free(run);
  }
  o.limits.seed = 0;
  TsReplicaStats rep = {0};
  g_assert_true(ts_replicas_run(registry, &o, N, &rep, &error));
  g_assert_no_error(error);
  qsort(makespan, N, sizeof(double), cmp_seconds);
  g_assert_false(rep.quantiles.known); /* the model's band is not carried through the schedule */
  g_assert_cmpuint(rep.quantiles.draws, ==, N);
  g_assert_cmpfloat_with_epsilon(rep.draws_time_p10_s, makespan[0], 1e-6);  /* nearest rank of 10: the 1st */
  g_assert_cmpfloat_with_epsilon(rep.draws_time_p50_s, makespan[4], 1e-6);  /* the 5th */
  g_assert_cmpfloat_with_epsilon(rep.draws_time_p90_s, makespan[8], 1e-6);  /* the 9th */
  g_assert_cmpfloat(rep.draws_time_p10_s, <, rep.draws_time_p90_s);
  g_remove(path);
}

/* Preemption end to end: b (priority 5) arrives while a runs on the whole pool; a goes back to its last
 * checkpoint, waits for b, spends its restart time and finishes the rest: it ends at its time alone + b's
 * time alone + the work it lost + the restart. */
static void
test_scenario_preempt(void)
{
  TsRun *run = run_jobs("priority-preempt",
                        "job { cluster = pool, name = 'a', devices = 16, restart = '5 min', run = train }\n"
                        "job { cluster = pool, name = 'b', devices = 16, priority = 5, arrival = '150 s', run = train }\n");
  const TsClusterJobs *c = ts_run_get_jobs(run);
  const TsJobOutcome *a = &c->schedule->jobs[0], *b = &c->schedule->jobs[1];
  g_assert_cmpuint(a->preemptions, ==, 1);
  g_assert_cmpfloat_with_epsilon(b->start_s, 150, 1e-6);
  g_assert_cmpfloat_with_epsilon(b->queued_s, 0, 1e-9);
  g_assert_cmpfloat(a->lost_s, >, 0);
  g_assert_cmpfloat(a->lost_s, <, 102.4 + 1); /* less than one checkpoint interval of 100 steps, plus its write */
  g_assert_cmpfloat_with_epsilon(a->end_s, c->jobs[0].alone_s + c->jobs[1].alone_s + a->lost_s + 300, 1e-6);
  g_assert_cmpfloat_with_epsilon(a->held_s, a->end_s - c->jobs[1].alone_s, 1e-6);
  ts_run_free(run);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/cluster/scenario/storage-share", test_scenario_storage_share);
  g_test_add_func("/cluster/scenario/preempt", test_scenario_preempt);
  g_test_add_func("/cluster/scenario/checkpoint-burst", test_scenario_checkpoint_burst);
  g_test_add_func("/cluster/scenario/downloads", test_scenario_downloads);
  g_test_add_func("/cluster/scenario/fabric", test_scenario_fabric);
  g_test_add_func("/cluster/scenario/spares", test_scenario_spares);
  g_test_add_func("/cluster/scenario/range", test_scenario_range);
  g_test_add_func("/cluster/scenario/band", test_scenario_band);
  g_test_add_func("/cluster/scenario/diagnostics-once", test_scenario_diagnostics_once);
  g_test_add_func("/cluster/scenario/pool-not-composed", test_scenario_pool_not_composed);
  g_test_add_func("/cluster/spares", test_spares);
  g_test_add_func("/cluster/fifo-order", test_fifo_order);
  g_test_add_func("/cluster/priority", test_priority);
  g_test_add_func("/cluster/priority-preempt", test_priority_preempt);
  g_test_add_func("/cluster/fair-share", test_fair_share);
  g_test_add_func("/cluster/gang", test_gang);
  g_test_add_func("/cluster/storage-share", test_storage_share);
  g_test_add_func("/cluster/checkpoint-burst", test_checkpoint_burst);
  g_test_add_func("/cluster/two-links", test_two_links);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
