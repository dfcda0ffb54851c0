/* The sandbox's standard library (the safe set of sandbox.c): base, string, math and coroutine as Lua
 * 5.4 opens them, less what reaches outside the process or the limits (dofile, loadfile, string.dump),
 * with pcall, xpcall, load, print, setmetatable, collectgarbage, string.rep, the pattern functions,
 * coroutine.resume, wrap and close and math.randomseed replaced by versions that keep a kill sticky, charge
 * their work to the budget and stay deterministic (sandbox.c says why each one is replaced).  The table
 * library's replacements are in sandbox-table.c.
 *
Adapted from Lua 5.4, whose copyright notice and permission notice follow.
 *
 * Copyright (C) 1994-2022 Lua.org, PUC-Rio.
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 * associated documentation files (the "Software"), to deal in the Software without restriction,
 * including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
 * and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
 * subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all copies or substantial
 * portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 * LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
 * NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
 * WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE
 * SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 */
#include "scenario/sandbox-private.h"

#include "common/ts-text.h"

#include <lualib.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The longest string Lua can make (lstrlib.c's MAXSIZE). */
#define MAX_STRING_SIZE                                                                                   \
  (sizeof(size_t) < sizeof(lua_Integer) ? (size_t) SIZE_MAX : (size_t) LUA_MAXINTEGER)

/* ------------------------------------------------------------------------------------------------ */
/* Base library replacements (lbaselib.c) */

