/* Quantities with units, parsed in one place: "147 GB", "340 GiB", "10 Gbit/s", "1.2 GB/s", "90 min",
 * "2 USD/chip-hour".  Numbers without units are SI base units.  Unknown units are errors that list the
 * accepted ones for the dimension asked for. */
#ifndef TS_UNITS_H
#define TS_UNITS_H

#include <glib.h>

typedef enum {
  TS_DIM_NUMBER,     /* plain count or ratio; "%" accepted */
  TS_DIM_BYTES,      /* B, kB, MB, GB, TB, PB, KiB ... PiB, bit, Gbit ... */
  TS_DIM_BYTE_RATE,  /* bytes per second: GB/s, Gbit/s, MiB/s ... */
  TS_DIM_TIME,       /* seconds: ns, us, ms, s, min, h, day, week, year */
  TS_DIM_FLOPS,      /* FLOP per second: TFLOP/s, PFLOP/s, TOP/s */
  TS_DIM_FLOP,       /* FLOP: GFLOP, TFLOP, PFLOP, EFLOP, ZFLOP */
  TS_DIM_POWER,      /* watts: W, kW */
  TS_DIM_RATE,       /* events per second: images/s, tokens/s, samples/s, 1/s */
  TS_DIM_USD,        /* an amount of money: USD */
  TS_DIM_PRICE,      /* USD per unit: USD/chip-hour, USD/GB-month, USD/GB, USD/kWh ... */
  TS_DIM_COUNT
} TsDimension;

/* What a price is per.  Explicit, so "per TPU" is never ambiguous. */
typedef enum {
  TS_PRICE_NONE,
  TS_PRICE_CORE_HOUR,
  TS_PRICE_CHIP_HOUR,
  TS_PRICE_DEVICE_HOUR,
  TS_PRICE_SLICE_HOUR,
  TS_PRICE_INSTANCE_HOUR,
  TS_PRICE_NODE_HOUR,
  TS_PRICE_GB_MONTH,
  TS_PRICE_GB,
  TS_PRICE_KWH,
  TS_PRICE_COUNT
} TsPriceUnit;

typedef struct {
  double value;       /* in SI base units (bytes, seconds, FLOP, W, USD); for a price, USD per unit */
  TsDimension dim;
  TsPriceUnit per;    /* only for TS_DIM_PRICE */
} TsQuantity;

/* Parse `text` as a quantity of dimension `dim`.  On error, the message says what was expected and what
 * was given, and lists the accepted units. */
gboolean ts_quantity_parse(const char *text, TsDimension dim, TsQuantity *out, GError **error);

const char *ts_dimension_get_name(TsDimension dim);
const char *ts_price_unit_get_name(TsPriceUnit per); /* "chip-hour" */
/* The accepted unit names for a dimension, comma separated (for messages and docs). */
const char *ts_dimension_get_units(TsDimension dim);

/* Human formatting for the terminal: "1 h 32 min", "15.2 GiB", "193.40 USD". Returns a new string. */
char *ts_format_duration(double seconds);
char *ts_format_bytes(double bytes);
char *ts_format_usd(double usd);
char *ts_format_flops(double flops_per_s);

#endif
