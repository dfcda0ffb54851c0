/* The run: its resources, phases, the samples and spans it reports, storage and waits.  Machines, provisioning
 * and billing are in machines.c, downloads in download.c, inference in infer.c, training in train*.c
 * (train-private.h). */
#include "run/run-private.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

static const char *const phase_names[TS_PHASE_COUNT] = {"provision", "download", "stage",   "train", "eval",
                                                        "checkpoint", "restart", "release", "wait",  "infer"};
static const char *const severity_names[] = {"info", "warning", "error"};

const char *
ts_phase_kind_get_name(TsPhaseKind kind)
{
  return (unsigned) kind < TS_PHASE_COUNT ? phase_names[kind] : "?";
}

const char *
ts_severity_get_name(TsSeverity s)
{
  return (unsigned) s < G_N_ELEMENTS(severity_names) ? severity_names[s] : "?";
}


static void
diagnostic_free(gpointer p)
{
  TsDiagnostic *d = p;
  g_free(d->code);
  g_free(d->message);
  g_free(d);
}

void
ts_param_free(gpointer p)
{
  TsParam *t = p;
  g_free(t->name);
  g_free(t->value_json);
  g_free(t);
}

void
ts_dataset_free(TsDataset *d)
{
  if (d == NULL)
    return;
  g_free(d->name);
  if (d->from != NULL) {
    g_free(d->from->name);
    g_free(d->from);
  }
  g_free(d);
}

void
ts_machine_group_clear(TsMachineGroup *a)
{
  g_clear_pointer(&a->slice, g_free);
  g_clear_pointer(&a->defined, ts_device_record_free);
}

static void
machine_group_free(TsMachineGroup *a)
{
  if (a == NULL)
    return;
  ts_machine_group_clear(a);
  g_free(a);
}

void
ts_cluster_free(TsCluster *c)
{
  if (c == NULL)
    return;
  ts_machine_group_clear(&c->accel);
  if (c->storage != NULL) {
    g_free(c->storage->name);
    g_free(c->storage);
  }
  g_free(c->name);
  g_free(c);
}

TsCluster *
ts_cluster_copy(const TsCluster *c)
{
  TsCluster *n = g_memdup2(c, sizeof *c);
  n->accel.slice = g_strdup(c->accel.slice);
  n->name = g_strdup(c->name);
  if (c->storage != NULL) {
    n->storage = g_memdup2(c->storage, sizeof *c->storage);
    n->storage->name = g_strdup(c->storage->name);
  }
  return n;
}

TsDataset *
ts_dataset_copy(const TsDataset *d)
{
  TsDataset *n = g_memdup2(d, sizeof *d);
  n->name = g_strdup(d->name);
  if (d->from != NULL) {
    n->from = g_memdup2(d->from, sizeof *d->from);
    n->from->name = g_strdup(d->from->name);
  }
  return n;
}

TsRun *
ts_run_new(const TsRegistry *registry, const TsRunInfo *info)
{
  TsRun *run = g_new0(TsRun, 1);
  run->registry = registry;
  run->info = *info;
  run->info.params = info->params ? g_ptr_array_ref(info->params) : g_ptr_array_new_with_free_func(ts_param_free);
  run->engine = ts_engine_new();
  run->machines = g_ptr_array_new_with_free_func((GDestroyNotify) machine_group_free);
  run->billables = g_array_new(FALSE, TRUE, sizeof(TsBillable));
  g_array_set_clear_func(run->billables, (GDestroyNotify) ts_billable_clear);
  run->billed = g_array_new(FALSE, FALSE, sizeof(BilledInterval));
  run->billable_index = g_hash_table_new(NULL, NULL);
  run->links = g_ptr_array_new_with_free_func((GDestroyNotify) ts_link_resource_free);
  run->sinks = g_ptr_array_new_with_free_func(g_free);
  run->phases = g_ptr_array_new();
  run->phase_blocks = g_ptr_array_new_with_free_func(g_free);
  run->names = g_string_chunk_new(1024);
  run->pending_pool = g_ptr_array_new_with_free_func(g_free);
  run->diagnostics = g_ptr_array_new_with_free_func(diagnostic_free);
  run->catalogs = g_ptr_array_new();
  run->datasets = g_ptr_array_new_with_free_func((GDestroyNotify) ts_dataset_free);
  run->models = g_ptr_array_new_with_free_func((GDestroyNotify) ts_model_free);
  run->pending = g_hash_table_new_full(NULL, NULL, g_free, NULL);
  run->trains = g_ptr_array_new_with_free_func(train_free);
  run->meters = g_ptr_array_new_with_free_func(g_free);
  run->results.feasible = TRUE;
  run->phase = "idle";
  ts_rng_init(&run->failures_rng, info->seed, TS_RNG_STREAM_FAILURES);
  ts_rng_init(&run->downloads_rng, info->seed, TS_RNG_STREAM_DOWNLOADS);
  ts_rng_init(&run->stragglers_rng, info->seed, TS_RNG_STREAM_STRAGGLERS);
  ts_rng_init(&run->repairs_rng, info->seed, TS_RNG_STREAM_REPAIRS);
  return run;
}

