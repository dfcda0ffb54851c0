/* /fidelity/...: what published runs need the scenario API to say (issue 16) -- multislice TPUs over the
 * data-centre network, hybrid sharding, tensor-parallel overlap and sequence parallelism, gradient reduction
 * precision -- each in memory and time against numbers computed here by hand from the formulas of
 * docs/model.md, not by calling the code under test. */
#include "common/ts-error.h"
#include "model/operators.h"
#include "plugin/plugin-host.h"
#include "run/stack.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <math.h>
#include <string.h>

static TsRegistry *registry;

static TsRun *
run_text(const char *text, GError **error)
{
  return test_scenario_run_text(registry, text, NULL, NULL, error);
}

/* The same, one engine event per step (aggregation checks) and a failure seed. */
static TsRun *
run_text_stepped(const char *text, gboolean step_events, guint64 seed, GError **error)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.step_events = step_events;
  opts.limits.seed = seed;
  return test_scenario_run_text(registry, text, &opts, NULL, error);
}

static const TsDeviceRecord *
tpu(const char *sku)
{
  const TsDeviceRecord *d = ts_registry_find_device(registry, "tpu", sku, NULL, NULL);
  g_assert_nonnull(d);
  return d;
}

/* The parameter count models.gpt gives a decoder: 12 L d^2 + V d (default vocabulary 50,257), plus two norm
 * weight vectors per layer and a final one (docs/model.md, "Models"). */
static double
gpt_params(double layers, double width, double vocab)
{
  return 12.0 * layers * width * width + vocab * width + 2.0 * layers * width + width;
}

/* ---- multislice ---- */

#define MULTISLICE                                                                                              \
  "local pod = cluster { accelerator = tpu { slice = 'v5e-256', slices = %d } }\n"                               \
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"                                  \
  "local m = models.gpt { layers = 8, width = 2048, seq = 128 }\n"                                              \
  "run(pod, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = %d, steps = 3, precision = 'bf16', optimizer = 'adam' }\n"          \
  "end)\n"

