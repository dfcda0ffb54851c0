/* trainsim compare A.lua B.lua ...: the same run on alternatives, side by side (docs/outputs.md, "Compare") */
#include "cli/commands.h"

#include "cli/cli-number.h"
#include "common/ts-error.h"
#include "output/atomic-file.h"
#include "output/chart.h"
#include "output/json-writer.h"
#include "output/series.h"
#include "output/timeline-csv.h"
#include "scenario/scenario.h"
#include "units/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Prototypes until core/cli/commands.h carries them. */
int ts_cli_compare(int argc, char **argv);
gboolean ts_cli_use_color(FILE *f);

#define MAX_DIFFERENCES 6

typedef struct {
  char *path;
  char *name;       /* base name and its own --set values, made unique */
  char *label;      /* base name and its own --set values, before it was made unique */
  GPtrArray *sets;  /* "name=value": the --set given before any scenario, then this one's own; NULL-terminated */
  TsRun *run;       /* NULL on a scenario error */
  TsSeries *series;
  char *error;
  gboolean infeasible;
} Alt;

typedef struct {
  guint alt;
  const char *metric; /* JSON path: "cost_usd.total" */
  double base, value;
  double score;       /* |ln(value / base)|, or +inf for a change of feasibility */
  char *text;
} Difference;

static void
alt_clear(Alt *a)
{
  g_free(a->path);
  g_free(a->name);
  g_free(a->label);
  g_clear_pointer(&a->sets, g_ptr_array_unref);
  ts_run_free(a->run);
  ts_series_free(a->series);
  g_free(a->error);
}

static void
difference_clear(gpointer p)
{
  g_free(((Difference *) p)->text);
}

static const TsResults *
results(const Alt *a)
{
  return a->run ? ts_run_get_results(a->run) : NULL;
}

typedef enum { M_TIME, M_USD, M_BYTES } MetricKind;

typedef struct {
  const char *metric;
  const char *label; /* "device memory" */
  MetricKind kind;
  gsize offset;      /* into TsResults (double) */
} Metric;

static const Metric metrics[] = {
  {"total_time_s", "wall time", M_TIME, G_STRUCT_OFFSET(TsResults, total_time_s)},
  {"cost_usd.total", "cost", M_USD, G_STRUCT_OFFSET(TsResults, cost_total)},
  {"cost_usd.compute", "compute cost", M_USD, G_STRUCT_OFFSET(TsResults, cost_compute)},
  {"cost_usd.host", "host cost", M_USD, G_STRUCT_OFFSET(TsResults, cost_host)},
  {"cost_usd.storage", "storage cost", M_USD, G_STRUCT_OFFSET(TsResults, cost_storage)},
  {"cost_usd.network", "network cost", M_USD, G_STRUCT_OFFSET(TsResults, cost_network)},
  {"peak_memory_bytes.device", "peak device memory", M_BYTES, G_STRUCT_OFFSET(TsResults, peak_device)},
  {"peak_memory_bytes.host", "peak host memory", M_BYTES, G_STRUCT_OFFSET(TsResults, peak_host)},
  {"peak_memory_bytes.storage", "peak storage", M_BYTES, G_STRUCT_OFFSET(TsResults, peak_storage)},
};

/* The metric's value, NAN when the run does not model it. */
static double
metric_value(const TsResults *r, const Metric *m)
{
  if (r == NULL)
    return NAN;
  if (strcmp(m->metric, "cost_usd.storage") == 0 && !r->storage_cost_modelled)
    return NAN;
  if (strcmp(m->metric, "cost_usd.network") == 0 && !r->network_cost_modelled)
    return NAN;
  return *(const double *) ((const char *) r + m->offset);
}

static char *
format_metric(MetricKind kind, double v)
{
  if (isnan(v))
    return g_strdup("not modelled");
  switch (kind) {
  case M_TIME: return ts_format_duration(v);
  case M_USD: return ts_format_usd(v);
  case M_BYTES: return ts_format_bytes(v);
  }
  return NULL;
}

