/* The run model: what a training run is, played forward on the engine.  It asks device plugins for
 * times and capacities and never hard-codes a device (docs/model.md, "Run model"). */
#ifndef TS_RUN_H
#define TS_RUN_H

#include <glib.h>

#include "catalog/catalog.h"
#include "engine/engine.h"
#include "model/model.h"
#include "model/remat.h"
#include "plugin/plugin-host.h"
#include "run/stack.h"
#include "run/timeline.h"

#define TS_RAMP_MAX 16 /* segments of a batch ramp */

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
  TS_PHASE_INFER,
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

/* A group of identical machines rented or bought together: the accelerators of a cluster (TsCluster.accel), or
 * a CPU machine provisioned for a download (a plugin whose catalog has "role": "host"); `devices` counts chips,
 * GPUs or CPU sockets. */
typedef struct {
  int id;                          /* the scenario's identity for provision/release */
  const TsPlugin *plugin;
  const TsDeviceRecord *record;
  const TsInstanceRecord *instance; /* when rented as whole instances */
  char *slice;                      /* TPU slice name */
  guint devices;                    /* chips / GPUs / CPU sockets */
  guint per_node;                   /* devices per host (NVLink domain, TPU host) */
  guint nodes;                      /* hosts */
  guint dims[3];                    /* TPU torus shape (of one slice) */
  guint mesh_dims;                  /* bit d: dims[d] has no wraparound (TPU v4/v5p below a cube) */
  guint slices;                     /* TPU slices joined over the data-centre network (1: one slice) */
  TsPricing pricing;
  gboolean pricing_given;           /* the scenario said pricing = ...; else on-demand by default */
  gboolean owned;
  gboolean price_known;             /* FALSE: no price listed or given; cost is unknown (NaN), not 0 */
  double price;                     /* USD per price_per; NaN when not known */
  TsPriceUnit price_per;
  const TsField *price_field;       /* provenance of a catalog price; NULL when the scenario set it */
  double electricity;               /* USD per kWh for owned hardware */
  gboolean electricity_given;       /* cluster{electricity} was stated (0 included); else owned power is not costed */
  /* Owned hardware's terms, from the scenario's owned = {...} (docs/scenario-api.md); 0 where not given. */
  double owned_price;               /* up-front USD per node; 0: the catalog's purchase price */
  double owned_life_s;              /* service life; 0: the catalog's, else 4 years */
  double utilisation;               /* fraction of the life in use, (0, 1]; 0: not given (costed at 1) */
  double financing;                 /* interest per year on the price; 0: paid in cash */
  gboolean against;                 /* owned = { against = ... }: a rented alternative to break even against */
  double pue;                       /* the scenario's data-centre PUE (cluster{pue}); 0: the provider's */
  double grid;                      /* the scenario's grid intensity, gCO2e/kWh (cluster{carbon}), if grid_given */
  gboolean grid_given;              /* FALSE: the intensity of the catalog price's cloud region, if known */
  double host_ram;                  /* per host, bytes; 0 unknown */
  double host_disk;                 /* per host */
  double host_cores;                /* per host */
  double disk_bandwidth;            /* per host, bytes/s (writes); 0: not stated (TS_WRITE_BW_ASSUMED) */
  double disk_read_bandwidth;       /* per host, bytes/s; 0 unknown */
  double network;                   /* per node scale-out bandwidth, bytes/s; 0: from the instance */
  const TsDeviceRecord *host_cpu;   /* for the input pipeline; NULL unknown */
  TsDeviceRecord *defined;          /* owned: the device the scenario declared (define = {...}); `record` then */
} TsMachineGroup;

/* Frees what an accelerator owns (its slice name, a defined device), not the struct. */
void ts_machine_group_clear(TsMachineGroup *a);

/* The collectives' scale-up domain: the devices that reach each other over NVLink (or a TPU host's chips).  The
 * host's per_node, or more when the catalog's nvlink_domain says one switch fabric joins several hosts (a GB200
 * NVL72 rack: 18 trays of 4 GPUs), in whole hosts and at most the group's devices (docs/model.md, "GPU nodes"). */
guint ts_machine_group_get_domain(const TsMachineGroup *a);