void
ts_run_free(TsRun *run)
{
  if (run == NULL)
    return;
  /* Links cancel their own events; free them before the engine. */
  g_ptr_array_unref(run->links);
  if (run->node_failure_log != NULL)
    g_array_unref(run->node_failure_log);
  ts_device_free(run->device);
  ts_device_free(run->host_cpu);
  g_array_unref(run->billables);
  g_array_unref(run->billed);
  g_hash_table_unref(run->billable_index);
  g_ptr_array_unref(run->machines);
  ts_cluster_free(run->cluster);
  ts_engine_free(run->engine);
  g_ptr_array_unref(run->sinks);
  g_ptr_array_unref(run->phases);
  g_ptr_array_unref(run->phase_blocks);
  g_string_chunk_free(run->names);
  g_ptr_array_unref(run->pending_pool);
  g_ptr_array_unref(run->diagnostics);
  g_ptr_array_unref(run->catalogs);
  g_ptr_array_unref(run->datasets);
  g_ptr_array_unref(run->models);
  g_hash_table_unref(run->pending);
  g_ptr_array_unref(run->trains);
  g_ptr_array_unref(run->meters);
  run_jobs_free(run->jobs);
  g_ptr_array_unref(run->info.params);
  g_clear_error(&run->error);
  g_free(run->results.device_desc);
  g_free(run->results.price_desc);
  g_free(run->results.break_even.against);
  g_free(run->results.break_even.why_unknown);
  g_free(run->results.bottleneck);
  run_energy_free(run);
  g_free(run);
}

TsEngine *
ts_run_get_engine(TsRun *run)
{
  return run->engine;
}

void
ts_run_add_sink(TsRun *run, const TsSink *sink)
{
  g_ptr_array_add(run->sinks, g_memdup2(sink, sizeof *sink));
}

const TsResults *
ts_run_get_results(TsRun *run)
{
  return &run->results;
}

const GPtrArray *
ts_run_get_phases(TsRun *run)
{
  return run->phases;
}

const GPtrArray *
ts_run_get_diagnostics(TsRun *run)
{
  return run->diagnostics;
}

const TsRunInfo *
ts_run_get_info(TsRun *run)
{
  return &run->info;
}

const GPtrArray *
ts_run_get_catalogs(TsRun *run)
{
  return run->catalogs;
}

const GPtrArray *
ts_run_get_datasets(TsRun *run)
{
  return run->datasets;
}

void
ts_run_log_node_failures(TsRun *run)
{
  if (run->node_failure_log == NULL)
    run->node_failure_log = g_array_new(FALSE, FALSE, sizeof(double));
}

const GArray *
ts_run_get_node_failures(TsRun *run)
{
  return run->node_failure_log;
}

const TsCluster *
ts_run_get_cluster(TsRun *run)
{
  return run->cluster;
}

const GPtrArray *
ts_run_get_models(TsRun *run)
{
  return run->models;
}

const GError *
ts_run_get_error(TsRun *run)
{
  return run->error;
}

void
ts_run_note_catalog(TsRun *run, const TsCatalog *catalog)
{
  if (catalog == NULL)
    return;
  for (guint i = 0; i < run->catalogs->len; i++)
    if (g_ptr_array_index(run->catalogs, i) == catalog)
      return;
  g_ptr_array_add(run->catalogs, (gpointer) catalog);
}