static void
test_multislice(void)
{
  /* Two v5e-256 slices (16x16 each) over the data-centre network, one sequence per chip, plain data
   * parallelism over all 512 chips. */
  g_autofree char *two = g_strdup_printf(MULTISLICE, 2, 512);
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(two, &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(r->devices, ==, 512);
  g_assert_cmpuint(r->nodes, ==, 64); /* 8 chips per v5e host */

  /* Memory per chip is that of one slice: weights 2 + gradients 2 + master 4 + Adam 8 bytes per parameter,
   * the activations of one sequence (34 x seq x width x layers bytes at 16 bits), the runtime's share. */
  double N = gpt_params(8, 2048, 50257);
  const TsDeviceRecord *v5e = tpu("v5e");
  double mem = 16.0 * N + 34.0 * 128 * 2048 * 8 + v5e->spec.runtime_reserved_bytes;
  assert_rel(r->peak_device, mem, 1e-9);

  /* The gradient all-reduce (2 N bytes), by hand (docs/model.md, "TPU slices"): inside a 16x16 slice each
   * dimension is a bidirectional ring at 2 x 50 GB/s x 0.80, both at once on half the payload, 1 us per hop;
   * between the 2 slices each chip all-reduces its 1/256 share at 25 Gbit/s x 0.80 (v5e: 2 x 100 Gbit/s per
   * host / 8 chips), 20 us per hop.  Exposed: what the backward pass (2/3 of the compute) does not hide. */
  double B = 2.0 * N, ici = 2 * 50e9 * 0.80, dcn = 25e9 / 8 * 0.80;
  double in_slice = 2.0 * 15 / 16 * (B / 2) / ici * (1.0 + 1.0 / 16) + 2 * (2 * 15 * 1e-6);
  double across = 2.0 * 1 / 2 * (B / 256) / dcn + 2 * 1 * 20e-6;
  double t_dp = in_slice + across;
  g_assert_cmpfloat(t_dp, >, r->step.compute * 2 / 3);
  assert_rel(r->step.data_exposed, t_dp - r->step.compute * 2 / 3 * test_stack_overlap(registry, "eager"), 1e-9);
  double compute2 = r->step.compute;
  ts_run_free(run);

  /* One slice, the same per-chip batch: the same compute, and no DCN term. */
  g_autofree char *one = g_strdup_printf(MULTISLICE, 1, 256);
  run = run_text(one, &error);
  g_assert_no_error(error);
  r = ts_run_get_results(run);
  g_assert_cmpuint(r->devices, ==, 256);
  assert_rel(r->step.compute, compute2, 1e-12);
  assert_rel(r->step.data_exposed, in_slice - r->step.compute * 2 / 3 * test_stack_overlap(registry, "eager"), 1e-9);
  ts_run_free(run);
}

/* A slice-hour price bills every slice of a multislice run. */
static void
test_multislice_billing(void)
{
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(
    "local pod = cluster { accelerator = tpu { slice = 'v5e-256', slices = 4, price = '100 USD/slice-hour' } }\n"
    "run(pod, function(r) r:provision(pod.accelerator) r:wait('1 h') r:release(pod.accelerator) end)\n", &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  assert_rel(r->cost_total, 4 * 100.0, 1e-12);
  ts_run_free(run);
}

/* A generation with no published DCN figure joins slices at the scenario's network rate, per host. */
static void
test_multislice_network_given(void)
{
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(
    "local pod = cluster { accelerator = tpu { slice = 'v3-32', slices = 4, network = '100 Gbit/s' } }\n"
    "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 4, width = 2048, seq = 128 }\n"
    "run(pod, function(r)\n"
    "  r:train { model = m, data = d, batch = 64, steps = 3, precision = 'bf16', optimizer = 'adam' }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(r->devices, ==, 64); /* 4 x 16 chips */
  /* v3-32 is 4x4 at the catalog's link rate; 100 Gbit/s per host / 4 chips per v3 host. */
  const TsDeviceRecord *v3 = tpu("v3");
  double N = gpt_params(4, 2048, 50257), B = 2.0 * N;
  double ici = 2 * v3->spec.link_bandwidth * 0.80, dcn = 100e9 / 8 / 4 * 0.80;
  double in_slice = 2.0 * 3 / 4 * (B / 2) / ici * (1.0 + 1.0 / 4) + 2 * (2 * 3 * 1e-6);
  double across = 2.0 * 3 / 4 * (B / 16) / dcn + 2 * 3 * 20e-6;
  double t_dp = in_slice + across;
  double hidden = r->step.compute * 2 / 3 * test_stack_overlap(registry, "eager");
  assert_rel(r->step.data_exposed, t_dp > hidden ? t_dp - hidden : 0.0, 1e-9);
  g_assert_cmpfloat(r->step.data_exposed, >, 0);
  ts_run_free(run);
}

/* ---- hybrid sharding ---- */

#define HYBRID                                                                                                  \
  "local pod = cluster { accelerator = tpu { slice = 'v5e-256', slices = 2 } }\n"                                \
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"                                  \
  "local m = models.gpt { layers = 8, width = 2048, seq = 128 }\n"                                              \
  "run(pod, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = 512, steps = 3, precision = 'bf16', optimizer = 'adam',\n"          \
  "            parallel = { zero = 3%s } }\n"                                                                   \
  "end)\n"

static void
test_hybrid_sharding(void)
{
  /* ZeRO-3 sharded within each v5e-256 slice (shard_group = 256) and replicated across the 2 slices, as
   * MaxText's ici_fsdp_parallelism = -1 with the default dcn_data_parallelism lays a multislice run out. */
  g_autoptr(GError) error = NULL;
  g_autofree char *hybrid = g_strdup_printf(HYBRID, ", shard_group = 256");
  TsRun *run = run_text(hybrid, &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  double N = gpt_params(8, 2048, 50257);
  const TsDeviceRecord *v5e = tpu("v5e");
  double act = 34.0 * 128 * 2048 * 8, reserved = v5e->spec.runtime_reserved_bytes;
  /* Memory: weights 2, gradients 2, master 4 and Adam 8 bytes per parameter, all sharded over 256 ranks. */
  assert_rel(r->peak_device, 16.0 * N / 256 + act + reserved, 1e-9);
  /* Time: per micro-batch (one here) two all-gathers of the weights and a reduce-scatter of the gradients
   * inside the slice, each half of the slice's torus all-reduce of 2N bytes; once per step an all-reduce of
   * each chip's 1/256 share with its peer in the other slice over the DCN.  Hidden under the whole compute. */
  double B = 2.0 * N, ici = 2 * 50e9 * 0.80, dcn = 25e9 / 8 * 0.80;
  double torus = 2.0 * 15 / 16 * (B / 2) / ici * (1.0 + 1.0 / 16) + 2 * (2 * 15 * 1e-6);
  double across = 2.0 * 1 / 2 * (B / 256) / dcn + 2 * 1 * 20e-6;
  double t_dp = 3 * torus / 2 + across;
  g_assert_cmpfloat(t_dp, >, r->step.compute);
  assert_rel(r->step.data_exposed, t_dp - r->step.compute * test_stack_overlap(registry, "eager"), 1e-9);
  ts_run_free(run);

  /* ZeRO-3 over all 512 ranks: the state is sharded twice as far, and every gather and scatter crosses the
   * DCN (the hierarchical collective of the first test, halved for each). */
  g_autofree char *flat = g_strdup_printf(HYBRID, "");
  run = run_text(flat, &error);
  g_assert_no_error(error);
  r = ts_run_get_results(run);
  assert_rel(r->peak_device, 16.0 * N / 512 + act + reserved, 1e-9);
  double flat_dp = 3 * (torus + across) / 2;
  assert_rel(r->step.data_exposed, flat_dp - r->step.compute * test_stack_overlap(registry, "eager"), 1e-9);
  ts_run_free(run);

  /* A group that does not divide the data-parallel replicas is refused. */
  g_autofree char *bad = g_strdup_printf(HYBRID, ", shard_group = 300");
  run = run_text(bad, &error);
  g_assert_null(run);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "shard_group 300 does not divide the 512 data-parallel replicas"));
}

/* ---- gradient precision ---- */

static void
test_grad_precision(void)
{
  /* fp32 training on 8 V100s (one NVLink node) reducing its gradients in bf16: the gradient buffers and the
   * all-reduce are 2 bytes per parameter instead of 4. */
#define GRAD_FMT \
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 8, price = '1 USD/device-hour' } }\n" \
    "local d = dataset { samples = 100000, bytes = '1 GB' }\n" \
    "local m = model { params = 1e8, flops = 1e6, activations = '1 MB' }\n" \
    "run(box, function(r)\n" \
    "  r:train { model = m, data = d, batch = 8, steps = 3, precision = 'fp32', optimizer = 'adam'%s }\n" \
    "end)\n"
  const TsDeviceRecord *v100 = ts_registry_find_device(registry, "gpu", "V100-SXM2-16GB", NULL, NULL);
  g_assert_nonnull(v100);
  double N = 1e8, reserved = v100->spec.runtime_reserved_bytes;
  /* Ring all-reduce inside the node: 6 NVLink2 links x 25 GB/s x 0.78, 5 us per hop (docs/model.md). */
  double bw = 6 * 25e9 * 0.78, lat = 5e-6;
  const char *option[2] = {"", ", parallel = { grad_precision = 'bf16' }"};
  double grad_bytes[2] = {4, 2};
  for (int i = 0; i < 2; i++) {
    g_autofree char *text = g_strdup_printf(GRAD_FMT, option[i]);
    g_autoptr(GError) error = NULL;
    TsRun *run = run_text(text, &error);
    g_assert_no_error(error);
    const TsResults *r = ts_run_get_results(run);
    /* fp32 weights 4 + gradients + Adam 8 bytes per parameter; 1 MB of 16-bit activations per sample, x2 at
     * fp32, one sample per GPU. */
    assert_rel(r->peak_device, N * (4 + grad_bytes[i] + 8) + 2e6 + reserved, 1e-9);
    double B = N * grad_bytes[i];
    double ring = 2.0 * 7 / 8 * B / bw + 2 * 7 * lat;
    assert_rel(r->step.data_exposed, ring - r->step.compute * 2 / 3 * test_stack_overlap(registry, "eager"), 1e-9);
    ts_run_free(run);
  }
}

