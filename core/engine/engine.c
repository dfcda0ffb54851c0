/* The event queue is a 4-ary min-heap of compact keys over a pool of reusable slots.  Keys live in
 * the heap itself so that sifting compares contiguous memory and never chases a pointer; the slot
 * keeps only what the heap does not need (callback, data, tie-breaking sequence, heap position,
 * generation).  A 4-ary heap is half as deep as a binary one, and its four 16-byte children share
 * one cache line. */
#include "engine/engine.h"

#include <string.h>

/* An id is (generation << 32) | (slot + 1): the +1 keeps 0 free for "none", and the generation
 * makes an id stale as soon as its event runs or is cancelled, even once the slot is reused.  The
 * generation wraps after 2^32 reuses of one slot, so an id kept across that many later events in
 * the same slot could alias a newer one; callers keep ids for far less. */
#define TS_SLOT_BITS 32
#define TS_SLOT_MASK G_GUINT64_CONSTANT(0xffffffff)
/* The largest pool: slot + 1 must fit the low 32 bits of an id, and TS_HEAP_POS_NONE must stay
 * distinct from every heap position. */
#define TS_SLOTS_MAX (G_MAXUINT32 - 1u)
#define TS_HEAP_POS_NONE G_MAXUINT32
#define TS_INITIAL_CAPACITY 64u

typedef struct {
  TsTime time;
  gint32 priority;
  guint32 slot;
} TsHeapEntry;

typedef struct {
  TsEventFunc fn;
  void *data;
  guint64 seq; /* insertion order, so equal (time, priority) run first-scheduled first */
  guint32 heap_pos; /* TS_HEAP_POS_NONE while the slot is free */
  guint32 generation;
} TsSlot;

struct TsEngine {
  TsTime now;
  guint64 next_seq;
  guint64 dispatched;
  guint64 max_events; /* 0: no budget */

  /* heap, slots and free_slots share one capacity: the heap never holds more entries than there
   * are slots, and the free list never more than all of them, so one growth check covers all. */
  TsHeapEntry *heap;
  TsHeapEntry *heap_block; /* 64-byte aligned; heap = heap_block + 3, so children 4p+1..4p+4 share one line */
  guint heap_len;
  TsSlot *slots;
  guint n_slots; /* slots ever handed out; those past it are uninitialised */
  guint32 *free_slots;
  guint n_free;
  guint capacity;

  /* TRUE while a callback runs and heap[0] still holds the entry of the event being dispatched.
   * That event is already gone (slot freed, id stale); its entry is rekeyed below every real event
   * and left as a hole, so that the common case of a callback scheduling a successor fills the root
   * with one sift-down instead of a pop plus a push.  Whatever is left is popped after the call. */
  gboolean root_vacant;
  gboolean stop_requested;
  gboolean running;
};

TsTime
ts_time_from_seconds(double seconds)
{
  /* !(x > 0) also catches NaN. */
  if (!(seconds > 0.0))
    return 0;
  /* INT64_MAX ns is 9223372036.854775807 s: from 9223372037 s up nothing fits, and the last
   * partial second below that is caught after the split. */
  if (seconds >= 9223372037.0)
    return TS_TIME_MAX;

  /* Whole and fractional seconds are scaled apart: seconds * 1e9 as one double product would lose
   * nanoseconds past 2^53 ns (about 104 days), while the split keeps whole seconds exact and the
   * fraction (exact by Sterbenz) to within one rounding. */
  gint64 whole = (gint64) seconds;
  double frac_ns = (seconds - (double) whole) * 1e9;
  gint64 ns = (gint64) frac_ns;
  /* Round half up by hand rather than frac_ns + 0.5, which itself rounds for values just under a
   * half, and without pulling in libm. */
  if (frac_ns - (double) ns >= 0.5)
    ns++;

  if (whole > (TS_TIME_MAX - ns) / TS_NS_PER_S)
    return TS_TIME_MAX;
  return whole * TS_NS_PER_S + ns;
}

