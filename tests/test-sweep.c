/* /sweep/... and /compare/...: value lists and ranges, the Pareto front, deadline and budget; the
 * `trainsim sweep` command end to end — formats, determinism across worker counts, variants that fail,
 * crash, hang or spin, the progress bar only on a terminal, interrupts, shards and `trainsim merge`
 * (byte-identical to an unsharded sweep), the 1,000-variant flagship sweep's speed; `trainsim compare`. */
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sweep/sweep.h"
#include "test-util.h"

static const char *trainsim;

static TestResult
run_cli(const char *const *args, const char *const *env_extra)
{
  return test_run_trainsim(trainsim, NULL, args, env_extra);
}

static JsonObject *
load_json(JsonParser *parser, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
  g_assert_no_error(error);
  JsonNode *root = json_parser_get_root(parser);
  g_assert_true(JSON_NODE_HOLDS_OBJECT(root));
  return json_node_get_object(root);
}

static void
assert_same_files(const char *d1, const char *d2, const char *const *names)
{
  for (const char *const *f = names; *f; f++) {
    gsize n1, n2;
    g_autofree char *a = test_read_file(d1, *f, &n1), *b = test_read_file(d2, *f, &n2);
    if (n1 != n2 || memcmp(a, b, n1) != 0)
      g_error("%s differs between %s and %s", *f, d1, d2);
  }
}

static const char *const sweep_files[] = {"sweep.csv", "sweep.json", "sweep.png", "sweep.svg", "report.html", NULL};

/* A copy of the flagship with a `mode` param that makes variants fail in each way a sweep must survive:
 * error() in the script, an endless Lua loop (the CPU limit stops it), and a backtracking pattern that
 * never returns to the interpreter (the sandbox's backstop ends the whole process with _exit). */
static char *
write_modes_scenario(const char *dir)
{
  g_autofree char *flagship = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *text = NULL;
  g_assert_true(g_file_get_contents(flagship, &text, NULL, NULL));
  g_autofree char *modes = g_strdup_printf(
    "local mode = param(\"mode\", \"ok\")\n"
    "if mode == \"error\" then error(\"this variant fails on purpose\") end\n"
    "if mode == \"loop\" then while true do end end\n"
    "if mode == \"bomb\" then string.find(string.rep(\"a\", 40), string.rep(\"a*\", 40) .. \"b\") end\n%s",
    text);
  char *path = g_build_filename(dir, "modes.lua", NULL);
  g_assert_true(g_file_set_contents(path, modes, -1, NULL));
  return path;
}

/* ---- values, ranges, variants ------------------------------------------------------------------------- */

static char *
expand(const char *list)
{
  g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  if (!ts_sweep_expand_values(list, v, &error))
    return g_strdup_printf("error: %s", error->message);
  g_ptr_array_add(v, NULL);
  return g_strjoinv(" ", (char **) v->pdata);
}

