/* trainsim compare A.lua B.lua ...: the same run on alternatives, side by side (docs/outputs.md, "Compare") */
#include "scenario/replicas.h"
#include "cli/commands.h"
#include "cli/cli-print.h"
#include "common/ts-text.h"

#include "cli/cli-limits.h"
#include "cli/cli-number.h"
#include "cli/cli-options.h"
#include "common/ts-error.h"
#include "scenario/scenario.h"
#include "sweep/compare.h"
#include "units/units.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* "meets deadline" and "within budget": each alternative judged as a sweep judges its variants. */
static void
print_limit_rows(const TsCompareAlt *alts, guint n, const TsCompareLimits *limits, const guint *w, int label_w,
                 FILE *out)
{
  for (int k = 0; k < 2; k++) {
    gboolean has = k == 0 ? !isnan(limits->deadline_s) : !isnan(limits->budget_usd);
    if (!has)
      continue;
    fprintf(out, "  %-*s", label_w, k == 0 ? "meets deadline" : "within budget");
    for (guint i = 0; i < n; i++) {
      const TsResults *r = ts_compare_alt_results(&alts[i]);
      gboolean yes = k == 0 ? alts[i].meets_deadline : alts[i].meets_budget;
      /* Without a result, or a price for a budget, there is nothing to judge. */
      const char *v = r == NULL || (k == 1 && isnan(r->cost_total)) ? "-" : yes ? "yes" : "no";
      fprintf(out, "  %*s", (int) w[i], v);
    }
    fputc('\n', out);
  }
}

/* A metric's cell; the storage peak of local disks is one host's (each holds its share), and says so. */
static char *
metric_cell(const TsResults *r, guint k)
{
  if (r == NULL)
    return g_strdup("-");
  const TsCompareMetric *m = &ts_compare_metrics[k];
  double v = ts_compare_metric_value(r, m);
  g_autofree char *text = ts_compare_format_metric(m->kind, v);
  if (r->storage_per_host && !isnan(v) && strcmp(m->metric, "peak_memory_bytes.storage") == 0)
    return g_strdup_printf("%s per host", text);
  return g_steal_pointer(&text);
}