double
ts_time_to_seconds(TsTime t)
{
  /* Split so that whole seconds convert exactly even when t exceeds 2^53. */
  return (double) (t / TS_NS_PER_S) + (double) (t % TS_NS_PER_S) / 1e9;
}

/* The sequence number breaks ties of (time, priority) only, which are rare, so it lives in the slot and
 * the heap entry stays at 16 bytes: four children fill exactly one cache line. */
static inline gboolean
heap_entry_less(const TsEngine *engine, const TsHeapEntry *a, const TsHeapEntry *b)
{
  if (a->time != b->time)
    return a->time < b->time;
  if (a->priority != b->priority)
    return a->priority < b->priority;
  return engine->slots[a->slot].seq < engine->slots[b->slot].seq;
}

static inline void
heap_place(TsEngine *engine, guint pos, const TsHeapEntry *entry)
{
  engine->heap[pos] = *entry;
  engine->slots[entry->slot].heap_pos = pos;
}

/* Both sifts move a hole rather than swapping, so each level costs one copy instead of three.  They are
 * forced inline: an out-of-line call takes `entry` by value through the stack, and reading back the
 * separately stored fields as one wide load stalls on store-to-load forwarding in every schedule. */
static inline G_ALWAYS_INLINE void
heap_sift_up(TsEngine *engine, guint pos, TsHeapEntry entry)
{
  TsHeapEntry *heap = engine->heap;
  while (pos > 0) {
    guint parent = (pos - 1) / 4;
    if (!heap_entry_less(engine, &entry, &heap[parent]))
      break;
    heap_place(engine, pos, &heap[parent]);
    pos = parent;
  }
  heap_place(engine, pos, &entry);
}

static inline G_ALWAYS_INLINE void
heap_sift_down(TsEngine *engine, guint pos, TsHeapEntry entry)
{
  TsHeapEntry *heap = engine->heap;
  gsize len = engine->heap_len;
  for (;;) {
    /* gsize: 4 * pos + 4 can pass G_MAXUINT for a near-full pool. */
    gsize first = 4 * (gsize) pos + 1;
    if (first >= len)
      break;
    /* The grandchildren (16 entries, 4 lines) lie side by side: fetch them while the children are compared. */
    gsize grand = 4 * first + 1;
    if (grand < len) {
      const char *g = (const char *) &heap[grand];
      __builtin_prefetch(g);
      __builtin_prefetch(g + 64);
      __builtin_prefetch(g + 128);
      __builtin_prefetch(g + 192);
    }
    gsize best = first;
    gsize end = MIN(first + 4, len);
    for (gsize c = first + 1; c < end; c++)
      if (heap_entry_less(engine, &heap[c], &heap[best]))
        best = c;
    if (!heap_entry_less(engine, &heap[best], &entry))
      break;
    heap_place(engine, pos, &heap[best]);
    pos = (guint) best;
  }
  heap_place(engine, pos, &entry);
}

/* Put `entry`, whose key may have moved either way, back in order starting at `pos`.  Never moves
 * anything above a vacant root: its key is below every real one. */
static void
heap_fix(TsEngine *engine, guint pos, TsHeapEntry entry)
{
  if (pos > 0 && heap_entry_less(engine, &entry, &engine->heap[(pos - 1) / 4]))
    heap_sift_up(engine, pos, entry);
  else
    heap_sift_down(engine, pos, entry);
}

static void
heap_remove(TsEngine *engine, guint pos)
{
  guint last = --engine->heap_len;
  if (pos != last)
    heap_fix(engine, pos, engine->heap[last]);
}

static void
heap_alloc(TsEngine *engine, guint capacity)
{
  TsHeapEntry *block = g_aligned_alloc((gsize) capacity + 3, sizeof(TsHeapEntry), 64);
  if (engine->heap_block != NULL) {
    memcpy(block + 3, engine->heap, engine->heap_len * sizeof(TsHeapEntry));
    g_aligned_free(engine->heap_block);
  }
  engine->heap_block = block;
  engine->heap = block + 3;
}

