/* Plugin instances and the host's checks on every answer. */
#include "plugin/plugin-host.h"

#include "common/ts-error.h"
#include "trainsim/plugin-helpers.h"

#include <math.h>
#include <string.h>

struct TsDevice {
  const TsPlugin *plugin;
  const TsDeviceRecord *record;
  void *instance;
  TsHostApi host;
};

static void
host_log(void *host_data, const char *plugin, const char *message)
{
  (void) host_data;
  g_log("trainsim", G_LOG_LEVEL_DEBUG, "plugin %s: %s", plugin ? plugin : "?", message ? message : "");
}

TsDevice *
ts_device_new(const TsPlugin *plugin, const TsDeviceRecord *record, GError **error)
{
  if (plugin->desc == NULL) {
    /* Records come from loaded catalogs, so this is a caller's slip: said, not a crash. */
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s (%s): not loaded (%s)", plugin->name, plugin->path,
                plugin->catalog_error_ != NULL ? plugin->catalog_error_ : "its catalog was never read");
    return NULL;
  }
  TsDevice *dev = g_new0(TsDevice, 1);
  dev->plugin = plugin;
  dev->record = record;
  dev->host.abi_major = TS_PLUGIN_ABI_MAJOR;
  dev->host.abi_minor = TS_PLUGIN_ABI_MINOR;
  dev->host.size = sizeof dev->host;
  dev->host.host_data = dev;
  dev->host.log = host_log;
  char errbuf[256] = "";
  int rc = plugin->desc->instance_new(&dev->host, &record->spec, &dev->instance, errbuf, sizeof errbuf);
  if (rc != TS_PLUGIN_OK) {
    errbuf[sizeof errbuf - 1] = '\0';
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s (%s): cannot create an instance for %s: %s",
                plugin->name, plugin->path, record->spec.sku ? record->spec.sku : "?",
                errbuf[0] ? errbuf : "no reason given");
    g_free(dev);
    return NULL;
  }
  return dev;
}

void
ts_device_free(TsDevice *device)
{
  if (device == NULL)
    return;
  device->plugin->desc->instance_free(device->instance);
  g_free(device);
}

const TsDeviceRecord *
ts_device_get_record(const TsDevice *device)
{
  return device->record;
}

const TsPlugin *
ts_device_get_plugin(const TsDevice *device)
{
  return device->plugin;
}

/* The plugin's reason from its error buffer, or a stand-in. */
static const char *
reason(char *errbuf, size_t len)
{
  errbuf[len - 1] = '\0';
  return errbuf[0] ? errbuf : "no reason given";
}

static gboolean
check_answer(TsDevice *device, const char *call, int rc, double value, char *errbuf, size_t errlen, GError **error)
{
  const char *sku = device->record->spec.sku ? device->record->spec.sku : "?";
  if (rc == TS_PLUGIN_UNSUPPORTED) {
    /* The plugin's own words, which name what the device lacks (V100 + bf16: no bf16 peak). */
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s %s: %s (%s, plugin %s)", device->plugin->name, sku,
                reason(errbuf, errlen), call, device->plugin->path);
    return FALSE;
  }
  if (rc != TS_PLUGIN_OK) {
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s (%s): %s failed for %s with code %d: %s",
                device->plugin->name, device->plugin->path, call, sku, rc, reason(errbuf, errlen));
    return FALSE;
  }
  if (!isfinite(value) || value < 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s (%s): %s returned %g for %s (expected a finite, "
                "non-negative number)", device->plugin->name, device->plugin->path, call, value, sku);
    return FALSE;
  }
  return TRUE;
}

gboolean
ts_device_compute_time(TsDevice *device, const TsWork *work, double *seconds, GError **error)
{
  double s = NAN;
  char errbuf[256] = "";
  int rc = device->plugin->desc->compute_time(device->instance, work, &s, errbuf, sizeof errbuf);
  if (!check_answer(device, "compute_time", rc, s, errbuf, sizeof errbuf, error))
    return FALSE;
  *seconds = s;
  return TRUE;
}