static void
print_table(TsCompareAlt *alts, guint n, GArray *diffs, const TsCompareLimits *limits, FILE *out, gboolean color)
{
  const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "", *reset = color ? "\033[0m" : "";
  fprintf(out, "%strainsim %s — compare%s (baseline: %s)\n\n", bold, TS_VERSION, reset, alts[0].name);
  const int label_w = 22;
  guint *w = g_newa(guint, n);
  for (guint i = 0; i < n; i++) {
    w[i] = MAX(14, (guint) g_utf8_strlen(alts[i].name, -1));
    for (guint k = 0; k < TS_COMPARE_METRIC_COUNT; k++) {
      g_autofree char *v = metric_cell(ts_compare_alt_results(&alts[i]), k);
      w[i] = MAX(w[i], (guint) g_utf8_strlen(v, -1));
    }
  }
  fprintf(out, "  %s%-*s", bold, label_w, "");
  for (guint i = 0; i < n; i++)
    fprintf(out, "  %*s", (int) w[i], alts[i].name);
  fprintf(out, "%s\n", reset);

  fprintf(out, "  %-*s", label_w, "feasible");
  for (guint i = 0; i < n; i++) {
    const TsResults *r = ts_compare_alt_results(&alts[i]);
    const char *v = r == NULL ? "error" : r->feasible ? "yes" : "NO";
    fprintf(out, "  %s%*s%s", r && r->feasible ? "" : red, (int) w[i], v, r && r->feasible ? "" : reset);
  }
  fputc('\n', out);
  for (guint k = 0; k < TS_COMPARE_METRIC_COUNT; k++) {
    fprintf(out, "  %-*s", label_w, ts_compare_metrics[k].label);
    for (guint i = 0; i < n; i++) {
      g_autofree char *v = metric_cell(ts_compare_alt_results(&alts[i]), k);
      fprintf(out, "  %*s", (int) w[i], v);
    }
    fputc('\n', out);
  }
  fprintf(out, "  %-*s", label_w, "device capacity");
  for (guint i = 0; i < n; i++) {
    const TsResults *r = ts_compare_alt_results(&alts[i]);
    g_autofree char *v = r && r->device_capacity > 0 ? ts_format_bytes(r->device_capacity) : g_strdup("-");
    fprintf(out, "  %*s", (int) w[i], v);
  }
  fputc('\n', out);
  const struct {
    const char *label;
    gsize offset;
    gboolean usd;
  } quantiles[] = {
    {"wall time P50", G_STRUCT_OFFSET(TsReplicaStats, time_p50_s), FALSE},
    {"wall time P90", G_STRUCT_OFFSET(TsReplicaStats, time_p90_s), FALSE},
    {"cost P50", G_STRUCT_OFFSET(TsReplicaStats, cost_p50_usd), TRUE},
    {"cost P90", G_STRUCT_OFFSET(TsReplicaStats, cost_p90_usd), TRUE},
  };
  for (gsize k = 0; k < G_N_ELEMENTS(quantiles) && alts[0].rep.replicas > 1; k++) {
    fprintf(out, "  %-*s", label_w, quantiles[k].label);
    for (guint i = 0; i < n; i++) {
      double v = G_STRUCT_MEMBER(double, &alts[i].rep, quantiles[k].offset);
      g_autofree char *s = alts[i].rep.replicas < 2 ? g_strdup("-")
                           : quantiles[k].usd      ? ts_format_usd(v)
                                                   : ts_format_duration(v);
      fprintf(out, "  %*s", (int) w[i], s);
    }
    fputc('\n', out);
  }
  print_limit_rows(alts, n, limits, w, label_w, out);
  fprintf(out, "  %-*s", label_w, "MFU");
  for (guint i = 0; i < n; i++) {
    const TsResults *r = ts_compare_alt_results(&alts[i]);
    g_autofree char *v = r && r->trained ? g_strdup_printf("%.1f %%", r->mfu * 100) : g_strdup("-");
    fprintf(out, "  %*s", (int) w[i], v);
  }
  fputc('\n', out);
  for (guint i = 0; i < n; i++)
    if (alts[i].error != NULL) {
      g_autofree char *why = ts_text_escape(alts[i].error, -1, 0, TRUE); /* it may quote a path */
      fprintf(out, "\n  %s%s: %s%s", red, alts[i].name, why, reset);
    }
  if (diffs->len > 0) {
    fprintf(out, "\n  %slargest differences%s\n", bold, reset);
    for (guint i = 0; i < diffs->len; i++)
      fprintf(out, "    %s\n", g_array_index(diffs, TsCompareDifference, i).text);
  } else if (n > 1) {
    fprintf(out, "\n  no difference above 1 %% from %s\n", alts[0].name);
  }
  g_autoptr(GArray) break_evens = ts_compare_break_evens(alts, n);
  if (break_evens->len > 0) {
    fprintf(out, "\n  %sowning or renting%s\n", bold, reset);
    for (guint i = 0; i < break_evens->len; i++) {
      g_autofree char *t = ts_compare_break_even_text(alts, &g_array_index(break_evens, TsCompareBreakEven, i));
      fprintf(out, "    %s\n", t);
    }
  }
  if (limits->recommendation != NULL)
    fprintf(out, "\n  %s%s%s\n", bold, limits->recommendation, reset);
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

/* The sandbox's CPU backstop ends a process whose script is stuck inside a C function (_exit), and a bug
 * could crash it: so each alternative first runs in a child process.  TRUE when the child finished (with a
 * result or an ordinary error, which the run here reproduces); FALSE with *why when it died, so that this
 * alternative is reported as failed and the others are still compared. */
static gboolean
survives_in_child(const TsRegistry *registry, const TsScenarioOptions *opts, char **why)
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return TRUE; /* cannot isolate it: run it here as before */
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return TRUE;
  }
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, STDOUT_FILENO);
    TsScenarioOptions o = *opts;
    o.sinks = NULL; /* the series is the parent's */
    g_autoptr(GError) err = NULL;
    TsRun *run = ts_scenario_run(registry, &o, &err);
    ts_run_free(run);
    _exit(0);
  }
  close(fds[1]);
  GString *text = g_string_new(NULL);
  char buf[4096];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (text->len < 64 * 1024)
      g_string_append_len(text, buf, n);
  }
  close(fds[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
    g_string_free(text, TRUE);
    return TRUE;
  }
  /* The last line it wrote says why (the backstop's "CPU time limit ... inside a C function; stopping"). */
  g_strchomp(text->str);
  const char *last = strrchr(text->str, '\n');
  last = last ? last + 1 : text->str;
  if (WIFSIGNALED(st))
    *why = g_strdup_printf("the run crashed (signal %d, %s)%s%s", WTERMSIG(st), g_strsignal(WTERMSIG(st)),
                           last[0] ? ": " : "", last);
  else
    *why = g_strdup_printf("the run ended its process (exit status %d)%s%s", WEXITSTATUS(st), last[0] ? ": " : "",
                           last);
  g_string_free(text, TRUE);
  return FALSE;
}

