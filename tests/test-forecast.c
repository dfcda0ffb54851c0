/* /forecast/...: plausible scenarios that used to get a confident, false answer (issue 14): accelerators
 * never provisioned, host CPUs, storage-bound input, checkpoint-interval advice, summary-side traps. */
#include "common/ts-error.h"
#include "output/report-html.h"
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "scenario/scenario.h"
#include "units/units.h"
#include "test-scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static TsRegistry *registry;

typedef struct {
  TsRun *run;
  GError *error;
  char *path; /* the run borrows its scenario's path (summary, diagnostics): kept until outcome_clear */
} Outcome;

/* Runs TEXT as a scenario with `--set` values SETS ("name=value", NULL-terminated, or NULL). */
static Outcome
run_text_with(const char *text, const char *const *sets)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.sets = sets;
  Outcome o = {0};
  o.run = test_scenario_run_text(registry, text, &opts, &o.path, &o.error);
  return o;
}

static Outcome
run_text(const char *text)
{
  return run_text_with(text, NULL);
}

static void
outcome_clear(Outcome *o)
{
  ts_run_free(o->run);
  g_clear_error(&o->error);
  g_clear_pointer(&o->path, g_free);
}

/* The first diagnostic with this code whose message contains TEXT (NULL: any), or NULL. */
static const TsDiagnostic *
find_diagnostic(TsRun *run, const char *code, const char *text)
{
  const GPtrArray *diags = ts_run_get_diagnostics(run);
  for (guint i = 0; i < diags->len; i++) {
    const TsDiagnostic *d = g_ptr_array_index(diags, i);
    if (strcmp(d->code, code) == 0 && (text == NULL || strstr(d->message, text) != NULL))
      return d;
  }
  return NULL;
}

/* ---- implicit provisioning -------------------------------------------------------------------- */

#define UNPROVISIONED \
  "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 8, price = '2 USD/device-hour' } }\n" \
  "local d = dataset { samples = 100000, bytes = '10 GB' }\n" \
  "run(box, function(r)\n" \
  "  r:wait('1 h')\n" \
  "  r:%s\n" \
  "end)\n"

/* r:train on accelerators never provisioned is billed from the moment training starts (not from 0, not
 * never): 8 devices x 2 USD/device-hour over the training's wall time, and an info diagnostic says so. */
static void
test_implicit_provision(void)
{
  g_autofree char *text = g_strdup_printf(UNPROVISIONED, "train { model = models.resnet50, data = d, batch = 256, "
                                          "epochs = 1, precision = 'fp16' }");
  Outcome o = run_text(text);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_true(r->trained);
  g_assert_cmpfloat(r->cost_total, >, 0);
  double trained_s = r->total_time_s - 3600.0;
  g_assert_cmpfloat(trained_s, >, 0);
  g_assert_cmpfloat_with_epsilon(r->cost_compute, 8 * 2.0 * trained_s / 3600.0, 1e-9 * r->cost_compute);
  const TsDiagnostic *d = find_diagnostic(o.run, "implicit-provision", "not provisioned");
  g_assert_nonnull(d);
  g_assert_cmpint(d->severity, ==, TS_SEVERITY_INFO);
  g_assert_cmpfloat(ts_time_to_seconds(d->time), ==, 3600.0);
  /* The provisioning is a phase of the run, at the moment it happened. */
  const GPtrArray *phases = ts_run_get_phases(o.run);
  gboolean found = FALSE;
  for (guint i = 0; i < phases->len; i++) {
    const TsPhase *p = g_ptr_array_index(phases, i);
    if (p->kind == TS_PHASE_PROVISION) {
      g_assert_cmpfloat(ts_time_to_seconds(p->start), ==, 3600.0);
      found = TRUE;
    }
  }
  g_assert_true(found);
  outcome_clear(&o);

  /* Inference too. */
  g_autofree char *infer = g_strdup_printf(UNPROVISIONED, "infer { model = models.resnet50, batch = 8, "
                                           "samples = 100000 }");
  o = run_text(infer);
  g_assert_no_error(o.error);
  g_assert_cmpfloat(ts_run_get_results(o.run)->cost_total, >, 0);
  g_assert_nonnull(find_diagnostic(o.run, "implicit-provision", NULL));
  outcome_clear(&o);
}