/* ---- sequence parallelism and tensor-parallel overlap ---- */

#define TENSOR_FMT                                                                                              \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 8, price = '1 USD/device-hour' } }\n" \
  "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"                                    \
  "local m = models.gpt { layers = 4, width = 2048, seq = 1024 }\n"                                              \
  "run(box, function(r)\n"                                                                                       \
  "  r:train { model = m, data = d, batch = 2, steps = 3, precision = 'bf16', optimizer = 'adam',\n"             \
  "            parallel = { tensor = 8%s } }\n"                                                                  \
  "end)\n"

static const TsResults *
tensor_run(const char *option, TsRun **run)
{
  g_autofree char *text = g_strdup_printf(TENSOR_FMT, option);
  g_autoptr(GError) error = NULL;
  *run = run_text(text, &error);
  g_assert_no_error(error);
  return ts_run_get_results(*run);
}

static void
test_sequence_parallel(void)
{
  /* 8-way tensor parallelism over one A100 node, one replica with the whole batch of 2 sequences at once. */
  const TsDeviceRecord *a100 = ts_registry_find_device(registry, "gpu", "A100-SXM4-80GB", NULL, NULL);
  g_assert_nonnull(a100);
  double N = gpt_params(4, 2048, 50257), reserved = a100->spec.runtime_reserved_bytes;
  double sbhL = 2.0 * 1024 * 2048 * 4; /* micro-batch x seq x width x layers */
  double state = N / 8 * 16;           /* bf16 weights 2, gradients 2, master 4, Adam 8 */
  /* Korthikanti et al. 2022, per layer and element at 16 bits: eq. 2 without sequence parallelism, 10 + 24/t
   * bytes; eq. 3 with it, 34/t; full recomputation keeps the layer's input, 2 bytes, split only with it. */
  double act[2][2] = {{(10 + 24.0 / 8) * sbhL, 2 * sbhL}, {34.0 / 8 * sbhL, 2.0 / 8 * sbhL}};
  /* The tensor-parallel traffic: 4 all-reduces per layer of micro x seq x width x 2 bytes (6 with full
   * recomputation), the fastest of a ring and a tree over 8 GPUs on 12 NVLink3 links x 25 GB/s x 0.78, 5 us per
   * hop; with sequence parallelism each is an all-gather and a reduce-scatter, half of it each. */
  double B = 2.0 * 1024 * 2048 * 2, bw = 12 * 25e9 * 0.78, lat = 5e-6;
  double ring = 2.0 * 7 / 8 * B / bw + 2 * 7 * lat, tree = 2.0 * B / bw + 2 * 3 * lat;
  double all_reduce = MIN(ring, tree);
  const char *options[2][2] = {{"", ", recompute = true"},
                               {", sequence_parallel = true", ", sequence_parallel = true, recompute = true"}};
  double tensor[2][2];
  for (int sp = 0; sp < 2; sp++)
    for (int rc = 0; rc < 2; rc++) {
      TsRun *run;
      const TsResults *r = tensor_run(options[sp][rc], &run);
      assert_rel(r->peak_device, state + act[sp][rc] + reserved, 1e-9);
      assert_rel(r->step.tensor, (4.0 + 2.0 * rc) * all_reduce * 4, 1e-9);
      tensor[sp][rc] = r->step.tensor;
      ts_run_free(run);
    }
  /* The same volume either way: sequence parallelism saves memory, not time (in this collective model). */
  assert_rel(tensor[1][0], tensor[0][0], 1e-12);
  /* The saving itself: (10 + 3) / 4.25 of the activations. */
  g_assert_cmpfloat(act[0][0] / act[1][0], >, 3.0);
}

