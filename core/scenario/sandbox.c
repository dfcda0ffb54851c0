/* The scenario sandbox (sandbox.h).
 *
 * One lua_State per TsSandbox.  Nothing here is global: every piece of mutable state lives in the
 * TsSandbox, reached from Lua through the allocator's userdata (lua_getallocf), so many sandboxes can
 * run at once in different threads.
 *
 * What a script gets (the safe set): base (without dofile and loadfile; load only takes text), string
 * (without string.dump), table, math, utf8, coroutine.  No io, os, package/require or debug: os.time,
 * os.clock and os.getenv would make runs non-deterministic, and the rest reach outside the process.
 *
 * The limits, and why each one is built the way it is:
 *
 * - Instruction budget.  A count hook fires every HOOK_PERIOD VM instructions and adds them to a
 *   counter; past max_instructions the run is killed.  A kill is sticky: once killed, every hook firing
 *   raises the kill again, and the functions that catch errors (pcall, xpcall, coroutine.resume,
 *   coroutine.wrap, coroutine.close, load) are replaced by versions that re-raise the kill instead of
 *   returning false, so no script-level handler can swallow it.  Hooks are per thread in Lua; 5.4's
 *   lua_newthread copies the creating thread's hook, and the resume paths (coroutine.resume, wrap,
 *   ts_sandbox_resume) set it again on any thread that lacks it.
 *
 * - Hooks only fire while Lua code runs, so the C functions whose running time a script controls
 *   without allocating are replaced by versions that charge their work to the budget up front:
 *   string.rep (n, and n*(#s+#sep) checked against the memory cap before anything is allocated),
 *   table.move, table.concat, table.unpack, table.insert, table.remove (the range they walk) and
 *   table.sort (per partition, about n log n).  collectgarbage("collect"/"step") charges heap/16.
 *   table.sort's pivot randomisation uses a deterministic sequence instead of clock()/time().
 *
 * - Memory cap.  A custom allocator refuses growth beyond max_memory while a run (load, call,
 *   resume) is in progress; shrinking never fails.  The first refusal kills the run (sticky), so a
 *   pcall loop that keeps provoking allocation failures ends at once instead of thrashing the
 *   collector.  Allocations the host makes outside a run are not refused, so unprotected host calls
 *   into the Lua API cannot turn the cap into a panic.
 *
 * - Finalizers.  Lua 5.4 runs __gc metamethods with hooks off, so a finalizer could loop forever.
 *   setmetatable refuses any metatable with a __gc field.  Adding __gc to a metatable after
 *   setmetatable does not mark objects for finalization in 5.4, and the script has no other way to set
 *   a metatable (no debug library).
 *
 * - Message handlers.  An error raised from a hook calls xpcall's message handler with hooks still
 *   off, so xpcall's handler is wrapped: once the sandbox is killed, it returns at once without running
 *   script code.
 *
 * - CPU-time backstop.  When cpu_limit_s > 0 a watchdog thread polls, every WATCHDOG_PERIOD_US, the CPU
 *   clock of the thread that created the sandbox (pthread_getcpuclockid), counting the CPU time spent
 *   while a run is in progress (sampled at each poll).  Past cpu_limit_s it sets an atomic flag that the
 *   count hook turns into a kill.  If the same run is still going cpu_grace_s CPU seconds later, the
 *   script is stuck inside a C function that never reaches the hook (a backtracking pattern such as
 *   string.find(string.rep("a", 40), string.rep("a*", 40) .. "b"), or a binding that spins), and the
 *   only way out is to end the process: the watchdog writes "<chunk>: CPU time limit of N s exceeded
 *   inside a C function; stopping" to stderr and calls _exit(1).  A sandbox must therefore be run on
 *   the thread that created it, and sweeps run each variant in a child process so one stuck variant
 *   cannot take the others with it.
 *
 * - Errors are turned into text without calling script metamethods: a string stays a string, a number
 *   is formatted, anything else becomes "(error object is a table value)" and so on.
 */
#include "scenario/sandbox.h"

#include "common/ts-error.h"
#include "common/ts-text.h"

#include <lauxlib.h>
#include <lualib.h>

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HOOK_PERIOD 1000                                  /* VM instructions between count-hook firings */
#define WATCHDOG_PERIOD_US (50 * G_TIME_SPAN_MILLISECOND) /* how often the watchdog reads the CPU clock */
#define MIB ((gsize) 1024 * 1024)
#define WHERE_SIZE (LUA_IDSIZE + 32)
#define MAX_WHERE_LEVELS 64
#define MAX_ERROR_TEXT 4096 /* bytes of a script's error message kept */

/* The longest string Lua can make (lstrlib.c's MAXSIZE). */
#define MAX_STRING_SIZE                                                                                   \
  (sizeof(size_t) < sizeof(lua_Integer) ? (size_t) SIZE_MAX : (size_t) LUA_MAXINTEGER)

typedef enum {
  KILL_NONE,
  KILL_INSTRUCTIONS,
  KILL_MEMORY,
  KILL_CPU,
  KILL_OUTPUT,
} TsKill;

struct TsSandbox {
  lua_State *L;
  TsSandboxLimits limits;

  /* Touched only by the thread that runs the sandbox (allocator, hook, wrappers, API calls). */
  gsize used;          /* bytes the Lua heap holds now */
  gsize printed;       /* bytes print() wrote (counted against max_output) */
  gsize host_used;     /* bytes the host keeps of the script's data (ts_sandbox_charge_host), never given back */
  gint64 instructions; /* executed (per HOOK_PERIOD) plus what the C wrappers charged */
  TsKill killed;       /* sticky */
  char *kill_message;  /* the text of the first kill; composed where a stack is at hand */
  int kill_ref;        /* registry reference of the value the kill raises (allocated up front) */
  int depth;           /* nesting of runs in progress (load, call, resume) */

  /* Shared with the watchdog. */
  GMutex wd_mutex; /* guards wd_stop and chunkname */
  GCond wd_cond;
  gboolean wd_stop;
  char *chunkname; /* name of the last chunk loaded, for messages: "scenarios/x.lua" */
  char last_where[WHERE_SIZE]; /* "file:line" the script last reached (hook, pattern functions) */
  GThread *watchdog;
  clockid_t cpu_clock; /* CPU clock of the creating thread */
  gint running;        /* atomic: a run is in progress */
  gint call_seq;       /* atomic: counts outermost runs */
  gint cpu_exceeded;   /* atomic: the watchdog saw the CPU limit pass */
};

static TsSandbox *
sandbox_of(lua_State *L)
{
  void *ud = NULL;
  lua_getallocf(L, &ud);
  return ud;
}

