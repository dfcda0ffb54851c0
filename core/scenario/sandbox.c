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
 * The files: this one holds the state, the limits and the runs; sandbox-stdlib.c and sandbox-table.c the
 * replaced functions of the safe set (adapted from Lua's own, under Lua's MIT notice); sandbox-watchdog.c
 * the CPU-time backstop; sandbox-call.c the calls and resumes that run the script's functions.
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
 *   into the Lua API cannot turn the cap into a panic.  The kill names the line the VM was on even in pure
 *   VM code: an outermost call runs in a thread whose frames outlive the error (sandbox-call.c).
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
 *   the thread that created it, and sweeps run their variants in worker processes so one stuck variant
 *   cannot take the others with it.
 *
 * - Errors are turned into text without calling script metamethods: a string stays a string, a number
 *   is formatted, anything else becomes "(error object is a table value)" and so on.
 */
#include "scenario/sandbox-private.h"

#include "common/ts-error.h"
#include "common/ts-text.h"

#include <lualib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOOK_PERIOD 1000 /* VM instructions between count-hook firings */
#define MIB ((gsize) 1024 * 1024)
#define MAX_WHERE_LEVELS 64
#define MAX_ERROR_TEXT 4096 /* bytes of a script's error message kept */

/* ------------------------------------------------------------------------------------------------ */
/* Allocator */

