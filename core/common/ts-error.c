#include "common/ts-error.h"

G_DEFINE_QUARK(trainsim-error-quark, ts_error)

int
ts_error_exit_status(const GError *error)
{
  if (error == NULL)
    return TS_EXIT_OK;
  if (g_error_matches(error, TS_ERROR, TS_ERROR_INFEASIBLE))
    return TS_EXIT_INFEASIBLE;
  if (g_error_matches(error, TS_ERROR, TS_ERROR_INTERRUPTED))
    return TS_EXIT_INTERRUPTED;
  return TS_EXIT_ERROR;
}
