#include "run/run.h"

#include "common/ts-error.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

/* A month as cloud storage bills it: 730 hours (AWS, Google Cloud price pages). */
#define TS_BILLING_MONTH_S (730.0 * 3600.0)

struct TsRun {
  const TsRegistry *registry;
  TsRunInfo info;
  TsEngine *engine;
  TsCluster *cluster;
  TsDevice *device;     /* the accelerator's plugin instance, for this simulation only */
  TsDevice *host_cpu;   /* the host CPU's plugin instance, for the input pipeline */
  GPtrArray *phases;
  GPtrArray *diagnostics;
  GPtrArray *catalogs;
  GPtrArray *datasets; /* TsDataset* the run took from the scenario */
  GPtrArray *pending;  /* Pending* scheduled and not fired, freed with the run if the engine stopped early */
  GPtrArray *models;   /* TsModel* */
  TsResults results;

  /* Running state. */
  TsTime provisioned_at; /* -1 when not provisioned */
  double rate_usd_per_s; /* accelerator billing rate while provisioned */
  double stored_bytes;   /* on disk or object storage */
  TsTime stored_since;
  double device_bytes, host_bytes;
};

static const char *const phase_names[TS_PHASE_COUNT] = {"provision", "download", "stage", "train", "eval",
                                                        "checkpoint", "restart", "release", "wait"};
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
phase_free(gpointer p)
{
  TsPhase *ph = p;
  g_free(ph->name);
  g_free(ph);
}

static void
diagnostic_free(gpointer p)
{
  TsDiagnostic *d = p;
  g_free(d->code);
  g_free(d->message);
  g_free(d);
}

static void
param_free(gpointer p)
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
ts_model_free(TsModel *m)
{
  if (m == NULL)
    return;
  g_free(m->name);
  g_free(m);
}

void
ts_cluster_free(TsCluster *c)
{
  if (c == NULL)
    return;
  g_free(c->accel.slice);
  if (c->storage != NULL) {
    g_free(c->storage->name);
    g_free(c->storage);
  }
  g_free(c->name);
  g_free(c);
}

TsRun *
ts_run_new(const TsRegistry *registry, const TsRunInfo *info)
{
  TsRun *run = g_new0(TsRun, 1);
  run->registry = registry;
  run->info.scenario_path = info->scenario_path;
  run->info.seed = info->seed;
  run->info.params = info->params ? g_ptr_array_ref(info->params) : g_ptr_array_new_with_free_func(param_free);
  run->engine = ts_engine_new();
  run->phases = g_ptr_array_new_with_free_func(phase_free);
  run->diagnostics = g_ptr_array_new_with_free_func(diagnostic_free);
  run->catalogs = g_ptr_array_new();
  run->datasets = g_ptr_array_new_with_free_func((GDestroyNotify) ts_dataset_free);
  run->pending = g_ptr_array_new_with_free_func(g_free);
  run->models = g_ptr_array_new_with_free_func((GDestroyNotify) ts_model_free);
  run->provisioned_at = -1;
  run->results.feasible = TRUE;
  return run;
}

void
ts_run_free(TsRun *run)
{
  if (run == NULL)
    return;
  ts_device_free(run->device);
  ts_device_free(run->host_cpu);
  ts_cluster_free(run->cluster);
  ts_engine_free(run->engine);
  g_ptr_array_unref(run->phases);
  g_ptr_array_unref(run->diagnostics);
  g_ptr_array_unref(run->catalogs);
  g_ptr_array_unref(run->datasets);
  g_ptr_array_unref(run->pending);
  g_ptr_array_unref(run->models);
  g_ptr_array_unref(run->info.params);
  g_free(run->results.device_desc);
  g_free(run->results.price_desc);
  g_free(run);
}

const TsRegistry *
ts_run_get_registry(TsRun *run)
{
  return run->registry;
}

