/* trainsim validate: every published run in scenarios/validation/ against the model (docs/validation.md).
 *
 * Each case is a scenario that also sets a global table
 *   published = { metric = "time_s" | "device_hours" | "throughput" | "step_time_s", value = N,
 *                 source = "...", note = "..." }
 * The script is run twice: once in a sandbox of its own with the real scenario API, only to read
 * `published` (the run function is never started), then as an ordinary simulation (ts_scenario_run).
 * Metrics, as predicted:
 *   time_s        wall time of the training phases (failures, checkpoints and evaluations included)
 *   device_hours  that wall time x accelerators
 *   throughput    samples (images, sequences) per second for the whole job, failure-free
 *   step_time_s   failure-free time of one optimizer step (the last train of the scenario)
 * Exit status: 0 when every case ran, 1 when any failed to run (or none was found). */
#include "cli/commands.h"
#include "cli/cli-options.h"
#include "cli/cli-print.h"

#include "catalog/catalog.h"
#include "common/install-dirs.h"
#include "common/ts-error.h"
#include "output/json-writer.h"
#include "scenario/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  char *path;
  char *name;
  char *metric;
  double published;
  char *source;
  char *note;
  char *stack_evidence; /* published.stack_evidence: the source's words that decide the stack */
  double predicted;
  double error; /* predicted / published - 1 */
  char *plugin, *generation, *workload, *sku;
  const char *stack; /* of the case's last training */
  gboolean stack_default;
  guint devices;
  char *failure; /* why the case did not run; NULL when it did */
} Case;

static void
case_free(gpointer p)
{
  Case *c = p;
  g_free(c->path);
  g_free(c->name);
  g_free(c->metric);
  g_free(c->source);
  g_free(c->note);
  g_free(c->stack_evidence);
  g_free(c->sku);
  g_free(c->plugin);
  g_free(c->generation);
  g_free(c->workload);
  g_free(c->failure);
  g_free(c);
}

static const char *const METRICS[] = {"time_s", "device_hours", "throughput", "step_time_s", NULL};

static char *
field_string(GHashTable *fields, const char *key)
{
  GVariant *v = g_hash_table_lookup(fields, key);
  return v != NULL && g_variant_is_of_type(v, G_VARIANT_TYPE_STRING) ? g_variant_dup_string(v, NULL) : NULL;
}

/* Pass 1: run the script's top level with the scenario API and read its `published` global. */
static gboolean
read_published(const TsRegistry *registry, Case *c, GError **error)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = c->path;
  g_autoptr(GHashTable) t = NULL;
  if (!ts_scenario_read_table(registry, &opts, "published", &t, error))
    return FALSE;
  if (t == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: no global table `published = { metric = ..., value = ..., "
                "source = ... }`", c->path);
    return FALSE;
  }
  c->metric = field_string(t, "metric");
  c->source = field_string(t, "source");
  c->note = field_string(t, "note");
  c->stack_evidence = field_string(t, "stack_evidence");
  GVariant *value = g_hash_table_lookup(t, "value");
  gboolean isnum = value != NULL && g_variant_is_of_type(value, G_VARIANT_TYPE_DOUBLE);
  c->published = isnum ? g_variant_get_double(value) : 0;
  gboolean known = FALSE;
  for (const char *const *m = METRICS; *m; m++)
    known = known || g_strcmp0(c->metric, *m) == 0;
  if (!known) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: published.metric: expected one of time_s, device_hours, "
                "throughput, step_time_s, got %s", c->path, c->metric ? c->metric : "nothing");
    return FALSE;
  }
  if (!isnum || !(c->published > 0) || !isfinite(c->published)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: published.value: expected a positive number", c->path);
    return FALSE;
  }
  if (c->source == NULL || c->source[0] == '\0') {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: published.source: every case names its source", c->path);
    return FALSE;
  }
  return TRUE;
}

/* Pass 2: the simulation. */
/* What the calibration file says of its own fit (tools/fit.py's summary): the figures a fold's refit gives, which
 * a run of the cases alone cannot (the cases above are predicted with constants fitted on them). */
