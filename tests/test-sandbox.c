/* The scenario sandbox (core/scenario/sandbox.c): one test per trap a script could set for the host.
 * Every trap must end with the right error domain/code and message, and end quickly. */
#include "common/ts-error.h"
#include "scenario/sandbox.h"

#include <lauxlib.h>
#include <lualib.h>

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#define MIB ((gsize) 1024 * 1024)
#define QUICK_S 5.0 /* "ends quickly", in CPU seconds (cpu_seconds): generous for sanitizers */

static void
small_limits(TsSandboxLimits *limits)
{
  ts_sandbox_limits_init(limits);
  limits->max_instructions = 5000000;
  limits->max_memory = 16 * MIB;
  limits->cpu_limit_s = 1;
  limits->cpu_grace_s = 1;
}

static TsSandbox *
new_sandbox(const TsSandboxLimits *limits)
{
  GError *error = NULL;
  TsSandbox *sb = ts_sandbox_new(limits, &error);
  g_assert_no_error(error);
  g_assert_nonnull(sb);
  return sb;
}

static gboolean
run_code(TsSandbox *sb, const char *name, const char *code, int nresults, GError **error)
{
  if (!ts_sandbox_load_string(sb, code, strlen(code), name, error))
    return FALSE;
  return ts_sandbox_call(sb, 0, nresults, error);
}

static double
seconds_since(gint64 start)
{
  return (double) (g_get_monotonic_time() - start) / G_USEC_PER_SEC;
}

/* CPU seconds (user + system) of this process (RUSAGE_SELF) or of its waited-for children
 * (RUSAGE_CHILDREN).  "Ends quickly" is checked on CPU time, not wall time: the limits stop a script by
 * its CPU use, and a machine loaded by other work stretches wall time without the script doing more. */
static double
rusage_seconds(int who)
{
  struct rusage ru;
  getrusage(who, &ru);
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double) ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static double
cpu_seconds(void)
{
  return rusage_seconds(RUSAGE_SELF);
}

static double
cpu_seconds_since(double start)
{
  return cpu_seconds() - start;
}

/* Run `code` in a fresh sandbox with `limits`; it must fail with TS_ERROR/`code_expected` within
 * max_seconds.  Returns the error (the caller checks the message).  A limit must leave the sandbox
 * killed, anything else must not. */
static GError *
run_trap(const TsSandboxLimits *limits, const char *name, const char *code, TsErrorCode code_expected,
         double max_seconds)
{
  TsSandbox *sb = new_sandbox(limits);
  lua_State *L = ts_sandbox_get_state(sb);
  GError *error = NULL;
  int top = lua_gettop(L);
  double start = cpu_seconds();
  gboolean ok = run_code(sb, name, code, 0, &error);
  double elapsed = cpu_seconds_since(start);
  g_test_message("%s: %.3f s: %s", name, elapsed, error ? error->message : "(no error)");
  g_assert_false(ok);
  g_assert_error(error, TS_ERROR, (gint) code_expected);
  g_assert_cmpfloat(elapsed, <, max_seconds);
  g_assert_cmpint(lua_gettop(L), ==, top);
  g_assert_true(ts_sandbox_is_killed(sb) == (code_expected == TS_ERROR_LIMIT));
  ts_sandbox_free(sb);
  return error;
}

static void
assert_has_prefix(const char *s, const char *prefix)
{
  if (!g_str_has_prefix(s, prefix))
    g_error("\"%s\" does not start with \"%s\"", s, prefix);
}

static void
assert_contains(const char *s, const char *needle)
{
  if (strstr(s, needle) == NULL)
    g_error("\"%s\" does not contain \"%s\"", s, needle);
}

/* Run a trap with the small limits; expect a limit whose message starts with `prefix` and contains
 * `needle`. */
static void
expect_limit(const char *name, const char *code, const char *prefix, const char *needle)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  GError *error = run_trap(&limits, name, code, TS_ERROR_LIMIT, QUICK_S);
  assert_has_prefix(error->message, prefix);
  assert_contains(error->message, needle);
  g_error_free(error);
}

static gboolean
global_is_nil(TsSandbox *sb, const char *name)
{
  lua_State *L = ts_sandbox_get_state(sb);
  gboolean nil = lua_getglobal(L, name) == LUA_TNIL;
  lua_pop(L, 1);
  return nil;
}

/* ------------------------------------------------------------------------------------------------ */

static void
test_defaults(void)
{
  TsSandboxLimits limits;
  memset(&limits, 0xab, sizeof limits);
  ts_sandbox_limits_init(&limits);
  g_assert_cmpint(limits.max_instructions, ==, 500000000);
  g_assert_cmpuint(limits.max_memory, ==, 512 * MIB);
  g_assert_cmpfloat(limits.cpu_limit_s, ==, 10.0);
  g_assert_cmpfloat(limits.cpu_grace_s, ==, 2.0);
  g_assert_cmpuint(limits.seed, ==, 0);
  g_assert_false(limits.unsafe);
}

static int
return_one(lua_State *L)
{
  lua_pushinteger(L, 1);
  return 1;
}

