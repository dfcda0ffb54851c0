/* /units/...: quantities with units, parsed in one place, and human formatting. */
#include "common/ts-error.h"
#include "output/json-writer.h"
#include "units/units.h"

#include <float.h>
#include <math.h>
#include <string.h>

static double
parse_ok(const char *text, TsDimension dim)
{
  TsQuantity q;
  g_autoptr(GError) error = NULL;
  gboolean ok = ts_quantity_parse(text, dim, &q, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  return q.value;
}

static void
test_bytes(void)
{
  g_assert_cmpfloat(parse_ok("147 GB", TS_DIM_BYTES), ==, 147e9);
  g_assert_cmpfloat(parse_ok("340 GiB", TS_DIM_BYTES), ==, 340.0 * 1073741824.0);
  g_assert_cmpfloat(parse_ok("1.5TB", TS_DIM_BYTES), ==, 1.5e12);
  g_assert_cmpfloat(parse_ok("8 bit", TS_DIM_BYTES), ==, 1.0);
  g_assert_cmpfloat(parse_ok("  42  ", TS_DIM_BYTES), ==, 42.0); /* no unit: SI base unit */
}

static void
test_rates(void)
{
  g_assert_cmpfloat(parse_ok("10 Gbit/s", TS_DIM_BYTE_RATE), ==, 1.25e9);
  g_assert_cmpfloat(parse_ok("1.2 GB/s", TS_DIM_BYTE_RATE), ==, 1.2e9);
  g_assert_cmpfloat(parse_ok("123 TFLOP/s", TS_DIM_FLOPS), ==, 123e12);
  g_assert_cmpfloat(parse_ok("394 TOP/s", TS_DIM_FLOPS), ==, 394e12);
  g_assert_cmpfloat(parse_ok("150 images/s", TS_DIM_RATE), ==, 150.0);
}

static void
test_time(void)
{
  g_assert_cmpfloat(parse_ok("90 min", TS_DIM_TIME), ==, 5400.0);
  g_assert_cmpfloat(parse_ok("1.5 h", TS_DIM_TIME), ==, 5400.0);
  g_assert_cmpfloat(parse_ok("2 days", TS_DIM_TIME), ==, 172800.0);
  g_assert_cmpfloat(parse_ok("250 ms", TS_DIM_TIME), ==, 0.25);
}

static void
test_prices(void)
{
  TsQuantity q;
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_quantity_parse("2 USD/chip-hour", TS_DIM_PRICE, &q, &error));
  g_assert_cmpfloat(q.value, ==, 2.0);
  g_assert_cmpint(q.per, ==, TS_PRICE_CHIP_HOUR);
  g_assert_true(ts_quantity_parse("0.020 USD/GB-month", TS_DIM_PRICE, &q, &error));
  g_assert_cmpint(q.per, ==, TS_PRICE_GB_MONTH);
  g_assert_true(ts_quantity_parse("24.48 USD/instance-hour", TS_DIM_PRICE, &q, &error));
  g_assert_cmpint(q.per, ==, TS_PRICE_INSTANCE_HOUR);
  g_assert_cmpstr(ts_price_unit_get_name(TS_PRICE_SLICE_HOUR), ==, "slice-hour");
}

