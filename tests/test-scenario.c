/* Running a scenario given as text (test-scenario.h). */
#include "test-scenario.h"

#include "output/summary.h"
#include "plugin/plugin-host.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TsRegistry *
test_registry_new(void)
{
  const char *dirs[] = {TS_BUILD_PLUGIN_DIR, NULL};
  g_autoptr(GError) error = NULL;
  TsRegistry *registry = ts_registry_new(dirs, &error);
  g_assert_no_error(error);
  return registry;
}

double
test_collective_time(const TsRegistry *registry, const char *plugin, const char *sku, double network_per_device,
                     TsCollectiveKind kind, guint participants, guint per_node, double bytes)
{
  const TsPlugin *owner = NULL;
  g_autoptr(GError) error = NULL;
  const TsDeviceRecord *rec = ts_registry_find_device(registry, plugin, sku, &owner, &error);
  g_assert_no_error(error);
  g_assert_nonnull(rec);
  TsDeviceRecord copy = *rec;
  if (network_per_device > 0)
    copy.spec.network_bandwidth = network_per_device;
  TsDevice *dev = ts_device_new(owner, &copy, &error);
  g_assert_no_error(error);
  TsCollective c;
  ts_collective_init(&c);
  c.kind = kind;
  c.participants = participants;
  c.per_node = per_node;
  c.bytes = bytes;
  double t = NAN;
  g_assert_true(ts_device_collective_time(dev, &c, &t, &error));
  g_assert_no_error(error);
  ts_device_free(dev);
  return t;
}

TsRun *
test_scenario_run_text(const TsRegistry *registry, const char *text, const TsScenarioOptions *options, char **path,
                       GError **error)
{
  g_autofree char *file = NULL;
  int fd = g_file_open_tmp("ts-test-XXXXXX.lua", &file, NULL);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  g_assert_true(g_file_set_contents(file, text, -1, NULL));
  TsScenarioOptions opts;
  if (options != NULL)
    opts = *options;
  else
    ts_scenario_options_init(&opts);
  opts.path = file;
  TsRun *run = ts_scenario_run(registry, &opts, error);
  g_unlink(file);
  if (path != NULL)
    *path = g_steal_pointer(&file);
  return run;
}

double
test_stack_overlap(const TsRegistry *registry, const char *stack)
{
  TsStackConstants constants;
  ts_registry_get_stack_constants(registry, stack, &constants);
  return constants.overlap;
}

char *
test_summary_text(TsRun *run)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  g_assert_nonnull(f);
  ts_summary_print(run, f, FALSE);
  fclose(f);
  char *text = g_strdup(buf);
  free(buf);
  return text;
}

gboolean
test_run_has_diagnostic(TsRun *run, const char *code, const char *text)
{
  const GPtrArray *diags = ts_run_get_diagnostics(run);
  for (guint i = 0; i < diags->len; i++) {
    const TsDiagnostic *d = g_ptr_array_index(diags, i);
    if (strcmp(d->code, code) == 0 && (text == NULL || strstr(d->message, text) != NULL))
      return TRUE;
  }
  return FALSE;
}
