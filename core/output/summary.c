#include "output/summary.h"

#include "output/json-writer.h"
#include "run/jobs.h"
#include "run/quantiles.h"
#include "output/summary-jobs.h"
#include "output/summary-ownership.h"
#include "units/units.h"

#include <math.h>
#include <string.h>

char *
ts_summary_to_json(TsRun *run)
{
  return ts_summary_to_json_full(run, NULL);
}

/* The catalogs the run read (base name and checksum: no host paths in outputs) and the pricing. */
static void
write_provenance(TsJsonWriter *w, TsRun *run, const TsResults *r)
{
  ts_json_begin_object(w, "provenance");
  ts_json_begin_array(w, "catalogs");
  const GPtrArray *cats = ts_run_get_catalogs(run);
  for (guint i = 0; i < cats->len; i++) {
    const TsCatalog *c = g_ptr_array_index(cats, i);
    g_autofree char *base = g_path_get_basename(c->path);
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "plugin", c->plugin);
    ts_json_string(w, "file", base); /* the base name: no host paths in outputs */
    ts_json_string(w, "sha256", ts_catalog_get_sha256(c));
    ts_json_string(w, "price_date", ts_catalog_get_price_date(c));
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
  ts_json_string(w, "pricing", r->price_desc);
  ts_json_end_object(w);
}

/* The training, with the step's breakdown; the same keys, null, when the run trained nothing. */
static void
write_training(TsJsonWriter *w, const TsResults *r)
{
  if (r->trained) {
    ts_json_begin_object(w, "training");
    ts_json_int(w, "steps", (gint64) r->steps);
    ts_json_int(w, "steps_done", (gint64) r->steps_done);
    ts_json_number(w, "epochs", r->epochs);
    ts_json_number(w, "step_time_s", r->step_time_s);
    ts_json_number(w, "samples_per_s", r->samples_per_s);
    ts_json_number(w, "mfu", r->mfu);
    ts_json_string(w, "stack", ts_stack_get_name(r->stack));
    ts_json_bool(w, "stack_default", r->stack_default);
    ts_json_string(w, "bottleneck", r->bottleneck);
    ts_json_number(w, "padding", r->padding);
    /* A batch ramp's segments in order (empty without one): the steps at each size and their step time. */
    ts_json_begin_array(w, "batch_ramp");
    for (guint i = 0; i < r->ramp_segments; i++) {
      ts_json_begin_object(w, NULL);
      ts_json_int(w, "batch", (gint64) r->ramp_size[i]);
      ts_json_int(w, "steps", (gint64) r->ramp_steps[i]);
      ts_json_number(w, "step_time_s", r->ramp_step_s[i]);
      ts_json_end_object(w);
    }
    ts_json_end_array(w);
    ts_json_begin_object(w, "layout");
    ts_json_int(w, "data", r->layout.data);
    ts_json_int(w, "tensor", r->layout.tensor);
    ts_json_int(w, "pipeline", r->layout.pipeline);
    ts_json_int(w, "context", r->layout.context);
    ts_json_int(w, "expert", r->layout.expert);
    ts_json_int(w, "zero", r->layout.zero);
    ts_json_end_object(w);
    ts_json_begin_object(w, "step_breakdown_s");
    ts_json_number(w, "compute", r->step.compute);
    ts_json_number(w, "activation_traffic", r->step.activations);
    ts_json_number(w, "pipeline_bubble", r->step.bubble);
    ts_json_number(w, "tensor_parallel", r->step.tensor);
    ts_json_number(w, "context_parallel", r->step.context);
    ts_json_number(w, "expert_all_to_all", r->step.experts);
    ts_json_number(w, "data_parallel_exposed", r->step.data_exposed);
    ts_json_number(w, "optimizer_update", r->step.update);
    ts_json_number(w, "overhead", r->step.overhead);
    ts_json_number(w, "launch", r->step.launch);
    ts_json_number(w, "input_pipeline", r->step.input);
    ts_json_number(w, "compute_bound", r->step.compute_bound);
    ts_json_number(w, "memory_bound", r->step.memory_bound);
    ts_json_number(w, "storage_read", r->step.storage);
    ts_json_number(w, "stragglers", r->step.stragglers);
    ts_json_end_object(w);
    /* The slow nodes and jitter the step waits on (docs/model.md, "Stragglers"); null without any. */
    if (r->stragglers.factor > 0 && r->stragglers.factor != 1) {
      ts_json_begin_object(w, "stragglers");
      ts_json_int(w, "nodes", r->stragglers.nodes);
      ts_json_int(w, "slow_nodes", r->stragglers.slow);
      ts_json_number(w, "slowdown", r->stragglers.slow > 0 ? r->stragglers.slowdown : 1.0);
      ts_json_number(w, "jitter", r->stragglers.jitter);
      ts_json_number(w, "expected_slowest_factor", r->stragglers.factor);
      /* Step by step: the drawn steps' mean factor, which the compute time follows (null in the expected mode). */
      ts_json_string(w, "mode", r->stragglers.sampled ? "sampled" : "expected");
      ts_json_number(w, "sampled_mean_factor", r->stragglers.sampled ? r->stragglers.sampled_factor : NAN);
      ts_json_end_object(w);
    } else {
      ts_json_null(w, "stragglers");
    }
    /* Mixed generations (docs/model.md, "Mixed generations"); null with one. */
    if (r->mixed.sku != NULL) {
      ts_json_begin_object(w, "mixed");
      ts_json_string(w, "sku", r->mixed.sku);
      ts_json_int(w, "nodes", r->mixed.nodes);
      ts_json_string(w, "balance", r->mixed.speed ? "speed" : "wait");
      ts_json_number(w, "node_work_s", r->mixed.work_s);
      ts_json_number(w, "other_node_work_s", r->mixed.other_work_s);
      ts_json_number(w, "share", r->mixed.share);
      ts_json_number(w, "other_share", r->mixed.other_share);
      ts_json_number(w, "other_peak_device_bytes", r->mixed.other_peak_device);
      ts_json_end_object(w);
    } else {
      ts_json_null(w, "mixed");
    }
    /* Evaluation passes inside the training phases (forward only): what the eval spans of the timeline and
     * trace add up to. */
    ts_json_begin_object(w, "evaluation");
    ts_json_int(w, "passes", r->evaluations);
    if (r->eval_samples > 0) {
      ts_json_int(w, "samples_per_pass", (gint64) r->eval_samples);
      ts_json_number(w, "pass_s", r->eval_pass_s);
    } else {
      ts_json_null(w, "samples_per_pass");
      ts_json_null(w, "pass_s");
    }
    ts_json_number(w, "time_s", r->eval_time_s);
    ts_json_end_object(w);
    ts_json_end_object(w);
  } else {
    ts_json_begin_object(w, "training");
    ts_json_null(w, "steps");
    ts_json_null(w, "steps_done");
    ts_json_null(w, "epochs");
    ts_json_null(w, "step_time_s");
    ts_json_null(w, "samples_per_s");
    ts_json_null(w, "mfu");
    ts_json_null(w, "bottleneck");
    ts_json_end_object(w);
  }
}

