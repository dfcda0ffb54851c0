/* The plugin probe's verdict as text: what the helper executable (probe-helper.c, `trainsim-probe PLUGIN`) writes on
 * its standard output and the probe (probe.c) reads from the pipe.  One format, written and read in one file
 * (probe-verdict.c), documented in docs/plugin-abi.md ("The probe's helper"):
 *
 *   trainsim-probe 1 VERSION         the format's number and the trainsim version of the helper that wrote it
 *   ok | refused                     the verdict
 *   name NAME                        ok: the descriptor's name
 *   abi MAJOR.MINOR                  ok: the descriptor's ABI version
 *   catalog PATH                     ok, when the plugin declares a catalog: the file the helper parsed
 *   catalog-sha256 HEX               ok, with catalog: the SHA-256 of the bytes the helper parsed
 *   message TEXT                     refused: the refusal, "plugin PATH refused: WHY"
 *   end                              the last line: an answer without it was cut short
 *
 * A value is the rest of its line after one space, with backslashes, newlines, tabs and other control or non-ASCII
 * bytes written as C escapes (g_strescape).  A reader skips keys it does not know. */
#ifndef TS_PROBE_VERDICT_H
#define TS_PROBE_VERDICT_H

#include <glib.h>

#include "plugin/plugin-host.h"

typedef struct {
  gboolean ok;
  char *message;        /* refused: the refusal */
  char *name;           /* ok: the descriptor's name */
  guint abi_major, abi_minor;
  char *catalog;        /* ok: the catalog file, NULL when the plugin declares none */
  char *catalog_sha256; /* ok: its SHA-256 (hex), NULL with no catalog */
} TsProbeVerdict;

/* The text of the verdict on a load: `plugin` when it loaded, else `refusal`. */
char *ts_probe_verdict_format(const TsPlugin *plugin, const GError *refusal);
/* Reads a helper's answer into *verdict (cleared first); FALSE with *why (static text) when it is not one: another
 * format or version, a missing field, cut short. */
gboolean ts_probe_verdict_parse(const char *text, TsProbeVerdict *verdict, const char **why);
void ts_probe_verdict_clear(TsProbeVerdict *verdict);

#endif