static void
test_loop_plain(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  lua_State *L = ts_sandbox_get_state(sb);
  GError *error = NULL;
  double start = cpu_seconds();
  g_assert_false(run_code(sb, "plain.lua", "local n = 0\nwhile true do n = n + 1 end\n", 0, &error));
  g_assert_cmpfloat(cpu_seconds_since(start), <, QUICK_S);
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==, "plain.lua:2: instruction budget of 5000000 exceeded (infinite loop?)");
  g_assert_true(ts_sandbox_is_killed(sb));
  g_assert_cmpint(ts_sandbox_get_instructions(sb), >, 5000000);
  g_clear_error(&error);

  /* Sticky: a later load fails, and so does a later call, with the same message; the stack stays
   * balanced. */
  g_assert_false(run_code(sb, "later.lua", "return 1", 1, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==, "plain.lua:2: instruction budget of 5000000 exceeded (infinite loop?)");
  g_clear_error(&error);
  int top = lua_gettop(L);
  lua_pushcfunction(L, return_one);
  lua_pushinteger(L, 5);
  g_assert_false(ts_sandbox_call(sb, 1, 1, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpint(lua_gettop(L), ==, top);
  g_clear_error(&error);
  ts_sandbox_free(sb);
}

static void
test_loop_coroutine(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  double start = cpu_seconds();
  g_assert_false(run_code(sb, "co.lua",
                          "local co = coroutine.create(function()\n"
                          "  while true do end\n"
                          "end)\n"
                          "local ok, err = coroutine.resume(co)\n"
                          "escaped = true\n",
                          0, &error));
  g_assert_cmpfloat(cpu_seconds_since(start), <, QUICK_S);
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  /* the hook fired inside the coroutine: the script's coroutines inherit it */
  g_assert_cmpstr(error->message, ==, "co.lua:2: instruction budget of 5000000 exceeded (infinite loop?)");
  g_assert_true(global_is_nil(sb, "escaped"));
  g_clear_error(&error);
  ts_sandbox_free(sb);
}

static void
test_loop_pcall(void)
{
  expect_limit("pcall.lua", "while true do pcall(function() while true do end end) end", "pcall.lua:1: ",
               "instruction budget of 5000000 exceeded");
  /* pcall of a C function that is charged (string.rep) */
  expect_limit("pcall-rep.lua", "while true do pcall(string.rep, '', 2^40) end", "pcall-rep.lua:1: ",
               "instruction budget of 5000000 exceeded");
}

static void
test_loop_xpcall_handler(void)
{
  /* a runtime error whose handler loops */
  expect_limit("xpcall1.lua", "xpcall(function() error('first') end, function(m)\n while true do end\nend)",
               "xpcall1.lua:2: ", "instruction budget of 5000000 exceeded");
  /* the kill raised by the hook calls the handler with hooks off: the handler must not run */
  expect_limit("xpcall2.lua",
               "while true do\n"
               "  xpcall(function() while true do end end, function(m) while true do end end)\n"
               "end\n",
               "xpcall2.lua:2: ", "instruction budget of 5000000 exceeded");
  /* a kill raised from a C function */
  expect_limit("xpcall3.lua", "xpcall(string.rep, function(m) while true do end end, '', 2^40)", "xpcall3.lua:1: ",
               "instruction budget of 5000000 exceeded");
}

static void
expect_not_caught(const char *name, const char *code, const char *prefix)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  double start = cpu_seconds();
  g_assert_false(run_code(sb, name, code, 0, &error));
  g_test_message("%s: %.3f s: %s", name, cpu_seconds_since(start), error ? error->message : "");
  g_assert_cmpfloat(cpu_seconds_since(start), <, QUICK_S);
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  assert_has_prefix(error->message, prefix);
  assert_contains(error->message, "instruction budget of 5000000 exceeded");
  g_assert_true(global_is_nil(sb, "caught"));
  g_clear_error(&error);
  ts_sandbox_free(sb);
}

static void
test_coroutine_catch(void)
{
  expect_not_caught("resume.lua",
                    "while true do\n"
                    "  local co = coroutine.create(function() while true do end end)\n"
                    "  local ok, e = coroutine.resume(co)\n"
                    "  caught = e\n"
                    "end\n",
                    "resume.lua:2: ");
  expect_not_caught("wrap.lua",
                    "local f = coroutine.wrap(function()\n  while true do end\nend)\n"
                    "while true do caught = {pcall(f)} end\n",
                    "wrap.lua:2: ");
  /* closing the killed coroutine would run its __close handler with hooks off */
  expect_not_caught("close.lua",
                    "local co = coroutine.create(function()\n"
                    "  local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
                    "  while true do end\n"
                    "end)\n"
                    "local ok = pcall(coroutine.resume, co)\n"
                    "caught = {coroutine.close(co)}\n",
                    "close.lua:3: ");
  /* ... even from a __close handler of the caller, which runs while the kill unwinds */
  expect_not_caught("close2.lua",
                    "local co = coroutine.create(function()\n"
                    "  local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
                    "  while true do end\n"
                    "end)\n"
                    "local z <close> = setmetatable({}, {__close = function() coroutine.close(co) caught = true end})\n"
                    "coroutine.resume(co)\n",
                    "close2.lua:3: ");
  /* coroutine.wrap closes a coroutine that failed: not when it was killed */
  expect_not_caught("wrap-close.lua",
                    "local f = coroutine.wrap(function()\n"
                    "  local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
                    "  while true do end\n"
                    "end)\n"
                    "f()\n"
                    "caught = true\n",
                    "wrap-close.lua:3: ");
}

/* load() returns (nil, message) for errors raised while it reads the chunk: not for a kill */
static void
test_load_catch(void)
{
  expect_not_caught("load-reader.lua",
                    "while true do\n"
                    "  local f, err = load(function()\n    while true do end\n  end)\n"
                    "  caught = err\n"
                    "end\n",
                    "load-reader.lua:3: ");
}

static void
test_gc_finalizer_refused(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  GError *error = run_trap(&limits, "gc.lua", "local t = setmetatable({}, {__gc = function() while true do end end})",
                           TS_ERROR_SCENARIO, QUICK_S);
  assert_has_prefix(error->message, "gc.lua:1: ");
  assert_contains(error->message, "__gc");
  g_error_free(error);
  error = run_trap(&limits, "gc2.lua", "local mt = {}\nmt.__gc = false\nsetmetatable({}, mt)", TS_ERROR_SCENARIO, QUICK_S);
  assert_has_prefix(error->message, "gc2.lua:3: ");
  assert_contains(error->message, "__gc");
  g_error_free(error);
}

static int
count_call(lua_State *L)
{
  int *counter = lua_touserdata(L, lua_upvalueindex(1));
  (*counter)++;
  return 0;
}

/* __gc added to a metatable after setmetatable does not mark the object for finalization in Lua 5.4,
 * so the looping finalizer never runs: not at collectgarbage(), not at lua_close.  Runs in a
 * subprocess because a finalizer that did run would loop forever with hooks off. */
static void
test_gc_finalizer_added_later(void)
{
  if (g_test_subprocess()) {
    TsSandboxLimits limits;
    small_limits(&limits);
    int finalized = 0;
    TsSandbox *sb = new_sandbox(&limits);
    lua_State *L = ts_sandbox_get_state(sb);
    lua_pushlightuserdata(L, &finalized);
    lua_pushcclosure(L, count_call, 1);
    lua_setglobal(L, "mark");
    GError *error = NULL;
    gboolean ok = run_code(sb, "gc-later.lua",
                           "local mt = {}\n"
                           "local obj = setmetatable({}, mt)\n"
                           "mt.__gc = function() mark() while true do end end\n"
                           "local obj2 = setmetatable({}, {})\n"
                           "getmetatable(obj2).__gc = function() mark() while true do end end\n"
                           "obj, obj2 = nil, nil\n"
                           "collectgarbage()\n"
                           "collectgarbage()\n"
                           "return 'collected'\n",
                           1, &error);
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_cmpstr(lua_tostring(L, -1), ==, "collected");
    ts_sandbox_free(sb);
    g_print("finalizers run: %d\n", finalized);
    return;
  }
  g_test_trap_subprocess(NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed();
  g_test_trap_assert_stdout("*finalizers run: 0*");
}

static void
test_rep_empty(void)
{
  expect_limit("rep.lua", "return string.rep('', 2^40)", "rep.lua:1: ", "instruction budget of 5000000 exceeded");
  expect_limit("rep-sep.lua", "return ('x'):rep(0):rep(2^40, '')", "rep-sep.lua:1: ",
               "instruction budget of 5000000 exceeded");
}

static void
test_rep_memory(void)
{
  expect_limit("rep.lua", "return string.rep('x', 2^31)", "rep.lua:1: ", "memory limit of 16 MiB exceeded");
  expect_limit("rep2.lua", "local s = ('x'):rep(2^12)\nreturn s:rep(2^12)", "rep2.lua:2: ",
               "memory limit of 16 MiB exceeded");
  expect_limit("rep3.lua", "return ('x'):rep(2^62, 'yy')", "rep3.lua:1: ", "memory limit of 16 MiB exceeded");
  /* string.format doubling needs no wrapper: the cap ends it */
  expect_limit("format.lua", "local s = 'x'\nfor i = 1, 100 do s = string.format('%s%s', s, s) end", "format.lua",
               "memory limit of 16 MiB exceeded");
}

static void
test_table_move(void)
{
  expect_limit("move.lua", "table.move({}, 1, 2^40, 1)", "move.lua:1: ", "instruction budget of 5000000 exceeded");
  expect_limit("move2.lua", "table.move({}, 1, math.maxinteger - 1, 1, {})", "move2.lua:1: ",
               "instruction budget of 5000000 exceeded");
}

static void
test_table_ranges(void)
{
  /* C __index functions that return a string for any key would let concat walk 2^40 indices */
  expect_limit("concat.lua", "return table.concat(setmetatable({}, {__index = rawlen}), '', 1, 2^40)",
               "concat.lua:1: ", "instruction budget of 5000000 exceeded");
  expect_limit("concat2.lua",
               "return table.concat(setmetatable({}, {__index = rawlen, __len = function() return 2^40 end}))",
               "concat2.lua:1: ", "instruction budget of 5000000 exceeded");
  /* insert/remove/sort walk up to #t, and __len is the script's */
  expect_limit("insert.lua", "table.insert(setmetatable({}, {__len = function() return 2^40 end}), 1, 'x')",
               "insert.lua:1: ", "instruction budget of 5000000 exceeded");
  expect_limit("remove.lua", "table.remove(setmetatable({}, {__len = function() return 2^40 end}), 1)",
               "remove.lua:1: ", "instruction budget of 5000000 exceeded");
  expect_limit("sort.lua", "table.sort(setmetatable({}, {__len = function() return 2^31 - 2 end}), math.type)",
               "sort.lua:1: ", "instruction budget of 5000000 exceeded");
  /* unpack is bounded by the stack */
  TsSandboxLimits limits;
  small_limits(&limits);
  GError *error = run_trap(&limits, "unpack.lua", "return table.unpack({}, 1, 2^40)", TS_ERROR_SCENARIO, QUICK_S);
  g_assert_cmpstr(error->message, ==, "unpack.lua:1: too many results to unpack");
  g_error_free(error);
}

static void
test_memory_pcall_loop(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  double start = cpu_seconds();
  g_assert_false(run_code(sb, "bomb.lua",
                          "local keep = {}\n"
                          "while true do\n"
                          "  pcall(function() local t = {} for i = 1, 1e9 do t[i] = i end keep[#keep + 1] = t end)\n"
                          "  caught = true\n"
                          "end\n",
                          0, &error));
  g_test_message("bomb.lua: %.3f s: %s", cpu_seconds_since(start), error ? error->message : "");
  g_assert_cmpfloat(cpu_seconds_since(start), <, QUICK_S);
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==, "bomb.lua:3: memory limit of 16 MiB exceeded");
  g_assert_true(ts_sandbox_is_killed(sb));
  g_assert_cmpuint(ts_sandbox_get_memory(sb), <=, 16 * MIB);
  g_assert_true(global_is_nil(sb, "caught"));
  g_clear_error(&error);
  ts_sandbox_free(sb);

  /* without pcall the error reaches the host with the chunk name and the line the VM was on */
  expect_limit("grow.lua", "local t = {}\nfor i = 1, 1e9 do t[i] = i end", "grow.lua:2: ", "memory limit of 16 MiB exceeded");
}

/* A memory-cap kill in pure VM code (Lua raises LUA_ERRMEM from its allocator, calls no message handler, and
 * lua_pcall would unwind the stack) still names the line: the top level runs in a thread whose frames survive
 * the error (sandbox.c, call_in_top).  And that thread is invisible: coroutine.running, isyieldable and yield
 * answer at the top level as in the main thread; a failed call's __close handlers run; results come back; the
 * next call reuses the sandbox as before. */
static void
test_memory_kill_line(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  g_assert_false(run_code(sb, "doubling.lua", "local s = 'x'\n\nwhile true do s = s .. s end\n", 0, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==, "doubling.lua:3: memory limit of 16 MiB exceeded");
  g_clear_error(&error);
  ts_sandbox_free(sb);

  /* Inside a function called from the top level: the innermost line. */
  sb = new_sandbox(&limits);
  g_assert_false(run_code(sb, "inner.lua", "local function grow(t)\n  for i = 1, 1e9 do t[i] = {} end\nend\n"
                                           "grow({})\n", 0, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==, "inner.lua:2: memory limit of 16 MiB exceeded");
  g_clear_error(&error);
  ts_sandbox_free(sb);

  sb = new_sandbox(&limits);
  lua_State *L = ts_sandbox_get_state(sb);
  g_assert_true(run_code(sb, "main.lua",
                         "local co, ismain = coroutine.running()\n"
                         "return ismain, coroutine.isyieldable(), coroutine.status(co), select(2, pcall(coroutine.yield))\n",
                         4, &error));
  g_assert_no_error(error);
  g_assert_true(lua_toboolean(L, -4));
  g_assert_false(lua_toboolean(L, -3));
  g_assert_cmpstr(lua_tostring(L, -2), ==, "running");
  g_assert_cmpstr(lua_tostring(L, -1), ==, "attempt to yield from outside a coroutine");
  lua_settop(L, 0);
  /* A nested coroutine still yields; the top level is "normal" seen from it. */
  g_assert_true(run_code(sb, "co.lua",
                         "local top = coroutine.running()\n"
                         "local co = coroutine.create(function() coroutine.yield(coroutine.status(top)) end)\n"
                         "return select(2, coroutine.resume(co))\n", 1, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(lua_tostring(L, -1), ==, "normal");
  lua_settop(L, 0);
  /* An error: the pending __close handler runs (with the error object) before the call returns. */
  g_assert_false(run_code(sb, "close.lua",
                          "do\n  local x <close> = setmetatable({}, { __close = function(_, e) closed = e end })\n"
                          "  error('boom')\nend\n", 0, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_cmpstr(error->message, ==, "close.lua:3: boom");
  g_clear_error(&error);
  g_assert_true(run_code(sb, "after.lua", "return closed, 1, 2", 2, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(lua_tostring(L, -2), ==, "close.lua:3: boom");
  g_assert_cmpint(lua_tointeger(L, -1), ==, 1);
  g_assert_cmpint(lua_gettop(L), ==, 2);
  lua_settop(L, 0);
  /* Arguments in, more results asked for than returned: nil-padded, as lua_pcall does. */
  g_assert_true(ts_sandbox_load_string(sb, "return ...", 10, "args.lua", &error));
  lua_pushinteger(L, 7);
  g_assert_true(ts_sandbox_call(sb, 1, 3, &error));
  g_assert_no_error(error);
  g_assert_cmpint(lua_gettop(L), ==, 3);
  g_assert_cmpint(lua_tointeger(L, 1), ==, 7);
  g_assert_true(lua_isnil(L, 2) && lua_isnil(L, 3));
  lua_settop(L, 0);
  ts_sandbox_free(sb);
}

/* The allocator's small-block pool (core/scenario/sandbox-pool.c): 120,000 live strings and tables of every
 * size class, more than the pool's 16 MiB of chunks, so later blocks come from malloc; half dropped and
 * collected, then others made (blocks reused from the free lists, strings grown across classes and out of the
 * pool by concatenation); every value read back intact, and the memory count back near where it started once
 * they are all dropped. */
static void
test_memory_small_blocks(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  limits.max_memory = 96 * MIB;
  limits.max_instructions = 200000000;
  limits.cpu_limit_s = 60;
  TsSandbox *sb = new_sandbox(&limits);
  gsize before = ts_sandbox_get_memory(sb);
  GError *error = NULL;
  g_assert_true(run_code(sb, "pool.lua",
                         "local live, n = {}, 120000\n"
                         "for i = 1, n do\n"
                         "  live[i] = i % 3 == 0 and {i, i + 1, x = i} or string.rep(string.char(65 + i % 26), i % 500 + 1)\n"
                         "end\n"
                         "for i = 1, n, 2 do live[i] = nil end\n"
                         "collectgarbage('collect')\n"
                         "for i = 1, n, 2 do live[i] = string.rep('z', i % 37 + 1) .. string.rep('y', i % 700) end\n"
                         "local sum = 0\n"
                         "for i = 1, n do\n"
                         "  local v = live[i]\n"
                         "  if i % 2 == 1 then\n"
                         "    assert(#v == i % 37 + 1 + i % 700 and v:sub(1, 1) == 'z')\n"
                         "  elseif i % 3 == 0 then\n"
                         "    assert(v[1] == i and v[2] == i + 1 and v.x == i)\n"
                         "  else\n"
                         "    assert(#v == i % 500 + 1 and v:byte(#v) == 65 + i % 26)\n"
                         "  end\n"
                         "  sum = sum + (type(v) == 'string' and #v or v[1])\n"
                         "end\n"
                         "live = nil\n"
                         "collectgarbage('collect')\n"
                         "return sum\n",
                         1, &error));
  g_assert_no_error(error);
  double expected = 0;
  for (guint i = 1; i <= 120000; i++)
    expected += i % 2 == 1 ? i % 37 + 1 + i % 700 : i % 3 == 0 ? i : i % 500 + 1;
  lua_State *L = ts_sandbox_get_state(sb);
  g_assert_cmpfloat(lua_tonumber(L, -1), ==, expected);
  lua_pop(L, 1);
  g_assert_false(ts_sandbox_is_killed(sb));
  g_assert_cmpuint(ts_sandbox_get_memory(sb), <, before + 2 * MIB);
  ts_sandbox_free(sb);
}

static void
test_cpu_hook(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  limits.max_instructions = 0; /* no budget: only the CPU limit can stop it */
  double start = cpu_seconds();
  GError *error = run_trap(&limits, "cpu.lua", "while true do end", TS_ERROR_LIMIT, QUICK_S);
  g_assert_cmpfloat(cpu_seconds_since(start), >=, 0.9); /* 1 s of CPU, and no less */
  g_assert_cmpstr(error->message, ==, "cpu.lua:1: CPU time limit of 1 s exceeded");
  g_error_free(error);
}

/* A backtracking pattern never returns to the VM, so the hook cannot stop it: after the grace period
 * the watchdog ends the process. */
static void
test_cpu_backtracking(void)
{
  if (g_test_subprocess()) {
    TsSandboxLimits limits;
    small_limits(&limits);
    TsSandbox *sb = new_sandbox(&limits);
    GError *error = NULL;
    run_code(sb, "backtrack.lua", "return string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')", 0, &error);
    g_print("the pattern returned\n"); /* not reached */
    g_clear_error(&error);
    ts_sandbox_free(sb);
    return;
  }
  gint64 start = g_get_monotonic_time();
  double child_cpu_start = rusage_seconds(RUSAGE_CHILDREN);
  g_test_trap_subprocess(NULL, 60 * G_USEC_PER_SEC, 0);
  double elapsed = seconds_since(start);
  double child_cpu = rusage_seconds(RUSAGE_CHILDREN) - child_cpu_start;
  g_test_message("backtracking: %.3f s, %.3f s of CPU", elapsed, child_cpu);
  g_test_trap_assert_failed();
  /* 1 s limit + 1 s grace, plus start-up: bounded on the child's CPU time, since a loaded machine
   * stretches wall time (10.6 s seen) without the child doing more */
  g_assert_cmpfloat(child_cpu, <, 10.0);
  g_assert_cmpfloat(elapsed, >=, 1.9);
  g_test_trap_assert_stderr("*backtrack.lua:1: CPU time limit of 1 s exceeded inside a C function; stopping*");
  g_test_trap_assert_stdout_unmatched("*the pattern returned*");
}

static void
test_unavailable(void)
{
  static const struct {
    const char *code;
    const char *message;
  } cases[] = {
      {"os.execute('true')", "unavail.lua:1: attempt to index a nil value (global 'os')"},
      {"os.exit(0)", "unavail.lua:1: attempt to index a nil value (global 'os')"},
      {"os.remove('/tmp/x')", "unavail.lua:1: attempt to index a nil value (global 'os')"},
      {"io.open('/etc/passwd')", "unavail.lua:1: attempt to index a nil value (global 'io')"},
      {"debug.sethook()", "unavail.lua:1: attempt to index a nil value (global 'debug')"},
      {"package.loadlib('libc.so.6', 'system')", "unavail.lua:1: attempt to index a nil value (global 'package')"},
      {"require('os')", "unavail.lua:1: attempt to call a nil value (global 'require')"},
      {"dofile('/etc/passwd')", "unavail.lua:1: attempt to call a nil value (global 'dofile')"},
      {"loadfile('/etc/passwd')", "unavail.lua:1: attempt to call a nil value (global 'loadfile')"},
      {"string.dump(print)", "unavail.lua:1: attempt to call a nil value (field 'dump')"},
      {"('').dump(print)", "unavail.lua:1: attempt to call a nil value (field 'dump')"},
      {"collectgarbage('stop')", "unavail.lua:1: collectgarbage(\"stop\") is not allowed in the sandbox"},
      {"collectgarbage('generational')", "unavail.lua:1: collectgarbage(\"generational\") is not allowed"},
      {"collectgarbage('setpause', 1)", "unavail.lua:1: collectgarbage(\"setpause\") is not allowed"},
  };
  TsSandboxLimits limits;
  small_limits(&limits);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    GError *error = run_trap(&limits, "unavail.lua", cases[i].code, TS_ERROR_SCENARIO, QUICK_S);
    assert_has_prefix(error->message, cases[i].message);
    g_error_free(error);
  }
  /* what is allowed of collectgarbage still works */
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  g_assert_true(run_code(sb, "gc-ok.lua",
                         "return type(collectgarbage('count')) == 'number' and collectgarbage('isrunning') == true "
                         "and collectgarbage() == 0 and type(collectgarbage('step')) == 'boolean'",
                         1, &error));
  g_assert_no_error(error);
  g_assert_true(lua_toboolean(ts_sandbox_get_state(sb), -1));
  ts_sandbox_free(sb);
}

static int
dump_writer(lua_State *L, const void *p, size_t size, void *ud)
{
  (void) L;
  g_byte_array_append(ud, p, (guint) size);
  return 0;
}

/* A binary chunk of "return 42", made on a plain state (string.dump is gone from the sandbox). */
static GByteArray *
binary_chunk(void)
{
  GByteArray *bytes = g_byte_array_new();
  lua_State *L = luaL_newstate();
  g_assert_cmpint(luaL_loadstring(L, "return 42"), ==, LUA_OK);
  g_assert_cmpint(lua_dump(L, dump_writer, bytes, 0), ==, 0);
  lua_close(L);
  g_assert_cmpuint(bytes->len, >, 4);
  g_assert_cmpint(bytes->data[0], ==, 0x1b);
  return bytes;
}

static void
test_binary_chunk(void)
{
  GByteArray *bin = binary_chunk();
  TsSandboxLimits limits;
  small_limits(&limits);

  /* the chunk is valid: unsafe mode loads and runs it */
  TsSandboxLimits unsafe_limits;
  ts_sandbox_limits_init(&unsafe_limits);
  unsafe_limits.unsafe = TRUE;
  TsSandbox *sb = new_sandbox(&unsafe_limits);
  GError *error = NULL;
  g_assert_true(ts_sandbox_load_string(sb, (const char *) bin->data, bin->len, "bin.lua", &error));
  g_assert_no_error(error);
  g_assert_true(ts_sandbox_call(sb, 0, 1, &error));
  g_assert_cmpint(lua_tointeger(ts_sandbox_get_state(sb), -1), ==, 42);
  ts_sandbox_free(sb);

  /* the host's loaders refuse it */
  sb = new_sandbox(&limits);
  g_assert_false(ts_sandbox_load_string(sb, (const char *) bin->data, bin->len, "bin.lua", &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_cmpstr(error->message, ==, "bin.lua: attempt to load a binary chunk (mode is 't')");
  g_clear_error(&error);
  g_autofree char *dir = g_dir_make_tmp("test-sandbox-XXXXXX", &error);
  g_assert_no_error(error);
  g_autofree char *path = g_build_filename(dir, "bin.lua", NULL);
  g_assert_true(g_file_set_contents(path, (const char *) bin->data, bin->len, &error));
  g_assert_false(ts_sandbox_load_file(sb, path, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  assert_contains(error->message, "attempt to load a binary chunk (mode is 't')");
  g_clear_error(&error);
  g_unlink(path);
  g_rmdir(dir);
  g_assert_false(ts_sandbox_is_killed(sb));

  /* load() refuses it whatever mode the script asks for, and from a reader function too */
  static const char *const scripts[] = {
      "local f, err = load(BIN)\nassert(f == nil)\nerror(err, 0)",
      "local f, err = load(BIN, 'bin', 'b')\nassert(f == nil)\nerror(err, 0)",
      "local f, err = load(BIN, 'bin', 'bt', {})\nassert(f == nil)\nerror(err, 0)",
      "local done = false\n"
      "local f, err = load(function() if done then return nil end done = true return BIN end, 'bin', 'b')\n"
      "assert(f == nil)\nerror(err, 0)",
  };
  lua_State *L = ts_sandbox_get_state(sb);
  for (gsize i = 0; i < G_N_ELEMENTS(scripts); i++) {
    lua_pushlstring(L, (const char *) bin->data, bin->len);
    lua_setglobal(L, "BIN");
    g_assert_false(run_code(sb, "load-bin.lua", scripts[i], 0, &error));
    g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
    g_assert_cmpstr(error->message, ==, "attempt to load a binary chunk (mode is 't')");
    g_clear_error(&error);
  }
  ts_sandbox_free(sb);
  g_byte_array_unref(bin);
}

static void
test_syntax_error(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  const char *code = "local x = 1\nlocal = 2\n";
  g_assert_false(ts_sandbox_load_string(sb, code, strlen(code), "syntax.lua", &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  assert_has_prefix(error->message, "syntax.lua:2: ");
  g_clear_error(&error);

  g_autofree char *dir = g_dir_make_tmp("test-sandbox-XXXXXX", &error);
  g_assert_no_error(error);
  g_autofree char *path = g_build_filename(dir, "syntax.lua", NULL);
  g_assert_true(g_file_set_contents(path, "-- a comment\n\nx = = 1\n", -1, &error));
  g_assert_false(ts_sandbox_load_file(sb, path, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_autofree char *prefix = g_strdup_printf("%s:3: ", path);
  if (strlen(path) < LUA_IDSIZE - 1) /* Lua shortens long chunk names */
    assert_has_prefix(error->message, prefix);
  g_clear_error(&error);
  g_unlink(path);

  g_autofree char *missing = g_build_filename(dir, "missing.lua", NULL);
  g_assert_false(ts_sandbox_load_file(sb, missing, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_IO);
  assert_contains(error->message, "missing.lua");
  g_clear_error(&error);
  g_rmdir(dir);
  g_assert_false(ts_sandbox_is_killed(sb));
  ts_sandbox_free(sb);
}

static void
test_runtime_error(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  GError *error = run_trap(&limits, "runtime.lua", "local t\n\nreturn t.x", TS_ERROR_SCENARIO, QUICK_S);
  g_assert_cmpstr(error->message, ==, "runtime.lua:3: attempt to index a nil value (local 't')");
  g_error_free(error);
  error = run_trap(&limits, "error.lua", "\nerror('bad value')", TS_ERROR_SCENARIO, QUICK_S);
  g_assert_cmpstr(error->message, ==, "error.lua:2: bad value");
  g_error_free(error);
  error = run_trap(&limits, "number.lua", "error(42)", TS_ERROR_SCENARIO, QUICK_S);
  g_assert_cmpstr(error->message, ==, "42");
  g_error_free(error);
  /* a table error object with a looping __tostring: the host must not call it */
  error = run_trap(&limits, "tostring.lua", "error(setmetatable({}, {__tostring = function() while true do end end}))",
                   TS_ERROR_SCENARIO, QUICK_S);
  g_assert_cmpstr(error->message, ==, "(error object is a table value)");
  g_error_free(error);
}

static char *
random_sequence(guint64 seed, const char *code)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  limits.seed = seed;
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  g_assert_true(run_code(sb, "random.lua", code, 1, &error));
  g_assert_no_error(error);
  char *s = g_strdup(lua_tostring(ts_sandbox_get_state(sb), -1));
  ts_sandbox_free(sb);
  return s;
}

#define RANDOM_CODE "local t = {}\nfor i = 1, 8 do t[i] = math.random(1, 1000000000) end\nreturn table.concat(t, ',')"

static void
test_random_deterministic(void)
{
  g_autofree char *a = random_sequence(42, RANDOM_CODE);
  g_autofree char *b = random_sequence(42, RANDOM_CODE);
  g_autofree char *c = random_sequence(43, RANDOM_CODE);
  g_assert_cmpstr(a, ==, b);
  g_assert_cmpstr(a, !=, c);
}

static void
test_randomseed_noargs(void)
{
  const char *code = "local t = {}\n"
                     "for i = 1, 4 do t[#t + 1] = math.random(1, 1000000000) end\n"
                     "math.randomseed()\n"
                     "for i = 1, 4 do t[#t + 1] = math.random(1, 1000000000) end\n"
                     "return table.concat(t, ',', 1, 4) .. '|' .. table.concat(t, ',', 5, 8)";
  g_autofree char *a = random_sequence(7, code);
  g_autofree char *b = random_sequence(7, code);
  g_assert_cmpstr(a, ==, b);
  /* randomseed() re-seeds from the sandbox's seed: the sequence starts over */
  char **halves = g_strsplit(a, "|", 2);
  g_assert_cmpstr(halves[0], ==, halves[1]);
  g_strfreev(halves);
  /* math.randomseed(n) still works */
  g_autofree char *d = random_sequence(7, "math.randomseed(99)\nreturn tostring(math.random(1, 1000000000))");
  g_autofree char *e = random_sequence(8, "math.randomseed(99)\nreturn tostring(math.random(1, 1000000000))");
  g_assert_cmpstr(d, ==, e);
}

typedef struct {
  const char *name;
  const char *code;
  gint64 max_instructions;
  guint64 seed;
  /* the latch: all threads start their run together */
  GMutex *mutex;
  GCond *cond;
  int *ready;
  int nthreads;
  /* results */
  gboolean ok;
  GError *error;
  char *result;
  gint64 start, end;
} ThreadRun;

static gpointer
thread_main(gpointer data)
{
  ThreadRun *run = data;
  TsSandboxLimits limits;
  small_limits(&limits);
  limits.max_instructions = run->max_instructions;
  limits.seed = run->seed;
  TsSandbox *sb = new_sandbox(&limits); /* created here: the watchdog watches this thread's clock */
  g_mutex_lock(run->mutex);
  (*run->ready)++;
  g_cond_broadcast(run->cond);
  while (*run->ready < run->nthreads)
    g_cond_wait(run->cond, run->mutex);
  g_mutex_unlock(run->mutex);
  run->start = g_get_monotonic_time();
  run->ok = run_code(sb, run->name, run->code, 1, &run->error);
  run->end = g_get_monotonic_time();
  if (run->ok)
    run->result = g_strdup(lua_tostring(ts_sandbox_get_state(sb), -1));
  ts_sandbox_free(sb);
  return NULL;
}

static void
test_threads(void)
{
  const char *work = "local s = 0\nfor i = 1, 300000 do s = s + i % 7 end\n"
                     "return tostring(s) .. ':' .. math.random(1, 1000000000)";
  GMutex mutex;
  GCond cond;
  int ready = 0;
  g_mutex_init(&mutex);
  g_cond_init(&cond);
  ThreadRun runs[] = {
      {.name = "cpu.lua", .code = "while true do end", .max_instructions = 0, .seed = 1},
      {.name = "budget.lua", .code = "while true do end", .max_instructions = 5000000, .seed = 2},
      {.name = "work-a.lua", .code = work, .max_instructions = 50000000, .seed = 3},
      {.name = "work-b.lua", .code = work, .max_instructions = 50000000, .seed = 4},
  };
  GThread *threads[G_N_ELEMENTS(runs)];
  for (gsize i = 0; i < G_N_ELEMENTS(runs); i++) {
    runs[i].mutex = &mutex;
    runs[i].cond = &cond;
    runs[i].ready = &ready;
    runs[i].nthreads = G_N_ELEMENTS(runs);
    threads[i] = g_thread_new(runs[i].name, thread_main, &runs[i]);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(runs); i++)
    g_thread_join(threads[i]);

  /* The threads are released together by a barrier; whether the scheduler really overlaps them on a busy
   * 2-core machine is not asserted (a timing assertion would be flaky).  What must hold whatever the
   * interleaving: each sandbox's outcome is its own. */
  g_assert_false(runs[0].ok);
  g_assert_error(runs[0].error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(runs[0].error->message, ==, "cpu.lua:1: CPU time limit of 1 s exceeded");
  g_assert_false(runs[1].ok);
  g_assert_error(runs[1].error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(runs[1].error->message, ==, "budget.lua:1: instruction budget of 5000000 exceeded (infinite loop?)");
  for (gsize i = 2; i < 4; i++) {
    g_assert_no_error(runs[i].error);
    g_assert_true(runs[i].ok);
    /* the same script alone on this thread, same seed: same answer */
    g_autofree char *alone = random_sequence(runs[i].seed, work);
    g_assert_cmpstr(runs[i].result, ==, alone);
  }
  g_assert_cmpstr(runs[2].result, !=, runs[3].result); /* different seeds */

  for (gsize i = 0; i < G_N_ELEMENTS(runs); i++) {
    g_clear_error(&runs[i].error);
    g_free(runs[i].result);
  }
  g_mutex_clear(&mutex);
  g_cond_clear(&cond);
}

static void
test_host_thread(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  TsSandbox *sb = new_sandbox(&limits);
  lua_State *L = ts_sandbox_get_state(sb);
  GError *error = NULL;
  int nres = -1;
  gboolean finished = TRUE;

  /* a thread the host makes inherits the main state's count hook */
  lua_State *co = lua_newthread(L);
  int co_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  g_assert_nonnull(lua_gethook(L));
  g_assert_true(lua_gethook(co) == lua_gethook(L));
  g_assert_cmpint(lua_gethookmask(co), ==, LUA_MASKCOUNT);
  g_assert_cmpint(lua_gethookcount(co), ==, lua_gethookcount(L));

  /* yield and resume through ts_sandbox_resume */
  g_assert_true(run_code(sb, "proc.lua", "return function(a)\n local b = coroutine.yield(a + 1)\n return b * 2\nend", 1,
                         &error));
  g_assert_no_error(error);
  lua_xmove(L, co, 1);
  lua_pushinteger(co, 1);
  g_assert_true(ts_sandbox_resume(sb, co, 1, &nres, &finished, &error));
  g_assert_no_error(error);
  g_assert_false(finished);
  g_assert_cmpint(nres, ==, 1);
  g_assert_cmpint(lua_tointeger(co, -1), ==, 2);
  lua_pop(co, 1);
  lua_pushinteger(co, 10);
  g_assert_true(ts_sandbox_resume(sb, co, 1, &nres, &finished, &error));
  g_assert_true(finished);
  g_assert_cmpint(nres, ==, 1);
  g_assert_cmpint(lua_tointeger(co, -1), ==, 20);
  lua_settop(co, 0);
  luaL_unref(L, LUA_REGISTRYINDEX, co_ref);

  /* a host thread whose hook was taken off is still limited when resumed through the sandbox */
  lua_State *co2 = lua_newthread(L);
  int co2_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_sethook(co2, NULL, 0, 0);
  g_assert_true(run_code(sb, "loop.lua", "return function()\n  while true do end\nend", 1, &error));
  lua_xmove(L, co2, 1);
  double start = cpu_seconds();
  g_assert_false(ts_sandbox_resume(sb, co2, 0, &nres, &finished, &error));
  g_assert_cmpfloat(cpu_seconds_since(start), <, QUICK_S);
  g_assert_error(error, TS_ERROR, TS_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==, "loop.lua:2: instruction budget of 5000000 exceeded (infinite loop?)");
  g_assert_false(finished);
  g_assert_cmpint(nres, ==, 0);
  g_clear_error(&error);
  luaL_unref(L, LUA_REGISTRYINDEX, co2_ref);
  ts_sandbox_free(sb);
}

static void
test_unsafe(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  limits.unsafe = TRUE;
  limits.max_instructions = 1000; /* ignored in unsafe mode */
  TsSandbox *sb = new_sandbox(&limits);
  GError *error = NULL;
  g_assert_true(run_code(sb, "unsafe.lua",
                         "local n = 0\nfor i = 1, 1000000 do n = n + 1 end\n"
                         "return type(io.open) .. ',' .. type(os.time) .. ',' .. type(debug.sethook) .. ',' .. "
                         "type(require) .. ',' .. type(string.dump) .. ',' .. n",
                         1, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(lua_tostring(ts_sandbox_get_state(sb), -1), ==, "function,function,function,function,function,1000000");
  g_assert_false(ts_sandbox_is_killed(sb));
  ts_sandbox_free(sb);
}

/* The host's own text is parsed once per process and later loaded from its bytecode: the second sandbox runs the
 * same function, with the same chunk name and line numbers in its messages (the prelude's errors name its lines). */
static const char host_text[] = "local n = ...\n"
                                "if n == 0 then\n"
                                "  error('stop here')\n"
                                "end\n"
                                "return n * 2\n";

static void
test_host_text_bytecode(void)
{
  TsSandboxLimits limits;
  small_limits(&limits);
  for (int round = 0; round < 3; round++) {
    TsSandbox *sb = new_sandbox(&limits);
    lua_State *L = ts_sandbox_get_state(sb);
    GError *error = NULL;
    g_assert_true(ts_sandbox_load_host_text(sb, host_text, sizeof host_text - 1, "=host-text", &error));
    g_assert_no_error(error);
    lua_pushvalue(L, -1);
    lua_pushinteger(L, 21);
    g_assert_true(ts_sandbox_call(sb, 1, 1, &error));
    g_assert_no_error(error);
    g_assert_cmpint(lua_tointeger(L, -1), ==, 42);
    lua_pop(L, 1);
    lua_pushinteger(L, 0);
    g_assert_false(ts_sandbox_call(sb, 1, 0, &error));
    g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
    g_assert_nonnull(strstr(error->message, "host-text:3: stop here"));
    g_clear_error(&error);
    ts_sandbox_free(sb);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/sandbox/defaults", test_defaults);
  g_test_add_func("/sandbox/host-text-bytecode", test_host_text_bytecode);
  g_test_add_func("/sandbox/loop/plain", test_loop_plain);
  g_test_add_func("/sandbox/loop/coroutine", test_loop_coroutine);
  g_test_add_func("/sandbox/loop/pcall", test_loop_pcall);
  g_test_add_func("/sandbox/loop/xpcall-handler", test_loop_xpcall_handler);
  g_test_add_func("/sandbox/loop/coroutine-catch", test_coroutine_catch);
  g_test_add_func("/sandbox/loop/load-catch", test_load_catch);
  g_test_add_func("/sandbox/gc/finalizer-refused", test_gc_finalizer_refused);
  g_test_add_func("/sandbox/gc/finalizer-added-later", test_gc_finalizer_added_later);
  g_test_add_func("/sandbox/cfunc/rep-empty", test_rep_empty);
  g_test_add_func("/sandbox/cfunc/rep-memory", test_rep_memory);
  g_test_add_func("/sandbox/cfunc/table-move", test_table_move);
  g_test_add_func("/sandbox/cfunc/table-ranges", test_table_ranges);
  g_test_add_func("/sandbox/memory/pcall-loop", test_memory_pcall_loop);
  g_test_add_func("/sandbox/memory/kill-line", test_memory_kill_line);
  g_test_add_func("/sandbox/memory/small-blocks", test_memory_small_blocks);
  g_test_add_func("/sandbox/cpu/hook", test_cpu_hook);
  g_test_add_func("/sandbox/cpu/backtracking", test_cpu_backtracking);
  g_test_add_func("/sandbox/unavailable", test_unavailable);
  g_test_add_func("/sandbox/binary-chunk", test_binary_chunk);
  g_test_add_func("/sandbox/errors/syntax", test_syntax_error);
  g_test_add_func("/sandbox/errors/runtime", test_runtime_error);
  g_test_add_func("/sandbox/random/deterministic", test_random_deterministic);
  g_test_add_func("/sandbox/random/randomseed-noargs", test_randomseed_noargs);
  g_test_add_func("/sandbox/threads", test_threads);
  g_test_add_func("/sandbox/host-thread", test_host_thread);
  g_test_add_func("/sandbox/unsafe", test_unsafe);
  return g_test_run();
}
