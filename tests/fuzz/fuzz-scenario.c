/* libFuzzer target: the scenario loader end to end — sandbox, prelude, bindings, the run model and the
 * summary — on a Lua script made of the fuzzer's bytes.
 *
 * The script runs under small limits (200,000 VM instructions, an 8 MiB Lua heap) and without the CPU
 * watchdog (whose last resort is _exit): the instruction budget alone must stop every script.  The
 * plugin registry is loaded once, from the build tree's plugin directory.  Every outcome is fine except
 * a crash, a sanitizer report, a leak, a hang (libFuzzer's -timeout), or an error without a message. */
#include "common/ts-error.h"
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "scenario/scenario.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TS_BUILD_PLUGIN_DIR
#error "TS_BUILD_PLUGIN_DIR must name the build tree's plugin directory"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static TsRegistry *registry;
static char *script_path;
static FILE *devnull;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void) argc;
  (void) argv;
  const char *dirs[] = {TS_BUILD_PLUGIN_DIR, NULL};
  GError *error = NULL;
  registry = ts_registry_new(dirs, &error);
  if (registry == NULL || ts_registry_find(registry, "tpu") == NULL || ts_registry_find(registry, "gpu") == NULL) {
    fprintf(stderr, "fuzz-scenario: cannot load the plugins from %s: %s\n", TS_BUILD_PLUGIN_DIR,
            error ? error->message : "tpu or gpu missing");
    exit(1);
  }
  /* One file per process (libFuzzer's -jobs/-workers run several), on tmpfs where there is one. */
  const char *dir = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
  script_path = g_strdup_printf("%s/trainsim-fuzz-%d.lua", dir, (int) getpid());
  devnull = fopen("/dev/null", "w");
  if (devnull == NULL)
    exit(1);
  return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 64 * 1024)
    return 0;
  GError *error = NULL;
  if (!g_file_set_contents(script_path, (const char *) data, (gssize) size, &error)) {
    fprintf(stderr, "fuzz-scenario: %s\n", error->message);
    abort();
  }
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = script_path;
  opts.limits.max_instructions = 200000;
  opts.limits.max_memory = 8 * 1024 * 1024;
  opts.limits.cpu_limit_s = 0; /* no watchdog: the instruction budget must be enough */
  opts.limits.cpu_grace_s = 0;
  opts.limits.seed = size;
  TsRun *run = ts_scenario_run(registry, &opts, &error);
  if (run == NULL && error == NULL)
    abort(); /* a failure must say why */
  if (error != NULL && (error->message == NULL || error->message[0] == '\0'))
    abort();
  if (run != NULL) {
    /* The summary is valid JSON (no NaN or Infinity, every string escaped, valid UTF-8), whatever the
     * script did. */
    char *json = ts_summary_to_json(run);
    if (json != NULL && !g_utf8_validate(json, -1, NULL)) {
      fprintf(stderr, "fuzz-scenario: the summary is not valid UTF-8:\n%s\n", json);
      abort();
    }
    JsonParser *parser = json_parser_new_immutable();
    GError *jerr = NULL;
    if (json == NULL || !json_parser_load_from_data(parser, json, -1, &jerr)) {
      fprintf(stderr, "fuzz-scenario: the summary is not valid JSON (%s):\n%s\n", jerr ? jerr->message : "NULL",
              json ? json : "(null)");
      abort();
    }
    g_object_unref(parser);
    g_free(json);
    ts_summary_print(run, devnull, FALSE);
    ts_run_free(run);
  }
  g_clear_error(&error);
  return 0;
}
