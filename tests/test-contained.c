/* /contained/...: hostile or broken inputs outside the sandbox (issue 13, docs/testing.md "Limits"):
 * command-line limits, JSON nesting and size, tampered shards, concurrent writers, plugins.  Every case
 * runs the trainsim binary, under `timeout -s KILL`, and must end with exit 1 or 3 (never a signal) within
 * 10 s, with a message naming the file (and the line where there is one). */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"

static const char *trainsim;

/* trainsim with args under a 30 s SIGKILL backstop, env_extra as test_spawn. */
static TestResult
run_env(const char *const *args, const char *const *env_extra)
{
  static char *timeout_exe;
  if (timeout_exe == NULL)
    timeout_exe = g_find_program_in_path("timeout");
  g_assert_nonnull(timeout_exe);
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, timeout_exe);
  g_ptr_array_add(argv, (gpointer) "-s");
  g_ptr_array_add(argv, (gpointer) "KILL");
  g_ptr_array_add(argv, (gpointer) "30");
  g_ptr_array_add(argv, (gpointer) trainsim);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add(argv, (gpointer) *a);
  g_ptr_array_add(argv, NULL);
  return test_spawn(NULL, (const char *const *) argv->pdata, env_extra);
}

/* A refusal: exit 1 (or 3 when `infeasible_ok`), no signal, within 10 s, stderr holding `needle`. */
static void
assert_refused(TestResult *r, const char *needle)
{
  if (r->status != 1)
    g_error("expected exit 1, got %d (%.1f s)\nstdout: %s\nstderr: %s", r->status, r->seconds, r->out, r->err);
  g_assert_cmpfloat(r->seconds, <, 10);
  assert_has(r->err, needle);
}