static void
test_tp_overlap(void)
{
  TsRun *plain, *over, *all;
  const TsResults *r0 = tensor_run("", &plain);
  const TsResults *r1 = tensor_run(", tp_overlap = 0.75", &over);
  const TsResults *r2 = tensor_run(", tp_overlap = 1", &all);
  /* A quarter of the traffic stays exposed, and the step is shorter by the hidden three quarters; memory is
   * unchanged.  Everything hidden: no tensor-parallel term at all. */
  assert_rel(r1->step.tensor, 0.25 * r0->step.tensor, 1e-12);
  /* (the step time is counted in the engine's ticks, hence the looser tolerance) */
  assert_rel(r1->step_time_s, r0->step_time_s - 0.75 * r0->step.tensor, 1e-6);
  assert_rel(r1->peak_device, r0->peak_device, 1e-15);
  g_assert_cmpfloat(r2->step.tensor, ==, 0.0);
  assert_rel(r2->step_time_s, r0->step_time_s - r0->step.tensor, 1e-6);
  ts_run_free(plain);
  ts_run_free(over);
  ts_run_free(all);
  /* Outside 0..1 is refused at the scenario's line. */
  g_autofree char *bad = g_strdup_printf(TENSOR_FMT, ", tp_overlap = 1.5");
  g_autoptr(GError) error = NULL;
  g_assert_null(run_text(bad, &error));
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, ":5: r:train: parallel.tp_overlap: expected the fraction"));
}