TsEngine *
ts_run_get_engine(TsRun *run)
{
  return run->engine;
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

static void
add_phase(TsRun *run, TsPhaseKind kind, const char *name, TsTime start, TsTime end)
{
  TsPhase *p = g_new0(TsPhase, 1);
  p->kind = kind;
  p->name = g_strdup(name);
  p->start = start;
  p->end = end;
  g_ptr_array_add(run->phases, p);
}

/* ---- billing ---------------------------------------------------------------------------------- */

static double
seconds_between(TsTime a, TsTime b)
{
  return ts_time_to_seconds(b - a);
}

static void
settle_storage(TsRun *run)
{
  TsTime now = ts_engine_get_now(run->engine);
  const TsStorage *st = run->cluster ? run->cluster->storage : NULL;
  if (st != NULL && st->price_gb_month >= 0)
    run->results.cost_storage +=
      run->stored_bytes / 1e9 * st->price_gb_month * seconds_between(run->stored_since, now) / TS_BILLING_MONTH_S;
  run->stored_since = now;
}

static gboolean
set_stored(TsRun *run, double bytes, const char *where, GError **error)
{
  settle_storage(run);
  run->stored_bytes = bytes;
  if (bytes > run->results.peak_storage)
    run->results.peak_storage = bytes;
  if (run->results.storage_capacity > 0 && bytes > run->results.storage_capacity) {
    g_autofree char *need = ts_format_bytes(bytes);
    g_autofree char *cap = ts_format_bytes(run->results.storage_capacity);
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "disk-full", "%s: storage full: %s needed, %s available", where,
                          need, cap);
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: storage full: %s needed, %s available", where, need, cap);
    run->results.feasible = FALSE;
    return FALSE;
  }
  return TRUE;
}

/* What one second of the accelerator group costs, from its price and the unit the price is per. */
static gboolean
billing_rate(TsRun *run, double *rate, GError **error)
{
  const TsAccelerator *a = &run->cluster->accel;
  double units = 0;
  const char *what = "";
  switch (a->price_per) {
  case TS_PRICE_CHIP_HOUR:
  case TS_PRICE_DEVICE_HOUR:
    /* A Cloud TPU "device" is one host's board of chips; a GPU device is one GPU. */
    units = (a->slice != NULL && a->price_per == TS_PRICE_DEVICE_HOUR) ? a->nodes : a->devices;
    what = a->price_per == TS_PRICE_CHIP_HOUR ? "chips" : "devices";
    break;
  case TS_PRICE_CORE_HOUR:
    units = a->devices * (a->record->spec.cores > 0 ? a->record->spec.cores : 1);
    what = "cores";
    break;
  case TS_PRICE_SLICE_HOUR:
    units = 1;
    what = "slice";
    break;
  case TS_PRICE_INSTANCE_HOUR:
  case TS_PRICE_NODE_HOUR:
    units = a->nodes;
    what = a->price_per == TS_PRICE_INSTANCE_HOUR ? "instances" : "nodes";
    break;
  default:
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: price must be per core-, chip-, device-, slice-, "
                "instance- or node-hour, got per %s", a->record->sku, ts_price_unit_get_name(a->price_per));
    return FALSE;
  }
  *rate = a->price * units / 3600.0;
  g_free(run->results.price_desc);
  const TsField *f = a->price_field;
  run->results.price_desc = g_strdup_printf("%.4g USD/%s x %.0f %s = %.2f USD/hour (%s%s%s)", a->price,
                                            ts_price_unit_get_name(a->price_per), units, what, *rate * 3600.0,
                                            ts_pricing_get_name(a->pricing), f && f->region ? ", " : "",
                                            f && f->region ? f->region : (f ? "" : ", set by the scenario"));
  return TRUE;
}

/* ---- actions ---------------------------------------------------------------------------------- */

typedef struct {
  TsRun *run;
  TsRunDone done;
  void *data;
} Pending;

static void
pending_fire(TsEngine *engine, void *p)
{
  (void) engine;
  Pending *pending = p;
  TsRunDone done = pending->done;
  TsRun *run = pending->run;
  void *data = pending->data;
  g_ptr_array_remove_fast(run->pending, pending); /* frees it */
  done(run, data);
}

static void
finish_at(TsRun *run, TsTime at, TsRunDone done, void *data)
{
  Pending *p = g_new(Pending, 1);
  p->run = run;
  p->done = done;
  p->data = data;
  g_ptr_array_add(run->pending, p);
  ts_engine_schedule(run->engine, at, TS_PRIORITY_COMPLETE, pending_fire, p);
}

