/* Keeping one sandbox for many scenario runs (sandbox.h: ts_sandbox_save_globals, ts_sandbox_reset).
 *
 * A sweep's worker runs thousands of variants of one script.  Making a new Lua state for each, opening the
 * safe set and loading the prelude's bytecode again, was about half of a variant's instructions
 * (docs/performance.md, section 6).  A kept state is only safe if nothing one run leaves behind can reach
 * the next, so a reset gives the state everything a script can reach afresh:
 *
 * - the global table: a new one, registered as the state's globals (what `load` gives a chunk, what the host
 *   reads with LUA_RIDX_GLOBALS), filled from the pristine copy that ts_sandbox_save_globals took before any
 *   script ran;
 * - the library tables (string, table, math, utf8, coroutine): new copies of the pristine ones, so a script
 *   that writes string.x = 1 or replaces table.insert changes its own copy;
 * - the string metatable, which every string shares: a new copy whose __index is the new string table;
 * - math.random: seeded again with the run's seed (its state is the math library's, shared by the copies).
 *
 * What a script can reach is then new, or a function: a C function (whose upvalues only the host sets) or
 * the prelude's and the script's main chunks, whose only upvalue, _ENV, the caller points at the new
 * globals before each run (scenario.c); everything the prelude builds (catalogs, closures, their upvalues)
 * is built again by running it.  The registry, the pristine copies and the loaded library tables are out of
 * a script's reach: it has no debug library.
 *
 * The budget, the print allowance, the host's charges, the count hook (so it fires at the same
 * instructions as in a new state) and the CPU backstop's count start from zero again.
 *
 * Two things a script can read still depend on the heap's history, which differs between a kept state and
 * a new one: collectgarbage (the heap's size; whether a step finished a cycle) and weak tables (what the
 * collector has removed so far).  A script that calls collectgarbage or sets a metatable with __mode marks
 * the sandbox tainted (ts_sandbox_is_tainted) and the caller runs it again in a new sandbox.  So does a
 * memory-cap kill: the cap counts garbage not yet collected. */
#include "scenario/sandbox-private.h"

#include "common/ts-error.h"

#include <lualib.h>

/* registry[&saved_key] = {globals = the pristine globals (library tables copied), string_mt = a copy of the
 * pristine string metatable} */
static const char saved_key = 's';

/* Push a shallow copy of the table at idx (raw: no metamethod runs). */
static void
push_copy(lua_State *L, int idx)
{
  idx = lua_absindex(L, idx);
  int n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    n++;
    lua_pop(L, 1);
  }
  lua_createtable(L, 0, n);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
}

/* Push a copy of the globals table at idx whose table values (the libraries) are copies too; _G left out. */
static void
push_globals_copy(lua_State *L, int idx)
{
  idx = lua_absindex(L, idx);
  push_copy(L, idx);
  int copy = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, copy) != 0) {
    if (lua_type(L, -1) == LUA_TTABLE && !lua_rawequal(L, -1, idx)) {
      push_copy(L, -1);
      lua_pushvalue(L, -3);
      lua_insert(L, -2);
      lua_rawset(L, copy); /* replacing the value of an existing key: allowed during lua_next */
    }
    lua_pop(L, 1);
  }
  lua_pushnil(L);
  lua_setfield(L, copy, LUA_GNAME);
}

static int
save_protected(lua_State *L)
{
  lua_createtable(L, 0, 2);
  lua_pushglobaltable(L);
  push_globals_copy(L, -1);
  lua_setfield(L, -3, "globals");
  lua_pop(L, 1);
  lua_pushliteral(L, "");
  if (!lua_getmetatable(L, -1))
    return luaL_error(L, "strings have no metatable");
  push_copy(L, -1);
  lua_setfield(L, -4, "string_mt");
  lua_pop(L, 2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &saved_key);
  return 0;
}

