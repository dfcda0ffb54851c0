#include "cli/cli-print.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "common/ts-text.h"

void
ts_cli_print(FILE *to, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  g_autofree char *text = g_strdup_vprintf(format, ap);
  va_end(ap);
  g_autofree char *safe = ts_text_escape(text, -1, 0, TRUE);
  fputs(safe, to);
}

gboolean
ts_cli_use_color(FILE *f)
{
  const char *no = g_getenv("NO_COLOR");
  if (no != NULL && no[0] != '\0')
    return FALSE;
  const char *term = g_getenv("TERM");
  return isatty(fileno(f)) && term != NULL && strcmp(term, "dumb") != 0;
}

void
ts_cli_print_written(const char *dir, const char *const *names, gboolean json)
{
  FILE *to = json ? stderr : stdout;
  ts_cli_print(to, "%s  written to %s:", json ? "" : "\n", dir);
  for (const char *const *f = names; *f; f++)
    fprintf(to, "%s %s", f == names ? "" : ",", *f);
  fputc('\n', to);
}