gboolean
ts_run_set_cluster(TsRun *run, TsCluster *cluster, GError **error)
{
  g_return_val_if_fail(run->cluster == NULL, FALSE);
  run->cluster = cluster;
  TsAccelerator *a = &cluster->accel;
  ts_run_note_catalog(run, a->plugin->catalog);
  run->device = ts_device_new(a->plugin, a->record, error);
  if (run->device == NULL)
    return FALSE;
  if (a->host_cpu != NULL) {
    const TsPlugin *cpu = ts_registry_find(run->registry, "cpu");
    if (cpu != NULL) {
      ts_run_note_catalog(run, cpu->catalog);
      run->host_cpu = ts_device_new(cpu, a->host_cpu, error);
      if (run->host_cpu == NULL)
        return FALSE;
    }
  }
  run->results.nodes = a->nodes;
  run->results.devices = a->devices;
  run->results.device_desc = a->slice ? g_strdup_printf("%s (%s, %u chips)", a->record->name, a->slice, a->devices)
                                      : g_strdup(a->record->name);
  run->results.device_capacity = a->record->spec.memory_bytes;
  run->results.host_capacity = a->host_ram;
  run->results.host_modelled = a->host_ram > 0;
  double disk = a->host_disk;
  if (cluster->storage != NULL)
    disk = cluster->storage->capacity;
  run->results.storage_capacity = isfinite(disk) ? disk : 0;
  run->results.storage_cost_modelled = cluster->storage != NULL && cluster->storage->price_gb_month >= 0;
  return billing_rate(run, &run->rate_usd_per_s, error);
}

gboolean
ts_run_download(TsRun *run, TsDataset *ds, gboolean to_storage, const char *where, TsRunDone done, void *data,
                GError **error)
{
  g_ptr_array_add(run->datasets, ds);
  TsTime now = ts_engine_get_now(run->engine);
  double bw = ds->from ? ds->from->bandwidth : 0;
  if (!(bw > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: dataset %s has no source bandwidth (give from = internet{...})",
                where, ds->name);
    return FALSE;
  }
  const TsStorage *st = run->cluster->storage;
  if (to_storage && st != NULL && st->write_bw < bw)
    bw = st->write_bw;
  double seconds = ds->bytes / bw;
  TsTime end = now + ts_time_from_seconds(seconds);
  double after = run->stored_bytes + ds->bytes + (to_storage ? 0 : ds->extracted);
  if (ds->from && ds->from->egress_price >= 0) {
    run->results.cost_network += ds->bytes / 1e9 * ds->from->egress_price;
    run->results.network_cost_modelled = TRUE;
  }
  g_autofree char *name = g_strdup_printf("download %s", ds->name);
  add_phase(run, TS_PHASE_DOWNLOAD, name, now, end);
  /* The bytes occupy storage as they arrive; the peak is reached at the end. */
  finish_at(run, end, done, data);
  return set_stored(run, after, where, error);
}

gboolean
ts_run_provision(TsRun *run, const char *where, TsRunDone done, void *data, GError **error)
{
  if (run->provisioned_at >= 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: the accelerator is already provisioned", where);
    return FALSE;
  }
  TsTime now = ts_engine_get_now(run->engine);
  run->provisioned_at = now;
  add_phase(run, TS_PHASE_PROVISION, "provision", now, now);
  finish_at(run, now, done, data);
  return TRUE;
}

static void
bill_until_now(TsRun *run)
{
  if (run->provisioned_at < 0)
    return;
  TsTime now = ts_engine_get_now(run->engine);
  run->results.cost_compute += run->rate_usd_per_s * seconds_between(run->provisioned_at, now);
  run->provisioned_at = now;
}

gboolean
ts_run_release(TsRun *run, const char *where, TsRunDone done, void *data, GError **error)
{
  if (run->provisioned_at < 0) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: release of an accelerator that is not provisioned", where);
    return FALSE;
  }
  bill_until_now(run);
  run->provisioned_at = -1;
  TsTime now = ts_engine_get_now(run->engine);
  add_phase(run, TS_PHASE_RELEASE, "release", now, now);
  finish_at(run, now, done, data);
  return TRUE;
}