/* The range every run reports: the replica set's quantiles combined with the band, or the single run's. */
static TsQuantiles
run_quantiles(TsRun *run, const TsReplicaStats *rep)
{
  if (rep != NULL)
    return rep->quantiles;
  const TsResults *r = ts_run_get_results(run);
  TsDraw d = ts_draw_from_results(r);
  TsQuantiles q;
  ts_quantiles_combine(&d, 1, r->band_error, &q);
  return q;
}

/* Why the range is not the model's error band mixed over the draws, or NULL when it is (docs/outputs.md,
 * "Quantiles"): the band is not carried through a schedule of several jobs; it is measured on training, so a run
 * that trains nothing (downloads only, inference, or stopped before its training) has none to widen; or the
 * device has none (no calibration.json). */
static const char *
range_without_band(TsRun *run, const TsQuantiles *q)
{
  if (ts_run_get_jobs(run) != NULL)
    return "the model's error band is not carried through a schedule of several jobs";
  if (!ts_run_get_results(run)->trained)
    return "the model's error band is measured on training, and this run trains nothing";
  return q->known ? NULL : "the device has no error band (no calibration.json)";
}

/* A single draw without the band is no range at all where the band would have applied: a schedule of jobs, or a
 * training on a device without a band.  A run that trains nothing has its forecast as its range. */
static gboolean
range_unknown(TsRun *run, const TsQuantiles *q)
{
  return q->draws <= 1 && !q->known && (ts_run_get_jobs(run) != NULL || ts_run_get_results(run)->trained);
}