static void
expect_error(const char *text, TsDimension dim, const char *substring)
{
  TsQuantity q;
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_quantity_parse(text, dim, &q, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  if (strstr(error->message, substring) == NULL)
    g_error("message \"%s\" lacks \"%s\"", error->message, substring);
}

static void
test_errors(void)
{
  /* Unknown units list the accepted ones for that dimension. */
  expect_error("147 GX", TS_DIM_BYTES, "accepted: B, kB, MB, GB");
  expect_error("10 Gbps", TS_DIM_BYTE_RATE, "Gbit/s");
  expect_error("90 minutes", TS_DIM_TIME, "min, h");
  expect_error("2 USD/TPU-hour", TS_DIM_PRICE, "USD/chip-hour");
  expect_error("2", TS_DIM_PRICE, "needs its unit");
  expect_error("lots", TS_DIM_BYTES, "got \"lots\"");
  expect_error("", TS_DIM_TIME, "expected a duration");
  expect_error("0x10 GB", TS_DIM_BYTES, "decimal");
  expect_error("inf GB", TS_DIM_BYTES, "expected");
  expect_error("nan s", TS_DIM_TIME, "expected");
  expect_error("1e400 B", TS_DIM_BYTES, "expected");
  expect_error("1e300 PB", TS_DIM_BYTES, "out of range");
}

static void
check_format(char *(*fn)(double), double v, const char *expected)
{
  g_autofree char *s = fn(v);
  g_assert_cmpstr(s, ==, expected);
}

static void
test_format(void)
{
  check_format(ts_format_duration, 5520.0, "1 h 32 min");
  check_format(ts_format_duration, 59.94, "59.9 s");
  check_format(ts_format_duration, 3599.6, "1 h 0 min");
  check_format(ts_format_duration, 90061.0, "25 h 1 min");
  check_format(ts_format_duration, 200000.0, "2 d 8 h");
  check_format(ts_format_duration, 0.0123, "12.3 ms");
  check_format(ts_format_duration, -120.0, "-2 min 0 s");
  check_format(ts_format_bytes, 15.2 * 1073741824.0, "15.2 GiB");
  check_format(ts_format_bytes, 512.0, "512 B");
  check_format(ts_format_usd, 193.4, "193.40 USD");
  check_format(ts_format_flops, 123e12, "123.0 TFLOP/s");
}

static void
check_json(double v, const char *expected)
{
  g_autoptr(GString) s = g_string_new(NULL);
  ts_json_append_number(s, v);
  g_assert_cmpstr(s->str, ==, expected);
}

static void
test_json_numbers(void)
{
  check_json(NAN, "null");
  check_json(INFINITY, "null");
  check_json(-INFINITY, "null");
  check_json(0.0, "0");
  check_json(-0.0, "0");
  check_json(0.1, "0.1");
  check_json(1.0 / 3.0, "0.3333333333333333");
  check_json(5400.0, "5400");
  check_json(1e300, "1e+300");
  check_json(123e12, "123000000000000");
  check_json(2.5e-9, "2.5e-09");
  /* Shortest round trip: whatever we print reads back as the same double. */
  for (int i = 1; i < 1000; i++) {
    double v = 1.0 / i * 1e-3 * i * i;
    g_autoptr(GString) s = g_string_new(NULL);
    ts_json_append_number(s, v);
    g_assert_cmpfloat(g_ascii_strtod(s->str, NULL), ==, v);
  }
}

/* The reference: the first of %.15g, %.16g, %.17g (from %.1g for subnormals) that reads back exactly, each printed
 * and read back -- what ts_json_append_number printed before it rounded %.15g and %.16g from one %.16e. */
static char *
shortest_by_search(double v)
{
  char buf[40], fmt[8];
  for (int prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
    g_snprintf(fmt, sizeof fmt, "%%.%dg", prec);
    g_ascii_formatd(buf, sizeof buf, fmt, v);
    if (g_ascii_strtod(buf, NULL) == v)
      break;
  }
  return g_strdup(buf);
}

static void
check_against_search(double v)
{
  if (!isfinite(v) || v == 0 || (fabs(v) < 9007199254740992.0 && v == floor(v)))
    return; /* printed before either path */
  g_autoptr(GString) s = g_string_new(NULL);
  ts_json_append_number(s, v);
  g_autofree char *want = shortest_by_search(v);
  if (strcmp(s->str, want) != 0)
    g_error("%a: printed %s, the search prints %s", v, s->str, want);
}

/* Every kind of double prints as the search printed it: random bit patterns (all exponents, subnormals), short
 * decimals (shortest at 15 digits or fewer), values of 16 digits, both sides of where %g changes form (10^-5,
 * 10^-4, 10^15 .. 10^17), halves and neighbours of each, negative too. */
static void
test_json_numbers_shortest(void)
{
  GRand *rand = g_rand_new_with_seed(20261207);
  for (int i = 0; i < 200000; i++) {
    guint64 bits = ((guint64) g_rand_int(rand) << 32) | g_rand_int(rand);
    double v;
    memcpy(&v, &bits, sizeof v);
    check_against_search(v);
    char text[40];
    g_snprintf(text, sizeof text, "%.*g", 1 + i % 17, g_rand_double_range(rand, -1, 1) *
               pow(10, g_rand_int_range(rand, -20, 25)));
    double d = g_ascii_strtod(text, NULL);
    check_against_search(d);
    check_against_search(nextafter(d, INFINITY));
    check_against_search(nextafter(d, -INFINITY));
  }
  for (int e = -8; e <= 19; e++)
    for (int k = 1; k <= 17; k++)
      for (int j = 0; j < 50; j++) {
        double base = pow(10, e) * (1 + g_rand_double(rand));
        char text[40];
        g_snprintf(text, sizeof text, "%.*e", k - 1, base);
        double d = g_ascii_strtod(text, NULL);
        check_against_search(d);
        check_against_search(-d);
        check_against_search(nextafter(d, 0));
        check_against_search(pow(10, e) - pow(10, e - k) / 2);
        check_against_search(pow(10, e) * 0.99999999999999994);
      }
  check_against_search(DBL_MAX);
  check_against_search(DBL_MIN);
  check_against_search(nextafter(DBL_MIN, 0));
  check_against_search(5e-324);
  g_rand_free(rand);
}

static void
test_json_strings(void)
{
  g_autoptr(GString) s = g_string_new(NULL);
  ts_json_append_string(s, "a\"b\\c\n\x01");
  g_assert_cmpstr(s->str, ==, "\"a\\\"b\\\\c\\n\\u0001\"");
  /* Not UTF-8: each bad byte becomes U+FFFD; valid multi-byte characters pass through. */
  g_string_truncate(s, 0);
  ts_json_append_string(s, "x\xff\xfey \xc3\xa9");
  g_assert_cmpstr(s->str, ==, "\"x\\ufffd\\ufffdy \xc3\xa9\"");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/units/bytes", test_bytes);
  g_test_add_func("/units/rates", test_rates);
  g_test_add_func("/units/time", test_time);
  g_test_add_func("/units/prices", test_prices);
  g_test_add_func("/units/errors-list-accepted-units", test_errors);
  g_test_add_func("/units/human-format", test_format);
  g_test_add_func("/units/json-numbers", test_json_numbers);
  g_test_add_func("/units/json-numbers-shortest", test_json_numbers_shortest);
  g_test_add_func("/units/json-strings", test_json_strings);
  return g_test_run();
}