/* ---- storage-bound input ---------------------------------------------------------------------- */

#define TPU_FROM_STORAGE \
  "local pod = cluster { accelerator = tpu { slice = 'v3-8', price = '2 USD/chip-hour' }, %s }\n" \
  "local imagenet = datasets.imagenet_1k {}\n" \
  "run(pod, function(r)\n" \
  "  r:provision(pod.accelerator)\n" \
  "  r:train { model = models.resnet50, data = imagenet, batch = 1024, epochs = 1, precision = 'bf16' }\n" \
  "  r:release(pod.accelerator)\n" \
  "end)\n"

static const TsPhase *
train_phase(TsRun *run)
{
  const GPtrArray *phases = ts_run_get_phases(run);
  for (guint i = 0; i < phases->len; i++) {
    const TsPhase *p = g_ptr_array_index(phases, i);
    if (p->kind == TS_PHASE_TRAIN)
      return p;
  }
  g_assert_not_reached();
}

/* One epoch of ImageNet on a TPU v3-8 reading from a bucket at 20 MB/s takes at least as long as reading the
 * 147,897,477,120 bytes at 20 MB/s, and the diagnostics and the summary name the bucket's read bandwidth. */
static void
test_storage_bound(void)
{
  g_autofree char *slow = g_strdup_printf(TPU_FROM_STORAGE, "storage = bucket { read = '20 MB/s' }");
  Outcome o = run_text(slow);
  g_assert_no_error(o.error);
  const TsPhase *p = train_phase(o.run);
  double train_s = ts_time_to_seconds(p->end - p->start);
  g_assert_cmpfloat(train_s, >=, 147897477120.0 / 20e6);
  /* By hand: 1252 steps of 1024 images, each image 147897477120 / 1281167 bytes, at 20e6 bytes/s. */
  double step = 1024.0 * 147897477120.0 / 1281167.0 / 20e6;
  g_assert_cmpfloat_with_epsilon(train_s, 1252 * step, 1e-6 * train_s);
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpstr(r->bottleneck, ==, "bucket read bandwidth");
  const TsDiagnostic *d = find_diagnostic(o.run, "storage-bound", "the bucket read bandwidth (20 MB/s) is the bottleneck");
  g_assert_nonnull(d);
  g_assert_cmpint(d->severity, ==, TS_SEVERITY_WARNING);
  g_autofree char *json = ts_summary_to_json(o.run);
  g_assert_nonnull(strstr(json, "\"bottleneck\": \"bucket read bandwidth\""));
  outcome_clear(&o);

  /* Twice the bandwidth, half the time: the bound is the storage, not a constant. */
  g_autofree char *faster = g_strdup_printf(TPU_FROM_STORAGE, "storage = bucket { read = '40 MB/s' }");
  o = run_text(faster);
  g_assert_no_error(o.error);
  p = train_phase(o.run);
  g_assert_cmpfloat_with_epsilon(ts_time_to_seconds(p->end - p->start), 1252 * step / 2, 1e-6 * train_s);
  outcome_clear(&o);

  /* Unstated, the bucket bounds nothing, and a diagnostic says reading is not modelled. */
  g_autofree char *unstated = g_strdup_printf(TPU_FROM_STORAGE, "storage = bucket { }");
  o = run_text(unstated);
  g_assert_no_error(o.error);
  g_assert_cmpstr(ts_run_get_results(o.run)->bottleneck, ==, "devices");
  g_assert_nonnull(find_diagnostic(o.run, "storage-not-modelled", "bucket read bandwidth is not stated"));
  outcome_clear(&o);

  /* A shared file system is named as such; local disks read each host's share of the batch (a v3-8 has one
   * host) from their extracted files. */
  g_autofree char *fs = g_strdup_printf(TPU_FROM_STORAGE, "storage = filesystem { read = '20 MB/s' }");
  o = run_text(fs);
  g_assert_no_error(o.error);
  g_assert_cmpstr(ts_run_get_results(o.run)->bottleneck, ==, "shared file system read bandwidth");
  outcome_clear(&o);
  g_autofree char *disk = g_strdup_printf(TPU_FROM_STORAGE, "host = { disk_read = '20 MB/s' }");
  o = run_text(disk);
  g_assert_no_error(o.error);
  g_assert_cmpstr(ts_run_get_results(o.run)->bottleneck, ==, "local disk read bandwidth");
  p = train_phase(o.run);
  g_assert_cmpfloat_with_epsilon(ts_time_to_seconds(p->end - p->start), 1252 * step, 1e-6 * train_s);
  outcome_clear(&o);
}

