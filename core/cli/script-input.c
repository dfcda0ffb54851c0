/* `-` as a scenario: the script is read from standard input, once, and named "stdin" in messages (docs/cli.md). */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include "common/ts-error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A scenario script larger than this is not a script someone typed or piped by hand. */
#define MAX_STDIN_SCRIPT (16u << 20)

gboolean
ts_cli_script_is_stdin(const char *arg)
{
  return arg != NULL && strcmp(arg, "-") == 0;
}

char *
ts_cli_read_stdin_script(gsize *len, GError **error)
{
  GString *text = g_string_new(NULL);
  char buf[65536];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0)
      break;
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      g_set_error(error, TS_ERROR, TS_ERROR_IO, "-: cannot read the scenario from standard input: %s", g_strerror(e));
      g_string_free(text, TRUE);
      return NULL;
    }
    if (text->len + (gsize) n > MAX_STDIN_SCRIPT) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "-: the scenario on standard input is over %u MiB",
                  MAX_STDIN_SCRIPT >> 20);
      g_string_free(text, TRUE);
      return NULL;
    }
    g_string_append_len(text, buf, n);
  }
  *len = text->len;
  return g_string_free(text, FALSE);
}

gboolean
ts_cli_take_stdin_script(const char *command, const char **path, char **source, gsize *len)
{
  if (!ts_cli_script_is_stdin(*path))
    return TRUE;
  g_autoptr(GError) error = NULL;
  *source = ts_cli_read_stdin_script(len, &error);
  if (*source == NULL) {
    ts_cli_print(stderr, "trainsim %s: %s\n", command, error->message);
    return FALSE;
  }
  *path = TS_CLI_STDIN_NAME;
  return TRUE;
}