static void
print_fit(const TsCalibrationSummary *fit)
{
  if (fit->cases == 0)
    return;
  g_autofree char *loo = isnan(fit->loo_median) ? g_strdup("?") : g_strdup_printf("%.1f %%", 100 * fit->loo_median);
  g_autofree char *loo_max = isnan(fit->loo_max) ? g_strdup("?") : g_strdup_printf("%.1f %%", 100 * fit->loo_max);
  g_autofree char *lofo = isnan(fit->lofo_median) ? g_strdup("?") : g_strdup_printf("%.1f %%", 100 * fit->lofo_median);
  ts_cli_print(stdout, "the constants' fit (tools/fit.py, %u cases, %u constants): leave-one-out median %s, worst %s; "
               "leave-one-family-out median %s\n", fit->cases, fit->constants, loo, loo_max, lofo);
}

static void
write_fit_json(TsJsonWriter *w, const TsCalibrationSummary *fit)
{
  if (fit->cases == 0) {
    ts_json_null(w, "fit");
    return;
  }
  ts_json_begin_object(w, "fit");
  ts_json_int(w, "cases", fit->cases);
  ts_json_int(w, "constants", fit->constants);
  ts_json_number_or_null(w, "in_sample_median_abs_error", !isnan(fit->in_sample_median), fit->in_sample_median);
  ts_json_number_or_null(w, "loo_median_abs_error", !isnan(fit->loo_median), fit->loo_median);
  ts_json_number_or_null(w, "loo_max_abs_error", !isnan(fit->loo_max), fit->loo_max);
  ts_json_number_or_null(w, "lofo_median_abs_error", !isnan(fit->lofo_median), fit->lofo_median);
  ts_json_end_object(w);
}

static gboolean
predict(const TsRegistry *registry, Case *c, GError **error)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = c->path;
  TsRun *run = ts_scenario_run(registry, &opts, error);
  if (run == NULL)
    return FALSE;
  if (error != NULL && *error != NULL) {
    /* Infeasible: a run that happened cannot be out of memory; the model is wrong or the scenario is. */
    ts_run_free(run);
    return FALSE;
  }
  const TsResults *r = ts_run_get_results(run);
  gboolean ok = TRUE;
  if (!r->trained) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: the scenario never trains", c->path);
    ok = FALSE;
  } else if (g_strcmp0(c->metric, "time_s") == 0) {
    c->predicted = r->train_time_s;
  } else if (g_strcmp0(c->metric, "device_hours") == 0) {
    c->predicted = r->train_time_s * r->devices / 3600.0;
  } else if (g_strcmp0(c->metric, "throughput") == 0) {
    c->predicted = r->samples_per_s;
  } else {
    c->predicted = r->step_time_s;
  }
  c->devices = r->devices;
  c->stack = ts_stack_get_name(r->stack);
  c->stack_default = r->stack_default;
  const TsCluster *cluster = ts_run_get_cluster(run);
  const GPtrArray *models = ts_run_get_models(run);
  if (cluster != NULL && cluster->accel.record != NULL) {
    const TsMachineGroup *a = &cluster->accel;
    c->plugin = g_strdup(a->plugin ? a->plugin->name : NULL);
    c->generation = g_strdup(a->record->generation);
    c->sku = g_strdup(a->record->sku);
  }
  if (models->len > 0)
    c->workload = g_strdup(ts_workload_get_name(((TsModel *) g_ptr_array_index(models, 0))->workload));
  if (ok && !(c->predicted > 0 && isfinite(c->predicted))) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: predicted %s is not a positive number", c->path, c->metric);
    ok = FALSE;
  }
  if (ok)
    c->error = c->predicted / c->published - 1.0;
  ts_run_free(run);
  return ok;
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static gint
compare_doubles(gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* scenarios/validation beside the working directory, else the installed cases (<prefix>/share/trainsim),
 * else beside the executable (build/trainsim). */
static char *
default_dir(void)
{
  const char *rel = "scenarios/validation";
  if (g_file_test(rel, G_FILE_TEST_IS_DIR))
    return g_strdup(rel);
  if (!ts_install_is_build_tree()) {
    g_autofree char *data = ts_install_get_data_dir();
    char *installed = g_build_filename(data, rel, NULL);
    if (g_file_test(installed, G_FILE_TEST_IS_DIR))
      return installed;
    g_free(installed);
  }
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  if (exe != NULL) {
    g_autofree char *bin = g_path_get_dirname(exe);
    for (int up = 0; up < 3; up++) {
      g_autofree char *cand = g_build_filename(bin, rel, NULL);
      if (g_file_test(cand, G_FILE_TEST_IS_DIR))
        return g_steal_pointer(&cand);
      char *parent = g_path_get_dirname(bin);
      g_free(bin);
      bin = parent;
    }
  }
  return g_strdup(rel);
}

static gboolean
list_dir(const char *dir, GPtrArray *paths, GError **error)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, error);
  if (d == NULL)
    return FALSE;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  const char *e;
  while ((e = g_dir_read_name(d)) != NULL)
    if (g_str_has_suffix(e, ".lua"))
      g_ptr_array_add(names, g_strdup(e));
  g_ptr_array_sort(names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add(paths, g_build_filename(dir, g_ptr_array_index(names, i), NULL));
  return TRUE;
}

