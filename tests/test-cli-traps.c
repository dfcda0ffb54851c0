/* /cli/traps/...: small command-line traps that used to give a quiet wrong answer (issue 14): a --deadline
 * without a unit, compare unable to give each scenario its own --set, `-` not read as standard input,
 * `run --out` not saying what it wrote.  Drives the real binary ($TRAINSIM). */
#include "test-util.h"

#include <json-glib/json-glib.h>

static const char *trainsim;

static TestResult
run_ts(const char *const *args)
{
  return test_run_trainsim(trainsim, TS_SOURCE_DIR, args, NULL);
}

/* `sh -c SCRIPT` in the source tree, with $TRAINSIM set: for standard input redirections. */
static TestResult
run_sh(const char *script)
{
  const char *argv[] = {"/bin/sh", "-c", script, NULL};
  const char *env[] = {"TRAINSIM", trainsim, NULL};
  return test_spawn(TS_SOURCE_DIR, argv, env);
}

static void
test_deadline_needs_unit(void)
{
  const char *bare[] = {"sweep", "scenarios/staged-provisioning.lua", "--set", "staged=true,false",
                        "--deadline", "2", "--quiet", NULL};
  TestResult r = run_ts(bare);
  g_assert_cmpint(r.status, ==, 1);
  assert_has(r.err, "--deadline 2: a duration needs its unit");
  assert_has(r.err, "accepted: ns, us, ms, s, min, h, day, week, year");
  test_result_clear(&r);
  /* With a unit it is a deadline: 2 h, and the staged plan (2 h 34 min) misses it. */
  const char *unit[] = {"sweep", "scenarios/staged-provisioning.lua", "--set", "staged=true,false",
                        "--deadline", "2 h", "--json", NULL};
  r = run_ts(unit);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonNode) root = json_from_string(r.out, NULL);
  g_assert_nonnull(root);
  g_assert_cmpfloat(json_object_get_double_member(json_node_get_object(root), "deadline_s"), ==, 7200);
  test_result_clear(&r);
}

/* The command in scenarios/dgx-station-vs-aws.lua's header, as written there, compares the Station with AWS. */
static void
test_compare_per_scenario_set(void)
{
  g_autofree char *path = test_scenario_path("dgx-station-vs-aws.lua");
  g_autofree char *text = test_read_file(TS_SOURCE_DIR "/scenarios", "dgx-station-vs-aws.lua", NULL);
  const char *at = strstr(text, "--   trainsim compare ");
  g_assert_nonnull(at);
  g_autofree char *line = g_strndup(at + 5, strcspn(at + 5, "\n"));
  g_auto(GStrv) words = g_strsplit_set(line, " ", -1);
  g_autoptr(GPtrArray) args = g_ptr_array_new();
  for (char **w = words + 1; *w; w++) /* skip "trainsim" */
    if (**w != '\0')
      g_ptr_array_add(args, *w);
  g_ptr_array_add(args, (gpointer) "--json");
  g_ptr_array_add(args, NULL);
  TestResult r = run_ts((const char *const *) args->pdata);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonNode) root = json_from_string(r.out, NULL);
  g_assert_nonnull(root);
  JsonArray *alts = json_object_get_array_member(json_node_get_object(root), "alternatives");
  g_assert_cmpuint(json_array_get_length(alts), ==, 2);
  const char *want[] = {"station", "aws"};
  double cost[2];
  for (guint i = 0; i < 2; i++) {
    JsonObject *a = json_array_get_object_element(alts, i);
    JsonObject *params = json_object_get_object_member(a, "parameters");
    g_assert_cmpstr(json_object_get_string_member(params, "where"), ==, want[i]);
    g_autofree char *name = g_strdup_printf("dgx-station-vs-aws.lua where=%s", want[i]);
    g_assert_cmpstr(json_object_get_string_member(a, "scenario"), ==, name);
    cost[i] = json_object_get_double_member(json_object_get_object_member(a, "cost_usd"), "total");
  }
  g_assert_cmpfloat(cost[0], !=, cost[1]); /* two different runs, not the same one twice */
  test_result_clear(&r);

  /* A --set before the first scenario applies to both; after one, to it alone. */
  const char *mixed[] = {"compare", "--set", "epochs=30", path, path, "--set", "where=aws", "--json", NULL};
  r = run_ts(mixed);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonNode) root2 = json_from_string(r.out, NULL);
  alts = json_object_get_array_member(json_node_get_object(root2), "alternatives");
  for (guint i = 0; i < 2; i++) {
    JsonObject *params = json_object_get_object_member(json_array_get_object_element(alts, i), "parameters");
    g_assert_cmpint(json_object_get_int_member(params, "epochs"), ==, 30);
    g_assert_cmpstr(json_object_get_string_member(params, "where"), ==, want[i]);
  }
  test_result_clear(&r);

  /* A --set with no value after the last scenario is a usage error, not a scenario. */
  const char *dangling[] = {"compare", path, path, "--set", NULL};
  r = run_ts(dangling);
  g_assert_cmpint(r.status, ==, 1);
  assert_has(r.err, "--set");
  test_result_clear(&r);
}

