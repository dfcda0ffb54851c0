/* A network link whose bandwidth is shared fairly among the transfers using it at the same time: each of
 * n active transfers gets min(cap, bandwidth / n) (max-min fairness on one link with one cap for every
 * transfer, the flow-level model of SimGrid and of TCP flows sharing a bottleneck).  Starting, ending or
 * aborting a transfer costs O(log n): the link keeps one engine event, for the transfer that finishes
 * first. */
#ifndef TS_LINK_H
#define TS_LINK_H

#include <glib.h>

#include "engine/engine.h"

typedef struct TsLinkResource TsLinkResource;
typedef struct TsTransfer TsTransfer;
typedef void (*TsTransferDone)(void *data);

/* `cap` (bytes/s, 0 = none) bounds each transfer alone (a slow disk at the far end). */
TsLinkResource *ts_link_resource_new(TsEngine *engine, const char *name, double bandwidth, double cap);
void ts_link_resource_free(TsLinkResource *link);

/* Start moving `bytes`; `done(data)` runs when the last byte arrives. */
TsTransfer *ts_link_resource_start(TsLinkResource *link, double bytes, TsTransferDone done, void *data);
/* Stop a transfer that has not finished (the link failed under it): returns the bytes it still had to move;
 * `done` is never called.  The others share the link again. */
double ts_link_resource_abort(TsLinkResource *link, TsTransfer *transfer);

guint ts_link_resource_get_active(const TsLinkResource *link);
double ts_link_resource_get_bandwidth(const TsLinkResource *link);
const char *ts_link_resource_get_name(const TsLinkResource *link);

#endif
