/* /outputs/...: the files of `trainsim run --out DIR` — timeline.csv, trace.json (Chrome Trace Event
 * Format), the charts (PNG, SVG) — their formats, byte-for-byte determinism (in one process and across
 * processes), atomic writes under injected EACCES and ENOSPC, and interrupts. */
#include <cairo-svg.h>
#include <cairo.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/ts-error.h"
#include "output/atomic-file.h"
#include "output/chart.h"
#include "output/run-outputs.h"
#include "output/summary.h"
#include "output/timeline-csv.h"
#include "scenario/scenario.h"
#include "test-util.h"

static const char *trainsim;
static TsRegistry *registry;

static TestResult
run_cli(const char *const *args, const char *const *env_extra)
{
  return test_run_trainsim(trainsim, NULL, args, env_extra);
}

static const char *const run_files[] = {"summary.json", "timeline.csv", "trace.json", "memory.png", "memory.svg",
                                        "storage.png",  "storage.svg",  "cost.png",   "cost.svg",   "report.html",
                                        NULL};

static int
cmp_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The names in DIR, sorted, joined by spaces ("" for an empty or missing directory). */
static char *
list_dir(const char *dir)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (d != NULL) {
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL)
      g_ptr_array_add(names, g_strdup(n));
    g_dir_close(d);
  }
  g_ptr_array_sort(names, cmp_names);
  g_ptr_array_add(names, NULL);
  return g_strjoinv(" ", (char **) names->pdata);
}

/* Run the flagship in this process with every output attached, as `trainsim run --out DIR` does. */
static void
run_in_process(const char *dir, guint64 seed)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autoptr(GError) error = NULL;
  TsRunOutputs *o = ts_run_outputs_new(dir, path, &error);
  g_assert_no_error(error);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = path;
  opts.limits.seed = seed;
  opts.sinks = ts_run_outputs_get_sinks(o);
  TsRun *run = ts_scenario_run(registry, &opts, &error);
  g_assert_no_error(error);
  g_assert_nonnull(run);
  g_autofree char *summary = ts_summary_to_json(run);
  g_assert_true(ts_run_outputs_commit(o, run, summary, &error));
  g_assert_no_error(error);
  ts_run_free(run);
}

/* ---- timeline.csv --------------------------------------------------------------------------------------- */

/* Split one CSV line (RFC 4180 quoting). */
static GPtrArray *
csv_fields(const char *line)
{
  GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
  GString *cur = g_string_new(NULL);
  gboolean quoted = FALSE;
  for (const char *p = line;; p++) {
    if (quoted) {
      if (*p == '"' && p[1] == '"') {
        g_string_append_c(cur, '"');
        p++;
      } else if (*p == '"') {
        quoted = FALSE;
      } else {
        g_assert_true(*p != '\0');
        g_string_append_c(cur, *p);
      }
    } else if (*p == '"') {
      quoted = TRUE;
    } else if (*p == ',' || *p == '\0') {
      g_ptr_array_add(f, g_strdup(cur->str));
      g_string_truncate(cur, 0);
      if (*p == '\0')
        break;
    } else {
      g_string_append_c(cur, *p);
    }
  }
  g_string_free(cur, TRUE);
  return f;
}

static double
parse_cell(const char *cell)
{
  char *end = NULL;
  double v = g_ascii_strtod(cell, &end);
  if (cell[0] == '\0' || *end != '\0' || !isfinite(v))
    g_error("not a number: \"%s\"", cell);
  return v;
}

static void
test_csv_format(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  run_in_process(dir, 0);
  g_autofree char *csv = test_read_file(dir, "timeline.csv", NULL);
  g_autofree char *summary = test_read_file(dir, "summary.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(parser, summary, -1, NULL));
  JsonObject *s = json_node_get_object(json_parser_get_root(parser));
  double total_time = json_object_get_double_member(s, "total_time_s");
  double total_cost = json_object_get_double_member(json_object_get_object_member(s, "cost_usd"), "total");
  double peak_device = json_object_get_double_member(json_object_get_object_member(s, "peak_memory_bytes"),
                                                     "device");

  g_assert_true(g_str_has_suffix(csv, "\n"));
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  guint n = g_strv_length(lines);
  g_assert_cmpstr(lines[n - 1], ==, ""); /* the final newline */
  g_assert_cmpuint(n, >=, 4);            /* header + at least start, training, end */
  g_assert_cmpstr(lines[0], ==, "time_s,phase,device_bytes,host_bytes,storage_bytes,usd_compute,usd_host,"
                                "usd_storage,usd_network,usd_total,energy_kwh");
  double last_time = -1, max_device = 0, last_total = 0, last_kwh = 0;
  g_autoptr(GHashTable) phases = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 1; i < n - 1; i++) {
    g_autoptr(GPtrArray) f = csv_fields(lines[i]);
    g_assert_cmpuint(f->len, ==, 11);
    double t = parse_cell(g_ptr_array_index(f, 0));
    g_assert_cmpfloat(t, >, last_time); /* one row per instant, in time order */
    last_time = t;
    const char *phase = g_ptr_array_index(f, 1);
    g_assert_cmpuint(strlen(phase), >, 0);
    g_hash_table_add(phases, g_strdup(phase));
    double v[9];
    for (guint k = 0; k < 9; k++) {
      v[k] = parse_cell(g_ptr_array_index(f, k + 2));
      g_assert_cmpfloat(v[k], >=, 0);
    }
    g_assert_cmpfloat_with_epsilon(v[7], v[3] + v[4] + v[5] + v[6], 1e-9 * MAX(1, v[7]));
    g_assert_cmpfloat(v[7], >=, last_total); /* dollars only accumulate */
    last_total = v[7];
    g_assert_cmpfloat(v[8], >=, last_kwh); /* energy only accumulates */
    last_kwh = v[8];
    max_device = MAX(max_device, v[0]);
  }
  g_assert_cmpfloat_with_epsilon(last_time, total_time, 1e-9 * total_time);
  g_assert_cmpfloat_with_epsilon(last_total, total_cost, 1e-9 * total_cost);
  double kwh = json_object_get_double_member(json_object_get_object_member(s, "energy"), "kwh");
  g_assert_cmpfloat(kwh, >, 0);
  g_assert_cmpfloat_with_epsilon(last_kwh, kwh, 1e-9 * kwh);
  g_assert_cmpfloat(max_device, ==, peak_device);
  g_assert_true(g_hash_table_contains(phases, "download"));
  g_assert_true(g_hash_table_contains(phases, "end"));
  g_assert_null(strstr(csv, dir));
  test_remove_dir(dir);
}

