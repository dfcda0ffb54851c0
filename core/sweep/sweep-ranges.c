/* The values of a swept parameter: lists and ranges ("10..250:10", "512..8192x2") expanded to canonical
 * text (ts_sweep_expand_values). */
#include "sweep/sweep.h"

#include "common/ts-error.h"
#include "output/json-writer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Numbers are written one way ("1e3" and "1000.0" are both "1000"), so a value reads the same in every
 * output and a merge can match rows by text. */
static char *
canonical_value(const char *text)
{
  g_autofree char *t = g_strstrip(g_strdup(text));
  char *end = NULL;
  double v = g_ascii_strtod(t, &end);
  if (end != t && *end == '\0' && isfinite(v) && !g_ascii_isalpha(t[0])) {
    GString *s = g_string_new(NULL);
    ts_json_append_number(s, v);
    return g_string_free(s, FALSE);
  }
  return g_steal_pointer(&t);
}

static gboolean
parse_number(const char *text, const char *item, double *out, GError **error)
{
  g_autofree char *t = g_strstrip(g_strdup(text));
  char *end = NULL;
  double v = g_ascii_strtod(t, &end);
  if (t[0] == '\0' || end == t || *end != '\0' || !isfinite(v)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE,
                "range \"%s\": \"%s\" is not a number (ranges read FROM..TO, FROM..TO:STEP or FROM..TOxFACTOR)",
                item, t);
    return FALSE;
  }
  *out = v;
  return TRUE;
}

/* Rounded to 12 significant digits, so 0.1 + 2 * 0.1 is written 0.3. */
static double
tidy(double v)
{
  char buf[64];
  g_ascii_formatd(buf, sizeof buf, "%.12g", v);
  return g_ascii_strtod(buf, NULL);
}

/* A value's canonical text in a block of its own size: a GString's would keep its 512 bytes, 10 MB for the
 * 20,000 values of epochs=1..20000 in every process that holds the spec (docs/performance.md, section 6). */
static char *
number_text(double v)
{
  g_autoptr(GString) s = g_string_sized_new(32);
  ts_json_append_number(s, v);
  return g_strndup(s->str, s->len);
}

static gboolean
expand_range(const char *item, GPtrArray *out, GError **error)
{
  const char *dots = strstr(item, "..");
  g_autofree char *from_s = g_strndup(item, (gsize) (dots - item));
  const char *rest = dots + 2;
  const char *colon = strchr(rest, ':');
  const char *times = strchr(rest, 'x');
  if (times == NULL)
    times = strchr(rest, '*');
  double from, to, step = 1, factor = 0;
  g_autofree char *to_s = g_strndup(rest, colon ? (gsize) (colon - rest) : times ? (gsize) (times - rest)
                                                                                : strlen(rest));
  if (!parse_number(from_s, item, &from, error) || !parse_number(to_s, item, &to, error))
    return FALSE;
  if (colon != NULL && !parse_number(colon + 1, item, &step, error))
    return FALSE;
  if (times != NULL && colon == NULL && !parse_number(times + 1, item, &factor, error))
    return FALSE;
  if (to < from) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": the end is below the start", item);
    return FALSE;
  }
  if (times != NULL && colon == NULL) {
    if (!(factor > 1) || !(from > 0)) {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE,
                  "range \"%s\": a geometric range needs a start above 0 and a factor above 1 (512..8192x2)", item);
      return FALSE;
    }
    for (guint i = 0;; i++) {
      double v = tidy(from * pow(factor, i));
      if (v > to * (1 + 1e-12))
        break;
      if (out->len >= TS_SWEEP_MAX_VARIANTS) {
        g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": too many values", item);
        return FALSE;
      }
      g_ptr_array_add(out, number_text(v));
    }
    return TRUE;
  }
  if (!(step > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": the step must be above 0 (10..250:10)", item);
    return FALSE;
  }
  double n = floor((to - from) / step * (1 + 1e-12) + 1e-9);
  if (n + 1 > TS_SWEEP_MAX_VARIANTS) {
    g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "range \"%s\": %.0f values is too many", item, n + 1);
    return FALSE;
  }
  for (guint64 i = 0; i <= (guint64) n; i++)
    g_ptr_array_add(out, number_text(tidy(from + (double) i * step)));
  return TRUE;
}

gboolean
ts_sweep_expand_values(const char *list, GPtrArray *out, GError **error)
{
  g_auto(GStrv) items = g_strsplit(list, ",", -1);
  for (char **it = items; *it; it++) {
    g_autofree char *item = g_strstrip(g_strdup(*it));
    if (item[0] == '\0') {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "\"%s\": an empty value in the list", list);
      return FALSE;
    }
    if (strstr(item, "..") != NULL) {
      if (!expand_range(item, out, error))
        return FALSE;
    } else {
      g_ptr_array_add(out, canonical_value(item));
    }
  }
  return TRUE;
}
