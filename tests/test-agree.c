/* /agree/...: the outputs of every shipped scenario (every .lua in scenarios/) and every validation case
 * (every .lua in scenarios/validation/) agree with each other and with themselves: phases ordered and complete,
 * timeline totals equal the summary's (to the second and the cent), cost categories sum to the total, the
 * trace's cost counter ends where the summary does and nests parents before children, peaks within capacity
 * when feasible, and the same seed gives byte-identical files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "common/ts-error.h"
#include "output/run-outputs.h"
#include "output/summary.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

static TsRegistry *registry;

#define CENT 0.005

static const char *const files[] = {"summary.json", "timeline.csv", "trace.json", "memory.svg", "storage.svg",
                                    "cost.svg", "report.html", NULL};

/* Runs PATH with every output into DIR, as `trainsim run --out DIR --seed SEED` does. */
static void
run_with_outputs(const char *path, const char *dir, guint64 seed)
{
  g_autoptr(GError) error = NULL;
  TsRunOutputs *o = ts_run_outputs_new(dir, path, &error);
  g_assert_no_error(error);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = path;
  opts.limits.seed = seed;
  opts.sinks = ts_run_outputs_get_sinks(o);
  TsRun *run = ts_scenario_run(registry, &opts, &error);
  if (error != NULL && !g_error_matches(error, TS_ERROR, TS_ERROR_INFEASIBLE))
    g_error("%s: %s", path, error->message); /* a shipped scenario runs, feasible or not */
  g_clear_error(&error);
  g_assert_nonnull(run);
  g_autofree char *summary = ts_summary_to_json(run);
  g_assert_true(ts_run_outputs_commit(o, run, summary, &error));
  g_assert_no_error(error);
  ts_run_free(run);
}

static char *
read_in(const char *dir, const char *name, gsize *len)
{
  g_autofree char *p = g_build_filename(dir, name, NULL);
  char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(p, &text, len, &error));
  g_assert_no_error(error);
  return text;
}

static void
remove_dir(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  if (d != NULL) {
    const char *n;
    while ((n = g_dir_read_name(d)) != NULL) {
      g_autofree char *p = g_build_filename(dir, n, NULL);
      g_unlink(p);
    }
    g_dir_close(d);
  }
  g_rmdir(dir);
}

static double
member_or(JsonObject *o, const char *key, double fallback)
{
  JsonNode *n = json_object_get_member(o, key);
  return n != NULL && !json_node_is_null(n) ? json_node_get_double(n) : fallback;
}

#define assert_close(a, b, tol, what)                                                                           \
  G_STMT_START                                                                                                  \
  {                                                                                                             \
    double a_ = (a), b_ = (b);                                                                                  \
    if (!(fabs(a_ - b_) <= (tol))) {                                                                            \
      g_autofree char *m_ = g_strdup_printf("%s: %s: %.9g vs %.9g", name, what, a_, b_);                        \
      g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, m_);                                     \
    }                                                                                                           \
  }                                                                                                             \
  G_STMT_END

/* The summary: phases ordered and complete, categories summing to the total, peaks within capacity. */
static void
check_summary(const char *name, JsonObject *s)
{
  double total_s = json_object_get_double_member(s, "total_time_s");
  gboolean feasible = json_object_get_boolean_member(s, "feasible");
  JsonObject *cost = json_object_get_object_member(s, "cost_usd");
  double sum = member_or(cost, "compute", 0) + member_or(cost, "host", 0) + member_or(cost, "storage", 0) +
               member_or(cost, "network", 0);
  assert_close(sum, json_object_get_double_member(cost, "total"), CENT, "cost categories vs total");

  JsonArray *phases = json_object_get_array_member(s, "phases");
  double last_start = 0;
  gboolean trained_phase = FALSE;
  for (guint i = 0; i < json_array_get_length(phases); i++) {
    JsonObject *p = json_array_get_object_element(phases, i);
    double start = json_object_get_double_member(p, "start_s"), end = json_object_get_double_member(p, "end_s");
    g_assert_cmpfloat(start, >=, last_start); /* in the order they began */
    g_assert_cmpfloat(end, >=, start);
    g_assert_cmpfloat(end, <=, total_s);
    last_start = start;
    trained_phase = trained_phase || strcmp(json_object_get_string_member(p, "kind"), "train") == 0;
  }
  /* Complete: steps that were done are inside a train phase. */
  JsonObject *training = json_object_get_object_member(s, "training");
  double done = member_or(training, "steps_done", 0);
  if (done > 0)
    g_assert_true(trained_phase);
  if (feasible)
    g_assert_cmpfloat(done, ==, member_or(training, "steps", 0));

  if (feasible) {
    JsonObject *peaks = json_object_get_object_member(s, "peak_memory_bytes");
    static const char *const pairs[][2] = {
      {"device", "device_capacity"}, {"host", "host_capacity"}, {"storage", "storage_capacity"}};
    for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
      double used = member_or(peaks, pairs[i][0], 0), cap = member_or(peaks, pairs[i][1], INFINITY);
      if (!(used <= cap * (1 + 1e-12)))
        g_error("%s: feasible, yet peak %s %.6g exceeds its capacity %.6g", name, pairs[i][0], used, cap);
    }
  }
}

