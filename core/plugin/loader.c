/* Loading one plugin: dlopen, descriptor checks, catalog, and a probe of its answers. */
#include "plugin/plugin-host.h"

#include "common/ts-error.h"

#include <dlfcn.h>
#include <math.h>
#include <string.h>

G_GNUC_PRINTF(3, 4)
static void
refuse(GError **error, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s refused: %s", path, msg);
}

void
ts_work_init(TsWork *work)
{
  memset(work, 0, sizeof *work);
  work->size = sizeof *work;
}

void
ts_collective_init(TsCollective *collective)
{
  memset(collective, 0, sizeof *collective);
  collective->size = sizeof *collective;
}

void
ts_input_work_init(TsInputWork *work)
{
  memset(work, 0, sizeof *work);
  work->size = sizeof *work;
}

void
ts_operation_init(TsOperation *op)
{
  memset(op, 0, sizeof *op);
  op->size = sizeof *op;
}

/* Offsets of the function pointers a plugin of this major provides (operation_time may be NULL, but its slot
 * is there): a descriptor shorter than this is truncated. */
#define TS_DESCRIPTOR_MIN_SIZE (offsetof(TsPluginDescriptor, operation_time) + sizeof(void *))

static gboolean
check_descriptor(const char *path, const TsPluginDescriptor *d, GError **error)
{
  if (d->abi_major != TS_PLUGIN_ABI_MAJOR) {
    refuse(error, path, "built for plugin ABI %u.%u, this trainsim speaks %d.%d (major versions must match)",
           d->abi_major, d->abi_minor, TS_PLUGIN_ABI_MAJOR, TS_PLUGIN_ABI_MINOR);
    return FALSE;
  }
  if (d->abi_minor > TS_PLUGIN_ABI_MINOR) {
    refuse(error, path, "built for plugin ABI %u.%u, newer than this trainsim's %d.%d; upgrade trainsim",
           d->abi_major, d->abi_minor, TS_PLUGIN_ABI_MAJOR, TS_PLUGIN_ABI_MINOR);
    return FALSE;
  }
  if (d->size < TS_DESCRIPTOR_MIN_SIZE) {
    refuse(error, path, "descriptor is truncated: %u bytes, ABI %d.%d needs at least %zu", d->size,
           TS_PLUGIN_ABI_MAJOR, TS_PLUGIN_ABI_MINOR, (size_t) TS_DESCRIPTOR_MIN_SIZE);
    return FALSE;
  }
  if (d->name == NULL || d->name[0] == '\0' || strchr(d->name, '/') != NULL) {
    refuse(error, path, "descriptor has no usable name");
    return FALSE;
  }
  if (d->instance_new == NULL || d->instance_free == NULL || d->compute_time == NULL) {
    refuse(error, path, "descriptor lacks instance_new, instance_free or compute_time");
    return FALSE;
  }
  return TRUE;
}

/* A synthetic SKU for probing plugins that ship no catalog. */
static void
probe_spec_init(TsDeviceSpec *spec)
{
  memset(spec, 0, sizeof *spec);
  spec->size = sizeof *spec;
  spec->sku = "probe";
  spec->generation = "probe";
  spec->name = "probe device";
  for (int p = 0; p < TS_PRECISION_COUNT; p++)
    spec->peak_dense[p] = 100e12;
  spec->memory_bytes = 16e9;
  spec->memory_bandwidth = 1e12;
  spec->link_bandwidth = 50e9;
  spec->links = 4;
  spec->network_bandwidth = 12.5e9;
  spec->cores = 8;
  for (int w = 0; w < TS_WORKLOAD_COUNT; w++) {
    spec->efficiency[w] = 0.5;
    spec->half_batch[w] = 4;
  }
}

/* Ask the plugin a few questions whose answers must be finite, non-negative and monotone in work, so a
 * broken plugin is refused at load time rather than corrupting a forecast later. */