/* With a replica set: how it was obtained.  Always: the quantiles of time and cost, and what they rest on. */
static void
write_quantiles(TsJsonWriter *w, TsRun *run, const TsReplicaStats *rep)
{
  if (rep != NULL) {
    /* How the draws were obtained: N seeds of the failure and preemption draws. */
    ts_json_begin_object(w, "replicas");
    ts_json_int(w, "count", rep->replicas);
    ts_json_int(w, "feasible", rep->feasible);
    ts_json_number(w, "failures_mean", rep->failures_mean);
    ts_json_string(w, "why", rep->automatic ? "random failures or spot preemption: a replica set over the draws"
                                              : "--replicas");
    /* The draws alone (nearest rank), before the model's band widens them into the quantiles below. */
    ts_json_begin_object(w, "draws");
    const struct {
      const char *key;
      double time_s, cost_usd;
    } d[] = {{"p10", rep->draws_time_p10_s, rep->draws_cost_p10_usd},
             {"p50", rep->draws_time_p50_s, rep->draws_cost_p50_usd},
             {"p90", rep->draws_time_p90_s, rep->draws_cost_p90_usd}};
    for (gsize k = 0; k < G_N_ELEMENTS(d); k++) {
      ts_json_begin_object(w, d[k].key);
      ts_json_number(w, "time_s", d[k].time_s);
      ts_json_number_or_null(w, "cost_usd", isfinite(d[k].cost_usd), d[k].cost_usd);
      ts_json_end_object(w);
    }
    ts_json_end_object(w);
    ts_json_end_object(w);
  }
  TsQuantiles q = run_quantiles(run, rep);
  const char *why = range_without_band(run, &q);
  ts_json_begin_object(w, "quantiles_basis");
  ts_json_number_or_null(w, "band_median_abs_error", why == NULL, q.band_error);
  ts_json_number_or_null(w, "sigma", why == NULL, q.sigma);
  ts_json_int(w, "draws", q.draws);
  g_autofree char *alone = why != NULL ? g_strdup_printf("the draws alone: %s", why) : NULL;
  ts_json_string(w, "method", why == NULL ? "log-normal model factor exp(sigma Z) on the training time, sigma = "
                                            "ln(1 + band) / 0.6745, mixed over the failure/preemption draws"
                                          : alone);
  ts_json_end_object(w);
  if (range_unknown(run, &q)) { /* one run and no band where one would apply: no range to give */
    ts_json_null(w, "quantiles");
    return;
  }
  ts_json_begin_object(w, "quantiles");
  static const char *const keys[TS_QUANTILE_COUNT] = {"p10", "p50", "p90"};
  for (int k = 0; k < TS_QUANTILE_COUNT; k++) {
    ts_json_begin_object(w, keys[k]);
    ts_json_number(w, "time_s", q.time_s[k]);
    ts_json_number_or_null(w, "cost_usd", isfinite(q.cost_usd[k]), q.cost_usd[k]);
    ts_json_end_object(w);
  }
  ts_json_end_object(w);
}

/* Where the wall time goes: seconds and cost per category (they sum to total_time_s and cost_usd.total), and
 * the productive share. */
static void
write_goodput(TsJsonWriter *w, const TsResults *r)
{
  ts_json_begin_object(w, "goodput");
  ts_json_begin_object(w, "categories");
  for (int c = 0; c < TS_GOODPUT_COUNT; c++)
    ts_json_number(w, ts_goodput_category_get_name(c), r->goodput.seconds[c]);
  ts_json_end_object(w);
  ts_json_begin_object(w, "cost_usd");
  for (int c = 0; c < TS_GOODPUT_COUNT; c++)
    ts_json_number_or_null(w, ts_goodput_category_get_name(c), isfinite(r->goodput.usd[c]), r->goodput.usd[c]);
  ts_json_end_object(w);
  ts_json_number_or_null(w, "percent", r->total_time_s > 0,
                 100.0 * r->goodput.seconds[TS_GOODPUT_PRODUCTIVE] / r->total_time_s);
  ts_json_end_object(w);
}

/* energy: kWh at the facility and kg CO2e, the PUE and grid intensity they use, and every figure's source. */
static void
write_energy(TsJsonWriter *w, const TsResults *r)
{
  const TsEnergyResults *e = &r->energy;
  ts_json_begin_object(w, "energy");
  ts_json_number_or_null(w, "kwh", isfinite(e->kwh), e->kwh);
  ts_json_number_or_null(w, "co2_kg", isfinite(e->co2_kg), e->co2_kg);
  ts_json_number_or_null(w, "it_kwh", isfinite(e->it_kwh), e->it_kwh);
  ts_json_number_or_null(w, "pue", isfinite(e->pue), e->pue);
  ts_json_number_or_null(w, "grid_g_per_kwh", isfinite(e->grid_g_per_kwh), e->grid_g_per_kwh);
  ts_json_string(w, "scope", e->scope);
  ts_json_begin_array(w, "sources");
  for (guint i = 0; e->sources != NULL && i < e->sources->len; i++) {
    const TsEnergySource *s = g_ptr_array_index(e->sources, i);
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "what", s->what);
    ts_json_string(w, "value", s->value);
    ts_json_string(w, "source", s->source);
    ts_json_string(w, "url", s->url);
    ts_json_string(w, "date", s->date);
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
  ts_json_end_object(w);
}

static void
write_diagnostics(TsJsonWriter *w, TsRun *run)
{
  ts_json_begin_array(w, "diagnostics");
  const GPtrArray *diags = ts_run_get_diagnostics(run);
  for (guint i = 0; i < diags->len; i++) {
    const TsDiagnostic *d = g_ptr_array_index(diags, i);
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "severity", ts_severity_get_name(d->severity));
    ts_json_string(w, "code", d->code);
    ts_json_number(w, "time_s", ts_time_to_seconds(d->time));
    ts_json_string(w, "message", d->message);
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
}