static void *
sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
  TsSandbox *sb = ud;
  size_t old = ptr != NULL ? osize : 0; /* with ptr == NULL, osize is a type tag */

  if (nsize == 0) {
    sandbox_pool_free(sb, ptr, old);
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
  void *block = sandbox_pool_realloc(sb, ptr, old, nsize);
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
void
sandbox_where_text(lua_State *L, int level, char *buf, gsize size)
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
void
sandbox_note_where(TsSandbox *sb, lua_State *L, int level)
{
  char where[WHERE_SIZE];
  sandbox_where_text(L, level, where, sizeof where);
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
void
sandbox_mark_killed(TsSandbox *sb, lua_State *L, TsKill kind)
{
  if (sb->killed == KILL_NONE)
    sb->killed = kind;
  if (sb->kill_message == NULL) {
    char where[WHERE_SIZE] = "";
    if (L != NULL)
      sandbox_where_text(L, 0, where, sizeof where);
    sb->kill_message = compose_kill_message(sb, where);
  }
}

/* Raise the kill.  The raised value was allocated when the sandbox was made, so raising needs no
 * memory even when the kill is the memory cap. */
int
sandbox_raise_kill(TsSandbox *sb, lua_State *L, TsKill kind)
{
  sandbox_mark_killed(sb, L, kind);
  lua_rawgeti(L, LUA_REGISTRYINDEX, sb->kill_ref);
  return lua_error(L);
}

void
sandbox_check_killed(TsSandbox *sb, lua_State *L)
{
  if (sb->killed != KILL_NONE)
    sandbox_raise_kill(sb, L, sb->killed);
}

/* Charge `amount` instructions of work done by a C function; kill when the budget is spent. */
void
sandbox_charge(TsSandbox *sb, lua_State *L, lua_Unsigned amount)
{
  sandbox_check_killed(sb, L);
  if (amount > (lua_Unsigned) (G_MAXINT64 - sb->instructions))
    sb->instructions = G_MAXINT64;
  else
    sb->instructions += (gint64) amount;
  if (sb->limits.max_instructions > 0 && sb->instructions > sb->limits.max_instructions)
    sandbox_raise_kill(sb, L, KILL_INSTRUCTIONS);
}

static void
sandbox_hook(lua_State *L, lua_Debug *ar)
{
  (void) ar;
  TsSandbox *sb = sandbox_of(L);
  if (sb->instructions <= G_MAXINT64 - HOOK_PERIOD)
    sb->instructions += HOOK_PERIOD;
  if (sb->killed != KILL_NONE)
    sandbox_raise_kill(sb, L, sb->killed);
  else if (sb->limits.max_instructions > 0 && sb->instructions > sb->limits.max_instructions)
    sandbox_raise_kill(sb, L, KILL_INSTRUCTIONS);
  else if (g_atomic_int_get(&sb->cpu_exceeded))
    sandbox_raise_kill(sb, L, KILL_CPU);
  else if (sb->limits.cpu_limit_s > 0)
    sandbox_note_where(sb, L, 0);
}


void
sandbox_set_hook(TsSandbox *sb)
{
  if (!sb->limits.unsafe)
    lua_sethook(sb->L, sandbox_hook, LUA_MASKCOUNT, HOOK_PERIOD);
}

void
sandbox_ensure_hook(TsSandbox *sb, lua_State *co)
{
  if (sb->limits.unsafe)
    return;
  if (lua_gethook(co) != sandbox_hook || lua_gethookmask(co) != LUA_MASKCOUNT || lua_gethookcount(co) != HOOK_PERIOD)
    lua_sethook(co, sandbox_hook, LUA_MASKCOUNT, HOOK_PERIOD);
}

/* ------------------------------------------------------------------------------------------------ */
/* Setup */

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

  sandbox_stdlib_install(L, sb);

  lua_sethook(L, sandbox_hook, LUA_MASKCOUNT, HOOK_PERIOD);
  return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* Runs */

void
sandbox_set_kill_error(TsSandbox *sb, lua_State *L, GError **error)
{
  sandbox_mark_killed(sb, L, sb->killed != KILL_NONE ? sb->killed : KILL_CPU);
  g_set_error_literal(error, TS_ERROR, TS_ERROR_LIMIT, sb->kill_message);
}

void
sandbox_run_end(TsSandbox *sb)
{
  sb->depth--;
  if (sb->depth == 0)
    g_atomic_int_set(&sb->running, 0);
}

/* Start a run; FALSE (with the error set) when the sandbox is already killed. */
gboolean
sandbox_run_begin(TsSandbox *sb, lua_State *L, GError **error)
{
  if (sb->limits.unsafe) {
    sb->depth++;
    return TRUE;
  }
  if (sb->killed != KILL_NONE) {
    sandbox_set_kill_error(sb, L, error);
    return FALSE;
  }
  sb->depth++;
  if (sb->depth == 1) {
    g_atomic_int_inc(&sb->call_seq);
    g_atomic_int_set(&sb->running, 1);
  }
  if (g_atomic_int_get(&sb->cpu_exceeded)) {
    sandbox_run_end(sb);
    sb->killed = KILL_CPU;
    sandbox_set_kill_error(sb, L, error);
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
void
sandbox_set_run_error(TsSandbox *sb, lua_State *L, int status, GError **error)
{
  if (!sb->limits.unsafe && sb->killed != KILL_NONE) {
    sandbox_set_kill_error(sb, L, error);
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
  sandbox_run_end(sb);
  if (status == LUA_OK) {
    if (!sb->limits.unsafe && sb->killed != KILL_NONE) { /* a refused allocation the parser survived */
      lua_pop(L, 1);
      sandbox_set_kill_error(sb, L, error);
      return FALSE;
    }
    return TRUE;
  }
  if (!sb->limits.unsafe && sb->killed != KILL_NONE) {
    lua_pop(L, 1);
    sandbox_set_kill_error(sb, L, error);
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

/* lua_closethread where Lua has it (5.4.6), lua_resetthread before. */
int
sandbox_close_thread(lua_State *co, lua_State *from)
{
#if LUA_VERSION_RELEASE_NUM >= 50406
  return lua_closethread(co, from);
#else
  (void) from;
  return lua_resetthread(co);
#endif
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
  sb->top_ref = LUA_NOREF;
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

  if (!sb->limits.unsafe && sb->limits.cpu_limit_s > 0 && !sandbox_watchdog_start(sb, error)) {
    ts_sandbox_free(sb);
    return NULL;
  }
  return sb;
}

void
ts_sandbox_free(TsSandbox *sandbox)
{
  if (sandbox == NULL)
    return;
  sandbox_watchdog_stop(sandbox);
  if (sandbox->L != NULL)
    lua_close(sandbox->L);
  sandbox_pool_clear(sandbox);
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
  if (!sandbox_run_begin(sandbox, sandbox->L, error))
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
  if (!sandbox_run_begin(sandbox, sandbox->L, error))
    return FALSE;
  int status = luaL_loadbufferx(sandbox->L, code, len, chunkname, sandbox->limits.unsafe ? NULL : "t");
  return finish_load(sandbox, status, chunkname + 1, error);
}

/* The bytecode of host texts already parsed in this process (or compiled with the binary), by the address of
 * their text. */
typedef struct {
  const char *code;
  gsize len;
  const guint8 *data; /* the bytecode: bytes->data, or the binary's own */
  gsize data_len;
  GByteArray *bytes;  /* NULL for the binary's own */
} CompiledText;

static GMutex compiled_mutex;
static GArray *compiled_texts; /* CompiledText, kept for the process's life */

static int
dump_writer(lua_State *L, const void *p, size_t size, void *ud)
{
  (void) L;
  g_byte_array_append(ud, p, (guint) size);
  return 0;
}

static void
keep_compiled(const char *code, gsize len, const guint8 *data, gsize data_len, GByteArray *bytes)
{
  g_mutex_lock(&compiled_mutex);
  if (compiled_texts == NULL)
    compiled_texts = g_array_new(FALSE, FALSE, sizeof(CompiledText));
  for (guint i = 0; i < compiled_texts->len; i++) {
    CompiledText *c = &g_array_index(compiled_texts, CompiledText, i);
    if (c->code == code && c->len == len) { /* the binary's bytecode did not load: this parse's replaces it */
      c->data = data;
      c->data_len = data_len;
      c->bytes = bytes;
      g_mutex_unlock(&compiled_mutex);
      return;
    }
  }
  CompiledText c = {code, len, data, data_len, bytes};
  g_array_append_val(compiled_texts, c);
  g_mutex_unlock(&compiled_mutex);
}

gboolean
ts_sandbox_load_host_text(TsSandbox *sandbox, const char *code, gsize len, const char *name, GError **error)
{
  return ts_sandbox_load_host_chunk(sandbox, code, len, NULL, 0, name, error);
}

gboolean
ts_sandbox_load_host_chunk(TsSandbox *sandbox, const char *code, gsize len, const guint8 *bytecode,
                           gsize bytecode_len, const char *name, GError **error)
{
  g_return_val_if_fail(sandbox != NULL && code != NULL && name != NULL, FALSE);
  const guint8 *data = NULL;
  gsize data_len = 0;
  gboolean own = FALSE; /* the binary's bytecode, not yet known to load in this process */
  g_mutex_lock(&compiled_mutex);
  for (guint i = 0; compiled_texts != NULL && i < compiled_texts->len; i++) {
    CompiledText *c = &g_array_index(compiled_texts, CompiledText, i);
    if (c->code == code && c->len == len) {
      data = c->data;
      data_len = c->data_len;
    }
  }
  g_mutex_unlock(&compiled_mutex);
  if (data == NULL && bytecode != NULL && bytecode_len > 0) {
    data = bytecode;
    data_len = bytecode_len;
    own = TRUE;
  }
  g_autofree char *chunkname = (name[0] == '@' || name[0] == '=') ? g_strdup(name) : g_strconcat("@", name, NULL);
  if (data != NULL) {
    set_chunkname(sandbox, chunkname);
    if (!sandbox_run_begin(sandbox, sandbox->L, error))
      return FALSE;
    /* Binary, which a script's chunks never may be: these bytes were made from our text, by this process or
     * by the build (core/scenario/precompile.c, with the same Lua). */
    int status = luaL_loadbufferx(sandbox->L, (const char *) data, data_len, chunkname, "b");
    if (status == LUA_OK && own)
      keep_compiled(code, len, data, data_len, NULL);
    if (status == LUA_OK || !own)
      return finish_load(sandbox, status, chunkname + 1, error);
    /* The build's bytecode does not load here (a Lua whose bytecode format differs from the one the binary
     * was built with): parse the text, as a binary without it would. */
    finish_load(sandbox, status, chunkname + 1, NULL);
  }
  if (!ts_sandbox_load_string(sandbox, code, len, name, error))
    return FALSE;
  /* Debug information kept (strip = 0): messages and the sandbox's "file:line" read the same. */
  GByteArray *bytes = g_byte_array_new();
  if (lua_dump(sandbox->L, dump_writer, bytes, 0) != 0) {
    g_byte_array_unref(bytes);
    return TRUE; /* the function is loaded; it is just not kept */
  }
  keep_compiled(code, len, bytes->data, bytes->len, bytes);
  return TRUE;
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
