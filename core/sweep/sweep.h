/* Sweeps: the cartesian product of parameter values (with ranges), one row per variant, the Pareto front
 * of time against cost, deadline and budget, and the outputs (terminal table, CSV, JSON, chart).  The
 * runner that plays the variants in worker processes is sweep-pool.c; `trainsim merge` reads the JSON of
 * shards back with ts_sweep_result_load and writes the same bytes an unsharded sweep would. */
#ifndef TS_SWEEP_H
#define TS_SWEEP_H

#include <glib.h>
#include <stdio.h>

#define TS_SWEEP_SCHEMA_VERSION 1
#define TS_SWEEP_MAX_VARIANTS 10000000

typedef enum {
  TS_VARIANT_OK,         /* ran to the end */
  TS_VARIANT_INFEASIBLE, /* ran, but does not fit (out of memory, disk full): still a result */
  TS_VARIANT_ERROR,      /* the scenario failed for these values: error(), a sandbox limit, a bad value */
  TS_VARIANT_CRASHED,    /* the variant's worker process died (a signal, or the CPU backstop's _exit) */
  TS_VARIANT_TIMEOUT,    /* ran past --timeout and was killed */
  TS_VARIANT_STATUS_COUNT
} TsVariantStatus;

const char *ts_variant_status_get_name(TsVariantStatus status);
gboolean ts_variant_status_from_name(const char *name, TsVariantStatus *status);

typedef struct {
  char *name;
  char *spec;       /* as given: "10..250:10" */
  GPtrArray *values; /* char*, canonical text ("512", "0.5", "bf16") */
} TsSweepParam;

typedef struct {
  char *scenario;     /* base name of the script, as outputs show it */
  char *scenario_sha256; /* of the script's bytes, so merge can tell an edited script of the same name; NULL:
                          * not known */
  guint64 seed;
  GPtrArray *params;  /* TsSweepParam*, in command-line order; the first varies slowest */
  guint64 variants;   /* size of the product */
  guint shard_k, shard_n; /* 1-based K of N; 0 when not sharded */
  double deadline_s;  /* NAN: none */
  double budget_usd;  /* NAN: none */
  guint replicas;     /* > 1: each variant also runs this many seeds, judged at `quantile` */
  guint quantile;     /* 50 or 90: the percentile of time and cost the deadline and budget judge */
} TsSweepSpec;

TsSweepSpec *ts_sweep_spec_new(const char *scenario_path, guint64 seed);
void ts_sweep_spec_free(TsSweepSpec *spec);
/* "name=v1,v2,a..b:step,a..bxfactor" */
gboolean ts_sweep_spec_add_set(TsSweepSpec *spec, const char *arg, GError **error);
/* Expand one list of values and ranges into canonical texts. */
gboolean ts_sweep_expand_values(const char *list, GPtrArray *out, GError **error);
/* "K/N" */
gboolean ts_sweep_spec_set_shard(TsSweepSpec *spec, const char *text, GError **error);
/* The value of each parameter for a variant (borrowed). */
void ts_sweep_spec_variant_values(const TsSweepSpec *spec, guint64 index, const char **values);
/* "batch=512" for each parameter, NULL-terminated (for TsScenarioOptions.sets). */
char **ts_sweep_spec_variant_sets(const TsSweepSpec *spec, guint64 index);
gboolean ts_sweep_spec_in_shard(const TsSweepSpec *spec, guint64 index);
/* A variant's seed: a hash of the sweep's seed and the variant's index, below 2^53 so JSON keeps it
 * exact; `trainsim run --seed S` with the variant's --set values reproduces the row. */
guint64 ts_sweep_variant_seed(guint64 seed, guint64 index);