/* The price unit that fits what is rented: chips of a TPU slice, a whole instance, one GPU or CPU socket.
 * For messages that suggest a unit, and for an unknown price. */
TsPriceUnit ts_machine_group_get_price_unit(const TsMachineGroup *a);

/* The write bandwidth a storage or a host's disk is given when the scenario states none (bytes/s; the
 * documented `write` default of bucket{} and filesystem{}, docs/scenario-api.md).  Where a write's time rests on
 * it, the run says so (diagnostic `write-bandwidth-assumed`). */
#define TS_WRITE_BW_ASSUMED 1e9

typedef struct {
  char *name;
  double read_bw, write_bw, capacity; /* read_bw 0: not stated */
  gboolean write_stated; /* FALSE: write_bw is TS_WRITE_BW_ASSUMED, which a diagnostic names where it is used */
  /* What reads and writes move together, for jobs that share the storage (core/scenario/jobs.c); 0: reads and
   * writes are separate limits (a bucket, unless its bandwidth is given).  A single run never reads and writes
   * the storage at once, so only several jobs are limited by it. */
  double total_bw;
  double price_gb_month; /* < 0: not priced */
} TsStorage;

/* Where a dataset is downloaded from (the scenario's internet{...}): its bandwidth, egress price and failures.
 * The bandwidth resource that downloads from one source share is a TsLinkResource (resources/link.h); the
 * device's own links (NVLink, ICI) are TsDeviceSpec's link_bandwidth and links. */
typedef struct {
  char *name;
  double bandwidth;
  double egress_price; /* USD per GB; < 0 unknown */
  double mtbf_s;       /* mean time between connection failures; 0: never */
  double retry_s;      /* wait before reconnecting */
} TsDownloadSource;

typedef struct {
  char *name;
  guint64 samples;
  double bytes;     /* as downloaded */
  double extracted; /* on disk after extraction */
  gboolean extracted_stated; /* FALSE: taken to be `bytes`, which a download to local disk says */
  gboolean tokens;  /* samples are sequences of tokens */
  guint64 eval_samples;
  TsDownloadSource *from;
} TsDataset;

typedef struct {
  TsMachineGroup accel;
  TsStorage *storage; /* NULL: datasets and checkpoints live on the hosts' disks */
  char *name;
  /* What the scale-out fabric carries between the cluster's nodes at once, in all (bytes/s); 0: not declared.
   * Only jobs sharing the cluster contend for it (core/scenario/jobs.c). */
  double fabric_bw;
  /* Spare nodes the cluster keeps for its jobs and bills, and how long a failed node is out (0: none). */
  guint spare_nodes;
  double spare_repair_s;
} TsCluster;

/* Values a scenario declared with param(), in declaration order. */
typedef struct {
  char *name;
  char *value_json; /* already formatted as a JSON value */
} TsParam;
void ts_param_free(gpointer param); /* a GDestroyNotify for arrays of TsParam* */

typedef struct TsRun TsRun;

typedef struct {
  const char *scenario_path;
  guint64 seed;
  GPtrArray *params;  /* TsParam* */
  gboolean step_events; /* one engine event per training step instead of per run of identical steps (tests) */
} TsRunInfo;

TsRun *ts_run_new(const TsRegistry *registry, const TsRunInfo *info);
void ts_run_free(TsRun *run);

TsEngine *ts_run_get_engine(TsRun *run);
void ts_run_add_sink(TsRun *run, const TsSink *sink);

/* One step, term by term (seconds): what the step time is made of.  A term whose collective the device's plugin
 * does not model is NaN (null in the outputs), and the step time leaves it out. */
typedef struct {
  double compute, activations, bubble, tensor, context, experts, data_exposed, update, overhead, input;
  double launch;  /* the stack's launch cost: launch_s x the operations' kernel launches */
  double storage; /* reading the step's samples from the storage they live on; 0 when not modelled */
  double compute_bound, memory_bound; /* the operations' time by what bounds it (products; traffic) */
  double stragglers; /* the wait for the slowest node: (expected largest factor - 1) x the device work; 0: none */
  double attention;  /* of compute, the attention cores' time: the window the ring attention's key/value exchange
                      * hides under (not an output term of its own: it is inside compute) */
  double fabric_bytes; /* what one device sends to other nodes per step for the data-parallel reduction (not an
                        * output: jobs sharing a scale-out fabric contend for it, core/scenario/jobs.c) */
} TsStepBreakdown;