gboolean
ts_run_wait(TsRun *run, double seconds, const char *where, TsRunDone done, void *data, GError **error)
{
  (void) where;
  (void) error;
  TsTime now = ts_engine_get_now(run->engine);
  TsTime end = now + ts_time_from_seconds(seconds);
  add_phase(run, TS_PHASE_WAIT, "wait", now, end);
  finish_at(run, end, done, data);
  return TRUE;
}

/* Bytes per parameter kept on the device: weights (+ fp32 master copy in mixed precision), gradients and
 * optimizer state (docs/model.md, "Memory"; ZeRO paper §3.1 for the 16 bytes of mixed-precision Adam). */
static double
optimizer_state_bytes(const char *optimizer)
{
  if (g_strcmp0(optimizer, "adam") == 0 || g_strcmp0(optimizer, "adamw") == 0 || g_strcmp0(optimizer, "lamb") == 0)
    return 8.0;
  if (g_strcmp0(optimizer, "sgd") == 0)
    return 0.0;
  return 4.0; /* momentum, LARS: one fp32 buffer */
}

static gboolean
is_16bit(TsPrecision p)
{
  return p == TS_PRECISION_FP16 || p == TS_PRECISION_BF16 || p == TS_PRECISION_FP8 || p == TS_PRECISION_INT8;
}