/* ---- evaluation every N steps, N epochs or a duration ---- */

#define EVAL_FMT                                                                                                \
  "local pod = cluster { accelerator = tpu { slice = 'v3-8' }, host = { disk = '1 TB' } }\n"                     \
  "local d = dataset { samples = 102400, bytes = '1 GB', eval_samples = 10240 }\n"                               \
  "run(pod, function(r)\n"                                                                                       \
  "  r:provision(pod.accelerator)\n"                                                                             \
  "  r:train { model = models.resnet50, data = d, precision = 'bf16', batch = 1024, epochs = 3,\n"               \
  "            eval = { every = '%s'%s } }\n"                                                                    \
  "end)\n"

/* The time of one evaluation pass, by hand: ResNet-50 is listed with its operations, so a pass is its forward
 * launches alone (docs/model.md, "Evaluation passes") -- the samples split over the 4 chips' data-parallel
 * replicas, each share in micro-batches of the training's 256 per chip (the last one padded to it), each
 * micro-batch every forward operation of the list through the device (the oracle for its rate), the fusible
 * ones' bytes at the default stack's fusion. */
static double
eval_pass(double samples)
{
  const TsPlugin *plugin = NULL;
  const TsDeviceRecord *v3 = ts_registry_find_device(registry, "tpu", "v3", &plugin, NULL);
  g_assert_nonnull(v3);
  g_autoptr(GError) error = NULL;
  TsDevice *dev = ts_device_new(plugin, v3, &error);
  g_assert_no_error(error);
  TsStackConstants stack = {.size = sizeof stack, .fusion = 1.0, .overlap = 1.0};
  gboolean calibrated;
  g_assert_true(ts_stack_get_constants(registry, dev, TS_STACK_DEFAULT, &stack, &calibrated, &error));
  TsModel m = {.name = "resnet50", .arch = TS_MODEL_ARCH_RESNET50, .image = 224, .classes = 1000};
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 1024 / 4;
  ctx.forward_only = TRUE; /* bf16: 2 bytes per value and weight, the context's default */
  g_autoptr(GArray) ops = g_array_new(FALSE, FALSE, sizeof(TsModelOp));
  g_assert_true(ts_model_ops_append(&m, &ctx, ops, &error));
  double micro_s = 0, host_s = 0;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    TsOperation o;
    ts_operation_init(&o);
    o.kind = op->kind;
    o.precision = "bf16";
    o.workload = "conv";
    o.stack = ts_stack_get_name(TS_STACK_DEFAULT);
    o.flops = op->flops;
    o.bytes = op->bytes * (op->fusible ? stack.fusion : 1.0);
    o.count = op->count * (op->fusible ? stack.fusion : 1.0);
    o.m = op->m;
    o.n = op->n;
    o.k = op->k;
    o.batch = ctx.micro;
    double t = 0;
    gboolean by_plugin;
    g_assert_true(ts_device_operation_time(dev, &o, &t, &by_plugin, &error));
    micro_s += t;
    host_s += o.count * stack.launch_s;
  }
  /* The host enqueues the pass's launches ahead of the device: the larger of the two (core/run/compute.c). */
  micro_s = MAX(micro_s, host_s);
  ts_device_free(dev);
  return ceil(samples / 4 / ctx.micro) * micro_s;
}

/* A tiny GPT trained 20 steps on 8 H100 with `parallel` (a Lua table's fields) and an evaluation of `samples`
 * every 10 steps: the run, with its two evaluations checked. */
static TsRun *
run_tiny_gpt_eval(const char *parallel, int samples)
{
  g_autofree char *text = g_strdup_printf(
      "local c = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 8, per_node = 8 } }\n"
      "local d = dataset { samples = 64000, bytes = '1 GB', kind = 'tokens' }\n"
      "local m = models.gpt { name = 'tiny', layers = 4, width = 512, heads = 8, seq = 128, vocab = 1000 }\n"
      "run(c, function(r)\n"
      "  r:train { model = m, data = d, precision = 'bf16', batch = 16, micro_batch = 2, steps = 20,\n"
      "            parallel = { %s }, eval = { every = '10 steps', samples = %d } }\n"
      "end)\n", parallel, samples);
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(ts_run_get_results(run)->evaluations, ==, 2);
  return run;
}

