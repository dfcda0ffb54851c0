#include "output/json-writer.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest of %.15g, %.16g and %.17g that reads back as v, the slow way: each printed, each read back. */
static void
append_number_search(GString *out, double v)
{
  char buf[40], fmt[8];
  /* Shortest first: the first precision that reads back exactly.  g_ascii_formatd ignores the locale.
   * The search starts at 15 digits: a value whose shortest form has p <= 15 significant digits prints
   * the same at %.15g (%g drops trailing zeros; the exponent form is chosen differently only when
   * p <= exponent < 15, i.e. for integers below 10^15, printed above).  Subnormals, whose shortest
   * form may read back at 15 digits without being the shortest, search from 1. */
  for (int prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
    g_snprintf(fmt, sizeof fmt, "%%.%dg", prec);
    g_ascii_formatd(buf, sizeof buf, fmt, v);
    if (g_ascii_strtod(buf, NULL) == v)
      break;
  }
  g_string_append(out, buf);
}

/* What %.{prec}g prints for the decimal 0.d[0]d[1]...d[prec-1] x 10^(exp+1) (d[0] != 0), sign aside: the exponent
 * form below 10^-4 and from 10^prec, the plain form between; trailing zeros of the fraction dropped. */
static void
format_g(char *buf, const char *d, int prec, int exp)
{
  int n = prec;
  while (n > 1 && d[n - 1] == '0')
    n--;
  char *o = buf;
  if (exp < -4 || exp >= prec) {
    *o++ = d[0];
    if (n > 1) {
      *o++ = '.';
      memcpy(o, d + 1, (size_t) n - 1);
      o += n - 1;
    }
    sprintf(o, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
    return;
  }
  if (exp < 0) {
    *o++ = '0';
    *o++ = '.';
    for (int i = 0; i < -exp - 1; i++)
      *o++ = '0';
    memcpy(o, d, (size_t) n);
    o += n;
  } else {
    for (int i = 0; i <= exp; i++)
      *o++ = i < n ? d[i] : '0';
    if (n > exp + 1) {
      *o++ = '.';
      memcpy(o, d + exp + 1, (size_t) (n - exp - 1));
      o += n - exp - 1;
    }
  }
  *o = '\0';
}

/* The 17 significant digits of v, each of %.15g and %.16g rounded from them where the digits beyond tell which
 * way the exact value rounds (they do unless they are 50 or 5, a possible half-way case), each read back until
 * one is v: one printf instead of three.  FALSE (nothing appended) where the digits cannot tell. */
static gboolean
append_number_fast(GString *out, double v)
{
  char s[48];
  int len = snprintf(s, sizeof s, "%.16e", fabs(v));
  if (len <= 0 || len >= (int) sizeof s)
    return FALSE;
  char d[17];
  int nd = 0;
  const char *p = s;
  for (; *p && *p != 'e' && *p != 'E'; p++)
    if (*p >= '0' && *p <= '9') {
      if (nd == 17)
        return FALSE;
      d[nd++] = *p;
    }
  if (nd != 17 || *p == '\0' || d[0] == '0')
    return FALSE;
  int exp = atoi(p + 1);
  char buf[48];
  char *body = buf + 1;
  for (int prec = 15; prec <= 16; prec++) {
    int tail = prec == 15 ? (d[15] - '0') * 10 + (d[16] - '0') : d[16] - '0';
    int half = prec == 15 ? 50 : 5;
    if (tail == half)
      return FALSE;
    char r[17];
    memcpy(r, d, (size_t) prec);
    int e = exp;
    if (tail > half) { /* round up, carrying */
      int i = prec - 1;
      while (i >= 0 && r[i] == '9')
        r[i--] = '0';
      if (i >= 0) {
        r[i]++;
      } else {
        r[0] = '1';
        e++;
      }
    }
    format_g(body, r, prec, e);
    buf[0] = '-';
    const char *text = v < 0 ? buf : body;
    if (g_ascii_strtod(text, NULL) == v) {
      g_string_append(out, text);
      return TRUE;
    }
  }
  format_g(body, d, 17, exp);
  buf[0] = '-';
  g_string_append(out, v < 0 ? buf : body);
  return TRUE;
}

void
ts_json_append_number(GString *out, double v)
{
  if (!isfinite(v)) {
    g_string_append(out, "null");
    return;
  }
  if (v == 0) {
    g_string_append_c(out, '0'); /* also for -0: JSON readers differ on "-0" */
    return;
  }
  if (fabs(v) < 9007199254740992.0 && v == floor(v)) {
    g_string_append_printf(out, "%.0f", v);
    return;
  }
  if (fabs(v) >= DBL_MIN && append_number_fast(out, v))
    return;
  append_number_search(out, v);
}

void
ts_json_append_string(GString *out, const char *s)
{
  /* JSON text is UTF-8: bytes that are not (a script may name a dataset with any bytes) become U+FFFD. */
  g_string_append_c(out, '"');
  const char *p = s;
  while (*p != '\0') {
    gunichar c = g_utf8_get_char_validated(p, -1);
    if (c == (gunichar) -1 || c == (gunichar) -2) {
      g_string_append(out, "\\ufffd");
      p++;
      continue;
    }
    switch (c) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\t': g_string_append(out, "\\t"); break;
    case '\r': g_string_append(out, "\\r"); break;
    default:
      if (c < 0x20)
        g_string_append_printf(out, "\\u%04x", c);
      else
        g_string_append_unichar(out, c);
    }
    p = g_utf8_next_char(p);
  }
  g_string_append_c(out, '"');
}