/* ------------------------------------------------------------------------------------------------ */
/* Allocator */

static void *
sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
  TsSandbox *sb = ud;
  size_t old = ptr != NULL ? osize : 0; /* with ptr == NULL, osize is a type tag */

  if (nsize == 0) {
    free(ptr);
    sb->used -= old;
    return NULL;
  }
  if (nsize > old && sb->limits.max_memory > 0 && sb->depth > 0) {
    gsize cap = sb->limits.max_memory;
    gsize in_use = sb->used + sb->host_used; /* the cap covers the host's copies too */
    if (in_use > cap || nsize - old > cap - in_use) {
      if (sb->killed == KILL_NONE)
        sb->killed = KILL_MEMORY; /* the message is composed where a stack is at hand */
      return NULL;
    }
  }
  void *block = realloc(ptr, nsize);
  if (block == NULL)
    return nsize <= old ? ptr : NULL; /* Lua assumes a shrink never fails: keep the bigger block */
  sb->used = sb->used - old + nsize;
  return block;
}

static int
sandbox_panic(lua_State *L)
{
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object is not a string)";
  char *safe = ts_text_escape(msg, -1, MAX_ERROR_TEXT, TRUE);
  fprintf(stderr, "trainsim: unprotected error in a call to the Lua API: %s\n", safe);
  g_free(safe);
  fflush(stderr);
  return 0; /* Lua aborts */
}

/* ------------------------------------------------------------------------------------------------ */
/* Kills */

/* "file:line" of the innermost Lua function at or above `level`, or "" when there is none.  Reads
 * debug information only; allocates nothing. */
static void
where_text(lua_State *L, int level, char *buf, gsize size)
{
  lua_Debug ar;
  buf[0] = '\0';
  /* A chunk loaded from a file ("@path") is the script; the prelude ("=trainsim-prelude") is ours, and a
   * limit hit inside one of its functions is still the script's doing at the line that called it. */
  for (int i = level; i < level + MAX_WHERE_LEVELS && lua_getstack(L, i, &ar); i++) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      if (buf[0] == '\0' || ar.source[0] == '@')
        g_snprintf(buf, size, "%s:%d", ar.short_src, ar.currentline);
      if (ar.source[0] == '@')
        return;
    }
  }
}

/* Remember where the script is now, for the watchdog: it runs on another thread and cannot read the
 * Lua stack, and the message it writes before _exit must still name the line. */
static void
note_where(TsSandbox *sb, lua_State *L, int level)
{
  char where[WHERE_SIZE];
  where_text(L, level, where, sizeof where);
  if (where[0] == '\0')
    return;
  g_mutex_lock(&sb->wd_mutex);
  g_strlcpy(sb->last_where, where, sizeof sb->last_where);
  g_mutex_unlock(&sb->wd_mutex);
}

static char *
format_bytes(gsize bytes)
{
  if (bytes >= MIB && bytes % MIB == 0)
    return g_strdup_printf("%" G_GSIZE_FORMAT " MiB", bytes / MIB);
  return g_strdup_printf("%" G_GSIZE_FORMAT " bytes", bytes);
}

static char *
compose_kill_message(TsSandbox *sb, const char *where)
{
  g_autofree char *prefix = NULL;
  if (where != NULL && where[0] != '\0') {
    prefix = g_strdup_printf("%s: ", where);
  } else {
    g_mutex_lock(&sb->wd_mutex);
    prefix = sb->chunkname != NULL ? g_strdup_printf("%s: ", sb->chunkname) : g_strdup("");
    g_mutex_unlock(&sb->wd_mutex);
  }
  switch (sb->killed) {
  case KILL_INSTRUCTIONS:
    return g_strdup_printf("%sinstruction budget of %" G_GINT64_FORMAT " exceeded (infinite loop?)", prefix,
                           sb->limits.max_instructions);
  case KILL_MEMORY: {
    g_autofree char *cap = format_bytes(sb->limits.max_memory);
    return g_strdup_printf("%smemory limit of %s exceeded", prefix, cap);
  }
  case KILL_CPU:
    return g_strdup_printf("%sCPU time limit of %g s exceeded", prefix, sb->limits.cpu_limit_s);
  case KILL_OUTPUT: {
    g_autofree char *cap = format_bytes(sb->limits.max_output);
    return g_strdup_printf("%sprint output limit of %s exceeded", prefix, cap);
  }
  case KILL_NONE:
  default:
    return g_strdup_printf("%ssandbox limit exceeded", prefix);
  }
}

/* Record a kill (the first kind wins) and its message, with the location of the innermost Lua
 * function of L when L is given. */
static void
mark_killed(TsSandbox *sb, lua_State *L, TsKill kind)
{
  if (sb->killed == KILL_NONE)
    sb->killed = kind;
  if (sb->kill_message == NULL) {
    char where[WHERE_SIZE] = "";
    if (L != NULL)
      where_text(L, 0, where, sizeof where);
    sb->kill_message = compose_kill_message(sb, where);
  }
}

/* Raise the kill.  The raised value was allocated when the sandbox was made, so raising needs no
 * memory even when the kill is the memory cap. */
static int
raise_kill(TsSandbox *sb, lua_State *L, TsKill kind)
{
  mark_killed(sb, L, kind);
  lua_rawgeti(L, LUA_REGISTRYINDEX, sb->kill_ref);
  return lua_error(L);
}

static void
check_killed(TsSandbox *sb, lua_State *L)
{
  if (sb->killed != KILL_NONE)
    raise_kill(sb, L, sb->killed);
}

/* Charge `amount` instructions of work done by a C function; kill when the budget is spent. */
static void
charge(TsSandbox *sb, lua_State *L, lua_Unsigned amount)
{
  check_killed(sb, L);
  if (amount > (lua_Unsigned) (G_MAXINT64 - sb->instructions))
    sb->instructions = G_MAXINT64;
  else
    sb->instructions += (gint64) amount;
  if (sb->limits.max_instructions > 0 && sb->instructions > sb->limits.max_instructions)
    raise_kill(sb, L, KILL_INSTRUCTIONS);
}

static void
sandbox_hook(lua_State *L, lua_Debug *ar)
{
  (void) ar;
  TsSandbox *sb = sandbox_of(L);
  if (sb->instructions <= G_MAXINT64 - HOOK_PERIOD)
    sb->instructions += HOOK_PERIOD;
  if (sb->killed != KILL_NONE)
    raise_kill(sb, L, sb->killed);
  else if (sb->limits.max_instructions > 0 && sb->instructions > sb->limits.max_instructions)
    raise_kill(sb, L, KILL_INSTRUCTIONS);
  else if (g_atomic_int_get(&sb->cpu_exceeded))
    raise_kill(sb, L, KILL_CPU);
  else if (sb->limits.cpu_limit_s > 0)
    note_where(sb, L, 0);
}