static void
engine_grow(TsEngine *engine)
{
  if (engine->capacity >= TS_SLOTS_MAX)
    g_error("trainsim engine: more than %u pending events", TS_SLOTS_MAX);
  guint capacity = engine->capacity > TS_SLOTS_MAX / 2 ? TS_SLOTS_MAX : engine->capacity * 2;
  heap_alloc(engine, capacity);
  engine->slots = g_renew(TsSlot, engine->slots, capacity);
  engine->free_slots = g_renew(guint32, engine->free_slots, capacity);
  engine->capacity = capacity;
}

static guint32
slot_alloc(TsEngine *engine)
{
  /* LIFO reuse keeps the most recently touched (cache-warm) slot in play. */
  if (engine->n_free > 0)
    return engine->free_slots[--engine->n_free];
  if (engine->n_slots == engine->capacity)
    engine_grow(engine);
  guint32 slot = engine->n_slots++;
  engine->slots[slot].generation = 1;
  engine->slots[slot].heap_pos = TS_HEAP_POS_NONE;
  return slot;
}

static void
slot_free(TsEngine *engine, guint32 slot)
{
  TsSlot *s = &engine->slots[slot];
  s->heap_pos = TS_HEAP_POS_NONE;
  s->generation++; /* every id handed out for this use of the slot is now stale */
  s->fn = NULL;
  s->data = NULL;
  engine->free_slots[engine->n_free++] = slot;
}

/* The slot of a pending event, or -1: checks the generation so that stale or forged ids never touch
 * a slot that has since been reused. */
static gint64
engine_lookup(const TsEngine *engine, TsEventId id)
{
  guint64 low = id & TS_SLOT_MASK;
  if (low == 0 || low > engine->n_slots)
    return -1;
  guint32 slot = (guint32) (low - 1);
  const TsSlot *s = &engine->slots[slot];
  if (s->heap_pos == TS_HEAP_POS_NONE || s->generation != (guint32) (id >> TS_SLOT_BITS))
    return -1;
  return slot;
}

TsEngine *
ts_engine_new(void)
{
  TsEngine *engine = g_new0(TsEngine, 1);
  engine->capacity = TS_INITIAL_CAPACITY;
  heap_alloc(engine, engine->capacity);
  engine->slots = g_new(TsSlot, engine->capacity);
  engine->free_slots = g_new(guint32, engine->capacity);
  return engine;
}

void
ts_engine_free(TsEngine *engine)
{
  if (engine == NULL)
    return;
  g_aligned_free(engine->heap_block);
  g_free(engine->slots);
  g_free(engine->free_slots);
  g_free(engine);
}

TsTime
ts_engine_get_now(const TsEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->now;
}

guint
ts_engine_get_pending(const TsEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->heap_len - (engine->root_vacant ? 1 : 0);
}

guint64
ts_engine_get_dispatched(const TsEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->dispatched;
}

TsEventId
ts_engine_schedule(TsEngine *engine, TsTime at, int priority, TsEventFunc fn, void *data)
{
  g_return_val_if_fail(engine != NULL, 0);
  g_return_val_if_fail(fn != NULL, 0);

  guint32 slot = slot_alloc(engine);
  TsSlot *s = &engine->slots[slot];
  s->fn = fn;
  s->data = data;
  s->seq = engine->next_seq++;

  TsHeapEntry entry = {
    .time = MAX(at, engine->now), /* the past is gone: a late event runs now, never rewinds the clock */
    .priority = priority,
    .slot = slot,
  };
  if (engine->root_vacant) {
    engine->root_vacant = FALSE;
    heap_sift_down(engine, 0, entry);
  } else {
    heap_sift_up(engine, engine->heap_len++, entry);
  }
  return ((guint64) s->generation << TS_SLOT_BITS) | ((guint64) slot + 1);
}