/* Where the wall time goes (docs/outputs.md, "Goodput"): categories that partition it, by priority. */
typedef enum {
  TS_GOODPUT_PRODUCTIVE,   /* training steps whose work was kept (and inference) */
  TS_GOODPUT_PROVISIONING, /* machines being provisioned or released */
  TS_GOODPUT_COMPILATION,  /* compilation and warm-up: not modelled yet, always 0 */
  TS_GOODPUT_DATA_STALL,   /* waiting for data: downloads, staging, the input-bound part of steps */
  TS_GOODPUT_CHECKPOINT_SAVE,
  TS_GOODPUT_CHECKPOINT_RESTORE, /* the restart after a failure: rescheduling and reloading the checkpoint */
  TS_GOODPUT_LOST_WORK,    /* steps redone after failures (work since the last committed checkpoint) */
  TS_GOODPUT_EVALUATION,   /* evaluation passes inside training */
  TS_GOODPUT_IDLE,         /* nothing running: waits, gaps between phases */
  TS_GOODPUT_COUNT
} TsGoodputCategory;
const char *ts_goodput_category_get_name(TsGoodputCategory c);

/* One figure the energy and carbon numbers rest on, with its source (summary.json energy.sources[]). */
typedef struct {
  char *what;   /* "Cloud TPU v3 chip, maximum power of one device" */
  char *value;  /* "262 W", "1.09", "412.72 g/kWh" */
  char *source; /* the source's title, or "the scenario (cluster{pue})" */
  char *url;    /* NULL when none */
  char *date;   /* NULL when none */
} TsEnergySource;

/* Energy and carbon of a run (energy.c; docs/model.md, "Energy and carbon"). */
typedef struct {
  double it_kwh;         /* the machines' own draw over the run; NaN when a machine's power is unknown */
  double kwh;            /* at the facility: it_kwh x pue; NaN unknown */
  double pue;            /* the data centre's power usage effectiveness; NaN unknown */
  double grid_g_per_kwh; /* the grid's carbon intensity, gCO2e/kWh; NaN unknown */
  double co2_kg;         /* kwh x grid_g_per_kwh / 1000; NaN unknown */
  char *scope;           /* what the machines' draw counts ("64 x TPU v3 chip: idle ... ; host CPUs not counted") */
  char *unknown;         /* why the draw is unknown, or NULL */
  GPtrArray *sources;    /* TsEnergySource*, or NULL */
} TsEnergyResults;

