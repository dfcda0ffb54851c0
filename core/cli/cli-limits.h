/* --deadline, --budget and --quantile: the limits `trainsim sweep` and `trainsim compare` judge their runs
 * against, read the same way by both (docs/cli.md). */
#ifndef TS_CLI_LIMITS_H
#define TS_CLI_LIMITS_H

#include <glib.h>

/* `deadline` is a duration with its unit (a bare number would be seconds, which nobody means by --deadline 2),
 * `budget` an amount in USD, either NULL when not given (NAN out); `quantile` 50 or 90.  FALSE, said on stderr
 * as "trainsim CMD: --deadline ...: why", when one is not understood. */
gboolean ts_cli_limits_parse(const char *cmd, const char *deadline, const char *budget, gint64 quantile,
                             double *deadline_s, double *budget_usd);

#endif
