/* The host's side of plugins: loading, the registry and checked plugin calls (what a plugin sees of the
 * host is the public trainsim/plugin.h).
 *
 * Plugins are loaded once per process into an immutable TsRegistry that is passed explicitly to each
 * simulation.  Each simulation makes its own TsDevice instances, whose answers the host checks
 * (finite, non-negative, monotone in work) before anything else sees them. */
#ifndef TS_PLUGIN_HOST_H
#define TS_PLUGIN_HOST_H

#include <glib.h>

#include "catalog/catalog.h"
#include "trainsim/plugin.h"

struct TsRegistry;

typedef struct {
  char *name;
  char *path;    /* the shared object */
  /* dlopen's handle and the descriptor: NULL for a deferred plugin until its first use, so read the descriptor
   * with ts_plugin_get_descriptor outside loader.c (a TsDevice's plugin is always loaded). */
  void *handle;
  const TsPluginDescriptor *desc;
  /* The catalog: read it with ts_plugin_get_catalog, never here (a deferred plugin's catalog is parsed at the
   * first call).  NULL when the plugin declares none. */
  TsCatalog *catalog_;
  gboolean deferred_;    /* made by ts_plugin_new_deferred: opened and loaded at the first use */
  char *catalog_path_;   /* a deferred plugin's catalog file, as its probe saw it (NULL: none) */
  gsize catalog_once_;   /* g_once_init_enter guard of the deferred load (plan's threads share plugins) */
  char *catalog_error_;  /* why a deferred load failed; the catalog then stays NULL */
  const struct TsRegistry *registry_; /* whose calibration a deferred catalog takes; NULL outside a registry */
} TsPlugin;

/* dlopen(RTLD_NOW | RTLD_LOCAL) one shared object, check its descriptor and its catalog, and probe its
 * answers.  Every refusal is TS_ERROR_PLUGIN naming the file and the reason. */
TsPlugin *ts_plugin_load(const char *path, GError **error);
/* A plugin known by its name alone: dlopen, the descriptor's checks, the catalog's parse and the probe all wait for
 * the first ts_plugin_get_catalog or ts_plugin_get_descriptor.  Only for a plugin whose child probe already loaded
 * this very plugin file with this very catalog file (probe.c's cache), so that start-up neither opens nor parses
 * what a command does not use.  A load that fails then (a file changed behind an unchanged identity) leaves the
 * plugin as a refused one: no descriptor, no catalog, and ts_plugin_get_catalog_error saying why. */
TsPlugin *ts_plugin_new_deferred(const char *path, const char *name, const char *catalog_path);
void ts_plugin_free(TsPlugin *plugin);
/* The plugin's catalog (NULL when it declares none, or when a deferred load failed: ts_plugin_get_catalog_error
 * says why).  A deferred catalog is loaded here once, thread-safely, and given the registry's calibration. */
const TsCatalog *ts_plugin_get_catalog(const TsPlugin *plugin);
/* The same, writable: the registry's own merging of --catalog files, before the registry is shared. */
TsCatalog *ts_plugin_get_catalog_mutable(TsPlugin *plugin);
/* The descriptor (a deferred plugin is loaded here); NULL when its deferred load failed. */
const TsPluginDescriptor *ts_plugin_get_descriptor(const TsPlugin *plugin);
/* Why the deferred load of the catalog failed ("plugin PATH refused: ..."), or NULL. */
const char *ts_plugin_get_catalog_error(const TsPlugin *plugin);
/* Whether the plugin has been loaded in full, catalog included (tests and `bench/`: what a command opened). */
gboolean ts_plugin_is_catalog_loaded(const TsPlugin *plugin);

/* probe.c: refuse a plugin file that someone other than root or us could replace (owner, mode of the file
 * and of the directories above it), before any of its code runs. */
gboolean ts_plugin_check_file(const char *path, GError **error);
/* ts_plugin_check_file, then ts_plugin_load in a child process (a crash or hang there refuses the plugin by
 * name), its verdict cached by file identity, then ts_plugin_load here.  What the registry uses. */
TsPlugin *ts_plugin_load_checked(const char *path, GError **error);


typedef struct TsRegistry TsRegistry;

/* Scan the search path (build tree, install dir, then each directory of TRAINSIM_PLUGIN_PATH) for
 * "*.so" files.  A file that is refused does not stop the others: its refusal is kept and shown by
 * `trainsim plugins` and by any scenario that asks for that plugin.  `dirs` (NULL-terminated) replaces
 * the search path when not NULL (tests). */
TsRegistry *ts_registry_new(const char *const *dirs, GError **error);
void ts_registry_free(TsRegistry *registry);

const TsPlugin *ts_registry_find(const TsRegistry *registry, const char *name);
guint ts_registry_get_count(const TsRegistry *registry);
const TsPlugin *ts_registry_get(const TsRegistry *registry, guint index);
/* Refusals and notes collected while loading ("path: reason"). */
const GPtrArray *ts_registry_get_refusals(const TsRegistry *registry);
/* Those of the refusals that set aside a calibration.json entry or file ("path: what ignored: why"). */
const GPtrArray *ts_registry_get_calibration_refusals(const TsRegistry *registry);
/* The fit's own figures, as the calibration file that gave the constants states them in its `summary` (tools/fit.py:
 * its cases, leave-one-out and leave-one-family-out errors); a figure the file does not give is NAN, and `cases` 0
 * when no file gives a summary.  The last file applied wins, as for the constants. */
