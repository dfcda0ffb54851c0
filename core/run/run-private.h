/* Run internals shared by run.c (actions, storage, billing, samples) and train.c (training). */
#ifndef TS_RUN_PRIVATE_H
#define TS_RUN_PRIVATE_H

#include "cost/billing.h"
#include "resources/link.h"
#include "run/rng.h"
#include "run/run.h"

#define TS_RNG_STREAM_FAILURES 1
#define TS_RNG_STREAM_DOWNLOADS 2

struct TsRun {
  const TsRegistry *registry;
  TsRunInfo info;
  TsEngine *engine;
  TsCluster *cluster;
  TsDevice *device;   /* the accelerator's plugin instance, for this simulation only */
  TsDeviceRecord device_record; /* the catalog record as this cluster sees it (its network share) */
  TsDevice *host_cpu; /* the host CPU's plugin instance, for the input pipeline */
  GPtrArray *machines;  /* TsAccelerator* provisioned besides the cluster's */
  GArray *billables;    /* TsBillable */
  GPtrArray *links;     /* TsLinkResource*, one per named source link */
  GPtrArray *sinks;     /* TsSink* copies */
  GPtrArray *phases;
  GPtrArray *diagnostics;
  GPtrArray *catalogs;
  GPtrArray *datasets;
  GPtrArray *models;
  GPtrArray *pending;   /* Pending* and Download* not yet fired; freed with the run if the engine stopped early */
  GPtrArray *trains;    /* training state machines, freed with the run */
  GError *error;        /* first error that stopped the simulation */
  TsResults results;
  TsRng failures_rng;
  TsRng downloads_rng;

  /* Running state. */
  const char *phase; /* name of the phase running now, for samples */
  double stored_bytes; /* on the run's storage: per host on disks, total in a bucket */
  double dataset_bytes;
  double checkpoint_bytes_stored;
  TsTime stored_since;
  double storage_spent;
  double device_bytes, host_bytes;
  guint background;   /* downloads running in the background */
  TsRunDone join_done; /* the process waiting in r:join() */
  void *join_data;
};

/* Called by actions when they complete, at the current engine time. */
void ts_run_schedule_done(TsRun *run, TsTime at, TsRunDone done, void *data);
void ts_run_emit_sample(TsRun *run);
void ts_run_emit_span(TsRun *run, const char *track, const char *name, TsPhaseKind kind, TsTime start, TsTime end);
void ts_run_add_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end);
/* Change the bytes held on storage; FALSE (infeasible, diagnostic recorded, simulation stopped) if full. */
gboolean ts_run_set_stored(TsRun *run, double bytes, const char *what, GError **error);
/* Stop the simulation with this error (takes it). */
void ts_run_stop(TsRun *run, GError *error);
double ts_run_storage_write_bw(TsRun *run);
/* Provision the cluster now, billed from now, if the scenario never did (an info diagnostic says so). */
void ts_run_provision_implicitly(TsRun *run, const char *where);
void ts_train_free(gpointer train);

#endif
