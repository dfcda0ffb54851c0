/* trainsim-bench: micro- and meso-benchmarks of trainsim (docs/performance.md).  Not a test.
 *
 *   trainsim-bench hold --pending N --events E [--seed S]
 *       The hold model on trainsim's engine (core/engine): N events pending; each event, when it runs,
 *       schedules its successor an exponential delay later through the public API
 *       (ts_engine_schedule_in from inside the callback).  Times ts_engine_run only.
 *   trainsim-bench lua-call --calls N [--sandbox]
 *       The price of a per-step Lua hook: lua_pcall of a trivial Lua function N times, on a plain
 *       lua_State or (--sandbox) through trainsim's sandbox (ts_sandbox_call, under its instruction hook).
 *   trainsim-bench scenario FILE [--set NAME=VALUE]... [--seed S] [--reps R] [--step-events] [--worker]
 *       ts_scenario_run in-process R times: median wall time per run, engine events dispatched and what
 *       the run counted (steps, failures, checkpoints).  Plugins are loaded once, before the clock.
 *       --worker: the runs share one TsScenarioWorker (one Lua state, reset per run), as a sweep's worker
 *       runs its variants; the counts of kept and new-sandbox runs are printed.
 *   trainsim-bench prelude [--reps N]
 *       What each run pays to parse the embedded Lua prelude in a fresh sandbox, against loading the
 *       same prelude as bytecode dumped once (what a per-process cache would pay).
 *   trainsim-bench plugins [--rounds R]
 *       Start-up cost of loading the bundled plugins (build tree): in-process only (the old way, no checks),
 *       checked and probed in a child process (TRAINSIM_PROBE_CACHE=off: a cold cache every time), and
 *       checked with the probe's verdict cached (what every command pays once the cache is warm).  Prints
 *       each round's times and the median over rounds of the per-round ratios to the old way. */
#include "hold-common.h"
#include "hold-engine.h"

#include "engine/engine.h"
#include "plugin/plugin-host.h"
#include "run/run.h"
#include "scenario/sandbox.h"
#include "scenario/scenario.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

static const char hook_src[] = "function hook(step) return step end";

static int
cmd_lua_call(int argc, char **argv)
{
  uint64_t calls = 10000000;
  gboolean sandboxed = FALSE;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc && hold_parse_u64(argv[i + 1], &calls) && calls > 0)
      i++;
    else if (strcmp(argv[i], "--sandbox") == 0)
      sandboxed = TRUE;
    else {
      fprintf(stderr, "Usage: trainsim-bench lua-call --calls N [--sandbox]\n");
      return 1;
    }
  }

  TsSandbox *sandbox = NULL;
  lua_State *L;
  g_autoptr(GError) error = NULL;
  if (sandboxed) {
    TsSandboxLimits limits;
    ts_sandbox_limits_init(&limits); /* the defaults a scenario runs under, but room for N calls */
    limits.max_instructions = G_MAXINT64;
    limits.cpu_limit_s = 3600;
    sandbox = ts_sandbox_new(&limits, &error);
    if (sandbox == NULL) {
      fprintf(stderr, "trainsim-bench: %s\n", error->message);
      return 1;
    }
    L = ts_sandbox_get_state(sandbox);
    if (!ts_sandbox_load_string(sandbox, hook_src, sizeof hook_src - 1, "hook.lua", &error) ||
        !ts_sandbox_call(sandbox, 0, 0, &error)) {
      fprintf(stderr, "trainsim-bench: %s\n", error->message);
      return 1;
    }
  } else {
    L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_dostring(L, hook_src) != LUA_OK) {
      fprintf(stderr, "trainsim-bench: %s\n", lua_tostring(L, -1));
      return 1;
    }
  }
  lua_getglobal(L, "hook");
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);

  lua_Integer sum = 0;
  double t0 = hold_now_s();
  for (uint64_t i = 0; i < calls; i++) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    lua_pushinteger(L, (lua_Integer) i);
    if (sandboxed) {
      if (!ts_sandbox_call(sandbox, 1, 1, &error)) {
        fprintf(stderr, "trainsim-bench: %s\n", error->message);
        return 1;
      }
    } else if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      fprintf(stderr, "trainsim-bench: %s\n", lua_tostring(L, -1));
      return 1;
    }
    sum += lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  double seconds = hold_now_s() - t0;

  printf("calls %llu\nsandbox %s\nseconds %.6f\nns_per_call %.1f\ncalls_per_s %.0f\nchecksum %lld\n",
         (unsigned long long) calls, sandboxed ? "yes" : "no", seconds, seconds * 1e9 / (double) calls,
         (double) calls / seconds, (long long) sum);
  if (sandbox != NULL)
    ts_sandbox_free(sandbox);
  else
    lua_close(L);
  return 0;
}