static char *
difference_text(const Alt *a, const Alt *base, const Metric *m, double bv, double v)
{
  double ratio = v / bv;
  g_autofree char *delta = format_metric(m->kind, fabs(v - bv));
  g_autofree char *vs = format_metric(m->kind, v);
  g_autofree char *bs = format_metric(m->kind, bv);
  switch (m->kind) {
  case M_TIME:
    return g_strdup_printf("%s takes %s %s than %s (%s vs %s, %.2fx)", a->name, delta, v > bv ? "longer" : "less",
                           base->name, vs, bs, ratio);
  case M_USD:
    return g_strdup_printf("%s: %s %s %s than %s (%s vs %s, %.2fx)", a->name, m->label, delta,
                           v > bv ? "more" : "less", base->name, vs, bs, ratio);
  case M_BYTES:
    return g_strdup_printf("%s: %s %s vs %s for %s (%.2fx)", a->name, m->label, vs, bs, base->name, ratio);
  }
  return NULL;
}

static int
cmp_difference(gconstpointer pa, gconstpointer pb)
{
  const Difference *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  if (a->alt != b->alt)
    return a->alt < b->alt ? -1 : 1;
  return strcmp(a->metric, b->metric);
}

static const char *
first_problem(const Alt *a)
{
  if (a->error)
    return a->error;
  const GPtrArray *d = a->run ? ts_run_get_diagnostics(a->run) : NULL;
  for (guint i = 0; d && i < d->len; i++) {
    const TsDiagnostic *x = g_ptr_array_index(d, i);
    if (x->severity == TS_SEVERITY_ERROR)
      return x->message;
  }
  return "";
}

/* The largest differences from the first alternative: changes of feasibility, then the largest ratios. */
static GArray *
differences(Alt *alts, guint n)
{
  GArray *diffs = g_array_new(FALSE, TRUE, sizeof(Difference));
  g_array_set_clear_func(diffs, difference_clear);
  const Alt *base = &alts[0];
  const TsResults *br = results(base);
  for (guint i = 1; i < n; i++) {
    const Alt *a = &alts[i];
    const TsResults *ar = results(a);
    if (br == NULL || ar == NULL)
      continue;
    if (br->feasible != ar->feasible) {
      Difference d = {i, "feasible", br->feasible, ar->feasible, INFINITY, NULL};
      d.text = g_strdup_printf("%s is %s, %s is %s%s%s", a->name, ar->feasible ? "feasible" : "infeasible",
                               base->name, br->feasible ? "feasible" : "infeasible",
                               ar->feasible ? "" : ": ", ar->feasible ? "" : first_problem(a));
      g_array_append_val(diffs, d);
    }
    for (guint k = 0; k < G_N_ELEMENTS(metrics); k++) {
      double bv = metric_value(br, &metrics[k]), v = metric_value(ar, &metrics[k]);
      if (!(bv > 0) || !(v > 0) || !isfinite(bv) || !isfinite(v))
        continue;
      double score = fabs(log(v / bv));
      if (score < log(1.01)) /* within 1 %: not a difference worth a line */
        continue;
      /* Nor is a change too small to matter next to the whole: a cent of storage in a 70 USD run, a few
       * MiB of a 340 GiB host. */
      double scale = metrics[k].kind == M_USD   ? MAX(br->cost_total, ar->cost_total)
                     : metrics[k].kind == M_TIME ? 0
                     : k == 6                    ? MAX(br->device_capacity, ar->device_capacity)
                     : k == 7                    ? MAX(br->host_capacity, ar->host_capacity)
                                                 : MAX(br->storage_capacity, ar->storage_capacity);
      if (fabs(v - bv) < 0.01 * scale || (metrics[k].kind == M_USD && fabs(v - bv) < 0.01))
        continue;
      Difference d = {i, metrics[k].metric, bv, v, score, difference_text(a, base, &metrics[k], bv, v)};
      g_array_append_val(diffs, d);
    }
  }
  g_array_sort(diffs, cmp_difference);
  if (diffs->len > MAX_DIFFERENCES)
    g_array_set_size(diffs, MAX_DIFFERENCES);
  return diffs;
}

/* ---- outputs -------------------------------------------------------------------------------------------- */

static void
json_number_or_null(TsJsonWriter *w, const char *key, double v)
{
  if (isfinite(v))
    ts_json_number(w, key, v);
  else
    ts_json_null(w, key);
}