static void
test_ranges(void)
{
  const struct {
    const char *list, *values;
  } cases[] = {
    {"10..250:10", "10 20 30 40 50 60 70 80 90 100 110 120 130 140 150 160 170 180 190 200 210 220 230 240 250"},
    {"512..8192x2", "512 1024 2048 4096 8192"},
    {"1..4", "1 2 3 4"},
    {"0.1..0.5:0.1", "0.1 0.2 0.3 0.4 0.5"},
    {"1..10:4", "1 5 9"},
    {"100..1000x3", "100 300 900"},
    {"256, 1e3 ,4096.0", "256 1000 4096"},
    {"adam,lars,bf16", "adam lars bf16"},
    {"true,false", "true false"},
    {"64,128..512x2,1000", "64 128 256 512 1000"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = expand(cases[i].list);
    g_assert_cmpstr(got, ==, cases[i].values);
  }
  const struct {
    const char *list, *message;
  } bad[] = {
    {"10..5", "the end is below the start"},
    {"1..8x1", "a factor above 1"},
    {"0..8x2", "a start above 0"},
    {"a..b", "\"a\" is not a number"},
    {"1..10:0", "the step must be above 0"},
    {"1,,2", "an empty value"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *got = expand(bad[i].list);
    if (!g_str_has_prefix(got, "error: ") || strstr(got, bad[i].message) == NULL)
      g_error("%s: expected an error with \"%s\", got \"%s\"", bad[i].list, bad[i].message, got);
  }
}

static void
test_variants(void)
{
  g_autoptr(TsSweepSpec) spec = ts_sweep_spec_new("/some/where/x.lua", 42);
  g_assert_cmpstr(spec->scenario, ==, "x.lua");
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_sweep_spec_add_set(spec, "batch=512..4096x2", &error));
  g_assert_true(ts_sweep_spec_add_set(spec, "epochs=10,20,30", &error));
  g_assert_false(ts_sweep_spec_add_set(spec, "batch=1", &error)); /* twice */
  g_assert_nonnull(strstr(error->message, "already swept"));
  g_clear_error(&error);
  g_assert_false(ts_sweep_spec_add_set(spec, "novalues", &error));
  g_clear_error(&error);
  g_assert_cmpuint(spec->variants, ==, 12);
  /* The first --set varies slowest. */
  g_auto(GStrv) s0 = ts_sweep_spec_variant_sets(spec, 0);
  g_auto(GStrv) s1 = ts_sweep_spec_variant_sets(spec, 1);
  g_auto(GStrv) s11 = ts_sweep_spec_variant_sets(spec, 11);
  g_assert_cmpstr(s0[0], ==, "batch=512");
  g_assert_cmpstr(s0[1], ==, "epochs=10");
  g_assert_null(s0[2]);
  g_assert_cmpstr(s1[0], ==, "batch=512");
  g_assert_cmpstr(s1[1], ==, "epochs=20");
  g_assert_cmpstr(s11[0], ==, "batch=4096");
  g_assert_cmpstr(s11[1], ==, "epochs=30");

  /* Seeds: a function of the sweep's seed and the index only, distinct, exact in JSON. */
  g_autoptr(GHashTable) seen = g_hash_table_new(g_int64_hash, g_int64_equal);
  g_autofree gint64 *seeds = g_new(gint64, 1000);
  for (guint i = 0; i < 1000; i++) {
    seeds[i] = (gint64) ts_sweep_variant_seed(42, i);
    g_assert_cmpint(seeds[i], <, G_GINT64_CONSTANT(1) << 53);
    g_assert_cmpuint(ts_sweep_variant_seed(42, i), ==, (guint64) seeds[i]);
    g_assert_false(g_hash_table_contains(seen, &seeds[i]));
    g_hash_table_add(seen, &seeds[i]);
  }
  g_assert_cmpuint(ts_sweep_variant_seed(43, 0), !=, ts_sweep_variant_seed(42, 0));

  /* Shards partition the product. */
  g_assert_false(ts_sweep_spec_set_shard(spec, "0/3", &error));
  g_clear_error(&error);
  g_assert_false(ts_sweep_spec_set_shard(spec, "4/3", &error));
  g_clear_error(&error);
  guint hits[12] = {0};
  for (guint k = 1; k <= 5; k++) {
    g_autofree char *text = g_strdup_printf("%u/5", k);
    g_assert_true(ts_sweep_spec_set_shard(spec, text, &error));
    for (guint i = 0; i < 12; i++)
      hits[i] += ts_sweep_spec_in_shard(spec, i);
  }
  for (guint i = 0; i < 12; i++)
    g_assert_cmpuint(hits[i], ==, 1);
}

static void
add_row(TsSweepResult *res, guint64 index, TsVariantStatus status, double time, double cost)
{
  TsSweepRow row = {0};
  row.index = index;
  row.status = status;
  row.total_time_s = time;
  row.cost_total = row.cost_compute = cost;
  row.cost_host = row.cost_storage = row.cost_network = NAN;
  row.peak_device = row.device_capacity = row.peak_host = row.host_capacity = NAN;
  row.peak_storage = row.storage_capacity = NAN;
  if (status != TS_VARIANT_OK && status != TS_VARIANT_INFEASIBLE)
    row.error = g_strdup("failed");
  g_array_append_val(res->rows, row);
}

static const TsSweepRow *
row_of(const TsSweepResult *res, guint64 index)
{
  for (guint i = 0; i < res->rows->len; i++)
    if (g_array_index(res->rows, TsSweepRow, i).index == index)
      return &g_array_index(res->rows, TsSweepRow, i);
  g_error("no row %" G_GUINT64_FORMAT, index);
  return NULL;
}

static void
test_pareto(void)
{
  TsSweepSpec *spec = ts_sweep_spec_new("x.lua", 0);
  g_assert_true(ts_sweep_spec_add_set(spec, "v=0..9", NULL));
  g_autoptr(TsSweepResult) res = ts_sweep_result_new(spec);
  /* (time h, cost USD) */
  add_row(res, 0, TS_VARIANT_OK, 10, 100);        /* front: fastest */
  add_row(res, 1, TS_VARIANT_OK, 20, 50);         /* front */
  add_row(res, 2, TS_VARIANT_OK, 30, 50);         /* dominated by 1 (slower, same cost) */
  add_row(res, 3, TS_VARIANT_OK, 40, 20);         /* front: cheapest */
  add_row(res, 4, TS_VARIANT_OK, 25, 60);         /* dominated by 1 */
  add_row(res, 5, TS_VARIANT_OK, 20, 50);         /* same point as 1: on the front too */
  add_row(res, 6, TS_VARIANT_INFEASIBLE, 5, 1);   /* would dominate all, but does not fit */
  add_row(res, 7, TS_VARIANT_ERROR, NAN, NAN);
  add_row(res, 8, TS_VARIANT_CRASHED, NAN, NAN);
  add_row(res, 9, TS_VARIANT_OK, 10, 120);        /* dominated by 0 */
  ts_sweep_result_finish(res);
  const gboolean front[] = {TRUE, TRUE, FALSE, TRUE, FALSE, TRUE, FALSE, FALSE, FALSE, FALSE};
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint(row_of(res, i)->pareto, ==, front[i]);
  /* Sorted by cost: feasible, then infeasible, then failed. */
  const guint64 order[] = {3, 1, 5, 2, 4, 0, 9, 6, 7, 8};
  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint(g_array_index(res->rows, TsSweepRow, i).index, ==, order[i]);
  g_assert_null(res->recommendation);

  /* A deadline: the cheapest that finishes in time. */
  res->spec->deadline_s = 25;
  ts_sweep_result_finish(res);
  g_assert_true(row_of(res, 1)->recommended);
  g_assert_true(row_of(res, 4)->meets_deadline);
  g_assert_false(row_of(res, 2)->meets_deadline);
  g_assert_false(row_of(res, 6)->meets_deadline); /* infeasible never qualifies */
  g_assert_nonnull(strstr(res->recommendation, "cheapest variant that finishes within"));
  g_assert_nonnull(strstr(res->recommendation, "#1 v=1"));
  /* A budget alone: the fastest within it. */
  res->spec->deadline_s = NAN;
  res->spec->budget_usd = 60;
  ts_sweep_result_finish(res);
  g_assert_true(row_of(res, 1)->recommended);
  g_assert_false(row_of(res, 0)->meets_budget);
  g_assert_nonnull(strstr(res->recommendation, "fastest variant that costs at most 60 USD"));
  /* Both, unmeetable. */
  res->spec->deadline_s = 15;
  res->spec->budget_usd = 30;
  ts_sweep_result_finish(res);
  g_assert_cmpint(res->recommended, ==, -1);
  g_assert_nonnull(strstr(res->recommendation, "no feasible variant"));
}

/* ---- trainsim sweep ------------------------------------------------------------------------------------- */

static void
test_sweep_outputs(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  const char *args[] = {"sweep", path, "--set", "batch=1024..8192x2", "--set", "epochs=10..250:10", "--deadline",
                        "1h", "--out", dir, NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_assert_cmpstr(r.err, ==, ""); /* stderr is a pipe: no progress bar */
  g_assert_nonnull(strstr(r.out, "100 variants = 4 batch x 25 epochs"));
  g_assert_nonnull(strstr(r.out, "cheapest variant that finishes within 1 h"));
  g_assert_nonnull(strstr(r.out, "<- recommended"));

  /* CSV: a header and one row per variant, cheapest first. */
  g_autofree char *csv = test_read_file(dir, "sweep.csv", NULL);
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, 102);
  g_assert_cmpstr(lines[0], ==, "index,seed,batch,epochs,status,feasible,pareto,meets_deadline,recommended,"
                                "total_time_s,cost_total,cost_compute,cost_host,cost_storage,cost_network,"
                                "peak_device_bytes,device_capacity_bytes,peak_host_bytes,host_capacity_bytes,"
                                "peak_storage_bytes,storage_capacity_bytes,storage_per_host,energy_kwh,co2_kg,error");
  double last_cost = 0;
  for (guint i = 1; i <= 100; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], ",", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 25);
    g_assert_cmpstr(f[21], ==, "false"); /* a bucket: its peak is the whole storage's */
    g_assert_cmpfloat(g_ascii_strtod(f[22], NULL), >, 0); /* kWh and kg CO2e: a TPU v3 slice in us-central1 */
    g_assert_cmpfloat(g_ascii_strtod(f[23], NULL), >, 0);
    g_assert_cmpstr(f[4], ==, "ok");
    double cost = g_ascii_strtod(f[10], NULL);
    g_assert_cmpfloat(cost, >=, last_cost);
    last_cost = cost;
  }

  /* JSON: runs[] with the keys tools rely on. */
  g_autofree char *json = test_read_file(dir, "sweep.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = load_json(parser, json);
  g_assert_cmpstr(json_object_get_string_member(o, "kind"), ==, "sweep");
  g_assert_true(json_object_get_boolean_member(o, "complete"));
  g_assert_cmpint(json_object_get_int_member(o, "variants"), ==, 100);
  g_assert_cmpfloat(json_object_get_double_member(o, "deadline_s"), ==, 3600);
  JsonArray *runs = json_object_get_array_member(o, "runs");
  g_assert_cmpuint(json_array_get_length(runs), ==, 100);
  guint pareto = 0, meets = 0, recommended = 0;
  g_autoptr(GHashTable) indices = g_hash_table_new(NULL, NULL);
  for (guint i = 0; i < 100; i++) {
    JsonObject *run = json_array_get_object_element(runs, i);
    gint64 index = json_object_get_int_member(run, "index");
    g_assert_false(g_hash_table_contains(indices, GINT_TO_POINTER((int) index + 1)));
    g_hash_table_add(indices, GINT_TO_POINTER((int) index + 1));
    JsonObject *params = json_object_get_object_member(run, "parameters");
    gint64 batch = json_object_get_int_member(params, "batch");
    gint64 epochs = json_object_get_int_member(params, "epochs");
    g_assert_cmpint(batch, ==, 1024 << (index / 25));
    g_assert_cmpint(epochs, ==, 10 * (index % 25 + 1));
    g_assert_cmpfloat(json_object_get_double_member(run, "total_time_s"), >, 0);
    JsonObject *cost = json_object_get_object_member(run, "cost_usd");
    g_assert_cmpfloat(json_object_get_double_member(cost, "total"), >, 0);
    g_assert_true(json_object_has_member(cost, "compute"));
    g_assert_true(json_node_is_null(json_object_get_member(cost, "network"))); /* not modelled: null */
    /* The variant's energy, as its run's summary.json gives it: kg CO2e = kWh x us-central1's 412.72 g/kWh. */
    JsonObject *energy = json_object_get_object_member(run, "energy");
    double kwh = json_object_get_double_member(energy, "kwh");
    g_assert_cmpfloat(kwh, >, 0);
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(energy, "co2_kg"), kwh * 0.41272, 1e-9 * kwh);
    g_assert_true(json_object_get_boolean_member(run, "feasible"));
    g_assert_cmpstr(json_object_get_string_member(run, "status"), ==, "ok");
    pareto += json_object_get_boolean_member(run, "pareto");
    gboolean meets_d = json_object_get_boolean_member(run, "meets_deadline");
    g_assert_cmpint(meets_d, ==, json_object_get_double_member(run, "total_time_s") <= 3600);
    meets += meets_d;
    recommended += json_object_get_boolean_member(run, "recommended");
  }
  g_assert_cmpuint(pareto, >=, 1);
  g_assert_cmpuint(meets, >, 0);
  g_assert_cmpuint(meets, <, 100);
  g_assert_cmpuint(recommended, ==, 1);
  JsonObject *rec = json_object_get_object_member(o, "recommended");
  g_assert_nonnull(rec);
  g_assert_nonnull(strstr(json_object_get_string_member(rec, "reason"), "cheapest"));

  gsize n;
  g_autofree char *png = test_read_file(dir, "sweep.png", &n);
  g_assert_cmpint(memcmp(png, "\x89PNG", 4), ==, 0);
  g_autofree char *svg = test_read_file(dir, "sweep.svg", NULL);
  g_assert_nonnull(strstr(svg, "<svg"));
  g_assert_null(strstr(json, TS_SOURCE_DIR)); /* no host paths */
  g_assert_null(strstr(csv, TS_SOURCE_DIR));
  test_remove_dir(dir);
  test_result_clear(&r);
}

