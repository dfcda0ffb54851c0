/* Running a scenario given as text (test-scenario.h). */
#include "test-scenario.h"

#include "plugin/plugin-host.h"

#include <glib/gstdio.h>
#include <unistd.h>

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