void
ts_run_add_diagnostic(TsRun *run, TsSeverity severity, const char *code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  TsDiagnostic *d = g_new0(TsDiagnostic, 1);
  d->severity = severity;
  d->code = g_strdup(code);
  d->time = ts_engine_get_now(run->engine);
  d->message = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(run->diagnostics, d);
}

void
run_stop(TsRun *run, GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free(error);
  ts_engine_stop(run->engine);
}

static void emit_span(TsRun *run, const char *track, const char *name, TsPhaseKind kind, TsTime start,
                      TsTime end, TsSpanEdge edge);

static const char *
phase_track(TsPhaseKind kind)
{
  return kind == TS_PHASE_DOWNLOAD ? "network" : "accelerators";
}

/* Phases come from a script's actions, a million of them in a loop of r:wait (tests/bad/budgets): they are
 * carved from blocks of PHASE_BLOCK and their names kept once each in run->names, so that recording one
 * allocates nothing most of the time. */
#define PHASE_BLOCK 256

const char *
ts_run_keep_string(TsRun *run, const char *s)
{
  return s != NULL ? g_string_chunk_insert_const(run->names, s) : NULL;
}

void
run_record_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end)
{
  if (run->phases->len % PHASE_BLOCK == 0)
    g_ptr_array_add(run->phase_blocks, g_new(TsPhase, PHASE_BLOCK));
  TsPhase *p = (TsPhase *) g_ptr_array_index(run->phase_blocks, run->phase_blocks->len - 1) +
               run->phases->len % PHASE_BLOCK;
  p->kind = kind;
  p->name = name != NULL ? g_string_chunk_insert_const(run->names, name) : NULL;
  p->start = start;
  p->end = end;
  g_ptr_array_add(run->phases, p);
}

void
run_add_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end)
{
  run_record_phase(run, kind, name, start, end);
  run_emit_span(run, phase_track(kind), name, kind, start, end);
}

void
run_begin_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start)
{
  emit_span(run, phase_track(kind), name, kind, start, start, TS_SPAN_BEGIN);
}

void
run_end_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end)
{
  run_record_phase(run, kind, name, start, end);
  emit_span(run, phase_track(kind), name, kind, start, end, TS_SPAN_END);
}

/* ---- samples ---------------------------------------------------------------------------------- */

/* Bills the bytes held on the run's storage up to now (cost/storage-bill.h). */
static void
settle_storage(TsRun *run)
{
  const TsStorage *st = run->cluster ? run->cluster->storage : NULL;
  ts_storage_bill_settle(&run->storage_bill, run->stored_bytes, st != NULL ? st->price_gb_month : -1,
                         ts_engine_get_now(run->engine));
}

static void
costs_now(TsRun *run, double *compute, double *host, double *storage)
{
  TsTime now = ts_engine_get_now(run->engine);
  *compute = 0;
  *host = run->jobs_host_usd;
  for (guint i = 0; i < run->billables->len; i++) {
    const TsBillable *b = &g_array_index(run->billables, TsBillable, i);
    double c = ts_billable_cost_at(b, now);
    if (b->category == TS_COST_HOST)
      *host += c;
    else
      *compute += c;
  }
  settle_storage(run);
  *storage = run->storage_bill.spent;
}

void
run_emit_sample(TsRun *run)
{
  /* A run stopped as infeasible (a full disk) still reports up to its last instant; one stopped because an
   * output could not be written reports nothing more. */
  if (run->sinks->len == 0 || run->sinks_failed)
    return;
  TsSample s = {0};
  s.time = ts_engine_get_now(run->engine);
  s.phase = run->phase;
  /* Several jobs: each job's memory and storage are its run's alone, not composed over the schedule
   * (ts_run_play_jobs), so the pool's are unknown rather than the nothing its own run holds. */
  s.device_bytes = run->jobs != NULL ? NAN : run->device_bytes;
  s.host_bytes = run->jobs != NULL ? NAN : run->host_bytes;
  s.storage_bytes = run->jobs != NULL ? NAN : run->stored_bytes;
  costs_now(run, &s.usd_compute, &s.usd_host, &s.usd_storage);
  s.usd_network = run->results.cost_network;
  s.kwh = run_energy_kwh_at(run);
  for (guint i = 0; i < run->sinks->len; i++) {
    const TsSink *k = g_ptr_array_index(run->sinks, i);
    GError *error = NULL;
    if (k->sample != NULL && !k->sample(k->data, &s, &error)) {
      run->sinks_failed = TRUE;
      run_stop(run, error);
      return;
    }
  }
}