/* Failures of the trainings; with spares and repair (docs/model.md), the pool and what waiting for it cost (null
 * when not given). */
static void
write_failures(TsJsonWriter *w, const TsResults *r)
{
  ts_json_begin_object(w, "failures");
  ts_json_number_or_null(w, "count", r->failures_modelled, r->failures);
  ts_json_number_or_null(w, "expected", r->failures_modelled && !r->failures_expected_unknown &&
                                 isfinite(r->failures_expected), r->failures_expected);
  ts_json_number_or_null(w, "lost_time_s", r->failures_modelled, r->lost_time_s);
  ts_json_int(w, "download_interruptions", r->download_interruptions);
  if (r->repair_modelled) {
    ts_json_begin_object(w, "repair");
    ts_json_int(w, "spare_nodes", r->spare_nodes);
    ts_json_number(w, "repair_s", r->repair_s);
    ts_json_int(w, "node_failures", r->node_failures);
    ts_json_int(w, "waits", r->repair_waits);
    ts_json_number(w, "wait_s", r->repair_wait_s);
    ts_json_end_object(w);
  } else {
    ts_json_null(w, "repair");
  }
  ts_json_end_object(w);
}

char *
ts_summary_to_json_full(TsRun *run, const TsReplicaStats *rep)
{
  const TsResults *r = ts_run_get_results(run);
  const TsRunInfo *info = ts_run_get_info(run);
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, TRUE);
  ts_json_begin_object(&w, NULL);
  ts_json_int(&w, "schema_version", TS_SUMMARY_SCHEMA_VERSION);
  ts_json_string(&w, "trainsim_version", TS_VERSION);

  write_provenance(&w, run, r);

  g_autofree char *scenario = g_path_get_basename(info->scenario_path);
  ts_json_string(&w, "scenario", scenario);
  ts_json_begin_object(&w, "parameters");
  for (guint i = 0; i < info->params->len; i++) {
    const TsParam *p = g_ptr_array_index(info->params, i);
    ts_json_raw(&w, p->name, p->value_json ? p->value_json : "null");
  }
  ts_json_end_object(&w);
  ts_json_int(&w, "seed", (gint64) info->seed);
  ts_json_bool(&w, "feasible", r->feasible);
  ts_json_number(&w, "total_time_s", r->total_time_s);
  ts_json_string(&w, "error_band", r->error_band);
  ts_json_string(&w, "calibration", r->calibration);

  ts_json_begin_object(&w, "cost_usd");
  ts_json_number(&w, "total", r->cost_total);
  ts_json_number(&w, "compute", r->cost_compute);
  ts_json_number(&w, "host", r->cost_host);
  ts_json_number_or_null(&w, "storage", r->storage_cost_modelled, r->cost_storage);
  ts_json_number_or_null(&w, "network", r->network_cost_modelled, r->cost_network);
  ts_json_end_object(&w);

  write_energy(&w, r);

  ts_json_begin_object(&w, "peak_memory_bytes");
  ts_json_number_or_null(&w, "device", r->peak_device > 0, r->peak_device);
  ts_json_number_or_null(&w, "device_capacity", r->device_capacity > 0, r->device_capacity);
  ts_json_number_or_null(&w, "host", r->peak_host > 0, r->peak_host);
  ts_json_number_or_null(&w, "host_capacity", r->host_capacity > 0, r->host_capacity);
  ts_json_number_or_null(&w, "storage", isfinite(r->peak_storage), r->peak_storage);
  ts_json_number_or_null(&w, "storage_capacity", r->storage_capacity > 0, r->storage_capacity);
  ts_json_bool(&w, "storage_per_host", r->storage_per_host);
  ts_json_end_object(&w);

  ts_json_begin_object(&w, "cluster");
  ts_json_int(&w, "nodes", r->nodes);
  ts_json_int(&w, "devices", r->devices);
  ts_json_string(&w, "device", r->device_desc);
  summary_write_cluster_jobs(&w, run);
  ts_json_end_object(&w);
  summary_write_jobs(&w, run);

  /* The model trained (or served) last: parameters as the model card counts them, and those a token uses. */
  ts_json_begin_object(&w, "model");
  ts_json_string(&w, "name", r->model_name);
  ts_json_number_or_null(&w, "params", r->model_params > 0, r->model_params);
  ts_json_number_or_null(&w, "active_params", r->model_active_params > 0, r->model_active_params);
  ts_json_end_object(&w);

  ts_json_begin_array(&w, "phases");
  const GPtrArray *phases = ts_run_get_phases(run);
  for (guint i = 0; i < phases->len; i++) {
    const TsPhase *p = g_ptr_array_index(phases, i);
    ts_json_begin_object(&w, NULL);
    ts_json_string(&w, "name", p->name);
    ts_json_string(&w, "kind", ts_phase_kind_get_name(p->kind));
    ts_json_number(&w, "start_s", ts_time_to_seconds(p->start));
    ts_json_number(&w, "end_s", ts_time_to_seconds(p->end));
    ts_json_end_object(&w);
  }
  ts_json_end_array(&w);

  write_training(&w, r);

  write_failures(&w, r);

  ts_json_begin_object(&w, "checkpoints");
  ts_json_number_or_null(&w, "count", ts_run_get_jobs(run) == NULL, r->checkpoints); /* several jobs: unknown */
  ts_json_number_or_null(&w, "size_bytes", r->trained, r->checkpoint_bytes);
  ts_json_end_object(&w);

  ts_json_begin_object(&w, "inference");
  ts_json_number_or_null(&w, "latency_s", r->inferred, r->infer_latency_s);
  ts_json_number_or_null(&w, "samples_per_s", r->inferred, r->infer_samples_per_s);
  ts_json_number_or_null(&w, "device_bytes", r->inferred, r->infer_device_bytes);
  if (r->inferred) {
    ts_json_string(&w, "stack", ts_stack_get_name(r->stack));
    ts_json_bool(&w, "stack_default", r->stack_default);
  } else {
    ts_json_null(&w, "stack");
    ts_json_null(&w, "stack_default");
  }
  ts_json_end_object(&w);

  write_quantiles(&w, run, rep);
  write_goodput(&w, r);
  summary_write_ownership(&w, r);

  write_diagnostics(&w, run);
  ts_json_end_object(&w);
  return g_string_free(out, FALSE);
}