static const char *
alt_status(const Alt *a)
{
  return a->run == NULL ? "error" : results(a)->feasible ? "ok" : "infeasible";
}

static char *
to_json(Alt *alts, guint n, GArray *diffs, guint64 seed, char **sets)
{
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, TRUE);
  ts_json_begin_object(&w, NULL);
  ts_json_int(&w, "schema_version", 1);
  ts_json_string(&w, "trainsim_version", TS_VERSION);
  ts_json_string(&w, "kind", "compare");
  ts_json_string(&w, "baseline", alts[0].name);
  ts_json_int(&w, "seed", (gint64) seed);
  ts_json_begin_array(&w, "sets");
  for (char **s = sets; s && *s; s++)
    ts_json_string(&w, NULL, *s);
  ts_json_end_array(&w);
  ts_json_begin_array(&w, "alternatives");
  for (guint i = 0; i < n; i++) {
    const Alt *a = &alts[i];
    const TsResults *r = results(a);
    ts_json_begin_object(&w, NULL);
    ts_json_string(&w, "scenario", a->name);
    ts_json_begin_array(&w, "sets");
    for (guint k = 0; k + 1 < a->sets->len; k++)
      ts_json_string(&w, NULL, g_ptr_array_index(a->sets, k));
    ts_json_end_array(&w);
    ts_json_begin_object(&w, "parameters");
    const GPtrArray *params = a->run ? ts_run_get_info(a->run)->params : NULL;
    for (guint k = 0; params && k < params->len; k++) {
      const TsParam *p = g_ptr_array_index(params, k);
      ts_json_raw(&w, p->name, p->value_json ? p->value_json : "null");
    }
    ts_json_end_object(&w);
    ts_json_string(&w, "status", alt_status(a));
    ts_json_string(&w, "error", a->error);
    if (r != NULL)
      ts_json_bool(&w, "feasible", r->feasible);
    else
      ts_json_null(&w, "feasible");
    json_number_or_null(&w, "total_time_s", metric_value(r, &metrics[0]));
    ts_json_begin_object(&w, "cost_usd");
    const char *cost_keys[] = {"total", "compute", "host", "storage", "network"};
    for (guint k = 0; k < 5; k++)
      json_number_or_null(&w, cost_keys[k], metric_value(r, &metrics[1 + k]));
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "peak_memory_bytes");
    json_number_or_null(&w, "device", r && r->peak_device > 0 ? r->peak_device : NAN);
    json_number_or_null(&w, "device_capacity", r && r->device_capacity > 0 ? r->device_capacity : NAN);
    json_number_or_null(&w, "host", r && r->peak_host > 0 ? r->peak_host : NAN);
    json_number_or_null(&w, "host_capacity", r && r->host_capacity > 0 ? r->host_capacity : NAN);
    json_number_or_null(&w, "storage", r ? r->peak_storage : NAN);
    json_number_or_null(&w, "storage_capacity", r && r->storage_capacity > 0 ? r->storage_capacity : NAN);
    ts_json_end_object(&w);
    ts_json_begin_object(&w, "training");
    gboolean t = r != NULL && r->trained;
    json_number_or_null(&w, "steps", t ? (double) r->steps : NAN);
    json_number_or_null(&w, "step_time_s", t ? r->step_time_s : NAN);
    json_number_or_null(&w, "mfu", t ? r->mfu : NAN);
    ts_json_end_object(&w);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_begin_array(&w, "differences");
  for (guint i = 0; i < diffs->len; i++) {
    const Difference *d = &g_array_index(diffs, Difference, i);
    ts_json_begin_object(&w, NULL);
    ts_json_string(&w, "scenario", alts[d->alt].name);
    ts_json_string(&w, "metric", d->metric);
    if (strcmp(d->metric, "feasible") == 0) {
      ts_json_bool(&w, "baseline_value", d->base != 0);
      ts_json_bool(&w, "value", d->value != 0);
      ts_json_null(&w, "ratio");
    } else {
      ts_json_number(&w, "baseline_value", d->base);
      ts_json_number(&w, "value", d->value);
      ts_json_number(&w, "ratio", d->value / d->base);
    }
    ts_json_string(&w, "text", d->text);
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);
  ts_json_end_object(&w);
  return g_string_free(out, FALSE);
}