TsEventId
ts_engine_schedule_in(TsEngine *engine, TsTime delay, int priority, TsEventFunc fn, void *data)
{
  g_return_val_if_fail(engine != NULL, 0);
  TsTime at;
  if (delay <= 0)
    at = engine->now;
  else if (delay > TS_TIME_MAX - engine->now)
    at = TS_TIME_MAX;
  else
    at = engine->now + delay;
  return ts_engine_schedule(engine, at, priority, fn, data);
}

gboolean
ts_engine_cancel(TsEngine *engine, TsEventId id)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  gint64 slot = engine_lookup(engine, id);
  if (slot < 0)
    return FALSE;
  heap_remove(engine, engine->slots[slot].heap_pos);
  slot_free(engine, (guint32) slot);
  return TRUE;
}

gboolean
ts_engine_reschedule(TsEngine *engine, TsEventId id, TsTime at)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  gint64 slot = engine_lookup(engine, id);
  if (slot < 0)
    return FALSE;
  guint pos = engine->slots[slot].heap_pos;
  TsHeapEntry entry = engine->heap[pos];
  entry.time = MAX(at, engine->now);
  engine->slots[slot].seq = engine->next_seq++;
  heap_fix(engine, pos, entry);
  return TRUE;
}

TsTime
ts_engine_get_due(const TsEngine *engine, TsEventId id)
{
  g_return_val_if_fail(engine != NULL, -1);
  gint64 slot = engine_lookup(engine, id);
  if (slot < 0)
    return -1;
  return engine->heap[engine->slots[slot].heap_pos].time;
}

void
ts_engine_set_max_events(TsEngine *engine, guint64 max_events)
{
  g_return_if_fail(engine != NULL);
  engine->max_events = max_events;
}

TsEngineResult
ts_engine_run(TsEngine *engine, TsTime until)
{
  g_return_val_if_fail(engine != NULL, TS_ENGINE_EMPTY);
  /* A nested run would pop events out from under the outer one's callback. */
  g_return_val_if_fail(!engine->running, TS_ENGINE_STOPPED);

  /* A stop asked for outside a run must not cut the next run short. */
  engine->stop_requested = FALSE;
  engine->running = TRUE;

  TsEngineResult result;
  for (;;) {
    if (engine->heap_len == 0) {
      result = TS_ENGINE_EMPTY;
      break;
    }
    if (engine->max_events > 0 && engine->dispatched >= engine->max_events) {
      result = TS_ENGINE_BUDGET;
      break;
    }
    TsHeapEntry top = engine->heap[0];
    if (top.time > until) {
      /* Never rewind: a horizon already behind the clock leaves it where it is. */
      if (until > engine->now)
        engine->now = until;
      result = TS_ENGINE_HORIZON;
      break;
    }

    /* The slot is freed before the call so the callback sees a consistent queue: its own id is
     * already stale, and anything it schedules may reuse the slot. */
    TsSlot *s = &engine->slots[top.slot];
    TsEventFunc fn = s->fn;
    void *data = s->data;
    slot_free(engine, top.slot);
    /* Below every real time (all are >= 0), so no sift ever moves an entry into or past it. */
    engine->heap[0].time = G_MININT64;
    engine->root_vacant = TRUE;

    engine->now = top.time;
    engine->dispatched++;
    fn(engine, data);

    if (engine->root_vacant) {
      engine->root_vacant = FALSE;
      heap_remove(engine, 0);
    }

    if (engine->stop_requested) {
      result = TS_ENGINE_STOPPED;
      break;
    }
  }

  engine->running = FALSE;
  return result;
}

void
ts_engine_stop(TsEngine *engine)
{
  g_return_if_fail(engine != NULL);
  engine->stop_requested = TRUE;
}
