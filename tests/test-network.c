/* /network/...: the GPU plugin's collectives where NVLink reaches further than a ring inside one host -- NVLink
 * SHARP (in-switch reduction) inside an NVSwitch domain, the hierarchical all-reduce built on it, and the GB200
 * NVL72 rack as one NVLink domain of 72 GPUs across its 18 hosts of 4 -- each against numbers computed here by
 * hand from the formulas of docs/model.md ("GPU nodes"), not by calling the code under test. */
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
#include "run/run.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <math.h>
#include <string.h>

#define GIB 1073741824.0
/* The GPU plugin's published constants (plugins/gpu/gpu.c, docs/model.md "Link efficiencies"). */
#define BUS_EFF 0.78
#define NET_EFF 0.80
#define NVLS_EFF 0.61
#define NVLINK_LAT 5e-6
#define NET_LAT 10e-6

static TsRegistry *registry;

static const TsDeviceRecord *
gpu(const char *sku)
{
  g_autoptr(GError) error = NULL;
  const TsDeviceRecord *d = ts_registry_find_device(registry, "gpu", sku, NULL, &error);
  g_assert_no_error(error);
  g_assert_nonnull(d);
  return d;
}

static TsDevice *
device(const TsDeviceRecord *rec)
{
  g_autoptr(GError) error = NULL;
  TsDevice *dev = ts_device_new(ts_registry_find(registry, "gpu"), rec, &error);
  g_assert_no_error(error);
  g_assert_nonnull(dev);
  return dev;
}

static double
all_reduce(TsDevice *dev, TsAlgorithm algorithm, guint n, guint per_node, double bytes)
{
  TsCollective c;
  ts_collective_init(&c);
  c.kind = TS_COLLECTIVE_ALL_REDUCE;
  c.algorithm = algorithm;
  c.participants = n;
  c.per_node = per_node;
  c.bytes = bytes;
  double t = -1;
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_device_collective_time(dev, &c, &t, &error));
  g_assert_no_error(error);
  return t;
}

static double
ring(double bytes, double n, double bw, double lat)
{
  return n <= 1 ? 0.0 : 2.0 * (n - 1) / n * bytes / bw + 2.0 * (n - 1) * lat;
}

/* ---- in-switch reduction ---- */

static void
test_nvlink_sharp(void)
{
  /* H100 SXM: 18 NVLink4 links of 25 GB/s per direction (450 GB/s), nvlink_sharp = 1 in the catalog. */
  const TsDeviceRecord *h100 = gpu("H100-SXM5-80GB");
  g_assert_cmpfloat(h100->spec.nvlink_sharp, ==, 1);
  g_assert_cmpfloat(gpu("H200-SXM-141GB")->spec.nvlink_sharp, ==, 1);
  g_assert_cmpfloat(gpu("B200")->spec.nvlink_sharp, ==, 1);
  g_assert_cmpfloat(gpu("GB200")->spec.nvlink_sharp, ==, 1);
  g_assert_cmpfloat(gpu("A100-SXM4-80GB")->spec.nvlink_sharp, ==, 0); /* NVSwitch gen 2 does not reduce */
  TsDevice *dev = device(h100);
  const double line = 18 * 25e9, B = GIB;
  /* 8 GPUs: each sends B into the switch and reads the reduced B back at 0.61 of line rate, plus a switch round
   * trip; the ring would take 2 x 7/8 x B at 0.78 of line rate. */
  double sharp = B / (line * NVLS_EFF) + 2 * NVLINK_LAT;
  double ring8 = ring(B, 8, line * BUS_EFF, NVLINK_LAT);
  g_assert_cmpfloat(sharp, <, ring8);
  assert_rel(all_reduce(dev, TS_ALGORITHM_AUTO, 8, 8, B), sharp, 1e-12);
  /* As nccl-tests reports it: busbw = B / t x 2 x 7/8 = ~480 GB/s (NCCL's maintainer, nccl-tests #212). */
  assert_rel(B / sharp * 2 * 7 / 8, 480e9, 0.01);
  /* A forced ring is still the ring. */
  assert_rel(all_reduce(dev, TS_ALGORITHM_RING, 8, 8, B), ring8, 1e-12);
  /* 2 GPUs: the ring moves B once at 0.78 of line rate, faster than the switch's 0.61; it stays. */
  assert_rel(all_reduce(dev, TS_ALGORITHM_AUTO, 2, 2, B), ring(B, 2, line * BUS_EFF, NVLINK_LAT), 1e-12);
  ts_device_free(dev);

  /* The same H100 with the catalog field cleared: no in-switch reduction, the ring. */
  TsDeviceRecord shim = *h100;
  shim.spec.nvlink_sharp = 0;
  dev = device(&shim);
  assert_rel(all_reduce(dev, TS_ALGORITHM_AUTO, 8, 8, B), ring8, 1e-12);
  ts_device_free(dev);
}

