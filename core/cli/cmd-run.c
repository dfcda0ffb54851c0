/* trainsim run SCENARIO */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "cli/cli-number.h"
#include "cli/cli-options.h"
#include "common/ts-error.h"
#include "output/atomic-file.h"
#include "output/run-outputs.h"
#include "output/summary.h"
#include "scenario/replicas.h"
#include "scenario/scenario.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* --out: put the files in place; FALSE (said on stderr, with what DIR holds now) when that failed. */
static gboolean
commit_outputs(TsRunOutputs *outputs, TsRun *run, const char *summary, const char *out_dir)
{
  g_autoptr(GError) werr = NULL;
  if (ts_run_outputs_commit(outputs, run, summary, &werr))
    return TRUE;
  ts_cli_print(stderr, "trainsim: %s\n", werr->message);
  /* A failure while the files were put in place says itself what DIR holds now (atomic-file.c). */
  if (strstr(werr->message, "nothing was written") == NULL && strstr(werr->message, " now holds ") == NULL)
    ts_cli_print(stderr, "trainsim: nothing was written to %s (every file is renamed into place only once all are "
                    "complete)\n", out_dir);
  return FALSE;
}

int
ts_cli_run(int argc, char **argv)
{
  gint64 replicas = 0; /* 0: not given (automatic when the run has random failures) */
  const TsCliOutputHelp output = {"Write summary.json, timeline.csv, trace.json and charts (PNG, SVG) here",
                                  "Print the summary as JSON on stdout", FALSE};
  GOptionEntry entries[] = {
    TS_CLI_NUMBER_ENTRY("replicas", 0, "Also run N seeds (seed .. seed+N-1): P10/P50/P90 of time and cost (default "
                        G_STRINGIFY(TS_AUTO_REPLICAS) " when failures or spot preemption are modelled, else none; 1: "
                        "none)", "N"),
    G_OPTION_ENTRY_NULL};
  TsCliNumber numbers[] = {
    {"replicas", 0, TRUE, 1, 100000, FALSE, NULL, &replicas},
    {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  g_auto(TsCliScenarioArgs) args = {0};
  g_autoptr(GOptionContext) ctx = ts_cli_scenario_context_new(&args, "SCENARIO.lua - simulate a training run",
    "Override a param() of the scenario", "NAME=VALUE", "Seed for math.random and failure draws (default 0)",
    &output, entries, numbers);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim run: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (argc != 2) {
    ts_cli_print(stderr, "trainsim run: expected one SCENARIO.lua, got %d arguments (see trainsim run --help)\n", argc - 1);
    return TS_EXIT_ERROR;
  }

  TsScenarioOptions opts;
  if (!ts_cli_scenario_args_apply(&args, &opts, &error)) {
    ts_cli_print(stderr, "trainsim run: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  opts.path = argv[1];
  g_autofree char *source = NULL;
  if (!ts_cli_take_stdin_script("run", &opts.path, &source, &opts.source_len))
    return TS_EXIT_ERROR;
  opts.source = source;
  ts_cli_scenario_args_warn(&args, opts.path);
  gboolean quiet = args.output.quiet, json = args.output.json;
  const char *out_dir = args.output.out_dir;

  TsRegistry *registry = ts_cli_registry_new((const char *const *) args.catalogs, TRUE);
  if (registry == NULL)
    return TS_EXIT_ERROR;
  /* --out: the streamed files are open (as temporaries) while the run goes; an interrupt, a failed write
   * or a scenario error removes them, so DIR never holds half a file. */
  ts_atomic_file_cleanup_on_signals(); /* SIGINT/SIGTERM: exit 130 (docs/cli.md), no temporary left */
  TsRunOutputs *outputs = NULL;
  if (out_dir != NULL) {
    outputs = ts_run_outputs_new(out_dir, opts.path, &error);
    if (outputs == NULL) {
      ts_cli_print(stderr, "trainsim: %s\n", error->message);
      ts_registry_free(registry);
      return TS_EXIT_ERROR;
    }
    opts.sinks = ts_run_outputs_get_sinks(outputs);
  }
  TsRun *run = ts_scenario_run(registry, &opts, &error);
  int status = ts_error_exit_status(error);
  if (run == NULL) {
    ts_run_outputs_abort(outputs);
    ts_cli_print(stderr, "trainsim: %s\n", error ? error->message : "unknown error");
    if (outputs != NULL && g_error_matches(error, TS_ERROR, TS_ERROR_IO))
      ts_cli_print(stderr, "trainsim: no output file was written to %s\n", out_dir);
    ts_registry_free(registry);
    return status == TS_EXIT_OK ? TS_EXIT_ERROR : status;
  }
  TsReplicaStats rep = {0};
  /* Random failures (spot preemption included) make one seed one draw among many: without --replicas, such a
   * run reports the quantiles of a replica set over the draws (docs/cli.md). */
  gboolean automatic = replicas == 0 && ts_run_get_results(run)->failures_modelled;
  if (automatic)
    replicas = TS_AUTO_REPLICAS;
  if (replicas > 1) {
    g_autoptr(GError) rerr = NULL;
    if (!ts_replicas_run(registry, &opts, (guint) replicas, &rep, &rerr)) {
      ts_cli_print(stderr, "trainsim: %s\n", rerr->message);
      ts_run_outputs_abort(outputs);
      ts_run_free(run);
      ts_registry_free(registry);
      return TS_EXIT_ERROR;
    }
  }
  rep.automatic = automatic;
  /* summary.json's text only where it goes somewhere: a terminal run does not pay for it (nor for hashing the
   * catalogs its provenance names). */
  g_autofree char *summary = outputs != NULL || json ? ts_summary_to_json_full(run, replicas > 1 ? &rep : NULL) : NULL;
  if (outputs != NULL && !commit_outputs(outputs, run, summary, out_dir))
    status = TS_EXIT_ERROR;
  if (json)
    fputs(summary, stdout);
  else if (!quiet) {
    ts_summary_print_full(run, replicas > 1 ? &rep : NULL, stdout, ts_cli_use_color(stdout));
    if (replicas > 1)
      ts_summary_print_replicas(&rep, stdout);
  }
  if (outputs != NULL && status != TS_EXIT_ERROR && !quiet)
    ts_cli_print_written(out_dir, ts_run_outputs_get_file_names(), json);
  if (error != NULL && status == TS_EXIT_INFEASIBLE && !json)
    ts_cli_print(stderr, "trainsim: infeasible: %s\n", error->message);
  ts_run_free(run);
  ts_registry_free(registry);
  return status;
}