/* A sweep's worker runs its variants one after another in one Lua state, reset between them (scenario-worker.c):
 * every row is what a separate `trainsim run` of the variant gives (same seed, same --set), for variants of
 * tests/fixtures/worker-leaks.lua that try to leave state behind for the next one on the same worker, that error
 * half-way or pass the instruction budget, in a sweep over two workers. */
static void
test_sweep_same_as_runs(void)
{
  g_autofree char *script = g_build_filename(TS_SOURCE_DIR, "tests", "fixtures", "worker-leaks.lua", NULL);
  g_autofree char *dir = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  const char *args[] = {"sweep", script, "--set", "attack=0,1,0,2,0,3,0,4,0,5,0,6,0,7,0,8,0,9,0,10,0,12,0,13,0,14,0",
                        "--seed", "11", "--jobs", "2", "--max-instructions", "3000000", "--out", dir, "--quiet", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_autofree char *json = test_read_file(dir, "sweep.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonArray *runs = json_object_get_array_member(load_json(parser, json), "runs");
  g_assert_cmpuint(json_array_get_length(runs), ==, 27);
  guint ok = 0;
  for (guint i = 0; i < json_array_get_length(runs); i++) {
    JsonObject *row = json_array_get_object_element(runs, i);
    gint64 attack = json_object_get_int_member(json_object_get_object_member(row, "parameters"), "attack");
    g_autofree char *seed = g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(row, "seed"));
    g_autofree char *set = g_strdup_printf("attack=%" G_GINT64_FORMAT, attack);
    const char *run_args[] = {"run", script, "--seed", seed, "--set", set, "--max-instructions", "3000000", "--json",
                              NULL};
    TestResult one = run_cli(run_args, NULL);
    const char *status = json_object_get_string_member(row, "status");
    if (g_strcmp0(status, "ok") != 0) {
      /* The row's message is the run's, the script named by its base name. */
      const char *err = json_object_get_string_member(row, "error");
      g_assert_cmpint(one.status, !=, 0);
      assert_has(one.err, err);
      g_assert_true(attack == 9 || attack == 10);
    } else {
      g_assert_cmpint(one.status, ==, 0);
      g_autoptr(JsonParser) p1 = json_parser_new();
      JsonObject *summary = load_json(p1, one.out);
      g_assert_cmpfloat(json_object_get_double_member(row, "total_time_s"), ==,
                        json_object_get_double_member(summary, "total_time_s"));
      g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(row, "cost_usd"), "total"), ==,
                        json_object_get_double_member(json_object_get_object_member(summary, "cost_usd"), "total"));
      g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(row, "energy"), "kwh"), ==,
                        json_object_get_double_member(json_object_get_object_member(summary, "energy"), "kwh"));
      ok++;
    }
    test_result_clear(&one);
  }
  g_assert_cmpuint(ok, ==, 25);
  test_remove_dir(dir);
  test_result_clear(&r);
}

static void
test_sweep_jobs_determinism(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *d1 = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  g_autofree char *d3 = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  const char *a1[] = {"sweep", path, "--set", "batch=2048,4096", "--set", "epochs=1..30", "--seed", "5", "--budget",
                      "20USD", "--jobs", "1", "--out", d1, "--json", NULL};
  const char *a3[] = {"sweep", path, "--set", "batch=2048,4096", "--set", "epochs=1..30", "--seed", "5", "--budget",
                      "20USD", "--jobs", "3", "--out", d3, "--json", NULL};
  TestResult r1 = run_cli(a1, NULL), r3 = run_cli(a3, NULL);
  g_assert_cmpint(r1.status, ==, 0);
  g_assert_cmpint(r3.status, ==, 0);
  g_assert_cmpstr(r1.out, ==, r3.out); /* --json on stdout */
  assert_same_files(d1, d3, sweep_files);
  g_autofree char *json = test_read_file(d1, "sweep.json", NULL);
  g_assert_cmpstr(json, ==, r1.out);
  g_assert_nonnull(strstr(json, "fastest variant that costs at most 20 USD"));
  test_remove_dir(d1);
  test_remove_dir(d3);
  test_result_clear(&r1);
  test_result_clear(&r3);
}

static const char *
status_of(JsonArray *runs, const char *mode, gint64 epochs, const char **error)
{
  for (guint i = 0; i < json_array_get_length(runs); i++) {
    JsonObject *run = json_array_get_object_element(runs, i);
    JsonObject *p = json_object_get_object_member(run, "parameters");
    if (strcmp(json_object_get_string_member(p, "mode"), mode) == 0 &&
        json_object_get_int_member(p, "epochs") == epochs) {
      JsonNode *e = json_object_get_member(run, "error");
      *error = json_node_is_null(e) ? NULL : json_node_get_string(e);
      return json_object_get_string_member(run, "status");
    }
  }
  g_error("no run for mode=%s epochs=%" G_GINT64_FORMAT, mode, epochs);
  return NULL;
}

/* The runs of DIR's sweep.json, which must say the sweep is complete with N rows; PARSER keeps them. */
static JsonArray *
complete_runs(const char *dir, JsonParser *parser, guint n)
{
  g_autofree char *json = test_read_file(dir, "sweep.json", NULL);
  JsonObject *o = load_json(parser, json);
  g_assert_true(json_object_get_boolean_member(o, "complete"));
  JsonArray *runs = json_object_get_array_member(o, "runs");
  g_assert_cmpuint(json_array_get_length(runs), ==, n);
  return runs;
}

/* A worker that is gone when the parent hands it the next variant (its command pipe closed) is reaped there, and
 * its rows count: the sweep once waited forever for a row it already had (a bomb variant's worker ending between
 * the poll and the hand-out did it, now and then, on a loaded machine).  The fault hook's drop:0 makes the worker
 * of variant 0 stop taking work, report 0 and exit; the parent's next hand-out finds it gone, the variant it had
 * counted as started is reported as crashed, the rest run on a new worker. */