static gboolean
probe(TsPlugin *plugin, GError **error)
{
  TsDeviceSpec synthetic;
  const TsDeviceSpec *spec = &synthetic;
  probe_spec_init(&synthetic);
  if (plugin->catalog_ != NULL && plugin->catalog_->devices->len > 0)
    spec = &((const TsDeviceRecord *) g_ptr_array_index(plugin->catalog_->devices, 0))->spec;

  TsDevice *dev = NULL;
  g_autoptr(GError) err = NULL;
  TsDeviceRecord shim = {0};
  shim.spec = *spec;
  shim.sku = (char *) spec->sku;
  dev = ts_device_new(plugin, &shim, &err);
  if (dev == NULL) {
    refuse(error, plugin->path, "probe failed: %s", err->message);
    return FALSE;
  }
  TsPrecision prec = TS_PRECISION_FP32;
  for (int p = 0; p < TS_PRECISION_COUNT; p++)
    if (spec->peak_dense[p] > spec->peak_dense[prec])
      prec = (TsPrecision) p;
  double t[2] = {0, 0};
  gboolean ok = TRUE;
  for (int i = 0; i < 2 && ok; i++) {
    TsWork w;
    ts_work_init(&w);
    w.precision = prec;
    w.workload = TS_WORKLOAD_TRANSFORMER;
    w.flops = 1e12 * (i + 1);
    w.bytes = 1e9 * (i + 1);
    w.batch_per_device = 8;
    ok = ts_device_compute_time(dev, &w, &t[i], &err);
  }
  if (ok && t[1] < t[0]) {
    g_set_error(&err, TS_ERROR, TS_ERROR_PLUGIN, "compute_time is not monotone in work (%g s for 2 TFLOP, %g s for 1)",
                t[1], t[0]);
    ok = FALSE;
  }
  if (ok && plugin->desc->operation_time != NULL) {
    /* The operation call answers like compute_time: finite, non-negative, not falling as work grows. */
    double o[2] = {0, 0};
    for (int i = 0; i < 2 && ok; i++) {
      TsOperation op;
      ts_operation_init(&op);
      op.kind = "matmul";
      op.precision = ts_precision_get_name(prec);
      op.workload = "transformer";
      op.stack = "eager";
      op.flops = 1e12 * (i + 1);
      op.bytes = 1e9 * (i + 1);
      op.count = 1;
      op.m = op.n = op.k = 4096;
      op.batch = 8;
      gboolean by_plugin;
      ok = ts_device_operation_time(dev, &op, &o[i], &by_plugin, &err);
      if (!ok)
        g_prefix_error(&err, "operation_time: ");
    }
    if (ok && o[1] < o[0]) {
      g_set_error(&err, TS_ERROR, TS_ERROR_PLUGIN, "operation_time is not monotone in work (%g s for 2 TFLOP, %g s "
                  "for 1)", o[1], o[0]);
      ok = FALSE;
    }
  }
  if (ok && plugin->desc->collective_time != NULL) {
    TsCollective c;
    ts_collective_init(&c);
    c.kind = TS_COLLECTIVE_ALL_REDUCE;
    c.participants = 8;
    c.per_node = 8;
    c.dims[0] = 2;
    c.dims[1] = 4;
    c.dims[2] = 1;
    c.bytes = 1e8;
    double s;
    ok = ts_device_collective_time(dev, &c, &s, &err) || g_error_matches(err, TS_ERROR, TS_ERROR_SCENARIO);
  }
  ts_device_free(dev);
  if (!ok) {
    refuse(error, plugin->path, "probe failed: %s", err->message);
    return FALSE;
  }
  return TRUE;
}

void
ts_plugin_free(TsPlugin *plugin)
{
  if (plugin == NULL)
    return;
  ts_catalog_free(plugin->catalog_);
  if (plugin->handle != NULL) {
    dlclose(plugin->handle);
  }
  g_free(plugin->name);
  g_free(plugin->path);
  g_free(plugin->catalog_path_);
  g_free(plugin->catalog_error_);
  g_free(plugin);
}

/* dlopen, the entry point and the descriptor's checks, into `plugin` (its path set): what every load does before
 * the catalog.  plugin->desc is set only when every check passed. */
static gboolean
plugin_open_handle(TsPlugin *plugin, GError **error)
{
  const char *path = plugin->path;
  /* Clear any stale dlerror() so the message we report is about this file. */
  (void) dlerror();
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL) {
    const char *why = dlerror();
    refuse(error, path, "cannot be loaded: %s", why ? why : "unknown dlopen error");
    return FALSE;
  }
  plugin->handle = handle;

  (void) dlerror();
  /* POSIX: a function pointer survives the round trip through void * on every platform dlsym supports. */
  TsPluginEntryFunc entry;
  *(void **) (&entry) = dlsym(handle, TS_PLUGIN_ENTRY_SYMBOL);
  if (entry == NULL) {
    refuse(error, path, "does not export %s() (is it a trainsim plugin?)", TS_PLUGIN_ENTRY_SYMBOL);
    return FALSE;
  }
  const TsPluginDescriptor *desc = entry();
  if (desc == NULL) {
    refuse(error, path, "%s() returned NULL", TS_PLUGIN_ENTRY_SYMBOL);
    return FALSE;
  }
  if (!check_descriptor(path, desc, error))
    return FALSE;
  plugin->desc = desc;
  return TRUE;
}

static TsPlugin *
plugin_open(const char *path, GError **error)
{
  TsPlugin *plugin = g_new0(TsPlugin, 1);
  plugin->path = g_strdup(path);
  if (!plugin_open_handle(plugin, error)) {
    ts_plugin_free(plugin);
    return NULL;
  }
  plugin->name = g_strdup(plugin->desc->name);
  return plugin;
}