static void
row(FILE *out, const char *label, const char *value)
{
  fprintf(out, "  %-22s %s\n", label, value);
}

/* The software stack, and whether the scenario chose it (docs/model.md, "The software stack"). */
static void
stack_row(FILE *out, const TsResults *r)
{
  g_autofree char *s = r->stack_default ? g_strdup_printf("%s (the default; say stack = \"eager\" | \"compiled\" | "
                                                          "\"tuned\")", ts_stack_get_name(r->stack))
                                        : g_strdup(ts_stack_get_name(r->stack));
  row(out, "stack", s);
}

static void
peak_row(FILE *out, const char *label, double used, double cap, gboolean known)
{
  if (!known) {
    row(out, label, "not modelled");
    return;
  }
  g_autofree char *u = ts_format_bytes(used);
  if (cap > 0) {
    g_autofree char *c = ts_format_bytes(cap);
    g_autofree char *line = g_strdup_printf("%s of %s (%.0f %%)", u, c, 100.0 * used / cap);
    row(out, label, line);
  } else {
    row(out, label, u);
  }
}

char *
ts_summary_format_amount(double v)
{
  return v >= 100 ? g_strdup_printf("%.0f", v) : g_strdup_printf("%.3g", v);
}

char *
ts_summary_format_energy(const TsResults *r)
{
  const TsEnergyResults *e = &r->energy;
  if (!isfinite(e->it_kwh))
    return g_strdup("unknown (the catalog gives no power for this machine)");
  g_autofree char *it = ts_summary_format_amount(e->it_kwh);
  if (!isfinite(e->kwh))
    return g_strdup_printf("%s kWh at the machines; at the facility unknown (no PUE)", it);
  g_autofree char *kwh = ts_summary_format_amount(e->kwh);
  g_autofree char *co2 = isfinite(e->co2_kg) ? ts_summary_format_amount(e->co2_kg) : NULL;
  g_autofree char *grid = isfinite(e->grid_g_per_kwh) ? g_strdup_printf("%g g/kWh", e->grid_g_per_kwh) : NULL;
  return co2 != NULL ? g_strdup_printf("%s kWh (PUE %g), %s kg CO2e at %s", kwh, e->pue, co2, grid)
                     : g_strdup_printf("%s kWh (PUE %g), CO2e unknown (no grid intensity)", kwh, e->pue);
}

void
ts_summary_print(TsRun *run, FILE *out, gboolean color)
{
  ts_summary_print_full(run, NULL, out, color);
}

static void
cost_rows(FILE *out, const TsResults *r)
{
  g_autofree char *c1 = ts_format_usd(r->cost_compute);
  row(out, "compute", c1);
  g_autofree char *c2 = ts_format_usd(r->cost_host);
  row(out, "host", c2);
  g_autofree char *c3 = r->storage_cost_modelled ? ts_format_usd(r->cost_storage) : g_strdup("not modelled");
  row(out, "storage", c3);
  g_autofree char *c4 = r->network_cost_modelled ? ts_format_usd(r->cost_network) : g_strdup("not modelled");
  row(out, "network", c4);
}

