/* Run internals shared by run.c (actions, storage, billing, samples) and the train*.c files (training). */
#ifndef TS_RUN_PRIVATE_H
#define TS_RUN_PRIVATE_H

#include "cost/billing.h"
#include "cost/storage-bill.h"
#include "resources/link.h"
#include "run/rng.h"
#include "run/run.h"

#define TS_RNG_STREAM_FAILURES 1
#define TS_RNG_STREAM_DOWNLOADS 2
#define TS_RNG_STREAM_STRAGGLERS 3
#define TS_RNG_STREAM_REPAIRS 4

typedef struct Pending Pending;

struct TsRun {
  const TsRegistry *registry;
  TsRunInfo info;
  TsEngine *engine;
  TsCluster *cluster;
  TsDevice *device;   /* the accelerator's plugin instance, for this simulation only */
  TsDeviceRecord device_record; /* the catalog record as this cluster sees it (its network share) */
  TsDevice *host_cpu; /* the host CPU's plugin instance, for the input pipeline */
  GPtrArray *machines;  /* TsMachineGroup* provisioned besides the cluster's */
  GArray *billables;    /* TsBillable */
  GHashTable *billable_index; /* machine id -> 1 + its index in billables */
  GPtrArray *links;     /* TsLinkResource*, one per named source link */
  /* A job of several on a cluster whose spare nodes the jobs share (core/scenario/jobs.c): its node failures are
   * logged here (seconds) and never wait, the cluster's schedule deciding who waits for a repaired node. */
  GArray *node_failure_log;
  GPtrArray *sinks;     /* TsSink* copies */
  GPtrArray *phases;    /* TsPhase*, pointing into phase_blocks */
  GPtrArray *phase_blocks; /* arrays of TsPhase the phases are carved from */
  GStringChunk *names;  /* the phases' names, each kept once */
  GPtrArray *diagnostics;
  GPtrArray *catalogs;
  GPtrArray *datasets;
  GPtrArray *models;
  GHashTable *pending;  /* Download* not yet done (a set: O(1) removal); freed with the run if the engine stopped early */
  GPtrArray *pending_pool; /* every Pending allocated (run.c), freed with the run */
  Pending *pending_free;   /* those fired, ready for reuse */
  GPtrArray *trains;    /* training state machines, freed with the run */
  GPtrArray *meters;    /* Meter*, freed with the run */
  GError *error;        /* first error that stopped the simulation */
  gboolean sinks_failed; /* an output could not be written: report nothing more */
  gboolean write_bw_assumed_said; /* the write-bandwidth-assumed diagnostic was given (once a run) */
  TsResults results;
  TsRng failures_rng;
  TsRng downloads_rng;
  TsRng stragglers_rng; /* step-by-step straggler draws (train.c) */
  TsRng repairs_rng;    /* which failures are a node's rather than a preemption (train-failure.c) */

  /* Running state. */
  const char *phase; /* name of the phase running now, for samples */
  double stored_bytes; /* on the run's storage: per host on disks, total in a bucket */
  double dataset_bytes;
  double checkpoint_bytes_stored;
  TsStorageBill storage_bill; /* GB-months of what is stored, billed as it goes */
  double device_bytes, host_bytes;
  guint background;   /* downloads running in the background */
  guint32 network_lanes; /* bit i: track "network i+1" holds a running download */
  TsRunDone join_done; /* the process waiting in r:join() */
  /* Several jobs on the cluster (run/jobs.h): the schedule, its events, and the jobs' own host costs so far. */
  struct TsClusterJobsPlay *jobs;
  double jobs_host_usd;
  void *join_data;
  /* For the goodput split (goodput.c): spans' time by kind, the ticks of kept training steps, and each
   * machine group's billed intervals. */
  TsTime span_ticks[TS_PHASE_COUNT];
  TsTime kept_step_ticks;
  GArray *billed; /* BilledInterval */
  GArray *powers; /* GroupPower, one per billable, same index (energy.c) */
  struct RunEnergy {
    double joules;     /* the machines' draw settled up to `since` */
    TsTime since;
    double power_w;    /* the held machines' draw now, at the cluster's busy share */
    double idle_w;     /* the same with the devices idle: after `until` */
    double activity;   /* the cluster's busy share (0..1) */
    TsTime until;      /* when the busy share lapses to 0 (the end of an inference) */
    gboolean unknown;  /* a held machine's power is unknown */
    /* The held machines' draw as sums, kept as machines start and recomputed after one stops, so that an update
     * costs O(1) however many machines are held (tests/bad/hostcopies/many-machines.lua holds 60,000). */
    gboolean sums_valid;
    double cluster_idle_w, cluster_span_w; /* the cluster's groups: idle, and busy - idle */
    double other_w;                        /* every other held group at its busy draw */
    gboolean held_unknown;                 /* a held group's power is unknown */
  } energy;
};