/* Results, read by the outputs after the simulation. */
typedef struct {
  gboolean feasible;
  double total_time_s;
  double cost_total, cost_compute, cost_host, cost_storage, cost_network;
  gboolean storage_cost_modelled, network_cost_modelled;
  double peak_device, device_capacity, peak_host, host_capacity, peak_storage, storage_capacity;
  gboolean storage_per_host; /* peak_storage and storage_capacity are one host's disks' (no storage, nodes > 1) */
  guint nodes, devices;
  char *device_desc;
  /* The model of the last training or inference (summary.json's model.*): its parameters and those one token
   * uses (a mixture of experts' active ones; all of them for a dense model); 0 and NULL when none ran. */
  double model_params, model_active_params;
  const char *model_name; /* borrowed from the run's models */
  gboolean trained;
  guint64 steps;      /* planned */
  guint64 steps_done; /* done when the run ended: fewer than planned if it stopped early (a full disk) */
  double epochs, step_time_s, samples_per_s, mfu;
  double train_time_s;    /* wall time of the train phases, failures and checkpoints included */
  double compute_time_s;  /* failure-free time of the steps alone */
  guint failures;
  double failures_expected;          /* from the rates (Daly's expectation), beside the seeded count */
  gboolean failures_expected_unknown; /* spot without a known interruption rate */
  guint download_interruptions;
  double lost_time_s;
  gboolean failures_modelled;
  gboolean repair_modelled;  /* spares and repair given (of the last training) */
  guint spare_nodes;
  double repair_s;
  guint node_failures;       /* failures that took a node out (the rest: preemptions) */
  guint repair_waits;        /* node failures that found no spare free and waited for a repaired node */
  double repair_wait_s;      /* the time they waited, in all */
  guint checkpoints;
  double checkpoint_bytes;
  double checkpoint_write_s; /* one synchronous write */
  guint evaluations;         /* evaluation passes completed (again after a failure, if one struck before) */
  double eval_pass_s;        /* one pass (forward only), of the last training that evaluates */
  guint64 eval_samples;      /* samples per pass, likewise */
  double eval_time_s;        /* all completed passes */
  double padding;            /* of the last training: fraction of each sequence that is padding */
  guint ramp_segments;       /* of the last training's batch ramp (0: none): size, steps, step time of each */
  guint64 ramp_size[TS_RAMP_MAX], ramp_steps[TS_RAMP_MAX];
  double ramp_step_s[TS_RAMP_MAX];
  TsStepBreakdown step;
  struct {
    guint data, tensor, pipeline, context, expert, zero; /* the last training's parallel layout */
  } layout;
  struct {
    guint nodes, slow;         /* of the last training: its nodes, the slow ones among them */
    double slowdown, jitter;   /* 0: none given */
    double factor;             /* the expected largest factor of the nodes (1: no stragglers) */
    gboolean sampled;          /* steps drawn one by one (mode "sampled") */
    double sampled_factor;     /* then: the mean largest factor over the steps trained and kept (NaN: none) */
  } stragglers;
  struct {
    const char *sku;           /* of the last training's other generation (catalog string); NULL: none */
    guint nodes;
    gboolean speed;            /* balanced by speed, else the step waits for the slower generation */
    double work_s, other_work_s; /* a node's device work per step at an equal share: the cluster's, the other's */
    double share, other_share; /* a node's share of the batch relative to an equal one (1, 1 when waiting) */
    double other_peak_device;  /* device memory an other-generation device holds */
  } mixed;
  char *bottleneck; /* what sets the step time: "devices", "host CPUs (input pipeline)", "bucket read bandwidth" */
  gboolean inferred;
  double infer_latency_s, infer_samples_per_s, infer_device_bytes;
  char *price_desc;
  TsStack stack;          /* of the last training or inference */
  gboolean stack_default; /* not stated by the scenario */
  const char *error_band;  /* the validation error band for runs of this kind (borrowed from the registry) */
  double band_error;       /* the band's median |error| (fraction); 0 unknown (docs/outputs.md, "Quantiles") */
  const char *calibration; /* "calibrated on N runs" or "uncalibrated: constants derived from X" (borrowed) */
  double device_step_s;    /* the last training's step on the devices alone, before input and storage bounds */
  TsEnergyResults energy;
  struct {
    TsTime ticks[TS_GOODPUT_COUNT]; /* sum to the run's end time exactly */
    double seconds[TS_GOODPUT_COUNT];
    double usd[TS_GOODPUT_COUNT];   /* sum to cost_total; NaN when the cost is unknown */
  } goodput;
  /* The cluster's accelerators bought (docs/outputs.md, "Owning, committing and the break-even"). */
  struct {
    gboolean owned;                 /* owned, with a purchase price */
    guint nodes;
    double price_usd;               /* up-front, all nodes */
    double life_s;
    const char *life_source;        /* "scenario", "catalog" or "assumed" (4 years) */
    double utilisation;             /* fraction of the life in use */
    gboolean utilisation_given;     /* FALSE: assumed 1 */
    double financing;               /* interest per year; 0: paid in cash */
    double payment_per_year_usd;    /* all nodes: the annuity, or price / life */
    double watts, electricity;      /* all nodes; USD/kWh */
    double purchase_usd_per_hour, power_usd_per_hour; /* all nodes, per hour used */
    double held_s;                  /* how long this run held them */
  } ownership;
  /* ... or committed for a term: billed per hour held, owed for every hour of the term. */
  struct {
    const char *term;               /* "committed-1y", "committed-3y"; NULL: no commitment (or its price unknown) */
    double term_hours;              /* 8,760 or 26,280 */
    double usd_per_hour;            /* all the cluster's accelerators */
    double devices;                 /* chips or GPUs, for the rate per device-hour */
    double held_s;
  } commitment;
  /* Owning against the rented alternative the owned machine names (owned = { against = ... }). */
  struct {
    gboolean asked, known;
    char *against;                  /* the alternative, as its price line describes it */
    double against_time_s, against_cost_usd;
    double owned_marginal_usd;      /* this run on the owned machines, the purchase left out */
    double fixed_usd_per_year;      /* the payments per year, all nodes */
    double runs_per_year, hours_per_year;
    char *why_unknown;              /* when !known */
  } break_even;
} TsResults;