/* The catalog file the descriptor names, beside the shared object; NULL when it names none. */
static char *
catalog_path(const TsPlugin *plugin)
{
  if (plugin->desc->catalog == NULL)
    return NULL;
  g_autofree char *dir = g_path_get_dirname(plugin->path);
  return g_build_filename(dir, plugin->desc->catalog, NULL);
}

/* Parse the catalog at `cpath` (when not NULL) and probe the answers: the rest of a load. */
static gboolean
plugin_finish(TsPlugin *plugin, const char *cpath, GError **error)
{
  if (cpath != NULL) {
    g_autoptr(GError) cerr = NULL;
    plugin->catalog_ = ts_catalog_load(cpath, plugin->desc->name, &cerr);
    if (plugin->catalog_ == NULL) {
      refuse(error, plugin->path, "%s", cerr->message);
      return FALSE;
    }
  }
  return probe(plugin, error);
}

TsPlugin *
ts_plugin_load(const char *path, GError **error)
{
  TsPlugin *plugin = plugin_open(path, error);
  if (plugin == NULL)
    return NULL;
  g_autofree char *cpath = catalog_path(plugin);
  if (!plugin_finish(plugin, cpath, error)) {
    ts_plugin_free(plugin);
    return NULL;
  }
  return plugin;
}

TsPlugin *
ts_plugin_new_deferred(const char *path, const char *name, const char *catalog_path)
{
  TsPlugin *plugin = g_new0(TsPlugin, 1);
  plugin->path = g_strdup(path);
  plugin->name = g_strdup(name);
  plugin->catalog_path_ = g_strdup(catalog_path);
  plugin->deferred_ = TRUE;
  return plugin;
}

/* A deferred plugin's whole load, at its first use: what ts_plugin_load does, and a check that the descriptor still
 * says what the child probe saw (the name the registry already lists it by, the catalog file vouched for). */
static gboolean
plugin_finish_deferred(TsPlugin *plugin, GError **error)
{
  if (!plugin_open_handle(plugin, error))
    return FALSE;
  g_autofree char *cpath = catalog_path(plugin);
  if (strcmp(plugin->desc->name, plugin->name) != 0 || g_strcmp0(cpath, plugin->catalog_path_) != 0) {
    refuse(error, plugin->path, "its descriptor (name \"%s\", catalog %s) is not what its probe saw (name \"%s\", "
           "catalog %s)", plugin->desc->name, cpath ? cpath : "none", plugin->name,
           plugin->catalog_path_ ? plugin->catalog_path_ : "none");
    plugin->desc = NULL;
    return FALSE;
  }
  return plugin_finish(plugin, plugin->catalog_path_, error);
}

gboolean
ts_plugin_is_catalog_loaded(const TsPlugin *plugin)
{
  return !plugin->deferred_ || g_atomic_pointer_get((gsize *) &plugin->catalog_once_) != 0;
}

TsCatalog *
ts_plugin_get_catalog_mutable(TsPlugin *plugin)
{
  /* A deferred plugin's shared object and catalog, the first time either is asked for.  The registry is shared
   * read-only (plan's threads): g_once makes the one load visible to every thread, and nothing else in the plugin
   * changes. */
  if (plugin->deferred_ && g_once_init_enter(&plugin->catalog_once_)) {
    g_autoptr(GError) err = NULL;
    if (!plugin_finish_deferred(plugin, &err)) {
      /* Only if a file (the shared object or its catalog) changed under an unchanged identity since the child
       * probed it: said by the lookups that name this plugin (ts_registry_find_device) and by `trainsim plugins`,
       * never a silent empty catalog. */
      ts_catalog_free(plugin->catalog_);
      plugin->catalog_ = NULL;
      plugin->catalog_error_ = g_strdup(err->message);
    } else if (plugin->registry_ != NULL && plugin->catalog_ != NULL) {
      ts_registry_calibrate_catalog(plugin->registry_, plugin->catalog_);
    }
    g_once_init_leave(&plugin->catalog_once_, 1);
  }
  return plugin->catalog_;
}

const TsCatalog *
ts_plugin_get_catalog(const TsPlugin *plugin)
{
  return ts_plugin_get_catalog_mutable((TsPlugin *) plugin);
}

const TsPluginDescriptor *
ts_plugin_get_descriptor(const TsPlugin *plugin)
{
  ts_plugin_get_catalog(plugin);
  return plugin->desc;
}

const char *
ts_plugin_get_catalog_error(const TsPlugin *plugin)
{
  ts_plugin_get_catalog(plugin);
  return plugin->catalog_error_;
}
