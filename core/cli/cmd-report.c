/* trainsim report DIR: write DIR/report.html again from what `run --out DIR` left there (summary.json and
 * the charts' SVGs), byte for byte what the run wrote (docs/outputs.md, "report.html"). */
#include "cli/commands.h"
#include "cli/cli-options.h"
#include "cli/cli-print.h"

#include "common/ts-error.h"
#include "common/ts-json.h"
#include "output/atomic-file.h"
#include "output/report-html.h"

#include <stdio.h>
#include <string.h>

/* The report from DIR's files; a chart whose SVG is missing is left out and said on stderr. */
static char *
report_from_dir(const char *dir, GError **error)
{
  g_autofree char *summary_path = g_build_filename(dir, "summary.json", NULL);
  g_autofree char *summary = NULL;
  gsize len = 0;
  if (!ts_file_read_bounded(summary_path, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, &summary, &len, error))
    return NULL;
  TsReportChart charts[G_N_ELEMENTS(ts_report_chart_names)];
  char *svgs[G_N_ELEMENTS(ts_report_chart_names)] = {NULL};
  guint n = 0;
  for (guint i = 0; i < G_N_ELEMENTS(ts_report_chart_names); i++) {
    g_autofree char *name = g_strdup_printf("%s.svg", ts_report_chart_names[i]);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autoptr(GError) cerr = NULL;
    gsize svg_len = 0;
    if (!ts_file_read_bounded(path, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, &svgs[i], &svg_len, &cerr)) {
      ts_cli_print(stderr, "trainsim report: %s: the report goes without that chart\n", cerr->message);
      continue;
    }
    charts[n++] = (TsReportChart){ts_report_chart_captions[i], svgs[i], svg_len};
  }
  char *html = ts_report_html_run(summary, len, charts, n, summary_path, error);
  for (guint i = 0; i < G_N_ELEMENTS(svgs); i++)
    g_free(svgs[i]);
  return html;
}

int
ts_cli_report(int argc, char **argv)
{
  const TsCliOutputHelp help = {NULL, NULL, FALSE}; /* --quiet only */
  g_auto(TsCliOutputArgs) output = {0};
  g_autoptr(GOptionContext) ctx = ts_cli_output_context_new(&output, "DIR - write DIR/report.html from a run's "
                                                            "outputs (trainsim run --out DIR)", &help);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim report: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (argc != 2) {
    ts_cli_print(stderr, "trainsim report: expected one DIR written by trainsim run --out, got %d arguments\n",
                 argc - 1);
    return TS_EXIT_ERROR;
  }
  const char *dir = argv[1];
  g_autofree char *html = report_from_dir(dir, &error);
  g_autofree char *path = g_build_filename(dir, "report.html", NULL);
  TsAtomicSet *set = html != NULL ? ts_atomic_set_new() : NULL;
  if (html == NULL || !ts_atomic_set_add_bytes(set, path, html, strlen(html), &error) ||
      !ts_atomic_set_commit(g_steal_pointer(&set), &error)) {
    ts_atomic_set_abort(set);
    ts_cli_print(stderr, "trainsim report: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (!output.quiet)
    ts_cli_print(stdout, "written to %s: report.html\n", dir);
  return TS_EXIT_OK;
}