/* string.find, match, gmatch and gsub: the pattern matcher can backtrack for a very long time inside one C
 * call, where no hook fires; the caller's line is noted first, so the watchdog's last-resort message names
 * it.  The original function is upvalue 1. */
static int
sb_pattern_call(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  if (sb->limits.cpu_limit_s > 0)
    note_where(sb, L, 1);
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

static void
ensure_hook(TsSandbox *sb, lua_State *co)
{
  if (sb->limits.unsafe)
    return;
  if (lua_gethook(co) != sandbox_hook || lua_gethookmask(co) != LUA_MASKCOUNT || lua_gethookcount(co) != HOOK_PERIOD)
    lua_sethook(co, sandbox_hook, LUA_MASKCOUNT, HOOK_PERIOD);
}

/* ------------------------------------------------------------------------------------------------ */
/* Base library replacements */

static int
finish_pcall(lua_State *L, int status, lua_KContext extra)
{
  check_killed(sandbox_of(L), L);
  if (status != LUA_OK && status != LUA_YIELD) { /* error: false, message */
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - (int) extra; /* true, results */
}

static int
sb_pcall(lua_State *L)
{
  luaL_checkany(L, 1);
  check_killed(sandbox_of(L), L);
  lua_pushboolean(L, 1); /* first result if no error */
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
  return finish_pcall(L, status, 0);
}

/* xpcall's message handler, wrapped: when the sandbox is killed the handler does not run (an error
 * raised by the count hook calls the handler with hooks off, where a loop could never be stopped). */
static int
sb_message_handler(lua_State *L)
{
  if (sandbox_of(L)->killed != KILL_NONE) {
    lua_settop(L, 1);
    return 1;
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static int
sb_xpcall(lua_State *L)
{
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  check_killed(sandbox_of(L), L);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, sb_message_handler, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1); /* first result */
  lua_pushvalue(L, 1);   /* function */
  lua_rotate(L, 3, 2);   /* move them below the function's arguments */
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
  return finish_pcall(L, status, 2);
}

#define LOAD_RESERVED_SLOT 5

static const char *
load_reader(lua_State *L, void *ud, size_t *size)
{
  (void) ud;
  luaL_checkstack(L, 2, "too many nested functions");
  lua_pushvalue(L, 1);
  lua_call(L, 0, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    *size = 0;
    return NULL;
  }
  if (!lua_isstring(L, -1))
    luaL_error(L, "reader function must return a string");
  lua_replace(L, LOAD_RESERVED_SLOT);
  return lua_tolstring(L, LOAD_RESERVED_SLOT, size);
}

/* load(chunk [, chunkname [, mode [, env]]]): always text mode; env defaults to the sandbox's globals
 * (Lua's own default, since the registry's globals are the sandbox's). */
static int
sb_load(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  int env = !lua_isnone(L, 4) ? 4 : 0;
  int status;
  check_killed(sb, L);
  luaL_optstring(L, 3, "t"); /* checked for its type, then ignored: only text is loaded */
  if (s != NULL) {
    const char *chunkname = luaL_optstring(L, 2, s);
    status = luaL_loadbufferx(L, s, len, chunkname, "t");
  } else {
    const char *chunkname = luaL_optstring(L, 2, "=(load)");
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, LOAD_RESERVED_SLOT);
    status = lua_load(L, load_reader, NULL, chunkname, "t");
  }
  check_killed(sb, L); /* load catches errors: a kill inside it must not come back as (nil, msg) */
  if (status == LUA_OK) {
    if (env != 0) {
      lua_pushvalue(L, env);
      if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    }
    return 1;
  }
  luaL_pushfail(L);
  lua_insert(L, -2);
  return 2;
}

/* print: to stderr, one write per line, prefixed with where it was called. */
static int
sb_print(lua_State *L)
{
  int n = lua_gettop(L);
  char where[WHERE_SIZE];
  luaL_Buffer b;
  where_text(L, 1, where, sizeof where);
  luaL_buffinit(L, &b);
  if (where[0] != '\0') {
    luaL_addstring(&b, where);
    luaL_addstring(&b, ": ");
  }
  for (int i = 1; i <= n; i++) {
    if (i > 1)
      luaL_addchar(&b, '\t');
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_addchar(&b, '\n');
  luaL_pushresult(&b);
  size_t len;
  const char *line = lua_tolstring(L, -1, &len);
  TsSandbox *sb = sandbox_of(L);
  if (sb->limits.max_output == 0 || sb->limits.unsafe) {
    fwrite(line, 1, len, stderr);
  } else if (sb->printed < sb->limits.max_output) {
    /* Control characters escaped (a print cannot clear the screen or forge a line of the summary), and no
     * more than max_output bytes over the run: a print loop would otherwise write gigabytes. */
    gsize room = sb->limits.max_output - sb->printed;
    char *safe = ts_text_escape(line, (gssize) len, MIN(len, room), TRUE);
    gsize written = strlen(safe);
    sb->printed += MIN(len, room);
    fwrite(safe, 1, written, stderr);
    gboolean ends_line = written > 0 && safe[written - 1] == '\n';
    g_free(safe); /* before raise_kill, which does not return */
    if (sb->printed >= sb->limits.max_output) {
      if (!ends_line)
        fputc('\n', stderr);
      fflush(stderr);
      return raise_kill(sb, L, KILL_OUTPUT); /* a flood is a runaway script: end it, as the other limits do */
    }
  }
  fflush(stderr);
  return 0;
}

static int
sb_setmetatable(lua_State *L)
{
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    int gc = lua_rawget(L, 2);
    lua_pop(L, 1);
    if (gc != LUA_TNIL)
      return luaL_error(L, "setmetatable: metatables with a __gc field are not allowed in the sandbox "
                           "(finalizers would run outside the instruction budget)");
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

static int
sb_collectgarbage(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  const char *opt = luaL_optstring(L, 1, "collect");
  int res;
  if (strcmp(opt, "count") == 0) {
    int k = lua_gc(L, LUA_GCCOUNT);
    int b = lua_gc(L, LUA_GCCOUNTB);
    if (k == -1) {
      luaL_pushfail(L);
      return 1;
    }
    lua_pushnumber(L, (lua_Number) k + ((lua_Number) b / 1024));
    return 1;
  }
  if (strcmp(opt, "isrunning") == 0) {
    res = lua_gc(L, LUA_GCISRUNNING);
    if (res == -1)
      luaL_pushfail(L);
    else
      lua_pushboolean(L, res);
    return 1;
  }
  if (strcmp(opt, "collect") == 0) {
    charge(sb, L, sb->used / 16); /* a full collection walks the heap */
    res = lua_gc(L, LUA_GCCOLLECT);
    if (res == -1)
      luaL_pushfail(L);
    else
      lua_pushinteger(L, res);
    return 1;
  }
  if (strcmp(opt, "step") == 0) {
    lua_Integer step = luaL_optinteger(L, 2, 0);
    charge(sb, L, sb->used / 16); /* a step may finish a whole cycle */
    res = lua_gc(L, LUA_GCSTEP, (int) CLAMP(step, 0, INT_MAX));
    if (res == -1)
      luaL_pushfail(L);
    else
      lua_pushboolean(L, res);
    return 1;
  }
  return luaL_error(L, "collectgarbage(\"%s\") is not allowed in the sandbox "
                       "(allowed: \"collect\", \"count\", \"step\", \"isrunning\")",
                    opt);
}

/* ------------------------------------------------------------------------------------------------ */
/* Coroutine library replacements */

static lua_State *
get_coroutine(lua_State *L)
{
  lua_State *co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "coroutine");
  return co;
}

/* Resume co with narg values from L; returns the number of results moved to L, or -1 with the error
 * object on L.  A kill (in co or anywhere) is raised again in L. */
static int
aux_resume(lua_State *L, lua_State *co, int narg)
{
  TsSandbox *sb = sandbox_of(L);
  int nres;
  check_killed(sb, L);
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  ensure_hook(sb, co);
  lua_xmove(L, co, narg);
  int status = lua_resume(co, L, narg, &nres);
  if (sb->killed != KILL_NONE) {
    if (status != LUA_OK && status != LUA_YIELD)
      mark_killed(sb, co, sb->killed); /* co's frames are still there: locate the kill inside it */
    raise_kill(sb, L, sb->killed);
  }
  if (status == LUA_OK || status == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) {
      lua_pop(co, nres);
      lua_pushliteral(L, "too many results to resume");
      return -1;
    }
    lua_xmove(co, L, nres);
    return nres;
  }
  lua_xmove(co, L, 1); /* the error object */
  return -1;
}

static int
sb_co_resume(lua_State *L)
{
  lua_State *co = get_coroutine(L);
  int r = aux_resume(L, co, lua_gettop(L) - 1);
  if (r < 0) {
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, -(r + 1));
  return r + 1;
}

static int
close_thread(lua_State *co, lua_State *from)
{
#if LUA_VERSION_RELEASE_NUM >= 50406
  return lua_closethread(co, from);
#else
  (void) from;
  return lua_resetthread(co);
#endif
}

static int
aux_wrap(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int r = aux_resume(L, co, lua_gettop(L));
  if (r >= 0)
    return r;
  int status = lua_status(co);
  if (status != LUA_OK && status != LUA_YIELD) { /* error in the coroutine: close its tbc variables */
    status = close_thread(co, L);
    check_killed(sb, L);
    lua_xmove(co, L, 1);
  }
  if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int
sb_co_wrap(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TFUNCTION);
  check_killed(sandbox_of(L), L);
  lua_State *co = lua_newthread(L);
  ensure_hook(sandbox_of(L), co);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushcclosure(L, aux_wrap, 1);
  return 1;
}

enum { CO_RUNNING, CO_DEAD, CO_SUSPENDED, CO_NORMAL };

static int
co_status(lua_State *L, lua_State *co)
{
  if (L == co)
    return CO_RUNNING;
  switch (lua_status(co)) {
  case LUA_YIELD:
    return CO_SUSPENDED;
  case LUA_OK: {
    lua_Debug ar;
    if (lua_getstack(co, 0, &ar))
      return CO_NORMAL;
    return lua_gettop(co) == 0 ? CO_DEAD : CO_SUSPENDED;
  }
  default:
    return CO_DEAD;
  }
}

static int
sb_co_close(lua_State *L)
{
  static const char *const names[] = {"running", "dead", "suspended", "normal"};
  TsSandbox *sb = sandbox_of(L);
  lua_State *co = get_coroutine(L);
  int status = co_status(L, co);
  /* A coroutine killed by the hook is left with hooks off; closing it would run its __close
   * handlers unlimited.  Once killed, nothing is closed. */
  check_killed(sb, L);
  if (status != CO_DEAD && status != CO_SUSPENDED)
    return luaL_error(L, "cannot close a %s coroutine", names[status]);
  ensure_hook(sb, co);
  status = close_thread(co, L);
  check_killed(sb, L);
  if (status == LUA_OK) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  lua_xmove(co, L, 1);
  return 2;
}

/* ------------------------------------------------------------------------------------------------ */
/* string.rep and math.randomseed */

static int
sb_str_rep(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  size_t l, lsep;
  const char *s = luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *sep = luaL_optlstring(L, 3, "", &lsep);
  if (n <= 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  size_t unit = l + lsep;
  if (unit < l || (unit > 0 && (lua_Unsigned) n > MAX_STRING_SIZE / unit)) {
    if (sb->limits.max_memory > 0)
      return raise_kill(sb, L, KILL_MEMORY);
    return luaL_error(L, "resulting string too large");
  }
  size_t total = (size_t) n * l + (size_t) (n - 1) * lsep;
  if (sb->limits.max_memory > 0) {
    gsize room = sb->used < sb->limits.max_memory ? sb->limits.max_memory - sb->used : 0;
    if (total > room)
      return raise_kill(sb, L, KILL_MEMORY);
  }
  charge(sb, L, (lua_Unsigned) n);
  if (total == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, total);
  while (n-- > 1) {
    memcpy(p, s, l);
    p += l;
    if (lsep > 0) {
      memcpy(p, sep, lsep);
      p += lsep;
    }
  }
  memcpy(p, s, l);
  luaL_pushresultsize(&b, total);
  return 1;
}

/* math.randomseed() without arguments re-seeds from the sandbox's seed instead of the clock. */
static int
sb_randomseed(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer n1, n2;
  if (lua_isnone(L, 1)) {
    n1 = (lua_Integer) sb->limits.seed;
    n2 = 0;
  } else {
    n1 = luaL_checkinteger(L, 1);
    n2 = luaL_optinteger(L, 2, 0);
  }
  lua_settop(L, 0);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushinteger(L, n1);
  lua_pushinteger(L, n2);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L);
}

/* ------------------------------------------------------------------------------------------------ */
/* Table library replacements (ltablib.c of Lua 5.4, with the work charged to the budget, the length
 * read once, and a deterministic pivot sequence in sort). */

#define TAB_R 1
#define TAB_W 2
#define TAB_L 4
#define TAB_RW (TAB_R | TAB_W)

static int
check_field(lua_State *L, const char *key, int n)
{
  lua_pushstring(L, key);
  return lua_rawget(L, -n) != LUA_TNIL;
}

static void
check_tab(lua_State *L, int arg, int what)
{
  if (lua_type(L, arg) != LUA_TTABLE) {
    int n = 1;
    if (lua_getmetatable(L, arg) && (!(what & TAB_R) || check_field(L, "__index", ++n)) &&
        (!(what & TAB_W) || check_field(L, "__newindex", ++n)) &&
        (!(what & TAB_L) || check_field(L, "__len", ++n)))
      lua_pop(L, n);
    else
      luaL_checktype(L, arg, LUA_TTABLE);
  }
}

static lua_Integer
aux_getn(lua_State *L, int arg, int what)
{
  check_tab(L, arg, what | TAB_L);
  return luaL_len(L, arg);
}

/* Number of elements in [from, to], saturated. */
static lua_Unsigned
range_length(lua_Integer from, lua_Integer to)
{
  if (to < from)
    return 0;
  lua_Unsigned d = (lua_Unsigned) to - (lua_Unsigned) from;
  return d == (lua_Unsigned) -1 ? d : d + 1;
}

static int
sb_tinsert(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer e = aux_getn(L, 1, TAB_RW);
  lua_Integer pos;
  e = luaL_intop(+, e, 1); /* first empty element */
  switch (lua_gettop(L)) {
  case 2:
    pos = e;
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    luaL_argcheck(L, (lua_Unsigned) pos - 1u < (lua_Unsigned) e, 2, "position out of bounds");
    charge(sb, L, range_length(pos, e - 1));
    for (lua_Integer i = e; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

static int
sb_tremove(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer size = aux_getn(L, 1, TAB_RW);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size)
    luaL_argcheck(L, (lua_Unsigned) pos - 1u <= (lua_Unsigned) size, 2, "position out of bounds");
  charge(sb, L, range_length(pos, size - 1));
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

static int
sb_tmove(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer f = luaL_checkinteger(L, 2);
  lua_Integer e = luaL_checkinteger(L, 3);
  lua_Integer t = luaL_checkinteger(L, 4);
  int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
  check_tab(L, 1, TAB_R);
  check_tab(L, tt, TAB_W);
  if (e >= f) {
    luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
    lua_Integer n = e - f + 1;
    luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
    charge(sb, L, (lua_Unsigned) n);
    if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
      for (lua_Integer i = 0; i < n; i++) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
      }
    } else {
      for (lua_Integer i = n - 1; i >= 0; i--) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
      }
    }
  }
  lua_pushvalue(L, tt);
  return 1;
}

static void
concat_field(lua_State *L, luaL_Buffer *b, lua_Integer i)
{
  lua_geti(L, 1, i);
  if (!lua_isstring(L, -1))
    luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT) i);
  luaL_addvalue(b);
}

