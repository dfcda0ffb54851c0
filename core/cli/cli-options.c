/* The options commands share (cli-options.h). */
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

/* --out, --json and --top as `help` says, into `entries` and `numbers`; --quiet is the caller's to place. */
static void
add_output(TsCliOutputArgs *out, const TsCliOutputHelp *help, GArray *entries, GArray *numbers)
{
  out->top = 20;
  const GOptionEntry e[] = {
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out->out_dir, help->out, "DIR"},
    TS_CLI_JSON_ENTRY(&out->json, help->json),
    TS_CLI_NUMBER_ENTRY("top", 0, "Rows of the table on the terminal (default 20; 0: all)", "N"),
  };
  const TsCliNumber top = {"top", 0, TRUE, 0, 1e9, FALSE, "rows", &out->top};
  if (help->out != NULL)
    g_array_append_val(entries, e[0]);
  if (help->json != NULL)
    g_array_append_val(entries, e[1]);
  if (help->top) {
    g_array_append_val(entries, e[2]);
    g_array_append_val(numbers, top);
  }
}

static void
add_quiet(TsCliOutputArgs *out, GArray *entries)
{
  const GOptionEntry quiet = {"quiet", 'q', 0, G_OPTION_ARG_NONE, &out->quiet, "Print nothing but errors", NULL};
  g_array_append_val(entries, quiet);
}

GOptionContext *
ts_cli_output_context_new(TsCliOutputArgs *out, const char *parameter_string, const TsCliOutputHelp *help)
{
  memset(out, 0, sizeof *out);
  out->entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry)); /* zero-terminated: the null entry */
  out->numbers = g_array_new(TRUE, TRUE, sizeof(TsCliNumber));  /* zero-terminated: a NULL name */
  add_output(out, help, out->entries, out->numbers);
  add_quiet(out, out->entries);
  return ts_cli_context_new(parameter_string, (const GOptionEntry *) (void *) out->entries->data,
                            (TsCliNumber *) (void *) out->numbers->data);
}

void
ts_cli_output_args_clear(TsCliOutputArgs *out)
{
  g_clear_pointer(&out->out_dir, g_free);
  g_clear_pointer(&out->entries, g_array_unref);
  g_clear_pointer(&out->numbers, g_array_unref);
}

GOptionContext *
ts_cli_scenario_context_new(TsCliScenarioArgs *args, const char *parameter_string, const char *set_help,
                            const char *set_arg, const char *seed_help, const TsCliOutputHelp *output,
                            const GOptionEntry *entries, const TsCliNumber *numbers)
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
  args->numbers = g_array_new(TRUE, TRUE, sizeof(TsCliNumber)); /* zero-terminated: a NULL name */
  add_entries(args->entries, head);
  add_output(&args->output, output, args->entries, args->numbers);
  add_entries(args->entries, entries);
  add_quiet(&args->output, args->entries);
  add_entries(args->entries, tail);
  add_numbers(args->numbers, shared);
  add_numbers(args->numbers, numbers);
  return ts_cli_context_new(parameter_string, (const GOptionEntry *) (void *) args->entries->data,
                            (TsCliNumber *) (void *) args->numbers->data);
}

void
ts_cli_scenario_args_clear(TsCliScenarioArgs *args)
{
  ts_cli_output_args_clear(&args->output);
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