static char *
to_csv(Alt *alts, guint n)
{
  GString *o = g_string_new("scenario,status,feasible,total_time_s,cost_total,cost_compute,cost_host,"
                            "cost_storage,cost_network,peak_device_bytes,peak_host_bytes,peak_storage_bytes,error\n");
  for (guint i = 0; i < n; i++) {
    const Alt *a = &alts[i];
    const TsResults *r = results(a);
    ts_csv_append_text(o, a->name);
    g_string_append_printf(o, ",%s,%s", alt_status(a), r ? (r->feasible ? "true" : "false") : "");
    for (guint k = 0; k < G_N_ELEMENTS(metrics); k++) {
      g_string_append_c(o, ',');
      ts_csv_append_number(o, metric_value(r, &metrics[k]));
    }
    g_string_append_c(o, ',');
    ts_csv_append_text(o, a->error);
    g_string_append_c(o, '\n');
  }
  return g_string_free(o, FALSE);
}

static gboolean
add_chart(TsAtomicSet *set, Alt *alts, guint n, const char *dir, GError **error)
{
  GString *sub = g_string_new(NULL);
  for (guint i = 0; i < n; i++) {
    const TsResults *r = results(&alts[i]);
    g_autofree char *t = r ? ts_format_duration(r->total_time_s) : g_strdup("error");
    g_autofree char *c = r ? ts_format_usd(r->cost_total) : g_strdup("-");
    g_string_append_printf(sub, "%s%s: %s, %s%s", i ? " · " : "", alts[i].name, t, c,
                           r && !r->feasible ? " (infeasible)" : "");
  }
  g_autoptr(TsPlot) plot = ts_plot_new("compare: cumulative cost and device memory over time", sub->str, 900, 640,
                                       TS_AXIS_DURATION, "time since the start of the run");
  g_string_free(sub, TRUE);
  guint pc = ts_plot_add_panel(plot, "cumulative cost", TS_AXIS_USD, 2);
  guint pm = ts_plot_add_panel(plot, "device memory, per device", TS_AXIS_BYTES, 1);
  for (guint i = 0; i < n; i++) {
    const Alt *a = &alts[i];
    if (a->run == NULL)
      continue;
    guint len = a->series->points->len;
    g_autofree double *x = g_new(double, MAX(len, 1));
    g_autofree double *c = g_new(double, MAX(len, 1));
    g_autofree double *m = g_new(double, MAX(len, 1));
    for (guint k = 0; k < len; k++) {
      const TsSeriesPoint *p = &g_array_index(a->series->points, TsSeriesPoint, k);
      x[k] = ts_time_to_seconds(p->time);
      c[k] = ts_series_point_total(p);
      m[k] = p->device_bytes;
    }
    guint32 color = ts_chart_palette(i);
    ts_plot_add_line(plot, pc, a->name, color, TS_LINE_LINEAR, x, c, len);
    ts_plot_add_line(plot, pm, NULL, color, TS_LINE_STEP, x, m, len);
  }
  g_autofree char *png = g_build_filename(dir, "compare.png", NULL);
  g_autofree char *svg = g_build_filename(dir, "compare.svg", NULL);
  return ts_plot_add_to_set(plot, set, png, svg, error);
}

static gboolean
write_outputs(Alt *alts, guint n, const char *json, const char *dir, GError **error)
{
  if (!ts_output_dir_ensure(dir, error))
    return FALSE;
  g_autofree char *csv = to_csv(alts, n);
  g_autofree char *pcsv = g_build_filename(dir, "compare.csv", NULL);
  g_autofree char *pjson = g_build_filename(dir, "compare.json", NULL);
  TsAtomicSet *set = ts_atomic_set_new(); /* all four files or none; compare.json last */
  if (!ts_atomic_set_add_bytes(set, pcsv, csv, strlen(csv), error) || !add_chart(set, alts, n, dir, error) ||
      !ts_atomic_set_add_bytes(set, pjson, json, strlen(json), error)) {
    ts_atomic_set_abort(set);
    return FALSE;
  }
  return ts_atomic_set_commit(set, error);
}