/* The host's prefetch buffer holds two batches of decoded images (224 x 224 x 3 float32), not JPEG bytes. */
static void
test_host_buffer_decoded(void)
{
  g_autofree char *text = g_strdup_printf(TPU_FROM_STORAGE, "storage = bucket { }");
  Outcome o = run_text(text);
  g_assert_no_error(o.error);
  g_assert_cmpfloat(ts_run_get_results(o.run)->peak_host, ==, 2.0 * 1024 * 224 * 224 * 3 * 4);
  outcome_clear(&o);
}

/* ---- host CPUs by name ------------------------------------------------------------------------ */

#define HOST_CPUS \
  "local box = cluster { accelerator = %s, host = { %s } }\n" \
  "local d = datasets.imagenet_1k {}\n" \
  "run(box, function(r)\n" \
  "  r:provision(box.accelerator)\n" \
  "  r:train { model = models.resnet50, data = d, batch = 256, steps = 10, precision = 'fp16'%s }\n" \
  "  r:release(box.accelerator)\n" \
  "end)\n"
#define V100S "gpu { sku = 'V100-SXM2-16GB', count = 8, price = '1 USD/device-hour' }"
#define STATION "gpu { instance = 'DGX Station', pricing = 'owned' }"

static double
input_step(const char *accel, const char *host, const char *train_extra)
{
  g_autofree char *text = g_strdup_printf(HOST_CPUS, accel, host, train_extra);
  Outcome o = run_text(text);
  g_assert_no_error(o.error);
  double input = ts_run_get_results(o.run)->step.input;
  outcome_clear(&o);
  return input;
}

/* Sockets and cores are said by name: 2 sockets of a 96-core EPYC 9654 feed the pipeline like 192 cores, and
 * twice as fast as 96.  A machine from the catalog keeps its CPUs: restating them is fine, contradicting them
 * is refused with the way to give the pipeline fewer (input_cores), which does slow it. */
static void
test_host_cpus(void)
{
  const TsDeviceRecord *epyc = ts_registry_find_device(registry, "cpu", "EPYC-9654", NULL, NULL);
  g_assert_nonnull(epyc);
  g_assert_cmpfloat(epyc->spec.cores, ==, 96);
  double sockets = input_step(V100S, "cpu = 'EPYC-9654', sockets = 2", "");
  double cores = input_step(V100S, "cpu = 'EPYC-9654', cores = 192", "");
  double half = input_step(V100S, "cpu = 'EPYC-9654', cores = 96", "");
  g_assert_cmpfloat(sockets, >, 0);
  g_assert_cmpfloat(sockets, ==, cores);
  g_assert_cmpfloat_with_epsilon(half, 2 * cores, 1e-12 * half);

  /* The DGX Station's 20 cores, restated, are its own; one core contradicts the catalog. */
  double station = input_step(STATION, "", "");
  g_assert_cmpfloat(station, >, 0);
  g_assert_cmpfloat(input_step(STATION, "cores = 20", ""), ==, station);
  g_autofree char *one = g_strdup_printf(HOST_CPUS, STATION, "cores = 1", "");
  Outcome o = run_text(one);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(o.error->message, "contradicts DGX Station, which has 20 host CPU cores"));
  g_assert_nonnull(strstr(o.error->message, "input_cores"));
  outcome_clear(&o);
  g_autofree char *ambiguous = g_strdup_printf(HOST_CPUS, STATION, "cpus = 1", "");
  o = run_text(ambiguous);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(o.error->message, "host.sockets = N"));
  g_assert_nonnull(strstr(o.error->message, "host.cores = N"));
  outcome_clear(&o);
  /* Fewer cores for the pipeline, said where it belongs. */
  g_assert_cmpfloat_with_epsilon(input_step(STATION, "", ", input_cores = 1"), 20 * station, 1e-12 * station * 20);
}