const TsResults *ts_run_get_results(TsRun *run);
/* The break-even of this run's owned machines against `alt`, the same scenario on the rented alternative they
 * name (run/ownership.c); `alt_error` when that run failed (alt NULL, or infeasible).  Sets results.break_even. */
void ts_run_set_break_even(TsRun *run, TsRun *alt, const GError *alt_error);
/* The break-even of owned results against a rented run that cost `rented_usd`: *runs_per_year, *hours_per_year and
 * what the owned run costs besides the purchase (*marginal_usd).  FALSE when the owned run is not owned with a known
 * price, or renting is never dearer. */
gboolean ts_results_break_even(const TsResults *owned, double rented_usd, double *marginal_usd, double *runs_per_year,
                               double *hours_per_year);
const GPtrArray *ts_run_get_phases(TsRun *run);      /* TsPhase* */
const GPtrArray *ts_run_get_diagnostics(TsRun *run); /* TsDiagnostic* */
const TsRunInfo *ts_run_get_info(TsRun *run);
const GPtrArray *ts_run_get_catalogs(TsRun *run); /* const TsCatalog* used by the run (provenance) */
const TsCluster *ts_run_get_cluster(TsRun *run);  /* NULL before the scenario set one */
/* The datasets the run downloaded or trained on, in order (TsDataset*, the run's). */
const GPtrArray *ts_run_get_datasets(TsRun *run);
/* A job whose cluster's spare nodes are shared (core/scenario/jobs.c), before its training: each failure of one of
 * its nodes (failures.mtbf) is logged, and the job takes a spare at once (the schedule decides who waits).  The
 * log: the times (seconds) of the node failures, NULL unless asked for. */
void ts_run_log_node_failures(TsRun *run);
const GArray *ts_run_get_node_failures(TsRun *run);
/* What the cluster's accelerators cost while provisioned, USD per second (NaN when the price is unknown), and
 * billing's description of it ("2 USD/chip-hour x 64 chips = ...") in *desc when desc is not NULL. */
double ts_run_get_cluster_rate(TsRun *run, const char **desc);
const GPtrArray *ts_run_get_models(TsRun *run);   /* TsModel* the run trained or served, in order */
/* The first error that stopped the simulation (a sink's I/O error, a disk that filled), or NULL. */
const GError *ts_run_get_error(TsRun *run);

void ts_run_add_diagnostic(TsRun *run, TsSeverity severity, const char *code, const char *fmt, ...)
  G_GNUC_PRINTF(4, 5);
void ts_run_note_catalog(TsRun *run, const TsCatalog *catalog);
/* A copy of s (NULL: NULL) that lives as long as the run, each text kept once: labels a run composes, or a job's
 * labels carried past its own run into the cluster's. */
const char *ts_run_keep_string(TsRun *run, const char *s);

/* Actions, called by the scenario process.  Each completes at a simulated time; `done` is called then.
 * FALSE with TS_ERROR_INFEASIBLE stops the run as infeasible (it is still a result). */
typedef void (*TsRunDone)(TsRun *run, void *data);

gboolean ts_run_set_cluster(TsRun *run, TsCluster *cluster, GError **error); /* takes ownership */
/* Another machine group the scenario provisions (a cheap CPU machine for the download). Takes ownership. */
gboolean ts_run_add_machine(TsRun *run, TsMachineGroup *machine, GError **error);
/* A background download lets the process go on at once; r:join() waits for all of them. */
gboolean ts_run_download(TsRun *run, TsDataset *dataset, gboolean to_storage, gboolean background,
                         gboolean resumable, const char *where, TsRunDone done, void *data, GError **error);
