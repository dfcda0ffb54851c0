/* The scenario sandbox: one lua_State per simulation, with an instruction budget, a memory cap and a
 * CPU-time backstop that a script cannot escape (docs/scenario-api.md, "Sandbox"). */
#ifndef TS_SANDBOX_H
#define TS_SANDBOX_H

#include <glib.h>
#include <lua.h>

typedef struct {
  gint64 max_instructions; /* VM instructions over the whole run; <= 0: no budget */
  gsize max_memory;        /* bytes the Lua heap (and the host's copies of script data) may hold; 0: no cap */
  gsize max_output;        /* bytes print() may write over the run (1 MiB); 0: no cap */
  double cpu_limit_s;      /* CPU seconds of the running thread; <= 0: no backstop */
  double cpu_grace_s;      /* after the limit, how long a C call that never yields may go on before _exit */
                           /* (the watchdog ends the whole process with _exit(1): sweeps run their variants
                            * in worker processes, and a sandbox runs on the thread that created it) */
  guint64 seed;            /* seeds math.random */
  gboolean unsafe;         /* full standard library, no limits */
} TsSandboxLimits;

void ts_sandbox_limits_init(TsSandboxLimits *limits); /* the defaults of docs/scenario-api.md */

typedef struct TsSandbox TsSandbox;

TsSandbox *ts_sandbox_new(const TsSandboxLimits *limits, GError **error);
void ts_sandbox_free(TsSandbox *sandbox);

/* The main state.  Bindings add their globals here before the script runs. */
lua_State *ts_sandbox_get_state(TsSandbox *sandbox);

/* Load a text chunk from a file, with chunk name "@path" so messages read "path:line:".  Pushes the
 * compiled function.  Binary chunks are refused (unless unsafe). */
gboolean ts_sandbox_load_file(TsSandbox *sandbox, const char *path, GError **error);
/* Same for a string (tests, fuzzing); `name` is used as the chunk name ("x.lua" becomes "@x.lua"; a name
 * that starts with '@' or '=' is kept as it is). */
gboolean ts_sandbox_load_string(TsSandbox *sandbox, const char *code, gsize len, const char *name,
                                GError **error);

/* Load the host's own text (the prelude, compiled into the binary: `code` must stay valid and unchanged for
 * the process's life): parsed once per process, then loaded from the bytecode of that first parse, which a
 * sweep's thousands of variants would otherwise each pay to parse again.  Same function, same chunk name and
 * line numbers as ts_sandbox_load_string. */
gboolean ts_sandbox_load_host_text(TsSandbox *sandbox, const char *code, gsize len, const char *name,
                                   GError **error);
/* The same, with the bytecode the build compiled from `code` (lua_dump with debug information, by the same
 * Lua): loaded instead of the first parse when it loads, else ignored and the text parsed. */
gboolean ts_sandbox_load_host_chunk(TsSandbox *sandbox, const char *code, gsize len, const guint8 *bytecode,
                                    gsize bytecode_len, const char *name, GError **error);

/* Call the function below nargs arguments on the main state under the limits; leaves nresults.
 * A script error becomes TS_ERROR_SCENARIO with "file:line: message"; a limit TS_ERROR_LIMIT. */
gboolean ts_sandbox_call(TsSandbox *sandbox, int nargs, int nresults, GError **error);

/* Resume coroutine `co` (created with lua_newthread on the main state) under the limits.
 * *finished is TRUE when it returned, FALSE when it yielded; *nresults as lua_resume gives. */
gboolean ts_sandbox_resume(TsSandbox *sandbox, lua_State *co, int nargs, int *nresults, gboolean *finished,
                           GError **error);

/* Charge `bytes` the host keeps of the script's data (the structs and names an action leaves in the run, its
 * phases) to the memory cap the Lua heap counts against: a script must not get around the cap by asking
 * the host to hold its data.  Past the cap the sandbox is killed (sticky) and FALSE returned with
 * TS_ERROR_LIMIT naming `where`. */
gboolean ts_sandbox_charge_host(TsSandbox *sandbox, gsize bytes, const char *where, GError **error);

/* Keeping one sandbox for many scenario runs (sandbox-reuse.c; a sweep's worker runs variant after variant in
 * it).  ts_sandbox_save_globals, on a new sandbox before anything ran in it, keeps a pristine copy of the safe
 * set's globals and libraries; ts_sandbox_reset then gives the state a fresh global table made from that copy
 * (fresh library tables, a fresh string metatable, math.random seeded with `seed`) and starts the budget,
 * the print allowance, the host's charges, the count hook and the CPU backstop's count from zero, as a new
 * sandbox has them.  FALSE (with TS_ERROR_USAGE) for a sandbox that is killed, running, unsafe, or was not
 * saved: it cannot be reused. */
gboolean ts_sandbox_save_globals(TsSandbox *sandbox, GError **error);
gboolean ts_sandbox_reset(TsSandbox *sandbox, guint64 seed, GError **error);
/* Since the last reset, did the script read what depends on the heap's history (collectgarbage, or it made a
 * weak table)?  Such a run can differ between a kept sandbox and a new one. */
gboolean ts_sandbox_is_tainted(const TsSandbox *sandbox);
/* Was the kill the memory cap (which counts the heap, garbage included: a kept sandbox's differs)? */
gboolean ts_sandbox_is_killed_by_memory(const TsSandbox *sandbox);
/* The name messages give the chunk loaded last ("scenarios/x.lua"); freed by the caller.  Setting it (to a name
 * that dup_chunkname gave) names a kept chunk about to run again, as loading it did. */
char *ts_sandbox_dup_chunkname(TsSandbox *sandbox);
void ts_sandbox_set_chunkname(TsSandbox *sandbox, const char *name);

/* After an error from any call above: was it a limit (sticky: every later call fails too)? */
gboolean ts_sandbox_is_killed(const TsSandbox *sandbox);

/* Instructions executed so far (approximate to the hook period) and heap bytes now in use. */
gint64 ts_sandbox_get_instructions(const TsSandbox *sandbox);
gsize ts_sandbox_get_memory(const TsSandbox *sandbox);

#endif
