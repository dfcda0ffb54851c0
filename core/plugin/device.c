/* Plugin instances and the host's checks on every answer. */
#include "plugin/plugin-host.h"

#include "common/ts-error.h"

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

/* The host's roofline for an operation the plugin does not model (docs/plugin-abi.md): products at the
 * device's calibrated efficiency of the workload class (no batch curve), other kinds at the memory
 * bandwidth, each bounded below by the other resource. */
static gboolean
host_roofline(TsDevice *device, const TsOperation *op, double *seconds, GError **error)
{
  const TsDeviceSpec *spec = &device->record->spec;
  TsPrecision p;
  if (!ts_precision_from_name(op->precision, &p) || !(spec->peak_dense[p] > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s %s: no %s peak in the catalog, and plugin %s does not "
                "model the operation itself", device->plugin->name, spec->sku ? spec->sku : "?",
                op->precision ? op->precision : "(none)", device->plugin->name);
    return FALSE;
  }
  TsWorkload w = TS_WORKLOAD_TRANSFORMER;
  ts_workload_from_name(op->workload, &w);
  gboolean product = g_strcmp0(op->kind, "matmul") == 0 || g_strcmp0(op->kind, "attention") == 0;
  double eff = product && spec->efficiency[w] > 0 ? spec->efficiency[w] : 1.0;
  double t_math = op->flops > 0 ? op->flops / (spec->peak_dense[p] * eff) : 0.0;
  double t_mem = op->bytes > 0 && spec->memory_bandwidth > 0 ? op->bytes / spec->memory_bandwidth : 0.0;
  *seconds = MAX(t_math, t_mem);
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