/* A forward-only pass through a pipeline of 2 stages fills and drains once: n micro-batches take n + 1 stage
 * slots, so 3 micro-batches per replica take twice as long as 1 (4 slots against 2), not three times. */
static void
test_eval_pipeline(void)
{
  double pass[2];
  const int samples[2] = {4 * 2, 4 * 2 * 3}; /* 4 replicas x micro-batch 2: 1 and 3 micro-batches each */
  for (int i = 0; i < 2; i++) {
    TsRun *run = run_tiny_gpt_eval("pipeline = 2", samples[i]);
    pass[i] = ts_run_get_results(run)->eval_pass_s;
    g_assert_cmpfloat(pass[i], >, 0);
    ts_run_free(run);
  }
  assert_rel(pass[1], 2 * pass[0], 1e-5); /* each pass counted in whole engine ticks (ns) */
}

/* An evaluation micro-batch runs the forward share of the training's tensor-parallel collectives: 2 of the 4 per
 * layer and micro-batch (no recomputation here), hidden by the same fraction.  Two runs differ only in
 * parallel.tp_overlap (0: all of it exposed; 1: all of it hidden, so the pass is the operations alone); the
 * difference per evaluation micro-batch is half the training's tensor-parallel term per micro-batch. */
static void
test_eval_collectives(void)
{
  double pass[2], tensor = 0;
  const char *parallel[2] = {"tensor = 4, tp_overlap = 0", "tensor = 4, tp_overlap = 1"};
  for (int i = 0; i < 2; i++) {
    TsRun *run = run_tiny_gpt_eval(parallel[i], 24);
    const TsResults *r = ts_run_get_results(run);
    pass[i] = r->eval_pass_s;
    if (i == 0)
      tensor = r->step.tensor;
    else
      g_assert_cmpfloat(r->step.tensor, ==, 0.0);
    ts_run_free(run);
  }
  g_assert_cmpfloat(tensor, >, 0);
  /* 2 replicas (8 GPUs / tensor 4), micro-batch 2: the training runs 16 / 2 / 2 = 4 micro-batches a step, the
   * pass 24 / 2 / 2 = 6. */
  assert_rel(pass[0] - pass[1], 6 * (tensor / 4) / 2, 1e-5); /* passes counted in whole engine ticks (ns) */
}

static void
test_eval_every(void)
{
  /* 102,400 samples at batch 1024: 100 steps an epoch, 300 steps in all. */
  struct {
    const char *every, *samples;
    guint passes;
    double per_pass;
  } cases[] = {
    {"1 epochs", "", 3, 10240},            /* after steps 100, 200, 300: the dataset's evaluation set */
    {"50 steps", ", samples = 5120", 6, 5120}, /* after 50, 100, ..., 300 */
    {"0.5 epochs", "", 6, 10240},
    {"100 steps", ", samples = 1028", 3, 1028}, /* 257 per chip: a second micro-batch, padded to 256 */
  };
  double step = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text = g_strdup_printf(EVAL_FMT, cases[i].every, cases[i].samples);
    g_autoptr(GError) error = NULL;
    TsRun *run = run_text(text, &error);
    g_assert_no_error(error);
    const TsResults *r = ts_run_get_results(run);
    g_assert_cmpuint(r->steps, ==, 300);
    g_assert_cmpuint(r->evaluations, ==, cases[i].passes);
    g_assert_cmpuint(r->eval_samples, ==, (guint64) cases[i].per_pass);
    double pass = eval_pass(cases[i].per_pass);
    assert_rel(r->eval_pass_s, pass, 1e-6); /* counted in engine ticks */
    assert_rel(r->eval_time_s, cases[i].passes * pass, 1e-6);
    /* The training phase is its steps and its passes, nothing else (no checkpoints, no failures). */
    assert_rel(r->train_time_s, 300 * r->step_time_s + cases[i].passes * pass, 1e-9);
    step = r->step_time_s;
    ts_run_free(run);
  }
  /* Every so much training time: whole steps, as checkpoints count it -- 40 steps' worth is every 40 steps,
   * so after 40, 80, ..., 280 (not at 300). */
  g_autofree char *dur = g_strdup_printf("%.9f s", 40 * step);
  g_autofree char *text = g_strdup_printf(EVAL_FMT, dur, "");
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(r->evaluations, ==, 7);
  assert_rel(r->train_time_s, 300 * r->step_time_s + 7 * eval_pass(10240), 1e-9);
  ts_run_free(run);

  /* A dataset without an evaluation set and no eval.samples: not timed, and said so. */
  run = run_text("local pod = cluster { accelerator = tpu { slice = 'v3-8' }, host = { disk = '1 TB' } }\n"
                 "local d = dataset { samples = 102400, bytes = '1 GB' }\n"
                 "run(pod, function(r)\n"
                 "  r:train { model = models.resnet50, data = d, precision = 'bf16', batch = 1024, epochs = 1,\n"
                 "            eval = { every = '10 steps' } }\n"
                 "end)\n", &error);
  g_assert_no_error(error);
  r = ts_run_get_results(run);
  g_assert_cmpuint(r->evaluations, ==, 0);
  const GPtrArray *diags = ts_run_get_diagnostics(run);
  gboolean said = FALSE;
  for (guint i = 0; i < diags->len; i++)
    said = said || strcmp(((const TsDiagnostic *) g_ptr_array_index(diags, i))->code, "eval-samples-unknown") == 0;
  g_assert_true(said);
  ts_run_free(run);
}