static void
test_csv_quoting(void)
{
  GString *s = g_string_new(NULL);
  ts_csv_append_text(s, "plain");
  g_string_append_c(s, ',');
  ts_csv_append_text(s, "a,b \"c\"");
  g_string_append_c(s, ',');
  ts_csv_append_number(s, NAN);
  g_string_append_c(s, ',');
  ts_csv_append_number(s, 0.1);
  g_assert_cmpstr(s->str, ==, "plain,\"a,b \"\"c\"\"\",,0.1");
  g_autoptr(GPtrArray) f = csv_fields(s->str);
  g_assert_cmpuint(f->len, ==, 4);
  g_assert_cmpstr(g_ptr_array_index(f, 1), ==, "a,b \"c\"");
  g_string_free(s, TRUE);
}

/* ---- trace.json ----------------------------------------------------------------------------------------- */

static gboolean
is_number(JsonNode *n)
{
  if (n == NULL || !JSON_NODE_HOLDS_VALUE(n))
    return FALSE;
  GType t = json_node_get_value_type(n);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static gboolean
is_string(JsonNode *n)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING;
}

static void
test_trace_events(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  run_in_process(dir, 0);
  g_autofree char *trace = test_read_file(dir, "trace.json", NULL);
  g_autofree char *summary = test_read_file(dir, "summary.json", NULL);
  g_autoptr(JsonParser) sp = json_parser_new();
  g_assert_true(json_parser_load_from_data(sp, summary, -1, NULL));
  double total_us = json_object_get_double_member(json_node_get_object(json_parser_get_root(sp)),
                                                  "total_time_s") * 1e6;

  g_autoptr(JsonParser) parser = json_parser_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(json_parser_load_from_data(parser, trace, -1, &error));
  g_assert_no_error(error);
  JsonNode *root = json_parser_get_root(parser);
  g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
  JsonObject *ro = json_node_get_object(root);
  g_assert_cmpstr(json_object_get_string_member(ro, "displayTimeUnit"), ==, "ms");
  JsonArray *events = json_object_get_array_member(ro, "traceEvents");
  g_assert_nonnull(events);
  guint n = json_array_get_length(events);
  g_assert_cmpuint(n, >, 10);

  g_autoptr(GHashTable) thread_names = g_hash_table_new(NULL, NULL);
  g_autoptr(GHashTable) span_tids = g_hash_table_new(NULL, NULL);
  g_autoptr(GHashTable) counters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  gboolean process_named = FALSE, train = FALSE, download = FALSE;
  double max_end = 0, open_ts = 0;
  const char *open_name = NULL;
  gint64 open_tid = 0;
  for (guint i = 0; i < n; i++) {
    JsonNode *en = json_array_get_element(events, i);
    g_assert_true(JSON_NODE_HOLDS_OBJECT(en));
    JsonObject *e = json_node_get_object(en);
    /* The format's required fields, on every event. */
    g_assert_true(is_string(json_object_get_member(e, "name")));
    g_assert_true(is_string(json_object_get_member(e, "ph")));
    g_assert_true(is_number(json_object_get_member(e, "ts")));
    g_assert_true(is_number(json_object_get_member(e, "pid")));
    g_assert_true(is_number(json_object_get_member(e, "tid")));
    const char *name = json_object_get_string_member(e, "name");
    const char *ph = json_object_get_string_member(e, "ph");
    double ts = json_object_get_double_member(e, "ts");
    gint64 tid = json_object_get_int_member(e, "tid");
    g_assert_cmpfloat(ts, >=, 0);
    g_assert_cmpint(json_object_get_int_member(e, "pid"), ==, 1);
    if (strcmp(ph, "X") == 0) {
      g_assert_true(is_number(json_object_get_member(e, "dur")));
      double dur = json_object_get_double_member(e, "dur");
      g_assert_cmpfloat(dur, >=, 0);
      max_end = MAX(max_end, ts + dur);
      g_hash_table_add(span_tids, GINT_TO_POINTER((int) tid));
      train = train || strcmp(name, "train") == 0;
      download = download || g_str_has_prefix(name, "download ");
    } else if (strcmp(ph, "B") == 0 || strcmp(ph, "E") == 0) {
      /* A phase other spans nest in: its "B" comes before them, and its "E" closes the last "B" open on the
       * same track, with the same name, no earlier than it began. */
      g_hash_table_add(span_tids, GINT_TO_POINTER((int) tid));
      if (strcmp(ph, "B") == 0) {
        g_assert_true(open_name == NULL); /* one open phase at a time on these scenarios */
        open_name = name;
        open_ts = ts;
        open_tid = tid;
        train = train || strcmp(name, "train") == 0;
      } else {
        g_assert_cmpstr(open_name, ==, name);
        g_assert_cmpint(open_tid, ==, tid);
        g_assert_cmpfloat(ts, >=, open_ts);
        open_name = NULL;
        max_end = MAX(max_end, ts);
      }
    } else if (strcmp(ph, "C") == 0) {
      JsonNode *args = json_object_get_member(e, "args");
      g_assert_true(args != NULL && JSON_NODE_HOLDS_OBJECT(args));
      JsonObject *ao = json_node_get_object(args);
      g_assert_cmpuint(json_object_get_size(ao), >, 0);
      g_autoptr(GList) members = json_object_get_members(ao);
      for (GList *m = members; m; m = m->next)
        g_assert_true(is_number(json_object_get_member(ao, m->data)));
      g_hash_table_add(counters, g_strdup(name));
    } else if (strcmp(ph, "M") == 0) {
      JsonNode *args = json_object_get_member(e, "args");
      g_assert_true(args != NULL && JSON_NODE_HOLDS_OBJECT(args));
      if (strcmp(name, "process_name") == 0) {
        process_named = TRUE;
        g_assert_cmpstr(json_object_get_string_member(json_node_get_object(args), "name"), ==,
                        "trainsim: simclr-tpu-v3-128.lua");
      } else if (strcmp(name, "thread_name") == 0) {
        g_assert_true(is_string(json_object_get_member(json_node_get_object(args), "name")));
        g_hash_table_add(thread_names, GINT_TO_POINTER((int) tid));
      } else {
        g_assert_cmpstr(name, ==, "thread_sort_index");
      }
    } else {
      g_error("unexpected phase type %s", ph);
    }
  }
  g_assert_true(process_named);
  g_assert_null(open_name);
  g_assert_true(train);
  g_assert_true(download);
  /* Every track a span is on has a name. */
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init(&it, span_tids);
  while (g_hash_table_iter_next(&it, &key, NULL))
    g_assert_true(g_hash_table_contains(thread_names, key));
  g_assert_true(g_hash_table_contains(counters, "device memory (per device)"));
  g_assert_true(g_hash_table_contains(counters, "host memory (per host)"));
  g_assert_true(g_hash_table_contains(counters, "storage"));
  g_assert_true(g_hash_table_contains(counters, "cost (USD, cumulative)"));
  /* Microseconds: the last span ends when the run does. */
  g_assert_cmpfloat_with_epsilon(max_end, total_us, 1e-6 * total_us);
  test_remove_dir(dir);
}

