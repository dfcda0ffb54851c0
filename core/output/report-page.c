#include "output/report-page.h"

#include "common/ts-error.h"
#include "common/ts-json.h"

#include <math.h>

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

JsonObject *
report_object(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

JsonArray *
report_array(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

double
report_number(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
    return NAN;
  GType t = json_node_get_value_type(n);
  return t == G_TYPE_DOUBLE || t == G_TYPE_INT64 ? json_node_get_double(n) : NAN;
}

const char *
report_string(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
           ? json_node_get_string(n)
           : NULL;
}

int
report_bool(JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member(o, key) : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN)
    return -1;
  return json_node_get_boolean(n) ? 1 : 0;
}

gboolean
report_objects_only(JsonArray *a)
{
  for (guint i = 0; a != NULL && i < json_array_get_length(a); i++)
    if (!JSON_NODE_HOLDS_OBJECT(json_array_get_element(a, i)))
      return FALSE;
  return TRUE;
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

JsonObject *
report_parse(JsonParser *parser, const char *json, gsize len, const char *what, GError **error)
{
  if (!ts_json_parse_data(parser, json, len, what, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, error))
    return NULL;
  JsonNode *root = json_parser_get_root(parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
    g_set_error(error, TS_ERROR, TS_ERROR_IO, "%s: not a JSON object", what);
    return NULL;
  }
  return json_node_get_object(root);
}
