/* trainsim merge DIR...  joins the outputs of `trainsim sweep --shard K/N` (docs/outputs.md, "Sharding") */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "cli/cli-number.h"
#include "common/ts-error.h"
#include "sweep/sweep.h"

#include <stdio.h>

int
ts_cli_merge(int argc, char **argv)
{
  g_autofree char *out_dir = NULL;
  gboolean json = FALSE, quiet = FALSE;
  gint64 top = 20;
  GOptionEntry entries[] = {
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Write the merged sweep.csv, sweep.json and charts here",
     "DIR"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the merged sweep as JSON on stdout", NULL},
    TS_CLI_NUMBER_ENTRY("top", 0, "Rows of the table on the terminal (default 20; 0: all)", "N"),
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
    G_OPTION_ENTRY_NULL};
  TsCliNumber numbers[] = {{"top", 0, TRUE, 0, 1e9, FALSE, "rows", &top}, {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  g_autoptr(GOptionContext) ctx =
    ts_cli_context_new("DIR... - join the outputs of trainsim sweep --shard K/N into one sweep", entries, numbers);
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
  int status = ts_cli_sweep_report(merged, out_dir, json, quiet, top, "merge");
  if (status == TS_EXIT_OK && !merged->complete)
    ts_cli_print(stderr, "trainsim merge: warning: a shard was interrupted; the merged sweep is incomplete\n");
  return status;
}