static int
reset_protected(lua_State *L)
{
  lua_rawgetp(L, LUA_REGISTRYINDEX, &saved_key);
  int saved = lua_gettop(L);
  lua_getfield(L, saved, "globals");
  push_globals_copy(L, -1);
  int g = lua_gettop(L);
  lua_pushvalue(L, g);
  lua_setfield(L, g, LUA_GNAME);
  lua_pushvalue(L, g);
  lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);

  lua_pushliteral(L, "");
  lua_getfield(L, saved, "string_mt");
  push_copy(L, -1);
  lua_getfield(L, g, LUA_STRLIBNAME);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -3); /* the string's: every string's */
  lua_pop(L, 2);

  /* math.randomseed() (sandbox-stdlib.c's) seeds with the sandbox's seed, as a new sandbox is seeded. */
  lua_getfield(L, g, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_call(L, 0, 0);
  return 0;
}

static gboolean
protected_call(TsSandbox *sb, lua_CFunction f, const char *what, GError **error)
{
  lua_State *L = sb->L;
  lua_settop(L, 0);
  lua_pushcfunction(L, f);
  int status = lua_pcall(L, 0, 0, 0);
  if (status == LUA_OK)
    return TRUE;
  g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "cannot %s the scenario sandbox: %s", what,
              lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "out of memory");
  lua_settop(L, 0);
  return FALSE;
}

static gboolean
check_reusable(TsSandbox *sb, GError **error)
{
  const char *why = sb->limits.unsafe                        ? "it has no limits (unsafe)"
                    : sb->killed != KILL_NONE                 ? "it was killed"
                    : g_atomic_int_get(&sb->cpu_exceeded) != 0 ? "it passed its CPU limit"
                    : sb->depth != 0                          ? "a run is in progress"
                                                              : NULL;
  if (why == NULL)
    return TRUE;
  g_set_error(error, TS_ERROR, TS_ERROR_USAGE, "the scenario sandbox cannot be reused: %s", why);
  return FALSE;
}

gboolean
ts_sandbox_save_globals(TsSandbox *sandbox, GError **error)
{
  g_return_val_if_fail(sandbox != NULL, FALSE);
  if (!check_reusable(sandbox, error))
    return FALSE;
  if (!protected_call(sandbox, save_protected, "keep the globals of", error))
    return FALSE;
  sandbox->saved = TRUE;
  return TRUE;
}

gboolean
ts_sandbox_reset(TsSandbox *sandbox, guint64 seed, GError **error)
{
  g_return_val_if_fail(sandbox != NULL, FALSE);
  if (!check_reusable(sandbox, error))
    return FALSE;
  if (!sandbox->saved) {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_USAGE,
                        "the scenario sandbox cannot be reused: its globals were not kept (ts_sandbox_save_globals)");
    return FALSE;
  }
  sandbox->limits.seed = seed;
  sandbox->instructions = 0;
  sandbox->printed = 0;
  sandbox->host_used = 0;
  sandbox->tainted = FALSE;
  g_clear_pointer(&sandbox->kill_message, g_free);
  g_mutex_lock(&sandbox->wd_mutex);
  sandbox->last_where[0] = '\0';
  g_mutex_unlock(&sandbox->wd_mutex);
  g_atomic_int_set(&sandbox->cpu_reset, 1);
  if (!protected_call(sandbox, reset_protected, "reset", error))
    return FALSE;
  sandbox_set_hook(sandbox);
  return TRUE;
}

gboolean
ts_sandbox_is_tainted(const TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, FALSE);
  return sandbox->tainted;
}

gboolean
ts_sandbox_is_killed_by_memory(const TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, FALSE);
  return sandbox->killed == KILL_MEMORY;
}

char *
ts_sandbox_dup_chunkname(TsSandbox *sandbox)
{
  g_return_val_if_fail(sandbox != NULL, NULL);
  g_mutex_lock(&sandbox->wd_mutex);
  char *name = g_strdup(sandbox->chunkname);
  g_mutex_unlock(&sandbox->wd_mutex);
  return name;
}

void
ts_sandbox_set_chunkname(TsSandbox *sandbox, const char *name)
{
  g_return_if_fail(sandbox != NULL && name != NULL);
  g_mutex_lock(&sandbox->wd_mutex);
  g_free(sandbox->chunkname);
  sandbox->chunkname = g_strdup(name);
  g_mutex_unlock(&sandbox->wd_mutex);
}