/* ---- summary-side traps ----------------------------------------------------------------------- */

#define PARAMS \
  "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 16, price = '2 USD/device-hour',\n" \
  "                                          network = '100 Gbit/s' } }\n" \
  "local d = datasets.imagenet_1k {}\n" \
  "local recompute = param('recompute', 'auto')\n" \
  "run(box, function(r)\n" \
  "  local epochs = param('epochs', 1)\n" \
  "  r:train { model = models.resnet50, data = d, batch = 4096, epochs = epochs, precision = 'fp16',\n" \
  "            parallel = { recompute = recompute } }\n" \
  "end)\n"

/* A param whose default is a word takes true and false as booleans (recompute is "auto", true or false); a
 * param declared inside run() can be set like any other; the epochs asked for are the epochs reported. */
static void
test_params(void)
{
  const char *sets[] = {"recompute=false", "epochs=800", NULL};
  Outcome o = run_text_with(PARAMS, sets);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpfloat(r->epochs, ==, 800);
  /* 1281167 images in ceil(1281167 / 4096) = 313 steps an epoch, the last one partial. */
  g_assert_cmpuint(r->steps, ==, 800 * 313);
  g_autofree char *json = ts_summary_to_json(o.run);
  g_assert_nonnull(strstr(json, "\"recompute\": false"));
  g_assert_nonnull(strstr(json, "\"epochs\": 800"));
  outcome_clear(&o);

  const char *typo[] = {"epochz=800", NULL};
  o = run_text_with(PARAMS, typo);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_USAGE);
  g_assert_nonnull(strstr(o.error->message, "declares no such param; declared: recompute, epochs"));
  outcome_clear(&o);
  const char *word[] = {"recompute=maybe", NULL};
  o = run_text_with(PARAMS, word);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(o.error->message, "expected true, false, \"auto\" or a remat policy"));
  outcome_clear(&o);
}

static void
test_money_separators(void)
{
  static const struct {
    double usd;
    const char *text;
  } cases[] = {{0, "0.00 USD"},          {-0.001, "0.00 USD"},          {999.994, "999.99 USD"},
               {999.995, "1,000.00 USD"}, {1234567.891, "1,234,567.89 USD"}, {-12345.6, "-12,345.60 USD"},
               {100000, "100,000.00 USD"}};
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = ts_format_usd(cases[i].usd);
    g_assert_cmpstr(got, ==, cases[i].text);
  }
}

/* Out of memory at batch 1 because of a pipeline's activations (4 stages, 4 micro-batches in flight on the
 * first), not because of the state: the diagnostic names the activations, not "state alone; shard it". */
static void
test_oom_names_cause(void)
{
  Outcome o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 8, price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 100000, bytes = '10 GB' }\n"
    "local m = model { params = 1e8, flops = 1e9, activations = '20 GB', layers = 8 }\n"
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 8, micro_batch = 1, steps = 1, precision = 'fp16',\n"
    "            optimizer = 'adam', parallel = { pipeline = 4 } }\n"
    "end)\n");
  g_assert_error(o.error, TS_ERROR, TS_ERROR_INFEASIBLE);
  const TsDiagnostic *d = find_diagnostic(o.run, "device-oom", "the activations of one sample take");
  g_assert_nonnull(d);
  g_assert_nonnull(strstr(d->message, "4 pipeline stages keeps 4 micro-batches in flight"));
  g_assert_nonnull(strstr(d->message, "recompute"));
  g_assert_null(strstr(d->message, "alone"));
  outcome_clear(&o);
  /* Where the state alone is too much, that is what it says. */
  o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 1, price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 100000, bytes = '10 GB' }\n"
    "local m = model { params = 2e9, flops = 1e9, activations = '1 MB' }\n"
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 1, steps = 1, precision = 'fp16', optimizer = 'adam' }\n"
    "end)\n");
  g_assert_error(o.error, TS_ERROR, TS_ERROR_INFEASIBLE);
  g_assert_nonnull(find_diagnostic(o.run, "device-oom", "optimizer state alone; shard it"));
  outcome_clear(&o);
}

/* ---- Young/Daly ------------------------------------------------------------------------------- */

