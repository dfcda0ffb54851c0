/* One function per CLI command; each parses its own options and returns the process exit status. */
#ifndef TS_CLI_COMMANDS_H
#define TS_CLI_COMMANDS_H

#include <glib.h>

#include "cli/cli-options.h"
#include "plugin/plugin-host.h"
#include "sweep/sweep.h"
#include "trainsim/plugin.h"

int ts_cli_run(int argc, char **argv);
int ts_cli_devices(int argc, char **argv);
int ts_cli_plugins(int argc, char **argv);
int ts_cli_sweep(int argc, char **argv);
int ts_cli_compare(int argc, char **argv);
int ts_cli_merge(int argc, char **argv);
int ts_cli_plan(int argc, char **argv); /* cmd-plan.c */
int ts_cli_report(int argc, char **argv); /* cmd-report.c */
int ts_cli_validate(int argc, char **argv); /* cmd-validate.c */

/* sweep and merge: print a sweep's result and write --out; returns the exit status (cmd-sweep.c). */
int ts_cli_sweep_report(TsSweepResult *res, const TsCliOutputArgs *output, const char *who);

/* A scenario given as `-` is read from standard input (script-input.c); messages call it TS_CLI_STDIN_NAME. */
#define TS_CLI_STDIN_NAME "stdin"
gboolean ts_cli_script_is_stdin(const char *arg);
char *ts_cli_read_stdin_script(gsize *len, GError **error);
/* When *path is `-`: the script read from standard input into *source and *len, and *path TS_CLI_STDIN_NAME;
 * FALSE, said on stderr as "trainsim COMMAND: ...", when it cannot be read.  Any other path is left alone. */
gboolean ts_cli_take_stdin_script(const char *command, const char **path, char **source, gsize *len);

/* The plugins and their catalogs (cli-registry.c) with the user catalogs `catalogs` (--catalog FILE, NULL-terminated,
 * or NULL) merged in, or NULL with the reason said on stderr. */
/* The plugins and catalogs; with warn_calibration, a warning on stderr for each calibration.json entry set aside. */
TsRegistry *ts_cli_registry_new(const char *const *catalogs, gboolean warn_calibration);


#endif