static char *
format_value(const char *metric, double v)
{
  if (g_strcmp0(metric, "time_s") == 0) {
    if (v >= 86400 * 2)
      return g_strdup_printf("%.2f d", v / 86400);
    if (v >= 7200)
      return g_strdup_printf("%.2f h", v / 3600);
    if (v >= 120)
      return g_strdup_printf("%.1f min", v / 60);
    return g_strdup_printf("%.1f s", v);
  }
  if (g_strcmp0(metric, "device_hours") == 0)
    return v >= 1e6 ? g_strdup_printf("%.3f M dev-h", v / 1e6) : g_strdup_printf("%.0f dev-h", v);
  if (g_strcmp0(metric, "throughput") == 0)
    return g_strdup_printf("%.4g /s", v);
  return g_strdup_printf("%.4g s", v);
}

/* One case of `validate --json`: a prediction that failed has null where its numbers would be. */
static void
write_case_json(TsJsonWriter *w, const Case *c)
{
  ts_json_begin_object(w, NULL);
  ts_json_string(w, "name", c->name);
  ts_json_string(w, "metric", c->metric);
  if (c->published > 0)
    ts_json_number(w, "published", c->published);
  else
    ts_json_null(w, "published");
  if (c->failure == NULL) {
    ts_json_number(w, "predicted", c->predicted);
    ts_json_number(w, "error", c->error);
  } else {
    ts_json_null(w, "predicted");
    ts_json_null(w, "error");
  }
  ts_json_string(w, "plugin", c->plugin);
  ts_json_string(w, "generation", c->generation);
  ts_json_string(w, "sku", c->sku);
  ts_json_string(w, "workload", c->workload);
  ts_json_int(w, "devices", c->devices);
  ts_json_string(w, "source", c->source);
  ts_json_string(w, "stack", c->failure == NULL ? c->stack : NULL);
  if (c->failure == NULL)
    ts_json_bool(w, "stack_default", c->stack_default);
  else
    ts_json_null(w, "stack_default");
  ts_json_string(w, "stack_evidence", c->stack_evidence);
  ts_json_string(w, "path", c->path);
  ts_json_string(w, "failure", c->failure);
  ts_json_end_object(w);
}

