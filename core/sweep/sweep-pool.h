/* Playing a sweep's variants in a pool of worker processes.
 *
 * The parent loads the plugin registry once, then forks --jobs workers; each runs variant after variant
 * (the index comes down a pipe, a fixed-size result record goes back up another) so a 1,000-variant
 * sweep pays for one registry load, not a thousand.  A worker keeps one Lua state for its variants, reset
 * before each (scenario/scenario-worker.c), and is handed a few variants ahead of the one it runs so it
 * never waits for the parent between two; those a worker had not started when it died go to another.  Processes, not threads, because a variant must not
 * be able to take the sweep down: the sandbox's CPU backstop ends a stuck script with _exit (see
 * scenario/sandbox.h), a plugin may crash, and a hang needs a kill.  A worker that dies is reported in
 * its variant's row (status "crashed", with the signal or exit status and the last line it wrote on
 * stderr) and replaced; one that runs past the per-variant timeout is killed (status "timeout").
 * Results depend only on the variant's index (its seed is derived from it), never on the worker that
 * ran it or the order. */
#ifndef TS_SWEEP_POOL_H
#define TS_SWEEP_POOL_H

#include <glib.h>

#include "sweep/sweep.h"
#include "plugin/plugin-host.h"
#include "scenario/sandbox.h"

typedef struct {
  const TsRegistry *registry;
  const char *scenario_path; /* the script to run, as given */
  const char *scenario_source; /* its text, when it was read from standard input; else NULL */
  gsize scenario_source_len;
  TsSandboxLimits limits;    /* per variant; the seed is replaced by the variant's */
  guint64 max_events;        /* per variant, as TsScenarioOptions has them */
  double horizon_s;
  guint jobs;                /* worker processes */
  double timeout_s;          /* wall-clock limit per variant; <= 0: none */
  gboolean progress;         /* draw a progress bar on stderr */
} TsSweepRunOptions;

/* Run every variant of result->spec that is in its shard, appending one row per finished variant.
 * SIGINT/SIGTERM stop the sweep: the workers are killed, result->complete is FALSE and *interrupted
 * TRUE, and the rows that finished stay.  FALSE only when the pool cannot be set up (pipe, fork). */
gboolean ts_sweep_run(TsSweepResult *result, const TsSweepRunOptions *options, gboolean *interrupted,
                      GError **error);

/* The number of variants of the spec that fall in its shard. */
guint64 ts_sweep_spec_count_in_shard(const TsSweepSpec *spec);

#endif