static char *
write_temp(const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename(dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_file_set_contents(path, text, -1, &error);
  g_assert_no_error(error);
  return path;
}

static char *
nested(const char *before, guint depth, const char *after)
{
  GString *s = g_string_new(before);
  for (guint i = 0; i < depth; i++)
    g_string_append_c(s, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c(s, ']');
  g_string_append(s, after);
  return g_string_free(s, FALSE);
}

/* ---- JSON depth and size ----------------------------------------------------------------------------- */

/* A calibration entry out of its range (a stack's overlap 1.2, a generation's matmul efficiency 1.3) is set aside,
 * and a command that runs scenarios says so on stderr with the value given; the run itself goes on, its devices and
 * stack labelled uncalibrated.  `plugins` lists the refusal and prints no warning. */
static void
test_calibration_out_of_range_warns(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *cal = write_temp(tmp, "calibration.json",
                                    "{\"schema_version\": 2, \"stacks\": [{\"stack\": \"compiled\", \"overlap\": 1.2}],"
                                    " \"generations\": [{\"generation\": \"TPU v3\", \"matmul_efficiency\": 1.3,"
                                    " \"memory_efficiency\": 0.9}]}");
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *out = g_build_filename(tmp, "out", NULL);
  const char *env[] = {"TRAINSIM_CALIBRATION", cal, NULL};
  const char *a1[] = {"run", scenario, "--out", out, NULL};
  TestResult r = run_env(a1, env);
  g_assert_cmpint(r.status, ==, 0);
  assert_has(r.err, "trainsim: warning: ");
  assert_has(r.err, "stacks[0] (compiled) ignored");
  assert_has(r.err, "overlap 1.2");
  assert_has(r.err, "generations[0] ignored");
  assert_has(r.err, "given 1.3 and 0.9");
  test_result_clear(&r);
  const char *a2[] = {"plugins", NULL};
  r = run_env(a2, env);
  g_assert_cmpint(r.status, ==, 0);
  g_assert_null(strstr(r.err, "warning"));
  assert_has(r.out, "generations[0] ignored");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* TRAINSIM_CALIBRATION naming a file nested 100,000 deep: refused by name and line, no stack overflow. */
static void
test_json_deep_calibration(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *text = nested("{\"families\":\n", 100000, "}");
  g_autofree char *path = write_temp(tmp, "calibration.json", text);
  const char *args[] = {"plugins", NULL};
  const char *env[] = {"TRAINSIM_CALIBRATION", path, NULL};
  TestResult r = run_env(args, env);
  assert_refused(&r, path);
  g_autofree char *where = g_strdup_printf("%s:2: nested more than 64 levels deep", path);
  assert_has(r.err, where);
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* Numbers too large to be finite (json-glib reads 1e400 as infinity): a calibration file and a sweep.json
 * holding one are refused by name, never read as "no limit" or written back as null (found by fuzz-sweep:
 * "budget_usd": 1e308900). */
static void
test_json_non_finite(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *cal = write_temp(tmp, "calibration.json", "{\"schema_version\": 1, \"families\": [], \"x\": 1e400}");
  const char *a1[] = {"plugins", NULL};
  const char *env[] = {"TRAINSIM_CALIBRATION", cal, NULL};
  TestResult r = run_env(a1, env);
  assert_refused(&r, cal);
  assert_has(r.err, "too large to be finite");
  test_result_clear(&r);
  g_autofree char *sw = write_temp(tmp, "sweep.json", "{\"kind\": \"sweep\", \"budget_usd\": -1e308900}");
  const char *a2[] = {"merge", sw, NULL};
  r = run_env(a2, NULL);
  assert_refused(&r, sw);
  assert_has(r.err, "too large to be finite");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* A sweep.json nested 100,000 deep, and one 65 deep inside "runs": merge names the file and line. */
static void
test_json_deep_sweep(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *deep = nested("{\"kind\": \"sweep\", \"runs\": ", 100000, "}");
  g_autofree char *p1 = write_temp(tmp, "deep.json", deep);
  g_autofree char *just = nested("{\"kind\": \"sweep\",\n\"schema_version\": 1,\n\"runs\": [{\"x\": ", 64, "}]}");
  g_autofree char *p2 = write_temp(tmp, "just.json", just);
  const char *a1[] = {"merge", p1, p2, NULL};
  TestResult r = run_env(a1, NULL);
  assert_refused(&r, p1);
  assert_has(r.err, ":1: nested more than 64 levels deep");
  test_result_clear(&r);
  const char *a2[] = {"merge", p2, NULL};
  r = run_env(a2, NULL);
  assert_refused(&r, p2);
  assert_has(r.err, ":3: nested more than 64 levels deep");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* Brackets inside strings do not count; 64 levels are still read (then refused for what they hold). */
static void
test_json_brackets_in_strings(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  GString *s = g_string_new("{\"kind\": \"sweep\", \"note\": \"");
  for (int i = 0; i < 1000; i++)
    g_string_append(s, "[{\\\"");
  g_string_append(s, "\", \"x\": ");
  g_autofree char *inner = nested("", 62, "}");
  g_string_append(s, inner);
  g_autofree char *path = write_temp(tmp, "sweep.json", s->str);
  g_string_free(s, TRUE);
  const char *args[] = {"merge", tmp, NULL};
  TestResult r = run_env(args, NULL);
  assert_refused(&r, path);
  assert_has(r.err, "another schema_version");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* A sweep.json of the wrong types everywhere: an error naming the file, never a json-glib critical. */
static void
test_json_wrong_types(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  const char *texts[] = {
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": [], \"seed\": 0}",
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": \"a.lua\", \"seed\": -1}",
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": \"a.lua\", \"seed\": 0, \"parameters\": {}}",
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": \"a.lua\", \"seed\": 0, \"parameters\": [7]}",
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": \"a.lua\", \"seed\": 0, \"parameters\": [], "
    "\"variants\": 1, \"shard\": {\"index\": \"1\", \"count\": 2}, \"runs\": []}",
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": \"a.lua\", \"seed\": 0, \"parameters\": [], "
    "\"variants\": 1, \"shard\": null, \"runs\": [{\"index\": 0.5, \"seed\": 0, \"status\": \"ok\"}]}",
    "{\"kind\": \"sweep\", \"schema_version\": 1, \"scenario\": \"a.lua\", \"seed\": 0, \"parameters\": [], "
    "\"variants\": 1, \"shard\": null, \"runs\": {}}",
    "\xff\xfe{}",
    "",
    NULL};
  for (guint i = 0; texts[i] != NULL; i++) {
    g_autofree char *name = g_strdup_printf("t%u.json", i);
    g_autofree char *path = write_temp(tmp, name, texts[i]);
    const char *args[] = {"merge", path, NULL};
    const char *env[] = {"G_DEBUG", "fatal-criticals", NULL};
    TestResult r = run_env(args, env);
    assert_refused(&r, path);
    g_assert_null(strstr(r.err, "CRITICAL"));
    test_result_clear(&r);
  }
  test_remove_dir(tmp);
}



/* ---- command-line limits ------------------------------------------------------------------------------- */

typedef struct {
  const char *name;   /* the test path's last part */
  const char *args[8]; /* after the command; "S" is replaced by the flagship scenario */
  const char *expect;
} CliCase;

static const CliCase cli_cases[] = {
  {"cpu-limit-nan", {"run", "S", "--cpu-limit", "NaN"}, "--cpu-limit: expected a number of seconds above 0"},
  {"cpu-limit-negative", {"run", "S", "--cpu-limit", "-5"}, "got \"-5\""},
  {"cpu-limit-zero", {"run", "S", "--cpu-limit", "0"}, "--cpu-limit: expected a number of seconds above 0"},
  {"cpu-limit-1e10", {"run", "S", "--cpu-limit", "1e10"}, "at most 86400, got \"1e10\""},
  {"cpu-limit-inf", {"run", "S", "--cpu-limit=inf"}, "got \"inf\""},
  {"cpu-limit-hex", {"run", "S", "--cpu-limit", "0x10"}, "got \"0x10\""},
  {"cpu-limit-empty", {"run", "S", "--cpu-limit="}, "got \"\""},
  {"max-instructions-zero", {"run", "S", "--max-instructions", "0"}, "--max-instructions: expected an integer"},
  {"max-instructions-negative", {"run", "S", "--max-instructions", "-1"}, "got \"-1\""},
  {"max-instructions-huge", {"run", "S", "--max-instructions", "99999999999999999999"}, "at most 1000000000000"},
  {"max-instructions-fraction", {"run", "S", "--max-instructions", "1.5"}, "got \"1.5\""},
  {"replicas-zero", {"run", "S", "--replicas", "0"}, "--replicas: expected an integer from 1 to 100000"},
  {"replicas-exponent", {"run", "S", "--replicas", "1e3"}, "got \"1e3\""},
  {"seed-negative", {"run", "S", "--seed", "-1"}, "--seed: expected an integer from 0 to 9007199254740991"},
  {"seed-above-2^53", {"run", "S", "--seed", "9007199254740992"}, "got \"9007199254740992\""},
  {"seed-junk", {"run", "S", "--seed", "12abc"}, "got \"12abc\""},
  {"sweep-jobs-zero", {"sweep", "S", "--set", "batch=1024", "-j", "0"}, "--jobs: expected an integer"},
  {"sweep-jobs-huge", {"sweep", "S", "--set", "batch=1024", "--jobs", "100000"}, "from 1 to 1024"},
  {"sweep-timeout-nan", {"sweep", "S", "--set", "batch=1024", "--timeout", "nan"}, "--timeout: expected a number"},
  {"sweep-timeout-negative", {"sweep", "S", "--set", "batch=1024", "--timeout", "-1"}, "got \"-1\""},
  {"sweep-top-negative", {"sweep", "S", "--set", "batch=1024", "--top", "-3"}, "--top: expected an integer"},
  {"sweep-cpu-limit-nan", {"sweep", "S", "--set", "batch=1024", "--cpu-limit", "nan"}, "--cpu-limit: expected"},
  {"compare-max-instructions-zero", {"compare", "S", "S", "--max-instructions", "0"}, "--max-instructions"},
  {"compare-cpu-limit-negative", {"compare", "S", "S", "--cpu-limit", "-0.5"}, "got \"-0.5\""},
  {"merge-top-huge", {"merge", "x", "--top", "4294967296"}, "--top: expected an integer of rows from 0 to"},
};

static void
test_cli_limit(gconstpointer data)
{
  const CliCase *c = data;
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  const char *args[9] = {NULL};
  for (guint i = 0; i < 8 && c->args[i] != NULL; i++)
    args[i] = strcmp(c->args[i], "S") == 0 ? scenario : c->args[i];
  TestResult r = run_env(args, NULL);
  assert_refused(&r, c->expect);
  test_result_clear(&r);
}

/* The limits within range still work: a CPU limit of 0.3 s stops an endless loop (as it did not with NaN). */
static void
test_cli_limit_applies(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *script = write_temp(tmp, "loop.lua", "while true do end\n");
  const char *a1[] = {"run", script, "--cpu-limit", "0.3", "--max-instructions", "1000000000000", NULL};
  TestResult r = run_env(a1, NULL);
  assert_refused(&r, "CPU time limit of 0.3 s");
  test_result_clear(&r);
  const char *a2[] = {"run", script, "--max-instructions", "1000", NULL};
  r = run_env(a2, NULL);
  assert_refused(&r, "loop.lua");
  assert_has(r.err, "1000");
  test_result_clear(&r);
  test_remove_dir(tmp);
}


/* ---- tampered shards -------------------------------------------------------------------------------- */

static char *
read_text(const char *path)
{
  char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_file_get_contents(path, &text, NULL, &error);
  g_assert_no_error(error);
  return text;
}

/* Two shards of a 5-variant sweep of DIR/job.lua (a copy of dgx-station-vs-aws.lua) into DIR/s1 and DIR/s2. */
static void
make_shards(const char *dir, const char *script_text)
{
  g_autofree char *script = write_temp(dir, "job.lua", script_text);
  for (int k = 1; k <= 2; k++) {
    g_autofree char *out = g_strdup_printf("%s/s%d", dir, k);
    g_autofree char *shard = g_strdup_printf("%d/2", k);
    const char *args[] = {"sweep", script, "--set", "epochs=1..5", "--shard", shard, "--jobs", "2", "--quiet",
                          "--out", out, NULL};
    TestResult r = run_env(args, NULL);
    g_assert_cmpint(r.status, ==, 0);
    test_result_clear(&r);
  }
}

/* DIR/NAME/sweep.json: the shard's text with `from` replaced by `to` (which must occur). */
static char *
tampered(const char *dir, const char *shard, const char *name, const char *from, const char *to)
{
  g_autofree char *src = g_strdup_printf("%s/%s/sweep.json", dir, shard);
  g_autofree char *text = read_text(src);
  const char *at = strstr(text, from);
  if (at == NULL)
    g_error("\"%s\" is not in %s", from, src);
  g_autofree char *head = g_strndup(text, (gsize) (at - text));
  g_autofree char *out = g_strconcat(head, to, at + strlen(from), NULL);
  g_autofree char *d = g_build_filename(dir, name, NULL);
  g_mkdir(d, 0700);
  g_free(write_temp(d, "sweep.json", out));
  return g_steal_pointer(&d);
}

/* The dgx-station-vs-aws scenario, where the cloud alternative is billed on demand or on spot prices. */
static char *
scenario_text(gboolean spot)
{
  g_autofree char *path = test_scenario_path("dgx-station-vs-aws.lua");
  g_autofree char *text = read_text(path);
  if (!spot)
    return g_steal_pointer(&text);
  const char *from = "pricing = \"on-demand\"";
  const char *at = strstr(text, from);
  g_assert_nonnull(at);
  g_autofree char *head = g_strndup(text, (gsize) (at - text));
  return g_strconcat(head, "pricing = \"spot\"", at + strlen(from), NULL);
}

static void
assert_merge_refused(const char *a, const char *b, const char *needle, const char *names)
{
  const char *args[] = {"merge", a, b, NULL};
  TestResult r = run_env(args, NULL);
  assert_refused(&r, needle);
  if (names != NULL)
    assert_has(r.err, names);
  test_result_clear(&r);
}

/* The same script name, edited between the shards (on-demand, then spot prices): refused, not mixed. */
static void
test_merge_edited_scenario(void)
{
  g_autofree char *a = g_dir_make_tmp("trainsim-shards-XXXXXX", NULL);
  g_autofree char *b = g_dir_make_tmp("trainsim-shards-XXXXXX", NULL);
  g_autofree char *on_demand = scenario_text(FALSE), *spot = scenario_text(TRUE);
  make_shards(a, on_demand);
  make_shards(b, spot);
  g_autofree char *a1 = g_build_filename(a, "s1", NULL), *a2 = g_build_filename(a, "s2", NULL);
  g_autofree char *b2 = g_build_filename(b, "s2", NULL);
  const char *ok[] = {"merge", a1, a2, "--quiet", NULL};
  TestResult r = run_env(ok, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  assert_merge_refused(a1, b2, "the scenario's text differs", b2);
  test_remove_dir(a);
  test_remove_dir(b);
}

/* Shards edited by hand: each refused with the file named. */
static void
test_merge_tampered(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-shards-XXXXXX", NULL);
  g_autofree char *text = scenario_text(FALSE);
  make_shards(dir, text);
  g_autofree char *s1 = g_build_filename(dir, "s1", NULL);
  g_autofree char *s2 = g_build_filename(dir, "s2", NULL);
  g_autofree char *s2_json = g_build_filename(s2, "sweep.json", NULL);
  g_autofree char *s2_text = read_text(s2_json);
  /* Shard 2/2 holds variants 1 and 3; drop the last run from its array (keeping "finished" and "complete"). */
  const char *last = g_strrstr(s2_text, ",\n    {\n      \"index\"");
  g_assert_nonnull(last);
  g_autofree char *cut = g_strndup(s2_text, (gsize) (last - s2_text));
  g_autofree char *dropped_text = g_strconcat(cut, "\n  ]\n}\n", NULL);
  g_autofree char *dropped = g_build_filename(dir, "dropped", NULL);
  g_mkdir(dropped, 0700);
  g_autofree char *dp = write_temp(dropped, "sweep.json", dropped_text);
  assert_merge_refused(s1, dropped, "holds 1 of the 2 variants of its shard but says \"finished\": 2", dp);

  g_autofree char *version = tampered(dir, "s2", "version", "\"trainsim_version\": \"", "\"trainsim_version\": \"0.0.9");
  assert_merge_refused(s1, version, "written by trainsim 0.0.9", version);
  g_autofree char *nosha = tampered(dir, "s2", "nosha", "\"scenario_sha256\": \"", "\"scenario_sha256_\": \"");
  assert_merge_refused(s1, nosha, "no \"scenario_sha256\"", nosha);
  g_autofree char *sha = tampered(dir, "s2", "sha", "\"scenario_sha256\": \"", "\"scenario_sha256\": \"0");
  assert_merge_refused(s1, sha, "no \"scenario_sha256\" (64 hex digits)", sha);
  g_autofree char *seed = tampered(dir, "s2", "seed", "\"seed\": 0,\n  \"parameters\"", "\"seed\": 1,\n  \"parameters\"");
  assert_merge_refused(s1, seed, "has another seed than its index gives", seed);
  g_autofree char *moved = tampered(dir, "s2", "moved", "\"index\": 1,", "\"index\": 2,");
  assert_merge_refused(s1, moved, "belongs to another shard", moved);
  g_autofree char *finished = tampered(dir, "s2", "finished", "\"finished\": 2", "\"finished\": 3");
  assert_merge_refused(s1, finished, "says \"finished\": 3", finished);
  g_autofree char *params = tampered(dir, "s2", "params", "\"spec\": \"1..5\"", "\"spec\": \"1..5:2\"");
  assert_merge_refused(s1, params, "\"variants\" does not match the parameters", params);
  test_remove_dir(dir);
}


/* ---- output sets ------------------------------------------------------------------------------------- */

static const char *const run_files[] = {"timeline.csv", "trace.json", "memory.png", "memory.svg", "storage.png",
                                        "storage.svg", "cost.png", "cost.svg", "report.html", "summary.json", NULL};

/* name -> contents of every file of DIR (none may be a leftover temporary or staging directory). */
static GHashTable *
snapshot(const char *dir)
{
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  const char *n;
  while ((n = g_dir_read_name(d)) != NULL) {
    if (strstr(n, ".tmp-") != NULL || g_str_has_prefix(n, ".trainsim-set-"))
      g_error("%s: leftover %s", dir, n);
    g_autofree char *p = g_build_filename(dir, n, NULL);
    g_hash_table_insert(h, g_strdup(n), read_text(p));
  }
  return h;
}

static gboolean
same_snapshot(GHashTable *a, GHashTable *b)
{
  if (g_hash_table_size(a) != g_hash_table_size(b))
    return FALSE;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, a);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const char *w = g_hash_table_lookup(b, k);
    if (w == NULL || strcmp(v, w) != 0)
      return FALSE;
  }
  return TRUE;
}

static TestResult
run_out(const char *scenario, const char *epochs, const char *dir, const char *fault)
{
  g_autofree char *set = g_strdup_printf("epochs=%s", epochs);
  const char *args[] = {"run", scenario, "--set", set, "--out", dir, "--quiet", NULL};
  const char *env[] = {"TRAINSIM_FAULT", fault, NULL};
  return run_env(args, fault ? env : NULL);
}

/* One file of the previous set cannot be replaced (immutable): the new set is not written at all, the
 * previous one stays whole, and the message says so — whichever file it is. */
static void
test_outputs_unreplaceable(void)
{
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  TestResult r = run_out(scenario, "10", dir, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  g_autoptr(GHashTable) before = snapshot(dir);
  g_assert_cmpuint(g_hash_table_size(before), ==, 10);
  const char *which[] = {"timeline.csv", "cost.png", "summary.json"};
  for (guint i = 0; i < G_N_ELEMENTS(which); i++) {
    g_autofree char *fault = g_strdup_printf("rename:%s", which[i]);
    r = run_out(scenario, "20", dir, fault);
    assert_refused(&r, which[i]);
    assert_has(r.err, "Operation not permitted");
    g_autofree char *said = g_strdup_printf("nothing was written to %s (the files it held are as they were)", dir);
    assert_has(r.err, said);
    test_result_clear(&r);
    g_autoptr(GHashTable) after = snapshot(dir);
    g_assert_true(same_snapshot(before, after));
  }
  /* Without the fault the same command replaces all ten. */
  r = run_out(scenario, "20", dir, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  g_autoptr(GHashTable) replaced = snapshot(dir);
  for (const char *const *f = run_files; *f; f++)
    if (strcmp(g_hash_table_lookup(before, *f), g_hash_table_lookup(replaced, *f)) == 0 &&
        !g_str_has_suffix(*f, ".png") && !g_str_has_suffix(*f, ".svg"))
      g_error("%s was not replaced", *f);
  test_remove_dir(dir);
}

/* The same with a truly immutable file (chattr +i), where the file system and our privileges allow it. */
static void
test_outputs_immutable(void)
{
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  TestResult r = run_out(scenario, "10", dir, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  g_autoptr(GHashTable) before = snapshot(dir);
  g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
  g_autofree char *chattr = g_find_program_in_path("chattr");
  int rc = -1;
  if (chattr != NULL) {
    const char *argv[] = {chattr, "+i", summary, NULL};
    g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &rc, NULL);
  }
  if (rc != 0) {
    g_test_skip("chattr +i is not available here (needs root and a file system that supports it)");
    test_remove_dir(dir);
    return;
  }
  r = run_out(scenario, "20", dir, NULL);
  const char *argv[] = {chattr, "-i", summary, NULL};
  g_spawn_sync(NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &rc, NULL);
  assert_refused(&r, "summary.json");
  assert_has(r.err, "nothing was written");
  test_result_clear(&r);
  g_autoptr(GHashTable) after = snapshot(dir);
  g_assert_true(same_snapshot(before, after));
  test_remove_dir(dir);
}

/* Two runs on one --out at once, again and again: the directory always ends holding one run's whole set. */
static void
test_outputs_concurrent(void)
{
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *base = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  g_autofree char *a = g_build_filename(base, "a", NULL), *b = g_build_filename(base, "b", NULL);
  g_autofree char *both = g_build_filename(base, "both", NULL);
  TestResult r = run_out(scenario, "10", a, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  r = run_out(scenario, "20", b, NULL);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  g_autoptr(GHashTable) sa = snapshot(a), sb = snapshot(b);
  g_autofree char *exe = g_strdup(trainsim);
  for (int round = 0; round < 12; round++) {
    const char *a1[] = {exe, "run", scenario, "--set", "epochs=10", "--out", both, "--quiet", NULL};
    const char *a2[] = {exe, "run", scenario, "--set", "epochs=20", "--out", both, "--quiet", NULL};
    GPid p1, p2;
    g_autoptr(GError) error = NULL;
    g_spawn_async(NULL, (char **) a1, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &p1, &error);
    g_assert_no_error(error);
    g_spawn_async(NULL, (char **) a2, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &p2, &error);
    g_assert_no_error(error);
    int s1 = 0, s2 = 0;
    waitpid(p1, &s1, 0);
    waitpid(p2, &s2, 0);
    g_assert_true(WIFEXITED(s1) && WEXITSTATUS(s1) == 0);
    g_assert_true(WIFEXITED(s2) && WEXITSTATUS(s2) == 0);
    g_autoptr(GHashTable) got = snapshot(both);
    if (!same_snapshot(got, sa) && !same_snapshot(got, sb))
      g_error("round %d: %s holds a mixture of two runs' files", round, both);
  }
  test_remove_dir(base);
}


/* ---- compare with an alternative that ends its process ---------------------------------------------- */

static double
children_cpu_s(void)
{
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* One alternative stuck inside a C function meets the CPU backstop, which ends the process it runs in: compare
 * reports it as failed, by name and with the backstop's message, and still compares the others. */
static void
test_compare_watchdog(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *flagship = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *text = read_text(flagship);
  g_autofree char *stuck_text =
    g_strconcat("string.find(string.rep(\"a\", 40), string.rep(\"a*\", 40) .. \"b\")\n", text, NULL);
  g_autofree char *stuck = write_temp(tmp, "stuck.lua", stuck_text);
  g_autofree char *out = g_build_filename(tmp, "out", NULL);
  const char *args[] = {"compare", flagship, stuck, flagship, "--cpu-limit", "0.2", "--out", out, NULL};
  double cpu0 = children_cpu_s();
  TestResult r = run_env(args, NULL);
  double cpu = children_cpu_s() - cpu0;
  /* Bounded in CPU time: the backstop counts CPU seconds, and a loaded machine stretches the wall time. */
  g_assert_cmpfloat(cpu, <, 10);
  if (r.status != 1)
    g_error("expected exit 1, got %d\nstdout: %s\nstderr: %s", r.status, r.out, r.err);
  assert_has(r.err, "stuck.lua: the run ended its process");
  assert_has(r.err, "CPU time limit of 0.2 s exceeded inside a C function");
  assert_has(r.out, "simclr-tpu-v3-128.lua (2)"); /* the third alternative was still run and compared */
  /* ... with the flagship's own forecast (its wall time as `trainsim run` prints it). */
  g_autofree char *out_run = g_build_filename(tmp, "out-run", NULL);
  const char *run_args[] = {"run", flagship, "--out", out_run, NULL};
  TestResult alone = run_env(run_args, NULL);
  g_assert_cmpint(alone.status, ==, 0);
  const char *wall = strstr(alone.out, "wall time");
  g_assert_nonnull(wall);
  wall += strlen("wall time");
  while (*wall == ' ')
    wall++;
  g_autofree char *wall_value = g_strndup(wall, strcspn(wall, "\n"));
  assert_has(r.out, wall_value);
  g_autofree char *json = g_build_filename(out, "compare.json", NULL);
  g_autofree char *jtext = read_text(json);
  assert_has(jtext, "CPU time limit");
  test_result_clear(&alone);
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* ---- plugins ----------------------------------------------------------------------------------------- */

/* A private directory (mode 0700) holding a copy of SRC_DIR/NAME.so (as AS.so when `as` is not NULL) and
 * of the files `extra` of SRC_DIR. */
static char *
plugin_dir_with(const char *src_dir, const char *name, const char *as, const char *const *extra)
{
  char *dir = g_dir_make_tmp("trainsim-plugins-XXXXXX", NULL);
  g_assert_nonnull(dir);
  g_chmod(dir, 0700);
  g_autofree char *file = g_strdup_printf("%s.so", name);
  g_autofree char *file_as = g_strdup_printf("%s.so", as ? as : name);
  g_autoptr(GPtrArray) files = g_ptr_array_new();
  g_ptr_array_add(files, file);
  for (const char *const *e = extra; e && *e; e++)
    g_ptr_array_add(files, (gpointer) *e);
  for (guint i = 0; i < files->len; i++) {
    const char *f = g_ptr_array_index(files, i);
    g_autofree char *from = g_build_filename(src_dir, f, NULL);
    g_autofree char *to = g_build_filename(dir, i == 0 ? file_as : f, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    g_file_get_contents(from, &data, &len, &error);
    g_assert_no_error(error);
    g_file_set_contents(to, data, (gssize) len, &error);
    g_assert_no_error(error);
    g_chmod(to, 0755);
  }
  return dir;
}

/* A plugin directory holding the counted fixture (its constructor counts its loads in TS_FIXTURE_MARKER) as
 * "good", with the good fixture's catalog beside it. */
static char *
counted_good_dir(void)
{
  const char *extra[] = {"good.json", NULL};
  char *dir = plugin_dir_with(TS_HOSTILE_PLUGIN_DIR, "counted", "good", NULL);
  g_autofree char *json_dir = plugin_dir_with(TS_FIXTURE_PLUGIN_DIR, "good", NULL, extra);
  g_autofree char *json_from = g_build_filename(json_dir, "good.json", NULL);
  g_autofree char *json = NULL;
  g_file_get_contents(json_from, &json, NULL, NULL);
  test_remove_dir(json_dir);
  g_free(write_temp(dir, "good.json", json));
  return dir;
}

static guint
count_lines(const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return 0;
  guint n = 0;
  for (const char *c = text; *c; c++)
    n += *c == '\n';
  return n;
}

/* A plugin that crashes, hangs, exits or aborts while loading is refused by name; the bundled plugins still
 * work: `plugins` lists the refusal, `run` forecasts, `devices NAME` exits 1 saying why. */
static void
test_plugin_misbehaving(void)
{
  const struct {
    const char *name, *why;
  } cases[] = {
    {"crash_entry", "crashed while loading (signal"}, /* 11, or 6 when a sanitizer catches it */
    {"ctor_abort", "crashed while loading (signal 6"},
    {"exit_entry", "exited while loading (status 0"},
    {"hang_entry", "did not finish loading within 5 s"},
  };
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *dir = plugin_dir_with(TS_HOSTILE_PLUGIN_DIR, cases[i].name, NULL, NULL);
    g_autofree char *so = g_strdup_printf("%s/%s.so", dir, cases[i].name);
    const char *env[] = {"TRAINSIM_PLUGIN_PATH", dir, NULL};
    const char *a1[] = {"plugins", NULL};
    TestResult r = run_env(a1, env);
    g_assert_cmpint(r.status, ==, 0);
    assert_has(r.out, "tpu");
    assert_has(r.out, so);
    assert_has(r.out, cases[i].why);
    test_result_clear(&r);
    if (i == 0) { /* once is enough to show a forecast still runs beside it (the hang costs 5 s a command) */
      const char *a2[] = {"run", scenario, "--quiet", NULL};
      r = run_env(a2, env);
      g_assert_cmpint(r.status, ==, 0);
      test_result_clear(&r);
    }
    const char *a3[] = {"devices", cases[i].name, NULL};
    r = run_env(a3, env);
    assert_refused(&r, so);
    assert_has(r.err, cases[i].why);
    test_result_clear(&r);
    test_remove_dir(dir);
  }
}

/* A plugin in a directory others can write, or itself writable by others, is refused before any of its
 * code runs: its constructor never writes the marker.  The same file in a private directory does run (so
 * the marker would show it). */
static void
test_plugin_unsafe_permissions(void)
{
  const struct {
    guint dir_mode, file_mode;
    const char *why;
  } cases[] = {
    {0777, 0755, "is writable by everyone (mode 0777)"},
    {01777, 0755, "is writable by everyone (mode 1777)"}, /* sticky does not help the directory itself */
    {0775, 0755, "is writable by its group (mode 0775)"},
    {0755, 0757, "writable by everyone (mode 0757)"},
    {0755, 0775, "writable by its group (mode 0775)"},
    {0700, 0755, NULL},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *dir = counted_good_dir();
    g_autofree char *so = g_strdup_printf("%s/good.so", dir);
    g_autofree char *marker = g_build_filename(g_get_tmp_dir(), "trainsim-marker-XXXXXX", NULL);
    int fd = g_mkstemp(marker);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_unlink(marker);
    g_chmod(so, cases[i].file_mode);
    g_chmod(dir, cases[i].dir_mode);
    const char *env[] = {"TRAINSIM_PLUGIN_PATH", dir, "TS_FIXTURE_MARKER", marker, "TRAINSIM_PROBE_CACHE", "off", NULL};
    const char *a1[] = {"devices", "good", NULL};
    TestResult r = run_env(a1, env);
    if (cases[i].why != NULL) {
      assert_refused(&r, so);
      assert_has(r.err, cases[i].why);
      g_assert_false(g_file_test(marker, G_FILE_TEST_EXISTS));
    } else {
      g_assert_cmpint(r.status, ==, 0);
      assert_has(r.out, "good-1");
      g_assert_cmpuint(count_lines(marker), ==, 2); /* the child's probe, then this process */
    }
    test_result_clear(&r);
    g_chmod(dir, 0700);
    g_unlink(marker);
    test_remove_dir(dir);
  }
}

/* The probe's verdict is cached by file identity: a second command loads the plugin once (no child), a
 * changed file (new mtime) is probed again, and a cache file others could write is not trusted. */
static void
test_plugin_probe_cache(void)
{
  g_autofree char *dir = counted_good_dir();
  g_autofree char *so = g_strdup_printf("%s/good.so", dir);
  g_autofree char *cache_dir = g_dir_make_tmp("trainsim-cache-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename(cache_dir, "probes", NULL);
  g_autofree char *marker = g_build_filename(cache_dir, "marker", NULL);
  const char *env[] = {"TRAINSIM_PLUGIN_PATH", dir, "TS_FIXTURE_MARKER", marker, "TRAINSIM_PROBE_CACHE", cache, NULL};
  const char *args[] = {"devices", "good", NULL};
  guint expect[] = {2, 3, 5, 7};
  for (guint round = 0; round < G_N_ELEMENTS(expect); round++) {
    if (round == 2) { /* the plugin changes: probed again */
      struct timespec ts[2] = {{0, UTIME_NOW}, {12345, 0}};
      g_assert_cmpint(utimensat(AT_FDCWD, so, ts, 0), ==, 0);
    }
    if (round == 3) /* a cache others can write vouches for nothing */
      g_chmod(cache, 0666);
    TestResult r = run_env(args, env);
    g_assert_cmpint(r.status, ==, 0);
    assert_has(r.out, "good-1");
    test_result_clear(&r);
    g_assert_cmpuint(count_lines(marker), ==, expect[round]);
  }
  g_autofree char *text = NULL;
  g_file_get_contents(cache, &text, NULL, NULL);
  assert_has(text, so);

  /* The cache stays small: lines of plugins that no longer exist (deleted build and test directories) go when
   * it is next written, and it never holds more than 256 lines. */
  GString *grown = g_string_new(text);
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf(grown, "%s/gone-%u/x.so\t1:2:3:4\tok\t\t-\n", cache_dir, i);
  for (guint i = 0; i < 300; i++) /* old identities of a file that exists: only the newest stay */
    g_string_append_printf(grown, "%s\t9:9:9:%u\tok\t\t-\n", so, i);
  g_assert_true(g_file_set_contents(cache, grown->str, (gssize) grown->len, NULL));
  g_string_free(grown, TRUE);
  g_chmod(cache, 0600);
  struct timespec later[2] = {{0, UTIME_NOW}, {23456, 0}};
  g_assert_cmpint(utimensat(AT_FDCWD, so, later, 0), ==, 0); /* probed again, so the cache is written */
  TestResult r = run_env(args, env);
  g_assert_cmpint(r.status, ==, 0);
  test_result_clear(&r);
  g_assert_cmpuint(count_lines(marker), ==, expect[G_N_ELEMENTS(expect) - 1] + 2);
  g_autofree char *pruned = NULL;
  g_assert_true(g_file_get_contents(cache, &pruned, NULL, NULL));
  assert_has(pruned, so);
  g_assert_null(strstr(pruned, "/gone-"));
  g_assert_null(strstr(pruned, "\t9:9:9:44\t")); /* among the oldest */
  g_assert_nonnull(strstr(pruned, "\t9:9:9:299\t"));
  g_assert_cmpuint(count_lines(cache), ==, 1 + 256); /* the format's line and the newest 256 */
  test_remove_dir(cache_dir);
  test_remove_dir(dir);
}

/* The lines of the counted plugin's marker file ("loaded by EXECUTABLE"). */
static char **
marker_lines(const char *marker)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(marker, &text, NULL, NULL))
    return g_new0(char *, 1);
  g_strchomp(text);
  return text[0] != '\0' ? g_strsplit(text, "\n", -1) : g_new0(char *, 1);
}

/* The marker holds `count` lines, the last two (when `helper` is given) those of one probe: the helper then the
 * executable that loaded the counted plugin. */
static void
assert_marker(const char *marker, guint count, const char *helper, const char *exe)
{
  g_auto(GStrv) lines = marker_lines(marker);
  g_assert_cmpuint(g_strv_length(lines), ==, count);
  if (helper == NULL)
    return;
  g_autofree char *by_helper = g_strdup_printf("loaded by %s", helper);
  g_autofree char *by_exe = g_strdup_printf("loaded by %s", exe);
  g_assert_cmpstr(lines[count - 2], ==, by_helper);
  g_assert_cmpstr(lines[count - 1], ==, by_exe);
}

static char *
copy_executable(const char *from, const char *dir)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true(g_file_get_contents(from, &data, &len, NULL));
  g_autofree char *base = g_path_get_basename(from);
  char *to = g_build_filename(dir, base, NULL);
  g_assert_true(g_file_set_contents(to, data, (gssize) len, NULL));
  g_chmod(to, 0755);
  return to;
}

/* The probe's child is the helper executable trainsim-probe, never a fork of trainsim (whose other threads' locks a
 * fork would copy held: docs/performance.md, "The flaky probe"): the counted plugin's constructor names the
 * executable that loaded it, the helper beside build/trainsim first, then trainsim.  A copy of trainsim with no
 * helper to find refuses the plugin naming the paths it looked at, and the plugin's code never runs (no fallback
 * to a probe in-process); with the helper copied beside it (an install tree whose libexecdir is its bindir) the
 * plugin is probed by that copy, and not where its directory is writable by others. */
static void
test_plugin_probe_helper(void)
{
  g_autofree char *dir = counted_good_dir();
  g_autofree char *so = g_strdup_printf("%s/good.so", dir);
  g_autofree char *marker = g_build_filename(dir, "marker", NULL);
  const char *env[] = {"TRAINSIM_PLUGIN_PATH", dir, "TS_FIXTURE_MARKER", marker, "TRAINSIM_PROBE_CACHE", "off", NULL};
  const char *args[] = {"devices", "good", NULL};
  TestResult r = run_env(args, env);
  g_assert_cmpint(r.status, ==, 0);
  assert_has(r.out, "good-1");
  test_result_clear(&r);
  g_autofree char *exe = realpath(trainsim, NULL);
  g_autofree char *build = g_path_get_dirname(exe);
  g_autofree char *helper = g_build_filename(build, "trainsim-probe", NULL);
  assert_marker(marker, 2, helper, exe);

  g_autofree char *tmp = g_dir_make_tmp("trainsim-helper-XXXXXX", NULL);
  g_autofree char *real_tmp = realpath(tmp, NULL);
  g_autofree char *copy = copy_executable(exe, real_tmp);
  const char *copy_args[] = {copy, "devices", "good", NULL};
  r = test_spawn(NULL, copy_args, env);
  assert_refused(&r, so);
  g_autofree char *looked =
    g_strdup_printf("the probe's helper trainsim-probe was not found (looked for %s/trainsim-probe (missing), ", real_tmp);
  assert_has(r.err, looked);
  test_result_clear(&r);
  assert_marker(marker, 2, NULL, NULL);

  g_autofree char *helper_copy = copy_executable(helper, real_tmp);
  r = test_spawn(NULL, copy_args, env);
  g_assert_cmpint(r.status, ==, 0);
  assert_has(r.out, "good-1");
  test_result_clear(&r);
  assert_marker(marker, 4, helper_copy, copy);
  /* The helper is held to the plugins' rule, its directory included: in a directory its group can write to (someone
   * else could swap it) it is not run, and the refusal says why. */
  g_assert_cmpint(g_chmod(real_tmp, 0775), ==, 0);
  r = test_spawn(NULL, copy_args, env);
  assert_refused(&r, so);
  g_autofree char *unfit = g_strdup_printf("%s (directory %s is writable by its group", helper_copy, real_tmp);
  assert_has(r.err, unfit);
  test_result_clear(&r);
  assert_marker(marker, 4, NULL, NULL);
  g_assert_cmpint(g_chmod(real_tmp, 0700), ==, 0);
  test_remove_dir(tmp);
  test_remove_dir(dir);
}

/* A copy of the binary outside the build tree (as if installed) never searches the build tree's plugin
 * directory; the build tree's binary does, first. */
static void
test_plugin_no_build_tree(void)
{
  g_autofree char *dir = g_dir_make_tmp("trainsim-installed-XXXXXX", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  g_assert_true(g_file_get_contents(trainsim, &data, &len, NULL));
  g_autofree char *copy = g_build_filename(dir, "trainsim", NULL);
  g_assert_true(g_file_set_contents(copy, data, (gssize) len, NULL));
  g_chmod(copy, 0755);
  const char *args[] = {copy, "plugins", NULL};
  const char *env[] = {"TRAINSIM_PLUGIN_PATH", "", NULL};
  TestResult r = test_spawn(NULL, args, env);
  g_assert_null(strstr(r.out, TS_BUILD_PLUGIN_DIR));
  g_assert_null(strstr(r.err, TS_BUILD_PLUGIN_DIR));
  test_result_clear(&r);
  const char *own[] = {"plugins", NULL};
  r = run_env(own, env);
  g_assert_cmpint(r.status, ==, 0);
  assert_has(r.out, TS_BUILD_PLUGIN_DIR);
  test_result_clear(&r);
  test_remove_dir(dir);
}

/* A plugin whose catalog nests 100,000 deep (it once crashed every command, `plugins` included): the
 * plugin is refused naming the catalog and its line, and the commands go on. */
static void
test_json_deep_catalog(void)
{
  g_autofree char *dir = plugin_dir_with(TS_HOSTILE_PLUGIN_DIR, "counted", "good", NULL);
  g_autofree char *deep = nested("{\"catalog\": \"good\", \"schema_version\": 1,\n\"sources\": ", 100000, "}");
  g_autofree char *catalog = write_temp(dir, "good.json", deep);
  const char *env[] = {"TRAINSIM_PLUGIN_PATH", dir, "TRAINSIM_PROBE_CACHE", "off", NULL};
  const char *a1[] = {"devices", "good", NULL};
  TestResult r = run_env(a1, env);
  g_autofree char *where = g_strdup_printf("%s:2: nested more than 64 levels deep", catalog);
  assert_refused(&r, where);
  test_result_clear(&r);
  const char *a2[] = {"plugins", NULL};
  r = run_env(a2, env);
  g_assert_cmpint(r.status, ==, 0);
  assert_has(r.out, where);
  assert_has(r.out, "tpu");
  test_result_clear(&r);
  test_remove_dir(dir);
}

/* Files over their size limit are refused from their size alone, before being read (sparse files here). */
static void
test_json_oversized(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-contained-XXXXXX", NULL);
  g_autofree char *sweep = write_temp(tmp, "sweep.json", "{\"kind\": \"sweep\"}");
  g_assert_cmpint(truncate(sweep, (off_t) 1024 * 1024 * 1024 + 1), ==, 0);
  const char *a1[] = {"merge", sweep, NULL};
  TestResult r = run_env(a1, NULL);
  assert_refused(&r, sweep);
  assert_has(r.err, "1073741825 bytes, more than the 1073741824 bytes accepted");
  test_result_clear(&r);
  g_autofree char *calibration = write_temp(tmp, "calibration.json", "{}");
  g_assert_cmpint(truncate(calibration, 16 * 1024 * 1024 + 1), ==, 0);
  const char *a2[] = {"plugins", NULL};
  const char *env[] = {"TRAINSIM_CALIBRATION", calibration, NULL};
  r = run_env(a2, env);
  assert_refused(&r, calibration);
  assert_has(r.err, "more than the 16777216 bytes accepted");
  test_result_clear(&r);
  g_autofree char *script = write_temp(tmp, "big.lua", "-- big\n");
  g_assert_cmpint(truncate(script, 64 * 1024 * 1024 + 1), ==, 0);
  const char *a3[] = {"sweep", script, "--set", "x=1,2", NULL};
  r = run_env(a3, NULL);
  assert_refused(&r, script);
  assert_has(r.err, "more than the 67108864 bytes accepted");
  test_result_clear(&r);
  test_remove_dir(tmp);
}

/* The lock itself: while another writer holds DIR's lock, a run waits before putting its set in place (and
 * writes nothing there), then completes once the lock is released. */
static void
test_outputs_lock(void)
{
  g_autofree char *scenario = test_scenario_path("simclr-tpu-v3-128.lua");
  g_autofree char *dir = g_dir_make_tmp("trainsim-out-XXXXXX", NULL);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint(dfd, >=, 0);
  g_assert_cmpint(flock(dfd, LOCK_EX), ==, 0);
  const char *argv[] = {trainsim, "run", scenario, "--out", dir, "--quiet", NULL};
  GPid pid;
  g_autoptr(GError) error = NULL;
  g_spawn_async(NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error(error);
  int st = 0;
  for (int i = 0; i < 40; i++) { /* 4 s: the run itself takes well under 1 s */
    g_assert_cmpint(waitpid(pid, &st, WNOHANG), ==, 0);
    g_usleep(100000);
  }
  g_autofree char *summary = g_build_filename(dir, "summary.json", NULL);
  g_assert_false(g_file_test(summary, G_FILE_TEST_EXISTS));
  flock(dfd, LOCK_UN);
  close(dfd);
  waitpid(pid, &st, 0);
  g_assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  g_assert_true(g_file_test(summary, G_FILE_TEST_EXISTS));
  test_remove_dir(dir);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  trainsim = g_getenv("TRAINSIM");
  if (trainsim == NULL)
    g_error("TRAINSIM is not set (run through meson test)");
  for (guint i = 0; i < G_N_ELEMENTS(cli_cases); i++) {
    g_autofree char *path = g_strdup_printf("/contained/cli/%s", cli_cases[i].name);
    g_test_add_data_func(path, &cli_cases[i], test_cli_limit);
  }
  g_test_add_func("/contained/cli/limit-applies", test_cli_limit_applies);
  g_test_add_func("/contained/json/deep-calibration", test_json_deep_calibration);
  g_test_add_func("/contained/calibration/out-of-range-warns", test_calibration_out_of_range_warns);
  g_test_add_func("/contained/json/deep-catalog", test_json_deep_catalog);
  g_test_add_func("/contained/json/oversized", test_json_oversized);
  g_test_add_func("/contained/json/deep-sweep", test_json_deep_sweep);
  g_test_add_func("/contained/json/non-finite", test_json_non_finite);
  g_test_add_func("/contained/json/brackets-in-strings", test_json_brackets_in_strings);
  g_test_add_func("/contained/json/wrong-types", test_json_wrong_types);
  g_test_add_func("/contained/merge/edited-scenario", test_merge_edited_scenario);
  g_test_add_func("/contained/merge/tampered", test_merge_tampered);
  g_test_add_func("/contained/outputs/unreplaceable", test_outputs_unreplaceable);
  g_test_add_func("/contained/outputs/immutable", test_outputs_immutable);
  g_test_add_func("/contained/outputs/concurrent", test_outputs_concurrent);
  g_test_add_func("/contained/outputs/lock", test_outputs_lock);
  g_test_add_func("/contained/compare/watchdog", test_compare_watchdog);
  g_test_add_func("/contained/plugin/misbehaving", test_plugin_misbehaving);
  g_test_add_func("/contained/plugin/unsafe-permissions", test_plugin_unsafe_permissions);
  g_test_add_func("/contained/plugin/probe-cache", test_plugin_probe_cache);
  g_test_add_func("/contained/plugin/probe-helper", test_plugin_probe_helper);
  g_test_add_func("/contained/plugin/no-build-tree", test_plugin_no_build_tree);
  return g_test_run();
}