static void
test_sweep_worker_gone(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  g_autofree char *script = write_modes_scenario(tmp);
  g_autofree char *dir = g_build_filename(tmp, "out", NULL);
  const char *args[] = {"sweep", script, "--set", "mode=ok", "--set", "epochs=1..8", "--jobs", "1", "--timeout", "60",
                        "--out", dir, "--quiet", NULL};
  const char *env[] = {"TRAINSIM_SWEEP_FAULT", "drop:0", NULL};
  TestResult r = run_cli(args, env);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonArray *runs = complete_runs(dir, parser, 8);
  const char *err;
  g_assert_cmpstr(status_of(runs, "ok", 1, &err), ==, "ok");
  g_assert_cmpstr(status_of(runs, "ok", 2, &err), ==, "crashed");
  for (gint64 e = 3; e <= 8; e++)
    g_assert_cmpstr(status_of(runs, "ok", e, &err), ==, "ok");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

static void
test_sweep_failures(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  g_autofree char *script = write_modes_scenario(tmp);
  g_autofree char *dir = g_build_filename(tmp, "out", NULL);
  /* Variants 0..3 of mode=ok (epochs 1..4), then error, loop and bomb; the fault hook crashes the worker
   * running variant 1 (SIGSEGV) and hangs the one running variant 2 (the --timeout kills it). */
  const char *args[] = {"sweep", script, "--set", "mode=ok,error,loop,bomb", "--set", "epochs=1..4", "--jobs", "2",
                        "--cpu-limit", "0.3", "--timeout", "10", "--out", dir, "--quiet", NULL};
  const char *env[] = {"TRAINSIM_SWEEP_FAULT", "crash:1,hang:2", NULL};
  TestResult r = run_cli(args, env);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonArray *runs = complete_runs(dir, parser, 16); /* every variant has its row */
  const char *err;
  g_assert_cmpstr(status_of(runs, "ok", 1, &err), ==, "ok");
  g_assert_null(err);
  g_assert_cmpstr(status_of(runs, "ok", 4, &err), ==, "ok");
  g_assert_cmpstr(status_of(runs, "ok", 2, &err), ==, "crashed");
  g_assert_nonnull(strstr(err, "signal 11"));
  g_assert_cmpstr(status_of(runs, "ok", 3, &err), ==, "timeout");
  g_assert_nonnull(strstr(err, "timed out"));
  for (gint64 e = 1; e <= 4; e++) {
    g_assert_cmpstr(status_of(runs, "error", e, &err), ==, "error");
    g_assert_nonnull(strstr(err, "modes.lua:2: this variant fails on purpose"));
    g_assert_null(strstr(err, tmp)); /* the script's base name, not its path */
    g_assert_cmpstr(status_of(runs, "loop", e, &err), ==, "error");
    g_assert_nonnull(strstr(err, "CPU time limit"));
    /* The backtracking pattern is stopped by the sandbox's CPU backstop (_exit: "crashed"); on a 2-core machine
     * loaded by other tests the worker may not get its 2.3 CPU seconds within the 10 s wall-clock limit, and
     * then the timeout ends it first.  Either way the variant has its row and the sweep goes on. */
    const char *bomb = status_of(runs, "bomb", e, &err);
    if (g_strcmp0(bomb, "crashed") == 0) {
      g_assert_nonnull(strstr(err, "exited with status 1"));
      g_assert_nonnull(strstr(err, "inside a C function"));
    } else {
      g_assert_cmpstr(bomb, ==, "timeout");
    }
    g_assert_null(strstr(err, tmp));
  }
  JsonObject *counts = json_object_get_object_member(json_node_get_object(json_parser_get_root(parser)), "counts");
  g_assert_cmpint(json_object_get_int_member(counts, "ok"), ==, 2);
  g_assert_cmpint(json_object_get_int_member(counts, "error"), ==, 8);
  /* Variant 1 crashed and variant 2 timed out; each bomb did either (above). */
  g_assert_cmpint(json_object_get_int_member(counts, "crashed"), >=, 1);
  g_assert_cmpint(json_object_get_int_member(counts, "timeout"), >=, 1);
  g_assert_cmpint(json_object_get_int_member(counts, "crashed") + json_object_get_int_member(counts, "timeout"), ==,
                  6);
  /* The CSV carries the same rows, errors quoted where needed. */
  g_autofree char *csv = test_read_file(dir, "sweep.csv", NULL);
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, 18);
  test_remove_dir(tmp);
  test_result_clear(&r);
}

static void
test_sweep_all_fail(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  const char *args[] = {"sweep", path, "--set", "batchsize=1,2", "--quiet", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "every variant failed"));
  g_assert_nonnull(strstr(r.err, "declares no such param"));
  test_result_clear(&r);
  const char *bad[] = {"sweep", path, "--set", "epochs=10..1", NULL};
  r = run_cli(bad, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "the end is below the start"));
  test_result_clear(&r);
  const char *shard[] = {"sweep", path, "--set", "epochs=1,2", "--shard", "3/2", NULL};
  r = run_cli(shard, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "--shard 3/2"));
  test_result_clear(&r);
  const char *deadline[] = {"sweep", path, "--set", "epochs=1,2", "--deadline", "soon", NULL};
  r = run_cli(deadline, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "--deadline soon"));
  test_result_clear(&r);
}

/* run, sweep and compare share one option group (core/cli/cli-options.c): the simulation's limits reach every
 * variant of a sweep and every scenario of a comparison, and are range-checked alike. */
static void
test_shared_limits(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  const char *sweep[] = {"sweep", path, "--set", "epochs=1,2", "--horizon", "1 s", "--jobs", "1", "--quiet", NULL};
  TestResult r = run_cli(sweep, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "every variant failed"));
  g_assert_nonnull(strstr(r.err, "passed its horizon of 1.0 s"));
  test_result_clear(&r);
  const char *compare[] = {"compare", path, path, "--max-events", "1", "--quiet", NULL};
  r = run_cli(compare, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "event budget"));
  test_result_clear(&r);
  const char *commands[] = {"run", "sweep", "compare"};
  for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
    const char *bad[] = {commands[i], path, path, "--max-events", "0", NULL};
    r = run_cli(bad, NULL);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, "--max-events: expected an integer of events from 1"));
    test_result_clear(&r);
  }
}

static void
test_progress_bar(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  /* stderr a pipe: no bar. */
  const char *args[] = {"sweep", path, "--set", "epochs=1..40", "--jobs", "2", "--top", "1", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_assert_null(strstr(r.err, "sweep ["));
  g_assert_null(strchr(r.err, '\r'));
  g_assert_null(strstr(r.out, "sweep ["));
  test_result_clear(&r);

  /* A terminal (a pty from script(1)): the bar, redrawn in place. */
  g_autofree char *script = g_find_program_in_path("script");
  if (script == NULL) {
    g_test_skip("script(1) is not installed: no pty to test the bar on");
    return;
  }
  g_autofree char *cmd = g_strdup_printf("'%s' sweep '%s' --set epochs=1..40 --jobs 2 --top 1", trainsim, path);
  const char *argv[] = {script, "-qec", cmd, "/dev/null", NULL};
  const char *env[] = {"TERM", "xterm", NULL};
  r = test_spawn(NULL, argv, env);
  g_assert_cmpint(r.status, ==, 0);
  g_assert_nonnull(strstr(r.out, "sweep ["));
  g_assert_nonnull(strstr(r.out, "40/40 variants"));
  g_assert_nonnull(strchr(r.out, '\r'));
  g_assert_nonnull(strstr(r.out, "trainsim")); /* and the table after it */
  test_result_clear(&r);
}

/* The shards test's sweep: 4 x 20 variants, with or without --shard. */
static TestResult
run_shard_sweep(const char *path, const char *seed, const char *shard, const char *out)
{
  const char *args[] = {"sweep", path, "--set", "batch=1024..8192x2", "--set", "epochs=5..100:5", "--seed", seed,
                        "--deadline", "40 min", "--quiet", "--out", out, shard ? "--shard" : NULL, shard, NULL};
  return run_cli(args, NULL);
}

#if !defined(__SANITIZE_ADDRESS__) /* test_merge_memory's bound is not checked under AddressSanitizer */
/* Four shards of a 100,000-variant sweep (the flagship's batch=256..4096x2 x epochs=1..20000), made in this
 * process with whole-number results (which print fast), written as sweep.json only: what merge reads. */
static void
write_big_shards(const char *tmp, char **dirs)
{
  for (guint k = 1; k <= 4; k++) {
    TsSweepSpec *spec = ts_sweep_spec_new("simclr-tpu-v3-128.lua", 0);
    spec->scenario_sha256 = g_strnfill(64, 'c');
    g_assert_true(ts_sweep_spec_add_set(spec, "batch=256..4096x2", NULL));
    g_assert_true(ts_sweep_spec_add_set(spec, "epochs=1..20000", NULL));
    g_autofree char *shard = g_strdup_printf("%u/4", k);
    g_assert_true(ts_sweep_spec_set_shard(spec, shard, NULL));
    spec->deadline_s = 86400;
    g_autoptr(TsSweepResult) res = ts_sweep_result_new(spec);
    res->complete = TRUE;
    for (guint64 i = 0; i < spec->variants; i++) {
      if (!ts_sweep_spec_in_shard(spec, i))
        continue;
      guint64 b = i / 20000, e = i % 20000 + 1;
      double t = (double) (e * (60 + 7 * b)), c = (double) (e * (5 + b));
      TsSweepRow r = {i, ts_sweep_variant_seed(0, i), i % 11 == 5 ? TS_VARIANT_INFEASIBLE : TS_VARIANT_OK,
                      i % 11 == 5 ? g_strdup("out of memory") : NULL, t, c, c - 1, 1, 0, 0,
                      (double) (1u << 30), (double) (1u << 31), 4096, 8192, 0, 1e12, (double) e, (double) b,
                      NAN, NAN, {NAN, NAN, NAN}, {NAN, NAN, NAN}, FALSE, FALSE, FALSE, FALSE, 0};
      g_array_append_val(res->rows, r);
    }
    ts_sweep_result_finish(res);
    dirs[k - 1] = g_strdup_printf("%s/s%u", tmp, k);
    g_assert_cmpint(g_mkdir_with_parents(dirs[k - 1], 0755), ==, 0);
    g_autofree char *json = ts_sweep_result_to_json(res);
    g_autofree char *path = g_build_filename(dirs[k - 1], "sweep.json", NULL);
    g_assert_true(g_file_set_contents(path, json, -1, NULL));
  }
}
#endif

/* `trainsim merge` of 100,000 rows, report.html and the charts included, stays under 64 MiB of resident memory
 * (issue 18; docs/performance.md, section 6): it streams the shards' runs, writes sweep.csv and sweep.json as
 * they are made and bins the charts' markers.  The peak is the merge process's own (wait4), not the largest
 * child's so far.  Under AddressSanitizer the memory is mostly the sanitizer's, so the bound is not checked
 * there. */
static void
test_merge_memory(void)
{
#if defined(__SANITIZE_ADDRESS__)
  g_test_skip("peak memory under AddressSanitizer is the sanitizer's");
  return;
#else
  g_autofree char *tmp = g_dir_make_tmp("trainsim-merge-XXXXXX", NULL);
  char *dirs[4];
  write_big_shards(tmp, dirs);
  g_autofree char *out = g_build_filename(tmp, "merged", NULL);
  pid_t pid = fork();
  g_assert_cmpint(pid, >=, 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    execl(trainsim, trainsim, "merge", dirs[0], dirs[1], dirs[2], dirs[3], "--out", out, "--quiet", (char *) NULL);
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  g_assert_cmpint(wait4(pid, &status, 0, &ru), ==, pid);
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 0);
  g_test_message("merge of 100,000 rows: peak resident %ld KiB", ru.ru_maxrss);
  g_assert_cmpint(ru.ru_maxrss, <, 64 * 1024); /* KiB */
  /* All of it merged: 100,000 rows, the report's chart binned. */
  g_autofree char *csv = test_read_file(out, "sweep.csv", NULL);
  guint lines = 0;
  for (const char *p = csv; *p; p++)
    lines += *p == '\n';
  g_assert_cmpuint(lines, ==, 100001);
  g_autofree char *html = test_read_file(out, "report.html", NULL);
  assert_has(html, "Binned: the 100000 options are drawn as ");
  for (guint k = 0; k < 4; k++)
    g_free(dirs[k]);
  test_remove_dir(tmp);
#endif
}

static void
test_shards_merge(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *tmp = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  g_autofree char *whole = g_build_filename(tmp, "whole", NULL);
  g_autofree char *merged = g_build_filename(tmp, "merged", NULL);
  TestResult r = run_shard_sweep(path, "11", NULL, whole);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  char *shards[3];
  for (guint k = 1; k <= 3; k++) {
    shards[k - 1] = g_strdup_printf("%s/shard-%u", tmp, k);
    g_autofree char *spec = g_strdup_printf("%u/3", k);
    r = run_shard_sweep(path, "11", spec, shards[k - 1]);
    g_assert_cmpint(r.status, ==, 0);
    test_result_clear(&r);
    g_autofree char *sj = test_read_file(shards[k - 1], "sweep.json", NULL);
    g_autofree char *marker = g_strdup_printf("\"index\": %u,\n    \"count\": 3", k);
    g_assert_nonnull(strstr(sj, marker));
    g_autofree char *finished = g_strdup_printf("\"finished\": %u,", k == 3 ? 26 : 27);
    g_assert_nonnull(strstr(sj, finished));
  }
  /* In any order. */
  const char *m[] = {"merge", shards[2], shards[0], shards[1], "--out", merged, "--quiet", NULL};
  r = run_cli(m, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  assert_same_files(whole, merged, sweep_files);

  const char *missing[] = {"merge", shards[0], shards[2], NULL};
  r = run_cli(missing, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "shard 2/3 missing"));
  test_result_clear(&r);
  const char *twice[] = {"merge", shards[0], shards[1], shards[1], shards[2], NULL};
  r = run_cli(twice, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "given twice"));
  test_result_clear(&r);
  const char *not_shard[] = {"merge", whole, shards[0], NULL};
  r = run_cli(not_shard, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "not a shard"));
  test_result_clear(&r);
  /* A shard of another sweep (another seed). */
  g_autofree char *other = g_build_filename(tmp, "other", NULL);
  r = run_shard_sweep(path, "12", "2/3", other);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  const char *mixed[] = {"merge", shards[0], other, shards[2], NULL};
  r = run_cli(mixed, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "a shard of another sweep"));
  test_result_clear(&r);
  for (guint k = 0; k < 3; k++)
    g_free(shards[k]);
  test_remove_dir(tmp);
}