/* `-` is standard input: the same summary as the file gives, and messages name "stdin" with the line. */
static void
test_stdin(void)
{
  const char *file_args[] = {"run", "scenarios/staged-provisioning.lua", "--json", NULL};
  TestResult f = run_ts(file_args);
  g_assert_cmpint(f.status, ==, 0);
  TestResult s = run_sh("\"$TRAINSIM\" run - --json < scenarios/staged-provisioning.lua");
  g_assert_cmpint(s.status, ==, 0);
  g_autoptr(JsonNode) a = json_from_string(f.out, NULL);
  g_autoptr(JsonNode) b = json_from_string(s.out, NULL);
  g_assert_nonnull(a);
  g_assert_nonnull(b);
  g_assert_cmpfloat(json_object_get_double_member(json_node_get_object(a), "total_time_s"), ==,
                    json_object_get_double_member(json_node_get_object(b), "total_time_s"));
  g_assert_cmpstr(json_object_get_string_member(json_node_get_object(b), "scenario"), ==, "stdin");
  test_result_clear(&f);
  test_result_clear(&s);

  s = run_sh("printf 'local n = param(\"n\", 1)\\nerror(\"this fails on line 2\")\\n' | \"$TRAINSIM\" run -");
  g_assert_cmpint(s.status, ==, 1);
  assert_has(s.err, "stdin:2: this fails on line 2");
  test_result_clear(&s);

  s = run_sh("\"$TRAINSIM\" sweep - --set staged=true,false --json --quiet < scenarios/staged-provisioning.lua");
  g_assert_cmpint(s.status, ==, 0);
  g_autoptr(JsonNode) sw = json_from_string(s.out, NULL);
  g_assert_nonnull(sw);
  g_assert_cmpint(json_object_get_int_member(json_object_get_object_member(json_node_get_object(sw), "counts"), "ok"),
                  ==, 2);
  test_result_clear(&s);

  s = run_sh("\"$TRAINSIM\" compare scenarios/simclr-tpu-v3-128.lua - --json < scenarios/staged-provisioning.lua");
  g_assert_cmpint(s.status, ==, 0);
  assert_has(s.out, "\"scenario\": \"stdin\"");
  test_result_clear(&s);

  s = run_sh("\"$TRAINSIM\" compare - - < scenarios/staged-provisioning.lua");
  g_assert_cmpint(s.status, ==, 1);
  assert_has(s.err, "can be given once");
  test_result_clear(&s);
}

/* `CMD ... --out DIR` names the files it wrote, and they are exactly the files in DIR, `last` (the completion
 * marker, renamed into place last) at the end; with --json the list goes to stderr and stdout stays one JSON
 * document; with --quiet nothing is said. */
