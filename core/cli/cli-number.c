/* Numeric command-line options: parsed and range-checked in one place. */
#include "cli/cli-number.h"

#include "common/ts-error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *
expectation(const TsCliNumber *n)
{
  g_autofree char *lo = g_strdup_printf("%.17g", n->min), *hi = g_strdup_printf("%.17g", n->max);
  const char *what = n->integer ? "an integer" : "a number";
  const char *unit = n->unit ? n->unit : "";
  if (n->above_min)
    return g_strdup_printf("%s%s%s above %s and at most %s", what, unit[0] ? " of " : "", unit, lo, hi);
  return g_strdup_printf("%s%s%s from %s to %s", what, unit[0] ? " of " : "", unit, lo, hi);
}

gboolean
ts_cli_number_parse(const char *option_name, const char *value, gpointer data, GError **error)
{
  TsCliNumber *table = data;
  gboolean is_short = option_name[0] == '-' && option_name[1] != '-';
  const char *name = option_name + (is_short ? 1 : 2);
  TsCliNumber *n = NULL;
  for (TsCliNumber *t = table; t != NULL && t->name != NULL && n == NULL; t++)
    if (is_short ? (t->short_name != 0 && name[0] == t->short_name && name[1] == '\0') : strcmp(t->name, name) == 0)
      n = t;
  if (n == NULL) { /* an entry made with TS_CLI_NUMBER_ENTRY but left out of the table */
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "%s: not a numeric option", option_name);
    return FALSE;
  }
  g_autofree char *expected = expectation(n);
  g_autofree char *shown = g_strescape(value, NULL);
  double v = NAN;
  gint64 i = 0;
  /* Decimal only: strtod's hexadecimal floats, "inf" and "nan" are not what anyone means here. */
  gboolean ok = value[0] != '\0' && strspn(value, n->integer ? "+-0123456789" : "+-0123456789.eE") == strlen(value);
  if (ok) {
    char *end = NULL;
    errno = 0;
    if (n->integer) {
      i = g_ascii_strtoll(value, &end, 10);
      ok = errno == 0 && end != value && *end == '\0';
      ok = ok && i >= (gint64) n->min && i <= (gint64) n->max && !(n->above_min && i == (gint64) n->min);
    } else {
      v = g_ascii_strtod(value, &end);
      ok = errno == 0 && end != value && *end == '\0' && isfinite(v) && v >= n->min && v <= n->max &&
           !(n->above_min && v == n->min);
    }
  }
  if (!ok) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--%s: expected %s, got \"%s\"", n->name, expected, shown);
    return FALSE;
  }
  if (n->integer)
    *(gint64 *) n->value = i;
  else
    *(double *) n->value = v;
  return TRUE;
}

GOptionContext *
ts_cli_context_new(const char *parameter_string, const GOptionEntry *entries, TsCliNumber *numbers)
{
  GOptionContext *ctx = g_option_context_new(parameter_string);
  GOptionGroup *main_group = g_option_group_new(NULL, NULL, NULL, numbers, NULL);
  g_option_group_add_entries(main_group, entries);
  g_option_context_set_main_group(ctx, main_group);
  return ctx;
}
