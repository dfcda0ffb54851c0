/* /scenario/worker/...: a TsScenarioWorker (core/scenario/scenario-worker.c) runs scenario after scenario in one
 * Lua state, as a sweep's worker process does, and every run's answer -- the summary.json text, or the error's
 * code and message -- is the one a new sandbox gives: for tests/fixtures/worker-leaks.lua's variants that try
 * to leave something behind for the next (globals, library tables, the string metatable, metatables on shared
 * tables, the prelude's catalogs, functions and counters, suspended coroutines, load, the random state, the
 * print allowance, a variant that errors half-way, one past the instruction budget, one past the memory cap,
 * collectgarbage and weak tables), in either order, and for every shipped scenario. */
#include "common/ts-error.h"
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <string.h>

#ifndef TS_BUILD_PLUGIN_DIR
#error "TS_BUILD_PLUGIN_DIR must name the build tree's plugin directory"
#endif
#ifndef TS_SOURCE_DIR
#error "TS_SOURCE_DIR must name the source tree"
#endif

static TsRegistry *registry;

#define ATTACKS 14

/* The answer of one run: summary.json's text, or "error <code>: <message>" (plus the summary of an infeasible
 * run). */
static char *
answer(const char *path, int attack, guint64 seed, TsScenarioWorker *worker)
{
  g_autofree char *set = g_strdup_printf("attack=%d", attack);
  const char *sets[] = {set, NULL};
  TsScenarioOptions o;
  ts_scenario_options_init(&o);
  o.path = path;
  o.sets = sets;
  o.limits.seed = seed;
  o.limits.max_instructions = 3000000;
  o.limits.max_memory = 24 * 1024 * 1024;
  o.limits.max_output = 256;
  o.worker = worker;
  GError *error = NULL;
  TsRun *run = ts_scenario_run(registry, &o, &error);
  g_autofree char *summary = run != NULL ? ts_summary_to_json(run) : NULL;
  char *text = error != NULL ? g_strdup_printf("error %d: %s\n%s", error->code, error->message, summary ? summary : "")
                             : g_strdup(summary);
  g_clear_error(&error);
  ts_run_free(run);
  return text;
}

static char *
fixture(void)
{
  return g_build_filename(TS_SOURCE_DIR, "tests", "fixtures", "worker-leaks.lua", NULL);
}

/* Each attack, then a clean variant that must not see it; the whole sequence on one worker. */
static void
test_leaks(void)
{
  g_autofree char *path = fixture();
  TsScenarioWorker *worker = ts_scenario_worker_new();
  guint64 seed = 1000;
  for (int attack = 1; attack <= ATTACKS; attack++) {
    for (int k = 0; k < 2; k++, seed++) {
      int a = k == 0 ? attack : 0;
      g_autofree char *kept = answer(path, a, seed, worker);
      g_autofree char *fresh = answer(path, a, seed, NULL);
      if (g_strcmp0(kept, fresh) != 0)
        g_error("attack %d, variant %d: the worker's answer differs from a new sandbox's:\n%s\n----\n%s", attack, a,
                kept, fresh);
      if (a == 0 && g_str_has_prefix(kept, "error"))
        g_error("the variant after attack %d: %s", attack, kept);
    }
  }
  /* The print allowance again, twice in a row: the second would pass 256 bytes if it carried over. */
  for (int k = 0; k < 2; k++, seed++) {
    g_autofree char *kept = answer(path, 14, seed, worker);
    g_assert_false(g_str_has_prefix(kept, "error"));
  }
  guint64 n_kept = 0, n_fresh = 0;
  ts_scenario_worker_get_counts(worker, &n_kept, &n_fresh);
  g_test_message("runs on the kept state %" G_GUINT64_FORMAT ", in a new sandbox %" G_GUINT64_FORMAT, n_kept, n_fresh);
  /* Only attack 8 (collectgarbage, a weak table) and 11 (the memory cap) need a new sandbox. */
  g_assert_cmpuint(n_fresh, ==, 2);
  g_assert_cmpuint(n_kept, ==, 2 * ATTACKS + 2 - 2);
  ts_scenario_worker_free(worker);
}