#define DALY \
  "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 8, price = '1 USD/device-hour' },\n" \
  "                      host = { disk_write = '1 GB/s' } }\n" \
  "local d = dataset { samples = 1000000, bytes = '10 GB' }\n" \
  "local m = model { params = 1e8, flops = 1e11, activations = '10 MB' }\n" \
  "run(box, function(r)\n" \
  "  r:train { model = m, data = d, batch = 64, steps = %d, precision = 'fp16', optimizer = 'adam',\n" \
  "            %s failures = { mtbf = '800 h' } }\n" \
  "end)\n"
/* Steps enough that the optimum below lies inside the training (about 41.5 ms a step: 200,000 steps, 2 h 18 min). */
#define DALY_STEPS 200000

static Outcome
run_daly_steps(int steps, const char *checkpoint)
{
  g_autofree char *text = g_strdup_printf(DALY, steps, checkpoint);
  Outcome o = run_text(text);
  g_assert_no_error(o.error);
  return o;
}

static Outcome
run_daly(const char *checkpoint)
{
  return run_daly_steps(DALY_STEPS, checkpoint);
}

/* By hand: 8 devices failing every 800 h each fail the job every 100 h = 360,000 s; a checkpoint of 1e8
 * parameters x (4 + 8) bytes (fp32 weights and Adam's two moments) written at 1 GB/s takes 1.2 s; Young/Daly's
 * optimum is sqrt(2 x 1.2 x 360000) = 929.5 s of training between checkpoints. */
static void
test_young_daly(void)
{
  double opt = sqrt(2.0 * 1.2 * 360000.0);
  Outcome o = run_daly("checkpoint = { every = '1 steps' },");
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpfloat_with_epsilon(r->checkpoint_write_s, 1.2, 1e-9);
  double step = r->step_time_s;
  g_assert_cmpfloat(step * 2, <, opt); /* every step is far below the optimum */
  g_autofree char *want = g_strdup_printf("checkpoint.every = \"%.0f steps\"", round(opt / step));
  const TsDiagnostic *d = find_diagnostic(o.run, "checkpoint-interval", want);
  g_assert_nonnull(d);
  g_assert_nonnull(strstr(d->message, "far below Young/Daly's optimum"));
  g_assert_cmpint(d->severity, ==, TS_SEVERITY_INFO);
  outcome_clear(&o);

  /* At the optimum, no advice. */
  g_autofree char *at = g_strdup_printf("checkpoint = { every = '%.0f steps' },", round(opt / step));
  o = run_daly(at);
  g_assert_null(find_diagnostic(o.run, "checkpoint-interval", NULL));
  outcome_clear(&o);
  /* Without checkpoints, a training longer than a tenth of the job's MTBF is told to checkpoint; one far shorter
   * is not.  (The DALY text's '800 h' replaced by per-device MTBFs of 8 x 5 and 8 x 100 times its training.) */
  double train_s = step * DALY_STEPS;
  for (int k = 0; k < 2; k++) {
    g_autofree char *text = g_strdup_printf(DALY, DALY_STEPS, "");
    g_autofree char *mtbf = g_strdup_printf("mtbf = '%.0f s'", 8 * (k == 0 ? 5 : 100) * train_s);
    g_autoptr(GString) g = g_string_new(text);
    g_string_replace(g, "mtbf = '800 h'", mtbf, 1);
    Outcome n = run_text(g->str);
    g_assert_no_error(n.error);
    const TsDiagnostic *nd = find_diagnostic(n.run, "checkpoint-interval", "no checkpoints");
    if (k == 0)
      g_assert_nonnull(nd);
    else
      g_assert_null(nd);
    outcome_clear(&n);
  }

  /* Far above it (5x), advice again, the same number of steps. */
  g_autofree char *above = g_strdup_printf("checkpoint = { every = '%.0f steps' },", 5 * round(opt / step));
  o = run_daly(above);
  g_assert_nonnull(find_diagnostic(o.run, "checkpoint-interval", "far above"));
  g_assert_nonnull(find_diagnostic(o.run, "checkpoint-interval", want));
  outcome_clear(&o);

  /* A training of 2,000 steps (83 s) is shorter than the optimum (930 s): the advice is the run's own length, one
   * checkpoint at the end, never more steps than the run has; and a run that checkpoints only at its end is told
   * nothing. */
  o = run_daly_steps(2000, "checkpoint = { every = '1 steps' },");
  g_assert_cmpfloat(step * 2000, <, opt);
  g_assert_nonnull(find_diagnostic(o.run, "checkpoint-interval", "longer than the whole training"));
  g_assert_nonnull(find_diagnostic(o.run, "checkpoint-interval", "checkpoint.every = \"2000 steps\""));
  outcome_clear(&o);
  o = run_daly_steps(2000, "checkpoint = { every = '2000 steps' },");
  g_assert_null(find_diagnostic(o.run, "checkpoint-interval", NULL));
  outcome_clear(&o);
}

