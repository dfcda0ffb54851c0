/* What the files of the scenario sandbox share (sandbox.c: the state, its limits and runs;
 * sandbox-stdlib.c and sandbox-table.c: the standard library a script gets; sandbox-watchdog.c: the
 * CPU-time backstop).  Included only from core/scenario/sandbox*.c. */
#ifndef TS_SANDBOX_PRIVATE_H
#define TS_SANDBOX_PRIVATE_H

#include "scenario/sandbox.h"

#include <lauxlib.h>

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#define WHERE_SIZE (LUA_IDSIZE + 32)

/* The small-block pool (sandbox-pool.c). */
#define POOL_GRAIN 16        /* bytes between size classes */
#define POOL_MAX 512         /* larger blocks come from malloc */
#define POOL_MAX_CHUNKS 256  /* of 64 KiB: 16 MiB at most */
#define POOL_SET_SIZE 512    /* slots of the set of chunk addresses */


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
  lua_State *top;      /* the thread an outermost ts_sandbox_call runs its function in (NULL: none yet) ... */
  int top_ref;         /* ... kept in the registry; LUA_NOREF when none */
  gboolean tainted;    /* the run read the collector's state (sandbox-reuse.c says why that matters) */
  gboolean saved;      /* ts_sandbox_save_globals kept the pristine globals (sandbox-reuse.c) */

  /* Shared with the watchdog. */
  GMutex wd_mutex; /* guards wd_stop and chunkname */
  GCond wd_cond;
  gboolean wd_stop;
  char *chunkname; /* name of the last chunk loaded, for messages: "scenarios/x.lua" */
  char last_where[WHERE_SIZE]; /* "file:line" the script last reached (hook, pattern functions) */
  pthread_t watchdog;
  gboolean watchdog_started;
  clockid_t cpu_clock; /* CPU clock of the creating thread */
  gint running;        /* atomic: a run is in progress */
  gint call_seq;       /* atomic: counts outermost runs */
  gint cpu_exceeded;   /* atomic: the watchdog saw the CPU limit pass */
  gint cpu_reset;      /* atomic: set by ts_sandbox_reset; the watchdog starts counting from zero again */

  /* The small-block pool (sandbox-pool.c), touched only by the allocator. */
  void *pool_free[POOL_MAX / POOL_GRAIN]; /* a free list per size class */
  char *pool_bump, *pool_end;             /* the unused end of the newest chunk */
  char *pool_chunks[POOL_MAX_CHUNKS];
  guint pool_nchunks;
  uintptr_t pool_set[POOL_SET_SIZE];      /* the chunks' addresses, open addressing; 0: empty */
};

static inline TsSandbox *
sandbox_of(lua_State *L)
{
  void *ud = NULL;
  lua_getallocf(L, &ud);
  return ud;
}

/* Kills and the budget (sandbox.c).  sandbox_raise_kill, sandbox_check_killed (when killed) and
 * sandbox_charge (past the budget) raise a Lua error and do not return. */
void sandbox_where_text(lua_State *L, int level, char *buf, gsize size);
void sandbox_note_where(TsSandbox *sb, lua_State *L, int level);
void sandbox_mark_killed(TsSandbox *sb, lua_State *L, TsKill kind);
int sandbox_raise_kill(TsSandbox *sb, lua_State *L, TsKill kind);
void sandbox_check_killed(TsSandbox *sb, lua_State *L);
void sandbox_charge(TsSandbox *sb, lua_State *L, lua_Unsigned amount);
void sandbox_ensure_hook(TsSandbox *sb, lua_State *co);
/* Runs (sandbox.c): begin one (FALSE with the error set when the sandbox is killed), end it; a kill or a failed
 * run's error object (on top of L) as a GError; a thread's pending __close handlers run and its stack reset
 * (lua_closethread, lua_resetthread before Lua 5.4.6). */
gboolean sandbox_run_begin(TsSandbox *sb, lua_State *L, GError **error);
void sandbox_run_end(TsSandbox *sb);
void sandbox_set_kill_error(TsSandbox *sb, lua_State *L, GError **error);
void sandbox_set_run_error(TsSandbox *sb, lua_State *L, int status, GError **error);
int sandbox_close_thread(lua_State *co, lua_State *from);
/* Set the count hook on the main state afresh (the count to the next firing starts again). */
void sandbox_set_hook(TsSandbox *sb);

/* The safe set (sandbox-stdlib.c): with base, string, table, math, utf8 and coroutine open, removes and
 * replaces what a script must not have or must pay for; table's replacements are in sandbox-table.c. */
void sandbox_stdlib_install(lua_State *L, TsSandbox *sb);
void sandbox_table_install(lua_State *L, int table);
void sandbox_set_cfunction(lua_State *L, int table, const char *name, lua_CFunction f);

/* The allocator's blocks (sandbox-pool.c): as realloc and free, with the block's size as Lua gives it; the pool's
 * chunks are given back by sandbox_pool_clear once the Lua state is closed. */
void *sandbox_pool_realloc(TsSandbox *sb, void *p, gsize old, gsize n);
void sandbox_pool_free(TsSandbox *sb, void *p, gsize n);
void sandbox_pool_clear(TsSandbox *sb);

/* The CPU-time backstop (sandbox-watchdog.c). */
gboolean sandbox_watchdog_start(TsSandbox *sb, GError **error);
void sandbox_watchdog_stop(TsSandbox *sb);

#endif