/* The headline's range (P10-P90 of the model's band combined with the draws), in the units of the rows above. */
static void
range_rows(FILE *out, TsRun *run, const TsReplicaStats *rep)
{
  TsQuantiles q = run_quantiles(run, rep);
  const char *why = range_without_band(run, &q);
  if (range_unknown(run, &q)) {
    g_autofree char *unknown = g_strdup_printf("unknown: %s", why);
    row(out, "range", unknown);
    return;
  }
  g_autofree char *t10 = ts_format_duration(q.time_s[0]);
  g_autofree char *t90 = ts_format_duration(q.time_s[2]);
  g_autofree char *alone = why != NULL ? g_strdup_printf(", the draws alone: %s", why) : g_strdup("");
  g_autofree char *t = g_strdup_printf("%s - %s (P10-P90%s)", t10, t90, alone);
  row(out, "wall time range", t);
  if (isfinite(q.cost_usd[0])) {
    g_autofree char *c10 = ts_format_usd(q.cost_usd[0]);
    g_autofree char *c90 = ts_format_usd(q.cost_usd[2]);
    g_autofree char *c = g_strdup_printf("%s - %s (P10-P90%s)", c10, c90, alone);
    row(out, "cost range", c);
  }
}

/* Where the wall time goes: each category that took any time, its share and its cost. */
static void
goodput_rows(FILE *out, const TsResults *r, const char *bold, const char *reset)
{
  if (!(r->total_time_s > 0))
    return;
  fprintf(out, "\n  %swhere the time goes%s (goodput %.1f %%)\n", bold, reset,
          100.0 * r->goodput.seconds[TS_GOODPUT_PRODUCTIVE] / r->total_time_s);
  for (int c = 0; c < TS_GOODPUT_COUNT; c++) {
    if (r->goodput.ticks[c] == 0)
      continue;
    g_autofree char *d = ts_format_duration(r->goodput.seconds[c]);
    g_autofree char *u = isfinite(r->goodput.usd[c]) ? ts_format_usd(r->goodput.usd[c]) : g_strdup("cost unknown");
    g_autofree char *line = g_strdup_printf("%-14s %5.1f %%  %s", d, 100.0 * r->goodput.seconds[c] / r->total_time_s, u);
    g_autofree char *label = g_strdelimit(g_strdup(ts_goodput_category_get_name(c)), "_", ' ');
    row(out, label, line);
  }
}

/* The parallel layout: expert-parallel ranks are a part of the data-parallel ones, not a further factor. */
/* The trainings' failures and, with spares and repair, the pool's waits. */
static void
failure_rows(FILE *out, const TsResults *r)
{
  if (r->failures_modelled) {
    /* The goodput itself is the 'where the time goes' section's, over the whole wall time. */
    g_autofree char *lost = ts_format_duration(r->lost_time_s);
    /* As summary.json's failures.expected: a count the rates do not give (a run that cannot finish between its
     * failures expects infinitely many) is said, not printed as "inf". */
    g_autofree char *expected = r->failures_expected_unknown ? g_strdup("the expected count unknown")
                                : isfinite(r->failures_expected)
                                  ? g_strdup_printf("%.1f expected from the rates", r->failures_expected)
                                  : g_strdup("no finite count expected: the run cannot finish between them");
    g_autofree char *f = g_strdup_printf("%u interruptions (%s), %s lost", r->failures, expected, lost);
    row(out, "failures", f);
  }
  if (r->repair_modelled) {
    g_autofree char *repair = ts_format_duration(r->repair_s);
    g_autofree char *waited = ts_format_duration(r->repair_wait_s);
    g_autofree char *pool = g_strdup_printf("%u node failure%s, %u spare node%s, repair %s: %u waited for a repaired "
                                            "node, %s in all", r->node_failures, r->node_failures == 1 ? "" : "s",
                                            r->spare_nodes, r->spare_nodes == 1 ? "" : "s", repair,
                                            r->repair_waits, waited);
    row(out, "repair", pool);
  }
}

