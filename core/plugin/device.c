/* Plugin instances and the host's checks on every answer. */
#include "plugin/plugin.h"

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

static gboolean
check_answer(TsDevice *device, const char *call, int rc, double value, GError **error)
{
  const char *sku = device->record->spec.sku ? device->record->spec.sku : "?";
  if (rc == TS_PLUGIN_UNSUPPORTED) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s %s does not support this %s (plugin %s)",
                device->plugin->name, sku, call, device->plugin->path);
    return FALSE;
  }
  if (rc != TS_PLUGIN_OK) {
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s (%s): %s failed for %s with code %d",
                device->plugin->name, device->plugin->path, call, sku, rc);
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
  int rc = device->plugin->desc->compute_time(device->instance, work, &s);
  if (!check_answer(device, "compute_time", rc, s, error))
    return FALSE;
  *seconds = s;
  return TRUE;
}

gboolean
ts_device_collective_time(TsDevice *device, const TsCollective *collective, double *seconds, GError **error)
{
  if (device->plugin->desc->collective_time == NULL) {
    *seconds = 0;
    return TRUE;
  }
  double s = NAN;
  int rc = device->plugin->desc->collective_time(device->instance, collective, &s);
  if (!check_answer(device, "collective_time", rc, s, error))
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
  int rc = device->plugin->desc->input_rate(device->instance, work, &r);
  if (!check_answer(device, "input_rate", rc, r, error))
    return FALSE;
  *per_second = r;
  return TRUE;
}