typedef struct {
  guint cases, constants;
  double in_sample_median, loo_median, loo_max, lofo_median;
} TsCalibrationSummary;
const TsCalibrationSummary *ts_registry_get_calibration_summary(const TsRegistry *registry);
/* The directories searched, in order. */
const GPtrArray *ts_registry_get_dirs(const TsRegistry *registry);
/* The constants of software stack `stack` ("eager", ...) from calibration.json's stacks[]; FALSE, with the
 * documented neutral values (no launch cost, fusion 1, no overhead, overlap 1), when no file names it. */
gboolean ts_registry_get_stack_constants(const TsRegistry *registry, const char *stack, TsStackConstants *constants);

/* The constants of a device outside the plugins' catalogs (docs/model.md, "Calibration inheritance"): those of
 * `generation` when calibration.json has it, else the pooled ones, labelled "uncalibrated: WHAT; ..." (*label,
 * which the caller owns and the record borrows) with the pooled band.  A `generation` calibration.json does not
 * know is an error listing those it knows when `error` is not NULL; with `error` NULL it takes the pooled ones
 * and the label says why. */
gboolean ts_registry_inherit_constants(const TsRegistry *registry, const char *generation, const char *what,
                                       TsDeviceRecord *record, char **label, GError **error);
/* Gives a freshly loaded plugin catalog calibration.json's constants, exactly as if it had been loaded with the
 * registry (the files' generations and pooled entries replayed in order, then the "uncalibrated" label for what
 * none names).  ts_plugin_get_catalog calls it for a deferred catalog. */
void ts_registry_calibrate_catalog(const TsRegistry *registry, TsCatalog *catalog);
/* Merges a user catalog (--catalog FILE: a JSON file in a plugin's own schema whose "catalog" names the plugin)
 * into that plugin's catalog for this process: new SKUs and instances only (one the catalogs already have is
 * refused), their constants inherited as above.  Call before the registry is shared. */
gboolean ts_registry_add_catalog(TsRegistry *registry, const char *path, GError **error);

/* A device SKU looked up across all plugins' catalogs: "v3", "tpu:v3", "V100-SXM2-16GB". */
/* A host CPU by SKU, from any catalog whose role is "host" (no plugin named). */
const TsDeviceRecord *ts_registry_find_host_cpu(const TsRegistry *registry, const char *sku, const TsPlugin **owner,
                                                GError **error);
const TsDeviceRecord *ts_registry_find_device(const TsRegistry *registry, const char *plugin, const char *sku,
                                              const TsPlugin **owner, GError **error);
const TsInstanceRecord *ts_registry_find_instance(const TsRegistry *registry, const char *name,
                                                  const TsPlugin **owner);

/* One plugin instance for one simulation and SKU. */
typedef struct TsDevice TsDevice;

TsDevice *ts_device_new(const TsPlugin *plugin, const TsDeviceRecord *record, GError **error);
void ts_device_free(TsDevice *device);
const TsDeviceRecord *ts_device_get_record(const TsDevice *device);
const TsPlugin *ts_device_get_plugin(const TsDevice *device);

/* Checked calls: a NaN, infinite or negative answer, or a plugin error, is TS_ERROR_PLUGIN naming the
 * plugin and the call. */
gboolean ts_device_compute_time(TsDevice *device, const TsWork *work, double *seconds, GError **error);
gboolean ts_device_collective_time(TsDevice *device, const TsCollective *collective, double *seconds,
                                   GError **error);
gboolean ts_device_input_rate(TsDevice *device, const TsInputWork *work, double *per_second, GError **error);
/* A collective the plugin does not model (no collective_time, or TS_PLUGIN_NOT_MODELLED) is TRUE with *seconds
 * = NAN: the caller reports it as null with a diagnostic. */
/* The device side of one operation (ABI 2.0).  *by_plugin is FALSE when the plugin has no answer (no call, or
 * TS_PLUGIN_NOT_MODELLED) and the host's roofline gave the time (docs/plugin-abi.md). */
gboolean ts_device_operation_time(TsDevice *device, const TsOperation *op, double *seconds, gboolean *by_plugin,
                                  GError **error);
void ts_operation_init(TsOperation *op);
/* The stack constants for `stack` on this device: *constants holds core's values; a plugin with a
 * stack_constants call (ABI 2.1) may override them, checked (finite, >= 0, fusion and overlap <= 1). */
gboolean ts_device_stack_constants(TsDevice *device, const char *stack, TsStackConstants *constants, GError **error);

/* Fill a work/collective/input struct with its size and zeroes (so plugins can trust `size`). */
void ts_work_init(TsWork *work);
void ts_collective_init(TsCollective *collective);
void ts_input_work_init(TsInputWork *work);

#endif