static int
lua_dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
  g_byte_array_append(ud, p, (guint) sz);
  return 0;
}

/* What loading the embedded prelude costs each run (every sweep variant): parsing its text in a fresh
 * sandbox, against loading bytecode dumped (lua_dump) from it once, as a per-process cache would. */
static int
cmd_prelude(int argc, char **argv)
{
  uint64_t reps = 1000;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc && hold_parse_u64(argv[i + 1], &reps) && reps > 0)
      i++;
    else {
      fprintf(stderr, "Usage: trainsim-bench prelude [--reps N]\n");
      return 1;
    }
  }
  TsSandboxLimits limits;
  ts_sandbox_limits_init(&limits);
  g_autoptr(GError) error = NULL;
  GByteArray *bytecode = g_byte_array_new();
  {
    TsSandbox *sb = ts_sandbox_new(&limits, &error);
    if (sb == NULL || !ts_sandbox_load_string(sb, ts_prelude_lua, ts_prelude_lua_len, "=trainsim-prelude", &error)) {
      fprintf(stderr, "trainsim-bench: %s\n", error ? error->message : "sandbox");
      return 1;
    }
    lua_dump(ts_sandbox_get_state(sb), lua_dump_writer, bytecode, 0);
    ts_sandbox_free(sb);
  }
  double t_new = 0, t_text = 0, t_bin = 0;
  for (uint64_t r = 0; r < reps; r++) {
    double t0 = hold_now_s();
    TsSandbox *sb = ts_sandbox_new(&limits, &error);
    double t1 = hold_now_s();
    if (!ts_sandbox_load_string(sb, ts_prelude_lua, ts_prelude_lua_len, "=trainsim-prelude", &error)) {
      fprintf(stderr, "trainsim-bench: %s\n", error->message);
      return 1;
    }
    double t2 = hold_now_s();
    lua_State *L = ts_sandbox_get_state(sb);
    lua_pop(L, 1);
    double t3 = hold_now_s();
    if (luaL_loadbufferx(L, (const char *) bytecode->data, bytecode->len, "=trainsim-prelude", "b") != LUA_OK) {
      fprintf(stderr, "trainsim-bench: %s\n", lua_tostring(L, -1));
      return 1;
    }
    double t4 = hold_now_s();
    ts_sandbox_free(sb);
    t_new += t1 - t0;
    t_text += t2 - t1;
    t_bin += t4 - t3;
  }
  printf("reps %llu\nprelude_bytes %u\nbytecode_bytes %u\nsandbox_new_us %.1f\nparse_text_us %.1f\n"
         "load_bytecode_us %.1f\n",
         (unsigned long long) reps, ts_prelude_lua_len, bytecode->len, t_new / (double) reps * 1e6,
         t_text / (double) reps * 1e6, t_bin / (double) reps * 1e6);
  g_byte_array_unref(bytecode);
  return 0;
}