/* ---- charts --------------------------------------------------------------------------------------------- */

static void
bump_cairo_svg_counter(void)
{
  /* cairo numbers SVG surfaces with a process-wide counter: draw one to move it. */
  cairo_surface_t *s = cairo_svg_surface_create(NULL, 10, 10);
  cairo_t *cr = cairo_create(s);
  cairo_rectangle(cr, 1, 1, 5, 5);
  cairo_fill(cr);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

static void
test_determinism_in_process(void)
{
  g_autofree char *d1 = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *d2 = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  run_in_process(d1, 3);
  bump_cairo_svg_counter();
  bump_cairo_svg_counter();
  run_in_process(d2, 3);
  g_autofree char *l1 = list_dir(d1), *l2 = list_dir(d2);
  g_assert_cmpstr(l1, ==, "cost.png cost.svg memory.png memory.svg report.html storage.png storage.svg "
                          "summary.json timeline.csv trace.json");
  g_assert_cmpstr(l1, ==, l2);
  for (const char *const *f = run_files; *f; f++) {
    gsize n1, n2;
    g_autofree char *a = test_read_file(d1, *f, &n1), *b = test_read_file(d2, *f, &n2);
    g_assert_cmpuint(n1, >, 0);
    if (n1 != n2 || memcmp(a, b, n1) != 0)
      g_error("%s differs between two runs in one process", *f);
    g_assert_null(strstr(a, d1)); /* no host paths */
    g_assert_null(strstr(a, g_get_host_name()));
  }
  test_remove_dir(d1);
  test_remove_dir(d2);
}

typedef struct {
  GHashTable *ids;
  gboolean svg_root;
} SvgCheck;

static void
svg_start(GMarkupParseContext *ctx, const char *element, const char **names, const char **values, gpointer data,
          GError **error)
{
  SvgCheck *c = data;
  if (strcmp(element, "svg") == 0)
    c->svg_root = TRUE;
  for (guint i = 0; names[i]; i++)
    if (strcmp(names[i], "id") == 0) {
      g_assert_false(g_hash_table_contains(c->ids, values[i])); /* unique */
      g_hash_table_add(c->ids, g_strdup(values[i]));
    }
}

static void
test_chart_files(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  run_in_process(dir, 0);
  const char *charts[] = {"memory", "storage", "cost", NULL};
  for (const char **c = charts; *c; c++) {
    g_autofree char *png_name = g_strdup_printf("%s.png", *c);
    g_autofree char *svg_name = g_strdup_printf("%s.svg", *c);
    gsize n;
    g_autofree char *png = test_read_file(dir, png_name, &n);
    g_assert_cmpuint(n, >, 5000);
    g_assert_cmpint(memcmp(png, "\x89PNG\r\n\x1a\n", 8), ==, 0);
    g_autofree char *path = g_build_filename(dir, png_name, NULL);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    g_assert_cmpint(cairo_surface_status(img), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint(cairo_image_surface_get_width(img), ==, 900);
    cairo_surface_destroy(img);

    g_autofree char *svg = test_read_file(dir, svg_name, &n);
    g_assert_true(g_str_has_prefix(svg, "<?xml"));
    SvgCheck check = {g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL), FALSE};
    GMarkupParser parser = {svg_start, NULL, NULL, NULL, NULL};
    GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, &check, NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true(g_markup_parse_context_parse(ctx, svg, (gssize) n, &error) &&
                  g_markup_parse_context_end_parse(ctx, &error));
    g_assert_no_error(error);
    g_markup_parse_context_free(ctx);
    g_assert_true(check.svg_root);
    /* Every reference names a defined id, and ids are numbered from 1 whatever the process drew before. */
    for (const char *p = strstr(svg, "\"#"); p; p = strstr(p + 1, "\"#")) {
      const char *e = strchr(p + 2, '"');
      g_autofree char *id = g_strndup(p + 2, (gsize) (e - p - 2));
      g_assert_true(g_hash_table_contains(check.ids, id));
    }
    g_assert_nonnull(strstr(svg, "id=\"surface1\""));
    g_hash_table_unref(check.ids);
  }
  test_remove_dir(dir);
}

static void
test_svg_normalize(void)
{
  GString *s = g_string_new("<svg><defs><symbol id=\"glyph3-1\"/><symbol id=\"glyph3-10\"/>"
                            "<clipPath id=\"clip7\"/></defs><g id=\"surface42\" clip-path=\"url(#clip7)\">"
                            "<use xlink:href=\"#glyph3-10\"/><use xlink:href=\"#glyph3-1\"/>"
                            "<a href=\"#nowhere\"/></g></svg>");
  ts_svg_normalize_ids(s);
  g_assert_cmpstr(s->str, ==,
                  "<svg><defs><symbol id=\"glyph1\"/><symbol id=\"glyph2\"/>"
                  "<clipPath id=\"clip1\"/></defs><g id=\"surface1\" clip-path=\"url(#clip1)\">"
                  "<use xlink:href=\"#glyph2\"/><use xlink:href=\"#glyph1\"/>"
                  "<a href=\"#nowhere\"/></g></svg>");
  g_string_free(s, TRUE);
}

static void
test_tick_labels(void)
{
  const struct {
    TsAxisKind kind;
    double v, step;
    const char *text;
  } cases[] = {
    {TS_AXIS_DURATION, 0, 600, "0"},
    {TS_AXIS_DURATION, 600, 600, "10 min"},
    {TS_AXIS_DURATION, 5400, 1800, "1 h 30 min"},
    {TS_AXIS_DURATION, 7200, 3600, "2 h"},
    {TS_AXIS_DURATION, 172800, 86400, "2 d"},
    {TS_AXIS_DURATION, 30, 10, "30 s"},
    {TS_AXIS_DURATION, 0.05, 0.01, "50 ms"},
    {TS_AXIS_BYTES, 10.0 * 1024 * 1024 * 1024, 10.0 * 1024 * 1024 * 1024, "10 GiB"},
    {TS_AXIS_BYTES, 512.0 * 1024 * 1024, 256.0 * 1024 * 1024, "512 MiB"},
    {TS_AXIS_BYTES, 2.5 * 1024 * 1024 * 1024 * 1024, 0.5 * 1024 * 1024 * 1024 * 1024, "2.5 TiB"},
    {TS_AXIS_USD, 20, 20, "20 USD"},
    {TS_AXIS_USD, 0.25, 0.05, "0.25 USD"},
    {TS_AXIS_USD, 20000, 5000, "20k USD"},
    {TS_AXIS_USD, 1500, 500, "1500 USD"},
    {TS_AXIS_USD, 800e6, 200e6, "800M USD"},
    {TS_AXIS_USD, 1.5e6, 0.5e6, "1.5M USD"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *t = ts_chart_format_tick(cases[i].kind, cases[i].v, cases[i].step);
    g_assert_cmpstr(t, ==, cases[i].text);
  }
}

/* ---- the command line: files, determinism, faults, interrupts --------------------------------------------- */

static void
test_cli_out(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *d1 = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *d2 = g_build_filename(d1, "nested", "dir", NULL); /* created with its parents */
  const char *a1[] = {"run", path, "--out", d1, "--quiet", NULL};
  const char *a2[] = {"run", path, "--out", d2, "--quiet", NULL};
  TestResult r1 = run_cli(a1, NULL), r2 = run_cli(a2, NULL);
  g_assert_cmpint(r1.status, ==, 0);
  g_assert_cmpint(r2.status, ==, 0);
  g_assert_cmpstr(r1.err, ==, "");
  for (const char *const *f = run_files; *f; f++) {
    gsize n1, n2;
    g_autofree char *a = test_read_file(d1, *f, &n1), *b = test_read_file(d2, *f, &n2);
    if (n1 != n2 || memcmp(a, b, n1) != 0)
      g_error("%s differs between two processes", *f);
  }
  g_autofree char *nested = g_build_filename(d1, "nested", NULL);
  test_remove_dir(d2);
  g_rmdir(nested);
  test_remove_dir(d1);
  test_result_clear(&r1);
  test_result_clear(&r2);
}

static void
test_fault_eacces(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *base = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename(base, "out", NULL);
  const char *args[] = {"run", path, "--out", dir, "--quiet", NULL};
  const char *env[] = {"TRAINSIM_FAULT", "eacces", NULL};
  TestResult r = run_cli(args, env);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "Permission denied"));
  g_assert_nonnull(strstr(r.err, dir));
  g_autofree char *left = list_dir(base);
  g_assert_cmpstr(left, ==, ""); /* not even the directory */
  test_result_clear(&r);

  /* An existing directory: the first file cannot be created; nothing appears. */
  g_assert_cmpint(g_mkdir(dir, 0755), ==, 0);
  r = run_cli(args, env);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "Permission denied"));
  g_autofree char *left2 = list_dir(dir);
  g_assert_cmpstr(left2, ==, "");
  test_result_clear(&r);
  test_remove_dir(dir);
  g_rmdir(base);
}