void
ts_json_writer_init(TsJsonWriter *w, GString *out, gboolean pretty)
{
  w->out = out;
  w->depth = 0;
  w->first[0] = TRUE;
  w->pretty = pretty;
}

static void
indent(TsJsonWriter *w)
{
  if (!w->pretty)
    return;
  g_string_append_c(w->out, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append(w->out, "  ");
}

static void
member(TsJsonWriter *w, const char *key)
{
  if (!w->first[w->depth])
    g_string_append_c(w->out, ',');
  w->first[w->depth] = FALSE;
  if (w->depth > 0)
    indent(w);
  if (key != NULL) {
    ts_json_append_string(w->out, key);
    g_string_append(w->out, w->pretty ? ": " : ":");
  }
}

static void
open_level(TsJsonWriter *w, const char *key, char c)
{
  member(w, key);
  g_string_append_c(w->out, c);
  g_return_if_fail(w->depth + 1 < G_N_ELEMENTS(w->first));
  w->depth++;
  w->first[w->depth] = TRUE;
}

static void
close_level(TsJsonWriter *w, char c)
{
  gboolean empty = w->first[w->depth];
  w->depth--;
  if (!empty)
    indent(w);
  g_string_append_c(w->out, c);
  if (w->depth == 0 && w->pretty)
    g_string_append_c(w->out, '\n');
}

void ts_json_begin_object(TsJsonWriter *w, const char *key) { open_level(w, key, '{'); }
void ts_json_end_object(TsJsonWriter *w) { close_level(w, '}'); }
void ts_json_begin_array(TsJsonWriter *w, const char *key) { open_level(w, key, '['); }
void ts_json_end_array(TsJsonWriter *w) { close_level(w, ']'); }

void
ts_json_number(TsJsonWriter *w, const char *key, double v)
{
  member(w, key);
  ts_json_append_number(w->out, v);
}

void
ts_json_number_or_null(TsJsonWriter *w, const char *key, gboolean known, double v)
{
  if (known)
    ts_json_number(w, key, v);
  else
    ts_json_null(w, key);
}

void
ts_json_int(TsJsonWriter *w, const char *key, gint64 v)
{
  member(w, key);
  g_string_append_printf(w->out, "%" G_GINT64_FORMAT, v);
}

void
ts_json_string(TsJsonWriter *w, const char *key, const char *v)
{
  member(w, key);
  if (v == NULL)
    g_string_append(w->out, "null");
  else
    ts_json_append_string(w->out, v);
}

void
ts_json_bool(TsJsonWriter *w, const char *key, gboolean v)
{
  member(w, key);
  g_string_append(w->out, v ? "true" : "false");
}

void
ts_json_null(TsJsonWriter *w, const char *key)
{
  member(w, key);
  g_string_append(w->out, "null");
}

void
ts_json_raw(TsJsonWriter *w, const char *key, const char *json)
{
  member(w, key);
  g_string_append(w->out, json);
}
