/* The discrete-event engine: an int64-nanosecond clock and an event queue ordered by
 * (time, priority, insertion sequence).  Knows nothing about ML.  No global state: each engine owns
 * everything it changes, so many engines can run at once in different threads. */
#ifndef TS_ENGINE_H
#define TS_ENGINE_H

#include <glib.h>
#include <stdint.h>

typedef int64_t TsTime; /* nanoseconds since the start of the simulation */

#define TS_TIME_MAX INT64_MAX
#define TS_NS_PER_S G_GINT64_CONSTANT(1000000000)

/* Seconds (floating point) to ticks, rounded to nearest (halves up), saturating; negative and NaN give 0.
 * A duration is rounded once, so k identical steps take exactly k × ticks. */
TsTime ts_time_from_seconds(double seconds);
double ts_time_to_seconds(TsTime t);

/* Saturating arithmetic on times (t, d >= 0): a scenario can ask for durations whose sum or product
 * passes TS_TIME_MAX (about 292 years), where the plain int64 operation would be undefined. */
static inline TsTime
ts_time_add(TsTime t, TsTime d)
{
  return d > TS_TIME_MAX - t ? TS_TIME_MAX : t + d;
}

static inline TsTime
ts_time_mul(TsTime ticks, guint64 n)
{
  if (ticks <= 0 || n == 0)
    return 0;
  return n > (guint64) (TS_TIME_MAX / ticks) ? TS_TIME_MAX : ticks * (TsTime) n;
}

typedef struct TsEngine TsEngine;

/* 0 is never a valid id, so callers can use it for "none". */
typedef uint64_t TsEventId;

typedef void (*TsEventFunc)(TsEngine *engine, void *data);

/* Semantic priorities for events at the same instant: lower runs first.  Aggregation never
 * renumbers these, so ties resolve the same way whether steps are stepped or aggregated. */
enum {
  TS_PRIORITY_FAILURE = -100, /* a failure strikes before work completing at the same instant */
  TS_PRIORITY_DEFAULT = 0,
  TS_PRIORITY_COMPLETE = 50,
  TS_PRIORITY_SAMPLE = 100 /* timeline samples see the state after everything else */
};

typedef enum {
  TS_ENGINE_EMPTY,   /* no events left */
  TS_ENGINE_HORIZON, /* the next event is after `until`; the clock now reads `until` */
  TS_ENGINE_STOPPED, /* a callback called ts_engine_stop() */
  TS_ENGINE_BUDGET   /* the event budget (ts_engine_set_max_events) is spent; the rest stay pending */
} TsEngineResult;

TsEngine *ts_engine_new(void);
void ts_engine_free(TsEngine *engine);

TsTime ts_engine_get_now(const TsEngine *engine);
guint ts_engine_get_pending(const TsEngine *engine);
guint64 ts_engine_get_dispatched(const TsEngine *engine);

/* Schedule fn(engine, data) at absolute time `at` (>= now; earlier is clamped to now).  Inside a callback
 * the running event is already gone: its own id is stale, and ts_engine_get_pending does not count it, so a
 * periodic timer schedules a new event rather than rescheduling itself. */
TsEventId ts_engine_schedule(TsEngine *engine, TsTime at, int priority, TsEventFunc fn, void *data);
/* Same, `delay` ticks from now (saturating at TS_TIME_MAX; a delay <= 0 means now). */
TsEventId ts_engine_schedule_in(TsEngine *engine, TsTime delay, int priority, TsEventFunc fn, void *data);
/* Remove a pending event.  FALSE if it already ran, was cancelled, or never existed.  Safe from callbacks,
 * including for an event due at the same instant as the one running. */
gboolean ts_engine_cancel(TsEngine *engine, TsEventId id);
/* Move a pending event to `at` (clamped to now); it takes a fresh sequence number, as if newly
 * scheduled.  FALSE if the id is not pending. */
gboolean ts_engine_reschedule(TsEngine *engine, TsEventId id, TsTime at);
/* When a pending event is due, or -1. */
TsTime ts_engine_get_due(const TsEngine *engine, TsEventId id);

/* Dispatch events in order while their time is <= until (TS_TIME_MAX: until empty).  On TS_ENGINE_HORIZON
 * the clock reads max(now, until) (it never runs backwards); on TS_ENGINE_EMPTY it stays at the last event.
 * Not re-entrant: calling it from a callback is refused (critical message, TS_ENGINE_STOPPED).  A stale id
 * could only match a newer event after 2^32 later uses of the same slot. */
TsEngineResult ts_engine_run(TsEngine *engine, TsTime until);
/* At most `max_events` dispatches over the engine's life (0: no budget): a model that keeps scheduling
 * events without simulated time passing (a link failing every microsecond) then ends. */
void ts_engine_set_max_events(TsEngine *engine, guint64 max_events);
/* Ask ts_engine_run to return after the current callback. */
void ts_engine_stop(TsEngine *engine);

#endif
