#include "cli/cli-limits.h"

#include "cli/cli-print.h"
#include "units/units.h"

#include <math.h>
#include <stdio.h>

/* Whether TEXT is more than a bare number (a unit follows it). */
static gboolean
has_unit(const char *text)
{
  char *end = NULL;
  g_ascii_strtod(text, &end);
  if (end == text)
    return TRUE; /* not a number at all: the unit parser says what is wrong */
  while (g_ascii_isspace(*end))
    end++;
  return *end != '\0';
}

gboolean
ts_cli_limits_parse(const char *cmd, const char *deadline, const char *budget, gint64 quantile, double *deadline_s,
                    double *budget_usd)
{
  g_autoptr(GError) error = NULL;
  TsQuantity q;
  *deadline_s = *budget_usd = NAN;
  if (quantile != 50 && quantile != 90) {
    ts_cli_print(stderr, "trainsim %s: --quantile: expected 50 or 90 (the P50 and P90 the summaries report), got %"
                 G_GINT64_FORMAT "\n", cmd, quantile);
    return FALSE;
  }
  if (deadline != NULL) {
    /* A bare number would be seconds (SI), which nobody means by --deadline 2: the unit is required. */
    if (!has_unit(deadline)) {
      g_autofree char *n = g_strstrip(g_strdup(deadline));
      ts_cli_print(stderr, "trainsim %s: --deadline %s: a duration needs its unit (%s h? %s day?); accepted: %s\n",
                   cmd, deadline, n, n, ts_dimension_get_units(TS_DIM_TIME));
      return FALSE;
    }
    if (!ts_quantity_parse(deadline, TS_DIM_TIME, &q, &error) || !(q.value > 0)) {
      ts_cli_print(stderr, "trainsim %s: --deadline %s: %s\n", cmd, deadline,
                   error ? error->message : "expected a positive duration (2h, 90 min, 3 day)");
      return FALSE;
    }
    *deadline_s = q.value;
  }
  if (budget != NULL) {
    if (!ts_quantity_parse(budget, TS_DIM_USD, &q, &error) || !(q.value >= 0)) {
      ts_cli_print(stderr, "trainsim %s: --budget %s: %s\n", cmd, budget,
                   error ? error->message : "expected an amount (500 USD)");
      return FALSE;
    }
    *budget_usd = q.value;
  }
  return TRUE;
}