static void
emit_span(TsRun *run, const char *track, const char *name, TsPhaseKind kind, TsTime start, TsTime end,
          TsSpanEdge edge)
{
  if (run->sinks_failed)
    return;
  TsSpan s = {track, name, ts_phase_kind_get_name(kind), start, end, edge};
  for (guint i = 0; i < run->sinks->len; i++) {
    const TsSink *k = g_ptr_array_index(run->sinks, i);
    GError *error = NULL;
    if (k->span != NULL && !k->span(k->data, &s, &error)) {
      run->sinks_failed = TRUE;
      run_stop(run, error);
      return;
    }
  }
}

void
run_emit_span(TsRun *run, const char *track, const char *name, TsPhaseKind kind, TsTime start, TsTime end)
{
  if (end > start)
    run->span_ticks[kind] += end - start;
  emit_span(run, track, name, kind, start, end, TS_SPAN_COMPLETE);
}

/* ---- the meter -------------------------------------------------------------------------------- */

/* Money accrues continuously while samples are taken at changes of state, so through a long phase with
 * nothing changing (77 minutes of training) the outputs' cost would stand still and then jump.  A meter
 * takes a sample every 1/METER_POINTS of a phase's planned length while it runs, only when outputs are
 * attached: the cost counter then moves with the spending. */
#define METER_POINTS 64

struct Meter {
  TsRun *run;
  TsTime period;
  TsTime until;
  TsEventId event;
};

static void
meter_tick(TsEngine *engine, void *p)
{
  Meter *m = p;
  m->event = 0;
  run_emit_sample(m->run);
  TsTime now = ts_engine_get_now(engine);
  if (m->period < m->until - now)
    m->event = ts_engine_schedule(engine, now + m->period, TS_PRIORITY_SAMPLE, meter_tick, m);
}

Meter *
run_meter_start(TsRun *run, double planned_s, TsTime until)
{
  if (run->sinks->len == 0 || !(planned_s > 0))
    return NULL;
  Meter *m = g_new0(Meter, 1);
  m->run = run;
  m->period = MAX((TsTime) 1, ts_time_from_seconds(planned_s) / METER_POINTS);
  m->until = until;
  g_ptr_array_add(run->meters, m);
  TsTime now = ts_engine_get_now(run->engine);
  if (m->period < until - now)
    m->event = ts_engine_schedule(run->engine, now + m->period, TS_PRIORITY_SAMPLE, meter_tick, m);
  return m;
}

void
run_meter_stop(TsRun *run, Meter *meter)
{
  if (meter == NULL || meter->event == 0)
    return;
  ts_engine_cancel(run->engine, meter->event);
  meter->event = 0;
}

/* ---- completion ------------------------------------------------------------------------------- */

/* A completion waiting for its time.  One per action: they are reused through run->pending_free (a fired one
 * goes back to the list before its callback runs) and all freed with the run, fired or not. */
struct Pending {
  TsRun *run;
  TsRunDone done;
  void *data;
  Pending *next_free;
};

static void
pending_fire(TsEngine *engine, void *p)
{
  (void) engine;
  Pending *pending = p;
  TsRunDone done = pending->done;
  TsRun *run = pending->run;
  void *data = pending->data;
  pending->next_free = run->pending_free;
  run->pending_free = pending;
  done(run, data);
}

void
run_schedule_done(TsRun *run, TsTime at, TsRunDone done, void *data)
{
  Pending *p = run->pending_free;
  if (p != NULL) {
    run->pending_free = p->next_free;
  } else {
    p = g_new(Pending, 1);
    g_ptr_array_add(run->pending_pool, p);
  }
  p->run = run;
  p->done = done;
  p->data = data;
  p->next_free = NULL;
  ts_engine_schedule(run->engine, at, TS_PRIORITY_COMPLETE, pending_fire, p);
}

