/* trainsim sweep SCENARIO --set name=v1,v2,... [--set ...]  (docs/outputs.md, "Sweeps") */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "cli/cli-limits.h"
#include "cli/cli-number.h"
#include "cli/cli-options.h"
#include "common/ts-error.h"
#include "common/ts-json.h"
#include "sweep/sweep-pool.h"
#include "sweep/sweep.h"
#include "units/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
ts_cli_sweep_report(TsSweepResult *res, const TsCliOutputArgs *output, const char *who)
{
  int status = TS_EXIT_OK;
  const char *out_dir = output->out_dir;
  if (out_dir != NULL) {
    g_autoptr(GError) error = NULL;
    if (!ts_sweep_result_write(res, out_dir, &error)) {
      ts_cli_print(stderr, "trainsim %s: %s\n", who, error->message);
      status = TS_EXIT_ERROR;
    }
  }
  if (output->json) {
    g_autoptr(GError) error = NULL;
    if (!ts_sweep_result_write_json(res, stdout, &error)) {
      ts_cli_print(stderr, "trainsim %s: %s\n", who, error->message);
      status = TS_EXIT_ERROR;
    }
  } else if (!output->quiet) {
    ts_sweep_result_print(res, stdout, (guint) output->top, ts_cli_use_color(stdout));
  }
  if (out_dir != NULL && status == TS_EXIT_OK && !output->quiet)
    ts_cli_print_written(out_dir, ts_sweep_file_names, output->json);
  fflush(stdout);
  return status;
}

/* The sweep's spec from the command line: the swept values, the shard, the replicas, the deadline and the
 * budget; NULL, said on stderr, when one of them is not understood. */
static TsSweepSpec *
build_spec(const char *path, const TsCliScenarioArgs *args, const char *shard, gint64 replicas, gint64 quantile,
           const char *deadline, const char *budget)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsSweepSpec) spec = ts_sweep_spec_new(path, (guint64) args->seed);
  for (char **s = args->sets; s && *s; s++)
    if (!ts_sweep_spec_add_set(spec, *s, &error)) {
      ts_cli_print(stderr, "trainsim sweep: %s\n", error->message);
      return NULL;
    }
  if (shard != NULL && !ts_sweep_spec_set_shard(spec, shard, &error)) {
    ts_cli_print(stderr, "trainsim sweep: %s\n", error->message);
    return NULL;
  }
  if (!ts_cli_limits_parse("sweep", deadline, budget, quantile, &spec->deadline_s, &spec->budget_usd))
    return NULL;
  spec->replicas = (guint) replicas;
  spec->quantile = (guint) quantile;
  return g_steal_pointer(&spec);
}

/* Every variant failed the same way: most likely the command line (a --set the script lacks); said on stderr. */
static gboolean
every_variant_failed(const TsSweepResult *res)
{
  guint errors = 0;
  for (guint i = 0; i < res->rows->len; i++)
    errors += g_array_index(res->rows, TsSweepRow, i).status == TS_VARIANT_ERROR;
  if (res->rows->len == 0 || errors != res->rows->len)
    return FALSE;
  ts_cli_print(stderr, "trainsim sweep: every variant failed; the first: %s\n",
               g_array_index(res->rows, TsSweepRow, 0).error);
  return TRUE;
}