int
ts_cli_validate(int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree char *dir = NULL;
  g_auto(GStrv) catalogs = NULL;
  GOptionEntry entries[] = {
    TS_CLI_JSON_ENTRY(&json, "Print {\"cases\": [...]} as JSON on stdout"),
    {"dir", 'd', 0, G_OPTION_ARG_FILENAME, &dir, "Directory of validation scenarios (default scenarios/validation)",
     "DIR"},
    TS_CLI_CATALOG_ENTRY(&catalogs), G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) ctx = g_option_context_new("[CASE.lua...] - compare the model with published training runs");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim validate: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add(paths, g_strdup(argv[i]));
  if (paths->len == 0) {
    if (dir == NULL)
      dir = default_dir();
    if (!list_dir(dir, paths, &error)) {
      ts_cli_print(stderr, "trainsim validate: %s\n", error->message);
      return TS_EXIT_ERROR;
    }
  }
  if (paths->len == 0) {
    ts_cli_print(stderr, "trainsim validate: no validation cases (*.lua) in %s\n", dir ? dir : "(none)");
    return TS_EXIT_ERROR;
  }

  TsRegistry *registry = ts_cli_registry_new((const char *const *) catalogs, TRUE);
  if (registry == NULL)
    return TS_EXIT_ERROR;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(case_free);
  guint failed = 0;
  g_autoptr(GArray) abs_errors = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < paths->len; i++) {
    Case *c = g_new0(Case, 1);
    c->path = g_strdup(g_ptr_array_index(paths, i));
    g_autofree char *base = g_path_get_basename(c->path);
    c->name = g_str_has_suffix(base, ".lua") ? g_strndup(base, strlen(base) - 4) : g_strdup(base);
    g_autoptr(GError) cerr = NULL;
    if (!read_published(registry, c, &cerr) || !predict(registry, c, &cerr)) {
      c->failure = g_strdup(cerr ? cerr->message : "unknown error");
      failed++;
    } else {
      double a = fabs(c->error);
      g_array_append_val(abs_errors, a);
    }
    g_ptr_array_add(cases, c);
  }
  g_array_sort(abs_errors, compare_doubles);
  double median = NAN, worst = NAN;
  if (abs_errors->len > 0) {
    guint n = abs_errors->len;
    median = n % 2 ? g_array_index(abs_errors, double, n / 2)
                   : 0.5 * (g_array_index(abs_errors, double, n / 2 - 1) + g_array_index(abs_errors, double, n / 2));
    worst = g_array_index(abs_errors, double, n - 1);
  }

  if (json) {
    GString *out = g_string_new(NULL);
    TsJsonWriter w;
    ts_json_writer_init(&w, out, TRUE);
    ts_json_begin_object(&w, NULL);
    ts_json_begin_array(&w, "cases");
    for (guint i = 0; i < cases->len; i++) {
      write_case_json(&w, g_ptr_array_index(cases, i));
    }
    ts_json_end_array(&w);
    ts_json_int(&w, "ran", (gint64) abs_errors->len);
    ts_json_int(&w, "failed", failed);
    if (abs_errors->len > 0) {
      ts_json_number(&w, "median_abs_error", median);
      ts_json_number(&w, "max_abs_error", worst);
    } else {
      ts_json_null(&w, "median_abs_error");
      ts_json_null(&w, "max_abs_error");
    }
    write_fit_json(&w, ts_registry_get_calibration_summary(registry));
    ts_json_end_object(&w);
    g_string_append_c(out, '\n');
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
  } else {
    ts_cli_print(stdout, "%-46s %-8s %-11s %-12s %14s %14s %9s\n", "case", "device", "workload", "metric", "published",
           "predicted", "error");
    for (guint i = 0; i < cases->len; i++) {
      Case *c = g_ptr_array_index(cases, i);
      g_autofree char *pub = c->published > 0 ? format_value(c->metric, c->published) : g_strdup("?");
      if (c->failure != NULL) {
        ts_cli_print(stdout, "%-46s %-8s %-11s %-12s %14s %14s %9s\n", c->name, c->generation ? c->generation : "?",
               c->workload ? c->workload : "?", c->metric ? c->metric : "?", pub, "-", "FAILED");
        continue;
      }
      g_autofree char *pred = format_value(c->metric, c->predicted);
      ts_cli_print(stdout, "%-46s %-8s %-11s %-12s %14s %14s %+8.1f%%\n", c->name, c->generation, c->workload, c->metric, pub,
             pred, 100.0 * c->error);
    }
    if (abs_errors->len > 0)
      ts_cli_print(stdout, "\n%u cases ran: median |error| %.1f %%, worst %.1f %%\n", abs_errors->len, 100.0 * median,
             100.0 * worst);
    print_fit(ts_registry_get_calibration_summary(registry));
    for (guint i = 0; i < cases->len; i++) {
      Case *c = g_ptr_array_index(cases, i);
      if (c->failure != NULL)
        ts_cli_print(stderr, "trainsim validate: %s failed: %s\n", c->name, c->failure);
    }
  }
  ts_registry_free(registry);
  return failed > 0 ? TS_EXIT_ERROR : TS_EXIT_OK;
}