/* timeline.csv: times increasing, dollars and kWh never falling, memory never above the summary's peaks, and the
 * last row equal to the summary's totals (energy_kwh to summary.json's energy.kwh, or empty when that is null). */
static void
check_timeline(const char *name, const char *csv, JsonObject *s)
{
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  guint n = g_strv_length(lines);
  g_assert_cmpuint(n, >=, 3); /* header, at least one row, the final newline */
  g_assert_cmpstr(lines[n - 1], ==, "");
  double last[11] = {-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const char *last_kwh = "";
  JsonObject *peaks = json_object_get_object_member(s, "peak_memory_bytes");
  double peak_device = member_or(peaks, "device", 0), peak_host = member_or(peaks, "host", 0),
         peak_storage = member_or(peaks, "storage", 0);
  for (guint i = 1; i + 1 < n; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], ",", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 11);
    double v[11];
    for (guint k = 0; k < 11; k++)
      v[k] = k == 1 ? 0 : g_ascii_strtod(f[k], NULL);
    g_assert_cmpfloat(v[0], >, last[0]);
    for (guint k = 5; k < 11; k++)
      g_assert_cmpfloat(v[k], >=, last[k] - 1e-9 * fabs(last[k]));
    g_assert_cmpfloat(v[2], <=, peak_device * (1 + 1e-12));
    g_assert_cmpfloat(v[3], <=, peak_host * (1 + 1e-12));
    g_assert_cmpfloat(v[4], <=, peak_storage * (1 + 1e-12));
    memcpy(last, v, sizeof v);
    if (i + 2 == n) {
      g_assert_cmpstr(f[1], ==, "end");
      last_kwh = lines[i] + strlen(lines[i]) - strlen(f[10]);
    }
  }
  JsonObject *cost = json_object_get_object_member(s, "cost_usd");
  assert_close(last[0], json_object_get_double_member(s, "total_time_s"), 1e-6, "timeline end vs total_time_s");
  assert_close(last[5], member_or(cost, "compute", 0), CENT, "timeline usd_compute vs summary");
  assert_close(last[6], member_or(cost, "host", 0), CENT, "timeline usd_host vs summary");
  assert_close(last[7], member_or(cost, "storage", 0), CENT, "timeline usd_storage vs summary");
  assert_close(last[8], member_or(cost, "network", 0), CENT, "timeline usd_network vs summary");
  assert_close(last[9], json_object_get_double_member(cost, "total"), CENT, "timeline usd_total vs summary");
  JsonObject *energy = json_object_get_object_member(s, "energy");
  if (json_object_get_null_member(energy, "kwh"))
    g_assert_cmpstr(last_kwh, ==, ""); /* unknown in the summary, empty in the timeline */
  else
    assert_close(last[10], json_object_get_double_member(energy, "kwh"), 1e-9, "timeline energy_kwh vs summary");
}

typedef struct {
  const char *name, *ph, *kind;
  double ts, end;
  gint64 tid;
} Ev;

/* The phase column agrees with the trace: a row strictly inside a run of steps reads "train", inside a
 * checkpoint write "checkpoint", inside a restart "restart", inside an evaluation "eval" (not the label of
 * what ended before). */
static void
check_labels(const char *name, const char *csv, GArray *spans)
{
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], ",", 3);
    double us = g_ascii_strtod(f[0], NULL) * 1e6;
    for (guint k = 0; k < spans->len; k++) {
      const Ev *e = &g_array_index(spans, Ev, k);
      if (strcmp(e->ph, "X") != 0 || !(us > e->ts + 1 && us < e->end - 1)) /* 1 us: rounding */
        continue;
      const char *want = g_str_has_prefix(e->name, "steps ") ? "train"
                         : strcmp(e->kind, "checkpoint") == 0 || strcmp(e->kind, "restart") == 0 ||
                               strcmp(e->kind, "eval") == 0
                           ? e->kind
                           : NULL;
      if (want != NULL && strcmp(f[1], want) != 0)
        g_error("%s: timeline.csv at %s s reads \"%s\" inside the trace's \"%s\" [%g s, %g s]", name, f[0], f[1],
                e->name, e->ts / 1e6, e->end / 1e6);
    }
  }
}

/* trace.json: every phase of the summary is a span of the trace; a span that holds another comes before it
 * in the file; the cost counter's last value is the summary's. */
