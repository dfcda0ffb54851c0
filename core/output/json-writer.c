#include "output/json-writer.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