/* ---- hierarchical ---- */

static void
test_hierarchical_allreduce(void)
{
  /* 4 DGX H100 nodes of 8, 8 x 400 Gbit/s NICs per node (50 GB/s per GPU): reduce-scatter and all-gather inside
   * the node by the switch (together B at 0.61 of line rate), then a ring all-reduce of each GPU's 1/8 share
   * across the 4 nodes at 0.80 of 50 GB/s, 10 us per hop. */
  TsDeviceRecord shim = *gpu("H100-SXM5-80GB");
  shim.spec.network_bandwidth = 400e9 / 8;
  TsDevice *dev = device(&shim);
  const double line = 18 * 25e9, net = 400e9 / 8 * NET_EFF, B = GIB;
  double in_node = B / (line * NVLS_EFF) + 2 * NVLINK_LAT;
  double across = 2.0 * 3 / 4 * (B / 8) / net + 2 * 3 * NET_LAT;
  double hier = in_node + across;
  assert_rel(all_reduce(dev, TS_ALGORITHM_HIERARCHICAL, 32, 8, B), hier, 1e-12);
  assert_rel(all_reduce(dev, TS_ALGORITHM_AUTO, 32, 8, B), hier, 1e-12);
  /* A flat ring over the 32 runs at the network share, with network latency. */
  double flat = 2.0 * 31 / 32 * B / net + 2 * 31 * NET_LAT;
  assert_rel(all_reduce(dev, TS_ALGORITHM_RING, 32, 8, B), flat, 1e-12);
  g_assert_cmpfloat(hier, <, flat / 5);
  ts_device_free(dev);
}

/* ---- the NVL72 rack as one NVLink domain ---- */

static guint
domain(const char *sku, guint devices, guint per_node)
{
  TsMachineGroup a;
  memset(&a, 0, sizeof a);
  a.record = gpu(sku);
  a.devices = devices;
  a.per_node = per_node;
  a.nodes = (devices + per_node - 1) / per_node;
  return ts_machine_group_get_domain(&a);
}

static void
test_nvl72_domain_size(void)
{
  /* GB200: nvlink_domain 72 (NVIDIA Mission Control's NVLink switch trays "connect GPUs in each rack (... 72 per
   * rack)"), hosts (compute trays) of 4 GPUs. */
  g_assert_cmpfloat(gpu("GB200")->nvlink_domain, ==, 72);
  g_assert_cmpuint(domain("GB200", 72, 4), ==, 72);
  g_assert_cmpuint(domain("GB200", 512, 4), ==, 72);
  g_assert_cmpuint(domain("GB200", 8, 4), ==, 8);  /* two trays of one rack */
  g_assert_cmpuint(domain("GB200", 4, 4), ==, 4);
  /* HGX boards: the fabric ends at the host (no nvlink_domain in the catalog). */
  g_assert_cmpfloat(gpu("B200")->nvlink_domain, ==, 0);
  g_assert_cmpuint(domain("B200", 64, 8), ==, 8);
  g_assert_cmpuint(domain("H100-SXM5-80GB", 3472, 8), ==, 8);
}

#define RACK_RUN                                                                                                \
  "local c = cluster { accelerator = gpu { sku = '%s', count = %d, per_node = 4, network = '1600 Gbit/s',"      \
  " price = '1 USD/device-hour' } }\n"                                                                          \
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"                                  \
  "local m = models.gpt { layers = 8, width = 4096, seq = 128 }\n"                                              \
  "run(c, function(r)\n"                                                                                        \
  "  r:train { stack = 'eager', model = m, data = d, batch = %d, steps = 3, precision = 'bf16',"                \
  " optimizer = 'adam' }\n"                                                                                     \
  "end)\n"

/* Runs a scenario that must run; its results (the run is *run's, to free). */
static const TsResults *
run_ok(const char *text, TsRun **run)
{
  g_autoptr(GError) error = NULL;
  *run = test_scenario_run_text(registry, text, NULL, NULL, &error);
  g_assert_no_error(error);
  return ts_run_get_results(*run);
}

/* The parameters of the runs' models.gpt{8 layers, width 4096}: 12 L d^2 + V d + norms (docs/model.md, "Models"). */
#define GPT8_PARAMS (12.0 * 8 * 4096 * 4096 + 50257.0 * 4096 + 2.0 * 8 * 4096 + 4096)