static void
print_table(Alt *alts, guint n, GArray *diffs, FILE *out, gboolean color)
{
  const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "", *reset = color ? "\033[0m" : "";
  fprintf(out, "%strainsim %s — compare%s (baseline: %s)\n\n", bold, TS_VERSION, reset, alts[0].name);
  const int label_w = 22;
  guint *w = g_newa(guint, n);
  for (guint i = 0; i < n; i++)
    w[i] = MAX(14, (guint) g_utf8_strlen(alts[i].name, -1));
  fprintf(out, "  %s%-*s", bold, label_w, "");
  for (guint i = 0; i < n; i++)
    fprintf(out, "  %*s", (int) w[i], alts[i].name);
  fprintf(out, "%s\n", reset);

  fprintf(out, "  %-*s", label_w, "feasible");
  for (guint i = 0; i < n; i++) {
    const TsResults *r = results(&alts[i]);
    const char *v = r == NULL ? "error" : r->feasible ? "yes" : "NO";
    fprintf(out, "  %s%*s%s", r && r->feasible ? "" : red, (int) w[i], v, r && r->feasible ? "" : reset);
  }
  fputc('\n', out);
  for (guint k = 0; k < G_N_ELEMENTS(metrics); k++) {
    fprintf(out, "  %-*s", label_w, metrics[k].label);
    for (guint i = 0; i < n; i++) {
      const TsResults *r = results(&alts[i]);
      g_autofree char *v = r ? format_metric(metrics[k].kind, metric_value(r, &metrics[k])) : g_strdup("-");
      fprintf(out, "  %*s", (int) w[i], v);
    }
    fputc('\n', out);
  }
  fprintf(out, "  %-*s", label_w, "device capacity");
  for (guint i = 0; i < n; i++) {
    const TsResults *r = results(&alts[i]);
    g_autofree char *v = r && r->device_capacity > 0 ? ts_format_bytes(r->device_capacity) : g_strdup("-");
    fprintf(out, "  %*s", (int) w[i], v);
  }
  fputc('\n', out);
  fprintf(out, "  %-*s", label_w, "MFU");
  for (guint i = 0; i < n; i++) {
    const TsResults *r = results(&alts[i]);
    g_autofree char *v = r && r->trained ? g_strdup_printf("%.1f %%", r->mfu * 100) : g_strdup("-");
    fprintf(out, "  %*s", (int) w[i], v);
  }
  fputc('\n', out);
  for (guint i = 0; i < n; i++)
    if (alts[i].error != NULL)
      fprintf(out, "\n  %s%s: %s%s", red, alts[i].name, alts[i].error, reset);
  if (diffs->len > 0) {
    fprintf(out, "\n  %slargest differences%s\n", bold, reset);
    for (guint i = 0; i < diffs->len; i++)
      fprintf(out, "    %s\n", g_array_index(diffs, Difference, i).text);
  } else if (n > 1) {
    fprintf(out, "\n  no difference above 1 %% from %s\n", alts[0].name);
  }
}

/* The entry of a command-line option ("--seed", "--seed=3", "-o"), or NULL. */
static const GOptionEntry *
find_entry(const GOptionEntry *entries, const char *arg)
{
  for (const GOptionEntry *e = entries; e->long_name != NULL; e++) {
    gsize n = strlen(e->long_name);
    if (arg[1] == '-' && strncmp(arg + 2, e->long_name, n) == 0 && (arg[2 + n] == '\0' || arg[2 + n] == '='))
      return e;
    if (arg[1] != '-' && e->short_name != 0 && arg[1] == e->short_name)
      return e;
  }
  return NULL;
}

/* `--set` applies to the scenario it follows, or to every scenario when it comes before the first one
 * (docs/cli.md): takes the --set options out of argv, in order, into `global` and into `own` (one
 * GPtrArray of "name=value" per scenario, in argv order).  The other options stay for GOption. */