typedef struct {
  guint64 index;
  guint64 seed;
  TsVariantStatus status;
  char *error; /* NULL when ok */
  double total_time_s;
  double cost_total, cost_compute, cost_host, cost_storage, cost_network; /* NAN: not modelled / unknown */
  double peak_device, device_capacity, peak_host, host_capacity, peak_storage, storage_capacity;
  double time_q_s, cost_q_usd; /* at the spec's quantile over its replicas; NAN without replicas */
  double energy_kwh, co2_kg;   /* summary.json energy.kwh and energy.co2_kg of the variant's run; NAN unknown */
  /* With replicas, the range every output gives (docs/outputs.md, "Quantiles"): P10, P50, P90 of time and cost
   * over the variant's seeds combined with the model's band; NAN without replicas. */
  double time_p_s[3], cost_p_usd[3];
  /* derived by ts_sweep_result_finish */
  gboolean pareto, meets_deadline, meets_budget, recommended;
  /* 1: peak_storage is one host's (local disks, each holding its share), 0: the whole storage's; NAN unknown */
  double storage_per_host;
} TsSweepRow;

void ts_sweep_row_clear(TsSweepRow *row);
gboolean ts_sweep_row_feasible(const TsSweepRow *row); /* ok */
gboolean ts_sweep_row_has_result(const TsSweepRow *row); /* ok or infeasible: time and cost are known */

typedef struct {
  TsSweepSpec *spec;  /* owned */
  GArray *rows;       /* TsSweepRow of the variants that finished (in any state) */
  gboolean complete;  /* every variant of this (shard of the) sweep finished */
  gint64 recommended; /* row index into rows, or -1 */
  char *recommendation; /* the sentence naming it, or saying that none meets the constraints */
  char *file;         /* the sweep.json it was read from (merge's messages name it), or NULL */
} TsSweepResult;

TsSweepResult *ts_sweep_result_new(TsSweepSpec *spec); /* takes the spec */
void ts_sweep_result_free(TsSweepResult *result);
/* Normalise the rows (as JSON would give them back), then sort them by cost and mark the Pareto front,
 * the deadline and budget and the recommended variant.  Call once all rows are in. */
void ts_sweep_result_finish(TsSweepResult *result);
/* "finishes within 2 d and costs at most 5000 USD at P90 over 8 seeds": what a row must do to meet the spec's
 * deadline and budget; NULL when it sets neither. */
char *ts_sweep_spec_describe_limits(const TsSweepSpec *spec);

char *ts_sweep_result_to_json(const TsSweepResult *result);
/* The same written to `out` as it is made, a quarter of a MiB at a time; FALSE and `error` when a write fails. */
gboolean ts_sweep_result_write_json(const TsSweepResult *result, FILE *out, GError **error);
/* report.html (sweep-report.c): made from the rows, so a result read back from sweep.json gives the same page. */
char *ts_sweep_result_to_html(const TsSweepResult *result);
char *ts_sweep_result_to_csv(const TsSweepResult *result);
/* The table, cheapest first: at most `top` rows (0: all). */
void ts_sweep_result_print(const TsSweepResult *result, FILE *out, guint top, gboolean color);
gboolean ts_sweep_result_write_chart(const TsSweepResult *result, const char *png, const char *svg, GError **error);
/* sweep.csv, sweep.png, sweep.svg, report.html and sweep.json (last) into DIR, all or none. */
gboolean ts_sweep_result_write(const TsSweepResult *result, const char *dir, GError **error);

/* The files ts_sweep_result_write writes, in that order, NULL-terminated. */
extern const char *const ts_sweep_file_names[];

/* Read DIR/sweep.json (or a sweep.json path) back. */
TsSweepResult *ts_sweep_result_load(const char *path, GError **error);
/* The same from a sweep.json's bytes; `file` names it in errors. */
TsSweepResult *ts_sweep_result_load_data(const char *data, gsize len, const char *file, GError **error);
/* Join the shards of one sweep (all N of them, each once) into the unsharded result.  The rows are moved out
 * of the shards, which are left with none (they are checked first: on an error the shards are unchanged). */
TsSweepResult *ts_sweep_result_merge(GPtrArray *shards, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsSweepSpec, ts_sweep_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsSweepResult, ts_sweep_result_free)

#endif
