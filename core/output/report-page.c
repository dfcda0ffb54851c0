#include "output/report-page.h"

#include "common/ts-error.h"
#include "common/ts-json.h"

#include <math.h>
#include <string.h>

/* Print-friendly, colour-blind-safe (the palette of output/report-svg.h), no web font, no external file. */
static const char css[] =
  "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#111;"
  "max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4}"
  "h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;border-bottom:2px solid #0072B2;"
  "padding-bottom:.15rem;margin-top:1.6rem}"
  ".headline{font-size:1.35rem;margin:.4rem 0}.headline strong{color:#0072B2}"
  ".range{font-size:1.1rem}.bad{color:#D55E00;font-weight:bold}.muted{color:#555;font-size:.9rem}"
  "table{border-collapse:collapse;margin:.4rem 0;font-size:.92rem}"
  "th,td{border:1px solid #bbb;padding:.2rem .5rem;text-align:left;vertical-align:top}"
  "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#eef4fa}"
  "svg{width:100%;height:auto;display:block}svg text{font-size:12px;font-family:inherit}"
  "figure{margin:.6rem 0}figcaption{font-size:.9rem;color:#333}"
  "tr.recommended{background:#e3f4ee}th.group{background:#d8e6f3}"
  "tr.differs td.num{font-weight:bold}"
  ".swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:baseline}"
  "@media print{@page{size:A4;margin:14mm}body{max-width:none;margin:0;font-size:10pt}"
  "section,figure,table{break-inside:avoid}h2{break-after:avoid}}";

const TsJsonValue *
report_object(const TsJsonValue *o, const char *key)
{
  return ts_json_value_get_object_member(o, key);
}

const TsJsonValue *
report_array(const TsJsonValue *o, const char *key)
{
  return ts_json_value_get_array_member(o, key);
}

const TsJsonValue *
report_element(const TsJsonValue *a, guint i)
{
  const TsJsonValue *e = ts_json_value_get_element(a, i);
  return e != NULL && e->type == TS_JSON_OBJECT ? e : NULL;
}

double
report_number(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  return n != NULL && (n->type == TS_JSON_DOUBLE || n->type == TS_JSON_INT) ? ts_json_value_get_double(n) : NAN;
}

const char *
report_string(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  return n != NULL && n->type == TS_JSON_STRING ? n->u.s : NULL;
}

int
report_bool(const TsJsonValue *o, const char *key)
{
  const TsJsonValue *n = ts_json_value_get_member(o, key);
  if (n == NULL || n->type != TS_JSON_BOOLEAN)
    return -1;
  return n->u.b ? 1 : 0;
}

gboolean
report_objects_only(const TsJsonValue *a)
{
  for (guint i = 0; a != NULL && i < a->len; i++)
    if (a->u.items[i].type != TS_JSON_OBJECT)
      return FALSE;
  return TRUE;
}

/* json-glib 1.6's escaping (json_strescape): the short escapes, \u00xx for the other control characters below
 * 0x1f and for 0x7f (0x1f itself passes, as json-glib lets it), everything else, UTF-8 included, as it is. */
static void
json_text_string(GString *out, const char *s)
{
  g_string_append_c(out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
    switch (*p) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\b': g_string_append(out, "\\b"); break;
    case '\f': g_string_append(out, "\\f"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\r': g_string_append(out, "\\r"); break;
    case '\t': g_string_append(out, "\\t"); break;
    default:
      if (*p < 0x1f || *p == 0x7f)
        g_string_append_printf(out, "\\u%04x", *p);
      else
        g_string_append_c(out, (char) *p);
    }
  }
  g_string_append_c(out, '"');
}

