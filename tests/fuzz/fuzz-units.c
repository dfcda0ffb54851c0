/* libFuzzer target: the quantity parser (ts_quantity_parse) and the human formatters.
 *
 * Input: the first byte picks the dimension (mod TS_DIM_COUNT), the rest is the text, NUL-terminated
 * here.  Every parse must either succeed with a finite value of the dimension asked for (and a price
 * unit exactly when a price was asked for), or fail with a message that quotes what was given. */
#include "units/units.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A formatted value is never empty, and a value that is not negative never prints as negative (lround
 * past LONG_MAX used to give "-384307168202282325 d -8 h" for 1e308 s). */
static void
check_format(char *s, double value)
{
  if (s == NULL || s[0] == '\0')
    abort();
  if (value >= 0 && s[0] == '-') {
    fprintf(stderr, "fuzz-units: %.17g formatted as \"%s\"\n", value, s);
    abort();
  }
  g_free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1 || size > 4096)
    return 0;
  TsDimension dim = (TsDimension) (data[0] % TS_DIM_COUNT);
  char *text = g_strndup((const char *) data + 1, size - 1); /* stops at an embedded NUL, as C callers do */
  TsQuantity q = {0};
  GError *error = NULL;
  if (ts_quantity_parse(text, dim, &q, &error)) {
    if (error != NULL || !isfinite(q.value) || q.dim != dim)
      abort();
    if ((dim == TS_DIM_PRICE) != (q.per != TS_PRICE_NONE))
      abort();
    if (dim == TS_DIM_PRICE && ts_price_unit_get_name(q.per)[0] == '\0')
      abort();
    check_format(ts_format_duration(q.value), q.value);
    check_format(ts_format_bytes(q.value), q.value);
    check_format(ts_format_usd(q.value), q.value);
    check_format(ts_format_flops(q.value), q.value);
  } else {
    if (error == NULL || error->message == NULL || error->message[0] == '\0')
      abort();
    g_error_free(error);
  }
  /* The names are total functions. */
  (void) ts_dimension_get_name(dim);
  (void) ts_dimension_get_units(dim);
  g_free(text);
  return 0;
}
