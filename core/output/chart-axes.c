/* The axes of a chart: round tick steps for durations, bytes (KiB, MiB, GiB), dollars and plain numbers, and the
 * tick labels in those units. */
#include "output/chart-private.h"

#include <math.h>

#define MAX_INTERVALS 6

static const double duration_steps[] = {
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30,
  60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 432000, 864000,
  1728000, 4320000, 8640000, 17280000, 43200000, 86400000};

static double
nice_step(double max, double unit)
{
  double raw = max / unit / MAX_INTERVALS;
  double mag = pow(10, floor(log10(raw)));
  const double m[] = {1, 2, 2.5, 5, 10};
  for (guint i = 0; i < G_N_ELEMENTS(m); i++)
    if (ceil(max / unit / (m[i] * mag) - 1e-9) <= MAX_INTERVALS)
      return m[i] * mag * unit;
  return 10 * mag * unit;
}

static double
bytes_unit(double max, const char **name)
{
  static const char *names[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  guint k = 0;
  double u = 1;
  while (k + 1 < G_N_ELEMENTS(names) && max >= u * 1024) {
    u *= 1024;
    k++;
  }
  if (name != NULL)
    *name = names[k];
  return u;
}

Ticks
chart_ticks(TsAxisKind kind, double max)
{
  Ticks t;
  if (!(max > 0) || !isfinite(max))
    max = kind == TS_AXIS_DURATION ? 60 : 1;
  if (kind == TS_AXIS_DURATION) {
    t.step = duration_steps[G_N_ELEMENTS(duration_steps) - 1];
    for (guint i = 0; i < G_N_ELEMENTS(duration_steps); i++)
      if (ceil(max / duration_steps[i] - 1e-9) <= MAX_INTERVALS) {
        t.step = duration_steps[i];
        break;
      }
  } else if (kind == TS_AXIS_BYTES) {
    t.step = nice_step(max, bytes_unit(max, NULL));
  } else {
    t.step = nice_step(max, 1);
  }
  t.n = (guint) MAX(1, ceil(max / t.step - 1e-9));
  t.max = t.n * t.step;
  return t;
}

/* Shortest decimal text of v, at most 3 decimals ("2.5", "10"). */
static char *
short_number(double v)
{
  char *s = g_strdup_printf("%.3f", v);
  char *e = s + strlen(s) - 1;
  while (*e == '0')
    *e-- = '\0';
  if (*e == '.')
    *e = '\0';
  if (strcmp(s, "-0") == 0) {
    g_free(s);
    s = g_strdup("0");
  }
  return s;
}

char *
ts_chart_format_tick(TsAxisKind kind, double v, double step)
{
  if (kind == TS_AXIS_DURATION) {
    if (v == 0)
      return g_strdup("0");
    if (step >= 86400 && fmod(v, 86400) == 0)
      return g_strdup_printf("%.0f d", v / 86400);
    if (v >= 3600) {
      double h = floor(v / 3600 + 1e-9), m = round((v - h * 3600) / 60);
      if (m >= 60) {
        h += 1;
        m = 0;
      }
      return m > 0 ? g_strdup_printf("%.0f h %.0f min", h, m) : g_strdup_printf("%.0f h", h);
    }
    g_autofree char *n = NULL;
    if (v >= 60) {
      n = short_number(v / 60);
      return g_strdup_printf("%s min", n);
    }
    if (v >= 1 || step >= 1) {
      n = short_number(v);
      return g_strdup_printf("%s s", n);
    }
    n = short_number(v * 1000);
    return g_strdup_printf("%s ms", n);
  }
  if (kind == TS_AXIS_BYTES) {
    const char *name;
    double u = bytes_unit(MAX(step, fabs(v)), &name);
    if (v == 0)
      return g_strdup("0");
    g_autofree char *n = short_number(v / u);
    return g_strdup_printf("%s %s", n, name);
  }
  if (kind == TS_AXIS_USD) {
    if (v == 0)
      return g_strdup("0");
    int decimals = step >= 1 ? 0 : (int) ceil(-log10(step) - 1e-9);
    const struct {
      double unit;
      const char *suffix;
    } big[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
    for (guint i = 0; i < G_N_ELEMENTS(big); i++)
      if (step >= big[i].unit / 10 && fabs(v) >= big[i].unit && (i < 3 || step >= 1000)) {
        g_autofree char *n = short_number(v / big[i].unit);
        return g_strdup_printf("%s%s USD", n, big[i].suffix);
      }
    return g_strdup_printf("%.*f USD", decimals, v);
  }
  return short_number(v);
}
