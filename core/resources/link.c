#include "resources/link.h"

#include <math.h>

struct TsTransfer {
  TsLinkResource *link;
  double remaining; /* bytes */
  double cap;
  double rate;      /* bytes/s now */
  TsEventId event;
  TsTransferDone done;
  void *data;
};
typedef struct TsTransfer Transfer;

struct TsLinkResource {
  TsEngine *engine;
  char *name;
  double bandwidth;
  GPtrArray *active; /* Transfer*, in start order */
  TsTime updated;    /* when `remaining` was last brought up to date */
};

TsLinkResource *
ts_link_resource_new(TsEngine *engine, const char *name, double bandwidth)
{
  TsLinkResource *l = g_new0(TsLinkResource, 1);
  l->engine = engine;
  l->name = g_strdup(name);
  l->bandwidth = bandwidth;
  l->active = g_ptr_array_new_with_free_func(g_free);
  l->updated = ts_engine_get_now(engine);
  return l;
}

void
ts_link_resource_free(TsLinkResource *link)
{
  if (link == NULL)
    return;
  for (guint i = 0; i < link->active->len; i++) {
    Transfer *t = g_ptr_array_index(link->active, i);
    ts_engine_cancel(link->engine, t->event);
  }
  g_ptr_array_unref(link->active);
  g_free(link->name);
  g_free(link);
}

static void
advance(TsLinkResource *l)
{
  TsTime now = ts_engine_get_now(l->engine);
  double dt = ts_time_to_seconds(now - l->updated);
  for (guint i = 0; i < l->active->len; i++) {
    Transfer *t = g_ptr_array_index(l->active, i);
    t->remaining -= t->rate * dt;
    if (t->remaining < 0)
      t->remaining = 0;
  }
  l->updated = now;
}

static void transfer_finish(TsEngine *engine, void *data);

/* Max-min fair shares: transfers capped below the equal share keep their cap, the rest split what is left. */
static void
reshare(TsLinkResource *l)
{
  guint n = l->active->len;
  if (n == 0)
    return;
  double left = l->bandwidth;
  guint unsettled = n;
  g_autofree gboolean *settled = g_new0(gboolean, n);
  gboolean changed = TRUE;
  while (changed && unsettled > 0) {
    changed = FALSE;
    double share = left / unsettled;
    for (guint i = 0; i < n; i++) {
      Transfer *t = g_ptr_array_index(l->active, i);
      if (!settled[i] && t->cap > 0 && t->cap < share) {
        settled[i] = TRUE;
        t->rate = t->cap;
        left -= t->cap;
        unsettled--;
        changed = TRUE;
      }
    }
  }
  double share = unsettled > 0 ? left / unsettled : 0;
  TsTime now = ts_engine_get_now(l->engine);
  for (guint i = 0; i < n; i++) {
    Transfer *t = g_ptr_array_index(l->active, i);
    if (!settled[i])
      t->rate = share;
    TsTime at = ts_time_add(now, ts_time_from_seconds(t->rate > 0 ? t->remaining / t->rate : 0));
    if (t->event == 0 || !ts_engine_reschedule(l->engine, t->event, at))
      t->event = ts_engine_schedule(l->engine, at, TS_PRIORITY_COMPLETE, transfer_finish, t);
  }
}

static void
transfer_finish(TsEngine *engine, void *data)
{
  (void) engine;
  Transfer *t = data;
  TsLinkResource *l = t->link;
  advance(l);
  TsTransferDone done = t->done;
  void *ud = t->data;
  t->event = 0;
  g_ptr_array_remove(l->active, t); /* frees t */
  reshare(l);
  done(ud);
}

TsTransfer *
ts_link_resource_start(TsLinkResource *link, double bytes, double cap, TsTransferDone done, void *data)
{
  advance(link);
  Transfer *t = g_new0(Transfer, 1);
  t->link = link;
  t->remaining = bytes > 0 ? bytes : 0;
  t->cap = cap > 0 ? cap : 0;
  t->done = done;
  t->data = data;
  g_ptr_array_add(link->active, t);
  reshare(link);
  return t;
}

double
ts_link_resource_abort(TsLinkResource *link, TsTransfer *t)
{
  advance(link);
  double remaining = t->remaining;
  if (t->event != 0)
    ts_engine_cancel(link->engine, t->event);
  g_ptr_array_remove(link->active, t); /* frees t */
  reshare(link);
  return remaining;
}

guint
ts_link_resource_get_active(const TsLinkResource *link)
{
  return link->active->len;
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