static void
check_trace(const char *name, const char *text, const char *csv, JsonObject *s)
{
  g_autoptr(JsonParser) parser = json_parser_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
  g_assert_no_error(error);
  JsonArray *events = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)),
                                                   "traceEvents");
  guint n = json_array_get_length(events);
  g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(Ev));
  g_autoptr(GArray) open = g_array_new(FALSE, FALSE, sizeof(guint)); /* indices into spans of open "B" */
  double usd[4] = {0, 0, 0, 0};
  g_autoptr(GArray) costs = g_array_new(FALSE, FALSE, sizeof(double)); /* cost counter: ts, total, ... */
  double last_counter_ts = -1;
  double last_kwh = -1, last_kwh_ts = -1; /* the energy counter: none while the energy is unknown */
  for (guint i = 0; i < n; i++) {
    JsonObject *e = json_array_get_object_element(events, i);
    const char *ph = json_object_get_string_member(e, "ph");
    Ev ev = {json_object_get_string_member(e, "name"), ph,
             json_object_has_member(e, "cat") ? json_object_get_string_member(e, "cat") : "",
             json_object_get_double_member(e, "ts"), 0, json_object_get_int_member(e, "tid")};
    if (strcmp(ph, "X") == 0) {
      ev.end = ev.ts + json_object_get_double_member(e, "dur");
      g_array_append_val(spans, ev);
    } else if (strcmp(ph, "B") == 0) {
      ev.end = INFINITY;
      g_array_append_val(spans, ev);
      guint idx = spans->len - 1;
      g_array_append_val(open, idx);
    } else if (strcmp(ph, "E") == 0) {
      g_assert_cmpuint(open->len, >, 0);
      Ev *b = &g_array_index(spans, Ev, g_array_index(open, guint, open->len - 1));
      g_assert_cmpstr(b->name, ==, ev.name);
      g_assert_cmpint(b->tid, ==, ev.tid);
      b->end = ev.ts;
      g_array_set_size(open, open->len - 1);
    } else if (strcmp(ph, "C") == 0 && strcmp(ev.name, "cost (USD, cumulative)") == 0) {
      g_assert_cmpfloat(ev.ts, >, last_counter_ts);
      last_counter_ts = ev.ts;
      JsonObject *a = json_object_get_object_member(e, "args");
      static const char *const keys[] = {"compute", "host", "storage", "network"};
      double sum = 0;
      for (guint k = 0; k < 4; k++) {
        double v = json_object_get_double_member(a, keys[k]);
        g_assert_cmpfloat(v, >=, usd[k] - 1e-9 * usd[k]);
        usd[k] = v;
        sum += v;
      }
      double point[2] = {ev.ts, sum};
      g_array_append_vals(costs, point, 2);
    } else if (strcmp(ph, "C") == 0 && strcmp(ev.name, "energy (kWh, cumulative)") == 0) {
      g_assert_cmpfloat(ev.ts, >, last_kwh_ts);
      last_kwh_ts = ev.ts;
      double v = json_object_get_double_member(json_object_get_object_member(e, "args"), "kwh");
      g_assert_cmpfloat(v, >=, last_kwh);
      last_kwh = v;
    }
  }
  g_assert_cmpuint(open->len, ==, 0);
  /* The energy counter ends at the summary's energy.kwh, and is absent where that is null. */
  JsonObject *energy = json_object_get_object_member(s, "energy");
  if (json_object_get_null_member(energy, "kwh"))
    g_assert_cmpfloat(last_kwh, ==, -1);
  else
    assert_close(last_kwh, json_object_get_double_member(energy, "kwh"), 1e-9, "trace energy counter vs summary");
  /* A parent before its children: of two spans on one track where one holds the other and is longer, the
   * longer comes first when they start at the same instant (viewers nest equal starts by file order).  An
   * instant (a provisioning without startup time) ends as the next span begins: it holds nothing. */
  for (guint i = 0; i < spans->len; i++) {
    const Ev *a = &g_array_index(spans, Ev, i);
    for (guint j = i + 1; j < spans->len; j++) {
      const Ev *b = &g_array_index(spans, Ev, j);
      /* b's end is ts + dur, summed in doubles: equal ends may differ by a unit in the last place (1e-3 us). */
      if (a->tid == b->tid && a->ts == b->ts && a->end > a->ts && b->end > a->end + MAX(1e-3, 8 * DBL_EPSILON * a->end))
        g_error("%s: trace: \"%s\" [%g, %g] holds \"%s\" [%g, %g] but comes after it", name, b->name, b->ts, b->end,
                a->name, a->ts, a->end);
    }
  }
  /* Every phase of the summary is in the trace, at the same times. */
  JsonArray *phases = json_object_get_array_member(s, "phases");
  for (guint i = 0; i < json_array_get_length(phases); i++) {
    JsonObject *p = json_array_get_object_element(phases, i);
    const char *pname = json_object_get_string_member(p, "name");
    double start = json_object_get_double_member(p, "start_s") * 1e6, end = json_object_get_double_member(p, "end_s") * 1e6;
    gboolean found = FALSE;
    /* A nanosecond, or a few units in the last place of a double where that is coarser (a run of months in
     * microseconds: 1.9e13 us has a spacing of 0.004 us). */
    double tol_start = MAX(1e-3, 8 * DBL_EPSILON * fabs(start)), tol_end = MAX(1e-3, 8 * DBL_EPSILON * fabs(end));
    for (guint k = 0; k < spans->len && !found; k++) {
      const Ev *e = &g_array_index(spans, Ev, k);
      found = strcmp(e->name, pname) == 0 && fabs(e->ts - start) <= tol_start && fabs(e->end - end) <= tol_end;
    }
    if (!found)
      g_error("%s: phase \"%s\" [%g s, %g s] is not in the trace", name, pname, start / 1e6, end / 1e6);
    /* The cost counter moves with the spending: where a phase costs something, it moves inside it too, not
     * only at its ends. */
    double at_start = 0, at_end = 0;
    gboolean inside = FALSE;
    for (guint k = 0; k < costs->len / 2; k++) {
      const double *c = &g_array_index(costs, double, 2 * k);
      if (c[0] <= start)
        at_start = c[1];
      if (c[0] <= end)
        at_end = c[1];
      inside = inside || (c[0] > start && c[0] < end);
    }
    if (at_end > at_start + 1.0 && !inside)
      g_error("%s: the trace's cost goes from %g to %g USD over phase \"%s\" without moving inside it", name,
              at_start, at_end, pname);
  }
  check_labels(name, csv, spans);
  JsonObject *cost = json_object_get_object_member(s, "cost_usd");
  assert_close(usd[0], member_or(cost, "compute", 0), CENT, "trace compute vs summary");
  assert_close(usd[1], member_or(cost, "host", 0), CENT, "trace host vs summary");
  assert_close(usd[2], member_or(cost, "storage", 0), CENT, "trace storage vs summary");
  assert_close(usd[3], member_or(cost, "network", 0), CENT, "trace network vs summary");
}