/* Depth is bounded by the parser's limit, so the recursion is too. */
static void
json_text(GString *out, const TsJsonValue *v)
{
  switch (v->type) {
  case TS_JSON_NULL:
    g_string_append(out, "null");
    break;
  case TS_JSON_BOOLEAN:
    g_string_append(out, v->u.b ? "true" : "false");
    break;
  case TS_JSON_INT:
    g_string_append_printf(out, "%" G_GINT64_FORMAT, v->u.i);
    break;
  case TS_JSON_DOUBLE: {
    /* json-glib 1.6: seventeen significant digits, and ".0" when they have no point (even after an exponent). */
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof buf, "%.17g", v->u.d);
    g_string_append(out, buf);
    if (strchr(buf, '.') == NULL)
      g_string_append(out, ".0");
    break;
  }
  case TS_JSON_STRING:
    json_text_string(out, v->u.s);
    break;
  case TS_JSON_ARRAY:
  case TS_JSON_OBJECT:
    g_string_append_c(out, v->type == TS_JSON_ARRAY ? '[' : '{');
    for (guint i = 0; i < v->len; i++) {
      if (i > 0)
        g_string_append_c(out, ',');
      if (v->type == TS_JSON_OBJECT) {
        json_text_string(out, v->keys[i]);
        g_string_append_c(out, ':');
      }
      json_text(out, &v->u.items[i]);
    }
    g_string_append_c(out, v->type == TS_JSON_ARRAY ? ']' : '}');
    break;
  }
}

char *
report_json_text(const TsJsonValue *v)
{
  GString *out = g_string_new(NULL);
  json_text(out, v);
  return g_string_free(out, FALSE);
}

void
report_text(GString *h, const char *s)
{
  g_autofree char *esc = g_markup_escape_text(s ? s : "", -1);
  g_string_append(h, esc);
}

void
report_table_row(GString *h, const char *label, const char *value, gboolean numeric)
{
  g_string_append(h, "<tr><th scope=\"row\">");
  report_text(h, label);
  g_string_append(h, numeric ? "</th><td class=\"num\">" : "</th><td>");
  report_text(h, value);
  g_string_append(h, "</td></tr>\n");
}

static void
data_value(GString *h, const char *id, double v)
{
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr(num, sizeof num, v);
  if (id != NULL)
    g_string_append_printf(h, " id=\"%s\"", id);
  g_string_append_printf(h, " data-value=\"%s\">", num);
}

void
report_value_tag(GString *h, const char *tag, const char *id, double v, char *formatted)
{
  g_string_append_printf(h, "<%s", tag);
  data_value(h, id, v);
  report_text(h, formatted);
  g_string_append_printf(h, "</%s>", tag);
  g_free(formatted);
}

void
report_value_span(GString *h, const char *id, double v, char *formatted)
{
  report_value_tag(h, "strong", id, v, formatted);
}

void
report_value_cell(GString *h, const char *id, double v, char *formatted)
{
  if (!isfinite(v)) { /* nothing exact to carry */
    g_string_append(h, "<td class=\"num\">");
    report_text(h, formatted);
  } else {
    g_string_append(h, "<td class=\"num\"");
    data_value(h, id, v);
    report_text(h, formatted);
  }
  g_string_append(h, "</td>");
  g_free(formatted);
}

void
report_page_begin(GString *h, const char *heading, const char *name, const char *version, const char *source)
{
  g_string_append(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>trainsim: ");
  report_text(h, name);
  g_string_append_printf(h, "</title>\n<style>%s</style></head>\n<body>\n<header><h1>", css);
  report_text(h, heading);
  g_string_append(h, ": ");
  report_text(h, name);
  g_string_append(h, "</h1><p class=\"muted\">Written by trainsim ");
  report_text(h, version);
  g_string_append(h, " from ");
  report_text(h, source);
  g_string_append(h, "; every number below is that file's, in the terminal summary's units.</p></header>\n"
                     "<main>\n");
}

void
report_page_end(GString *h)
{
  g_string_append(h, "</main>\n</body></html>\n");
}

const TsJsonValue *
report_parse(TsJsonDoc **doc, const char *json, gsize len, const char *what, GError **error)
{
  *doc = ts_json_doc_parse(json, len, what, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, error);
  if (*doc == NULL)
    return NULL;
  const TsJsonValue *root = ts_json_doc_get_root(*doc);
  if (root->type != TS_JSON_OBJECT) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: not a JSON object", what);
    return NULL;
  }
  return root;
}
