/* The sandbox's calls and resumes (sandbox.h: ts_sandbox_call, ts_sandbox_resume): the runs of a script's
 * functions, under the limits sandbox.c sets up (sandbox_run_begin / sandbox_run_end), with their errors and
 * kills turned into GErrors. */
#include "scenario/sandbox-private.h"

#include "common/ts-error.h"

/* An outermost call runs its function in a thread of its own, `top`, not in the main thread under lua_pcall.
 * Why: a memory-cap kill in pure VM code (`s = s .. s`) is a LUA_ERRMEM raised inside Lua's allocator, where
 * the sandbox has no lua_State, and Lua calls no message handler for LUA_ERRMEM; by the time lua_pcall returns,
 * the stack is unwound and the line is gone.  lua_resume does not unwind a thread it could not recover: its
 * frames stay for lua_getstack until the thread is reset, so the kill's message names the line (sandbox_where_text
 * on `top`).  The thread is made, and kept for the next calls, while no run is in progress, where the cap
 * refuses nothing; a thread that finished its function is reused as it is, one that failed is reset (running the
 * pending __close handlers under the run's limits, as lua_pcall's unwinding did), and one that a kill stopped is
 * dropped unclosed (its handlers would run with hooks off: the kill left them off) -- a killed sandbox runs
 * nothing more anyway.  coroutine.yield, isyieldable and running answer in `top` as in the main thread
 * (sandbox-stdlib.c). */
static gboolean
top_thread_ready(TsSandbox *sb)
{
  lua_State *L = sb->L;
  if (sb->top != NULL)
    return TRUE;
  if (!lua_checkstack(L, 1))
    return FALSE;
  sb->top = lua_newthread(L);
  sb->top_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return TRUE;
}

static void
top_thread_drop(TsSandbox *sb)
{
  luaL_unref(sb->L, LUA_REGISTRYINDEX, sb->top_ref);
  sb->top_ref = LUA_NOREF;
  sb->top = NULL;
}

static gboolean
call_in_top(TsSandbox *sb, int nargs, int nresults, GError **error)
{
  lua_State *L = sb->L, *co = sb->top;
  int base = lua_gettop(L) - nargs - 1; /* below the function */
  if (!lua_checkstack(co, nargs + 1 + LUA_MINSTACK)) {
    lua_settop(L, base);
    g_set_error_literal(error, TS_ERROR, TS_ERROR_INFEASIBLE, "out of memory: cannot start a Lua call");
    return FALSE;
  }
  lua_xmove(L, co, nargs + 1);
  if (!sandbox_run_begin(sb, co, error)) {
    lua_settop(co, 0);
    return FALSE;
  }
  sandbox_ensure_hook(sb, co);
  int nres = 0;
  int status = lua_resume(co, L, nargs, &nres);
  if (status == LUA_YIELD) { /* no yield reaches here (sb_co_yield refuses at the top); a binding's would */
    lua_pushliteral(co, "attempt to yield from outside a coroutine");
    status = LUA_ERRRUN;
  }
  gboolean killed = sb->killed != KILL_NONE;
  if (status != LUA_OK && !killed) {
    /* Close what the failed function left open, under this run's limits, as lua_pcall would have: the error
     * object (a __close handler's own error replaces it, as there) stays on top. */
    int closed = sandbox_close_thread(co, L);
    killed = sb->killed != KILL_NONE;
    if (!killed && closed != LUA_OK)
      status = closed;
  }
  sandbox_run_end(sb);
  if (status == LUA_OK && !killed) {
    /* A finished thread holds its function's results alone; keep the first nresults, as lua_pcall would. */
    if (nresults != LUA_MULTRET && nresults > nres && !lua_checkstack(co, nresults - nres)) {
      lua_settop(co, 0);
      g_set_error_literal(error, TS_ERROR, TS_ERROR_INFEASIBLE, "out of memory: cannot return a call's results");
      return FALSE;
    }
    if (nresults != LUA_MULTRET) {
      lua_settop(co, nresults);
      nres = nresults;
    }
    if (!lua_checkstack(L, nres)) {
      lua_settop(co, 0);
      g_set_error_literal(error, TS_ERROR, TS_ERROR_INFEASIBLE, "out of memory: cannot return a call's results");
      return FALSE;
    }
    lua_xmove(co, L, nres);
    lua_settop(co, 0);
    return TRUE;
  }
  if (killed) {
    sandbox_set_kill_error(sb, co, error); /* co's frames are still there: the line of the kill */
    top_thread_drop(sb);
  } else {
    sandbox_set_run_error(sb, co, status, error);
    lua_settop(co, 0);
  }
  return FALSE;
}

gboolean
ts_sandbox_call(TsSandbox *sandbox, int nargs, int nresults, GError **error)
{
  g_return_val_if_fail(sandbox != NULL && nargs >= 0, FALSE);
  lua_State *L = sandbox->L;
  int base = lua_gettop(L) - nargs - 1; /* below the function */
  if (!sandbox->limits.unsafe && sandbox->depth == 0 && sandbox->killed == KILL_NONE && top_thread_ready(sandbox))
    return call_in_top(sandbox, nargs, nresults, error);
  if (!sandbox_run_begin(sandbox, L, error)) {
    lua_settop(L, base);
    return FALSE;
  }
  int status = lua_pcall(L, nargs, nresults, 0);
  sandbox_run_end(sandbox);
  if (status == LUA_OK && (sandbox->limits.unsafe || sandbox->killed == KILL_NONE))
    return TRUE;
  if (status == LUA_OK) { /* killed, but nothing raised it before the end (a binding caught it) */
    lua_settop(L, base);
    sandbox_set_kill_error(sandbox, L, error);
    return FALSE;
  }
  sandbox_set_run_error(sandbox, L, status, error);
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
  if (!sandbox_run_begin(sandbox, co, error)) {
    lua_pop(co, nargs);
    return FALSE;
  }
  sandbox_ensure_hook(sandbox, co);
  int status = lua_resume(co, sandbox->L, nargs, &nres);
  sandbox_run_end(sandbox);
  if ((status == LUA_OK || status == LUA_YIELD) && (sandbox->limits.unsafe || sandbox->killed == KILL_NONE)) {
    if (nresults != NULL)
      *nresults = nres;
    if (finished != NULL)
      *finished = status == LUA_OK;
    return TRUE;
  }
  if (status == LUA_OK || status == LUA_YIELD) {
    lua_pop(co, nres);
    sandbox_set_kill_error(sandbox, co, error);
    return FALSE;
  }
  sandbox_set_run_error(sandbox, co, status, error);
  lua_pop(co, 1);
  return FALSE;
}