/* Errors name the file and line as before, and the run after one on the same worker succeeds. */
static void
test_errors(void)
{
  g_autofree char *path = fixture();
  TsScenarioWorker *worker = ts_scenario_worker_new();
  const struct {
    int attack;
    const char *code;
    const char *message;
  } cases[] = {
    {9, "error 1:", "worker-leaks.lua:80: this variant fails half-way"},
    {10, "error", "worker-leaks.lua:83: instruction budget of 3000000 exceeded"},
    {11, "error", "worker-leaks.lua:87: memory limit of 24 MiB exceeded"}, /* as a new sandbox says it */
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *failed = answer(path, cases[i].attack, 7, worker);
    if (!g_str_has_prefix(failed, cases[i].code) || strstr(failed, cases[i].message) == NULL)
      g_error("attack %d: expected \"%s\", got \"%s\"", cases[i].attack, cases[i].message, failed);
    g_autofree char *next = answer(path, 0, 8, worker);
    g_assert_false(g_str_has_prefix(next, "error"));
  }
  ts_scenario_worker_free(worker);
}

/* The same variants through two workers in opposite orders: the same answers (the seed, not the worker's history,
 * decides). */
static void
test_order(void)
{
  g_autofree char *path = fixture();
  TsScenarioWorker *forward = ts_scenario_worker_new(), *backward = ts_scenario_worker_new();
  char *a[ATTACKS + 1], *b[ATTACKS + 1];
  for (int i = 0; i <= ATTACKS; i++)
    a[i] = answer(path, i, 50 + (guint64) i, forward);
  for (int i = ATTACKS; i >= 0; i--)
    b[i] = answer(path, i, 50 + (guint64) i, backward);
  for (int i = 0; i <= ATTACKS; i++) {
    g_assert_cmpstr(a[i], ==, b[i]);
    g_free(a[i]);
    g_free(b[i]);
  }
  ts_scenario_worker_free(forward);
  ts_scenario_worker_free(backward);
}

/* Every shipped scenario, two seeds each on one worker: what a new sandbox gives. */
static void
test_shipped(void)
{
  g_autofree char *dir = g_build_filename(TS_SOURCE_DIR, "scenarios", NULL);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
    if (!g_str_has_suffix(name, ".lua"))
      continue;
    g_autofree char *path = g_build_filename(dir, name, NULL);
    TsScenarioWorker *worker = ts_scenario_worker_new();
    for (guint64 seed = 1; seed <= 2; seed++) {
      TsScenarioOptions o;
      ts_scenario_options_init(&o);
      o.path = path;
      o.limits.seed = seed;
      GError *e1 = NULL, *e2 = NULL;
      o.worker = worker;
      TsRun *r1 = ts_scenario_run(registry, &o, &e1);
      o.worker = NULL;
      TsRun *r2 = ts_scenario_run(registry, &o, &e2);
      g_autofree char *s1 = r1 ? ts_summary_to_json(r1) : g_strdup(e1->message);
      g_autofree char *s2 = r2 ? ts_summary_to_json(r2) : g_strdup(e2->message);
      if (g_strcmp0(s1, s2) != 0)
        g_error("%s, seed %" G_GUINT64_FORMAT ": the worker's answer differs from a new sandbox's", name, seed);
      g_assert_true((e1 == NULL) == (e2 == NULL));
      g_clear_error(&e1);
      g_clear_error(&e2);
      ts_run_free(r1);
      ts_run_free(r2);
    }
    guint64 kept = 0;
    ts_scenario_worker_get_counts(worker, &kept, NULL);
    g_assert_cmpuint(kept, ==, 2);
    ts_scenario_worker_free(worker);
    n++;
  }
  g_assert_cmpuint(n, >=, 10);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/scenario/worker/leaks", test_leaks);
  g_test_add_func("/scenario/worker/errors", test_errors);
  g_test_add_func("/scenario/worker/order", test_order);
  g_test_add_func("/scenario/worker/shipped", test_shipped);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
