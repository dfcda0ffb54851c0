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
#include "run/jobs.h"
#include "test-scenario.h"

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

static TsSchedule *
schedule(TsSchedulerKind kind, guint pool, double read_bps, TsJobSpec *jobs, guint n)
{
  g_autoptr(GError) error = NULL;
  TsSchedule *s = ts_schedule_compute(kind, pool, read_bps, jobs, n, &error);
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
  g_assert_null(ts_schedule_compute(TS_SCHEDULER_FIFO, 8, 0, &big, 1, &error));
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
  ((TsJobSegment *) jobs[0].segments)->read_bps = 2e9;
  ((TsJobSegment *) jobs[1].segments)->read_bps = 2e9;
  TsSchedule *s = schedule(TS_SCHEDULER_FIFO, 16, 2e9, jobs, 2);
  assert_hours(s->jobs[0].end_s, 2);
  assert_hours(s->jobs[1].end_s, 2);
  ts_schedule_free(s);

  ((TsJobSegment *) jobs[0].segments)->read_bps = 0.5e9;
  s = schedule(TS_SCHEDULER_FIFO, 16, 2e9, jobs, 2);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[1].end_s, 1.25);
  ts_schedule_free(s);

  /* One after the other (each needs the whole pool): no sharing. */
  ((TsJobSegment *) jobs[0].segments)->read_bps = 2e9;
  jobs[0].devices = jobs[1].devices = 16;
  s = schedule(TS_SCHEDULER_FIFO, 16, 2e9, jobs, 2);
  assert_hours(s->jobs[0].end_s, 1);
  assert_hours(s->jobs[1].end_s, 2);
  ts_schedule_free(s);
  free_specs(jobs, 2);
}

static TsRegistry *registry;

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

/* Two storage-bound jobs at once each read at 1 GB/s, half of what they read alone, so their steps take twice
 * as long; a third, arriving after them, has the bucket to itself and takes as long as alone. */
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
  /* 1000 steps of 1.024 s: the steps alone take 1024 s; the rest of the job (checkpoint writes) reads nothing. */
  const TsJobResult *a = &c->jobs[0];
  double reading = 1000 * 1.024, other = a->alone_s - reading;
  g_assert_cmpfloat(other, >=, 0);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[0].end_s, 2 * reading + other, 1e-6);
  g_assert_cmpfloat_with_epsilon(c->schedule->jobs[1].end_s, 2 * reading + other, 1e-6);
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
  const char *dirs[] = {TS_BUILD_PLUGIN_DIR, NULL};
  g_autoptr(GError) error = NULL;
  registry = ts_registry_new(dirs, &error);
  g_assert_no_error(error);
  g_test_add_func("/cluster/scenario/storage-share", test_scenario_storage_share);
  g_test_add_func("/cluster/scenario/preempt", test_scenario_preempt);
  g_test_add_func("/cluster/fifo-order", test_fifo_order);
  g_test_add_func("/cluster/priority", test_priority);
  g_test_add_func("/cluster/priority-preempt", test_priority_preempt);
  g_test_add_func("/cluster/fair-share", test_fair_share);
  g_test_add_func("/cluster/gang", test_gang);
  g_test_add_func("/cluster/storage-share", test_storage_share);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