/* Alternative i: its file, its --set values (global_sets, NULL-terminated, then `own`, those given after it; NULL
 * when none), its label (the file's name and its own values) and a name unique among the alternatives before it. */
static void
name_alt(TsCompareAlt *alts, guint i, const char *path, const GPtrArray *global_sets, const GPtrArray *own)
{
  TsCompareAlt *a = &alts[i];
  a->path = g_strdup(path);
  /* Its --set values: those before the first scenario, then its own (given after it). */
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
  /* The label is the file's name and its --set values, shown in the table: escaped like a scenario's name. */
  a->label = ts_text_escape(label->str, (gssize) label->len, 0, FALSE);
  g_string_free(label, TRUE);
  guint same = 0; /* two files of one name in different folders: "x.lua", "x.lua (2)" */
  for (guint k = 0; k < i; k++)
    same += strcmp(alts[k].label, a->label) == 0;
  a->name = same ? g_strdup_printf("%s (%u)", a->label, same + 1) : g_strdup(a->label);
}

/* The script given as `-` among the n scenarios, read from standard input (NULL when none is); FALSE, said on
 * stderr, when `-` is given twice or cannot be read. */
static gboolean
read_stdin_once(char **paths, guint n, char **source, gsize *source_len)
{
  g_autoptr(GError) error = NULL;
  for (guint i = 0; i < n; i++) {
    if (!ts_cli_script_is_stdin(paths[i]))
      continue;
    if (*source != NULL) {
      ts_cli_print(stderr, "trainsim compare: - (standard input) can be given once\n");
      return FALSE;
    }
    *source = ts_cli_read_stdin_script(source_len, &error);
    if (*source == NULL) {
      ts_cli_print(stderr, "trainsim compare: %s\n", error->message);
      return FALSE;
    }
  }
  return TRUE;
}

/* Each alternative run once with its series, in a child first (survives_in_child), then with --replicas N
 * seeds; TS_EXIT_ERROR when one of them failed (the others still compare). */
static int
run_alternatives(const TsRegistry *registry, TsCompareAlt *alts, guint n, char **paths, GPtrArray *global_sets,
                 GPtrArray *own_sets, const TsScenarioOptions *shared, const char *source, gsize source_len,
                 guint replicas)
{
  int status = TS_EXIT_OK;
  for (guint i = 0; i < n; i++) {
    TsCompareAlt *a = &alts[i];
    gboolean from_stdin = ts_cli_script_is_stdin(paths[i]);
    name_alt(alts, i, from_stdin ? TS_CLI_STDIN_NAME : paths[i], global_sets,
             i < own_sets->len ? g_ptr_array_index(own_sets, i) : NULL);
    a->series = ts_series_new();
    TsSink sink = ts_series_sink(a->series);
    g_autoptr(GPtrArray) sinks = g_ptr_array_new();
    g_ptr_array_add(sinks, &sink);
    TsScenarioOptions opts = *shared; /* the seed and the limits */
    opts.path = a->path;
    if (from_stdin) {
      opts.source = source;
      opts.source_len = source_len;
    }
    opts.sets = (const char *const *) a->sets->pdata;
    opts.sinks = sinks;
    g_autoptr(GError) err = NULL;
    g_autofree char *died = NULL;
    if (!survives_in_child(registry, &opts, &died)) {
      a->error = g_steal_pointer(&died);
      status = TS_EXIT_ERROR;
      continue;
    }
    a->run = ts_scenario_run(registry, &opts, &err);
    if (a->run == NULL) {
      a->error = g_strdup(err ? err->message : "unknown error");
      status = TS_EXIT_ERROR;
    } else if (err != NULL) {
      a->infeasible = TRUE;
    }
    if (a->run != NULL && replicas > 1) {
      opts.sinks = NULL;
      g_autoptr(GError) rerr = NULL;
      if (!ts_replicas_run(registry, &opts, (guint) replicas, &a->rep, &rerr)) {
        a->error = g_strdup(rerr->message);
        status = TS_EXIT_ERROR;
      }
    }
  }
  return status;
}