static int
compare_double(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int
cmd_scenario(int argc, char **argv)
{
  const char *path = NULL;
  GPtrArray *sets = g_ptr_array_new();
  uint64_t reps = 5, seed = 0;
  gboolean step_events = FALSE, use_worker = FALSE;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--worker") == 0)
      use_worker = TRUE;
    else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc)
      g_ptr_array_add(sets, argv[++i]);
    else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc && hold_parse_u64(argv[i + 1], &reps) && reps > 0)
      i++;
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc && hold_parse_u64(argv[i + 1], &seed))
      i++;
    else if (strcmp(argv[i], "--step-events") == 0)
      step_events = TRUE;
    else if (argv[i][0] != '-' && path == NULL)
      path = argv[i];
    else {
      fprintf(stderr, "Usage: trainsim-bench scenario FILE [--set NAME=VALUE]... [--seed S] [--reps R] "
                      "[--step-events] [--worker]\n");
      return 1;
    }
  }
  if (path == NULL) {
    fprintf(stderr, "trainsim-bench scenario: expected a FILE\n");
    return 1;
  }
  g_ptr_array_add(sets, NULL);

  g_autoptr(GError) error = NULL;
  TsRegistry *registry = ts_registry_new(NULL, &error);
  if (registry == NULL) {
    fprintf(stderr, "trainsim-bench: %s\n", error->message);
    return 1;
  }
  double *wall = g_new(double, reps);
  guint64 events = 0;
  TsResults res = {0};
  gboolean infeasible = FALSE;
  TsScenarioWorker *worker = use_worker ? ts_scenario_worker_new() : NULL;
  for (uint64_t r = 0; r < reps; r++) {
    TsScenarioOptions opts;
    ts_scenario_options_init(&opts);
    opts.path = path;
    opts.sets = (const char *const *) sets->pdata;
    opts.limits.seed = seed;
    opts.step_events = step_events;
    opts.worker = worker;
    g_clear_error(&error);
    double t0 = hold_now_s();
    TsRun *run = ts_scenario_run(registry, &opts, &error);
    wall[r] = hold_now_s() - t0;
    if (run == NULL) {
      fprintf(stderr, "trainsim-bench: %s\n", error ? error->message : "unknown error");
      return 1;
    }
    infeasible = error != NULL;
    events = ts_engine_get_dispatched(ts_run_get_engine(run));
    const TsResults *rr = ts_run_get_results(run);
    res.steps = rr->steps;
    res.failures = rr->failures;
    res.checkpoints = rr->checkpoints;
    res.devices = rr->devices;
    res.total_time_s = rr->total_time_s;
    ts_run_free(run);
  }
  qsort(wall, reps, sizeof *wall, compare_double);
  printf("scenario %s\nreps %llu\nwall_median_s %.6f\nwall_min_s %.6f\nengine_events %llu\ndevices %u\n"
         "steps %llu\nfailures %u\ncheckpoints %u\nsimulated_s %.3f\nfeasible %s\n",
         path, (unsigned long long) reps, wall[reps / 2], wall[0], (unsigned long long) events, res.devices,
         (unsigned long long) res.steps, res.failures, res.checkpoints, res.total_time_s,
         infeasible ? "no" : "yes");
  if (worker != NULL) {
    guint64 kept = 0, fresh = 0;
    ts_scenario_worker_get_counts(worker, &kept, &fresh);
    printf("worker_kept %llu\nworker_fresh %llu\n", (unsigned long long) kept, (unsigned long long) fresh);
    ts_scenario_worker_free(worker);
  }
  g_free(wall);
  g_ptr_array_free(sets, TRUE);
  ts_registry_free(registry);
  return 0;
}