/* The charts' module (trainsim-charts.so, opened at the first chart) missing: an error naming it, nothing written;
 * and a run that draws no chart never needs it. */
static void
test_charts_module_missing(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *base = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename(base, "out", NULL);
  const char *env[] = {"TRAINSIM_CHARTS_MODULE", "/nonexistent/trainsim-charts.so", NULL};
  const char *args[] = {"run", path, "--out", dir, "--quiet", NULL};
  TestResult r = run_cli(args, env);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "cannot load the charts' module /nonexistent/trainsim-charts.so"));
  g_autofree char *left = list_dir(dir);
  g_assert_cmpstr(left, ==, "");
  test_result_clear(&r);
  const char *plain[] = {"run", path, "--quiet", NULL};
  r = run_cli(plain, env);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  test_remove_dir(dir);
  g_rmdir(base);
}

static void
test_fault_enospc(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  /* The disk fills at various points: in the first file, in a later one, in the charts. */
  const char *limits[] = {"enospc", "enospc:100", "enospc:3000", "enospc:20000", "enospc:60000", NULL};
  for (const char **l = limits; *l; l++) {
    const char *args[] = {"run", path, "--out", dir, "--quiet", NULL};
    const char *env[] = {"TRAINSIM_FAULT", *l, NULL};
    TestResult r = run_cli(args, env);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "No space left on device"));
    g_assert_nonnull(strstr(r.err, "nothing was written"));
    g_autofree char *left = list_dir(dir);
    if (strcmp(left, "") != 0)
      g_error("%s left files behind: %s", *l, left);
    test_result_clear(&r);
  }
  /* A failed run leaves the files of an earlier one as they were. */
  const char *ok[] = {"run", path, "--out", dir, "--quiet", NULL};
  TestResult r = run_cli(ok, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  gsize before_len;
  g_autofree char *before = test_read_file(dir, "trace.json", &before_len);
  const char *other[] = {"run", path, "--out", dir, "--quiet", "--set", "epochs=3", NULL};
  const char *env[] = {"TRAINSIM_FAULT", "enospc:20000", NULL};
  r = run_cli(other, env);
  g_assert_cmpint(r.status, ==, 1);
  test_result_clear(&r);
  gsize after_len;
  g_autofree char *after = test_read_file(dir, "trace.json", &after_len);
  g_assert_true(before_len == after_len && memcmp(before, after, before_len) == 0);
  g_autofree char *left = list_dir(dir);
  g_assert_cmpstr(left, ==, "cost.png cost.svg memory.png memory.svg report.html storage.png storage.svg "
                            "summary.json timeline.csv trace.json");
  test_remove_dir(dir);
}

