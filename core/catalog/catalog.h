/* Device catalogs: JSON data files, one per plugin, parsed here (and only here) into typed records.
 * Every number carries its source, the date, and the value as the source states it. */
#ifndef TS_CATALOG_H
#define TS_CATALOG_H

#include <glib.h>

#include "trainsim/plugin.h"
#include "units/units.h"

typedef struct {
  char *key;
  char *title;
  char *url;
  char *date;
  gboolean verified;
} TsSource;

/* One sourced number as the catalog gives it. */
typedef struct {
  char *name;     /* field name: "peak_bf16" */
  char *text;     /* "123 TFLOP/s" */
  TsQuantity quantity;
  char *source;   /* key into the catalog's sources */
  char *stated;   /* the source's own words */
  char *derived;  /* arithmetic from stated to value, or NULL */
  char *region;   /* prices only */
} TsField;

typedef struct {
  double value; /* USD per `per`; 0 when not listed */
  TsPriceUnit per;
  const TsField *field; /* provenance; NULL when not listed */
} TsPrice;

/* How a rented machine is paid for.  A commitment has a term: one price cannot stand for both a 1-year and a
 * 3-year commitment (the 3-year one is often a third cheaper again), so each term is its own pricing. */
typedef enum {
  TS_PRICING_ON_DEMAND,
  TS_PRICING_SPOT,
  TS_PRICING_COMMITTED_1Y,
  TS_PRICING_COMMITTED_3Y,
  TS_PRICING_COUNT
} TsPricing;

typedef struct {
  char *name;     /* "v3-128" */
  guint chips;
  guint dims[3];  /* "4x8" -> {4, 8, 1}; "4x4x4" -> {4, 4, 4} */
  guint mesh_dims; /* bit d: dimension d has no wraparound ("wraparound": false in the catalog) */
} TsSlice;

typedef struct {
  TsDeviceSpec spec; /* what plugins receive; strings point into this record */
  char *plugin;      /* catalog it came from */
  char *sku;
  char *name;
  char *generation;
  TsPrice price[TS_PRICING_COUNT];
  double purchase_price;
  double idle_power_w;       /* the chip's draw when idle, where a source gives one; 0 unknown (energy uses tdp) */
  double memory_allocatable; /* what the driver reports as total (nvidia-smi); 0 when no source gives it */
  double preemption_mtbf_s;  /* spot/preemptible: mean time between interruptions of one host; 0 unknown */
  /* GPUs joined by one NVLink switch fabric across hosts (a GB200 NVL72 rack: 72 GPUs in 18 trays of 4); 0 when
   * the fabric ends at the host, as on an HGX board.  The collectives' scale-up domain (docs/model.md, "GPU"). */
  double nvlink_domain;
  GArray *slices; /* TsSlice, TPU only; empty otherwise */
  gboolean slice_names_count_cores;
  guint torus_rank; /* 2 or 3 for TPUs, 0 otherwise */
  GPtrArray *fields; /* TsField*, in catalog order */
  /* Where the constants of each workload class came from, and the error band that goes with them
   * (calibration.json; borrowed from the registry, which outlives every run): "calibrated on 5 runs" or
   * "uncalibrated: constants derived from Hopper"; NULL only before calibration is applied. */
  const char *calibration[TS_WORKLOAD_COUNT];
  const char *band[TS_WORKLOAD_COUNT];
  /* A device from outside the plugins' own catalogs: the user catalog (--catalog FILE) it came from, or NULL
   * (from the plugin's catalog, or defined in a scenario: `defined`).  Provenance for summary.json. */
  const struct TsCatalog *origin;
  gboolean defined;      /* declared in a scenario (device { define = {...} }), owned by its accelerator */
  char *calibration_own; /* the calibration label when the record owns it (a defined device); else NULL */
  /* The band as a number: its median |error| (a fraction: the generation's leave-one-out median when
   * calibrated, the leave-one-family-out one otherwise); 0 when calibration.json gives none. */
  double band_error[TS_WORKLOAD_COUNT];
} TsDeviceRecord;

typedef struct {
  char *name; /* "p3.16xlarge" */
  char *provider;
  char *device_sku;
  char *host_cpu; /* may be NULL */
  double devices; /* accelerators in the instance */
  double vcpus;
  double ram;
  double local_disk;
  double network_bandwidth;
  double power;
  double purchase_price;
  double service_life_s;
  double preemption_mtbf_s; /* spot: mean time between interruptions of one instance; 0 unknown */
  TsPrice price[TS_PRICING_COUNT];
  GPtrArray *fields;
} TsInstanceRecord;

typedef struct TsCatalog {
  char *plugin;
  char *path;
  char *sha256_; /* of the file's bytes, hex, computed when first asked for: ts_catalog_get_sha256 */
  GBytes *bytes_; /* the file's bytes, kept for that */
  GHashTable *sources; /* key -> TsSource* */
  GPtrArray *devices;   /* TsDeviceRecord* */
  GPtrArray *instances; /* TsInstanceRecord* */
  gboolean host_role;   /* "role": "host": its devices are host CPUs, billed as host (docs/plugins.md) */
} TsCatalog;

/* A device record outside any catalog (a scenario's define): empty fields and slices, spec strings pointing
 * into the record.  ts_device_record_free frees it (and what it owns). */
TsDeviceRecord *ts_device_record_new(const char *plugin, const char *sku, const char *name, const char *generation);
void ts_device_record_free(TsDeviceRecord *record);

/* Parse a catalog file.  `plugin` is the name it must declare (NULL: whichever plugin it declares, a user
 * catalog given with --catalog).  Errors name the file, the entry and
 * the field, and what was expected (TS_ERROR_CATALOG). */
TsCatalog *ts_catalog_load(const char *path, const char *plugin, GError **error);
/* The same from memory (tests, fuzzing); `path` is used in messages only. */
TsCatalog *ts_catalog_load_data(const char *data, gsize len, const char *path, const char *plugin,
                                GError **error);
void ts_catalog_free(TsCatalog *catalog);

const TsDeviceRecord *ts_catalog_find_device(const TsCatalog *catalog, const char *sku);
const TsInstanceRecord *ts_catalog_find_instance(const TsCatalog *catalog, const char *name);
const TsSlice *ts_device_record_find_slice(const TsDeviceRecord *device, const char *name);
/* "v3-8, v3-32, ..." for messages. */
char *ts_device_record_list_slices(const TsDeviceRecord *device);
/* The SHA-256 of the catalog file's bytes (hex): provenance in summary.json.  Computed on the first call, not at
 * load: a run that writes no summary.json never pays for hashing every catalog. */
const char *ts_catalog_get_sha256(const TsCatalog *catalog);
/* The newest date among the sources of the catalog's prices ("" if none). */
const char *ts_catalog_get_price_date(const TsCatalog *catalog);

const char *ts_precision_get_name(TsPrecision p);
gboolean ts_precision_from_name(const char *name, TsPrecision *out);
const char *ts_pricing_get_name(TsPricing p);
const char *ts_workload_get_name(TsWorkload w);
gboolean ts_workload_from_name(const char *name, TsWorkload *out);

#endif
