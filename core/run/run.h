/* The run model: what a training run is, played forward on the engine.  It asks device plugins for
 * times and capacities and never hard-codes a device (docs/model.md). */
#ifndef TS_RUN_H
#define TS_RUN_H

#include <glib.h>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "plugin/plugin.h"

typedef enum {
  TS_PHASE_PROVISION,
  TS_PHASE_DOWNLOAD,
  TS_PHASE_STAGE,
  TS_PHASE_TRAIN,
  TS_PHASE_EVAL,
  TS_PHASE_CHECKPOINT,
  TS_PHASE_RESTART,
  TS_PHASE_RELEASE,
  TS_PHASE_WAIT,
  TS_PHASE_COUNT
} TsPhaseKind;

const char *ts_phase_kind_get_name(TsPhaseKind kind);

typedef struct {
  char *name;
  TsPhaseKind kind;
  TsTime start;
  TsTime end;
} TsPhase;

typedef enum { TS_SEVERITY_INFO, TS_SEVERITY_WARNING, TS_SEVERITY_ERROR } TsSeverity;

typedef struct {
  TsSeverity severity;
  char *code;    /* stable identifier: "device-oom", "input-bound" */
  TsTime time;
  char *message; /* "scenarios/x.lua:12: ..." where a line is known */
} TsDiagnostic;

const char *ts_severity_get_name(TsSeverity s);

/* An accelerator group: identical devices bought or rented together. */
typedef struct {
  const TsPlugin *plugin;
  const TsDeviceRecord *record;
  const TsInstanceRecord *instance; /* when rented as whole instances */
  char *slice;                      /* TPU slice name */
  guint devices;                    /* chips / GPUs / CPU sockets */
  guint per_node;                   /* devices per host (NVLink domain, TPU host) */
  guint nodes;                      /* hosts */
  guint dims[3];                    /* TPU torus shape */
  TsPricing pricing;
  gboolean owned;
  double price;          /* USD per price_per, explicit or from the catalog */
  TsPriceUnit price_per;
  const TsField *price_field; /* provenance of a catalog price, or NULL when the scenario set it */
  double host_ram;       /* per host, bytes; 0 unknown */
  double host_disk;      /* per host */
  double host_cores;     /* per host */
  const TsDeviceRecord *host_cpu; /* for the input pipeline; NULL unknown */
} TsAccelerator;

typedef struct {
  char *name;
  double read_bw, write_bw, capacity;
  double price_gb_month; /* < 0: not priced */
} TsStorage;

typedef struct {
  char *name;
  double bandwidth;
  double egress_price; /* USD per GB; < 0 unknown */
} TsLink;

typedef struct {
  char *name;
  guint64 samples;
  double bytes;     /* as downloaded */
  double extracted; /* on disk after extraction */
  gboolean tokens;
  TsLink *from;
} TsDataset;

typedef struct {
  char *name;
  double params;
  double flops;       /* forward FLOPs per sample */
  double activations; /* bytes per sample kept for backward, at 16 bits */
  TsWorkload workload;
} TsModel;

typedef struct {
  TsAccelerator accel;
  TsStorage *storage; /* NULL: none */
  char *name;
} TsCluster;

/* Values a scenario declared with param(), in declaration order. */
typedef struct {
  char *name;
  char *value_json; /* already formatted as a JSON value */
} TsParam;

typedef struct TsRun TsRun;

typedef struct {
  const char *scenario_path;
  guint64 seed;
  GPtrArray *params; /* TsParam*, owned by the run once given */
} TsRunInfo;

TsRun *ts_run_new(const TsRegistry *registry, const TsRunInfo *info);
void ts_run_free(TsRun *run);

const TsRegistry *ts_run_get_registry(TsRun *run);
TsEngine *ts_run_get_engine(TsRun *run);

/* Results, read by the outputs after the simulation. */
typedef struct {
  gboolean feasible;
  double total_time_s;
  double cost_total, cost_compute, cost_host, cost_storage, cost_network;
  gboolean host_cost_modelled, storage_cost_modelled, network_cost_modelled;
  double peak_device, device_capacity, peak_host, host_capacity, peak_storage, storage_capacity;
  gboolean host_modelled;
  guint nodes, devices;
  char *device_desc;
  gboolean trained;
  guint64 steps;
  double epochs, step_time_s, samples_per_s, mfu;
  double train_time_s;
  guint failures;
  double lost_time_s;
  gboolean failures_modelled;
  char *price_desc;
} TsResults;

const TsResults *ts_run_get_results(TsRun *run);
const GPtrArray *ts_run_get_phases(TsRun *run);      /* TsPhase* */
const GPtrArray *ts_run_get_diagnostics(TsRun *run); /* TsDiagnostic* */
const TsRunInfo *ts_run_get_info(TsRun *run);
const GPtrArray *ts_run_get_catalogs(TsRun *run); /* const TsCatalog* used by the run (provenance) */

void ts_run_add_diagnostic(TsRun *run, TsSeverity severity, const char *code, const char *fmt, ...)
  G_GNUC_PRINTF(4, 5);
void ts_run_note_catalog(TsRun *run, const TsCatalog *catalog);

/* Actions, called by the scenario process.  Each completes at a simulated time; `done` is scheduled
 * then.  FALSE with TS_ERROR_INFEASIBLE stops the run as infeasible (it is still a result). */
typedef void (*TsRunDone)(TsRun *run, void *data);

gboolean ts_run_set_cluster(TsRun *run, TsCluster *cluster, GError **error); /* takes ownership */
gboolean ts_run_download(TsRun *run, TsDataset *dataset, gboolean to_storage, const char *where, TsRunDone done,
                         void *data, GError **error);
gboolean ts_run_provision(TsRun *run, const char *where, TsRunDone done, void *data, GError **error);
gboolean ts_run_release(TsRun *run, const char *where, TsRunDone done, void *data, GError **error);
gboolean ts_run_wait(TsRun *run, double seconds, const char *where, TsRunDone done, void *data, GError **error);

typedef struct {
  TsModel *model;
  TsDataset *data;
  guint64 batch;
  double epochs; /* 0 when steps given */
  guint64 steps;
  TsPrecision precision;
  char *optimizer;
  guint views;
  double input_cores; /* per host; 0: all host cores */
} TsTrainSpec;

gboolean ts_run_train(TsRun *run, const TsTrainSpec *spec, const char *where, TsRunDone done, void *data,
                      GError **error);

/* Close the books at the end of the simulation (bill what is still provisioned, compute totals). */
void ts_run_finish(TsRun *run);

void ts_dataset_free(TsDataset *d);
void ts_model_free(TsModel *m);
void ts_cluster_free(TsCluster *c);

#endif