static int
sb_tconcat(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  luaL_Buffer b;
  size_t lsep;
  lua_Integer last;
  check_tab(L, 1, TAB_R);
  const char *sep = luaL_optlstring(L, 2, "", &lsep);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  if (lua_isnoneornil(L, 4))
    last = aux_getn(L, 1, TAB_R);
  else
    last = luaL_checkinteger(L, 4);
  charge(sb, L, range_length(i, last));
  luaL_buffinit(L, &b);
  for (; i < last; i++) {
    concat_field(L, &b, i);
    luaL_addlstring(&b, sep, lsep);
  }
  if (i == last)
    concat_field(L, &b, i);
  luaL_pushresult(&b);
  return 1;
}

static int
sb_tunpack(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer i = luaL_optinteger(L, 2, 1);
  lua_Integer e = lua_isnoneornil(L, 3) ? luaL_len(L, 1) : luaL_checkinteger(L, 3);
  if (i > e)
    return 0;
  lua_Unsigned n = (lua_Unsigned) e - (lua_Unsigned) i; /* number of elements minus 1 */
  if (n >= (unsigned int) INT_MAX || !lua_checkstack(L, (int) (++n)))
    return luaL_error(L, "too many results to unpack");
  charge(sb, L, n);
  for (; i < e; i++)
    lua_geti(L, 1, i);
  lua_geti(L, 1, e);
  return (int) n;
}