static const TsResults *
rack_run(const char *sku, int count, TsRun **run)
{
  g_autofree char *text = g_strdup_printf(RACK_RUN, sku, count, count);
  return run_ok(text, run);
}

/* The exposed part of a data-parallel reduction of t_dp seconds (docs/model.md, "The step"). */
static double
exposed(const TsResults *r, double t_dp)
{
  double hidden = r->step.compute * 2 / 3 * test_stack_overlap(registry, "eager");
  return t_dp > hidden ? t_dp - hidden : 0.0;
}

static void
test_nvl72_step(void)
{
  /* models.gpt{8 layers, width 4096}: 12 L d^2 + V d + norms (docs/model.md, "Models"), bf16 gradients 2 N bytes,
   * one sequence per GPU. */
  double N = GPT8_PARAMS, B = 2 * N;
  const double line = 18 * 50e9, net = 1600e9 / 8 / 4 * NET_EFF; /* NVLink 5; 4 x 400 Gbit/s per tray of 4 */
  double in_rack = B / (line * NVLS_EFF) + 2 * NVLINK_LAT;

  /* 72 GB200 in 18 trays: one NVLink domain, the whole reduction in the switches, no InfiniBand. */
  TsRun *run;
  const TsResults *r = rack_run("GB200", 72, &run);
  g_assert_cmpuint(r->nodes, ==, 18);
  g_assert_cmpfloat(in_rack, >, r->step.compute * 2 / 3); /* the check below sees the reduction */
  assert_rel(r->step.data_exposed, exposed(r, in_rack), 1e-9);
  ts_run_free(run);

  /* Two racks: the switches inside each, then each GPU's 1/72 share over the trays' NICs between the 2 racks. */
  r = rack_run("GB200", 144, &run);
  assert_rel(r->step.data_exposed, exposed(r, in_rack + ring(B / 72, 2, net, NET_LAT)), 1e-9);
  ts_run_free(run);

  /* The same chip on boards of 4 whose NVLink ends at the board (a B200 given per_node = 4): the domain is the
   * board; its 4 GPUs reduce in the switch (faster than their ring, 1.5 x B at 0.78), then 1/4 of the data
   * crosses InfiniBand between the 18 boards: several times the rack's time. */
  r = rack_run("B200", 72, &run);
  double board = fmin(B / (line * NVLS_EFF) + 2 * NVLINK_LAT, ring(B, 4, line * BUS_EFF, NVLINK_LAT));
  double boards = board + ring(B / 4, 18, net, NET_LAT);
  assert_rel(r->step.data_exposed, exposed(r, boards), 1e-9);
  g_assert_cmpfloat(boards, >, 3 * in_rack);
  ts_run_free(run);
}

/* ---- the data-parallel reduction's window ---- */

#define WINDOW_RUN                                                                                              \
  "local c = cluster { accelerator = gpu { sku = 'GB200', count = %d, per_node = 4, network = '1600 Gbit/s',"    \
  " price = '1 USD/device-hour' } }\n"                                                                          \
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"                                  \
  "local m = models.gpt { layers = 8, width = 4096, seq = %d }\n"                                               \
  "run(c, function(r)\n"                                                                                        \
  "  r:train { stack = 'eager', model = m, data = d, batch = %d, micro_batch = 1, steps = 3, precision = 'bf16',"  \
  " optimizer = 'adam', parallel = { %s } }\n"                                                                  \
  "end)\n"

static const TsResults *
window_run(int count, int seq, int batch, const char *parallel, TsRun **run)
{
  g_autofree char *text = g_strdup_printf(WINDOW_RUN, count, seq, batch, parallel);
  return run_ok(text, run);
}