static void
layout_row(FILE *out, const TsResults *r)
{
  g_autofree char *zero = r->layout.zero > 0 ? g_strdup_printf("ZeRO-%u", r->layout.zero) : g_strdup("no ZeRO");
  g_autofree char *layout = g_strdup_printf("data %u x tensor %u x pipeline %u x context %u, expert %u, %s",
                                            r->layout.data, r->layout.tensor, r->layout.pipeline,
                                            r->layout.context, r->layout.expert, zero);
  row(out, "layout", layout);
  if (r->mixed.sku != NULL) {
    g_autofree char *own = ts_format_duration(r->mixed.work_s);
    g_autofree char *other = ts_format_duration(r->mixed.other_work_s);
    g_autofree char *line =
      r->mixed.speed
        ? g_strdup_printf("%u node%s of %s (device work %s a step, %s here): balanced by speed, shares x%.3f and x%.3f",
                          r->mixed.nodes, r->mixed.nodes == 1 ? "" : "s", r->mixed.sku, other, own, r->mixed.other_share,
                          r->mixed.share)
        : g_strdup_printf("%u node%s of %s (device work %s a step, %s here): the step waits for the slower",
                          r->mixed.nodes, r->mixed.nodes == 1 ? "" : "s", r->mixed.sku, other, own);
    row(out, "mixed", line);
  }
  if (r->stragglers.factor > 0 && r->stragglers.factor != 1) {
    /* The step waits for the slowest node: say on what, and what it costs a step. */
    g_autofree char *wait = ts_format_duration(r->step.stragglers);
    g_autofree char *slow = r->stragglers.slow > 0 ? g_strdup_printf("%u slow at x%.3g", r->stragglers.slow,
                                                                     r->stragglers.slowdown)
                                                   : g_strdup("none slow");
    g_autofree char *jit = r->stragglers.jitter > 0 ? g_strdup_printf(", jitter %.3g", r->stragglers.jitter)
                                                    : g_strdup("");
    g_autofree char *drawn = r->stragglers.sampled && isfinite(r->stragglers.sampled_factor)
                               ? g_strdup_printf("; drawn step by step: x%.4f on average", r->stragglers.sampled_factor)
                               : g_strdup("");
    /* With mixed generations the factor is on the cluster's own devices' work (the mixed row says of what). */
    g_autofree char *line =
      r->mixed.sku != NULL
        ? g_strdup_printf("%u nodes, mixed%s: the step's device work is x%.4f the cluster's own, %s%s a step%s",
                          r->stragglers.nodes, jit, r->stragglers.factor, r->step.stragglers < 0 ? "" : "+", wait,
                          drawn)
        : g_strdup_printf("%u nodes, %s%s: the slowest is x%.4f on the device work, +%s a step%s", r->stragglers.nodes,
                          slow, jit, r->stragglers.factor, wait, drawn);
    row(out, "stragglers", line);
  }
}

