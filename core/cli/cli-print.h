/* Messages of the CLI carry text the user or a plugin controls (file paths, --set names and values, --out
 * directories, plugin paths and refusal reasons); they pass through ts_text_escape so that a path such as
 * $'x\e[2J.lua' cannot clear the screen or forge lines on the terminal. */
#ifndef TS_CLI_PRINT_H
#define TS_CLI_PRINT_H

#include <glib.h>
#include <stdio.h>

/* fprintf(to, format, ...) with the formatted text escaped (newlines and tabs kept). Not for text that
 * carries the CLI's own colour sequences. */
void ts_cli_print(FILE *to, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* "  written to DIR: a, b, c" after the command's own output: on stdout, or on stderr with --json (stdout stays one
 * JSON document).  `names`: NULL-terminated, in the order the files were renamed into place. */
void ts_cli_print_written(const char *dir, const char *const *names, gboolean json);

/* Colour on a terminal only, and not with NO_COLOR set or TERM=dumb. */
gboolean ts_cli_use_color(FILE *f);

#endif