static void
test_dp_window(void)
{
  /* 72 GB200 (one NVLink domain), plain data parallelism, 4 micro-batches of one sequence (512 tokens) per GPU
   * and step: the summed gradients (bf16, 2 N bytes) are all-reduced once, in the switches, from the last
   * micro-batch's backward pass on, so only that pass -- a quarter of the backward passes, 2/3 of the compute --
   * hides them (docs/model.md, "Data parallelism"). */
  double N = GPT8_PARAMS, B = 2 * N;
  const double line = 18 * 50e9, ov = test_stack_overlap(registry, "eager");
  double all_reduce = B / (line * NVLS_EFF) + 2 * NVLINK_LAT;
  TsRun *run;
  const TsResults *r = window_run(72, 512, 288, "zero = 0", &run);
  double backward = r->step.compute * 2 / 3 / 4, forward = r->step.compute / 3 / 4;
  g_assert_cmpfloat(all_reduce, >, ov * backward);
  g_assert_cmpfloat(all_reduce, <, ov * r->step.compute * 2 / 3); /* the whole backward pass would hide it */
  assert_rel(r->step.data_exposed, all_reduce - ov * backward, 1e-9);
  ts_run_free(run);

  /* One micro-batch per step: its backward pass is the whole of the backward, the window as before. */
  r = window_run(72, 512, 72, "zero = 0", &run);
  assert_rel(r->step.data_exposed, fmax(0.0, all_reduce - ov * r->step.compute * 2 / 3), 1e-9);
  ts_run_free(run);

  /* A distributed optimizer (zero = 1): a reduce-scatter of the gradients in the last micro-batch's backward
   * pass and an all-gather of the updated bf16 weights under the first micro-batch's forward pass, each half of
   * the all-reduce (the in-switch time B / (line x 0.61) halves, and one switch round trip of the two). */
  r = window_run(72, 512, 288, "zero = 1", &run);
  double half = B / 2 / (line * NVLS_EFF) + NVLINK_LAT;
  double zero1 = fmax(0.0, half - ov * backward) + fmax(0.0, half - ov * forward);
  g_assert_cmpfloat(zero1, >, 0);
  assert_rel(r->step.data_exposed, zero1, 1e-9);
  ts_run_free(run);
}

static void
test_dp_window_interleaved(void)
{
  /* 72 GB200 (one rack), 2 pipeline stages of 2 interleaved chunks each, 4 micro-batches per step, gradients
   * reduced in fp32 (so that the reduction outlasts the chunk passes): each stage's 36 data-parallel ranks reduce
   * their N / 2 parameters' gradients (2 N bytes) in the rack's switches.  The chunk holding the later layers
   * finishes its last micro-batch first and reduces its half while the other chunk's group of pp = 2 micro-batches
   * runs backward; the other half waits for the very last chunk pass: exposed = max(T/2 - p, T - 3 p), p = one
   * chunk pass (half a micro-batch's backward pass here) x overlap. */
  double N = GPT8_PARAMS;
  const double line = 18 * 50e9, ov = test_stack_overlap(registry, "eager");
  double T = 2 * N / (line * NVLS_EFF) + 2 * NVLINK_LAT;
  TsRun *run;
  const TsResults *r =
    window_run(72, 128, 144, "zero = 0, pipeline = 2, virtual = 2, grad_precision = 'fp32'", &run);
  double pass = ov * r->step.compute * 2 / 3 / 4 / 2;
  double want = fmax(0.0, fmax(T / 2 - pass, T - 3 * pass));
  g_assert_cmpfloat(T - 3 * pass, >, T / 2 - pass); /* the first chunk's wait is not the whole story */
  g_assert_cmpfloat(want, >, 0);
  assert_rel(r->step.data_exposed, want, 1e-9);
  ts_run_free(run);
}

/* ---- ZeRO-1 within a group (apex's DistributedFusedLAMB, parallel.shard_group / grad_reduce / dp_overlap) ---- */

#define ZERO1_RUN                                                                                               \
  "local c = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 32, per_node = 8,"                  \
  " network = '3200 Gbit/s', price = '1 USD/device-hour' } }\n"                                                 \
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"                                  \
  "local m = models.gpt { layers = 8, width = 4096, seq = 512 }\n"                                              \
  "run(c, function(r)\n"                                                                                        \
  "  r:train { stack = 'eager', model = m, data = d, batch = 32, micro_batch = 1, steps = 3, precision = 'bf16',"  \
  " optimizer = 'adam', parallel = { %s } }\n"                                                                  \
  "end)\n"

static TsRun *
zero1_run(const char *parallel, GError **error)
{
  g_autofree char *text = g_strdup_printf(ZERO1_RUN, parallel);
  return test_scenario_run_text(registry, text, NULL, NULL, error);
}

static const TsResults *
zero1_ok(const char *parallel, TsRun **run)
{
  g_autofree char *text = g_strdup_printf(ZERO1_RUN, parallel);
  return run_ok(text, run);
}