static void
test_scenario(gconstpointer data)
{
  const char *path = data;
  g_autofree char *name = g_path_get_basename(path);
  g_autofree char *d1 = g_dir_make_tmp("trainsim-agree-XXXXXX", NULL);
  g_autofree char *d2 = g_dir_make_tmp("trainsim-agree-XXXXXX", NULL);
  run_with_outputs(path, d1, 7);
  run_with_outputs(path, d2, 7);
  for (guint i = 0; files[i] != NULL; i++) {
    gsize l1, l2;
    g_autofree char *a = read_in(d1, files[i], &l1);
    g_autofree char *b = read_in(d2, files[i], &l2);
    if (l1 != l2 || memcmp(a, b, l1) != 0)
      g_error("%s: %s differs between two runs with the same seed", name, files[i]);
  }
  g_autofree char *summary = read_in(d1, "summary.json", NULL);
  g_autoptr(JsonParser) sp = json_parser_new();
  g_autoptr(GError) error = NULL;
  g_assert_true(json_parser_load_from_data(sp, summary, -1, &error));
  g_assert_no_error(error);
  JsonObject *s = json_node_get_object(json_parser_get_root(sp));
  check_summary(name, s);
  g_autofree char *csv = read_in(d1, "timeline.csv", NULL);
  check_timeline(name, csv, s);
  g_autofree char *trace = read_in(d1, "trace.json", NULL);
  check_trace(name, trace, csv, s);
  remove_dir(d1);
  remove_dir(d2);
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *) a, *(char *const *) b);
}

static void
add_dir(GPtrArray *keep, const char *sub, const char *prefix)
{
  g_autofree char *dir = g_build_filename(TS_SOURCE_DIR, sub, NULL);
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *n;
  while ((n = g_dir_read_name(d)) != NULL)
    if (g_str_has_suffix(n, ".lua"))
      g_ptr_array_add(names, g_strdup(n));
  g_dir_close(d);
  g_ptr_array_sort(names, compare_strings);
  g_assert_cmpuint(names->len, >, 0);
  for (guint i = 0; i < names->len; i++) {
    const char *file = g_ptr_array_index(names, i);
    char *path = g_build_filename(dir, file, NULL);
    g_ptr_array_add(keep, path);
    g_autofree char *stem = g_strndup(file, strlen(file) - 4);
    g_autofree char *test = g_strdup_printf("/agree/%s/%s", prefix, stem);
    g_test_add_data_func(test, path, test_scenario);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
  add_dir(paths, "scenarios", "scenarios");
  add_dir(paths, "scenarios/validation", "validation");
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
