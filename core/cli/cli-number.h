/* The one parser of every numeric command-line option (docs/cli.md, docs/testing.md "Limits"): each option
 * is declared with its range, and anything outside it — NaN, infinities, negatives, zero where zero would
 * lift a limit, values that do not fit the type they end up in, trailing junk — is refused with the
 * option's name, what was expected and what was given.  GLib's own G_OPTION_ARG_INT64/DOUBLE accept NaN,
 * "-5" and 1e10 alike, which is how limits used to lift themselves. */
#ifndef TS_CLI_NUMBER_H
#define TS_CLI_NUMBER_H

#include <glib.h>

typedef struct {
  const char *name;   /* the long name, as in its GOptionEntry: "cpu-limit" */
  char short_name;    /* as in its GOptionEntry, or 0 */
  gboolean integer;   /* TRUE: value is a gint64 *; FALSE: a double * */
  double min, max;    /* inclusive bounds (integers: exactly representable, below 2^53) */
  gboolean above_min; /* min itself is refused: a limit of 0 s would be no limit */
  const char *unit;   /* for the message: "seconds", "instructions", or NULL */
  void *value;
} TsCliNumber;

/* One GOptionEntry for a numeric option of the table given to ts_cli_context_new. */
#define TS_CLI_NUMBER_ENTRY(long_name, short_name, description, arg_description)                                \
  {                                                                                                             \
    long_name, short_name, 0, G_OPTION_ARG_CALLBACK, (gpointer) ts_cli_number_parse, description,              \
      arg_description                                                                                           \
  }

/* GOptionArgFunc of TS_CLI_NUMBER_ENTRY: `data` is the table (ended by a NULL name). */
gboolean ts_cli_number_parse(const char *option_name, const char *value, gpointer data, GError **error);

/* A GOptionContext whose main group holds `entries` and passes `numbers` to their callbacks. */
GOptionContext *ts_cli_context_new(const char *parameter_string, const GOptionEntry *entries,
                                   TsCliNumber *numbers);

/* The limits shared by run, sweep and compare. */
#define TS_CLI_MAX_SEED 9007199254740991.0 /* 2^53 - 1: JSON readers keep it exact */
#define TS_CLI_MAX_INSTRUCTIONS 1e12       /* about 3 hours of Lua at 100 M instructions a second */
#define TS_CLI_MAX_CPU_LIMIT_S 86400.0     /* one day */

#endif