static void
test_sweep_interrupt(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  g_autofree char *script = write_modes_scenario(tmp);
  g_autofree char *dir = g_build_filename(tmp, "out", NULL);
  /* Five quick variants, then five that spin until stopped. */
  const char *argv[] = {trainsim, "sweep", script, "--set", "mode=ok,loop", "--set", "epochs=1..5", "--jobs", "2",
                        "--cpu-limit", "120", "--max-instructions", "1000000000000", "--out", dir, "--quiet", NULL};
  GPid pid;
  int err_fd;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_spawn_async_with_pipes(NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                         NULL, NULL, &err_fd, &error));
  g_assert_no_error(error);
  g_usleep(2500000);
  kill(pid, SIGINT);
  int status = 0;
  g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
  g_spawn_close_pid(pid);
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 130);
  char buf[2048] = {0};
  ssize_t n = read(err_fd, buf, sizeof buf - 1);
  close(err_fd);
  g_assert_cmpint(n, >, 0);
  /* The quick variants finished (all of them, unless the machine is very slow); the spinning ones did
   * not, and are not in the files. */
  g_autofree char *json = test_read_file(dir, "sweep.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = load_json(parser, json);
  g_assert_false(json_object_get_boolean_member(o, "complete"));
  gint64 finished = json_object_get_int_member(o, "finished");
  g_assert_cmpint(finished, >=, 1);
  g_assert_cmpint(finished, <=, 5);
  g_autofree char *message = g_strdup_printf("interrupted: %" G_GINT64_FORMAT " of 10 variants finished", finished);
  g_assert_nonnull(strstr(buf, message));
  g_assert_nonnull(strstr(buf, "marked incomplete"));
  JsonArray *runs = json_object_get_array_member(o, "runs");
  g_assert_cmpuint(json_array_get_length(runs), ==, (guint) finished);
  for (guint i = 0; i < (guint) finished; i++) {
    JsonObject *run = json_array_get_object_element(runs, i);
    g_assert_cmpstr(json_object_get_string_member(run, "status"), ==, "ok");
    g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(run, "parameters"), "mode"), ==,
                    "ok");
  }
  g_autofree char *csv = test_read_file(dir, "sweep.csv", NULL);
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, (guint) finished + 2); /* header, rows, final newline */
  g_autofree char *svg = test_read_file(dir, "sweep.svg", NULL);
  g_assert_nonnull(strstr(svg, "<svg"));
  test_remove_dir(tmp);
}

static void
test_sweep_write_failure(void)
{
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  const char *faults[] = {"enospc:100", "enospc:30000", "eacces", NULL};
  for (const char **f = faults; *f; f++) {
    const char *args[] = {"sweep", path, "--set", "epochs=1..6", "--out", dir, "--quiet", NULL};
    const char *env[] = {"TRAINSIM_FAULT", *f, NULL};
    TestResult r = run_cli(args, env);
    g_assert_cmpint(r.status, ==, 1);
    g_assert_nonnull(strstr(r.err, strcmp(*f, "eacces") == 0 ? "Permission denied" : "No space left on device"));
    GDir *d = g_dir_open(dir, 0, NULL);
    g_assert_nonnull(d);
    const char *left = g_dir_read_name(d);
    if (left != NULL)
      g_error("%s left %s behind", *f, left);
    g_dir_close(d);
    test_result_clear(&r);
  }
  test_remove_dir(dir);
}

static void
test_sweep_thousand(void)
{
  /* 1,000 variants of the flagship (4 batch sizes x 250 epoch counts) on 2 workers: every row written, the
   * Pareto front marked.  How fast is measured by bench/e2e (sweep), not here: a wall-clock bound failed
   * under sanitizers on a loaded machine without anything being wrong. */
  g_autofree char *path = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  const char *args[] = {"sweep", path, "--set", "batch=1024..8192x2", "--set", "epochs=1..250", "--jobs", "2",
                        "--out", dir, "--quiet", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_test_message("1,000-variant flagship sweep, --jobs 2: %.2f s", r.seconds);
  g_autofree char *csv = test_read_file(dir, "sweep.csv", NULL);
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, 1002);
  g_autofree char *json = test_read_file(dir, "sweep.json", NULL);
  g_assert_nonnull(strstr(json, "\"pareto\": true"));
  test_remove_dir(dir);
  test_result_clear(&r);
}