int
ts_cli_sweep(int argc, char **argv)
{
  gint64 jobs = 0, replicas = 1, quantile = 90;
  double timeout = 120;
  g_autofree char *deadline = NULL, *budget = NULL, *shard = NULL;
  const TsCliOutputHelp output = {"Write sweep.csv, sweep.json, sweep.png, sweep.svg and report.html here",
                                  "Print the sweep as JSON on stdout", TRUE};
  GOptionEntry entries[] = {
    TS_CLI_NUMBER_ENTRY("jobs", 'j', "Worker processes, 1 to 1024 (default: the number of CPUs)", "N"),
    {"deadline", 0, 0, G_OPTION_ARG_STRING, &deadline, "Mark the variants that finish in time; name the cheapest",
     "TIME"},
    {"budget", 0, 0, G_OPTION_ARG_STRING, &budget,
     "Mark the variants within budget; name the fastest (the cheapest with --deadline)", "USD"},
    {"shard", 0, 0, G_OPTION_ARG_STRING, &shard, "Run only the K-th of N slices (join them with trainsim merge)",
     "K/N"},
    TS_CLI_NUMBER_ENTRY("timeout", 0, "Wall-clock seconds a variant may run (default 120)", "S"),
    TS_CLI_NUMBER_ENTRY("replicas", 0, "Also run each variant with N seeds and judge --deadline and --budget at "
                        "--quantile of them (default 1: the variant's own seed)", "N"),
    TS_CLI_NUMBER_ENTRY("quantile", 0, "With --replicas: the percentile judged, 50 or 90 (default 90)", "P"),
    G_OPTION_ENTRY_NULL};
  TsCliNumber numbers[] = {
    {"jobs", 'j', TRUE, 1, 1024, FALSE, "worker processes", &jobs},
    {"timeout", 0, FALSE, 0, 7 * 86400, TRUE, "seconds", &timeout},
    {"replicas", 0, TRUE, 1, 100000, FALSE, NULL, &replicas},
    {"quantile", 0, TRUE, 50, 90, FALSE, NULL, &quantile},
    {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  g_auto(TsCliScenarioArgs) args = {0};
  g_autoptr(GOptionContext) ctx = ts_cli_scenario_context_new(&args,
    "SCENARIO.lua - run every combination of parameter values",
    "Values of a param(): a list and ranges, e.g. epochs=10..250:10 or batch=512..8192x2 or opt=adam,lars",
    "NAME=V1,V2,...", "The sweep's seed; each variant's is derived from it and its index", &output, entries,
    numbers);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim sweep: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (argc != 2) {
    ts_cli_print(stderr, "trainsim sweep: expected one SCENARIO.lua, got %d arguments (see trainsim sweep --help)\n",
            argc - 1);
    return TS_EXIT_ERROR;
  }
  const char *path = argv[1];
  g_autofree char *source = NULL;
  gsize source_len = 0;
  if (!ts_cli_take_stdin_script("sweep", &path, &source, &source_len))
    return TS_EXIT_ERROR;
  g_autoptr(TsSweepSpec) spec = build_spec(path, &args, shard, replicas, quantile, deadline, budget);
  if (spec == NULL)
    return TS_EXIT_ERROR;
  if (source == NULL && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    ts_cli_print(stderr, "trainsim sweep: %s: no such scenario file\n", path);
    return TS_EXIT_ERROR;
  }
  /* Read once: every variant runs these bytes, and sweep.json records their checksum, so that merge can tell
   * shards of an edited script of the same name apart (docs/outputs.md, "Sharding"). */
  if (source == NULL &&
      !ts_file_read_bounded(path, TS_SCRIPT_MAX_BYTES, TS_ERROR_USAGE, &source, &source_len, &error)) {
    ts_cli_print(stderr, "trainsim sweep: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  spec->scenario_sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *) source, source_len);

  TsScenarioOptions limits;
  if (!ts_cli_scenario_args_apply(&args, &limits, &error)) {
    ts_cli_print(stderr, "trainsim sweep: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  TsSweepRunOptions o = {0};
  o.limits = limits.limits; /* the seed is each variant's own */
  o.max_events = limits.max_events;
  o.horizon_s = limits.horizon_s;
  o.scenario_path = path;
  o.scenario_source = source;
  o.scenario_source_len = source_len;
  o.jobs = jobs > 0 ? (guint) MIN(jobs, 1024) : (guint) MAX(1, g_get_num_processors());
  o.timeout_s = timeout;
  o.progress = !args.output.quiet && isatty(STDERR_FILENO);
  ts_cli_scenario_args_warn(&args, path);

  TsRegistry *registry = ts_cli_registry_new((const char *const *) args.catalogs, TRUE);
  if (registry == NULL)
    return TS_EXIT_ERROR;
  o.registry = registry;
  g_autoptr(TsSweepResult) res = ts_sweep_result_new(g_steal_pointer(&spec));
  gboolean interrupted = FALSE;
  gboolean ok = ts_sweep_run(res, &o, &interrupted, &error);
  ts_registry_free(registry);
  if (!ok)
    ts_cli_print(stderr, "trainsim sweep: %s; writing the variants that finished\n", error->message);
  ts_sweep_result_finish(res);

  int status = ts_cli_sweep_report(res, &args.output, "sweep");
  const char *out_dir = args.output.out_dir;
  if (interrupted) {
    ts_cli_print(stderr, "trainsim sweep: interrupted: %u of %" G_GUINT64_FORMAT " variants finished%s%s%s\n",
            res->rows->len, ts_sweep_spec_count_in_shard(res->spec), out_dir ? "; " : "", out_dir ? out_dir : "",
            out_dir ? " holds them, marked incomplete (\"complete\": false in sweep.json)" : "");
    return TS_EXIT_INTERRUPTED;
  }
  if (!ok)
    return TS_EXIT_ERROR;
  if (every_variant_failed(res))
    return TS_EXIT_ERROR;
  return status;
}