/* ---- an assumed write bandwidth is said -------------------------------------------------------- */

/* A v3-8 (one host) that downloads ImageNet over LINK and trains one checkpointed step; %s: the cluster's host
 * or storage. */
#define WRITES \
  "local pod = cluster { accelerator = tpu { slice = 'v3-8', price = '2 USD/chip-hour' }, %s }\n" \
  "local imagenet = datasets.imagenet_1k { from = internet { bandwidth = '%s' } }\n" \
  "run(pod, function(r)\n" \
  "  r:provision(pod.accelerator)\n" \
  "  r:download(imagenet)\n" \
  "  r:train { model = models.resnet50, data = imagenet, batch = 1024, steps = 1, precision = 'bf16'%s }\n" \
  "  r:release(pod.accelerator)\n" \
  "end)\n"

static guint
count_diagnostics(TsRun *run, const char *code)
{
  const GPtrArray *diags = ts_run_get_diagnostics(run);
  guint n = 0;
  for (guint i = 0; i < diags->len; i++)
    n += strcmp(((const TsDiagnostic *) g_ptr_array_index(diags, i))->code, code) == 0;
  return n;
}

/* Where no write bandwidth is stated, checkpoints and downloads are written at 1 GB/s: the run says so (once)
 * wherever that figure sets a write's time, and never where the scenario states the bandwidth or the link is
 * slower than it. */
static void
test_write_bandwidth_assumed(void)
{
  static const struct {
    const char *where, *link, *train, *says; /* says: a part of the diagnostic's message, NULL: none given */
  } cases[] = {
    {"host = { disk = '1 TB' }", "1 Gbit/s", ", checkpoint = { every = '1 steps' }",
     "the local disk write bandwidth is not stated (host = {disk_write = \"... GB/s\"}): its writes "
     "(checkpoints, downloads) take an assumed 1 GB/s"},
    {"host = { disk = '1 TB', disk_write = '1 GB/s' }", "1 Gbit/s", ", checkpoint = { every = '1 steps' }", NULL},
    {"host = { disk = '1 TB' }", "1 Gbit/s", "", NULL},  /* the link, slower, sets the download's time */
    {"host = { disk = '1 TB' }", "100 Gbit/s", "", "local disk write bandwidth is not stated"},
    {"storage = bucket { }", "1 Gbit/s", ", checkpoint = { every = '1 steps' }",
     "the bucket write bandwidth is not stated (write = \"... GB/s\")"},
    {"storage = bucket { write = '1 GB/s' }", "100 Gbit/s", ", checkpoint = { every = '1 steps' }", NULL},
    {"storage = filesystem { read = '5 GB/s' }", "100 Gbit/s", "", "shared file system write bandwidth"},
  };
  double write_s[2] = {0, 0};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text = g_strdup_printf(WRITES, cases[i].where, cases[i].link, cases[i].train);
    Outcome o = run_text(text);
    g_assert_no_error(o.error);
    g_assert_cmpuint(count_diagnostics(o.run, "write-bandwidth-assumed"), ==, cases[i].says != NULL);
    if (cases[i].says != NULL) {
      const TsDiagnostic *d = find_diagnostic(o.run, "write-bandwidth-assumed", cases[i].says);
      g_assert_nonnull(d);
      g_assert_cmpint(d->severity, ==, TS_SEVERITY_INFO);
      g_assert_nonnull(strstr(d->message, ".lua:")); /* names the line of the write */
    }
    if (i < 2)
      write_s[i] = ts_run_get_results(o.run)->checkpoint_write_s;
    outcome_clear(&o);
  }
  /* Said, not changed: the assumed 1 GB/s writes a checkpoint in the time a stated 1 GB/s does. */
  g_assert_cmpfloat(write_s[0], >, 0);
  g_assert_cmpfloat(write_s[0], ==, write_s[1]);
}

