/* /moe/...: mixture-of-experts expert parallelism (issue 12, item 6) -- the experts' share of the parameters
 * models.gpt counts, device memory with the experts sharded over the expert-parallel ranks, the dispatch and
 * combine all-to-alls and the gradient reduction of the experts -- each against numbers computed here by hand
 * from the formulas of docs/model.md; the collectives' seconds are the GPU plugin's answer for the bytes and
 * ranks computed here, never the run model's own. */
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
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

static const TsDeviceRecord *
h100(const TsPlugin **plugin)
{
  const TsDeviceRecord *d = ts_registry_find_device(registry, "gpu", "H100-SXM5-80GB", plugin, NULL);
  g_assert_nonnull(d);
  return d;
}

/* The GPU plugin's answer for one collective on the scenarios' H100s (a network of 3200 Gbit/s per node). */
static double
h100_collective(TsCollectiveKind kind, guint participants, guint per_node, double bytes)
{
  /* 3200 Gbit/s per node of 8 GPUs, in bytes/s per GPU */
  double t = test_collective_time(registry, "gpu", "H100-SXM5-80GB", 3200e9 / 8 / 8, kind, participants, per_node,
                                  bytes);
  g_assert_cmpfloat(t, >, 0);
  return t;
}

/* The test model: 4 layers of width 1024, 16 experts of FFN 4096 (not gated), top-2, vocabulary 1000, tied
 * embeddings.  Per layer attention 4 d^2, 16 experts of 2 d ffn, a router of d x 16, two norms of d; plus the
 * embedding V d and a final norm d (docs/model.md, "Models"). */
#define D 1024.0
#define LAYERS 4.0
#define SEQ 512.0
#define MOE_MODEL                                                                                               \
  "local m = models.gpt { name = 'moe', layers = 4, width = 1024, seq = 512, vocab = 1000, experts = 16,\n"    \
  "                       active_experts = 2 }\n"

static double
model_params(void)
{
  return LAYERS * (4 * D * D + 16 * 2 * D * 4096 + D * 16 + 2 * D) + 1000 * D + D;
}

static double
model_expert_params(void)
{
  return LAYERS * 16 * 2 * D * 4096;
}

#define CLUSTER16                                                                                               \
  "local box = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 16, per_node = 8,\n"              \
  "                                          network = '3200 Gbit/s', price = '2 USD/device-hour' } }\n"        \
  "local d = dataset { name = 'tokens', samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"

/* models.gpt's mixture-of-experts shape: expert_ffn, shared experts (dense, always active) and leading dense
 * layers, counted by hand. */
static void
test_params(void)
{
  GError *error = NULL;
  TsRun *run = run_text(
    "local e = models.gpt { layers = 6, width = 64, vocab = 100, ffn = 512, gated = true, experts = 8,\n"
    "                       active_experts = 2, expert_ffn = 32, shared_experts = 1, dense_layers = 2 }\n"
    "local attention, router, norms = 4 * 64 * 64, 64 * 8, 2 * 64\n"
    "local expert, dense_ffn = 3 * 64 * 32, 3 * 64 * 512\n"
    "local dense_part = 2 * (attention + dense_ffn + norms) + 100 * 64 + 64\n"
    "assert(e.params == 4 * (attention + 9 * expert + router + norms) + dense_part, 'params ' .. e.params)\n"
    "assert(e.active_params == 4 * (attention + 3 * expert + router + norms) + dense_part, 'active')\n"
    "assert(e.expert_params == 4 * 8 * expert, 'expert_params ' .. e.expert_params)\n"
    "assert(e.moe_layers == 4 and e.active_experts == 2 and e.experts == 8, 'layers')\n"
    /* DeepSeek-V3's routed experts by its published shape (arXiv 2412.19437, sec. 4.2): 58 MoE layers of
     * 256 experts of 3 x 7168 x 2048. */
    "local v3 = models.gpt { layers = 61, width = 7168, vocab = 129280, ffn = 18432, gated = true,\n"
    "                        experts = 256, active_experts = 8, expert_ffn = 2048, shared_experts = 1,\n"
    "                        dense_layers = 3, params = 671e9, active_params = 37e9 }\n"
    "assert(v3.expert_params == 58 * 256 * 3 * 7168 * 2048, 'v3 ' .. v3.expert_params)\n"
    "assert(v3.params == 671e9 and v3.active_params == 37e9, 'v3 totals')\n"
    "local c = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 1, price = '1 USD/device-hour' } }\n"
    "run(c, function(r) end)\n",
    &error);
  g_assert_no_error(error);
  ts_run_free(run);
}

