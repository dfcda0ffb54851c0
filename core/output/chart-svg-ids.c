/* ts_svg_normalize_ids (chart.h): cairo numbers an SVG's ids by how many surfaces the process made before, so a
 * chart's SVG is renumbered in document order to come out byte-identical from run to run. */
#include "output/chart.h"

#include <string.h>

static gboolean
id_char(char c)
{
  return g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

static char *
new_id(GHashTable *counters, const char *old)
{
  gsize n = 0;
  while (old[n] && g_ascii_isalpha(old[n]))
    n++;
  g_autofree char *prefix = g_strndup(old, n ? n : 0);
  if (n == 0) {
    g_free(prefix);
    prefix = g_strdup("id");
  }
  guint c = GPOINTER_TO_UINT(g_hash_table_lookup(counters, prefix)) + 1;
  g_hash_table_insert(counters, g_strdup(prefix), GUINT_TO_POINTER(c));
  return g_strdup_printf("%s%u", prefix, c);
}

void
ts_svg_normalize_ids(GString *svg)
{
  g_autoptr(GHashTable) map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  /* Pass 1: ids in order of definition. */
  for (const char *p = strstr(svg->str, " id=\""); p != NULL; p = strstr(p + 1, " id=\"")) {
    const char *s = p + 5, *e = s;
    while (id_char(*e))
      e++;
    if (*e != '"' || e == s)
      continue;
    g_autofree char *old = g_strndup(s, (gsize) (e - s));
    if (!g_hash_table_contains(map, old))
      g_hash_table_insert(map, g_strdup(old), new_id(counters, old));
  }
  if (g_hash_table_size(map) == 0)
    return;
  /* Pass 2: rewrite definitions (id="X") and references (#X after '(' or '"'). */
  GString *out = g_string_sized_new(svg->len);
  const char *p = svg->str;
  while (*p) {
    const char *s = NULL;
    if (g_str_has_prefix(p, " id=\""))
      s = p + 5;
    else if ((*p == '(' || *p == '"') && p[1] == '#')
      s = p + 2;
    if (s != NULL) {
      const char *e = s;
      while (id_char(*e))
        e++;
      g_autofree char *old = g_strndup(s, (gsize) (e - s));
      const char *repl = e > s ? g_hash_table_lookup(map, old) : NULL;
      if (repl != NULL) {
        g_string_append_len(out, p, s - p);
        g_string_append(out, repl);
        p = e;
        continue;
      }
    }
    g_string_append_c(out, *p++);
  }
  g_string_assign(svg, out->str);
  g_string_free(out, TRUE);
}
