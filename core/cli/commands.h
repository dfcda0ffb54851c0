/* One function per CLI command; each parses its own options and returns the process exit status. */
#ifndef TS_CLI_COMMANDS_H
#define TS_CLI_COMMANDS_H

#include "trainsim/plugin.h"

int ts_cli_run(int argc, char **argv);
int ts_cli_devices(int argc, char **argv);
int ts_cli_plugins(int argc, char **argv);
int ts_cli_sweep(int argc, char **argv);
int ts_cli_compare(int argc, char **argv);
int ts_cli_merge(int argc, char **argv);
int ts_cli_validate(int argc, char **argv); /* cmd-validate.c */

#endif