gboolean
ts_run_train(TsRun *run, const TsTrainSpec *spec, const char *where, TsRunDone done, void *data, GError **error)
{
  g_ptr_array_add(run->models, spec->model);
  g_ptr_array_add(run->datasets, spec->data);
  TsAccelerator *a = &run->cluster->accel;
  const TsDeviceSpec *dev = &a->record->spec;
  TsTime now = ts_engine_get_now(run->engine);
  if (run->provisioned_at < 0)
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "not-provisioned",
                          "%s: training on an accelerator that was never provisioned: it is not billed", where);
  if (spec->batch < a->devices) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "%s: batch %" G_GUINT64_FORMAT " is smaller than the %u devices "
                "it is split over", where, spec->batch, a->devices);
    return FALSE;
  }
  double per_device = (double) spec->batch / a->devices;
  double views = spec->views;
  const TsModel *m = spec->model;

  /* Device memory (docs/model.md, "Memory"). */
  double weight_bytes = is_16bit(spec->precision) ? 2.0 + 4.0 : 4.0;
  double grad_bytes = 4.0;
  double state = m->params * (weight_bytes + grad_bytes + optimizer_state_bytes(spec->optimizer));
  double act_per_sample = m->activations * (is_16bit(spec->precision) ? 1.0 : 2.0) * views;
  double reserved = dev->runtime_reserved_bytes;
  double capacity = dev->memory_bytes;
  double need = state + act_per_sample * per_device + reserved;
  run->results.peak_device = need;
  if (capacity > 0 && need > capacity) {
    double room = capacity - state - reserved;
    guint64 fit = room > 0 ? (guint64) floor(room / act_per_sample) * a->devices : 0;
    g_autofree char *n = ts_format_bytes(need);
    g_autofree char *c = ts_format_bytes(capacity);
    g_autofree char *over = ts_format_bytes(need - capacity);
    ts_run_add_diagnostic(run, TS_SEVERITY_ERROR, "device-oom",
                          "%s: does not fit in device memory: %s needed per device, %s available (%s over); "
                          "the largest global batch that fits is %" G_GUINT64_FORMAT, where, n, c, over, fit);
    run->results.feasible = FALSE;
    g_set_error(error, TS_ERROR, TS_ERROR_INFEASIBLE, "%s: out of device memory (%s needed, %s available); largest "
                "batch that fits: %" G_GUINT64_FORMAT, where, n, c, fit);
    return FALSE;
  }

  /* One step: compute on each device, gradient all-reduce partly hidden behind the backward pass, the
   * optimizer update, and the fixed per-step overhead; bounded below by the input pipeline. */
  TsWork w;
  ts_work_init(&w);
  w.precision = spec->precision;
  w.workload = m->workload;
  w.flops = 3.0 * m->flops * per_device * views;
  w.bytes = 3.0 * m->params * weight_bytes + 2.0 * act_per_sample * per_device;
  w.batch_per_device = per_device * views;
  double t_compute;
  if (!ts_device_compute_time(run->device, &w, &t_compute, error)) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  TsCollective c;
  ts_collective_init(&c);
  c.kind = TS_COLLECTIVE_ALL_REDUCE;
  c.participants = a->devices;
  c.per_node = a->slice ? a->devices : a->per_node;
  memcpy(c.dims, a->dims, sizeof c.dims);
  c.bytes = m->params * grad_bytes;
  double t_allreduce;
  if (!ts_device_collective_time(run->device, &c, &t_allreduce, error)) {
    g_prefix_error(error, "%s: ", where);
    return FALSE;
  }
  double backward = t_compute * 2.0 / 3.0;
  double exposed = t_allreduce > backward ? t_allreduce - backward : 0.0;
  double t_update = dev->memory_bandwidth > 0
                      ? m->params * 2.0 * (weight_bytes + optimizer_state_bytes(spec->optimizer)) / dev->memory_bandwidth
                      : 0.0;
  double step = t_compute + exposed + t_update + dev->step_overhead_s;

  double samples_per_step = (double) spec->batch;
  if (run->host_cpu != NULL && a->host_cores > 0) {
    TsInputWork iw;
    ts_input_work_init(&iw);
    iw.kind = spec->data->tokens ? TS_INPUT_TOKENS : TS_INPUT_IMAGES;
    iw.cores = spec->input_cores > 0 ? spec->input_cores : a->host_cores;
    double rate;
    if (ts_device_input_rate(run->host_cpu, &iw, &rate, error)) {
      double hosts = a->nodes > 0 ? a->nodes : 1;
      double input_step = samples_per_step * views / (rate * hosts);
      if (input_step > step) {
        ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "input-bound",
                              "%s: input-bound: the host CPUs prepare a step's %.0f views in %.3f s, the devices "
                              "compute it in %.3f s", where, samples_per_step * views, input_step, step);
        step = input_step;
      }
    } else {
      g_clear_error(error);
    }
  } else {
    ts_run_add_diagnostic(run, TS_SEVERITY_INFO, "input-not-modelled",
                          "%s: no host CPU given: the input pipeline is not modelled", where);
  }

  guint64 steps_per_epoch = (spec->data->samples + spec->batch - 1) / spec->batch;
  guint64 steps = spec->steps > 0 ? spec->steps : (guint64) llround(spec->epochs * (double) steps_per_epoch);
  if (steps == 0)
    steps = 1;
  /* Identical steps on identical devices: one duration in ticks, k steps take exactly k × ticks. */
  TsTime step_ticks = ts_time_from_seconds(step);
  TsTime total = step_ticks * (TsTime) steps;
  TsTime end = now + total;
  add_phase(run, TS_PHASE_TRAIN, "train", now, end);

  TsResults *r = &run->results;
  r->trained = TRUE;
  r->steps += steps;
  r->epochs += (double) steps * spec->batch / spec->data->samples;
  r->step_time_s = ts_time_to_seconds(step_ticks);
  r->train_time_s += ts_time_to_seconds(total);
  r->samples_per_s = (double) spec->batch / r->step_time_s;
  double peak = dev->peak_dense[spec->precision];
  double model_flops = 3.0 * m->flops * (double) spec->batch * views * (double) steps;
  r->mfu = peak > 0 ? model_flops / (ts_time_to_seconds(total) * a->devices * peak) : 0.0;
  double host = 2.0 * (double) spec->batch / (a->nodes ? a->nodes : 1) * spec->data->extracted / spec->data->samples;
  if (host > r->peak_host)
    r->peak_host = host;
  finish_at(run, end, done, data);
  return TRUE;
}

void
ts_run_finish(TsRun *run)
{
  if (run->cluster == NULL)
    return;
  bill_until_now(run);
  if (run->provisioned_at >= 0)
    ts_run_add_diagnostic(run, TS_SEVERITY_WARNING, "never-released",
                          "the accelerator was never released: billed until the end of the run");
  settle_storage(run);
  TsResults *r = &run->results;
  r->total_time_s = ts_time_to_seconds(ts_engine_get_now(run->engine));
  r->cost_total = r->cost_compute + r->cost_host + r->cost_storage + r->cost_network;
}