int
ts_cli_compare(int argc, char **argv)
{
  gint64 replicas = 1, quantile = 90;
  g_autofree char *deadline = NULL, *budget = NULL;
  const TsCliOutputHelp output = {"Write compare.json, compare.csv and the chart here",
                                  "Print the comparison as JSON on stdout", FALSE};
  GOptionEntry entries[] = {
    {"deadline", 0, 0, G_OPTION_ARG_STRING, &deadline,
     "Say which alternatives finish in time; name the cheapest that does", "TIME"},
    {"budget", 0, 0, G_OPTION_ARG_STRING, &budget,
     "Say which alternatives cost at most this; name the fastest (the cheapest with --deadline)", "USD"},
    TS_CLI_NUMBER_ENTRY("replicas", 0, "Also run each scenario with N seeds: P10/P50/P90 of time and cost, and "
                        "judge --deadline and --budget at --quantile of them", "N"),
    TS_CLI_NUMBER_ENTRY("quantile", 0, "With --replicas: the percentile judged, 50 or 90 (default 90)", "P"),
    G_OPTION_ENTRY_NULL};
  TsCliNumber numbers[] = {
    {"replicas", 0, TRUE, 1, 100000, FALSE, NULL, &replicas},
    {"quantile", 0, TRUE, 50, 90, FALSE, NULL, &quantile},
    {NULL, 0, FALSE, 0, 0, FALSE, NULL, NULL}};
  TsCompareLimits limits = {NAN, NAN, 1, 90, NULL};
  g_auto(TsCliScenarioArgs) args = {0};
  g_autoptr(GOptionContext) ctx = ts_cli_scenario_context_new(&args,
    "A.lua B.lua ... - the same run on alternatives, side by side",
    "Override a param(): before the first scenario, in every scenario; after a scenario, in that one only",
    "NAME=VALUE", "Seed of every run (default 0)", &output, entries, numbers);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) global_sets = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) own_sets = g_ptr_array_new_with_free_func((GDestroyNotify) g_ptr_array_unref);
  if (!split_sets(&argc, argv, (const GOptionEntry *) (void *) args.entries->data, global_sets, own_sets, &error) ||
      !g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim compare: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  g_ptr_array_add(global_sets, NULL);
  if (argc < 3) {
    ts_cli_print(stderr, "trainsim compare: expected two or more scenarios (see trainsim compare --help)\n");
    return TS_EXIT_ERROR;
  }
  if (!ts_cli_limits_parse("compare", deadline, budget, quantile, &limits.deadline_s, &limits.budget_usd))
    return TS_EXIT_ERROR;
  limits.replicas = (guint) replicas;
  limits.quantile = (guint) quantile;
  TsScenarioOptions shared;
  if (!ts_cli_scenario_args_apply(&args, &shared, &error)) {
    ts_cli_print(stderr, "trainsim compare: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  ts_cli_scenario_args_warn(&args, NULL);
  TsRegistry *registry = ts_cli_registry_new((const char *const *) args.catalogs, TRUE);
  if (registry == NULL)
    return TS_EXIT_ERROR;
  guint n = (guint) argc - 1;
  g_autofree char *source = NULL; /* `-`: standard input, read once */
  gsize source_len = 0;
  if (!read_stdin_once(argv + 1, n, &source, &source_len)) {
    ts_registry_free(registry);
    return TS_EXIT_ERROR;
  }
  TsCompareAlt *alts = g_new0(TsCompareAlt, n);
  int status = run_alternatives(registry, alts, n, argv + 1, global_sets, own_sets, &shared, source, source_len,
                                (guint) replicas);
  g_autoptr(GArray) diffs = ts_compare_differences(alts, n);
  ts_compare_judge(alts, n, &limits);
  g_autofree char *text = ts_compare_to_json(alts, n, diffs, (guint64) args.seed, (char **) global_sets->pdata,
                                             &limits);
  const char *out_dir = args.output.out_dir;
  if (out_dir != NULL) {
    if (!ts_compare_write_outputs(alts, n, text, out_dir, &error)) {
      ts_cli_print(stderr, "trainsim compare: %s\n", error->message);
      status = TS_EXIT_ERROR;
    }
  }
  if (args.output.json)
    fputs(text, stdout);
  else if (!args.output.quiet)
    print_table(alts, n, diffs, &limits, stdout, ts_cli_use_color(stdout));
  if (out_dir != NULL && status == TS_EXIT_OK && !args.output.quiet)
    ts_cli_print_written(out_dir, ts_compare_file_names, args.output.json);
  for (guint i = 0; i < n; i++) {
    if (alts[i].error != NULL)
      ts_cli_print(stderr, "trainsim compare: %s: %s\n", alts[i].name, alts[i].error);
    ts_compare_alt_clear(&alts[i]);
  }
  g_free(alts);
  g_free(limits.recommendation);
  ts_registry_free(registry);
  return status;
}