/* ---- packed sequences and padding ---- */

#define PACKING_FMT                                                                                             \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 8, price = '1 USD/device-hour' } }\n" \
  "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"                                    \
  "local m = models.gpt { layers = 4, width = 2048, seq = 1024 }\n"                                              \
  "run(box, function(r)\n"                                                                                       \
  "  r:train { model = m, data = d, batch = 64, %s, precision = 'bf16', optimizer = 'adam'%s }\n"                \
  "end)\n"

static void
test_packing(void)
{
  const char *lengths[] = {"tokens = 1e8", "epochs = 2"};
  for (int l = 0; l < 2; l++) {
    const char *options[] = {"", ", packing = true", ", padding = 0.2", ", padding = 0.5"};
    double pad[] = {0, 0, 0.2, 0.5};
    double step0 = 0, mem0 = 0;
    for (int i = 0; i < 4; i++) {
      g_autofree char *text = g_strdup_printf(PACKING_FMT, lengths[l], options[i]);
      g_autoptr(GError) error = NULL;
      TsRun *run = run_text(text, &error);
      g_assert_no_error(error);
      const TsResults *r = ts_run_get_results(run);
      /* Steps by hand: 10^8 useful tokens in sequences of 1,024 with (1 - p) of them useful, 64 a step; or two
       * epochs of 100,000 useful sequences, ceil(100,000 / (64 (1 - p))) steps each. */
      double useful = 1.0 - pad[i];
      guint64 steps = l == 0 ? (guint64) ceil(1e8 / (64.0 * 1024 * useful))
                             : 2 * (guint64) ceil(100000 / (64.0 * useful));
      g_assert_cmpuint(r->steps, ==, steps);
      if (i == 0) {
        step0 = r->step_time_s;
        mem0 = r->peak_device;
        g_assert_cmpuint(r->steps, ==, l == 0 ? 1526 : 2 * 1563);
      }
      /* A padded step is as long and as large as a packed one: the devices process the padding too. */
      g_assert_cmpfloat(r->step_time_s, ==, step0);
      g_assert_cmpfloat(r->peak_device, ==, mem0);
      assert_rel(r->compute_time_s, steps * step0, 1e-9);
      /* Throughput counts the useful samples. */
      assert_rel(r->samples_per_s, 64 * useful / step0, 1e-12);
      ts_run_free(run);
    }
  }
}

/* ---- a batch ramp in one r:train ---- */

#define RAMP_FMT                                                                                                \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 8, price = '1 USD/device-hour' } }\n" \
  "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"                                    \
  "local m = models.gpt { layers = 4, width = 2048, seq = 1024 }\n"                                              \
  "run(box, function(r)\n"                                                                                       \
  "  r:train { model = m, data = d, batch = %s, tokens = 1e8, precision = 'bf16', optimizer = 'adam'%s }\n"       \
  "end)\n"