/* ---- storage ---------------------------------------------------------------------------------- */

gboolean
run_set_stored(TsRun *run, double bytes, const char *what, GError **error)
{
  settle_storage(run);
  run->stored_bytes = bytes;
  if (bytes > run->results.peak_storage)
    run->results.peak_storage = bytes;
  if (run->results.storage_capacity > 0 && bytes > run->results.storage_capacity) {
    g_autofree char *need = ts_format_bytes(bytes);
    g_autofree char *cap = ts_format_bytes(run->results.storage_capacity);
    g_autofree char *when = ts_format_duration(ts_time_to_seconds(ts_engine_get_now(run->engine)));
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "disk-full", "%s: storage full at %s: %s needed, %s available", what,
                          when, need, cap);
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: storage full at %s: %s needed, %s available", what, when,
                need, cap);
    run->results.feasible = FALSE;
    return FALSE;
  }
  return TRUE;
}

double
run_storage_write_bw(TsRun *run, const char *where, double demand)
{
  const TsStorage *st = run->cluster->storage;
  const TsMachineGroup *a = &run->cluster->accel;
  gboolean stated = st != NULL ? st->write_stated : a->disk_bandwidth > 0;
  double bw = st != NULL ? st->write_bw : stated ? a->disk_bandwidth : TS_WRITE_BW_ASSUMED;
  if (!stated && demand > bw && !run->write_bw_assumed_said) {
    run->write_bw_assumed_said = TRUE;
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "write-bandwidth-assumed", "%s: the %s write bandwidth is not "
                          "stated (%s): its writes (checkpoints, downloads) take an assumed %g GB/s", where,
                          st != NULL ? st->name : "local disk",
                          st != NULL ? "write = \"... GB/s\"" : "host = {disk_write = \"... GB/s\"}", bw / 1e9);
  }
  return bw;
}


gboolean
ts_run_wait(TsRun *run, double seconds, const char *where, TsRunDone done, void *data, GError **error)
{
  (void) where;
  (void) error;
  TsTime now = ts_engine_get_now(run->engine);
  TsTime end = ts_time_add(now, ts_time_from_seconds(seconds));
  run_add_phase(run, TS_PHASE_WAIT, "wait", now, end);
  run_meter_start(run, seconds, end);
  run_schedule_done(run, end, done, data);
  return TRUE;
}

static gint
compare_phases(gconstpointer a, gconstpointer b)
{
  const TsPhase *p = *(TsPhase *const *) a, *q = *(TsPhase *const *) b;
  if (p->start != q->start)
    return p->start < q->start ? -1 : 1;
  return 0; /* a stable sort keeps equal starts in the order they ended */
}

void
ts_run_finish(TsRun *run)
{
  if (run->cluster == NULL)
    return;
  for (guint i = 0; i < run->trains->len; i++)
    train_close(g_ptr_array_index(run->trains, i));
  /* Phases are recorded as they end; they are reported in the order they began. */
  g_ptr_array_sort(run->phases, compare_phases);
  TsTime now = ts_engine_get_now(run->engine);
  TsResults *r = &run->results;
  r->cost_compute = 0;
  r->cost_host = run->jobs_host_usd;
  for (guint i = 0; i < run->billables->len; i++) {
    TsBillable *b = &g_array_index(run->billables, TsBillable, i);
    if (b->since >= 0 && run->error == NULL && r->feasible)
      ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "never-released",
                            "%s was never released: billed until the end of the run", b->name);
    run_bill_stop(run, b, now);
    if (b->category == TS_COST_HOST)
      r->cost_host += b->spent;
    else
      r->cost_compute += b->spent;
  }
  run_energy_finish(run);
  settle_storage(run);
  r->cost_storage = run->storage_bill.spent;
  r->total_time_s = ts_time_to_seconds(now);
  r->cost_total = r->cost_compute + r->cost_host + r->cost_storage + r->cost_network;
  run_ownership_finish(run);
  run_goodput(run);
  run->phase = "end";
  run->device_bytes = 0;
  run->host_bytes = 0;
  run_emit_sample(run);
}