typedef struct RunEnergy RunEnergy;

/* What a machine group draws (energy.c): idle and at work, watts for the whole group. */
typedef struct {
  double idle_w, busy_w;
  gboolean known;
  gboolean cluster; /* follows the cluster's busy share; other machines (a download's CPU host) draw busy_w */
} GroupPower;

/* Energy (energy.c, docs/model.md "Energy and carbon"). */
void run_energy_add_group(TsRun *run, const TsMachineGroup *a, gboolean cluster);
/* A billable started (provisioned) or stopped: the held draw's sums follow (energy.c). */
void run_energy_note_start(TsRun *run, const TsBillable *b);
void run_energy_note_stop(TsRun *run);
/* An owned machine's draw per node as its electricity is billed: its maximum power (devices, and the host CPUs the
 * catalog gives power for, or the machine's stated power) x the scenario's PUE (1 without one); 0 unknown. */
double run_energy_get_owned_watts(const TsMachineGroup *a);
void run_energy_site(TsRun *run);
/* Settle the draw up to now and take the held machines as they are now (after a provision or release). */
void run_energy_update(TsRun *run);
/* The cluster's devices compute a share u of the time from now (until `until`, then idle). */
void run_energy_set_activity(TsRun *run, double u, TsTime until);
/* The facility's kWh so far: the machines' x PUE; NaN when unknown. */
double run_energy_kwh_at(const TsRun *run);
void run_energy_finish(TsRun *run);
void run_energy_free(TsRun *run);

typedef struct {
  TsTime start, end;
  double rate; /* USD per second; NaN when unknown */
} BilledInterval;

/* The goodput categories of the finished run (ts_run_finish, after the totals). */
void run_goodput(TsRun *run);
/* A machine group stops being billed; its interval is kept for the goodput's cost split. */
void run_bill_stop(TsRun *run, TsBillable *b, TsTime now);

/* Called by actions when they complete, at the current engine time. */
void run_schedule_done(TsRun *run, TsTime at, TsRunDone done, void *data);
void run_emit_sample(TsRun *run);
/* A sample every 1/64 of planned_s until `until` (TS_TIME_MAX: until stopped), when outputs are attached;
 * NULL otherwise.  The meter is freed with the run. */
typedef struct Meter Meter;
Meter *run_meter_start(TsRun *run, double planned_s, TsTime until);
void run_meter_stop(TsRun *run, Meter *meter);
void run_emit_span(TsRun *run, const char *track, const char *name, TsPhaseKind kind, TsTime start, TsTime end);
void run_add_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end);
/* Record a phase for the results only (the caller reports its span on a track of its own: a download's lane). */
void run_record_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end);
/* A phase other spans nest in: its beginning is reported as it begins, the phase itself when it ends. */
void run_begin_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start);
void run_end_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end);
/* Change the bytes held on storage; FALSE (infeasible, diagnostic recorded, simulation stopped) if full. */
gboolean run_set_stored(TsRun *run, double bytes, const char *what, GError **error);
/* Stop the simulation with this error (takes it). */
void run_stop(TsRun *run, GError *error);
/* The write bandwidth of where the run keeps datasets and checkpoints (a host's disk or the cluster's storage),
 * for a write at `where` that would otherwise go at `demand` bytes/s (a download's link; INFINITY for a
 * checkpoint).  An assumed bandwidth (TS_WRITE_BW_ASSUMED) that sets the write's time is said, once a run. */
double run_storage_write_bw(TsRun *run, const char *where, double demand);
/* The cluster's accelerators' bill (machines.c); NULL before a cluster is set. */
TsBillable *run_cluster_billable(TsRun *run);
/* Owned machines' and commitments' terms into the results, when the cluster is set; what the run held them, at its
 * end (ownership.c). */
void run_ownership_init(TsRun *run, const TsMachineGroup *a, const TsRate *rate, const TsBillable *b);
void run_ownership_finish(TsRun *run);
/* Provision the cluster now, billed from now, if the scenario never did (an info diagnostic says so). */
void run_provision_implicitly(TsRun *run, const char *where);
void train_free(gpointer train);
void run_jobs_free(struct TsClusterJobsPlay *play); /* jobs.c */
/* At the end of the simulation: a training the run stopped before it finished (a full disk) still closes
 * its phase and counts the steps it did. */
void train_close(gpointer train);

#endif