static gboolean
split_sets(int *argc, char **argv, const GOptionEntry *entries, GPtrArray *global, GPtrArray *own, GError **error)
{
  int kept = 1;
  guint scenarios = 0;
  gboolean options_done = FALSE;
  for (int i = 1; i < *argc; i++) {
    const char *arg = argv[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') { /* a scenario ("-" is standard input) */
      scenarios++;
      g_ptr_array_add(own, g_ptr_array_new_with_free_func(g_free));
      argv[kept++] = argv[i];
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      options_done = TRUE;
      argv[kept++] = argv[i];
      continue;
    }
    const GOptionEntry *e = find_entry(entries, arg);
    gboolean inline_value = strchr(arg, '=') != NULL || (arg[1] != '-' && arg[2] != '\0');
    if (e == NULL || strcmp(e->long_name, "set") != 0) {
      argv[kept++] = argv[i];
      if (e != NULL && e->arg != G_OPTION_ARG_NONE && !inline_value && i + 1 < *argc)
        argv[kept++] = argv[++i]; /* the option's value is not a scenario */
      continue;
    }
    const char *value;
    if (inline_value)
      value = arg[1] == '-' ? strchr(arg, '=') + 1 : arg + 2;
    else if (i + 1 < *argc)
      value = argv[++i];
    else {
      g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "--set: expected NAME=VALUE after it");
      return FALSE;
    }
    GPtrArray *to = scenarios == 0 ? global : g_ptr_array_index(own, scenarios - 1);
    g_ptr_array_add(to, g_strdup(value));
  }
  argv[kept] = NULL;
  *argc = kept;
  return TRUE;
}