static void
test_zero1_shard_group(void)
{
  /* 4 DGX H100 nodes of 8 (50 GB/s of network per GPU), bf16 weights and gradients of 2 N bytes, one micro-batch
   * per step.  With dp_overlap = false nothing hides the traffic, so the exposed time is the collectives' sum. */
  double N = GPT8_PARAMS, B = 2 * N;
  const double line = 18 * 25e9, net = 400e9 / 8 * NET_EFF, ov = test_stack_overlap(registry, "eager");
  double in_node = B / (line * NVLS_EFF) + 2 * NVLINK_LAT;
  g_assert_cmpfloat(in_node, <, ring(B, 8, line * BUS_EFF, NVLINK_LAT)); /* the switch reduces */

  /* Groups of 16 ranks (2 nodes): the reduce-scatter and the all-gather each half a hierarchical all-reduce over
   * the group (the switch, then each GPU's 1/8 over the 2 nodes), and each rank's 1/16 share all-reduced by ring
   * with the rank holding it in the other group. */
  TsRun *run;
  const TsResults *r = zero1_ok("zero = 1, shard_group = 16, dp_overlap = false", &run);
  double in_group = in_node + ring(B / 8, 2, net, NET_LAT);
  double across = ring(B / 16, 2, net, NET_LAT);
  assert_rel(r->step.data_exposed, in_group + across, 1e-9);
  /* Sharded over all 32 (no group), one hierarchical all-reduce's worth over the 4 nodes: the same bytes, the
   * latency of a 4-node ring instead of two 2-node ones. */
  double group16_state = r->peak_device;
  ts_run_free(run);
  r = zero1_ok("zero = 1, dp_overlap = false", &run);
  assert_rel(r->step.data_exposed, in_node + ring(B / 8, 4, net, NET_LAT), 1e-9);
  /* The fp32 master weights and Adam's two moments (12 bytes a parameter) over 16 ranks instead of 32. */
  assert_rel(group16_state - r->peak_device, 12.0 * N * (1.0 / 16 - 1.0 / 32), 1e-6);
  double all32_update = r->step.update;
  ts_run_free(run);

  /* Groups of one node, gradients all-reduced over all 32 (full_ar): the whole hierarchical all-reduce, then the
   * weights gathered inside the node by the switch; the update runs on 1/8 of the state, 4 times the 1/32's. */
  r = zero1_ok("zero = 1, shard_group = 8, grad_reduce = 'all-reduce', dp_overlap = false", &run);
  double full = in_node + ring(B / 8, 4, net, NET_LAT), gather = B / 2 / (line * NVLS_EFF) + NVLINK_LAT;
  assert_rel(r->step.data_exposed, full + gather, 1e-9);
  assert_rel(r->step.update, 4 * all32_update, 1e-9);
  ts_run_free(run);

  /* dp_overlap = "reduce": the reduction under the backward pass (2/3 of the compute), the gather exposed. */
  r = zero1_ok("zero = 1, shard_group = 8, grad_reduce = 'all-reduce', dp_overlap = 'reduce'", &run);
  double hidden = ov * r->step.compute * 2 / 3;
  g_assert_cmpfloat(hidden, >, 0);
  assert_rel(r->step.data_exposed, fmax(0.0, full - hidden) + gather, 1e-9);
  ts_run_free(run);
  /* The default (true) hides the gather under the forward pass too. */
  r = zero1_ok("zero = 1, shard_group = 8, grad_reduce = 'all-reduce'", &run);
  assert_rel(r->step.data_exposed, fmax(0.0, full - hidden) + fmax(0.0, gather - ov * r->step.compute / 3), 1e-9);
  ts_run_free(run);

  /* Bad input, with the key named. */
  const char *bad[][2] = {
    {"zero = 0, grad_reduce = 'all-reduce'", "parallel.grad_reduce: says how ZeRO-1 reduces the gradients"},
    {"zero = 1, grad_reduce = 'ring'", "parallel.grad_reduce: expected one of reduce-scatter, all-reduce"},
    {"zero = 1, dp_overlap = 'yes'", "parallel.dp_overlap: expected true, false or \"reduce\""},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) error = NULL;
    run = zero1_run(bad[i][0], &error);
    g_assert_null(run);
    g_assert_nonnull(error);
    if (strstr(error->message, bad[i][1]) == NULL)
      g_error("%s: %s", bad[i][0], error->message);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/network/nvlink-sharp", test_nvlink_sharp);
  g_test_add_func("/network/hierarchical-allreduce", test_hierarchical_allreduce);
  g_test_add_func("/network/nvl72-domain", test_nvl72_domain_size);
  g_test_add_func("/network/nvl72-step", test_nvl72_step);
  g_test_add_func("/network/dp-window", test_dp_window);
  g_test_add_func("/network/dp-window-interleaved", test_dp_window_interleaved);
  g_test_add_func("/network/zero1-shard-group", test_zero1_shard_group);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