static int
compare_doubles(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* One load of every bundled plugin, `checked` or not; seconds. */
static double
load_bundled(GPtrArray *paths, gboolean checked)
{
  double t0 = hold_now_s();
  for (guint i = 0; i < paths->len; i++) {
    g_autoptr(GError) error = NULL;
    const char *path = g_ptr_array_index(paths, i);
    TsPlugin *p = checked ? ts_plugin_load_checked(path, &error) : ts_plugin_load(path, &error);
    if (p == NULL) {
      fprintf(stderr, "trainsim-bench: %s\n", error->message);
      exit(1);
    }
    ts_plugin_free(p);
  }
  return hold_now_s() - t0;
}

static int
cmd_plugins(int argc, char **argv)
{
  uint64_t rounds = 21;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc && hold_parse_u64(argv[i + 1], &rounds) && rounds > 0)
      i++;
    else {
      fprintf(stderr, "Usage: trainsim-bench plugins [--rounds R]\n");
      return 1;
    }
  }
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
  const char *names[] = {"cpu.so", "gpu.so", "tpu.so"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++)
    g_ptr_array_add(paths, g_build_filename(TS_BUILD_PLUGIN_DIR, names[i], NULL));
  g_autofree char *tmp = g_dir_make_tmp("trainsim-bench-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename(tmp, "probes", NULL);
  double *cold = g_new(double, rounds), *warm = g_new(double, rounds);
  double *t_old = g_new(double, rounds), *t_cold = g_new(double, rounds), *t_warm = g_new(double, rounds);
  (void) load_bundled(paths, FALSE); /* page in the shared objects and catalogs */
  for (uint64_t r = 0; r < rounds; r++) {
    t_old[r] = load_bundled(paths, FALSE);
    g_setenv("TRAINSIM_PROBE_CACHE", "off", TRUE);
    t_cold[r] = load_bundled(paths, TRUE);
    g_setenv("TRAINSIM_PROBE_CACHE", cache, TRUE);
    if (r == 0)
      (void) load_bundled(paths, TRUE); /* warm the cache */
    t_warm[r] = load_bundled(paths, TRUE);
    cold[r] = t_cold[r] / t_old[r];
    warm[r] = t_warm[r] / t_old[r];
    printf("round %2" PRIu64 ": in-process %.2f ms, probed (cold) %.2f ms, cached (warm) %.2f ms\n", r + 1,
           t_old[r] * 1e3, t_cold[r] * 1e3, t_warm[r] * 1e3);
  }
  qsort(cold, rounds, sizeof *cold, compare_doubles);
  qsort(warm, rounds, sizeof *warm, compare_doubles);
  qsort(t_old, rounds, sizeof *t_old, compare_doubles);
  printf("3 bundled plugins, %" PRIu64 " rounds: in-process %.2f ms (median); probed in a child, cold cache: %.2fx; "
         "verdict cached: %.2fx (medians of per-round ratios)\n", rounds, t_old[rounds / 2] * 1e3, cold[rounds / 2],
         warm[rounds / 2]);
  g_unlink(cache);
  g_rmdir(tmp);
  g_free(cold);
  g_free(warm);
  g_free(t_old);
  g_free(t_cold);
  g_free(t_warm);
  return 0;
}

int
main(int argc, char **argv)
{
  if (argc >= 2 && strcmp(argv[1], "hold") == 0)
    return ts_bench_hold_main(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "lua-call") == 0)
    return cmd_lua_call(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "scenario") == 0)
    return cmd_scenario(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "prelude") == 0)
    return cmd_prelude(argc - 1, argv + 1);
  if (argc >= 2 && strcmp(argv[1], "plugins") == 0)
    return cmd_plugins(argc - 1, argv + 1);
  fprintf(stderr, "Usage: trainsim-bench hold --pending N --events E [--seed S]\n"
                  "       trainsim-bench lua-call --calls N [--sandbox]\n"
                  "       trainsim-bench scenario FILE [--set NAME=VALUE]... [--seed S] [--reps R] [--step-events] [--worker]\n"
                  "       trainsim-bench prelude [--reps N]\n"
                  "       trainsim-bench plugins [--rounds R]\n");
  return 1;
}