typedef unsigned int IdxT;
#define SORT_RANLIMIT 100u

static void
sort_set2(lua_State *L, IdxT i, IdxT j)
{
  lua_seti(L, 1, i);
  lua_seti(L, 1, j);
}

static int
sort_comp(lua_State *L, int a, int b)
{
  if (lua_isnil(L, 2))
    return lua_compare(L, a, b, LUA_OPLT);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, a - 1);
  lua_pushvalue(L, b - 2);
  lua_call(L, 2, 1);
  int res = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return res;
}

static IdxT
sort_partition(lua_State *L, IdxT lo, IdxT up)
{
  IdxT i = lo;
  IdxT j = up - 1;
  for (;;) {
    while (lua_geti(L, 1, ++i), sort_comp(L, -1, -2)) {
      if (i == up - 1)
        luaL_error(L, "invalid order function for sorting");
      lua_pop(L, 1);
    }
    while (lua_geti(L, 1, --j), sort_comp(L, -3, -1)) {
      if (j < i)
        luaL_error(L, "invalid order function for sorting");
      lua_pop(L, 1);
    }
    if (j < i) {
      lua_pop(L, 1);
      sort_set2(L, up - 1, i);
      return i;
    }
    sort_set2(L, i, j);
  }
}

static IdxT
sort_choose_pivot(IdxT lo, IdxT up, unsigned int rnd)
{
  IdxT r4 = (up - lo) / 4;
  return rnd % (r4 * 2) + (lo + r4);
}

/* Replaces l_randomizePivot (clock() and time()): deterministic, never 0. */
static unsigned int
sort_next_random(unsigned int rnd, IdxT lo, IdxT up)
{
  rnd = rnd * 1103515245u + 12345u + (up - lo);
  return rnd != 0 ? rnd : 1u;
}