void
ts_summary_print_full(TsRun *run, const TsReplicaStats *rep, FILE *out, gboolean color)
{
  const TsResults *r = ts_run_get_results(run);
  const TsRunInfo *info = ts_run_get_info(run);
  const char *bold = color ? "\033[1m" : "", *red = color ? "\033[31m" : "", *yellow = color ? "\033[33m" : "",
             *reset = color ? "\033[0m" : "";
  g_autofree char *scenario = g_path_get_basename(info->scenario_path);
  fprintf(out, "%strainsim %s%s — %s\n", bold, TS_VERSION, reset, scenario);
  g_autofree char *total = ts_format_duration(r->total_time_s);
  g_autofree char *cost = ts_format_usd(r->cost_total);
  fprintf(out, "\n  %s%-22s %s%s\n", bold, "wall time", total, reset);
  fprintf(out, "  %s%-22s %s%s\n", bold, "cost", cost, reset);
  range_rows(out, run, rep);
  if (r->error_band != NULL)
    row(out, "expected error", r->error_band);
  if (r->calibration != NULL)
    row(out, "calibration", r->calibration);
  if (!r->feasible)
    fprintf(out, "  %s%-22s %s%s\n", red, "feasible", "NO (see diagnostics)", reset);
  g_autofree char *cluster = g_strdup_printf("%u x %s on %u host%s", r->devices, r->device_desc ? r->device_desc : "?",
                                             r->nodes, r->nodes == 1 ? "" : "s");
  row(out, "cluster", cluster);
  if (r->price_desc)
    row(out, "price", r->price_desc);
  g_autofree char *energy = ts_summary_format_energy(r);
  row(out, "energy", energy);

  fprintf(out, "\n  %sphases%s\n", bold, reset);
  const GPtrArray *phases = ts_run_get_phases(run);
  for (guint i = 0; i < phases->len; i++) {
    const TsPhase *p = g_ptr_array_index(phases, i);
    g_autofree char *s = ts_format_duration(ts_time_to_seconds(p->start));
    g_autofree char *d = ts_format_duration(ts_time_to_seconds(p->end - p->start));
    fprintf(out, "    %-20s starts %-14s lasts %s\n", p->name, s, d);
  }
  summary_print_jobs(run, out, bold, reset);
  if (r->trained) {
    fprintf(out, "\n  %straining%s\n", bold, reset);
    g_autofree char *st = ts_format_duration(r->step_time_s);
    g_autofree char *tt = ts_format_duration(r->compute_time_s);
    g_autofree char *line = g_strdup_printf("%" G_GUINT64_FORMAT " steps%s (%.1f epochs) of %s = %s", r->steps,
                                            r->steps_done < r->steps ? " planned" : "", r->epochs, st, tt);
    row(out, "steps", line);
    if (r->steps_done < r->steps) {
      /* A run stopped early (a full disk) did not do what it planned: say how far it got. */
      g_autofree char *stopped = g_strdup_printf("%" G_GUINT64_FORMAT " of them done when the run stopped at %s",
                                                 r->steps_done, total);
      row(out, "", stopped);
    }
    g_autofree char *pad = r->padding > 0 ? g_strdup_printf(" (useful samples; %.3g %% of each sequence is padding)",
                                                             100.0 * r->padding)
                                          : g_strdup("");
    for (guint i = 0; i < r->ramp_segments; i++) {
      g_autofree char *st_i = ts_format_duration(r->ramp_step_s[i]);
      g_autofree char *seg = g_strdup_printf("batch %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT " steps of %s",
                                             r->ramp_size[i], r->ramp_steps[i], st_i);
      row(out, i == 0 ? "batch ramp" : "", seg);
    }
    g_autofree char *tp = g_strdup_printf("%.0f samples/s, MFU %.1f %%%s", r->samples_per_s, 100.0 * r->mfu, pad);
    row(out, "throughput", tp);
    layout_row(out, r);
    stack_row(out, r);
    if (r->bottleneck != NULL)
      row(out, "bottleneck", r->bottleneck);
    if (r->evaluations > 0) {
      g_autofree char *pass = ts_format_duration(r->eval_pass_s);
      g_autofree char *all = ts_format_duration(r->eval_time_s);
      g_autofree char *ev = g_strdup_printf("%u passes of %" G_GUINT64_FORMAT " samples, %s each = %s",
                                            r->evaluations, r->eval_samples, pass, all);
      row(out, "evaluations", ev);
    }
    if (r->checkpoints > 0) {
      g_autofree char *sz = ts_format_bytes(r->checkpoint_bytes);
      /* On the hosts' own disks each keeps its share: the storage row below is one host's. */
      g_autofree char *share = r->storage_per_host ? ts_format_bytes(r->checkpoint_bytes / r->nodes) : NULL;
      g_autofree char *ck = share != NULL ? g_strdup_printf("%u written, %s each (%s on each of the %u hosts' disks)",
                                                            r->checkpoints, sz, share, r->nodes)
                                          : g_strdup_printf("%u written, %s each", r->checkpoints, sz);
      row(out, "checkpoints", ck);
    }
    failure_rows(out, r);
  }
  if (r->inferred) {
    fprintf(out, "\n  %sinference%s\n", bold, reset);
    g_autofree char *lat = ts_format_duration(r->infer_latency_s);
    g_autofree char *mem = ts_format_bytes(r->infer_device_bytes);
    g_autofree char *line = g_strdup_printf("%s per batch, %.1f samples/s, %s of device memory", lat,
                                            r->infer_samples_per_s, mem);
    row(out, "latency", line);
    if (!r->trained)
      stack_row(out, r);
  }
  fprintf(out, "\n  %speaks%s\n", bold, reset);
  peak_row(out, "device memory", r->peak_device, r->device_capacity, r->peak_device > 0);
  peak_row(out, "host memory", r->peak_host, r->host_capacity, r->peak_host > 0);
  peak_row(out, r->storage_per_host ? "storage per host" : "storage", r->peak_storage, r->storage_capacity,
           isfinite(r->peak_storage)); /* several jobs: not composed (run/jobs.c) */

  fprintf(out, "\n  %scost split%s\n", bold, reset);
  cost_rows(out, r);
  summary_print_ownership(r, out, bold, reset);
  goodput_rows(out, r, bold, reset);

  const GPtrArray *diags = ts_run_get_diagnostics(run);
  if (diags->len > 0) {
    fprintf(out, "\n  %sdiagnostics%s\n", bold, reset);
    for (guint i = 0; i < diags->len; i++) {
      const TsDiagnostic *d = g_ptr_array_index(diags, i);
      const char *c = d->severity == TS_SEVERITY_ERROR ? red : d->severity == TS_SEVERITY_WARNING ? yellow : "";
      fprintf(out, "    %s%s%s [%s] %s\n", c, ts_severity_get_name(d->severity), reset, d->code, d->message);
    }
  }
}

void
ts_summary_print_replicas(const TsReplicaStats *rep, FILE *out)
{
  g_autofree char *t10 = ts_format_duration(rep->draws_time_p10_s);
  g_autofree char *c10 = ts_format_usd(rep->draws_cost_p10_usd);
  g_autofree char *t50 = ts_format_duration(rep->draws_time_p50_s);
  g_autofree char *t90 = ts_format_duration(rep->draws_time_p90_s);
  g_autofree char *c50 = ts_format_usd(rep->draws_cost_p50_usd);
  g_autofree char *c90 = ts_format_usd(rep->draws_cost_p90_usd);
  fprintf(out, "\n  replicas (%u seeds%s, %u feasible, %.1f failures on average; the draws alone)\n", rep->replicas,
          rep->automatic ? " over the failure draws" : "", rep->feasible, rep->failures_mean);
  g_autofree char *t = g_strdup_printf("P10 %s, P50 %s, P90 %s", t10, t50, t90);
  g_autofree char *c = g_strdup_printf("P10 %s, P50 %s, P90 %s", c10, c50, c90);
  row(out, "wall time", t);
  row(out, "cost", c);
}
