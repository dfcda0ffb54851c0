/* The trainsim command line (docs/cli.md).  Exit codes: 0 ok, 1 scenario or usage error, 3 a run the
 * model finds infeasible, 130 interrupted. */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "common/ts-error.h"

#include <stdio.h>
#include <string.h>

static void
usage(FILE *out)
{
  fprintf(out,
          "Usage: trainsim COMMAND [OPTIONS]\n"
          "\n"
          "Forecast how long a training run takes, whether it fits, and what it costs.\n"
          "\n"
          "Commands:\n"
          "  run SCENARIO.lua      simulate a scenario (--set k=v, --seed N, --out DIR, --json, --unsafe)\n"
          "  devices [PLUGIN]      list the device catalog (--json)\n"
          "  plugins               list loaded plugins and any refused ones (--json)\n"
          "  sweep SCENARIO.lua    run the cartesian product of --set name=v1,v2,... (ranges a..b:step, a..bx2)\n"
          "  compare A.lua B.lua   the same run on alternatives, side by side\n"
          "  plan SCENARIO.lua     search the layout (and hardware) for the cheapest or fastest run that fits\n"
          "  merge DIR...          join the outputs of sweep --shard K/N into one result\n"
          "  report DIR            write DIR/report.html again from a run's outputs (run --out DIR)\n"
          "  validate              predictions against published training runs (--json)\n"
          "\n"
          "Options:\n"
          "  -h, --help            show this help (COMMAND --help for a command's options)\n"
          "  --version             print the version\n"
          "\n"
          "Exit status: 0 ok, 1 scenario or usage error, 3 infeasible run, 130 interrupted.\n"
          "Environment: TRAINSIM_PLUGIN_PATH (more plugin directories, :-separated), TRAINSIM_CALIBRATION (a\n"
          "  calibration file instead of the plugins' calibration.json), NO_COLOR (no colour in the summary).\n"
          "Documentation: docs/cli.md, docs/scenario-api.md, docs/outputs.md\n");
}

int
main(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return TS_EXIT_ERROR;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return TS_EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("trainsim %s (plugin ABI %d.%d)\n", TS_VERSION, TS_PLUGIN_ABI_MAJOR, TS_PLUGIN_ABI_MINOR);
    return TS_EXIT_OK;
  }
  if (strcmp(cmd, "run") == 0)
    return ts_cli_run(argc - 1, argv + 1);
  if (strcmp(cmd, "devices") == 0)
    return ts_cli_devices(argc - 1, argv + 1);
  if (strcmp(cmd, "plugins") == 0)
    return ts_cli_plugins(argc - 1, argv + 1);
  if (strcmp(cmd, "validate") == 0)
    return ts_cli_validate(argc - 1, argv + 1);
  if (strcmp(cmd, "sweep") == 0)
    return ts_cli_sweep(argc - 1, argv + 1);
  if (strcmp(cmd, "compare") == 0)
    return ts_cli_compare(argc - 1, argv + 1);
  if (strcmp(cmd, "plan") == 0)
    return ts_cli_plan(argc - 1, argv + 1);
  if (strcmp(cmd, "merge") == 0)
    return ts_cli_merge(argc - 1, argv + 1);
  if (strcmp(cmd, "report") == 0)
    return ts_cli_report(argc - 1, argv + 1);
  ts_cli_print(stderr, "trainsim: unknown command \"%s\"\n\n", cmd);
  usage(stderr);
  return TS_EXIT_ERROR;
}
