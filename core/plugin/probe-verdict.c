/* The plugin probe's verdict as text (the format: probe-verdict.h). */
#include "plugin/probe-verdict.h"

#include <stdio.h>
#include <string.h>

#define VERDICT_HEADER "trainsim-probe 1 " TS_VERSION

static void
append_field(GString *out, const char *key, const char *value)
{
  g_autofree char *escaped = g_strescape(value, NULL);
  g_string_append_printf(out, "%s %s\n", key, escaped);
}

char *
ts_probe_verdict_format(const TsPlugin *plugin, const GError *refusal)
{
  GString *out = g_string_new(VERDICT_HEADER "\n");
  if (plugin == NULL) {
    g_string_append(out, "refused\n");
    append_field(out, "message", refusal != NULL ? refusal->message : "refused without a reason");
  } else {
    const TsPluginDescriptor *d = ts_plugin_get_descriptor(plugin);
    const TsCatalog *catalog = ts_plugin_get_catalog(plugin);
    g_string_append(out, "ok\n");
    append_field(out, "name", plugin->name);
    g_string_append_printf(out, "abi %u.%u\n", d != NULL ? d->abi_major : 0u, d != NULL ? d->abi_minor : 0u);
    if (catalog != NULL) {
      append_field(out, "catalog", catalog->path);
      append_field(out, "catalog-sha256", ts_catalog_get_sha256(catalog));
    }
  }
  g_string_append(out, "end\n");
  return g_string_free(out, FALSE);
}

void
ts_probe_verdict_clear(TsProbeVerdict *verdict)
{
  g_free(verdict->message);
  g_free(verdict->name);
  g_free(verdict->catalog);
  g_free(verdict->catalog_sha256);
  memset(verdict, 0, sizeof *verdict);
}

/* One "KEY VALUE" line into the verdict; FALSE when it repeats a field. */
static gboolean
take_field(TsProbeVerdict *v, const char *key, const char *value)
{
  char **slot = strcmp(key, "message") == 0          ? &v->message
                : strcmp(key, "name") == 0           ? &v->name
                : strcmp(key, "catalog") == 0        ? &v->catalog
                : strcmp(key, "catalog-sha256") == 0 ? &v->catalog_sha256
                                                     : NULL;
  if (strcmp(key, "abi") == 0) {
    char tail;
    return sscanf(value, "%u.%u%c", &v->abi_major, &v->abi_minor, &tail) == 2;
  }
  if (slot == NULL)
    return TRUE; /* a later format's field: skipped */
  if (*slot != NULL)
    return FALSE;
  *slot = g_strcompress(value);
  return TRUE;
}

gboolean
ts_probe_verdict_parse(const char *text, TsProbeVerdict *verdict, const char **why)
{
  memset(verdict, 0, sizeof *verdict);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  guint n = g_strv_length(lines);
  /* The last line ends with a newline, so the split's last piece is empty. */
  if (n < 4 || strcmp(lines[0], VERDICT_HEADER) != 0) {
    *why = "it is not a verdict of this trainsim's format and version (" VERDICT_HEADER ")";
    return FALSE;
  }
  if (lines[n - 1][0] != '\0' || strcmp(lines[n - 2], "end") != 0) {
    *why = "it was cut short (no \"end\" line)";
    return FALSE;
  }
  gboolean ok = strcmp(lines[1], "ok") == 0;
  if (!ok && strcmp(lines[1], "refused") != 0) {
    *why = "its second line is neither \"ok\" nor \"refused\"";
    return FALSE;
  }
  verdict->ok = ok;
  for (guint i = 2; i + 2 < n; i++) {
    char *space = strchr(lines[i], ' ');
    if (space == NULL) {
      ts_probe_verdict_clear(verdict);
      *why = "a line has no value";
      return FALSE;
    }
    *space = '\0';
    if (!take_field(verdict, lines[i], space + 1)) {
      ts_probe_verdict_clear(verdict);
      *why = "a field is repeated or malformed";
      return FALSE;
    }
  }
  gboolean complete = ok ? verdict->name != NULL && verdict->name[0] != '\0' &&
                               (verdict->catalog == NULL) == (verdict->catalog_sha256 == NULL)
                         : verdict->message != NULL;
  if (!complete) {
    ts_probe_verdict_clear(verdict);
    *why = ok ? "it lacks the plugin's name, or has a catalog without its checksum" : "it lacks the refusal's message";
    return FALSE;
  }
  verdict->ok = ok;
  return TRUE;
}