gboolean ts_run_join(TsRun *run, const char *where, TsRunDone done, void *data, GError **error);
gboolean ts_run_provision(TsRun *run, int id, double startup_s, const char *where, TsRunDone done, void *data,
                          GError **error);
gboolean ts_run_release(TsRun *run, int id, const char *where, TsRunDone done, void *data, GError **error);
gboolean ts_run_wait(TsRun *run, double seconds, const char *where, TsRunDone done, void *data, GError **error);

/* Which data-parallel collectives the stack hides under compute (parallel.dp_overlap): all of them in their
 * windows, the gradient reductions only (the weight gathers wait), or none. */
typedef enum { TS_DP_OVERLAP_ALL, TS_DP_OVERLAP_REDUCE, TS_DP_OVERLAP_NONE } TsDpOverlap;

typedef struct {
  TsModel *model;   /* the run takes ownership */
  TsDataset *data;  /* the run takes ownership */
  guint64 batch;    /* global batch, samples (sequences) */
  guint64 micro_batch; /* per device; 0 = the whole per-replica batch at once */
  double epochs;    /* one of epochs, steps, tokens */
  guint64 steps;
  double tokens;
  TsPrecision precision;
  TsStack stack;
  gboolean stack_default; /* the scenario said no stack: TS_STACK_DEFAULT */
  TsAttentionImpl attention; /* the attention core's implementation (`attention`; default fused) */
  TsBatchNormImpl batch_norm; /* a convolutional net's batch norms (`batch_norm`; default separate) */
  gboolean dropout_given;    /* `dropout` was stated: ... */
  double dropout;            /* ... this probability (0 to below 1); otherwise the architecture's rule */
  char *optimizer;
  gboolean optimizer_unfused; /* `optimizer_impl` "foreach" or "for-loop": one pass per elementary operation */
  guint views;
  double input_cores; /* per host; 0: all host cores */
  gboolean load_all;  /* the whole dataset in host RAM (the classic mistake) */
  /* parallelism */
  guint tp, pp, cp, zero;
  guint ep;           /* expert-parallel ranks, within the data-parallel ones (1: every rank holds every expert) */
  guint shard_group;  /* ZeRO shards within groups of this many data-parallel ranks (0: all of them) */
  double grad_bytes;  /* bytes per gradient element reduced and kept (0: the training precision's) */
  gboolean grad_all_reduce; /* ZeRO-1 all-reduces the gradients over every replica (parallel.grad_reduce) */
  TsDpOverlap dp_overlap;   /* which data-parallel collectives the stack hides (parallel.dp_overlap) */
  guint vp; /* interleaved (virtual) pipeline stages per device; 1 = plain 1F1B */
  gboolean dualpipe; /* DeepSeek-V3's DualPipe schedule (parallel.schedule = "dualpipe"; an even pp, vp 1) */
  gboolean partition_embeddings; /* the embedding and the output head count as one layer each when the layers are
                                 * split into stages (parallel.partition = "layers+embeddings") */
  gboolean recompute;
  gboolean recompute_auto; /* recompute only as much as needed to fit device memory */
  guint remat_policy;       /* a named recomputation policy (model/remat.h; 0: none) */
  TsRematOffload offload;   /* where that policy's kept tensors stay */
  gboolean sequence_parallel; /* norms' and dropouts' activations split over the tensor ranks too */
  double tp_overlap;          /* fraction of the tensor-parallel traffic hidden under compute, 0..1 */
  gboolean tp_comm_overlap;   /* the stack pipelines it with the products (parallel.tp_overlap = true): it hides
                               * the stack's tp_overlap fraction (TsStackConstants) */
  /* checkpoints */
  gboolean checkpoint;
  guint64 ckpt_every_steps;
  double ckpt_every_epochs;
  double ckpt_every_s;
  guint keep_last;  /* 0: keep all */
  guint keep_every; /* also keep every Kth; 0: none */
  gboolean ckpt_async;
  gboolean ckpt_final;
  /* failures */
  double device_mtbf_s; /* 0: no failures */
  double preempt_mtbf_s;
  double restart_s;
  /* Spares and repair (docs/model.md): a device failure takes its node out for repair_s (0: not modelled, the job
   * restarts at once); the job restarts on one of spare_nodes when one is free, else waits for a repaired node. */
  double repair_s;
  guint spare_nodes;
  double padding; /* fraction of each sequence that is padding (0: packed), below 1 */
  /* Stragglers (stragglers.h): slow_nodes of the nodes (or slow_fraction of them) at slowdown (>= 1; 0: none), and
   * a lognormal per-node, per-step jitter of log-sd `jitter` (0: none). */
  guint slow_nodes;
  double slow_fraction, slowdown, jitter;
  gboolean stragglers_sampled; /* each step draws its nodes' factors (the run's seed) instead of the expectation */
  /* Mixed generations (docs/model.md): mixed_nodes (0: none) of the cluster's nodes hold mixed_sku devices;
   * mixed_speed: the batch is shared in proportion to each generation's speed, else the step waits. */
  char mixed_sku[96];
  guint mixed_nodes;
  gboolean mixed_speed;
  /* A batch ramp (0 segments: none): segment i trains at ramp_size[i] until ramp_until[i] useful samples have
   * been trained in all, the last (ramp_until 0) to the end; batch is then the largest size. */
  guint ramp_segments;
  guint64 ramp_size[TS_RAMP_MAX];
  double ramp_until[TS_RAMP_MAX];
  /* evaluation: one of the intervals (0: none); samples per pass (0: the dataset's eval_samples) */
  double eval_every_epochs;
  guint64 eval_every_steps;
  double eval_every_s;
  guint64 eval_samples;
} TsTrainSpec;

