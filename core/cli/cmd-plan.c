/* trainsim plan SCENARIO.lua: the layout (and hardware) search of core/plan/, its table, --json and --csv. */
#include "cli/cli-limits.h"
#include "cli/cli-options.h"
#include "cli/cli-print.h"
#include "cli/commands.h"

#include "common/ts-error.h"
#include "plan/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static gboolean
parse_objective(const char *text, TsPlanObjective *out)
{
  for (int o = TS_PLAN_COST; o <= TS_PLAN_PARETO; o++)
    if (g_strcmp0(text, ts_plan_objective_get_name((TsPlanObjective) o)) == 0) {
      *out = (TsPlanObjective) o;
      return TRUE;
    }
  return FALSE;
}

/* --at P50 or P90 (or 50, 90). */
static gboolean
parse_at(const char *text, guint *quantile)
{
  const char *n = text[0] == 'P' || text[0] == 'p' ? text + 1 : text;
  if (strcmp(n, "50") == 0 || strcmp(n, "90") == 0) {
    *quantile = (guint) atoi(n);
    return TRUE;
  }
  return FALSE;
}

static int
report(const TsRegistry *registry, const TsScenarioOptions *so, const TsPlanOptions *po, const char *csv,
       gboolean json, gboolean quiet)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TsPlanResult) r = ts_plan_run(registry, so, po, &error);
  if (r == NULL) {
    ts_cli_print(stderr, "trainsim plan: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (csv != NULL && !ts_plan_write_csv(r, csv, &error)) {
    ts_cli_print(stderr, "trainsim plan: --csv %s: %s\n", csv, error->message);
    return TS_EXIT_ERROR;
  }
  if (json) {
    g_autofree char *text = ts_plan_to_json(r);
    fputs(text, stdout);
  } else if (!quiet) {
    ts_plan_print(stdout, r);
  }
  return r->plans->len > 0 ? TS_EXIT_OK : TS_EXIT_INFEASIBLE;
}

int
ts_cli_plan(int argc, char **argv)
{
  gint64 top = 5, threads = 0, replicas = 20;
  g_autofree char *deadline = NULL, *budget = NULL, *at = NULL, *objective = NULL, *csv = NULL;
  gboolean estimate_only = FALSE;
  GOptionEntry entries[] = {
    {"deadline", 0, 0, G_OPTION_ARG_STRING, &deadline, "Only plans whose run ends within TIME (e.g. 90 day)", "TIME"},
    {"budget", 0, 0, G_OPTION_ARG_STRING, &budget, "Only plans whose run costs at most USD", "USD"},
    {"at", 0, 0, G_OPTION_ARG_STRING, &at, "For runs with random failures or preemption: judge time and cost at "
     "P50 or P90 of --replicas seeds (default P50)", "P50|P90"},
    {"objective", 0, 0, G_OPTION_ARG_STRING, &objective, "Rank by cost (default), time, or list the Pareto front "
     "of both", "cost|time|pareto"},
    TS_CLI_NUMBER_ENTRY("top", 0, "Plans shown (default 5)", "N"),
    {"csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write every timed layout to FILE as CSV", "FILE"},
    TS_CLI_NUMBER_ENTRY("threads", 0, "Threads of the search (default: one per CPU)", "N"),
    TS_CLI_NUMBER_ENTRY("replicas", 0, "Seeds each shown plan of a run with random failures is played with "
                        "(default 20)", "N"),
    {"estimate-only", 0, 0, G_OPTION_ARG_NONE, &estimate_only, "Rank by the estimate alone (steps x step + the "
     "scenario's other phases); play no run", NULL},
    G_OPTION_ENTRY_NULL};
  TsCliNumber numbers[] = {
    {"top", 0, TRUE, 1, 1000, FALSE, "plans", &top},
    {"threads", 0, TRUE, 1, 256, FALSE, "threads", &threads},
    {"replicas", 0, TRUE, 1, 10000, FALSE, "seeds", &replicas},
    {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  g_auto(TsCliScenarioArgs) args = {0};
  /* plan's --top is its own: the plans shown and played for, not rows of a table. */
  const TsCliOutputHelp output = {NULL, "Print the plans as JSON on stdout", FALSE};
  g_autoptr(GOptionContext) ctx = ts_cli_scenario_context_new(&args,
    "SCENARIO.lua - search the layout (and hardware) of its training for the cheapest or fastest run",
    "Set a param() of the scenario", "NAME=VALUE", "The seed of the scenario's run and of the plans' runs", &output,
    entries, numbers);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim plan: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (argc != 2) {
    ts_cli_print(stderr, "trainsim plan: expected one SCENARIO.lua, got %d arguments (see trainsim plan --help)\n",
                 argc - 1);
    return TS_EXIT_ERROR;
  }
  TsPlanOptions po;
  ts_plan_options_init(&po);
  if (objective != NULL && !parse_objective(objective, &po.objective)) {
    ts_cli_print(stderr, "trainsim plan: --objective %s: expected cost, time or pareto\n", objective);
    return TS_EXIT_ERROR;
  }
  if (at != NULL && !parse_at(at, &po.quantile)) {
    ts_cli_print(stderr, "trainsim plan: --at %s: expected P50 or P90\n", at);
    return TS_EXIT_ERROR;
  }
  double deadline_s, budget_usd;
  if (!ts_cli_limits_parse("plan", deadline, budget, po.quantile, &deadline_s, &budget_usd))
    return TS_EXIT_ERROR;
  po.deadline_s = deadline_s;
  po.budget_usd = budget_usd;
  po.top = (guint) top;
  po.threads = (guint) threads;
  po.replicas = (guint) replicas;
  po.verify = !estimate_only;

  const char *path = argv[1];
  g_autofree char *source = NULL;
  gsize source_len = 0;
  if (!ts_cli_take_stdin_script("plan", &path, &source, &source_len))
    return TS_EXIT_ERROR;
  if (source == NULL && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    ts_cli_print(stderr, "trainsim plan: %s: no such scenario file\n", path);
    return TS_EXIT_ERROR;
  }
  TsScenarioOptions so;
  if (!ts_cli_scenario_args_apply(&args, &so, &error)) {
    ts_cli_print(stderr, "trainsim plan: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  so.path = path;
  so.source = source;
  so.source_len = source_len;
  ts_cli_scenario_args_warn(&args, path);
  TsRegistry *registry = ts_cli_registry_new((const char *const *) args.catalogs, TRUE);
  if (registry == NULL)
    return TS_EXIT_ERROR;
  /* The result names catalog records: the registry outlives it. */
  int status = report(registry, &so, &po, csv, args.output.json, args.output.quiet);
  ts_registry_free(registry);
  return status;
}
