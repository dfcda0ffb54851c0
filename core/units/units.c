#include "units/units.h"

#include "common/ts-error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *name;
  double factor;
} TsUnit;

static const TsUnit bytes_units[] = {
  {"B", 1.0},           {"byte", 1.0},          {"bytes", 1.0},        {"kB", 1e3},
  {"KB", 1e3},          {"MB", 1e6},            {"GB", 1e9},           {"TB", 1e12},
  {"PB", 1e15},         {"KiB", 1024.0},        {"MiB", 1048576.0},    {"GiB", 1073741824.0},
  {"TiB", 1099511627776.0}, {"PiB", 1125899906842624.0}, {"bit", 0.125}, {"kbit", 125.0},
  {"Mbit", 125e3},      {"Gbit", 125e6},        {"Tbit", 125e9},       {NULL, 0}};

static const TsUnit time_units[] = {
  {"ns", 1e-9},     {"us", 1e-6},       {"µs", 1e-6},     {"ms", 1e-3},    {"s", 1.0},
  {"sec", 1.0},     {"min", 60.0},      {"h", 3600.0},    {"hour", 3600.0}, {"hours", 3600.0},
  {"day", 86400.0}, {"days", 86400.0},  {"week", 604800.0}, {"weeks", 604800.0},
  {"year", 31557600.0}, {"years", 31557600.0}, {NULL, 0}};

static const TsUnit flop_units[] = {
  {"FLOP", 1.0}, {"GFLOP", 1e9}, {"TFLOP", 1e12}, {"PFLOP", 1e15}, {"EFLOP", 1e18}, {"ZFLOP", 1e21}, {NULL, 0}};

static const TsUnit flops_units[] = {
  {"FLOP/s", 1.0},   {"GFLOP/s", 1e9},  {"TFLOP/s", 1e12}, {"PFLOP/s", 1e15},
  {"OP/s", 1.0},     {"GOP/s", 1e9},    {"TOP/s", 1e12},   {"POP/s", 1e15}, {NULL, 0}};

