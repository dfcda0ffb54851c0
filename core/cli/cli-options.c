/* The options shared by run, sweep and compare (cli-options.h). */
#include "cli/cli-options.h"

#include "cli/cli-print.h"

#include <stdio.h>
#include <string.h>

static void
add_entries(GArray *to, const GOptionEntry *entries)
{
  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    g_array_append_val(to, *e);
}

static void
add_numbers(GArray *to, const TsCliNumber *numbers)
{
  for (const TsCliNumber *n = numbers; n != NULL && n->name != NULL; n++)
    g_array_append_val(to, *n);
}

GOptionContext *
ts_cli_scenario_context_new(TsCliScenarioArgs *args, const char *parameter_string, const char *set_help,
                            const char *set_arg, const char *seed_help, const GOptionEntry *entries,
                            const TsCliNumber *numbers)
{
  memset(args, 0, sizeof *args);
  args->max_instructions = -1;
  args->cpu_limit = -1;
  args->max_events = -1;
  const GOptionEntry head[] = {
    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &args->sets, set_help, set_arg},
    TS_CLI_NUMBER_ENTRY("seed", 0, seed_help, "N"),
    TS_CLI_CATALOG_ENTRY(&args->catalogs),
    G_OPTION_ENTRY_NULL};
  const GOptionEntry tail[] = {
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &args->quiet, "Print nothing but errors", NULL},
    {"unsafe", 0, 0, G_OPTION_ARG_NONE, &args->unsafe, "Run the script without the sandbox (full Lua library, no limits)",
     NULL},
    TS_CLI_NUMBER_ENTRY("max-instructions", 0, "Script instruction budget of each run (default 500000000)", "N"),
    TS_CLI_NUMBER_ENTRY("cpu-limit", 0, "Script CPU-time backstop of each run in seconds (default 10)", "S"),
    TS_CLI_NUMBER_ENTRY("max-events", 0, "Simulation event budget of each run (default 1000000)", "N"),
    {"horizon", 0, 0, G_OPTION_ARG_STRING, &args->horizon,
     "Simulated time a run may reach (default \"100 years\", at most \"200 years\")", "DURATION"},
    G_OPTION_ENTRY_NULL};
  const TsCliNumber shared[] = {
    {"seed", 0, TRUE, 0, TS_CLI_MAX_SEED, FALSE, NULL, &args->seed},
    {"max-instructions", 0, TRUE, 0, TS_CLI_MAX_INSTRUCTIONS, TRUE, "instructions", &args->max_instructions},
    {"cpu-limit", 0, FALSE, 0, TS_CLI_MAX_CPU_LIMIT_S, TRUE, "seconds", &args->cpu_limit},
    {"max-events", 0, TRUE, 1, 1e12, FALSE, "events", &args->max_events},
    {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  args->entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry)); /* zero-terminated: the null entry */
  add_entries(args->entries, head);
  add_entries(args->entries, entries);
  add_entries(args->entries, tail);
  args->numbers = g_array_new(TRUE, TRUE, sizeof(TsCliNumber)); /* zero-terminated: a NULL name */
  add_numbers(args->numbers, shared);
  add_numbers(args->numbers, numbers);
  return ts_cli_context_new(parameter_string, (const GOptionEntry *) (void *) args->entries->data,
                            (TsCliNumber *) (void *) args->numbers->data);
}

void
ts_cli_scenario_args_clear(TsCliScenarioArgs *args)
{
  g_clear_pointer(&args->sets, g_strfreev);
  g_clear_pointer(&args->catalogs, g_strfreev);
  g_clear_pointer(&args->horizon, g_free);
  g_clear_pointer(&args->entries, g_array_unref);
  g_clear_pointer(&args->numbers, g_array_unref);
}

gboolean
ts_cli_scenario_args_apply(const TsCliScenarioArgs *args, TsScenarioOptions *options, GError **error)
{
  ts_scenario_options_init(options);
  if (!ts_scenario_options_parse_limits(options, args->max_events, args->horizon, error))
    return FALSE;
  options->sets = (const char *const *) args->sets;
  options->limits.seed = (guint64) args->seed;
  options->limits.unsafe = args->unsafe;
  if (args->max_instructions > 0)
    options->limits.max_instructions = args->max_instructions;
  if (args->cpu_limit > 0)
    options->limits.cpu_limit_s = args->cpu_limit;
  return TRUE;
}

void
ts_cli_scenario_args_warn(const TsCliScenarioArgs *args, const char *subject)
{
  if (!args->unsafe)
    return;
  if (subject != NULL)
    ts_cli_print(stderr, "trainsim: warning: --unsafe: %s runs with the full Lua library and no limits; it can "
                 "read, write and run anything you can\n", subject);
  else
    ts_cli_print(stderr, "trainsim: warning: --unsafe: the scenarios run with the full Lua library and no limits; "
                 "they can read, write and run anything you can\n");
}