gboolean
ts_device_collective_time(TsDevice *device, const TsCollective *collective, double *seconds, GError **error)
{
  /* No collective model, or "not modelled": NaN, which the run model reports as null with a diagnostic
   * (never as 0 s: a free collective would flatter every forecast). */
  if (device->plugin->desc->collective_time == NULL) {
    *seconds = NAN;
    return TRUE;
  }
  const TsDeviceSpec *spec = &device->record->spec;
  if (device->record->defined && collective->participants > 1 && collective->per_node > 1 &&
      !(spec->link_bandwidth > 0)) {
    /* The scenario's own device leaves out what its devices talk over inside a node: the user's to give, not
     * a plugin's failure to report (the plugin would divide by the missing bandwidth). */
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %u devices to a node exchange data over links the define "
                "does not state; give define.link_bandwidth = \"... GB/s\" (per link, per direction) and "
                "define.links (how many), or per_node = 1", spec->sku ? spec->sku : "?", collective->per_node);
    return FALSE;
  }
  double s = NAN;
  char errbuf[256] = "";
  int rc = device->plugin->desc->collective_time(device->instance, collective, &s, errbuf, sizeof errbuf);
  if (rc == TS_PLUGIN_NOT_MODELLED) {
    *seconds = NAN;
    return TRUE;
  }
  if (!check_answer(device, "collective_time", rc, s, errbuf, sizeof errbuf, error))
    return FALSE;
  *seconds = s;
  return TRUE;
}

gboolean
ts_device_input_rate(TsDevice *device, const TsInputWork *work, double *per_second, GError **error)
{
  if (device->plugin->desc->input_rate == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s does not model an input pipeline", device->plugin->name);
    return FALSE;
  }
  double r = NAN;
  char errbuf[256] = "";
  int rc = device->plugin->desc->input_rate(device->instance, work, &r, errbuf, sizeof errbuf);
  if (!check_answer(device, "input_rate", rc, r, errbuf, sizeof errbuf, error))
    return FALSE;
  *per_second = r;
  return TRUE;
}

/* The host's roofline for an operation the plugin does not model (docs/plugin-abi.md): the SDK's own
 * (ts_roofline_operation_time_tiled, plugins/sdk/plugin-helpers.c, linked into core as into every bundled plugin)
 * with every dimension padded, so a fix to the shared roofline reaches this fallback too (docs/architecture.md,
 * "Layers").  Anything it cannot answer -- a precision the catalog states no peak for, a kind it does not know --
 * is the scenario's fault here: no one else will answer. */
static gboolean
host_roofline(TsDevice *device, const TsOperation *op, double *seconds, GError **error)
{
  const TsDeviceSpec *spec = &device->record->spec;
  double s = NAN;
  char errbuf[256] = "";
  int rc = ts_roofline_operation_time_tiled(spec, op, TS_TILE_MNK, &s, errbuf, sizeof errbuf);
  if (rc != TS_PLUGIN_OK) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s %s: %s, and plugin %s does not model the operation itself",
                device->plugin->name, spec->sku ? spec->sku : "?", reason(errbuf, sizeof errbuf),
                device->plugin->name);
    return FALSE;
  }
  *seconds = s;
  return TRUE;
}

gboolean
ts_device_operation_time(TsDevice *device, const TsOperation *op, double *seconds, gboolean *by_plugin,
                         GError **error)
{
  *by_plugin = FALSE;
  if (device->plugin->desc->operation_time != NULL) {
    double s = NAN;
    char errbuf[256] = "";
    int rc = device->plugin->desc->operation_time(device->instance, op, &s, errbuf, sizeof errbuf);
    if (rc != TS_PLUGIN_NOT_MODELLED) {
      if (!check_answer(device, "operation_time", rc, s, errbuf, sizeof errbuf, error))
        return FALSE;
      *seconds = s;
      *by_plugin = TRUE;
      return TRUE;
    }
  }
  return host_roofline(device, op, seconds, error);
}

gboolean
ts_device_stack_constants(TsDevice *device, const char *stack, TsStackConstants *constants, GError **error)
{
  const TsPluginDescriptor *d = device->plugin->desc;
  if (d->abi_minor < 1 || d->stack_constants == NULL)
    return TRUE;
  TsStackConstants mine = *constants;
  char errbuf[256] = "";
  int rc = d->stack_constants(device->instance, stack, &mine, errbuf, sizeof errbuf);
  if (rc == TS_PLUGIN_NOT_MODELLED)
    return TRUE;
  if (!check_answer(device, "stack_constants", rc, 0, errbuf, sizeof errbuf, error))
    return FALSE;
  const double values[5] = {mine.launch_s, mine.fusion, mine.overhead_s, mine.overlap, mine.tp_overlap};
  for (int i = 0; i < 5; i++) {
    gboolean fraction = i == 1 || i >= 3;
    if (!isfinite(values[i]) || values[i] < 0 || (fraction && values[i] > 1)) {
      g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s (%s): stack_constants for stack %s gave %s = %g "
                  "(expected finite, >= 0%s)", device->plugin->name, device->plugin->path, stack,
                  (const char *const[]){"launch_s", "fusion", "overhead_s", "overlap", "tp_overlap"}[i], values[i],
                  fraction ? ", <= 1" : "");
      return FALSE;
    }
  }
  mine.size = constants->size;
  *constants = mine;
  return TRUE;
}