static const TsUnit power_units[] = {{"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {NULL, 0}};

static const TsUnit rate_units[] = {
  {"1/s", 1.0}, {"images/s", 1.0}, {"samples/s", 1.0}, {"tokens/s", 1.0}, {"steps/s", 1.0}, {NULL, 0}};

static const TsUnit usd_units[] = {{"USD", 1.0}, {NULL, 0}};

static const TsUnit number_units[] = {{"%", 0.01}, {NULL, 0}};

static const struct {
  const char *name;
  TsPriceUnit per;
} price_units[] = {
  {"core-hour", TS_PRICE_CORE_HOUR},         {"chip-hour", TS_PRICE_CHIP_HOUR},
  {"device-hour", TS_PRICE_DEVICE_HOUR},     {"slice-hour", TS_PRICE_SLICE_HOUR},
  {"instance-hour", TS_PRICE_INSTANCE_HOUR}, {"node-hour", TS_PRICE_NODE_HOUR},
  {"GB-month", TS_PRICE_GB_MONTH},           {"GB", TS_PRICE_GB},
  {"kWh", TS_PRICE_KWH},
};

static const char *const dim_names[TS_DIM_COUNT] = {
  "a number", "a size in bytes", "a bandwidth", "a duration", "a compute rate", "an amount of work",
  "a power", "a rate", "an amount of money", "a price"};

static const char *const dim_accepted[TS_DIM_COUNT] = {
  "a plain number, %",
  "B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB, PiB, bit, kbit, Mbit, Gbit, Tbit",
  "B/s, kB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s, TiB/s, bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s",
  "ns, us, ms, s, min, h, day, week, year",
  "FLOP/s, GFLOP/s, TFLOP/s, PFLOP/s, OP/s, GOP/s, TOP/s, POP/s",
  "FLOP, GFLOP, TFLOP, PFLOP, EFLOP, ZFLOP",
  "W, kW, MW",
  "1/s, images/s, samples/s, tokens/s, steps/s",
  "USD",
  ("USD/core-hour, USD/chip-hour, USD/device-hour, USD/slice-hour, USD/instance-hour, USD/node-hour, "
   "USD/GB-month, USD/GB, USD/kWh")}; /* one element: parentheses tell clang the concatenation is meant */

static const char *const price_names[TS_PRICE_COUNT] = {
  "", "core-hour", "chip-hour", "device-hour", "slice-hour", "instance-hour", "node-hour", "GB-month", "GB",
  "kWh"};

const char *
ts_dimension_get_name(TsDimension dim)
{
  return (unsigned) dim < TS_DIM_COUNT ? dim_names[dim] : "?";
}

const char *
ts_dimension_get_units(TsDimension dim)
{
  return (unsigned) dim < TS_DIM_COUNT ? dim_accepted[dim] : "";
}

const char *
ts_price_unit_get_name(TsPriceUnit per)
{
  return (unsigned) per < TS_PRICE_COUNT ? price_names[per] : "?";
}

static const TsUnit *
lookup(const TsUnit *table, const char *name)
{
  for (; table->name != NULL; table++)
    if (strcmp(table->name, name) == 0)
      return table;
  return NULL;
}

/* A rate is "<unit>/s" over the byte table; "Gbps"-style shorthands are deliberately not accepted, so
 * bits and bytes are never confused. */
static gboolean
lookup_per_second(const TsUnit *table, const char *unit, double *factor)
{
  gsize n = strlen(unit);
  if (n < 3 || strcmp(unit + n - 2, "/s") != 0)
    return FALSE;
  g_autofree char *base = g_strndup(unit, n - 2);
  const TsUnit *u = lookup(table, base);
  if (u == NULL)
    return FALSE;
  *factor = u->factor;
  return TRUE;
}

static gboolean
unit_factor(TsDimension dim, const char *unit, double *factor, TsPriceUnit *per)
{
  const TsUnit *u = NULL;
  *per = TS_PRICE_NONE;
  switch (dim) {
  case TS_DIM_NUMBER: u = lookup(number_units, unit); break;
  case TS_DIM_BYTES: u = lookup(bytes_units, unit); break;
  case TS_DIM_BYTE_RATE: return lookup_per_second(bytes_units, unit, factor);
  case TS_DIM_TIME: u = lookup(time_units, unit); break;
  case TS_DIM_FLOPS: u = lookup(flops_units, unit); break;
  case TS_DIM_FLOP: u = lookup(flop_units, unit); break;
  case TS_DIM_POWER: u = lookup(power_units, unit); break;
  case TS_DIM_RATE: u = lookup(rate_units, unit); break;
  case TS_DIM_USD: u = lookup(usd_units, unit); break;
  case TS_DIM_PRICE:
    if (g_str_has_prefix(unit, "USD/")) {
      for (gsize i = 0; i < G_N_ELEMENTS(price_units); i++)
        if (strcmp(unit + 4, price_units[i].name) == 0) {
          *factor = 1.0;
          *per = price_units[i].per;
          return TRUE;
        }
    }
    return FALSE;
  case TS_DIM_COUNT: break;
  }
  if (u == NULL)
    return FALSE;
  *factor = u->factor;
  return TRUE;
}

gboolean
ts_quantity_parse(const char *text, TsDimension dim, TsQuantity *out, GError **error)
{
  g_return_val_if_fail(out != NULL, FALSE);
  if (text == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "expected %s, got nothing", ts_dimension_get_name(dim));
    return FALSE;
  }
  const char *p = text;
  while (g_ascii_isspace(*p))
    p++;
  char *end = NULL;
  /* g_ascii_strtod: locale-independent, so "1.5" means the same everywhere. */
  double v = g_ascii_strtod(p, &end);
  if (end == p || !isfinite(v)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "expected %s (a number followed by one of: %s), got \"%s\"",
                ts_dimension_get_name(dim), ts_dimension_get_units(dim), text);
    return FALSE;
  }
  /* strtod accepts hex and "inf"/"nan"; quantities are decimal only. */
  if (g_ascii_strncasecmp(p, "0x", 2) == 0 || g_ascii_strncasecmp(p, "-0x", 3) == 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "expected a decimal number, got \"%s\"", text);
    return FALSE;
  }
  while (g_ascii_isspace(*end))
    end++;
  g_autofree char *unit = g_strdup(end);
  g_strchomp(unit);

  double factor = 1.0;
  TsPriceUnit per = TS_PRICE_NONE;
  if (*unit == '\0') {
    if (dim == TS_DIM_PRICE) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO,
                  "a price needs its unit, one of: %s; got \"%s\"", ts_dimension_get_units(dim), text);
      return FALSE;
    }
  } else if (!unit_factor(dim, unit, &factor, &per)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "unknown unit \"%s\" in \"%s\" for %s; accepted: %s", unit,
                text, ts_dimension_get_name(dim), ts_dimension_get_units(dim));
    return FALSE;
  }
  double value = v * factor;
  if (!isfinite(value)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "\"%s\" is out of range", text);
    return FALSE;
  }
  out->value = value;
  out->dim = dim;
  out->per = per;
  return TRUE;
}

