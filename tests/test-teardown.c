/* /teardown/...: what a scenario leaves behind.  Every registry reference the bindings take (the cluster,
 * the run coroutine, the prelude's action token) is counted, and the count is back at zero when
 * ts_scenario_run returns, however the scenario ended: finished, infeasible, a script error before or
 * during the run, a forged action, or a sandbox limit.  (ts_scenario_run also warns, fatally under
 * g_test, if its own count is not zero at teardown.)  Under the ASan build, LeakSanitizer then checks
 * that nothing else was left allocated when this process exits. */
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
#include "scenario/bindings.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <string.h>

#ifndef TS_BUILD_PLUGIN_DIR
#error "TS_BUILD_PLUGIN_DIR must name the build tree's plugin directory"
#endif

static TsRegistry *registry;

typedef struct {
  const char *name;
  const char *code;
  int want_refs_during; /* references held while the run function runs; -1: the run never starts */
  int want_code;        /* TsErrorCode, or -1 for success */
} Case;

#define POD "local pod = cluster { accelerator = tpu { slice = 'v3-8' } }\n"
#define DATA "local data = datasets.imagenet_1k { from = internet { bandwidth = '10 Gbit/s' } }\n"
#define TRAIN "r:train { model = models.resnet50, data = data, batch = 1024, steps = 100, precision = 'bf16' }\n"

static const Case cases[] = {
  {"finished", POD DATA "run(pod, function(r) r:provision(pod.accelerator) r:download(data) " TRAIN
               " r:release(pod.accelerator) end)", 3, -1},
  {"background-download-left", POD DATA "run(pod, function(r) r:download(data, { background = true }) end)", 3, -1},
  {"error-before-run", "local x = nil + 1", -1, TS_ERROR_SCENARIO},
  {"no-run", POD, -1, TS_ERROR_SCENARIO},
  {"error-in-run", POD DATA "run(pod, function(r) r:provision(pod.accelerator) r:download(data, { background = true })"
                   " error('stop here') end)", 3, TS_ERROR_SCENARIO},
  {"forged-action", POD "run(pod, function(r) coroutine.yield({ op = 'wait', duration = 1 }) end)", 3,
   TS_ERROR_SCENARIO},
  {"infeasible", POD DATA "run(pod, function(r) r:provision(pod.accelerator) "
                 "r:train { model = models.resnet50, data = data, batch = 2^20, steps = 1, precision = 'bf16' } end)",
   3, TS_ERROR_INFEASIBLE},
  {"budget-in-run", POD "run(pod, function(r) r:provision(pod.accelerator) while true do end end)", 3, TS_ERROR_LIMIT},
  {"memory-in-run", POD "run(pod, function(r) local t = {} while true do t[#t + 1] = {} end end)", 3, TS_ERROR_LIMIT},
  {"budget-before-run", "while true do end", -1, TS_ERROR_LIMIT},
};

typedef struct {
  int max_refs;
} Watch;

static gboolean
watch_sample(void *data, const TsSample *sample, GError **error)
{
  (void) sample;
  (void) error;
  Watch *w = data;
  w->max_refs = MAX(w->max_refs, ts_bindings_get_live_refs());
  return TRUE;
}

static void
test_case(gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = NULL; /* the run borrows it */
  g_assert_cmpint(ts_bindings_get_live_refs(), ==, 0);
  Watch watch = {-1};
  TsSink sink = {&watch, watch_sample, NULL};
  g_autoptr(GPtrArray) sinks = g_ptr_array_new();
  g_ptr_array_add(sinks, &sink);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.sinks = sinks;
  opts.limits.max_instructions = 2000000;
  opts.limits.max_memory = 16 * 1024 * 1024;
  GError *error = NULL;
  TsRun *run = test_scenario_run_text(registry, c->code, &opts, &path, &error);
  g_test_message("%s: %s", c->name, error ? error->message : "ok");
  if (c->want_code < 0)
    g_assert_no_error(error);
  else
    g_assert_error(error, TS_ERROR, c->want_code);
  /* Back to zero whatever happened, and the run (if any) holds no reference into the closed state. */
  g_assert_cmpint(ts_bindings_get_live_refs(), ==, 0);
  if (c->want_refs_during >= 0)
    g_assert_cmpint(watch.max_refs, ==, c->want_refs_during);
  ts_run_free(run);
  g_clear_error(&error);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *name = g_strdup_printf("/teardown/registry-refs/%s", cases[i].name);
    g_test_add_data_func(name, &cases[i], test_case);
  }
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