/* A script that spins before its run, so the outputs are open when the signal comes. */
static char *
write_spinning_scenario(const char *dir)
{
  g_autofree char *flagship = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(flagship, &text, NULL, NULL));
  g_autofree char *spin = g_strdup_printf("local spin = param(\"spin\", false)\n"
                                          "if spin then while true do end end\n%s", text);
  char *path = g_build_filename(dir, "spin.lua", NULL);
  g_assert_true(g_file_set_contents(path, spin, -1, NULL));
  return path;
}

static void
check_interrupt(int sig)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *script = write_spinning_scenario(tmp);
  g_autofree char *dir = g_build_filename(tmp, "out", NULL);
  const char *argv[] = {trainsim, "run", script, "--set", "spin=true", "--out", dir, "--cpu-limit", "60",
                        "--max-instructions", "1000000000000", NULL};
  GPid pid;
  int err_fd;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_spawn_async_with_pipes(NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                         NULL, NULL, &err_fd, &error));
  g_assert_no_error(error);
  /* Wait until the outputs are open: the directory exists. */
  for (int i = 0; i < 200 && !g_file_test(dir, G_FILE_TEST_IS_DIR); i++)
    g_usleep(20000);
  g_assert_true(g_file_test(dir, G_FILE_TEST_IS_DIR));
  g_usleep(300000);
  kill(pid, sig);
  int status = 0;
  g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
  g_spawn_close_pid(pid);
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 130);
  char buf[1024] = {0};
  ssize_t n = read(err_fd, buf, sizeof buf - 1);
  close(err_fd);
  g_assert_cmpint(n, >, 0);
  g_assert_nonnull(strstr(buf, sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"));
  g_assert_nonnull(strstr(buf, "no unfinished output file was left"));
  g_autofree char *left = list_dir(dir);
  g_assert_cmpstr(left, ==, "");
  g_rmdir(dir);
  g_unlink(script);
  g_rmdir(tmp);
}

static void
test_interrupt_sigint(void)
{
  check_interrupt(SIGINT);
}

static void
test_interrupt_sigterm(void)
{
  check_interrupt(SIGTERM);
}

static void
test_atomic_set_in_process(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *a = g_build_filename(dir, "a.txt", NULL);
  g_autofree char *b = g_build_filename(dir, "b.txt", NULL);
  g_autoptr(GError) error = NULL;
  /* Abort: nothing. */
  TsAtomicSet *set = ts_atomic_set_new();
  g_assert_true(ts_atomic_set_add_bytes(set, a, "one\n", 4, &error));
  ts_atomic_set_abort(set);
  g_autofree char *l0 = list_dir(dir);
  g_assert_cmpstr(l0, ==, "");
  /* A full disk on the second file: neither appears. */
  g_setenv("TRAINSIM_FAULT", "enospc:10", TRUE);
  set = ts_atomic_set_new();
  g_assert_true(ts_atomic_set_add_bytes(set, a, "one\n", 4, &error));
  g_assert_false(ts_atomic_set_add_bytes(set, b, "a line longer than ten bytes\n", 29, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_IO);
  g_clear_error(&error);
  ts_atomic_set_abort(set);
  g_unsetenv("TRAINSIM_FAULT");
  g_autofree char *l1 = list_dir(dir);
  g_assert_cmpstr(l1, ==, "");
  /* Commit: both, in full. */
  set = ts_atomic_set_new();
  g_assert_true(ts_atomic_set_add_bytes(set, a, "one\n", 4, &error));
  g_assert_true(ts_atomic_set_add_bytes(set, b, "two\n", 4, &error));
  g_assert_true(ts_atomic_set_commit(set, &error));
  g_assert_no_error(error);
  g_autofree char *l2 = list_dir(dir);
  g_assert_cmpstr(l2, ==, "a.txt b.txt");
  g_autofree char *t = test_read_file(dir, "b.txt", NULL);
  g_assert_cmpstr(t, ==, "two\n");
  test_remove_dir(dir);
}

/* `trainsim devices --json` gives memory in bytes, read as binary: an H100 80GB has 80 GiB (more than the
 * 79 GiB a decimal reading could never reach: 80e9 B = 74.5 GiB), and its allocatable 81,559 MiB. */
static void
test_devices_json_memory(void)
{
  const char *args[] = {"devices", "gpu", "--json", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(parser, r.out, -1, NULL));
  JsonArray *catalogs = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)), "catalogs");
  gboolean seen = FALSE;
  for (guint c = 0; c < json_array_get_length(catalogs); c++) {
    JsonArray *devices = json_object_get_array_member(json_array_get_object_element(catalogs, c), "devices");
    for (guint i = 0; i < json_array_get_length(devices); i++) {
      JsonObject *d = json_array_get_object_element(devices, i);
      if (g_strcmp0(json_object_get_string_member(d, "sku"), "H100-SXM5-80GB") != 0)
        continue;
      JsonObject *fields = json_object_get_object_member(d, "fields");
      JsonObject *memory = json_object_get_object_member(fields, "memory");
      double bytes = json_object_get_double_member(memory, "value");
      g_assert_cmpfloat(bytes, >=, 79.0 * 1073741824.0);
      g_assert_cmpfloat(bytes, ==, 80.0 * 1073741824.0);
      g_assert_cmpstr(json_object_get_string_member(memory, "text"), ==, "80 GiB");
      JsonObject *alloc = json_object_get_object_member(fields, "memory_allocatable");
      g_assert_cmpfloat(json_object_get_double_member(alloc, "value"), ==, 81559.0 * 1048576.0);
      seen = TRUE;
    }
  }
  g_assert_true(seen);
  test_result_clear(&r);
}