/* ---- trainsim compare ----------------------------------------------------------------------------------- */

/* A TPU v3-8 ResNet-50 run whose pricing is a parameter: on spot it is preempted (the catalog's rate) and
 * restarts from its epoch checkpoints, so its time and cost vary with the seed.  The replicas tests of sweep and
 * compare share it. */
static const char SPOT_SCRIPT[] =
  "local pricing = param('pricing', 'on-demand')\n"
  "local pod = cluster { accelerator = tpu { slice = 'v3-8', pricing = pricing } }\n"
  "local d = dataset { samples = 1281167, bytes = '148 GB' }\n"
  "run(pod, function(r)\n"
  "  r:provision(pod.accelerator)\n"
  "  r:train { model = models.resnet50, data = d, batch = 1024, epochs = 100, precision = 'bf16',\n"
  "            checkpoint = { every = '1 epochs', keep = 1 }, failures = { restart = '20 min' } }\n"
  "  r:release(pod.accelerator)\n"
  "end)\n";

/* --replicas N: each variant also runs N seeds and the deadline is judged at P90 of them; a variant's quantile
 * and its P10/P50/P90 are those `trainsim run --seed <its seed> --replicas N` reports (the draws with the model's band); without
 * failures it is the band's alone around the run's own time. */
static void
test_sweep_replicas(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-sweep-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "spot.lua", NULL);
  g_assert_true(g_file_set_contents(path, SPOT_SCRIPT, -1, NULL));
  const double deadline = 9.5 * 3600;
  const char *args[] = {"sweep", path, "--set", "pricing=on-demand,spot", "--deadline", "9.5 h", "--replicas", "30",
                        "--json", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = load_json(parser, r.out);
  g_assert_cmpint(json_object_get_int_member(o, "replicas"), ==, 30);
  g_assert_cmpstr(json_object_get_string_member(o, "quantile"), ==, "p90");
  assert_has(json_object_get_string_member(json_object_get_object_member(o, "recommended"), "reason"),
             "at P90 over 30 seeds");
  JsonArray *runs = json_object_get_array_member(o, "runs");
  g_assert_cmpuint(json_array_get_length(runs), ==, 2);
  for (guint i = 0; i < 2; i++) {
    JsonObject *row = json_array_get_object_element(runs, i);
    const char *pricing = json_object_get_string_member(json_object_get_object_member(row, "parameters"), "pricing");
    JsonObject *q = json_object_get_object_member(row, "quantile");
    double tq = json_object_get_double_member(q, "time_s");
    g_assert_true(json_object_get_boolean_member(row, "meets_deadline") == (tq <= deadline));
    /* Without failures the draws are all the run's own time: the model's band alone widens it. */
    if (strcmp(pricing, "on-demand") == 0)
      g_assert_cmpfloat(tq, >, json_object_get_double_member(row, "total_time_s"));
    /* Each variant: the same quantile as run --replicas with that variant's seed. */
    g_autofree char *seed = g_strdup_printf("%" G_GINT64_FORMAT, json_object_get_int_member(row, "seed"));
    g_autofree char *set = g_strdup_printf("pricing=%s", pricing);
    const char *run_args[] = {"run", path, "--set", set, "--seed", seed, "--replicas", "30", "--json", NULL};
    TestResult rr = run_cli(run_args, NULL);
    g_assert_cmpint(rr.status, ==, 0);
    g_autoptr(JsonParser) rp = json_parser_new();
    JsonObject *ro = load_json(rp, rr.out);
    JsonObject *p90 = json_object_get_object_member(json_object_get_object_member(ro, "quantiles"), "p90");
    g_assert_cmpfloat(json_object_get_double_member(p90, "time_s"), ==, tq);
    g_assert_cmpfloat(json_object_get_double_member(p90, "cost_usd"), ==, json_object_get_double_member(q, "cost_usd"));
    /* And its whole range, in summary.json's shape: P10, P50 and P90 of time and cost as run gives them. */
    JsonObject *mine = json_object_get_object_member(row, "quantiles");
    JsonObject *its = json_object_get_object_member(ro, "quantiles");
    static const char *const keys[] = {"p10", "p50", "p90"};
    for (guint k = 0; k < G_N_ELEMENTS(keys); k++)
      for (guint m = 0; m < 2; m++) {
        const char *what = m == 0 ? "time_s" : "cost_usd";
        double v = json_object_get_double_member(json_object_get_object_member(mine, keys[k]), what);
        g_assert_cmpfloat(v, ==, json_object_get_double_member(json_object_get_object_member(its, keys[k]), what));
        if (k > 0) { /* ordered */
          JsonObject *below = json_object_get_object_member(mine, keys[k - 1]);
          g_assert_cmpfloat(v, >=, json_object_get_double_member(below, what));
        }
      }
    test_result_clear(&rr);
  }
  test_result_clear(&r);
  const char *bad[] = {"sweep", path, "--set", "pricing=spot", "--replicas", "5", "--quantile", "70", NULL};
  r = run_cli(bad, NULL);
  g_assert_cmpint(r.status, ==, 1);
  assert_has(r.err, "--quantile: expected 50 or 90");
  test_result_clear(&r);
  test_remove_dir(dir);
}

/* compare --replicas N: each alternative's P10/P50/P90 are those `trainsim run --replicas N` gives it. */
static void
test_compare_replicas(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-compare-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "spot.lua", NULL);
  g_assert_true(g_file_set_contents(path, SPOT_SCRIPT, -1, NULL));
  const char *args[] = {"compare", path, "--set", "pricing=on-demand", path, "--set", "pricing=spot", "--replicas", "20",
                        "--json", NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = load_json(parser, r.out);
  JsonArray *alts = json_object_get_array_member(o, "alternatives");
  JsonObject *od = json_array_get_object_element(alts, 0), *spot = json_array_get_object_element(alts, 1);
  JsonObject *odq = json_object_get_object_member(od, "quantiles");
  double t = json_object_get_double_member(od, "total_time_s");
  /* No failures on demand: every draw is the run's own time, and the band alone spreads it around it. */
  g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(odq, "p10"), "time_s"), <, t);
  g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(odq, "p50"), "time_s"), ==, t);
  g_assert_cmpfloat(json_object_get_double_member(json_object_get_object_member(odq, "p90"), "time_s"), >, t);
  const char *run_args[] = {"run", path, "--set", "pricing=spot", "--replicas", "20", "--json", NULL};
  TestResult rr = run_cli(run_args, NULL);
  g_assert_cmpint(rr.status, ==, 0);
  g_autoptr(JsonParser) rp = json_parser_new();
  JsonObject *want = json_object_get_object_member(load_json(rp, rr.out), "quantiles");
  JsonObject *got = json_object_get_object_member(spot, "quantiles");
  const char *keys[] = {"p10", "p50", "p90"};
  for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
    JsonObject *a = json_object_get_object_member(want, keys[k]), *b = json_object_get_object_member(got, keys[k]);
    g_assert_cmpfloat(json_object_get_double_member(a, "time_s"), ==, json_object_get_double_member(b, "time_s"));
    g_assert_cmpfloat(json_object_get_double_member(a, "cost_usd"), ==, json_object_get_double_member(b, "cost_usd"));
  }
  test_result_clear(&rr);
  test_result_clear(&r);
  test_remove_dir(dir);
}

/* compare --deadline/--budget judge each alternative at the --quantile of its --replicas seeds, with the
 * sweep's rule: met when feasible and within the limit; the one to choose is the cheapest that meets a
 * deadline (the fastest within a budget alone).  The limits are picked from the alternatives' own quantiles
 * so that each outcome occurs: a deadline only on-demand meets, one both meet, a budget, the median. */
static JsonObject *
compare_limits(JsonParser *parser, TestResult *r, const char *path, const char *const *limits)
{
  const char *args[16] = {"compare", path, "--set", "pricing=on-demand", path, "--set", "pricing=spot",
                          "--replicas", "20", "--json"};
  gsize n = 10;
  for (const char *const *l = limits; *l != NULL; l++)
    args[n++] = *l;
  args[n] = NULL;
  *r = run_cli(args, NULL);
  g_assert_cmpint(r->status, ==, 0);
  return load_json(parser, r->out);
}

static double
alt_quantile(JsonObject *alt, const char *q, const char *key)
{
  return json_object_get_double_member(json_object_get_object_member(json_object_get_object_member(alt, "quantiles"),
                                                                     q), key);
}