static void
check_out_lists_files(const char *const *cmd, const char *last)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-traps-XXXXXX", NULL);
  g_assert_nonnull(tmp);
  g_autofree char *dir = g_build_filename(tmp, "out", NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new();
  for (const char *const *a = cmd; *a; a++)
    g_ptr_array_add(args, (gpointer) *a);
  g_ptr_array_add(args, (gpointer) "--out");
  g_ptr_array_add(args, dir);
  g_ptr_array_add(args, NULL);
  TestResult r = run_ts((const char **) args->pdata);
  g_assert_cmpint(r.status, ==, 0);
  g_autofree char *prefix = g_strdup_printf("\n  written to %s: ", dir);
  const char *at = strstr(r.out, prefix);
  g_assert_nonnull(at);
  g_autofree char *list = g_strndup(at + strlen(prefix), strcspn(at + strlen(prefix), "\n"));
  g_auto(GStrv) listed = g_strsplit(list, ", ", -1);
  g_autoptr(GPtrArray) present = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  for (const char *name; (name = g_dir_read_name(d)) != NULL;)
    g_ptr_array_add(present, g_strdup(name));
  g_dir_close(d);
  g_assert_cmpuint(g_strv_length(listed), ==, present->len);
  for (char **l = listed; *l; l++) {
    gboolean found = FALSE;
    for (guint i = 0; i < present->len; i++)
      found = found || g_strcmp0(g_ptr_array_index(present, i), *l) == 0;
    if (!found)
      g_error("listed %s, which is not in %s", *l, dir);
  }
  g_assert_true(g_str_has_suffix(list, last));
  g_assert_nonnull(strstr(list, "report.html"));
  test_result_clear(&r);

  g_ptr_array_insert(args, (gint) args->len - 1, (gpointer) "--json");
  r = run_ts((const char **) args->pdata);
  g_assert_cmpint(r.status, ==, 0);
  g_autoptr(JsonNode) root = json_from_string(r.out, NULL);
  g_assert_nonnull(root);
  assert_has(r.err, "written to ");
  test_result_clear(&r);
  g_ptr_array_index(args, args->len - 2) = (gpointer) "--quiet";
  r = run_ts((const char **) args->pdata);
  g_assert_cmpint(r.status, ==, 0);
  g_assert_cmpstr(r.out, ==, "");
  g_assert_null(strstr(r.err, "written to"));
  test_result_clear(&r);
  test_remove_dir(tmp);
}

static void
test_run_out_lists_files(void)
{
  const char *const args[] = {"run", "scenarios/staged-provisioning.lua", NULL};
  check_out_lists_files(args, "summary.json");
}

static void
test_sweep_out_lists_files(void)
{
  const char *const args[] = {"sweep", "scenarios/staged-provisioning.lua", "--set", "staged=true,false", "-j", "1",
                              NULL};
  check_out_lists_files(args, "sweep.json");
}

static void
test_compare_out_lists_files(void)
{
  const char *const args[] = {"compare", "scenarios/staged-provisioning.lua", "scenarios/staged-provisioning.lua",
                              "--set", "staged=false", NULL};
  check_out_lists_files(args, "compare.json");
}

/* validate reads a case's `published` table through the scenario layer: a case without it, or with a value that
 * is not a number, is refused with the file named, and the other cases still run. */
static void
test_validate_bad_published(void)
{
  g_autofree char *tmp = g_dir_make_tmp("trainsim-validate-XXXXXX", NULL);
  g_autofree char *good = test_read_file(TS_SOURCE_DIR "/scenarios/validation",
                                         "ampere-conv-dle-resnet50-1gpu.lua", NULL);
  g_autofree char *none = g_strconcat(good, "\npublished = nil\n", NULL);
  g_autofree char *text = g_strconcat(good, "\npublished = { metric = \"throughput\", value = \"2470\", "
                                      "source = \"a string is not a number\" }\n", NULL);
  const struct { const char *name, *body; } files[] = {
    {"a-good.lua", good}, {"b-no-published.lua", none}, {"c-string-value.lua", text}};
  for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *path = g_build_filename(tmp, files[i].name, NULL);
    g_assert_true(g_file_set_contents(path, files[i].body, -1, NULL));
  }
  const char *args[] = {"validate", "--dir", tmp, NULL};
  TestResult r = run_ts(args);
  g_assert_cmpint(r.status, ==, 1);
  assert_has(r.out, "a-good ");
  g_autofree char *e1 = g_strdup_printf("%s/b-no-published.lua: no global table `published", tmp);
  g_autofree char *e2 = g_strdup_printf("%s/c-string-value.lua: published.value: expected a positive number", tmp);
  g_autofree char *both = g_strconcat(r.out, r.err, NULL);
  assert_has(both, e1);
  assert_has(both, e2);
  test_result_clear(&r);
  test_remove_dir(tmp);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  trainsim = g_getenv("TRAINSIM");
  g_assert_nonnull(trainsim);
  g_test_add_func("/cli/traps/deadline-needs-unit", test_deadline_needs_unit);
  g_test_add_func("/cli/traps/compare-per-scenario-set", test_compare_per_scenario_set);
  g_test_add_func("/cli/traps/stdin", test_stdin);
  g_test_add_func("/cli/traps/run-out-lists-files", test_run_out_lists_files);
  g_test_add_func("/cli/traps/sweep-out-lists-files", test_sweep_out_lists_files);
  g_test_add_func("/cli/traps/compare-out-lists-files", test_compare_out_lists_files);
  g_test_add_func("/cli/validate/bad-published", test_validate_bad_published);
  return g_test_run();
}