static int
finish_pcall(lua_State *L, int status, lua_KContext extra)
{
  sandbox_check_killed(sandbox_of(L), L);
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
  sandbox_check_killed(sandbox_of(L), L);
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
  sandbox_check_killed(sandbox_of(L), L);
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
  sandbox_check_killed(sb, L);
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
  sandbox_check_killed(sb, L); /* load catches errors: a kill inside it must not come back as (nil, msg) */
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
  sandbox_where_text(L, 1, where, sizeof where);
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
      return sandbox_raise_kill(sb, L, KILL_OUTPUT); /* a flood is a runaway script: end it, as the other limits do */
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
    lua_pushliteral(L, "__mode");
    if (lua_rawget(L, 2) != LUA_TNIL)
      sandbox_of(L)->tainted = TRUE; /* a weak table: what it holds depends on when the collector ran */
    lua_pop(L, 1);
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
  sb->tainted = TRUE; /* every answer here depends on the heap's history (sandbox-reuse.c) */
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
    sandbox_charge(sb, L, sb->used / 16); /* a full collection walks the heap */
    res = lua_gc(L, LUA_GCCOLLECT);
    if (res == -1)
      luaL_pushfail(L);
    else
      lua_pushinteger(L, res);
    return 1;
  }
  if (strcmp(opt, "step") == 0) {
    lua_Integer step = luaL_optinteger(L, 2, 0);
    sandbox_charge(sb, L, sb->used / 16); /* a step may finish a whole cycle */
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
/* Coroutine library replacements (lcorolib.c) */

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
  sandbox_check_killed(sb, L);
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  sandbox_ensure_hook(sb, co);
  lua_xmove(L, co, narg);
  int status = lua_resume(co, L, narg, &nres);
  if (sb->killed != KILL_NONE) {
    if (status != LUA_OK && status != LUA_YIELD)
      sandbox_mark_killed(sb, co, sb->killed); /* co's frames are still there: locate the kill inside it */
    sandbox_raise_kill(sb, L, sb->killed);
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
aux_wrap(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int r = aux_resume(L, co, lua_gettop(L));
  if (r >= 0)
    return r;
  int status = lua_status(co);
  if (status != LUA_OK && status != LUA_YIELD) { /* error in the coroutine: close its tbc variables */
    status = sandbox_close_thread(co, L);
    sandbox_check_killed(sb, L);
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
  sandbox_check_killed(sandbox_of(L), L);
  lua_State *co = lua_newthread(L);
  sandbox_ensure_hook(sandbox_of(L), co);
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
  sandbox_check_killed(sb, L);
  if (status != CO_DEAD && status != CO_SUSPENDED)
    return luaL_error(L, "cannot close a %s coroutine", names[status]);
  sandbox_ensure_hook(sb, co);
  status = sandbox_close_thread(co, L);
  sandbox_check_killed(sb, L);
  if (status == LUA_OK) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  lua_xmove(co, L, 1);
  return 2;
}

/* The script's top level runs in a thread of its own (sandbox.c, ts_sandbox_call) where Lua would run it in the
 * main thread: these three answer there as they would in the main thread (lcorolib.c's luaB_yield,
 * luaB_yieldable, luaB_corunning; ldo.c's lua_yieldk for the message), so the thread is not visible. */
static int
sb_co_yield(lua_State *L)
{
  if (L == sandbox_of(L)->top) { /* lua_yieldk's message for the main thread, with no position as there */
    lua_pushliteral(L, "attempt to yield from outside a coroutine");
    return lua_error(L);
  }
  return lua_yield(L, lua_gettop(L));
}

static int
sb_co_isyieldable(lua_State *L)
{
  lua_State *co = lua_isnone(L, 1) ? L : get_coroutine(L);
  lua_pushboolean(L, co != sandbox_of(L)->top && lua_isyieldable(co));
  return 1;
}

static int
sb_co_running(lua_State *L)
{
  int ismain = lua_pushthread(L) || L == sandbox_of(L)->top;
  lua_pushboolean(L, ismain);
  return 2;
}

/* ------------------------------------------------------------------------------------------------ */
/* string (lstrlib.c's str_rep) and math.randomseed */

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
      return sandbox_raise_kill(sb, L, KILL_MEMORY);
    return luaL_error(L, "resulting string too large");
  }
  size_t total = (size_t) n * l + (size_t) (n - 1) * lsep;
  if (sb->limits.max_memory > 0) {
    gsize room = sb->used < sb->limits.max_memory ? sb->limits.max_memory - sb->used : 0;
    if (total > room)
      return sandbox_raise_kill(sb, L, KILL_MEMORY);
  }
  sandbox_charge(sb, L, (lua_Unsigned) n);
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

/* string.find, match, gmatch and gsub: the pattern matcher can backtrack for a very long time inside one C
 * call, where no hook fires; the caller's line is noted first, so the watchdog's last-resort message names
 * it.  The original function is upvalue 1. */
static int
sb_pattern_call(lua_State *L)
{
  TsSandbox *sb = sandbox_of(L);
  if (sb->limits.cpu_limit_s > 0)
    sandbox_note_where(sb, L, 1);
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

/* ------------------------------------------------------------------------------------------------ */
/* Installing the safe set */

void
sandbox_set_cfunction(lua_State *L, int table, const char *name, lua_CFunction f)
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

void
sandbox_stdlib_install(lua_State *L, TsSandbox *sb)
{
  lua_pushglobaltable(L);
  int g = lua_gettop(L);
  remove_field(L, g, "dofile");
  remove_field(L, g, "loadfile");
  sandbox_set_cfunction(L, g, "load", sb_load);
  sandbox_set_cfunction(L, g, "print", sb_print);
  sandbox_set_cfunction(L, g, "pcall", sb_pcall);
  sandbox_set_cfunction(L, g, "xpcall", sb_xpcall);
  sandbox_set_cfunction(L, g, "setmetatable", sb_setmetatable);
  sandbox_set_cfunction(L, g, "collectgarbage", sb_collectgarbage);

  lua_getfield(L, g, LUA_STRLIBNAME);
  int s = lua_gettop(L);
  remove_field(L, s, "dump");
  sandbox_set_cfunction(L, s, "rep", sb_str_rep);
  static const char *const patterns[] = {"find", "match", "gmatch", "gsub"};
  for (gsize i = 0; i < G_N_ELEMENTS(patterns); i++) {
    lua_getfield(L, s, patterns[i]);
    lua_pushcclosure(L, sb_pattern_call, 1);
    lua_setfield(L, s, patterns[i]);
  }
  lua_pop(L, 1);

  lua_getfield(L, g, LUA_TABLIBNAME);
  sandbox_table_install(L, lua_gettop(L));
  lua_pop(L, 1);

  lua_getfield(L, g, LUA_COLIBNAME);
  int co = lua_gettop(L);
  sandbox_set_cfunction(L, co, "resume", sb_co_resume);
  sandbox_set_cfunction(L, co, "wrap", sb_co_wrap);
  sandbox_set_cfunction(L, co, "close", sb_co_close);
  sandbox_set_cfunction(L, co, "yield", sb_co_yield);
  sandbox_set_cfunction(L, co, "isyieldable", sb_co_isyieldable);
  sandbox_set_cfunction(L, co, "running", sb_co_running);
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
}
