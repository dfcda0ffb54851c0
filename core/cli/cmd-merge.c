/* trainsim merge DIR...  joins the outputs of `trainsim sweep --shard K/N` (docs/outputs.md, "Sharding") */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "cli/cli-options.h"
#include "common/ts-error.h"
#include "sweep/sweep.h"

#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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
#ifdef __GLIBC__
  /* Each shard's sweep.json (20 MB for 25,000 rows) is read whole, then freed.  glibc would raise its mmap
   * threshold past that size after the first free and take the next ones from the heap, where the rows kept in
   * between pin them: a fixed threshold gives every such buffer back when it is freed (57 -> 51 MiB for four
   * shards of 25,000 rows, docs/performance.md section 6). */
  mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
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
