/* The options commands share, declared, range-checked and applied in one place (cli-options.c), so that the
 * commands cannot drift apart: where and how a command reports (--out, --json, --top, --quiet: run, sweep,
 * compare, merge, report), and what every command that runs scenarios takes (run, sweep, compare): --set,
 * --seed, the sandbox's limits (--unsafe, --max-instructions, --cpu-limit) and the simulation's (--max-events,
 * --horizon). */
#ifndef TS_CLI_OPTIONS_H
#define TS_CLI_OPTIONS_H

#include <glib.h>

#include "cli/cli-number.h"
#include "scenario/scenario.h"

/* --catalog FILE (repeatable), the same words for every command that takes it. */
#define TS_CLI_CATALOG_ENTRY(target)                                                                            \
  {"catalog", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, (target),                                                      \
   "Add the devices and instances of a user catalog (JSON in a plugin's catalog schema; repeatable)", "FILE"}

/* --json: the command's results as JSON on stdout (`help` says which); every command's --json is this entry. */
#define TS_CLI_JSON_ENTRY(target, help) {"json", 0, 0, G_OPTION_ARG_NONE, (target), (help), NULL}

/* Where and how a command reports its results. */
typedef struct {
  char *out_dir;  /* --out DIR; NULL: not given */
  gboolean json;  /* --json: the results as JSON on stdout */
  gint64 top;     /* --top N: rows of the table on the terminal (default 20; 0: all) */
  gboolean quiet; /* --quiet: nothing but errors */
  GArray *entries; /* of a context made by ts_cli_output_context_new */
  GArray *numbers;
} TsCliOutputArgs;

/* What a command's --help says --out and --json give (NULL: the command has no such option); `top`: it prints a
 * table of rows (--top).  Every such command has --quiet. */
typedef struct {
  const char *out;
  const char *json;
  gboolean top;
} TsCliOutputHelp;

/* A context holding only the output options (commands that run no scenario: merge, report).  The values land in
 * `out`, which must outlive the context; ts_cli_output_args_clear frees them. */
GOptionContext *ts_cli_output_context_new(TsCliOutputArgs *out, const char *parameter_string,
                                          const TsCliOutputHelp *help);
void ts_cli_output_args_clear(TsCliOutputArgs *out);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TsCliOutputArgs, ts_cli_output_args_clear)

typedef struct {
  TsCliOutputArgs output;  /* --out, --json, --top, --quiet */
  char **sets;             /* --set values, NULL-terminated; NULL when none */
  char **catalogs;         /* --catalog files, NULL-terminated; NULL when none */
  gint64 seed;
  gboolean unsafe;
  gint64 max_instructions; /* -1: not given (the sandbox's default) */
  double cpu_limit;        /* -1: not given */
  gint64 max_events;       /* -1: not given (the scenario layer's default) */
  char *horizon;           /* NULL: not given */
  GArray *entries;         /* GOptionEntry: the shared ones around the command's, ended by a null entry */
  GArray *numbers;         /* TsCliNumber of every numeric entry, ended by a NULL name (the group's data) */
} TsCliScenarioArgs;

/* A context whose one group holds --set and --seed (described by `set_help`, `set_arg` and `seed_help`: what
 * they mean differs between commands), the output options `output` describes, the command's own `entries`
 * (its numeric ones listed in `numbers`, ended by a NULL name), then --quiet, --unsafe and the limits.  The
 * values land in `args`, which must outlive the context; ts_cli_scenario_args_clear frees them. */
GOptionContext *ts_cli_scenario_context_new(TsCliScenarioArgs *args, const char *parameter_string,
                                            const char *set_help, const char *set_arg, const char *seed_help,
                                            const TsCliOutputHelp *output, const GOptionEntry *entries,
                                            const TsCliNumber *numbers);
void ts_cli_scenario_args_clear(TsCliScenarioArgs *args);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TsCliScenarioArgs, ts_cli_scenario_args_clear)

/* Options as ts_scenario_options_init leaves them, with the seed, the --set values, the sandbox limits and the
 * simulation limits given; FALSE with TS_ERROR_USAGE when --max-events or --horizon is out of range. */
gboolean ts_cli_scenario_args_apply(const TsCliScenarioArgs *args, TsScenarioOptions *options, GError **error);

/* With --unsafe, the warning on stderr: `subject` (a script's path) "runs", or with NULL "the scenarios run",
 * with the full Lua library and no limits. */
void ts_cli_scenario_args_warn(const TsCliScenarioArgs *args, const char *subject);

#endif