#define RAMP "{ {upto = '2e7 tokens', size = 16}, {['until'] = '50000 samples', size = 32}, {size = 64} }"

static void
test_batch_ramp(void)
{
  /* The step of each size alone (one step of a plain run at that batch): what each segment's steps take. */
  double step[3], mem64 = 0;
  const char *sizes[3] = {"16", "32", "64"};
  for (int i = 0; i < 3; i++) {
    g_autofree char *text = g_strdup_printf(RAMP_FMT, sizes[i], "");
    g_autoptr(GError) error = NULL;
    TsRun *run = run_text(text, &error);
    g_assert_no_error(error);
    step[i] = ts_run_get_results(run)->step_time_s;
    if (i == 2)
      mem64 = ts_run_get_results(run)->peak_device;
    ts_run_free(run);
  }
  g_autofree char *text = g_strdup_printf(RAMP_FMT, RAMP, "");
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  /* By hand: 10^8 tokens are 97,656.25 sequences of 1,024.  Batch 16 until 2 x 10^7 tokens = 19,531.25
   * sequences: ceil(19,531.25 / 16) = 1,221 steps; batch 32 until 50,000 sequences: ceil(30,468.75 / 32) = 953;
   * batch 64 for the remaining 47,656.25: ceil(744.6) = 745. */
  guint64 steps[3] = {1221, 953, 745};
  g_assert_cmpuint(r->ramp_segments, ==, 3);
  for (int i = 0; i < 3; i++) {
    g_assert_cmpuint(r->ramp_steps[i], ==, steps[i]);
    g_assert_cmpuint(r->ramp_size[i], ==, (guint64) (16 << i));
    g_assert_cmpfloat(r->ramp_step_s[i], ==, step[i]);
  }
  g_assert_cmpuint(r->steps, ==, 1221 + 953 + 745);
  double by_hand = 1221 * step[0] + 953 * step[1] + 745 * step[2];
  assert_rel(r->compute_time_s, by_hand, 1e-9);
  assert_rel(r->train_time_s, by_hand, 1e-9);
  /* Memory at the largest batch; the step terms and throughput are the final batch's. */
  g_assert_cmpfloat(r->peak_device, ==, mem64);
  g_assert_cmpfloat(r->step_time_s, ==, step[2]);
  assert_rel(r->samples_per_s, 64 / step[2], 1e-12);
  ts_run_free(run);

  /* With checkpoints and failures, one event per step and one per run of identical steps agree exactly. */
  g_autofree char *fail = g_strdup_printf(RAMP_FMT, RAMP, ", checkpoint = { every = '500 steps', keep = 1 }, "
                                          "failures = { mtbf = '1 h', restart = '10 s' }");
  TsRun *a = run_text_stepped(fail, FALSE, 3, &error);
  g_assert_no_error(error);
  TsRun *b = run_text_stepped(fail, TRUE, 3, &error);
  g_assert_no_error(error);
  const TsResults *ra = ts_run_get_results(a), *rb = ts_run_get_results(b);
  g_assert_cmpuint(ra->failures, >, 0);
  g_assert_cmpuint(ra->failures, ==, rb->failures);
  g_assert_true(ra->total_time_s == rb->total_time_s);
  g_assert_true(ra->lost_time_s == rb->lost_time_s);
  ts_run_free(a);
  ts_run_free(b);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/fidelity/multislice", test_multislice);
  g_test_add_func("/fidelity/multislice-network-given", test_multislice_network_given);
  g_test_add_func("/fidelity/multislice-billing", test_multislice_billing);
  g_test_add_func("/fidelity/hybrid-sharding", test_hybrid_sharding);
  g_test_add_func("/fidelity/grad-precision", test_grad_precision);
  g_test_add_func("/fidelity/sequence-parallel", test_sequence_parallel);
  g_test_add_func("/fidelity/tp-overlap", test_tp_overlap);
  g_test_add_func("/fidelity/eval-every", test_eval_every);
  g_test_add_func("/fidelity/eval-pipeline", test_eval_pipeline);
  g_test_add_func("/fidelity/eval-collectives", test_eval_collectives);
  g_test_add_func("/fidelity/packing", test_packing);
  g_test_add_func("/fidelity/batch-ramp", test_batch_ramp);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