/* Device memory with 8 expert-parallel ranks among 16 data-parallel ones, ZeRO-1, bf16 AdamW: the dense part
 * whole on every device with its optimizer state and master copy sharded 16 ways; each device 2 of the 16
 * experts of every layer, their state sharded over the 16 / 8 = 2 ranks that hold the same experts. */
static void
test_memory(void)
{
  GError *error = NULL;
  TsRun *run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { expert = 8, zero = 1 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  double experts = model_expert_params(), dense = model_params() - experts;
  double reserved = h100(NULL)->spec.runtime_reserved_bytes;
  double act = 34.0 * SEQ * D * LAYERS; /* one sequence at 16 bits, no recomputation */
  double state = dense * (2 + 2 + (8 + 4) / 16.0) + experts / 8 * (2 + 2 + (8 + 4) / 2.0);
  assert_rel(r->peak_device, state + act + reserved, 1e-12);
  g_assert_cmpuint(r->layout.data, ==, 16);
  g_assert_cmpuint(r->layout.expert, ==, 8);
  g_assert_cmpuint(r->layout.zero, ==, 1);
  ts_run_free(run);

  /* Without expert parallelism (the default) every device holds every expert. */
  run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { zero = 1 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  r = ts_run_get_results(run);
  assert_rel(r->peak_device, (dense + experts) * (2 + 2 + 12 / 16.0) + act + reserved, 1e-12);
  g_assert_cmpuint(r->layout.expert, ==, 1);
  g_assert_cmpfloat(r->step.experts, ==, 0); /* no expert parallelism, no all-to-all */
  ts_run_free(run);

  /* Tensor 2 x expert 8 (dp = 8), ZeRO-2, full recomputation with sequence parallelism (which keeps 2/34 of the
   * activations, split over the tensor ranks): each expert split over the 2 tensor ranks too (Megatron-Core's
   * expert tensor parallelism defaults to the tensor-parallel size); 8 / 8 = 1 rank per expert, so the experts'
   * gradients and optimizer state are not sharded at all. */
  run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { tensor = 2, expert = 8, zero = 2, recompute = true,\n"
    "            sequence_parallel = true } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  r = ts_run_get_results(run);
  state = dense / 2 * (2 + 2 / 8.0 + 12 / 8.0) + experts / 16 * (2 + 2 + 12);
  double kept = act / 2 * (2.0 / 34.0);
  assert_rel(r->peak_device, state + kept + reserved, 1e-12);
  ts_run_free(run);

  /* Hybrid sharding in groups of 4 data-parallel ranks with 8 expert-parallel ranks: no two ranks of a group
   * hold the same experts, so the experts' state stays whole while the dense part's is sharded 4 ways. */
  run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { expert = 8, zero = 3, shard_group = 4 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  r = ts_run_get_results(run);
  state = dense * (2 + 2 + 12) / 4 + experts / 8 * (2 + 2 + 12);
  assert_rel(r->peak_device, state + act + reserved, 1e-12);
  ts_run_free(run);
}

/* Dispatch and combine, forward and backward: 4 all-to-alls per MoE layer per micro-batch over the ep ranks,
 * each rank sending micro x seq / (tp x cp) tokens x top-k x width x 2 bytes. */
static void
test_all_to_all(void)
{
  GError *error = NULL;
  /* ep = 8 inside one node of 8 GPUs; 16 sequences over 16 replicas: one micro-batch of one. */
  TsRun *run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { expert = 8, zero = 1 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  double bytes = 1 * SEQ * 2 * D * 2; /* 2,097,152 */
  g_assert_cmpfloat(bytes, ==, 2097152.0);
  double one = h100_collective(TS_COLLECTIVE_ALL_TO_ALL, 8, 8, bytes);
  assert_rel(ts_run_get_results(run)->step.experts, 4 * one * LAYERS * 1, 1e-12);
  ts_run_free(run);

  /* ep = 16 spans both nodes: 8 ranks in each. */
  run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { expert = 16, zero = 1 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  double across = h100_collective(TS_COLLECTIVE_ALL_TO_ALL, 16, 8, bytes);
  g_assert_cmpfloat(across, >, one); /* part of it leaves the node */
  assert_rel(ts_run_get_results(run)->step.experts, 4 * across * LAYERS, 1e-12);
  ts_run_free(run);

  /* Tensor 2: the tensor ranks split the tokens (sequence parallelism), 4 expert ranks fit in a node's 8 / 2
   * data-parallel ranks of the group of 8; full recomputation repeats the forward pass's two; 16 sequences
   * over 8 replicas: 2 micro-batches. */
  run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { tensor = 2, expert = 8, zero = 1, recompute = true,\n"
    "            sequence_parallel = true } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  one = h100_collective(TS_COLLECTIVE_ALL_TO_ALL, 8, 4, 1 * SEQ / 2 * 2 * D * 2);
  assert_rel(ts_run_get_results(run)->step.experts, 6 * one * LAYERS * 2, 1e-12);
  ts_run_free(run);
}

/* Gradients: the dense part's all-reduced over all 16 replicas (8 per node), each expert's over the 16 / 8 = 2
 * ranks that hold it (one per node), after the backward pass's 2/3 of the compute has hidden what it can. */
static void
test_gradients(void)
{
  GError *error = NULL;
  TsRun *run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 2, precision = 'bf16',\n"
    "            optimizer = 'adamw', parallel = { expert = 8 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  double experts = model_expert_params(), dense = model_params() - experts;
  double t_dense = h100_collective(TS_COLLECTIVE_ALL_REDUCE, 16, 8, dense * 2);
  double t_experts = h100_collective(TS_COLLECTIVE_ALL_REDUCE, 2, 1, experts / 8 * 2);
  double exposed = t_dense + t_experts - r->step.compute * 2.0 / 3.0 * test_stack_overlap(registry, "eager");
  g_assert_cmpfloat(exposed, >, 0);
  assert_rel(r->step.data_exposed, exposed, 1e-9);
  ts_run_free(run);
}

/* The summary's layout line and JSON say what the run was laid out as. */
static void
test_layout_json(void)
{
  GError *error = NULL;
  TsRun *run = run_text(CLUSTER16 MOE_MODEL
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, steps = 2, precision = 'bf16', optimizer = 'adamw',\n"
    "            parallel = { pipeline = 2, expert = 4, zero = 1 } }\n"
    "end)\n", &error);
  g_assert_no_error(error);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(r->layout.data, ==, 8);
  g_assert_cmpuint(r->layout.pipeline, ==, 2);
  g_assert_cmpuint(r->layout.tensor, ==, 1);
  g_assert_cmpuint(r->layout.context, ==, 1);
  g_assert_cmpuint(r->layout.expert, ==, 4);
  /* MFU counts the forward FLOPs models.gpt gives, which already follow the active parameters (2 x N_active + 2 L
   * s d per token): a mixture of experts' FLOPs are not scaled by active / total a second time. */
  double active = LAYERS * (4 * D * D + 2 * 2 * D * 4096 + D * 16 + 2 * D) + 1000 * D + D;
  double flops = (2 * active + 2 * LAYERS * SEQ * D) * SEQ;
  double peak = h100(NULL)->spec.peak_dense[TS_PRECISION_BF16];
  assert_rel(r->mfu, 3 * flops * 16 / (r->step_time_s * 16 * peak), 1e-9);
  ts_run_free(run);
}

/* DualPipe (parallel.schedule = "dualpipe"; deepseek-ai/DualPipe) against 1F1B on the same layout by hand: 4
 * pipeline stages of one layer, 4 expert-parallel ranks among the 16 / 4 = 4 data-parallel ones, 16 sequences:
 * 4 micro-batches of one.  The all-to-all hides under the stack's overlap of the step's products; the bubble
 * is (pp/2 - 1) slots of 2/3 of a micro-batch's path; two copies of the weights, pp + 1 micro-batches in flight. */
#define DUALPIPE_RUN(batch, micro, schedule)                                                                     \
  CLUSTER16 MOE_MODEL                                                                                           \
  "run(box, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = " batch ", micro_batch = " micro ", steps = 2, precision = 'bf16',\n" \
  "            optimizer = 'adamw', parallel = { pipeline = 4, expert = 4, zero = 1" schedule " } }\n"           \
  "end)\n"

static void
test_dualpipe(void)
{
  GError *error = NULL;
  TsRun *plain = run_text(DUALPIPE_RUN("16", "1", ""), &error);
  g_assert_no_error(error);
  TsRun *dual = run_text(DUALPIPE_RUN("16", "1", ", schedule = 'dualpipe'"), &error);
  g_assert_no_error(error);
  TsRun *dual2 = run_text(DUALPIPE_RUN("32", "2", ", schedule = 'dualpipe'"), &error);
  g_assert_no_error(error);
  TsRun *plain2 = run_text(DUALPIPE_RUN("32", "2", ""), &error);
  g_assert_no_error(error);
  const TsResults *a = ts_run_get_results(plain), *b = ts_run_get_results(dual);
  double overlap = test_stack_overlap(registry, "eager");
  /* The same operations; 1F1B hides none of the all-to-all, DualPipe what the products cover. */
  assert_rel(b->step.compute, a->step.compute, 1e-15);
  g_assert_cmpfloat(a->step.experts, >, 0);
  double hidden_left = a->step.experts - overlap * b->step.compute;
  assert_rel(b->step.experts, hidden_left > 0 ? hidden_left : 0, 1e-12);
  /* 1F1B: (pp - 1) / n of the path; DualPipe: (pp/2 - 1) x 2/3 / n of its own (shorter) path. */
  double path_a = a->step.compute + a->step.activations + a->step.experts;
  double path_b = b->step.compute + b->step.activations + b->step.experts;
  assert_rel(a->step.bubble, path_a * 3 / 4, 1e-12);
  assert_rel(b->step.bubble, path_b * 1 * 2.0 / 3 / 4, 1e-12);
  /* Memory: 1F1B keeps 4 micro-batches in flight, DualPipe 5, and a second copy of the weights (16 bits):
   * the activations of one micro-batch of one sequence are a quarter of the 1F1B difference between micro 2
   * and micro 1; the weights are the dense part / 4 stages and the experts / (4 stages x 4 ranks). */
  double act = (ts_run_get_results(plain2)->peak_device - a->peak_device) / 4;
  g_assert_cmpfloat(act, >, 0);
  double experts = model_expert_params(), dense = model_params() - experts;
  double weights = 2 * (dense / 4 + experts / 16);
  assert_rel(b->peak_device - a->peak_device, weights + act, 1e-9);
  assert_rel(ts_run_get_results(dual2)->peak_device - b->peak_device, 5 * act, 1e-9);
  ts_run_free(plain);
  ts_run_free(dual);
  ts_run_free(dual2);
  ts_run_free(plain2);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/moe/params", test_params);
  g_test_add_func("/moe/memory", test_memory);
  g_test_add_func("/moe/all-to-all", test_all_to_all);
  g_test_add_func("/moe/dualpipe", test_dualpipe);
  g_test_add_func("/moe/gradients", test_gradients);
  g_test_add_func("/moe/layout", test_layout_json);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