gboolean ts_run_train(TsRun *run, const TsTrainSpec *spec, const char *where, TsRunDone done, void *data,
                      GError **error);

typedef struct {
  TsModel *model; /* the run takes ownership */
  guint64 batch;
  guint64 samples;
  TsPrecision precision;
  TsStack stack;
  gboolean stack_default;
} TsInferSpec;

gboolean ts_run_infer(TsRun *run, const TsInferSpec *spec, const char *where, TsRunDone done, void *data,
                      GError **error);

/* The range of a run's wall time and cost: P10, P50, P90 (run/quantiles.h says how it is derived). */
#define TS_QUANTILE_COUNT 3
typedef struct {
  gboolean known;       /* FALSE when no band is given (no calibration.json; a schedule of jobs): the draws alone */
  double band_error;    /* the band's median |error| (fraction) the spread comes from */
  double sigma;         /* of the log-normal factor: ln(1 + band_error) / z(0.75) */
  guint draws;          /* failure/preemption draws combined (1: a deterministic run) */
  double time_s[TS_QUANTILE_COUNT];
  double cost_usd[TS_QUANTILE_COUNT]; /* NaN when any draw's cost is unknown */
} TsQuantiles;

/* The spread over seeds of a run with random failures (trainsim run --replicas N). */
typedef struct {
  guint replicas;
  guint feasible;
  /* The range every output gives (run, sweep, compare): quantiles below, or the draws' alone without a band. */
  double time_p10_s, time_p50_s, time_p90_s;
  double cost_p10_usd, cost_p50_usd, cost_p90_usd; /* NaN when any replica's cost is unknown */
  /* The failure and preemption draws alone (nearest rank), without the model's band. */
  double draws_time_p10_s, draws_time_p50_s, draws_time_p90_s;
  double draws_cost_p10_usd, draws_cost_p50_usd, draws_cost_p90_usd;
  gboolean automatic; /* run by itself because the run has random failures (spot), not by --replicas */
  double failures_mean;
  TsQuantiles quantiles; /* the draws combined with the model's error band (docs/outputs.md, "Quantiles") */
} TsReplicaStats;

/* Close the books at the end of the simulation (bill what is still provisioned, compute totals). */
void ts_run_finish(TsRun *run);

void ts_dataset_free(TsDataset *d);
void ts_cluster_free(TsCluster *c);
TsDataset *ts_dataset_copy(const TsDataset *d);
TsCluster *ts_cluster_copy(const TsCluster *c);

#endif