char *
ts_format_duration(double seconds)
{
  if (!isfinite(seconds))
    return g_strdup("unknown");
  if (seconds < 0) {
    g_autofree char *positive = ts_format_duration(-seconds);
    return g_strdup_printf("-%s", positive);
  }
  if (seconds == 0)
    return g_strdup("0 s");
  if (seconds < 1e-3)
    return g_strdup_printf("%.1f us", seconds * 1e6);
  if (seconds < 1.0)
    return g_strdup_printf("%.1f ms", seconds * 1e3);
  if (seconds < 59.95)
    return g_strdup_printf("%.1f s", seconds);
  if (seconds >= 1e15) /* lround below would pass LONG_MAX (and print a negative time): days, rounded */
    return g_strdup_printf("%.3g d", seconds / 86400.0);
  /* Round once, then split, so "59 min 60 s" or "60 min" never appear. */
  long s = lround(seconds);
  if (s < 3600)
    return g_strdup_printf("%ld min %ld s", s / 60, s % 60);
  long m = lround(seconds / 60.0);
  if (m < 48 * 60)
    return g_strdup_printf("%ld h %ld min", m / 60, m % 60);
  long h = lround(seconds / 3600.0);
  return g_strdup_printf("%ld d %ld h", h / 24, h % 24);
}

char *
ts_format_bytes(double bytes)
{
  static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (!isfinite(bytes))
    return g_strdup("unknown");
  double b = fabs(bytes);
  guint i = 0;
  while (b >= 1024.0 && i + 1 < G_N_ELEMENTS(names)) {
    b /= 1024.0;
    i++;
  }
  if (i == 0)
    return g_strdup_printf("%s%.0f B", bytes < 0 ? "-" : "", b);
  if (b >= 1e6) /* past the largest unit: "%.1f" would print hundreds of digits */
    return g_strdup_printf("%s%.3g %s", bytes < 0 ? "-" : "", b, names[i]);
  return g_strdup_printf("%s%.1f %s", bytes < 0 ? "-" : "", b, names[i]);
}

char *
ts_format_usd(double usd)
{
  if (!isfinite(usd))
    return g_strdup("unknown");
  if (usd == 0)
    usd = 0; /* -0 would print as "-0.00" */
  /* Thousands separated, so 1,234,567.89 USD reads at a glance. */
  g_autofree char *digits = g_strdup_printf("%.2f", fabs(usd));
  if (strcmp(digits, "0.00") == 0)
    usd = 0; /* -0.001 rounds to zero: no "-0.00" either */
  const char *dot = strchr(digits, '.');
  gsize whole = dot != NULL ? (gsize) (dot - digits) : strlen(digits);
  GString *out = g_string_new(usd < 0 ? "-" : "");
  for (gsize i = 0; i < whole; i++) {
    if (i > 0 && (whole - i) % 3 == 0)
      g_string_append_c(out, ',');
    g_string_append_c(out, digits[i]);
  }
  g_string_append(out, digits + whole);
  g_string_append(out, " USD");
  return g_string_free(out, FALSE);
}

char *
ts_format_flops(double flops)
{
  if (!isfinite(flops))
    return g_strdup("unknown");
  if (flops == 0)
    flops = 0; /* -0 would print as "-0.0" */
  if (flops >= 1e15)
    return g_strdup_printf("%.2f PFLOP/s", flops / 1e15);
  if (flops >= 1e12)
    return g_strdup_printf("%.1f TFLOP/s", flops / 1e12);
  return g_strdup_printf("%.1f GFLOP/s", flops / 1e9);
}