/* ---- storage on several hosts' own disks is one host's ---------------------------------------- */

/* Two p4d.24xlarge (8 A100 each) checkpoint a 1.3 B GPT: without a storage each host keeps its share of every
 * checkpoint on its own disks, so the peak and the capacity are one host's, and every output says so beside the
 * whole checkpoint's size (a plan-30b-deadline run printed "334.8 GiB each" over "storage 10.5 GiB of 27.9 TiB"). */
#define TWO_HOSTS \
  "local box = cluster { accelerator = gpu { instance = 'p4d.24xlarge', nodes = 2 }, %s }\n" \
  "local corpus = dataset { name = 'tokens', samples = 5000000, bytes = '40 GB', kind = 'tokens' }\n" \
  "local gpt = models.gpt { layers = 24, width = 2048, seq = 2048 }\n" \
  "run(box, function(r)\n" \
  "  r:provision(box.accelerator)\n" \
  "  r:train { model = gpt, data = corpus, batch = 256, micro_batch = 4, steps = 4, precision = 'bf16',\n" \
  "            optimizer = 'adamw', checkpoint = { every = '2 steps', keep = 1 } }\n" \
  "  r:release(box.accelerator)\n" \
  "end)\n"

static void
test_storage_per_host(void)
{
  for (int bucket = 0; bucket < 2; bucket++) {
    g_autofree char *text = g_strdup_printf(TWO_HOSTS, bucket ? "storage = bucket { write = '2 GB/s' }"
                                                               : "host = { disk_write = '2 GB/s' }");
    Outcome o = run_text(text);
    g_assert_no_error(o.error);
    const TsResults *r = ts_run_get_results(o.run);
    g_assert_cmpuint(r->checkpoints, ==, 2);
    g_assert_cmpint(r->storage_per_host, ==, !bucket);
    /* Retention keeps one: on the disks each host's half of it, in the bucket the whole of it. */
    g_assert_cmpfloat_with_epsilon(r->peak_storage, bucket ? r->checkpoint_bytes : r->checkpoint_bytes / 2,
                                   1e-9 * r->checkpoint_bytes);
    g_autofree char *buf = test_summary_text(o.run);
    g_autofree char *half = ts_format_bytes(r->checkpoint_bytes / 2);
    g_autofree char *each = g_strdup_printf("(%s on each of the 2 hosts' disks)", half);
    g_autofree char *json = ts_summary_to_json(o.run);
    if (bucket) {
      g_assert_null(strstr(buf, "per host"));
      g_assert_null(strstr(buf, "hosts' disks"));
      g_assert_nonnull(strstr(json, "\"storage_per_host\": false"));
    } else {
      g_assert_nonnull(strstr(buf, "\n  storage per host "));
      g_assert_nonnull(strstr(buf, each));
      g_assert_nonnull(strstr(json, "\"storage_per_host\": true"));
      g_autoptr(GError) error = NULL;
      g_autofree char *html = ts_report_html_run(json, strlen(json), NULL, 0, "summary.json", &error);
      g_assert_no_error(error);
      g_assert_nonnull(strstr(html, ">storage per host<"));
    }
    outcome_clear(&o);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/forecast/implicit-provision", test_implicit_provision);
  g_test_add_func("/forecast/storage-bound", test_storage_bound);
  g_test_add_func("/forecast/write-bandwidth-assumed", test_write_bandwidth_assumed);
  g_test_add_func("/forecast/storage-per-host", test_storage_per_host);
  g_test_add_func("/forecast/host-buffer-decoded", test_host_buffer_decoded);
  g_test_add_func("/forecast/host-cpus", test_host_cpus);
  g_test_add_func("/forecast/params", test_params);
  g_test_add_func("/forecast/money-separators", test_money_separators);
  g_test_add_func("/forecast/oom-names-cause", test_oom_names_cause);
  g_test_add_func("/forecast/young-daly", test_young_daly);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
