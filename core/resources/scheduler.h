/* Several jobs on one pool of devices: a scheduler places them (FIFO, priority with or without preemption,
 * fair share), always whole (gang scheduling: a synchronous job starts only when all its devices are free),
 * and the jobs that use one shared bandwidth at the same time (a storage's reads or writes, a download source,
 * the scale-out fabric) share it max-min fairly.  Each job is described by its timeline alone on the cluster
 * (what the single-job run model forecast for it); the schedule replays those timelines at the speed their
 * shares allow.  Knows nothing of the run model. */
#ifndef TS_SCHEDULER_H
#define TS_SCHEDULER_H

#include <glib.h>

typedef enum {
  TS_SCHEDULER_FIFO,             /* in arrival order; the head of the queue waits for its devices (no backfill) */
  TS_SCHEDULER_PRIORITY,         /* highest priority first, then arrival; running jobs are never stopped */
  TS_SCHEDULER_PRIORITY_PREEMPT, /* as priority, and a job that does not fit stops lower-priority running jobs */
  TS_SCHEDULER_FAIR,             /* the group that has held the least device-time so far goes first */
  TS_SCHEDULER_COUNT
} TsSchedulerKind;

const char *ts_scheduler_kind_get_name(TsSchedulerKind kind);
/* FALSE when `name` is not one of the names above. */
gboolean ts_scheduler_kind_from_name(const char *name, TsSchedulerKind *kind);

/* A bandwidth the jobs share: a storage's reads, its writes, what its reads and writes move together, a
 * download source's link, the scale-out fabric.  `bps` is its capacity in bytes per second. */
typedef struct {
  const char *name;
  double bps;
} TsSharedLink;

/* What a stretch of a job's timeline moves over one shared link, per second, when the job runs alone. */
typedef struct {
  guint link; /* index into the links given to ts_schedule_compute */
  double bps;
} TsLinkUse;

/* A stretch of a job's timeline alone on the cluster: its length and the shared links it uses meanwhile, each
 * at the rate it gets alone (none: nothing shared limits it). */
typedef struct {
  double duration_s;
  const TsLinkUse *uses;
  guint n_uses;
} TsJobSegment;

typedef struct {
  const char *name;
  const char *group;   /* fair share is between groups; NULL: the job is its own group */
  double arrival_s;
  int priority;        /* higher first */
  guint devices;       /* all needed at once */
  const TsJobSegment *segments;
  guint n_segments;
  const double *checkpoints; /* positions in its timeline alone where a checkpoint is committed, ascending */
  guint n_checkpoints;
  double restart_s;    /* after a preemption: time on its devices before work resumes from the checkpoint */
  const double *node_failures; /* positions in its timeline alone where one of its nodes fails, ascending: the job
                                * takes a spare node from the cluster's pool, or waits for a repaired one */
  guint n_node_failures;
} TsJobSpec;

/* Spare nodes the cluster keeps for its jobs: a node that fails is out for `repair_s` and then joins the spares. */
typedef struct {
  guint nodes;
  double repair_s;
} TsSparePool;

typedef struct {
  double start_s, end_s;
} TsInterval;

typedef struct {
  double queued_s;  /* first start - arrival */
  double start_s;   /* first start */
  double end_s;
  double held_s;    /* wall seconds it held its devices, over all its runs */
  double lost_s;    /* seconds of its timeline done again after preemptions */
  guint preemptions;
  guint node_failures;  /* of its nodes, over all its runs */
  guint repair_waits;   /* node failures that found no spare free */
  double repair_wait_s; /* the time it waited for repaired nodes, holding its devices */
  GArray *runs;     /* TsInterval: each stretch it held its devices, in order */
} TsJobOutcome;

typedef struct {
  double time_s;
  guint busy; /* devices held from time_s on */
} TsBusyPoint;

typedef struct {
  guint n_jobs;
  TsJobOutcome *jobs; /* in the order given */
  GArray *busy;       /* TsBusyPoint at every change, starting at 0 */
  double makespan_s;  /* when the last job ends */
  double busy_device_s;
} TsSchedule;

/* NULL with an error when a job can never run (more devices than the pool, or an invalid value).  Between two
 * events each running job advances along its timeline at rate min(1, share / use) over the links its stretch
 * uses; the shares are max-min fair in bytes per second on every link (scheduler.c, set_rates).  `spares`: the
 * cluster's spare nodes, NULL or none: a job's node failures then cost it nothing here (its timeline alone has its
 * restarts). */
TsSchedule *ts_schedule_compute(TsSchedulerKind kind, guint pool_devices, const TsSharedLink *links, guint n_links,
                                const TsSparePool *spares, const TsJobSpec *jobs, guint n_jobs, GError **error);
void ts_schedule_free(TsSchedule *schedule);

#endif