/* A machine without a price still gets its forecast: exit 0, time and memory, and a cost that is unknown
 * everywhere it appears (summary.json null, terminal "unknown", timeline.csv empty cells, never 0), with a
 * diagnostic that suggests the unit that fits what is rented. */
static void
test_unknown_price(void)
{
  static const struct {
    const char *accel, *unit;
  } cases[] = {
    {"gpu { sku = \"H100-SXM5-80GB\", count = 8 }", "USD/device-hour"},
    {"gpu { instance = \"DGX H100\" }", "USD/instance-hour"},
    {"tpu { slice = \"v3-8\", pricing = \"committed-3y\" }", "USD/chip-hour"},
    {"gpu { sku = \"H100-SXM5-80GB\", count = 8, pricing = \"owned\" }", "USD/device-hour"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *dir = g_dir_make_tmp("trainsim-price-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "noprice.lua", NULL);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    g_autofree char *script = g_strdup_printf(
      "local box = cluster { accelerator = %s, host = { ram = \"512 GiB\", disk = \"2 TB\" } }\n"
      "local imagenet = datasets.imagenet_1k { from = internet { bandwidth = \"1 Gbit/s\" } }\n"
      "run(box, function(r)\n"
      "  r:provision(box.accelerator)\n"
      "  r:train { model = models.resnet50, data = imagenet, batch = 256, steps = 100, precision = \"bf16\",\n"
      "            optimizer = \"momentum\" }\n"
      "  r:release(box.accelerator)\n"
      "end)\n",
      cases[i].accel);
    g_assert_true(g_file_set_contents(path, script, -1, NULL));
    const char *args[] = {"run", path, "--out", out, NULL};
    TestResult r = run_cli(args, NULL);
    if (r.status != 0)
      g_error("%s: exit %d: %s", cases[i].accel, r.status, r.err);
    assert_has(r.out, "\n  cost                   unknown\n");
    assert_has(r.out, "\n  compute                unknown\n");
    assert_has(r.out, cases[i].unit);
    g_autofree char *summary = test_read_file(out, "summary.json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_assert_true(json_parser_load_from_data(parser, summary, -1, NULL));
    JsonObject *o = json_node_get_object(json_parser_get_root(parser));
    JsonObject *cost = json_object_get_object_member(o, "cost_usd");
    g_assert_true(json_object_get_null_member(cost, "total"));
    g_assert_true(json_object_get_null_member(cost, "compute"));
    g_assert_true(json_object_get_boolean_member(o, "feasible"));
    g_assert_cmpfloat(json_object_get_double_member(o, "total_time_s"), >, 0);
    JsonObject *peaks = json_object_get_object_member(o, "peak_memory_bytes");
    g_assert_cmpfloat(json_object_get_double_member(peaks, "device"), >, 0);
    JsonObject *training = json_object_get_object_member(o, "training");
    g_assert_cmpfloat(json_object_get_double_member(training, "step_time_s"), >, 0);
    JsonArray *diags = json_object_get_array_member(o, "diagnostics");
    gboolean seen = FALSE;
    for (guint k = 0; k < json_array_get_length(diags); k++) {
      JsonObject *d = json_array_get_object_element(diags, k);
      if (g_strcmp0(json_object_get_string_member(d, "code"), "price-unknown") == 0) {
        assert_has(json_object_get_string_member(d, "message"), cases[i].unit);
        seen = TRUE;
      }
    }
    g_assert_true(seen);
    /* timeline.csv: the compute and total cost columns are empty on every row once billing started. */
    g_autofree char *csv = test_read_file(out, "timeline.csv", NULL);
    g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
    g_auto(GStrv) head = g_strsplit(lines[0], ",", -1);
    int col_compute = -1, col_total = -1;
    for (int k = 0; head[k] != NULL; k++) {
      if (strcmp(head[k], "usd_compute") == 0)
        col_compute = k;
      if (strcmp(head[k], "usd_total") == 0)
        col_total = k;
    }
    g_assert_cmpint(col_compute, >=, 0);
    g_assert_cmpint(col_total, >=, 0);
    guint rows = 0;
    for (guint k = 2; lines[k] != NULL && lines[k][0] != '\0'; k++) { /* from the row after provisioning */
      g_auto(GStrv) cells = g_strsplit(lines[k], ",", -1);
      g_assert_cmpstr(cells[col_compute], ==, "");
      g_assert_cmpstr(cells[col_total], ==, "");
      rows++;
    }
    g_assert_cmpuint(rows, >, 0);
    test_remove_dir(dir);
    test_result_clear(&r);
  }
}

/* The failures row says what summary.json's failures.expected says: a run that cannot finish between its
 * interruptions (one a second, checkpoints hourly) expects no finite count -- printed "inf expected" before --
 * and a spot run whose interruption rate is unknown has no expected count -- printed "0.0 expected" before,
 * from the device failures alone. */
static void
test_failures_expected_row(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-expected-XXXXXX", NULL);
  static const struct {
    const char *pricing, *failures, *said;
  } cases[] = {
    {"spot', price = '1 USD/device-hour", "preemption = '1 s'", "(no finite count expected: the run cannot finish"},
    {"spot', price = '1 USD/device-hour", "mtbf = '100 h'", "(the expected count unknown)"},
    {"on-demand', price = '1 USD/device-hour", "mtbf = '100 h'", " expected from the rates)"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = g_build_filename(dir, "f.lua", NULL);
    g_autofree char *script = g_strdup_printf(
      "local acc = gpu { sku = 'A100-SXM4-80GB', count = 8, pricing = '%s' }\n"
      "local c = cluster { accelerator = acc, storage = bucket { read = '5 GB/s', write = '1 GB/s' } }\n"
      "local d = dataset { name = 'toks', samples = 1000000, bytes = '10 GB', extracted = '10 GB', kind = 'tokens' }\n"
      "run(c, function(r) r:provision(acc)\n"
      "  r:train { model = models.gpt { layers = 12, width = 768, seq = 1024 }, data = d, batch = 64, steps = 20000,\n"
      "            precision = 'bf16', checkpoint = { every = '1 h' }, failures = { %s } }\n"
      "end)\n", cases[i].pricing, cases[i].failures);
    g_assert_true(g_file_set_contents(path, script, -1, NULL));
    const char *args[] = {"run", path, "--replicas", "1", NULL};
    TestResult r = run_cli(args, NULL);
    const char *row = strstr(r.out, "  failures  ");
    if (row == NULL)
      g_error("exit %d, no failures row: %s%s", r.status, r.out, r.err);
    g_autofree char *line = g_strndup(row, strcspn(row, "\n"));
    if (strstr(line, cases[i].said) == NULL || strstr(line, "inf") != NULL)
      g_error("case %zu: %s", i, line);
    test_result_clear(&r);
  }
  test_remove_dir(dir);
}

/* Spot means preemption: a TPU v3-8 run of more than a day with pricing = "spot" and nothing else said gets the
 * catalog's interruption rate (one host, 24 h), failures.expected from the rates by hand (no checkpoints, no
 * restart time: Daly's T_w / M = e^(T_s/M) - 1), and P10/P50/P90 of time and cost from the automatic replica set.
 * About a day and a half of training (300 epochs), so that some replicas see no preemption at all (e^-1.4, a
 * quarter of them): the draws' P10 is then the uninterrupted time, which the model's band spreads below. */
static void
test_spot_preemption(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-spot-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "spot.lua", NULL);
  const char *script =
    "local pod = cluster { accelerator = tpu { slice = \"v3-8\", pricing = \"spot\" } }\n"
    "local imagenet = datasets.imagenet_1k { from = internet { bandwidth = \"10 Gbit/s\" } }\n"
    "run(pod, function(r)\n"
    "  r:provision(pod.accelerator)\n"
    "  r:train { model = models.resnet50, data = imagenet, batch = 1024, epochs = 300, precision = \"bf16\",\n"
    "            optimizer = \"momentum\" }\n"
    "  r:release(pod.accelerator)\n"
    "end)\n";
  g_assert_true(g_file_set_contents(path, script, -1, NULL));
  const char *args[] = {"run", path, "--json", NULL};
  TestResult r = run_cli(args, NULL);
  if (r.status != 0)
    g_error("exit %d: %s", r.status, r.err);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(parser, r.out, -1, NULL));
  JsonObject *o = json_node_get_object(json_parser_get_root(parser));
  JsonObject *training = json_object_get_object_member(o, "training");
  double ts = json_object_get_double_member(training, "step_time_s") *
              (double) json_object_get_int_member(training, "steps");
  g_assert_cmpfloat(ts, >, 86400.0); /* more than a day without interruptions */
  JsonObject *failures = json_object_get_object_member(o, "failures");
  double expected = json_object_get_double_member(failures, "expected");
  g_assert_cmpfloat(expected, >, 0);
  g_assert_cmpfloat(fabs(expected / expm1(ts / 86400.0) - 1), <, 1e-6);
  g_assert_false(json_object_get_null_member(failures, "count"));
  JsonObject *replicas = json_object_get_object_member(o, "replicas");
  g_assert_cmpint(json_object_get_int_member(replicas, "count"), ==, 100);
  /* The draws alone: no replica is faster than the uninterrupted run; the quantiles, with the model's band, are
   * wider than the draws at both ends. */
  JsonObject *draws = json_object_get_object_member(replicas, "draws");
  JsonObject *q = json_object_get_object_member(o, "quantiles");
  const char *keys[] = {"p10", "p50", "p90"};
  double prev_t = 0, prev_c = 0;
  for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
    JsonObject *p = json_object_get_object_member(q, keys[k]);
    double t = json_object_get_double_member(p, "time_s"), c = json_object_get_double_member(p, "cost_usd");
    double td = json_object_get_double_member(json_object_get_object_member(draws, keys[k]), "time_s");
    /* summary.json writes times rounded to the millisecond: an uninterrupted replica equals ts up to that. */
    g_assert_cmpfloat(td, >=, ts - 1e-3);
    if (k == 0)
      g_assert_cmpfloat(t, <, td);
    if (k == 2)
      g_assert_cmpfloat(t, >, td);
    g_assert_cmpfloat(t, >=, prev_t);
    g_assert_cmpfloat(c, >=, prev_c);
    g_assert_cmpfloat(c, >, 0);
    prev_t = t;
    prev_c = c;
  }
  /* Interruptions spread the outcomes; the P90 run was interrupted and redid work. */
  g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(q, "p90"), "time_s"), >,
                    json_object_get_double_member(json_object_get_object_member(q, "p10"), "time_s"));
  g_assert_cmpfloat(prev_t, >, ts);
  gboolean rate = FALSE, no_ckpt = FALSE;
  JsonArray *diags = json_object_get_array_member(o, "diagnostics");
  for (guint k = 0; k < json_array_get_length(diags); k++) {
    const char *code = json_object_get_string_member(json_array_get_object_element(diags, k), "code");
    rate = rate || g_strcmp0(code, "spot-preemption") == 0;
    no_ckpt = no_ckpt || g_strcmp0(code, "spot-without-checkpoints") == 0;
  }
  g_assert_true(rate);
  g_assert_true(no_ckpt);
  test_remove_dir(dir);
  test_result_clear(&r);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  trainsim = g_getenv("TRAINSIM");
  g_autoptr(GError) error = NULL;
  registry = ts_registry_new(NULL, &error);
  g_assert_no_error(error);
  g_test_add_func("/outputs/csv/format", test_csv_format);
  g_test_add_func("/outputs/csv/quoting", test_csv_quoting);
  g_test_add_func("/outputs/trace/events", test_trace_events);
  g_test_add_func("/outputs/charts/files", test_chart_files);
  g_test_add_func("/outputs/charts/svg-ids", test_svg_normalize);
  g_test_add_func("/outputs/charts/ticks", test_tick_labels);
  g_test_add_func("/outputs/determinism/in-process", test_determinism_in_process);
  g_test_add_func("/outputs/atomic/set", test_atomic_set_in_process);
  if (trainsim != NULL) {
    g_test_add_func("/outputs/cli/out", test_cli_out);
    g_test_add_func("/outputs/cli/devices-json-memory", test_devices_json_memory);
    g_test_add_func("/outputs/cli/unknown-price", test_unknown_price);
    g_test_add_func("/outputs/cli/spot-preemption", test_spot_preemption);
    g_test_add_func("/outputs/cli/failures-expected-row", test_failures_expected_row);
    g_test_add_func("/outputs/cli/eacces", test_fault_eacces);
    g_test_add_func("/outputs/cli/enospc", test_fault_enospc);
    g_test_add_func("/outputs/cli/charts-module-missing", test_charts_module_missing);
    g_test_add_func("/outputs/cli/sigint", test_interrupt_sigint);
    g_test_add_func("/outputs/cli/sigterm", test_interrupt_sigterm);
  }
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
