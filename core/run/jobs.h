/* Several jobs on one cluster, as the outputs see them: each job's figures alone and as scheduled, and the
 * cluster's run that carries them (the pool billed from time 0 to the last job's end, one trace track per
 * job).  The schedule itself is core/resources/scheduler.h. */
#ifndef TS_RUN_JOBS_H
#define TS_RUN_JOBS_H

#include "resources/scheduler.h"
#include "run/run.h"

typedef struct {
  char *name;
  char *group;        /* NULL: its own */
  int priority;
  guint devices;
  double arrival_s;
  double alone_s;     /* its run function alone on `devices` of the cluster (the single-job run model) */
  double read_bps;    /* what its steps read from the cluster's storage alone (0: none, or not modelled) */
  double write_s;     /* its checkpoint writes to the cluster's storage alone, in all (at the storage's write) */
  double fabric_bps;  /* what its steps send between nodes alone, all its devices together (0: nothing, or a
                       * collective the plugin does not model) */
  gboolean feasible;
  double peak_device; /* bytes per device */
  guint64 steps;
  double step_time_s; /* alone */
  double own_host_usd, own_storage_usd, own_network_usd; /* its costs besides the pool's devices */
  gboolean own_network_modelled;
  gboolean failures_modelled;  /* its run alone drew failures or preemptions (random: seeded) */
  guint failures;
  double failures_expected, lost_s_alone;
  double cost_usd;    /* attributed: its devices' share of the pool's bill while it held them, plus its own */
  const char *error_band;  /* its run alone's validation band and calibration label (kept by the cluster's run;
                            * NULL: none) and the band's median |error| (0: unknown) */
  const char *calibration;
  double band_error;
} TsJobResult;

typedef struct {
  TsSchedulerKind scheduler;
  guint devices;            /* of the pool, that jobs are placed on */
  guint spare_devices;      /* the cluster's spare nodes' devices, billed with the pool (0: none) */
  guint n_jobs;
  TsJobResult *jobs;
  TsSchedule *schedule;
  double device_usd_per_s;  /* one device of the pool; NaN when the price is unknown */
  double billed_device_s;   /* the pool's devices x the time it is billed */
  double idle_device_s;     /* billed and held by no job */
  double idle_usd;
  double utilisation;       /* held / billed device-time */
} TsClusterJobs;

void ts_cluster_jobs_free(TsClusterJobs *jobs);

/* Plays the schedule on `run`, whose cluster is the pool: the pool is provisioned at 0 and released when the
 * last job ends, each job's queue wait and each stretch it held its devices is a span on track "job NAME",
 * and a job's own costs are added as it ends.  Takes `jobs`.  Run the engine, then ts_run_finish. */
void ts_run_play_jobs(TsRun *run, TsClusterJobs *jobs);
/* NULL for a scenario with one run(). */
const TsClusterJobs *ts_run_get_jobs(TsRun *run);

#endif
