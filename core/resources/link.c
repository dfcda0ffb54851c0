#include "resources/link.h"

#include <math.h>

/* Every active transfer of a link gets the same rate, min(cap, bandwidth / n), so the link keeps one number,
 * `served`: the bytes each active transfer has received since the link was made (virtual time, as in fair
 * queueing).  A transfer started when served was S with b bytes to move finishes when served reaches S + b,
 * whatever starts and ends in between.  The transfers sit in a min-heap on that finish mark, and the link
 * keeps one engine event, for the first of them: starting, finishing or aborting a transfer costs O(log n)
 * instead of moving the completion event of every other transfer (40,000 background downloads once took
 * minutes). */
struct TsTransfer {
  TsLinkResource *link;
  double finish; /* `served` when the last byte arrives */
  guint64 seq;   /* start order: ties finish in the order they started */
  guint index;   /* position in the heap */
  TsTransferDone done;
  void *data;
};
typedef struct TsTransfer Transfer;

struct TsLinkResource {
  TsEngine *engine;
  char *name;
  double bandwidth;
  double cap;        /* bytes/s for one transfer (the disk at the far end); 0: none */
  GPtrArray *heap;   /* Transfer*, a min-heap on (finish, seq) */
  double served;     /* bytes each active transfer has received, up to `updated` */
  TsTime updated;
  TsEventId event;   /* the completion of heap[0], or 0 */
  guint64 next_seq;
};

TsLinkResource *
ts_link_resource_new(TsEngine *engine, const char *name, double bandwidth, double cap)
{
  TsLinkResource *l = g_new0(TsLinkResource, 1);
  l->engine = engine;
  l->name = g_strdup(name);
  l->bandwidth = bandwidth;
  l->cap = cap > 0 ? cap : 0;
  l->heap = g_ptr_array_new_with_free_func(g_free);
  l->updated = ts_engine_get_now(engine);
  return l;
}

void
ts_link_resource_free(TsLinkResource *link)
{
  if (link == NULL)
    return;
  if (link->event != 0)
    ts_engine_cancel(link->engine, link->event);
  g_ptr_array_unref(link->heap);
  g_free(link->name);
  g_free(link);
}

static double
rate(const TsLinkResource *l)
{
  guint n = l->heap->len;
  if (n == 0)
    return 0;
  double share = l->bandwidth / n;
  return l->cap > 0 && l->cap < share ? l->cap : share;
}

static void
advance(TsLinkResource *l)
{
  TsTime now = ts_engine_get_now(l->engine);
  l->served += rate(l) * ts_time_to_seconds(now - l->updated);
  l->updated = now;
}

/* ---- the heap -------------------------------------------------------------------------------- */

static gboolean
before(const Transfer *a, const Transfer *b)
{
  return a->finish < b->finish || (a->finish == b->finish && a->seq < b->seq);
}

static void
heap_set(TsLinkResource *l, guint i, Transfer *t)
{
  l->heap->pdata[i] = t;
  t->index = i;
}

static void
sift_up(TsLinkResource *l, guint i)
{
  Transfer *t = l->heap->pdata[i];
  while (i > 0) {
    guint parent = (i - 1) / 2;
    Transfer *p = l->heap->pdata[parent];
    if (!before(t, p))
      break;
    heap_set(l, i, p);
    i = parent;
  }
  heap_set(l, i, t);
}

static void
sift_down(TsLinkResource *l, guint i)
{
  guint n = l->heap->len;
  Transfer *t = l->heap->pdata[i];
  for (;;) {
    guint c = 2 * i + 1;
    if (c >= n)
      break;
    if (c + 1 < n && before(l->heap->pdata[c + 1], l->heap->pdata[c]))
      c++;
    if (!before(l->heap->pdata[c], t))
      break;
    heap_set(l, i, l->heap->pdata[c]);
    i = c;
  }
  heap_set(l, i, t);
}

/* Take t out of the heap (not freed). */
static void
heap_remove(TsLinkResource *l, Transfer *t)
{
  guint i = t->index;
  guint last = l->heap->len - 1;
  Transfer *moved = l->heap->pdata[last];
  l->heap->pdata[last] = NULL;
  g_ptr_array_set_size(l->heap, last); /* the free function skips NULL */
  if (i == last)
    return;
  heap_set(l, i, moved);
  sift_up(l, i);
  sift_down(l, moved->index);
}

/* ---- events -------------------------------------------------------------------------------- */

static void transfer_finish(TsEngine *engine, void *data);

/* Point the link's one event at the first transfer to finish, at the rate that holds from now. */
static void
reschedule(TsLinkResource *l)
{
  if (l->heap->len == 0) {
    if (l->event != 0)
      ts_engine_cancel(l->engine, l->event);
    l->event = 0;
    return;
  }
  const Transfer *first = l->heap->pdata[0];
  double r = rate(l);
  double left = first->finish - l->served;
  TsTime now = ts_engine_get_now(l->engine);
  TsTime at = ts_time_add(now, ts_time_from_seconds(r > 0 && left > 0 ? left / r : 0));
  if (l->event == 0 || !ts_engine_reschedule(l->engine, l->event, at))
    l->event = ts_engine_schedule(l->engine, at, TS_PRIORITY_COMPLETE, transfer_finish, l);
}

static void
transfer_finish(TsEngine *engine, void *data)
{
  (void) engine;
  TsLinkResource *l = data;
  l->event = 0;
  advance(l);
  Transfer *t = l->heap->pdata[0];
  /* The event time is rounded to the nanosecond: this transfer is done, whatever fraction of a byte the
   * rounding left. */
  if (l->served < t->finish)
    l->served = t->finish;
  heap_remove(l, t);
  TsTransferDone done = t->done;
  void *ud = t->data;
  g_free(t);
  reschedule(l);
  done(ud);
}

TsTransfer *
ts_link_resource_start(TsLinkResource *link, double bytes, TsTransferDone done, void *data)
{
  advance(link);
  Transfer *t = g_new0(Transfer, 1);
  t->link = link;
  t->finish = link->served + (bytes > 0 ? bytes : 0);
  t->seq = link->next_seq++;
  t->done = done;
  t->data = data;
  g_ptr_array_add(link->heap, t);
  t->index = link->heap->len - 1;
  sift_up(link, t->index);
  reschedule(link);
  return t;
}

double
ts_link_resource_abort(TsLinkResource *link, TsTransfer *t)
{
  advance(link);
  double remaining = MAX(t->finish - link->served, 0.0);
  heap_remove(link, t);
  g_free(t);
  reschedule(link);
  return remaining;
}

guint
ts_link_resource_get_active(const TsLinkResource *link)
{
  return link->heap->len;
}

double
ts_link_resource_get_bandwidth(const TsLinkResource *link)
{
  return link->bandwidth;
}

const char *
ts_link_resource_get_name(const TsLinkResource *link)
{
  return link->name;
}