static void
test_compare_deadline(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-compare-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "spot.lua", NULL);
  g_assert_true(g_file_set_contents(path, SPOT_SCRIPT, -1, NULL));
  TestResult r;
  g_autoptr(JsonParser) p0 = json_parser_new();
  const char *none[] = {NULL};
  JsonArray *alts = json_object_get_array_member(compare_limits(p0, &r, path, none), "alternatives");
  JsonObject *od = json_array_get_object_element(alts, 0), *spot = json_array_get_object_element(alts, 1);
  double od_t = alt_quantile(od, "p90", "time_s"), spot_t = alt_quantile(spot, "p90", "time_s");
  double od_c = alt_quantile(od, "p90", "cost_usd"), spot_c = alt_quantile(spot, "p90", "cost_usd");
  g_assert_true(json_object_get_null_member(json_array_get_object_element(alts, 0), "meets_deadline"));
  g_assert_cmpfloat(spot_t, >, od_t); /* interruptions cost time: the limits below rely on it */
  g_assert_cmpfloat(spot_c, <, od_c); /* and spot is still cheaper */
  test_result_clear(&r);

  /* A deadline between the two P90 times: only on-demand meets it, so it is chosen although spot is cheaper. */
  g_autofree char *between = g_strdup_printf("%.0f s", (od_t + spot_t) / 2);
  const char *l1[] = {"--deadline", between, NULL};
  g_autoptr(JsonParser) p1 = json_parser_new();
  JsonObject *o = compare_limits(p1, &r, path, l1);
  alts = json_object_get_array_member(o, "alternatives");
  g_assert_cmpstr(json_object_get_string_member(o, "quantile"), ==, "p90");
  g_assert_cmpfloat(json_object_get_double_member(o, "deadline_s"), ==, g_ascii_strtod(between, NULL));
  g_assert_true(json_object_get_boolean_member(json_array_get_object_element(alts, 0), "meets_deadline"));
  g_assert_false(json_object_get_boolean_member(json_array_get_object_element(alts, 1), "meets_deadline"));
  g_assert_true(json_object_get_boolean_member(json_array_get_object_element(alts, 0), "recommended"));
  g_assert_false(json_object_get_boolean_member(json_array_get_object_element(alts, 1), "recommended"));
  assert_has(json_object_get_string_member(o, "recommendation"), "cheapest alternative that finishes within");
  assert_has(json_object_get_string_member(o, "recommendation"), "at P90 over 20 seeds: spot.lua pricing=on-demand");
  test_result_clear(&r);

  /* A deadline both meet: the cheaper at P90 (spot).  The table says so too. */
  g_autofree char *after = g_strdup_printf("%.0f s", spot_t + 3600);
  const char *l2[] = {"--deadline", after, NULL};
  g_autoptr(JsonParser) p2 = json_parser_new();
  alts = json_object_get_array_member(compare_limits(p2, &r, path, l2), "alternatives");
  g_assert_true(json_object_get_boolean_member(json_array_get_object_element(alts, 1), "meets_deadline"));
  g_assert_true(json_object_get_boolean_member(json_array_get_object_element(alts, 1), "recommended"));
  g_assert_false(json_object_get_boolean_member(json_array_get_object_element(alts, 0), "recommended"));
  test_result_clear(&r);
  const char *table[] = {"compare", path, "--set", "pricing=on-demand", path, "--set", "pricing=spot", "--replicas",
                         "20", "--deadline", after, NULL};
  r = run_cli(table, NULL);
  g_assert_cmpint(r.status, ==, 0);
  assert_has(r.out, "meets deadline");
  assert_has(r.out, "cheapest alternative that finishes within");
  test_result_clear(&r);

  /* A budget alone between the two P90 costs: only spot is within it, and it is the fastest that is. */
  g_autofree char *budget = g_strdup_printf("%.2f USD", (od_c + spot_c) / 2);
  const char *l3[] = {"--budget", budget, NULL};
  g_autoptr(JsonParser) p3 = json_parser_new();
  o = compare_limits(p3, &r, path, l3);
  alts = json_object_get_array_member(o, "alternatives");
  g_assert_false(json_object_get_boolean_member(json_array_get_object_element(alts, 0), "meets_budget"));
  g_assert_true(json_object_get_boolean_member(json_array_get_object_element(alts, 1), "meets_budget"));
  g_assert_true(json_object_get_null_member(json_array_get_object_element(alts, 1), "meets_deadline"));
  assert_has(json_object_get_string_member(o, "recommendation"), "fastest alternative that costs at most");
  test_result_clear(&r);

  /* --quantile 50 judges the medians: a deadline at spot's P50 is met by spot there. */
  g_autofree char *median = g_strdup_printf("%.3f s", alt_quantile(spot, "p50", "time_s") + 1);
  const char *l4[] = {"--deadline", median, "--quantile", "50", NULL};
  g_autoptr(JsonParser) p4 = json_parser_new();
  o = compare_limits(p4, &r, path, l4);
  g_assert_cmpstr(json_object_get_string_member(o, "quantile"), ==, "p50");
  alts = json_object_get_array_member(o, "alternatives");
  g_assert_true(json_object_get_boolean_member(json_array_get_object_element(alts, 1), "meets_deadline"));
  test_result_clear(&r);

  /* The sweep's reading of the options: a bare number is refused, as is another quantile. */
  const char *bad[] = {"compare", path, path, "--deadline", "2", NULL};
  r = run_cli(bad, NULL);
  g_assert_cmpint(r.status, ==, 1);
  assert_has(r.err, "trainsim compare: --deadline 2: a duration needs its unit");
  test_result_clear(&r);
  const char *badq[] = {"compare", path, path, "--replicas", "3", "--quantile", "70", "--deadline", "1 d", NULL};
  r = run_cli(badq, NULL);
  g_assert_cmpint(r.status, ==, 1);
  assert_has(r.err, "--quantile: expected 50 or 90");
  test_result_clear(&r);
  test_remove_dir(dir);
}

/* Local disks each hold their share of a checkpoint (and a copy of the data), so a multi-node run's storage peak is
 * one host's, as summary.json's storage_per_host says; the sweep's and the comparison's outputs say it too, instead
 * of a per-host figure beside a whole-storage one with nothing to tell them apart. */
static char *
per_host_scenario(char **dir)
{
  *dir = g_dir_make_tmp("trainsim-per-host-XXXXXX", NULL);
  char *path = g_build_filename(*dir, "per-host.lua", NULL);
  g_assert_true(g_file_set_contents(
    path,
    "local nodes = param('nodes', 2)\n"
    "local box = cluster { accelerator = gpu { instance = 'p4d.24xlarge', nodes = nodes }, host = { disk = '8 TB' } }\n"
    "local corpus = dataset { name = 'tokens', samples = 5000000, bytes = '40 GB', kind = 'tokens', "
    "extracted = '40 GB', from = internet { bandwidth = '10 Gbit/s' } }\n"
    "run(box, function(r) r:provision(box.accelerator) r:download(corpus)\n"
    "  r:train { model = models.gpt { layers = 24, width = 2048, seq = 2048 }, data = corpus, batch = 256, "
    "micro_batch = 4, steps = 1000, precision = 'bf16', optimizer = 'adamw', checkpoint = { every = '500 steps' } }\n"
    "  r:release(box.accelerator) end)\n",
    -1, NULL));
  return path;
}

static void
assert_per_host(JsonObject *row, gboolean per_host)
{
  JsonObject *peaks = json_object_get_object_member(row, "peak_memory_bytes");
  g_assert_true(json_object_has_member(peaks, "storage_per_host"));
  g_assert_cmpint(json_object_get_boolean_member(peaks, "storage_per_host"), ==, per_host);
}