static void
sort_aux(TsSandbox *sb, lua_State *L, IdxT lo, IdxT up, unsigned int rnd)
{
  while (lo < up) {
    IdxT p, n;
    charge(sb, L, (lua_Unsigned) (up - lo) + 1);
    lua_geti(L, 1, lo);
    lua_geti(L, 1, up);
    if (sort_comp(L, -1, -2))
      sort_set2(L, lo, up);
    else
      lua_pop(L, 2);
    if (up - lo == 1)
      break;
    if (up - lo < SORT_RANLIMIT || rnd == 0)
      p = (lo + up) / 2;
    else
      p = sort_choose_pivot(lo, up, rnd);
    lua_geti(L, 1, p);
    lua_geti(L, 1, lo);
    if (sort_comp(L, -2, -1)) {
      sort_set2(L, p, lo);
    } else {
      lua_pop(L, 1);
      lua_geti(L, 1, up);
      if (sort_comp(L, -1, -2))
        sort_set2(L, p, up);
      else
        lua_pop(L, 2);
    }
    if (up - lo == 2)
      break;
    lua_geti(L, 1, p);
    lua_pushvalue(L, -1);
    lua_geti(L, 1, up - 1);
    sort_set2(L, p, up - 1);
    p = sort_partition(L, lo, up);
    if (p - lo < up - p) {
      sort_aux(sb, L, lo, p - 1, rnd);
      n = p - lo;
      lo = p + 1;
    } else {
      sort_aux(sb, L, p + 1, up, rnd);
      n = up - p;
      up = p - 1;
    }
    if ((up - lo) / 128 > n)
      rnd = sort_next_random(rnd, lo, up);
  }
}

static int
sb_tsort(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_Integer n = aux_getn(L, 1, TAB_RW);
  if (n > 1) {
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2))
      luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    sort_aux(sb, L, 1, (IdxT) n, 0);
  }
  return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Setup */

static void
set_field_cfunction(lua_State *L, int table, const char *name, lua_CFunction f)
{
  lua_pushcfunction(L, f);
  lua_setfield(L, table, name);
}

static void
remove_field(lua_State *L, int table, const char *name)
{
  lua_pushnil(L);
  lua_setfield(L, table, name);
}

static void
open_library(lua_State *L, const char *name, lua_CFunction open)
{
  luaL_requiref(L, name, open, 1);
  lua_pop(L, 1);
}

/* Runs protected (lua_pcall) so that a failure while building the state is an error, not a panic. */
static int
sandbox_setup(lua_State *L)
{
  TsSandbox *sb = lua_touserdata(L, 1);
  lua_settop(L, 0);

  lua_pushliteral(L, "sandbox limit exceeded; the run was stopped");
  sb->kill_ref = luaL_ref(L, LUA_REGISTRYINDEX);

  if (sb->limits.unsafe) {
    luaL_openlibs(L);
    return 0;
  }

  open_library(L, LUA_GNAME, luaopen_base);
  open_library(L, LUA_STRLIBNAME, luaopen_string);
  open_library(L, LUA_TABLIBNAME, luaopen_table);
  open_library(L, LUA_MATHLIBNAME, luaopen_math);
  open_library(L, LUA_UTF8LIBNAME, luaopen_utf8);
  open_library(L, LUA_COLIBNAME, luaopen_coroutine);

  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  remove_field(L, g, "dofile");
  remove_field(L, g, "loadfile");
  set_field_cfunction(L, g, "load", sb_load);
  set_field_cfunction(L, g, "print", sb_print);
  set_field_cfunction(L, g, "pcall", sb_pcall);
  set_field_cfunction(L, g, "xpcall", sb_xpcall);
  set_field_cfunction(L, g, "setmetatable", sb_setmetatable);
  set_field_cfunction(L, g, "collectgarbage", sb_collectgarbage);

  lua_getfield(L, g, LUA_STRLIBNAME);
  int s = lua_gettop(L);
  remove_field(L, s, "dump");
  set_field_cfunction(L, s, "rep", sb_str_rep);
  static const char *const patterns[] = {"find", "match", "gmatch", "gsub"};
  for (gsize i = 0; i < G_N_ELEMENTS(patterns); i++) {
    lua_getfield(L, s, patterns[i]);
    lua_pushcclosure(L, sb_pattern_call, 1);
    lua_setfield(L, s, patterns[i]);
  }
  lua_pop(L, 1);

  lua_getfield(L, g, LUA_TABLIBNAME);
  int t = lua_gettop(L);
  set_field_cfunction(L, t, "insert", sb_tinsert);
  set_field_cfunction(L, t, "remove", sb_tremove);
  set_field_cfunction(L, t, "move", sb_tmove);
  set_field_cfunction(L, t, "concat", sb_tconcat);
  set_field_cfunction(L, t, "unpack", sb_tunpack);
  set_field_cfunction(L, t, "sort", sb_tsort);
  lua_pop(L, 1);

  lua_getfield(L, g, LUA_COLIBNAME);
  int co = lua_gettop(L);
  set_field_cfunction(L, co, "resume", sb_co_resume);
  set_field_cfunction(L, co, "wrap", sb_co_wrap);
  set_field_cfunction(L, co, "close", sb_co_close);
  lua_pop(L, 1);

  lua_getfield(L, g, LUA_MATHLIBNAME);
  int m = lua_gettop(L);
  lua_getfield(L, m, "randomseed");
  lua_pushvalue(L, -1);
  lua_pushinteger(L, (lua_Integer) sb->limits.seed);
  lua_call(L, 1, 0); /* math.randomseed(seed) */
  lua_pushcclosure(L, sb_randomseed, 1);
  lua_setfield(L, m, "randomseed");
  lua_pop(L, 2);

  lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, HOOK_PERIOD);
  return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Watchdog */

