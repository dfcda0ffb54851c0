/* One error domain for all of trainsim, so callers and exit codes never disagree on what a code means. */
#ifndef TS_ERROR_H
#define TS_ERROR_H

#include <glib.h>

#define TS_ERROR (ts_error_quark())
GQuark ts_error_quark(void);

typedef enum {
  TS_ERROR_USAGE,      /* command line: unknown option, bad --set */
  TS_ERROR_SCENARIO,   /* the script is wrong: syntax, types, units, ranges */
  TS_ERROR_LIMIT,      /* the script hit the sandbox's instruction, memory or CPU-time limit */
  TS_ERROR_PLUGIN,     /* a plugin was refused or gave a bad answer */
  TS_ERROR_CATALOG,    /* a catalog file is malformed */
  TS_ERROR_IO,         /* reading or writing a file failed */
  TS_ERROR_INFEASIBLE, /* the run is well formed but cannot happen (out of memory, disk full) */
  TS_ERROR_INTERRUPTED /* SIGINT / SIGTERM */
} TsErrorCode;

/* Process exit status for each outcome (docs/cli.md). */
#define TS_EXIT_OK 0
#define TS_EXIT_ERROR 1
#define TS_EXIT_INFEASIBLE 3
#define TS_EXIT_INTERRUPTED 130

int ts_error_exit_status(const GError *error);

#endif