static void
test_sweep_storage_per_host(void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *script = per_host_scenario(&tmp);
  g_autofree char *whole = g_build_filename(tmp, "whole", NULL), *s1 = g_build_filename(tmp, "s1", NULL),
                  *s2 = g_build_filename(tmp, "s2", NULL), *merged = g_build_filename(tmp, "merged", NULL);
  const char *args[] = {"sweep", script, "--set", "nodes=1,2", "--jobs", "1", "--out", whole, "--quiet", NULL};
  const char *a1[] = {"sweep", script, "--set", "nodes=1,2", "--jobs", "1", "--shard", "1/2", "--out", s1, "--quiet", NULL};
  const char *a2[] = {"sweep", script, "--set", "nodes=1,2", "--jobs", "1", "--shard", "2/2", "--out", s2, "--quiet", NULL};
  const char *am[] = {"merge", s1, s2, "--out", merged, "--quiet", NULL};
  const char *const *all[] = {args, a1, a2, am};
  for (gsize i = 0; i < G_N_ELEMENTS(all); i++) {
    TestResult r = run_cli(all[i], NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_result_clear(&r);
  }
  const char *dirs[] = {whole, merged};
  for (gsize d = 0; d < G_N_ELEMENTS(dirs); d++) {
    g_autofree char *json = test_read_file(dirs[d], "sweep.json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonArray *runs = json_object_get_array_member(load_json(parser, json), "runs");
    g_assert_cmpuint(json_array_get_length(runs), ==, 2);
    for (guint i = 0; i < 2; i++) {
      JsonObject *row = json_array_get_object_element(runs, i);
      gint64 nodes = json_object_get_int_member(json_object_get_object_member(row, "parameters"), "nodes");
      assert_per_host(row, nodes > 1);
    }
    g_autofree char *csv = test_read_file(dirs[d], "sweep.csv", NULL);
    g_assert_nonnull(strstr(csv, ",storage_capacity_bytes,storage_per_host,"));
    g_assert_nonnull(strstr(csv, ",8000000000000,true,"));
    g_assert_nonnull(strstr(csv, ",8000000000000,false,"));
  }
  test_remove_dir(tmp);
}

static void
test_compare_storage_per_host(void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *script = per_host_scenario(&tmp);
  g_autofree char *out = g_build_filename(tmp, "out", NULL);
  const char *args[] = {"compare", script, "--set", "nodes=1", script, "--set", "nodes=2", "--out", out, NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  const char *row = strstr(r.out, "  peak storage ");
  g_assert_nonnull(row);
  g_autofree char *line = g_strndup(row, strcspn(row, "\n"));
  const char *first = strstr(line, " per host"); /* the two-node column's, and only it */
  g_assert_nonnull(first);
  g_assert_null(strstr(first + 1, " per host"));
  g_assert_nonnull(strstr(line, "GiB ")); /* the one-node column's figure is the whole disk's */
  g_autofree char *json = test_read_file(out, "compare.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonArray *alts = json_object_get_array_member(load_json(parser, json), "alternatives");
  assert_per_host(json_array_get_object_element(alts, 0), FALSE);
  assert_per_host(json_array_get_object_element(alts, 1), TRUE);
  g_autofree char *csv = test_read_file(out, "compare.csv", NULL);
  g_assert_nonnull(strstr(csv, ",peak_storage_bytes,storage_per_host,error\n"));
  g_autofree char *html = test_read_file(out, "report.html", NULL);
  g_assert_nonnull(strstr(html, " per host"));
  test_result_clear(&r);
  test_remove_dir(tmp);
}

static void
test_compare(void)
{
  g_autofree char *a = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *b = test_scenario_path("staged-provisioning.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-compare-XXXXXX", NULL);
  const char *args[] = {"compare", a, b, "--out", dir, NULL};
  TestResult r = run_cli(args, NULL);
  g_assert_cmpint(r.status, ==, 0);
  g_assert_nonnull(strstr(r.out, "baseline: simclr-tpu-v3-128.lua"));
  g_assert_nonnull(strstr(r.out, "staged-provisioning.lua"));
  g_assert_nonnull(strstr(r.out, "wall time"));
  g_assert_nonnull(strstr(r.out, "compute cost"));
  g_assert_nonnull(strstr(r.out, "peak device memory"));
  g_assert_nonnull(strstr(r.out, "largest differences"));
  g_autofree char *json = test_read_file(dir, "compare.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = load_json(parser, json);
  g_assert_cmpstr(json_object_get_string_member(o, "kind"), ==, "compare");
  JsonArray *alts = json_object_get_array_member(o, "alternatives");
  g_assert_cmpuint(json_array_get_length(alts), ==, 2);
  double cost[2];
  for (guint i = 0; i < 2; i++) {
    JsonObject *alt = json_array_get_object_element(alts, i);
    g_assert_true(json_object_get_boolean_member(alt, "feasible"));
    cost[i] = json_object_get_double_member(json_object_get_object_member(alt, "cost_usd"), "total");
    g_assert_cmpfloat(cost[i], >, 0);
  }
  /* The differences are called out, the largest first, with their ratios. */
  JsonArray *diffs = json_object_get_array_member(o, "differences");
  g_assert_cmpuint(json_array_get_length(diffs), >, 0);
  double last = INFINITY;
  gboolean cost_called_out = FALSE;
  for (guint i = 0; i < json_array_get_length(diffs); i++) {
    JsonObject *d = json_array_get_object_element(diffs, i);
    double ratio = json_object_get_double_member(d, "ratio");
    double score = fabs(log(ratio));
    g_assert_cmpfloat(score, <=, last + 1e-12);
    last = score;
    if (strcmp(json_object_get_string_member(d, "metric"), "cost_usd.total") == 0) {
      cost_called_out = TRUE;
      g_assert_cmpfloat_with_epsilon(ratio, cost[1] / cost[0], 1e-12);
    }
  }
  g_assert_true(cost_called_out);
  gsize n;
  g_autofree char *png = test_read_file(dir, "compare.png", &n);
  g_assert_cmpint(memcmp(png, "\x89PNG", 4), ==, 0);
  g_autofree char *csv = test_read_file(dir, "compare.csv", NULL);
  g_assert_true(g_str_has_prefix(csv, "scenario,status,feasible,total_time_s,cost_total,"));
  g_auto(GStrv) lines = g_strsplit(csv, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, 4);
  test_remove_dir(dir);
  test_result_clear(&r);

  /* A scenario that fails is shown as such; the others still compare; the exit status says so. */
  g_autofree char *tmp = g_dir_make_tmp("trainsim-compare-XXXXXX", NULL);
  g_autofree char *broken = g_build_filename(tmp, "broken.lua", NULL);
  g_assert_true(g_file_set_contents(broken, "error('not today')\n", -1, NULL));
  const char *args2[] = {"compare", a, broken, "--json", NULL};
  r = run_cli(args2, NULL);
  g_assert_cmpint(r.status, ==, 1);
  g_assert_nonnull(strstr(r.err, "broken.lua:1: not today"));
  g_autoptr(JsonParser) p2 = json_parser_new();
  JsonObject *o2 = load_json(p2, r.out);
  JsonArray *alts2 = json_object_get_array_member(o2, "alternatives");
  g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(alts2, 0), "status"), ==, "ok");
  g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(alts2, 1), "status"), ==, "error");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  trainsim = g_getenv("TRAINSIM");
  g_test_add_func("/sweep/values/ranges", test_ranges);
  g_test_add_func("/sweep/values/variants", test_variants);
  g_test_add_func("/sweep/pareto", test_pareto);
  if (trainsim != NULL) {
    g_test_add_func("/sweep/cli/outputs", test_sweep_outputs);
    g_test_add_func("/sweep/cli/jobs-determinism", test_sweep_jobs_determinism);
    g_test_add_func("/sweep/cli/same-as-runs", test_sweep_same_as_runs);
    g_test_add_func("/sweep/cli/failures", test_sweep_failures);
    g_test_add_func("/sweep/cli/worker-gone", test_sweep_worker_gone);
    g_test_add_func("/sweep/cli/usage", test_sweep_all_fail);
    g_test_add_func("/sweep/cli/shared-limits", test_shared_limits);
    g_test_add_func("/sweep/cli/progress", test_progress_bar);
    g_test_add_func("/sweep/cli/shards-merge", test_shards_merge);
    g_test_add_func("/sweep/cli/merge-memory", test_merge_memory);
    g_test_add_func("/sweep/cli/interrupt", test_sweep_interrupt);
    g_test_add_func("/sweep/cli/write-failure", test_sweep_write_failure);
    g_test_add_func("/sweep/cli/thousand-variants", test_sweep_thousand);
    g_test_add_func("/sweep/cli/replicas", test_sweep_replicas);
    g_test_add_func("/compare/cli", test_compare);
    g_test_add_func("/compare/cli/storage-per-host", test_compare_storage_per_host);
    g_test_add_func("/sweep/cli/storage-per-host", test_sweep_storage_per_host);
    g_test_add_func("/compare/cli/replicas", test_compare_replicas);
    g_test_add_func("/compare/cli/deadline", test_compare_deadline);
  }
  return g_test_run();
}