static gint64
thread_cpu_ns(TsSandbox *sb)
{
  struct timespec ts;
  if (clock_gettime(sb->cpu_clock, &ts) != 0)
    return -1;
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

static gpointer
watchdog_main(gpointer data)
{
  TsSandbox *sb = data;
  const gint64 limit_ns = (gint64) (sb->limits.cpu_limit_s * 1e9);
  const gint64 grace_ns = (gint64) (MAX(sb->limits.cpu_grace_s, 0.0) * 1e9);
  gint64 last = thread_cpu_ns(sb);
  gint64 in_runs = 0; /* CPU time of the thread while a run was in progress (sampled) */
  gboolean flagged = FALSE;
  gint stuck_seq = 0;
  gint64 stuck_since = 0;

  g_mutex_lock(&sb->wd_mutex);
  while (!sb->wd_stop) {
    gint64 deadline = g_get_monotonic_time() + WATCHDOG_PERIOD_US;
    while (!sb->wd_stop && g_cond_wait_until(&sb->wd_cond, &sb->wd_mutex, deadline))
      ; /* signalled or spurious: check wd_stop, keep waiting until the deadline */
    if (sb->wd_stop)
      break;
    gint64 now = thread_cpu_ns(sb);
    if (now < 0)
      continue; /* the creating thread is gone */
    if (last < 0)
      last = now;
    gint64 delta = now - last;
    last = now;
    gboolean running = g_atomic_int_get(&sb->running) != 0;
    gint seq = g_atomic_int_get(&sb->call_seq);
    if (running)
      in_runs += delta;
    if (!flagged) {
      if (in_runs > limit_ns) {
        flagged = TRUE;
        g_atomic_int_set(&sb->cpu_exceeded, 1);
        stuck_seq = seq;
        stuck_since = in_runs;
      }
    } else if (!running || seq != stuck_seq) {
      stuck_seq = seq; /* the run the flag caught has ended; a new one is refused at its start */
      stuck_since = in_runs;
    } else if (in_runs - stuck_since > grace_ns) {
      char line[512];
      int len = g_snprintf(line, sizeof line,
                           "%s: CPU time limit of %g s exceeded inside a C function; stopping\n",
                           sb->last_where[0] != '\0' ? sb->last_where
                           : sb->chunkname != NULL ? sb->chunkname : "trainsim", sb->limits.cpu_limit_s);
      if (len > 0) {
        ssize_t written = write(STDERR_FILENO, line, MIN((size_t) len, sizeof line - 1));
        (void) written;
      }
      _exit(1);
    }
  }
  g_mutex_unlock(&sb->wd_mutex);
  return NULL;
}

/* ------------------------------------------------------------------------------------------------ */
/* Runs */

static void
set_kill_error(TsSandbox *sb, lua_State *L, GError **error)
{
  mark_killed(sb, L, sb->killed != KILL_NONE ? sb->killed : KILL_CPU);
  g_set_error_literal(error, TS_ERROR, TS_ERROR_LIMIT, sb->kill_message);
}

static void
run_end(TsSandbox *sb)
{
  sb->depth--;
  if (sb->depth == 0)
    g_atomic_int_set(&sb->running, 0);
}

/* Start a run; FALSE (with the error set) when the sandbox is already killed. */
static gboolean
run_begin(TsSandbox *sb, lua_State *L, GError **error)
{
  if (sb->limits.unsafe) {
    sb->depth++;
    return TRUE;
  }
  if (sb->killed != KILL_NONE) {
    set_kill_error(sb, L, error);
    return FALSE;
  }
  sb->depth++;
  if (sb->depth == 1) {
    g_atomic_int_inc(&sb->call_seq);
    g_atomic_int_set(&sb->running, 1);
  }
  if (g_atomic_int_get(&sb->cpu_exceeded)) {
    run_end(sb);
    sb->killed = KILL_CPU;
    set_kill_error(sb, L, error);
    return FALSE;
  }
  return TRUE;
}

/* Text of the error object at idx, without calling any metamethod. */
static char *
error_text(lua_State *L, int idx)
{
  switch (lua_type(L, idx)) {
  case LUA_TSTRING: {
    /* The script's own text: escaped (no control byte reaches a terminal or a CSV cell) and cut, so a
     * 100 MB error message is not copied whole out of the sandbox. */
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    return ts_text_escape(s, (gssize) len, MAX_ERROR_TEXT, FALSE);
  }
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      return g_strdup_printf("%lld", (long long) lua_tointeger(L, idx));
    return g_strdup_printf("%.14g", (double) lua_tonumber(L, idx));
  default:
    return g_strdup_printf("(error object is a %s value)", lua_typename(L, lua_type(L, idx)));
  }
}

/* Turn a failed run into a GError; the error object is on top of L (popped by the caller). */
static void
set_run_error(TsSandbox *sb, lua_State *L, int status, GError **error)
{
  if (!sb->limits.unsafe && sb->killed != KILL_NONE) {
    set_kill_error(sb, L, error);
    return;
  }
  g_autofree char *text = error_text(L, -1);
  if (status == LUA_ERRMEM)
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "out of memory: %s", text);
  else
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, text);
}

static void
set_chunkname(TsSandbox *sb, const char *chunkname)
{
  const char *display = (chunkname[0] == '@' || chunkname[0] == '=') ? chunkname + 1 : chunkname;
  g_mutex_lock(&sb->wd_mutex);
  g_free(sb->chunkname);
  sb->chunkname = g_strdup(display);
  g_mutex_unlock(&sb->wd_mutex);
}

static gboolean
finish_load(TsSandbox *sb, int status, const char *display, GError **error)
{
  lua_State *L = sb->L;
  run_end(sb);
  if (status == LUA_OK) {
    if (!sb->limits.unsafe && sb->killed != KILL_NONE) { /* a refused allocation the parser survived */
      lua_pop(L, 1);
      set_kill_error(sb, L, error);
      return FALSE;
    }
    return TRUE;
  }
  if (!sb->limits.unsafe && sb->killed != KILL_NONE) {
    lua_pop(L, 1);
    set_kill_error(sb, L, error);
    return FALSE;
  }
  g_autofree char *text = error_text(L, -1);
  lua_pop(L, 1);
  if (status == LUA_ERRFILE)
    g_set_error_literal(error, TS_ERROR, TS_ERROR_IO, text);
  else if (status == LUA_ERRMEM)
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of memory: %s", display, text);
  else if (g_str_has_prefix(text, "attempt to load")) /* no position in Lua's message */
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: %s", display, text);
  else
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, text);
  return FALSE;
}

/* ------------------------------------------------------------------------------------------------ */
/* API */

void
ts_sandbox_limits_init(TsSandboxLimits *limits)
{
  g_return_if_fail(limits != NULL);
  limits->max_instructions = 500000000;
  limits->max_memory = 512 * MIB;
  limits->max_output = MIB;
  limits->cpu_limit_s = 10.0;
  limits->cpu_grace_s = 2.0;
  limits->seed = 0;
  limits->unsafe = FALSE;
}

TsSandbox *
ts_sandbox_new(const TsSandboxLimits *limits, GError **error)
{
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  TsSandbox *sb = g_new0(TsSandbox, 1);
  if (limits != NULL)
    sb->limits = *limits;
  else
    ts_sandbox_limits_init(&sb->limits);
  if (sb->limits.unsafe) {
    sb->limits.max_instructions = 0;
    sb->limits.max_memory = 0;
    sb->limits.cpu_limit_s = 0;
  }
  sb->kill_ref = LUA_NOREF;
  g_mutex_init(&sb->wd_mutex);
  g_cond_init(&sb->wd_cond);

  sb->L = lua_newstate(sandbox_alloc, sb);
  if (sb->L == NULL) {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot create a Lua state: out of memory");
    ts_sandbox_free(sb);
    return NULL;
  }
  lua_atpanic(sb->L, sandbox_panic);
  lua_pushcfunction(sb->L, sandbox_setup);
  lua_pushlightuserdata(sb->L, sb);
  int status = lua_pcall(sb->L, 1, 0, 0);
  if (status != LUA_OK) {
    g_autofree char *text = error_text(sb->L, -1);
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot set up the scenario sandbox: %s", text);
    ts_sandbox_free(sb);
    return NULL;
  }

  if (!sb->limits.unsafe && sb->limits.cpu_limit_s > 0) {
    int rc = pthread_getcpuclockid(pthread_self(), &sb->cpu_clock);
    if (rc != 0) {
      g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot read this thread's CPU clock: %s",
                  g_strerror(rc));
      ts_sandbox_free(sb);
      return NULL;
    }
    GError *thread_error = NULL;
    sb->watchdog = g_thread_try_new("ts-sandbox-watchdog", watchdog_main, sb, &thread_error);
    if (sb->watchdog == NULL) {
      g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot start the sandbox watchdog: %s",
                  thread_error->message);
      g_error_free(thread_error);
      ts_sandbox_free(sb);
      return NULL;
    }
  }
  return sb;
}

