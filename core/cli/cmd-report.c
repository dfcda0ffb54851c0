/* trainsim report DIR: write DIR/report.html again from what `run --out DIR` (summary.json and the charts' SVGs),
 * `sweep --out DIR` or `merge --out DIR` (sweep.json) or `compare --out DIR` (compare.json and compare.svg) left
 * there, byte for byte what that command wrote (docs/outputs.md, "report.html"). */
#include "cli/commands.h"
#include "cli/cli-options.h"
#include "cli/cli-print.h"

#include "common/ts-error.h"
#include "common/ts-json.h"
#include "output/atomic-file.h"
#include "output/report-html.h"
#include "sweep/sweep.h"

#include <stdio.h>
#include <string.h>

typedef enum { KIND_RUN, KIND_SWEEP, KIND_COMPARE, KIND_COUNT } Kind;
/* The file each kind of output directory is known by: the one its command renames into place last. */
static const char *const marker[KIND_COUNT] = {"summary.json", "sweep.json", "compare.json"};

/* An SVG of DIR for the page, or NULL said on stderr: the report goes without that chart. */
static char *
read_chart(const char *dir, const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *svg = NULL;
  if (!ts_file_read_bounded(path, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, &svg, len, &error)) {
    ts_cli_print(stderr, "trainsim report: %s: the report goes without that chart\n", error->message);
    return NULL;
  }
  return svg;
}

static char *
run_report(const char *dir, const char *json, gsize len, const char *json_path, GError **error)
{
  TsReportChart charts[G_N_ELEMENTS(ts_report_chart_names)];
  char *svgs[G_N_ELEMENTS(ts_report_chart_names)] = {NULL};
  guint n = 0;
  for (guint i = 0; i < G_N_ELEMENTS(ts_report_chart_names); i++) {
    g_autofree char *name = g_strdup_printf("%s.svg", ts_report_chart_names[i]);
    gsize svg_len = 0;
    svgs[i] = read_chart(dir, name, &svg_len);
    if (svgs[i] != NULL)
      charts[n++] = (TsReportChart){ts_report_chart_captions[i], svgs[i], svg_len};
  }
  char *html = ts_report_html_run(json, len, charts, n, json_path, error);
  for (guint i = 0; i < G_N_ELEMENTS(svgs); i++)
    g_free(svgs[i]);
  return html;
}

/* The report of DIR's kind from its files. */
static char *
report_from_dir(const char *dir, Kind kind, GError **error)
{
  g_autofree char *json_path = g_build_filename(dir, marker[kind], NULL);
  if (kind == KIND_SWEEP) { /* its rows read back as merge reads a shard, the file streamed */
    g_autoptr(TsSweepResult) res = ts_sweep_result_load(json_path, error);
    return res != NULL ? ts_sweep_result_to_html(res) : NULL;
  }
  g_autofree char *json = NULL;
  gsize len = 0;
  if (!ts_file_read_bounded(json_path, TS_JSON_MAX_SWEEP_BYTES, TS_ERROR_IO, &json, &len, error))
    return NULL;
  if (kind == KIND_RUN)
    return run_report(dir, json, len, json_path, error);
  gsize svg_len = 0;
  g_autofree char *svg = read_chart(dir, "compare.svg", &svg_len);
  return ts_report_html_compare(json, len, svg, svg_len, json_path, error);
}

/* DIR's kind from the marker file it holds; or, given one of those files, its kind and directory. */
static gboolean
find_kind(const char *arg, char **dir, Kind *kind)
{
  if (g_file_test(arg, G_FILE_TEST_IS_REGULAR)) {
    g_autofree char *base = g_path_get_basename(arg);
    for (guint k = 0; k < KIND_COUNT; k++)
      if (strcmp(base, marker[k]) == 0) {
        *kind = (Kind) k;
        *dir = g_path_get_dirname(arg);
        return TRUE;
      }
    ts_cli_print(stderr, "trainsim report: %s: expected a directory written by trainsim run, sweep, merge or compare "
                 "--out, or its summary.json, sweep.json or compare.json\n", arg);
    return FALSE;
  }
  if (!g_file_test(arg, G_FILE_TEST_IS_DIR)) {
    ts_cli_print(stderr, "trainsim report: %s: no such directory\n", arg);
    return FALSE;
  }
  guint found = 0;
  for (guint k = 0; k < KIND_COUNT; k++) {
    g_autofree char *path = g_build_filename(arg, marker[k], NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
      *kind = (Kind) k;
      found++;
    }
  }
  if (found == 0) {
    ts_cli_print(stderr, "trainsim report: %s holds no summary.json, sweep.json or compare.json: expected a "
                 "directory written by trainsim run, sweep, merge or compare --out\n", arg);
    return FALSE;
  }
  if (found > 1) {
    ts_cli_print(stderr, "trainsim report: %s holds the outputs of more than one command (summary.json, "
                 "sweep.json, compare.json): name the one to report on, e.g. trainsim report %s/sweep.json\n",
                 arg, arg);
    return FALSE;
  }
  *dir = g_strdup(arg);
  return TRUE;
}

int
ts_cli_report(int argc, char **argv)
{
  const TsCliOutputHelp help = {NULL, NULL, FALSE}; /* --quiet only */
  g_auto(TsCliOutputArgs) output = {0};
  g_autoptr(GOptionContext) ctx = ts_cli_output_context_new(&output, "DIR - write DIR/report.html from the outputs "
                                                            "of trainsim run, sweep, merge or compare --out DIR",
                                                            &help);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim report: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  if (argc != 2) {
    ts_cli_print(stderr, "trainsim report: expected one DIR written by trainsim run, sweep, merge or compare --out, "
                 "got %d arguments\n", argc - 1);
    return TS_EXIT_ERROR;
  }
  g_autofree char *dir = NULL;
  Kind kind = KIND_RUN;
  if (!find_kind(argv[1], &dir, &kind))
    return TS_EXIT_ERROR;
  g_autofree char *html = report_from_dir(dir, kind, &error);
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
