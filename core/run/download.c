/* Downloads (ts_run_download, ts_run_join): a dataset moved over its source's link, shared fairly with the other
 * transfers on that link, interrupted when the link fails (resumable or from the start, after the source's retry
 * delay), in the foreground or in the background until a join; each on a network track of its own. */
#include "run/run-private.h"

#include "common/ts-error.h"

#include <string.h>

/* Downloads running at the same time are on tracks of their own ("network", "network 2", ...): spans on one
 * track must nest, and two transfers side by side do not hold one another. */
static guint
network_lane_take(TsRun *run)
{
  guint lane = 0;
  while (lane < 31 && (run->network_lanes & (1u << lane)) != 0)
    lane++;
  run->network_lanes |= 1u << lane;
  return lane;
}

static char *
network_lane_name(guint lane)
{
  return lane == 0 ? g_strdup("network") : g_strdup_printf("network %u", lane + 1);
}

typedef struct {
  TsRun *run;
  TsDataset *ds;
  TsTime start;
  gboolean background;
  gboolean resumable;
  TsLinkResource *link;
  TsTransfer *transfer;
  double remaining; /* bytes still to move when the transfer (re)starts */
  TsEventId failure; /* the link's next failure under this transfer, 0 if none */
  Meter *meter;
  guint lane; /* network track */
  TsRunDone done;
  void *data;
} Download;

static void download_done(void *p);

static void download_fail(TsEngine *engine, void *p);

/* (Re)start the transfer and draw when the link next fails under it. */
static void
download_start(Download *d)
{
  TsRun *run = d->run;
  d->transfer = ts_link_resource_start(d->link, d->remaining, download_done, d);
  if (d->ds->from->mtbf_s > 0)
    d->failure = ts_engine_schedule_in(run->engine,
                                       ts_time_from_seconds(ts_rng_exponential(&run->downloads_rng,
                                                                               d->ds->from->mtbf_s)),
                                       TS_PRIORITY_FAILURE, download_fail, d);
}

static void
download_retry(TsEngine *engine, void *p)
{
  (void) engine;
  download_start(p);
}

/* The connection drops: a resumable download keeps what arrived, another starts over; either way after the
 * source's retry delay. */
static void
download_fail(TsEngine *engine, void *p)
{
  Download *d = p;
  d->failure = 0;
  double left = ts_link_resource_abort(d->link, d->transfer);
  d->transfer = NULL;
  d->remaining = d->resumable ? left : d->ds->bytes;
  d->run->results.download_interruptions++;
  ts_engine_schedule_in(engine, ts_time_from_seconds(d->ds->from->retry_s), TS_PRIORITY_DEFAULT, download_retry, d);
}

static void
download_done(void *p)
{
  Download *d = p;
  TsRun *run = d->run;
  if (d->failure != 0)
    ts_engine_cancel(run->engine, d->failure);
  run_meter_stop(run, d->meter);
  TsTime now = ts_engine_get_now(run->engine);
  g_autofree char *name = g_strdup_printf("download %s", d->ds->name);
  g_autofree char *track = network_lane_name(d->lane);
  run_record_phase(run, TS_PHASE_DOWNLOAD, name, d->start, now);
  run_emit_span(run, track, name, TS_PHASE_DOWNLOAD, d->start, now);
  run->network_lanes &= ~(1u << d->lane);
  run->phase = "idle";
  run_emit_sample(run);
  TsRunDone done = d->done;
  void *data = d->data;
  gboolean background = d->background;
  g_hash_table_remove(run->pending, d); /* frees it */
  if (!background) {
    done(run, data);
    return;
  }
  run->background--;
  if (run->background == 0 && run->join_done != NULL) {
    TsRunDone waiter = run->join_done;
    run->join_done = NULL;
    waiter(run, run->join_data);
  }
}

gboolean
ts_run_join(TsRun *run, const char *where, TsRunDone done, void *data, GError **error)
{
  (void) where;
  (void) error;
  if (run->background == 0) {
    run_schedule_done(run, ts_engine_get_now(run->engine), done, data);
    return TRUE;
  }
  run->join_done = done;
  run->join_data = data;
  return TRUE;
}

/* The link the downloads from one source share (by its name), made on first use. */
static TsLinkResource *
link_of_source(TsRun *run, const TsDownloadSource *from, double write_bw)
{
  const char *name = from->name ? from->name : "internet";
  for (guint i = 0; i < run->links->len; i++) {
    TsLinkResource *l = g_ptr_array_index(run->links, i);
    if (strcmp(ts_link_resource_get_name(l), name) == 0)
      return l;
  }
  TsLinkResource *l = ts_link_resource_new(run->engine, name, from->bandwidth, write_bw);
  g_ptr_array_add(run->links, l);
  return l;
}

gboolean
ts_run_download(TsRun *run, TsDataset *ds, gboolean to_storage, gboolean background, gboolean resumable,
                const char *where, TsRunDone done, void *data, GError **error)
{
  g_ptr_array_add(run->datasets, ds);
  if (ds->from == NULL || !(ds->from->bandwidth > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: dataset %s has no source to download from (give from = "
                "internet{bandwidth = ...})", where, ds->name);
    return FALSE;
  }
  if (ds->from->egress_price >= 0) {
    run->results.cost_network += ds->bytes / 1e9 * ds->from->egress_price;
    run->results.network_cost_modelled = TRUE;
  }
  /* Space is claimed up front (downloaders preallocate), so a disk too small fails at the start. */
  double extracted = to_storage || run->cluster->storage != NULL ? 0 : ds->extracted;
  if (extracted > 0 && !ds->extracted_stated) {
    /* The local disk holds the download and its unpacked files; a size nobody stated is an assumption, said. */
    g_autofree char *b = ts_format_bytes(ds->bytes);
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "extracted-assumed", "%s: dataset %s does not state its size "
                          "once extracted (dataset { extracted = \"...\" }): the local disk holds the download (%s) "
                          "and an extracted copy taken to be as large", where, ds->name, b);
  }
  run->dataset_bytes += ds->bytes + extracted;
  g_autofree char *what = g_strdup_printf("%s: download of %s", where, ds->name);
  if (!run_set_stored(run, run->dataset_bytes + run->checkpoint_bytes_stored, what, error))
    return FALSE;
  Download *d = g_new0(Download, 1);
  d->run = run;
  d->ds = ds;
  d->start = ts_engine_get_now(run->engine);
  d->done = done;
  d->data = data;
  d->background = background;
  d->resumable = resumable;
  d->remaining = ds->bytes;
  double write_bw = run_storage_write_bw(run, where, ds->from->bandwidth); /* the link's rate is capped by it */
  d->link = link_of_source(run, ds->from, write_bw);
  d->lane = network_lane_take(run);
  g_hash_table_add(run->pending, d); /* freed with the run if the engine stops before the last byte */
  if (background) {
    run->background++;
    run_schedule_done(run, d->start, done, data);
  }
  run->phase = "download";
  run_emit_sample(run);
  d->meter = run_meter_start(run, ds->bytes / MIN(ds->from->bandwidth, write_bw), TS_TIME_MAX);
  download_start(d);
  return TRUE;
}