int
ts_cli_compare(int argc, char **argv)
{
  g_auto(GStrv) sets = NULL;
  gint64 seed = 0, max_instructions = -1;
  double cpu_limit = -1;
  g_autofree char *out_dir = NULL;
  gboolean json = FALSE, quiet = FALSE, unsafe = FALSE;
  GOptionEntry entries[] = {
    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
     "Override a param(): before the first scenario, in every scenario; after a scenario, in that one only",
     "NAME=VALUE"},
    TS_CLI_NUMBER_ENTRY("seed", 0, "Seed of every run (default 0)", "N"),
    {"out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Write compare.json, compare.csv and the chart here", "DIR"},
    {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the comparison as JSON on stdout", NULL},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL},
    {"unsafe", 0, 0, G_OPTION_ARG_NONE, &unsafe, "Run the scripts without the sandbox", NULL},
    TS_CLI_NUMBER_ENTRY("max-instructions", 0, "Script instruction budget (default 500000000)", "N"),
    TS_CLI_NUMBER_ENTRY("cpu-limit", 0, "Script CPU-time backstop in seconds (default 10)", "S"),
    G_OPTION_ENTRY_NULL};
  TsCliNumber numbers[] = {
    {"seed", 0, TRUE, 0, TS_CLI_MAX_SEED, FALSE, NULL, &seed},
    {"max-instructions", 0, TRUE, 0, TS_CLI_MAX_INSTRUCTIONS, TRUE, "instructions", &max_instructions},
    {"cpu-limit", 0, FALSE, 0, TS_CLI_MAX_CPU_LIMIT_S, TRUE, "seconds", &cpu_limit},
    {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  g_autoptr(GOptionContext) ctx =
    ts_cli_context_new("A.lua B.lua ... - the same run on alternatives, side by side", entries, numbers);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) global_sets = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) own_sets = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
  if (!split_sets(&argc, argv, entries, global_sets, own_sets, &error) ||
      !g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "trainsim compare: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  g_ptr_array_add(global_sets, NULL);
  if (argc < 3) {
    fprintf(stderr, "trainsim compare: expected two or more scenarios (see trainsim compare --help)\n");
    return TS_EXIT_ERROR;
  }
  if (unsafe)
    fprintf(stderr, "trainsim: warning: --unsafe: the scenarios run with the full Lua library and no limits\n");
  TsRegistry *registry = ts_registry_new(NULL, &error);
  if (registry == NULL) {
    fprintf(stderr, "trainsim: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  guint n = (guint) argc - 1;
  g_autofree char *source = NULL; /* `-`: standard input, read once */
  gsize source_len = 0;
  for (guint i = 0; i < n; i++) {
    if (!ts_cli_script_is_stdin(argv[i + 1]))
      continue;
    if (source != NULL) {
      fprintf(stderr, "trainsim compare: - (standard input) can be given once\n");
      ts_registry_free(registry);
      return TS_EXIT_ERROR;
    }
    source = ts_cli_read_stdin_script(&source_len, &error);
    if (source == NULL) {
      fprintf(stderr, "trainsim compare: %s\n", error->message);
      ts_registry_free(registry);
      return TS_EXIT_ERROR;
    }
  }
  Alt *alts = g_new0(Alt, n);
  int status = TS_EXIT_OK;
  for (guint i = 0; i < n; i++) {
    Alt *a = &alts[i];
    gboolean from_stdin = ts_cli_script_is_stdin(argv[i + 1]);
    a->path = g_strdup(from_stdin ? TS_CLI_STDIN_NAME : argv[i + 1]);
    /* Its --set values: those before the first scenario, then its own (given after it). */
    const GPtrArray *own = i < own_sets->len ? g_ptr_array_index(own_sets, i) : NULL;
    a->sets = g_ptr_array_new();
    for (guint k = 0; k + 1 < global_sets->len; k++)
      g_ptr_array_add(a->sets, g_ptr_array_index(global_sets, k));
    for (guint k = 0; own && k < own->len; k++)
      g_ptr_array_add(a->sets, g_ptr_array_index(own, k));
    g_ptr_array_add(a->sets, NULL);
    g_autofree char *base = g_path_get_basename(a->path);
    GString *label = g_string_new(base);
    for (guint k = 0; own && k < own->len; k++)
      g_string_append_printf(label, " %s", (const char *) g_ptr_array_index(own, k));
    a->label = g_string_free(label, FALSE);
    guint same = 0; /* two files of one name in different folders: "x.lua", "x.lua (2)" */
    for (guint k = 0; k < i; k++)
      same += strcmp(alts[k].label, a->label) == 0;
    a->name = same ? g_strdup_printf("%s (%u)", a->label, same + 1) : g_strdup(a->label);
    a->series = ts_series_new();
    TsSink sink = ts_series_sink(a->series);
    g_autoptr(GPtrArray) sinks = g_ptr_array_new();
    g_ptr_array_add(sinks, &sink);
    TsScenarioOptions opts;
    ts_scenario_options_init(&opts);
    opts.path = a->path;
    if (from_stdin) {
      opts.source = source;
      opts.source_len = source_len;
    }
    opts.sets = (const char *const *) a->sets->pdata;
    opts.limits.seed = (guint64) seed;
    opts.limits.unsafe = unsafe;
    if (max_instructions > 0)
      opts.limits.max_instructions = max_instructions;
    if (cpu_limit > 0)
      opts.limits.cpu_limit_s = cpu_limit;
    opts.sinks = sinks;
    g_autoptr(GError) err = NULL;
    a->run = ts_scenario_run(registry, &opts, &err);
    if (a->run == NULL) {
      a->error = g_strdup(err ? err->message : "unknown error");
      status = TS_EXIT_ERROR;
    } else if (err != NULL) {
      a->infeasible = TRUE;
    }
  }
  g_autoptr(GArray) diffs = differences(alts, n);
  g_autofree char *text = to_json(alts, n, diffs, (guint64) seed, (char **) global_sets->pdata);
  if (out_dir != NULL) {
    if (!write_outputs(alts, n, text, out_dir, &error)) {
      fprintf(stderr, "trainsim compare: %s\n", error->message);
      status = TS_EXIT_ERROR;
    }
  }
  if (json)
    fputs(text, stdout);
  else if (!quiet) {
    print_table(alts, n, diffs, stdout, ts_cli_use_color(stdout));
    if (out_dir != NULL && status == TS_EXIT_OK)
      printf("\n  written: %s/compare.json, compare.csv, compare.png, compare.svg\n", out_dir);
  }
  for (guint i = 0; i < n; i++) {
    if (alts[i].error != NULL)
      fprintf(stderr, "trainsim compare: %s: %s\n", alts[i].name, alts[i].error);
    alt_clear(&alts[i]);
  }
  g_free(alts);
  ts_registry_free(registry);
  return status;
}