void
ts_sandbox_free(TsSandbox *sandbox)
{
  if (sandbox == NULL)
    return;
  if (sandbox->watchdog != NULL) {
    g_mutex_lock(&sandbox->wd_mutex);
    sandbox->wd_stop = TRUE;
    g_cond_signal(&sandbox->wd_cond);
    g_mutex_unlock(&sandbox->wd_mutex);
    g_thread_join(sandbox->watchdog);
    sandbox->watchdog = NULL;
  }
  if (sandbox->L != NULL)
    lua_close(sandbox->L);
  g_free(sandbox->kill_message);
  g_free(sandbox->chunkname);
  g_mutex_clear(&sandbox->wd_mutex);
  g_cond_clear(&sandbox->wd_cond);
  g_free(sandbox);
}

lua_State *
ts_sandbox_get_state(TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, NULL);
  return sandbox->L;
}

gboolean
ts_sandbox_load_file(TsSandbox *sandbox, const char *path, GError **error)
{
  g_return_val_if_fail(sandbox != NULL && path != NULL, FALSE);
  set_chunkname(sandbox, path);
  if (!run_begin(sandbox, sandbox->L, error))
    return FALSE;
  /* luaL_loadfilex names the chunk "@path" */
  int status = luaL_loadfilex(sandbox->L, path, sandbox->limits.unsafe ? NULL : "t");
  return finish_load(sandbox, status, path, error);
}

gboolean
ts_sandbox_load_string(TsSandbox *sandbox, const char *code, gsize len, const char *name, GError **error)
{
  g_return_val_if_fail(sandbox != NULL && code != NULL, FALSE);
  if (name == NULL)
    name = "=(string)";
  /* "x.lua" becomes "@x.lua" so that messages read "x.lua:line:"; "@..." and "=..." are kept. */
  g_autofree char *chunkname = (name[0] == '@' || name[0] == '=') ? g_strdup(name) : g_strconcat("@", name, NULL);
  set_chunkname(sandbox, chunkname);
  if (!run_begin(sandbox, sandbox->L, error))
    return FALSE;
  int status = luaL_loadbufferx(sandbox->L, code, len, chunkname, sandbox->limits.unsafe ? NULL : "t");
  return finish_load(sandbox, status, chunkname + 1, error);
}

gboolean
ts_sandbox_call(TsSandbox *sandbox, int nargs, int nresults, GError **error)
{
  g_return_val_if_fail(sandbox != NULL && nargs >= 0, FALSE);
  lua_State *L = sandbox->L;
  int base = lua_gettop(L) - nargs - 1; /* below the function */
  if (!run_begin(sandbox, L, error)) {
    lua_settop(L, base);
    return FALSE;
  }
  int status = lua_pcall(L, nargs, nresults, 0);
  run_end(sandbox);
  if (status == LUA_OK && (sandbox->limits.unsafe || sandbox->killed == KILL_NONE))
    return TRUE;
  if (status == LUA_OK) { /* killed, but nothing raised it before the end (a binding caught it) */
    lua_settop(L, base);
    set_kill_error(sandbox, L, error);
    return FALSE;
  }
  set_run_error(sandbox, L, status, error);
  lua_settop(L, base);
  return FALSE;
}

gboolean
ts_sandbox_resume(TsSandbox *sandbox, lua_State *co, int nargs, int *nresults, gboolean *finished,
                  GError **error)
{
  g_return_val_if_fail(sandbox != NULL && co != NULL && nargs >= 0, FALSE);
  int nres = 0;
  if (nresults != NULL)
    *nresults = 0;
  if (finished != NULL)
    *finished = FALSE;
  if (!run_begin(sandbox, co, error)) {
    lua_pop(co, nargs);
    return FALSE;
  }
  ensure_hook(sandbox, co);
  int status = lua_resume(co, sandbox->L, nargs, &nres);
  run_end(sandbox);
  if ((status == LUA_OK || status == LUA_YIELD) && (sandbox->limits.unsafe || sandbox->killed == KILL_NONE)) {
    if (nresults != NULL)
      *nresults = nres;
    if (finished != NULL)
      *finished = status == LUA_OK;
    return TRUE;
  }
  if (status == LUA_OK || status == LUA_YIELD) {
    lua_pop(co, nres);
    set_kill_error(sandbox, co, error);
    return FALSE;
  }
  set_run_error(sandbox, co, status, error);
  lua_pop(co, 1);
  return FALSE;
}

gboolean
ts_sandbox_charge_host(TsSandbox *sandbox, gsize bytes, const char *where, GError **error)
{
  g_return_val_if_fail(sandbox != NULL, FALSE);
  sandbox->host_used = bytes > G_MAXSIZE - sandbox->host_used ? G_MAXSIZE : sandbox->host_used + bytes;
  gsize cap = sandbox->limits.max_memory;
  if (sandbox->limits.unsafe || cap == 0 || sandbox->used + sandbox->host_used <= cap)
    return TRUE;
  if (sandbox->killed == KILL_NONE)
    sandbox->killed = KILL_MEMORY;
  if (sandbox->kill_message == NULL) {
    g_autofree char *limit = format_bytes(cap);
    g_autofree char *host = format_bytes(sandbox->host_used);
    sandbox->kill_message = g_strdup_printf("%s: memory limit of %s exceeded (of which %s are the host's copies of "
                                            "the script's actions: datasets, models, phases)", where ? where : "?",
                                            limit, host);
  }
  g_set_error_literal(error, TS_ERROR, TS_ERROR_LIMIT, sandbox->kill_message);
  return FALSE;
}

gboolean
ts_sandbox_is_killed(const TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, FALSE);
  return sandbox->killed != KILL_NONE;
}

gint64
ts_sandbox_get_instructions(const TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, 0);
  return sandbox->instructions;
}

gsize
ts_sandbox_get_memory(const TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, 0);
  return sandbox->used;
}
