/* trainsim merge DIR...  joins the outputs of `trainsim sweep --shard K/N` (docs/outputs.md, "Sharding") */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "cli/cli-options.h"
#include "common/ts-error.h"
#include "sweep/sweep.h"

#include <stdio.h>

int
ts_cli_merge(int argc, char **argv)
{
  const TsCliOutputHelp help = {"Write the merged sweep.csv, sweep.json and charts here",
                                "Print the merged sweep as JSON on stdout", TRUE};
  g_auto(TsCliOutputArgs) output = {0};
  g_autoptr(GOptionContext) ctx =
    ts_cli_output_context_new(&output, "DIR... - join the outputs of trainsim sweep --shard K/N into one sweep",
                              &help);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim merge: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (argc < 2) {
    ts_cli_print(stderr, "trainsim merge: expected the output directories of the shards (see trainsim merge --help)\n");
    return TS_EXIT_ERROR;
  }
  g_autoptr(GPtrArray) shards = g_ptr_array_new_with_free_func((GDestroyNotify) ts_sweep_result_free);
  for (int i = 1; i < argc; i++) {
    TsSweepResult *r = ts_sweep_result_load(argv[i], &error);
    if (r == NULL) {
      ts_cli_print(stderr, "trainsim merge: %s\n", error->message);
      return TS_EXIT_ERROR;
    }
    g_ptr_array_add(shards, r);
  }
  g_autoptr(TsSweepResult) merged = ts_sweep_result_merge(shards, &error);
  if (merged == NULL) {
    ts_cli_print(stderr, "trainsim merge: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  int status = ts_cli_sweep_report(merged, &output, "merge");
  if (status == TS_EXIT_OK && !merged->complete)
    ts_cli_print(stderr, "trainsim merge: warning: a shard was interrupted; the merged sweep is incomplete\n");
  return status;
}
