/* /run/...: the run model against hand-computed values and against theory (Daly's checkpoint model). */
#include "common/ts-error.h"
#include "model/operators.h"
#include "plugin/plugin-host.h"
#include "run/estimate.h"
#include "scenario/replicas.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static TsRegistry *registry;

typedef struct {
  TsRun *run;
  GError *error;
} Outcome;

static Outcome
run_text(const char *text, gboolean step_events, guint64 seed)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.step_events = step_events;
  opts.limits.seed = seed;
  Outcome o = {0};
  o.run = test_scenario_run_text(registry, text, &opts, NULL, &o.error);
  return o;
}

/* Whether the run has a diagnostic with this code whose message contains `text` (NULL: any message). */
static void
outcome_clear(Outcome *o)
{
  ts_run_free(o->run);
  g_clear_error(&o->error);
}

static const TsDeviceRecord *
v100(void)
{
  const TsDeviceRecord *d = ts_registry_find_device(registry, "gpu", "V100-SXM2-16GB", NULL, NULL);
  g_assert_nonnull(d);
  return d;
}

/* One V100, a small model given by numbers: every byte of device memory computed by hand. */
static void
test_memory_by_hand(void)
{
  Outcome o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 1, price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000, bytes = '1 GB' }\n"
    "local m = model { params = 1e6, flops = 1e9, activations = '1 MB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = m, data = d, batch = 10, steps = 5, precision = 'fp32', optimizer = 'adam' }\n"
    "  r:release(box.accelerator)\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  /* fp32 Adam: weights 4 + gradients 4 + two moments 8 bytes per parameter; activations are given at 16 bits
   * and doubled at fp32; plus what the runtime reserves. */
  double expected = 1e6 * (4 + 4 + 8) + 10 * 1e6 * 2 + v100()->spec.runtime_reserved_bytes;
  g_assert_cmpfloat_with_epsilon(r->peak_device, expected, 1e-6 * expected);

  /* Mixed precision: 16-bit weights and gradients, fp32 master copy (2 + 2 + 4 + 8 = 16 bytes, ZeRO §3.1). */
  outcome_clear(&o);
  o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 1, price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000, bytes = '1 GB' }\n"
    "local m = model { params = 1e6, flops = 1e9, activations = '1 MB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = m, data = d, batch = 10, steps = 5, precision = 'fp16', optimizer = 'adamw' }\n"
    "  r:release(box.accelerator)\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  r = ts_run_get_results(o.run);
  expected = 1e6 * 16 + 10 * 1e6 + v100()->spec.runtime_reserved_bytes;
  g_assert_cmpfloat_with_epsilon(r->peak_device, expected, 1e-6 * expected);
  outcome_clear(&o);
}

/* A GPT of 4 layers, 8 heads, 1,024 tokens on `devices` V100s at tensor parallelism `tp`, 4 sequences per device:
 * the attention core, dropout, precision and recomputation as given. */
static double
score_run_peak(const char *model, guint devices, guint tp, const char *attention, const char *dropout,
               const char *precision, const char *recompute)
{
  g_autofree char *text = g_strdup_printf(
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = %u, price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 100000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = %s\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = m, data = d, batch = 4, micro_batch = 4, steps = 2, precision = '%s', optimizer = 'adam',\n"
    "            attention = '%s'%s, parallel = { tensor = %u, recompute = %s } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n", devices, model, precision, attention, dropout, tp, recompute);
  Outcome o = run_text(text, FALSE, 0);
  g_assert_no_error(o.error);
  double peak = ts_run_get_results(o.run)->peak_device;
  outcome_clear(&o);
  return peak;
}

/* The scores a materialised attention core keeps for the backward pass (Korthikanti et al. 2022, sec. 4.1: the
 * softmax's output 2as^2b bytes, the dropout's mask as^2b and its output 2as^2b), by hand: what a run with
 * attention = "unfused" or "fused_softmax" holds beyond the same run with the fused core, whose state and other
 * activations are the same. */
static void
test_attention_scores_memory(void)
{
  const char *gpt = "models.gpt { layers = 4, width = 512, heads = 8, seq = 1024, vocab = 1000 }";
  double scores = 4.0 * 4 * 8 * 1024 * 1024; /* micro-batch x layers x heads x q x kv */
  double fused = score_run_peak(gpt, 1, 1, "fused", ", dropout = 0.1", "fp16", "false");
  /* With dropout: P (2 bytes), the mask (1) and P' (2) per score. */
  double unfused = score_run_peak(gpt, 1, 1, "unfused", ", dropout = 0.1", "fp16", "false");
  g_assert_cmpfloat_with_epsilon(unfused - fused, 5 * scores, 1e-9 * unfused);
  double fused_softmax = score_run_peak(gpt, 1, 1, "fused_softmax", ", dropout = 0.1", "fp16", "false");
  g_assert_cmpfloat_with_epsilon(fused_softmax - fused, 5 * scores, 1e-9 * unfused);
  /* Without dropout (a decoder's rule when the run states none, and dropout = 0): P alone, 2 bytes. */
  double fused_plain = score_run_peak(gpt, 1, 1, "fused", "", "fp16", "false");
  double softmax_plain = score_run_peak(gpt, 1, 1, "fused_softmax", "", "fp16", "false");
  g_assert_cmpfloat_with_epsilon(softmax_plain - fused_plain, 2 * scores, 1e-9 * unfused);
  double softmax_zero = score_run_peak(gpt, 1, 1, "fused_softmax", ", dropout = 0", "fp16", "false");
  g_assert_cmpfloat_with_epsilon(softmax_zero - fused_plain, 2 * scores, 1e-9 * unfused);
  /* fp32: P and P' at 4 bytes, the mask 1. */
  double fused32 = score_run_peak(gpt, 1, 1, "fused", ", dropout = 0.1", "fp32", "false");
  double unfused32 = score_run_peak(gpt, 1, 1, "unfused", ", dropout = 0.1", "fp32", "false");
  g_assert_cmpfloat_with_epsilon(unfused32 - fused32, 9 * scores, 1e-9 * unfused32);
  /* Tensor parallelism splits the heads: each of 2 ranks keeps half (eq. 2: 5as/(ht)). */
  double fused_tp = score_run_peak(gpt, 2, 2, "fused", ", dropout = 0.1", "fp16", "false");
  double unfused_tp = score_run_peak(gpt, 2, 2, "unfused", ", dropout = 0.1", "fp16", "false");
  g_assert_cmpfloat_with_epsilon(unfused_tp - fused_tp, 5 * scores / 2, 1e-9 * unfused_tp);
  /* Full recomputation keeps each layer's input alone: no scores. */
  double fused_re = score_run_peak(gpt, 1, 1, "fused", ", dropout = 0.1", "fp16", "true");
  double unfused_re = score_run_peak(gpt, 1, 1, "unfused", ", dropout = 0.1", "fp16", "true");
  g_assert_cmpfloat_with_epsilon(unfused_re, fused_re, 1e-12 * fused_re);
  g_assert_cmpfloat(unfused_re, <, unfused);
  /* BERT drops out by its own rule: 5 bytes a score at 16 heads and 512 tokens, 2 layers here. */
  const char *bert = "models.bert { layers = 2, width = 512, heads = 16, seq = 512, vocab = 1000 }";
  double bert_fused = score_run_peak(bert, 1, 1, "fused", "", "fp16", "false");
  double bert_softmax = score_run_peak(bert, 1, 1, "fused_softmax", "", "fp16", "false");
  g_assert_cmpfloat_with_epsilon(bert_softmax - bert_fused, 5 * 4.0 * 2 * 16 * 512 * 512, 1e-9 * bert_softmax);
}

#define OOM_TEMPLATE \
  "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 4, price = '1 USD/device-hour' } }\n" \
  "local d = dataset { samples = 100000, bytes = '10 GB' }\n" \
  "local m = model { params = 1e8, flops = 1e9, activations = '100 MB' }\n" \
  "run(box, function(r)\n" \
  "  r:provision(box.accelerator)\n" \
  "  r:train { model = m, data = d, batch = %d, steps = 1, precision = 'fp16', optimizer = 'adam' }\n" \
  "  r:release(box.accelerator)\n" \
  "end)\n"

static void
test_oom_largest_batch(void)
{
  g_autofree char *big = g_strdup_printf(OOM_TEMPLATE, 4096);
  Outcome o = run_text(big, FALSE, 0);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_INFEASIBLE);
  g_assert_nonnull(o.run);
  g_assert_false(ts_run_get_results(o.run)->feasible);
  /* By hand: per device, 1e8 x 16 bytes of state + reserved, then 100 MB per sample. */
  double cap = v100()->spec.memory_bytes;
  double room = cap - 1e8 * 16 - v100()->spec.runtime_reserved_bytes;
  int fit = (int) floor(room / 1e8) * 4;
  g_autofree char *want = g_strdup_printf("the largest global batch that fits is %d", fit);
  g_assert_true(test_run_has_diagnostic(o.run, "device-oom", want));
  outcome_clear(&o);

  g_autofree char *fits = g_strdup_printf(OOM_TEMPLATE, fit);
  o = run_text(fits, FALSE, 0);
  g_assert_no_error(o.error);
  g_assert_true(ts_run_get_results(o.run)->feasible);
  outcome_clear(&o);
  g_autofree char *over = g_strdup_printf(OOM_TEMPLATE, fit + 4);
  o = run_text(over, FALSE, 0);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_INFEASIBLE);
  outcome_clear(&o);
}

/* Checkpoints every 10 steps onto a 100 GB disk holding a 20 GB dataset; each checkpoint of 1e9 parameters
 * with Adam is 12 GB: the 7th does not fit (20 + 7 x 12 = 104 GB), so the disk fills when it is written. */
#define DISK_TEMPLATE \
  "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 8, price = '1 USD/device-hour' },\n" \
  "                      host = { disk = '100 GB', disk_write = '1 GB/s' } }\n" \
  "local d = dataset { samples = 100000, bytes = '10 GB', from = internet { bandwidth = '10 GB/s' } }\n" \
  "local m = model { params = 1e9, flops = 1e9, activations = '1 MB' }\n" \
  "run(box, function(r)\n" \
  "  r:provision(box.accelerator)\n" \
  "  r:download(d)\n" \
  "  r:train { model = m, data = d, batch = 8, steps = 200, precision = 'fp16', optimizer = 'adam',\n" \
  "            parallel = { zero = 3 }, checkpoint = { every = '10 steps' %s } }\n" \
  "  r:release(box.accelerator)\n" \
  "end)\n"

static void
test_disk_full_time(void)
{
  g_autofree char *text = g_strdup_printf(DISK_TEMPLATE, "");
  Outcome o = run_text(text, FALSE, 0);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_INFEASIBLE);
  g_assert_nonnull(strstr(o.error->message, "storage full"));
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpuint(r->checkpoints, ==, 7);
  /* download 10 GB, capped by the disk's 1 GB/s = 10 s; then 7 x (10 steps + one 12 GB write at 1 GB/s). */
  double step = r->step_time_s;
  double expected = 10.0 + 7 * (10 * step + 12.0);
  g_assert_cmpfloat_with_epsilon(r->total_time_s, expected, 1e-6);
  g_assert_cmpfloat_with_epsilon(r->peak_storage, 20e9 + 7 * 12e9, 1.0);
  outcome_clear(&o);
}

static void
test_retention(void)
{
  /* keep the last 2 and every 5th: after 20 checkpoints, 5, 10, 15, 20 and 19 remain. */
  g_autofree char *text = g_strdup_printf(DISK_TEMPLATE, ", keep = 2, keep_every = 5");
  g_autofree char *big = g_strdup(text);
  char *p = strstr(big, "'100 GB'");
  memcpy(p, "'900 GB'", 8);
  Outcome o = run_text(big, FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpuint(r->checkpoints, ==, 20);
  /* Peak: while the 5th... the most kept at once is 2 + the every-5th ones: after 20 there are 5 kept. */
  g_assert_cmpfloat_with_epsilon(r->peak_storage, 20e9 + 5 * 12e9, 1.0);
  outcome_clear(&o);

  /* keep = 1: never more than one checkpoint on disk. */
  g_autofree char *one = g_strdup_printf(DISK_TEMPLATE, ", keep = 1");
  o = run_text(one, FALSE, 0);
  g_assert_no_error(o.error);
  g_assert_cmpfloat_with_epsilon(ts_run_get_results(o.run)->peak_storage, 20e9 + 12e9, 1.0);
  outcome_clear(&o);
}

/* Idle time is billed: provisioned for an hour of waiting costs an hour. */
static void
test_idle_billing(void)
{
  Outcome o = run_text(
    "local pod = cluster { accelerator = tpu { slice = 'v3-8', price = '2 USD/chip-hour' } }\n"
    "run(pod, function(r)\n"
    "  r:wait('30 min')\n"
    "  r:provision(pod.accelerator)\n"
    "  r:wait('1 h')\n"
    "  r:release(pod.accelerator)\n"
    "  r:wait('2 h')\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpfloat_with_epsilon(r->cost_compute, 2.0 * 4 * 1.0, 1e-9); /* v3-8 = 4 chips, 1 hour */
  /* A price the scenario gives, without pricing = ..., is not called on-demand. */
  g_assert_nonnull(strstr(r->price_desc, "(price set by the scenario)"));
  g_assert_null(strstr(r->price_desc, "on-demand"));
  g_assert_cmpfloat_with_epsilon(r->total_time_s, 3.5 * 3600, 1e-9);
  outcome_clear(&o);

  /* The seed's what-if: downloading while the TPUs are up costs TPU-hours. */
#define ORDER \
    "local pod = cluster { accelerator = tpu { slice = 'v3-8', price = '2 USD/chip-hour' } }\n" \
    "local d = dataset { samples = 1000, bytes = '360 GB', from = internet { bandwidth = '1 GB/s' } }\n" \
    "run(pod, function(r)\n" \
    "  %s\n" \
    "  r:release(pod.accelerator)\n" \
    "end)\n"
  g_autofree char *first = g_strdup_printf(ORDER, "r:download(d) r:provision(pod.accelerator)");
  g_autofree char *up = g_strdup_printf(ORDER, "r:provision(pod.accelerator) r:download(d)");
  Outcome a = run_text(first, FALSE, 0), b = run_text(up, FALSE, 0);
  g_assert_no_error(a.error);
  g_assert_no_error(b.error);
  g_assert_cmpfloat(ts_run_get_results(a.run)->cost_compute, ==, 0.0);
  g_assert_cmpfloat_with_epsilon(ts_run_get_results(b.run)->cost_compute, 8.0 * 0.1, 1e-9); /* 360 s x 8 USD/h */
  outcome_clear(&a);
  outcome_clear(&b);
}

/* Two downloads on one 1 GB/s link share it: 100 GB and 300 GB end at 200 s and 400 s. */
static void
test_fair_sharing(void)
{
  Outcome o = run_text(
    "local box = cluster { accelerator = cpu { instance = 'c5.xlarge' }, storage = bucket { write = '100 GB/s' } }\n"
    "local net = internet { bandwidth = '1 GB/s' }\n"
    "local a = dataset { name = 'a', samples = 1, bytes = '100 GB', from = net }\n"
    "local b = dataset { name = 'b', samples = 1, bytes = '300 GB', from = net }\n"
    "run(box, function(r)\n"
    "  r:download(a, { to = box.storage, background = true })\n"
    "  r:download(b, { to = box.storage, background = true })\n"
    "  r:join()\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  const GPtrArray *phases = ts_run_get_phases(o.run);
  g_assert_cmpuint(phases->len, ==, 2);
  const TsPhase *pa = g_ptr_array_index(phases, 0), *pb = g_ptr_array_index(phases, 1);
  g_assert_cmpstr(pa->name, ==, "download a");
  g_assert_cmpint(pa->end, ==, 200 * TS_NS_PER_S);
  g_assert_cmpint(pb->end, ==, 400 * TS_NS_PER_S);
  g_assert_cmpfloat(ts_run_get_results(o.run)->total_time_s, ==, 400.0);
  outcome_clear(&o);
}

/* A connection that drops: a resumable download loses only the retry delay each time, one that is not
 * starts over.  100 GB at 1 GB/s, failures every 20 s on average, 5 s to reconnect. */
static void
test_download_resumable(void)
{
#define DL_TEXT(resumable) \
  "local box = cluster { accelerator = cpu { instance = 'c5.xlarge' }, storage = bucket { write = '100 GB/s' } }\n" \
  "local net = internet { bandwidth = '1 GB/s', mtbf = '20 s', retry = '5 s' }\n" \
  "local a = dataset { name = 'a', samples = 1, bytes = '100 GB', from = net }\n" \
  "run(box, function(r) r:download(a, { to = box.storage, resumable = " resumable " }) end)\n"
  Outcome a = run_text(DL_TEXT("true"), FALSE, 3), b = run_text(DL_TEXT("false"), FALSE, 3);
  g_assert_no_error(a.error);
  g_assert_no_error(b.error);
  const TsResults *ra = ts_run_get_results(a.run), *rb = ts_run_get_results(b.run);
  g_assert_cmpuint(ra->download_interruptions, >, 0);
  g_assert_cmpfloat(ra->total_time_s, ==, 100.0 + 5.0 * ra->download_interruptions);
  g_assert_cmpfloat(rb->total_time_s, >, ra->total_time_s);
  outcome_clear(&a);
  outcome_clear(&b);
#undef DL_TEXT
}

/* One collective on an A100 SXM4 80 GB as the catalog describes it: the "by hand" side of the step tests. */
static double
a100_collective(TsCollectiveKind kind, guint participants, guint per_node, double bytes)
{
  return test_collective_time(registry, "gpu", "A100-SXM4-80GB", 0, kind, participants, per_node, bytes);
}

/* A GPT of 32 layers of width 4096 on 64 A100s, 4 tensor x 4 pipeline x 4 data-parallel ranks, ZeRO-1. */
static const char gpt_tp4_pp4[] =
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 64, per_node = 8, network = '1600 Gbit/s',\n"
  "                                          price = '1 USD/device-hour' } }\n"
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
  "local m = models.gpt { layers = 32, width = 4096, seq = 2048 }\n"
  "run(box, function(r)\n"
  "  r:provision(box.accelerator)\n"
  "  r:train { model = m, data = d, batch = 64, micro_batch = 2, steps = 3, precision = 'bf16',\n"
  "            optimizer = 'adam', parallel = { tensor = 4, pipeline = 4, zero = 1 } }\n"
  "  r:release(box.accelerator)\n"
  "end)\n";

/* Pipeline bubble and tensor-parallel traffic against the formulas computed here by hand. */
static void
test_pipeline_and_tensor(void)
{
  Outcome o = run_text(gpt_tp4_pp4, FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  /* dp = 64 / 16 = 4 replicas; 16 sequences each in micro-batches of 2: m = 8 micro-batches. */
  double n_micro = 8, pp = 4, tp = 4, layers = 32;
  /* Each idle slot lasts one micro-batch's work on a stage: compute, activation traffic and tensor traffic (the
   * host launches the kernels ahead of the devices, so their launches are set against the whole step instead). */
  double per_micro = (r->step.compute + r->step.activations + r->step.tensor) / n_micro;
  g_assert_cmpfloat(r->step.activations, >, 0);
  g_assert_cmpfloat_with_epsilon(r->step.bubble, per_micro * (pp - 1), 1e-12);
  /* Megatron: 4 all-reduces per layer per micro-batch of micro x seq x width x 2 bytes over tp ranks. */
  double one = a100_collective(TS_COLLECTIVE_ALL_REDUCE, 4, 4, 2.0 * 2048 * 4096 * 2);
  g_assert_cmpfloat_with_epsilon(r->step.tensor, 4 * one * layers / pp * n_micro, 1e-12);
  (void) tp;
  outcome_clear(&o);

  /* The interleaved schedule with 2 stages per device halves the bubble (Narayanan et al. 2021, §2.2). */
  o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 64, per_node = 8, network = '1600 Gbit/s',\n"
    "                                          price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 32, width = 4096, seq = 2048 }\n"
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 64, micro_batch = 2, steps = 3, precision = 'bf16',\n"
    "            optimizer = 'adam', parallel = { tensor = 4, pipeline = 4, virtual = 2, zero = 1 } }\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  r = ts_run_get_results(o.run);
  per_micro = (r->step.compute + r->step.activations + r->step.tensor) / n_micro;
  g_assert_cmpfloat_with_epsilon(r->step.bubble, per_micro * (pp - 1) / 2, 1e-12);
  outcome_clear(&o);

  /* Context parallelism: 3 all-gathers per layer per micro-batch (a 4th with full recomputation) of the keys and
   * values, m x seq/cp tokens x 2 x width/tp (a model without heads: multi-head attention split over the tensor
   * ranks) x 2 bytes; no attention core listed, so nothing hides it. */
  o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 32, per_node = 8, network = '1600 Gbit/s',\n"
    "                                          price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 16, width = 2048, seq = 32768 }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = m, data = d, batch = 8, micro_batch = 1, steps = 3, precision = 'bf16',\n"
    "            optimizer = 'adam', parallel = { tensor = 2, context = 4, zero = 1, recompute = true } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  r = ts_run_get_results(o.run);
  /* 4 ranks per node: 8 GPUs per node / tensor 2. */
  one = a100_collective(TS_COLLECTIVE_ALL_GATHER, 4, 4, 1 * 32768.0 / 4 * (2.0 * 2048 / 2) * 2);
  /* dp = 32 / (2 x 4) = 4 replicas of 2 sequences: 2 micro-batches. */
  g_assert_cmpfloat(r->step.attention, ==, 0);
  g_assert_cmpfloat_with_epsilon(r->step.context, 4 * one * 16 * 2, 1e-12);
  outcome_clear(&o);
}

/* A GPT with 16 heads of 128 and grouped-query attention (kv_heads 4) on 16 A100s in nodes of 2, tensor 2 x
 * context 4 x data 2: every context-parallel rank on its own node, over 100 Gbit/s. */
#define RING_FMT                                                                                                 \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 16, per_node = 2,\n"                \
  "                                          network = '100 Gbit/s', price = '1 USD/device-hour' } }\n"           \
  "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"                                    \
  "local m = models.gpt { layers = 8, width = 2048, heads = 16, kv_heads = %d, seq = %d }\n"                      \
  "run(box, function(r)\n"                                                                                        \
  "  r:train { stack = '%s', model = m, data = d, batch = 4, micro_batch = 1, steps = 3, precision = 'bf16',\n"  \
  "            optimizer = 'adam', parallel = { tensor = 2, context = 4%s } }\n"                                  \
  "end)\n"

/* The GPU plugin's answer for one collective on RING_FMT's A100s: 100 Gbit/s per node of 2. */
static double
ring_collective(TsCollectiveKind kind, guint participants, guint per_node, double bytes)
{
  return test_collective_time(registry, "gpu", "A100-SXM4-80GB", 100e9 / 8 / 2 /* bytes/s per GPU */, kind,
                              participants, per_node, bytes);
}

/* Ring attention by hand (docs/model.md, "Communication overlap"): the tensor rank's share of the key/value heads
 * travels, and the attention of cp - 1 of the cp chunks hides it at the stack's overlap. */
static void
test_ring_attention(void)
{
  double overlap = test_stack_overlap(registry, "eager");
  for (int kv = 4; kv <= 16; kv *= 4) {
    g_autofree char *text = g_strdup_printf(RING_FMT, kv, 1024, "eager", "");
    Outcome o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    const TsResults *r = ts_run_get_results(o.run);
    /* K and V of kv / tp heads of 128, 1024 / 4 tokens, 2 bytes; 1 rank per node (2 GPUs / tensor 2). */
    double one = ring_collective(TS_COLLECTIVE_ALL_GATHER, 4, 1, 1024.0 / 4 * (2.0 * 128 * kv / 2) * 2);
    /* dp = 16 / (2 x 4) = 2 replicas of 2 sequences: 2 micro-batches; 3 gathers per layer and micro-batch. */
    double raw = 3 * one * 8 * 2, hiding = overlap * r->step.attention * 3 / 4;
    g_assert_cmpfloat(r->step.attention, >, 0);
    g_assert_cmpfloat(r->step.attention, <, r->step.compute);
    g_assert_cmpfloat(raw, >, hiding); /* over 100 Gbit/s part of it shows */
    assert_rel(r->step.context, raw - hiding, 1e-9);
    outcome_clear(&o);
  }
  /* At 32768 tokens the attention (quadratic in the sequence) outlasts the exchange (linear): all hidden. */
  g_autofree char *text = g_strdup_printf(RING_FMT, 4, 32768, "eager", "");
  Outcome o = run_text(text, FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  double one = ring_collective(TS_COLLECTIVE_ALL_GATHER, 4, 1, 32768.0 / 4 * (2.0 * 128 * 4 / 2) * 2);
  g_assert_cmpfloat(3 * one * 8 * 2, <, overlap * r->step.attention * 3 / 4);
  g_assert_cmpfloat(r->step.context, ==, 0);
  outcome_clear(&o);
}

/* Tensor-parallel traffic pipelined with the products (parallel.tp_overlap = true): the stack's fitted tp_overlap
 * fraction of it hidden, at most the time of the products other than attention. */
static void
test_tp_comm_overlap(void)
{
  TsStackConstants tuned;
  ts_registry_get_stack_constants(registry, "tuned", &tuned);
  g_autofree char *plain_text = g_strdup_printf(RING_FMT, 4, 4096, "tuned", "");
  g_autofree char *over_text = g_strdup_printf(RING_FMT, 4, 4096, "tuned", ", tp_overlap = true");
  Outcome plain = run_text(plain_text, FALSE, 0), over = run_text(over_text, FALSE, 0);
  g_assert_no_error(plain.error);
  g_assert_no_error(over.error);
  const TsResults *r0 = ts_run_get_results(plain.run), *r1 = ts_run_get_results(over.run);
  double products = r1->step.compute - r1->step.attention;
  g_assert_cmpfloat(r0->step.tensor, >, 0);
  assert_rel(r1->step.tensor, r0->step.tensor - tuned.tp_overlap * MIN(r0->step.tensor, products), 1e-12);
  /* Nothing else moves: the same compute, context-parallel term and memory. */
  assert_rel(r1->step.compute, r0->step.compute, 1e-15);
  assert_rel(r1->step.context, r0->step.context, 1e-15);
  assert_rel(r1->peak_device, r0->peak_device, 1e-15);
  outcome_clear(&plain);
  outcome_clear(&over);
}

/* Terms added by the second calibration round (docs/validation.md, "History"), each against its formula. */
static void
test_step_terms(void)
{
  const TsDeviceRecord *a100 = ts_registry_find_device(registry, "gpu", "A100-SXM4-80GB", NULL, NULL);
  g_assert_nonnull(a100);
  /* Recomputation repeats the forward pass's 2 tensor-parallel all-reduces: 6 per layer per micro-batch. */
  Outcome o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 16, per_node = 8, network = '1600 Gbit/s',\n"
    "                                          price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 8, width = 4096, seq = 2048 }\n"
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 2, steps = 3, precision = 'bf16',\n"
    "            optimizer = 'adam', parallel = { tensor = 8, recompute = true } }\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  double one = a100_collective(TS_COLLECTIVE_ALL_REDUCE, 8, 8, 2.0 * 2048 * 4096 * 2);
  /* dp = 2 replicas of 8 sequences: 4 micro-batches of 2. */
  g_assert_cmpfloat_with_epsilon(r->step.tensor, 6 * one * 8 * 4, 1e-12);
  /* Activation traffic: written by the forward pass, again by the recomputation, read by the backward pass:
   * 3 x 34 x seq x width x layers bytes per sequence at 16 bits, 1 sequence per device, less what the (eager,
   * the default) stack fuses, at the generation's achieved fraction of the bandwidth. */
  double act = 34.0 * 2048 * 4096 * 8;
  TsStackConstants eager;
  ts_registry_get_stack_constants(registry, "eager", &eager);
  g_assert_cmpfloat(eager.fusion, ==, 1.0); /* eager fuses nothing, by definition */
  g_assert_cmpfloat_with_epsilon(r->step.activations, 3 * act * eager.fusion /
                                 (a100->spec.memory_bandwidth * a100->spec.memory_efficiency), 1e-12);
  outcome_clear(&o);

  /* ZeRO-3 with short sequences: per micro-batch two all-gathers of the weights and a reduce-scatter of the
   * gradients, hidden behind the compute as far as it reaches (here it does not). */
  o = run_text(
    "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 8, per_node = 8,\n"
    "                                          price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 8, width = 4096, seq = 128 }\n"
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 16, micro_batch = 1, steps = 3, precision = 'bf16',\n"
    "            optimizer = 'adam', parallel = { zero = 3 } }\n"
    "end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  r = ts_run_get_results(o.run);
  double params = 0;
  {
    /* The parameter count the prelude gives models.gpt: 12 L d^2 + V d, default vocabulary 50,257, plus two
     * norm weight vectors per layer and a final one. */
    params = 12.0 * 8 * 4096.0 * 4096 + 50257.0 * 4096 + 2.0 * 8 * 4096 + 4096;
  }
  double gather = a100_collective(TS_COLLECTIVE_ALL_GATHER, 8, 8, params * 2);
  double scatter = a100_collective(TS_COLLECTIVE_REDUCE_SCATTER, 8, 8, params * 2);
  /* 16 sequences over 8 replicas: 2 micro-batches of 1. */
  double traffic = (2 * gather + scatter) * 2;
  g_assert_cmpfloat(traffic, >, r->step.compute);
  g_assert_cmpfloat_with_epsilon(r->step.data_exposed, traffic - r->step.compute * test_stack_overlap(registry, "eager"), 1e-9);
  outcome_clear(&o);

  /* fp32 on a TPU: the matrix units run at the bf16 rate (the catalog's fp32 peak is the bf16 one), the
   * activations take twice the bytes, so the memory-bound operations' time doubles. */
  double t_act[2], t_compute[2];
  const char *precision[2] = {"bf16", "fp32"};
  for (int i = 0; i < 2; i++) {
    g_autofree char *text = g_strdup_printf(
      "local pod = cluster { accelerator = tpu { slice = 'v3-8' } }\n"
      "local d = dataset { samples = 1000000, bytes = '1 GB' }\n"
      "run(pod, function(r)\n"
      "  r:train { model = models.resnet50, data = d, batch = 128, steps = 3, precision = '%s', optimizer = 'lars' }\n"
      "end)\n", precision[i]);
    o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    r = ts_run_get_results(o.run);
    t_act[i] = r->step.activations;
    t_compute[i] = r->step.compute;
    outcome_clear(&o);
  }
  g_assert_cmpfloat(t_act[0], >, 0);
  g_assert_cmpfloat_with_epsilon(t_act[1], 2 * t_act[0], 1e-12);
  /* The products multiply at the same rate; only those whose operand traffic (doubled too) outgrows their
   * arithmetic take longer, never twice as long. */
  g_assert_cmpfloat(t_compute[1], >=, t_compute[0]);
  g_assert_cmpfloat(t_compute[1], <, 2 * t_compute[0]);
}

/* recompute = "auto": the least fraction of recomputation that fits, between none and all of it. */
#define AUTO_TEMPLATE \
  "local pod = cluster { accelerator = tpu { slice = 'v3-32' } }\n" \
  "local d = dataset { samples = 1000000, bytes = '1 GB' }\n" \
  "run(pod, function(r)\n" \
  "  r:train { model = models.resnet50, data = d, views = 2, batch = %d, steps = 3, precision = 'fp32',\n" \
  "            optimizer = 'lars', parallel = { recompute = %s } }\n" \
  "end)\n"

static void
test_recompute_auto(void)
{
  /* Batch 4096 at fp32 needs more than a v3 chip's 32 GiB without recomputation (the case in
   * scenarios/validation/tpu-v3-conv-simclr-readme-resnet50-16chips.lua). */
  g_autofree char *none = g_strdup_printf(AUTO_TEMPLATE, 4096, "false");
  Outcome o = run_text(none, FALSE, 0);
  g_assert_error(o.error, TS_ERROR, TS_ERROR_INFEASIBLE);
  outcome_clear(&o);

  g_autofree char *all = g_strdup_printf(AUTO_TEMPLATE, 4096, "true");
  o = run_text(all, FALSE, 0);
  g_assert_no_error(o.error);
  double compute_all = ts_run_get_results(o.run)->step.compute;
  outcome_clear(&o);

  g_autofree char *some = g_strdup_printf(AUTO_TEMPLATE, 4096, "'auto'");
  o = run_text(some, FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  const TsPlugin *tpu = NULL;
  const TsDeviceRecord *v3 = ts_registry_find_device(registry, "tpu", "v3", &tpu, NULL);
  g_assert_nonnull(v3);
  /* Exactly full: no more is recomputed than needed. */
  g_assert_cmpfloat_with_epsilon(r->peak_device, v3->spec.memory_bytes, 1e-6 * v3->spec.memory_bytes);
  g_assert_true(test_run_has_diagnostic(o.run, "recompute-auto", NULL));
  /* Compute = (3 + f) forward passes with 0 < f < 1: more than none (3/4 of all), less than all. */
  double f = 4.0 * r->step.compute / compute_all - 3.0;
  g_assert_cmpfloat(f, >, 0.01);
  g_assert_cmpfloat(f, <, 0.99);
  outcome_clear(&o);

  /* Where everything fits, auto recomputes nothing: the same step as recompute = false. */
  g_autofree char *small_auto = g_strdup_printf(AUTO_TEMPLATE, 512, "'auto'");
  g_autofree char *small_none = g_strdup_printf(AUTO_TEMPLATE, 512, "false");
  o = run_text(small_auto, FALSE, 0);
  g_assert_no_error(o.error);
  double step_auto = ts_run_get_results(o.run)->step_time_s;
  g_assert_false(test_run_has_diagnostic(o.run, "recompute-auto", NULL));
  outcome_clear(&o);
  o = run_text(small_none, FALSE, 0);
  g_assert_no_error(o.error);
  g_assert_cmpfloat(ts_run_get_results(o.run)->step_time_s, ==, step_auto);
  outcome_clear(&o);
}

/* Daly (2006): with exponential failures, expected wall time T = M e^(R/M) (e^((tau+delta)/M) - 1) T_s / tau.
 * One device (job MTBF = device MTBF), >= 10,000 failures per interval, the same seed at every interval so the
 * failure times are common random numbers. */
#define DALY_TEMPLATE \
  "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 1, price = '1 USD/device-hour' },\n" \
  "                      host = { disk = '1 PB', disk_write = '%.17g' } }\n" \
  "local d = dataset { samples = 1000000000, bytes = '1 GB' }\n" \
  "local m = model { params = 1e9, flops = 1e9, activations = '1 MB' }\n" \
  "run(box, function(r)\n" \
  "  r:provision(box.accelerator)\n" \
  "  r:train { model = m, data = d, batch = 1, steps = %" G_GUINT64_FORMAT ", precision = 'fp16', optimizer = 'sgd',\n" \
  "            checkpoint = { every = '%" G_GUINT64_FORMAT " steps', keep = 1 },\n" \
  "            failures = { mtbf = '%.17g s', restart = '%.17g s' } }\n" \
  "  r:release(box.accelerator)\n" \
  "end)\n"

static void
test_daly(void)
{
  const double M = 2000.0, R = 60.0, delta = 40.0;
  /* sgd: checkpoint = 1e9 x 4 bytes of fp32 weights; written in delta seconds. */
  double bw = 4e9 / delta;
  /* The step time comes from the model; measure it once with a failure-free run. */
  g_autofree char *probe = g_strdup_printf(DALY_TEMPLATE, bw, (guint64) 10, (guint64) 10, 1e30, R);
  Outcome o = run_text(probe, FALSE, 1);
  g_assert_no_error(o.error);
  double step = ts_run_get_results(o.run)->step_time_s;
  g_assert_cmpfloat_with_epsilon(ts_run_get_results(o.run)->checkpoint_write_s, delta, 1e-6);
  outcome_clear(&o);

  double tau_daly = sqrt(2 * delta * M);
  /* Daly's higher-order optimum (2006, eq. 37), valid for delta < 2M. */
  double x = delta / (2 * M);
  double tau_opt = sqrt(2 * delta * M) * (1 + sqrt(x) / 3 + x / 9) - delta;
  const int n = 9;
  double best = INFINITY;
  int best_i = -1, nearest_i = -1;
  double nearest = INFINITY;
  for (int i = 0; i < n; i++) {
    double want_tau = tau_daly * pow(2.0, -2.0 + i * 0.5); /* 1/4 .. 4 x sqrt(2 delta M) */
    guint64 tau_steps = (guint64) MAX(1.0, round(want_tau / step));
    double tau = tau_steps * step;
    /* Enough work for >= 10,000 failures: T ~ T_s, failures ~ T / M. */
    guint64 segments = (guint64) ceil(12000.0 * M / tau * 1.05);
    guint64 steps = segments * tau_steps;
    double Ts = steps * step;
    g_autofree char *text = g_strdup_printf(DALY_TEMPLATE, bw, steps, tau_steps, M, R);
    o = run_text(text, FALSE, 42);
    g_assert_no_error(o.error);
    const TsResults *r = ts_run_get_results(o.run);
    g_assert_cmpuint(r->failures, >=, 10000);
    double expected = M * exp(R / M) * (exp((tau + delta) / M) - 1) * Ts / tau;
    /* failures.expected is the same expectation in interruptions: T_w / M, by hand; the seeded count is near. */
    g_assert_cmpfloat(fabs(r->failures_expected / (expected / M) - 1), <, 1e-6);
    g_assert_cmpfloat(fabs(r->failures / r->failures_expected - 1), <, 0.05);
    double err = r->train_time_s / expected - 1;
    if (fabs(err) > 0.03)
      g_error("tau = %.0f s: simulated %.0f s, Daly %.0f s (%+.2f %%), %u failures", tau, r->train_time_s, expected,
              100 * err, r->failures);
    /* Compare per unit of work, since T_s differs slightly between intervals. */
    double per_work = r->train_time_s / Ts;
    if (per_work < best) {
      best = per_work;
      best_i = i;
    }
    if (fabs(log(tau / tau_opt)) < nearest) {
      nearest = fabs(log(tau / tau_opt));
      nearest_i = i;
    }
    outcome_clear(&o);
  }
  g_assert_cmpint(abs(best_i - nearest_i), <=, 1);
}

/* Aggregated runs of identical steps equal stepping one by one, exactly: integer time, memory, dollars. */
static void
test_aggregation_equality(void)
{
  const char *text =
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 8, price = '3 USD/device-hour' },\n"
    "                      host = { disk = '10 TB', disk_write = '2 GB/s' } }\n"
    "local d = dataset { samples = 50000, bytes = '5 GB', eval_samples = 5000,\n"
    "                    from = internet { bandwidth = '1 GB/s' } }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:download(d)\n"
    "  r:train { model = models.resnet50, data = d, batch = 256, epochs = 12, precision = 'fp16',\n"
    "            optimizer = 'momentum', checkpoint = { every = '300 steps', keep = 2 },\n"
    "            eval = { every = '2 epochs' }, failures = { mtbf = '10 min', restart = '10 s' } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  Outcome a = run_text(text, FALSE, 7), b = run_text(text, TRUE, 7);
  g_assert_no_error(a.error);
  g_assert_no_error(b.error);
  const TsResults *ra = ts_run_get_results(a.run), *rb = ts_run_get_results(b.run);
  g_assert_cmpuint(ra->failures, >, 0);
  g_assert_cmpuint(ra->failures, ==, rb->failures);
  g_assert_cmpuint(ra->checkpoints, ==, rb->checkpoints);
  g_assert_cmpuint(ra->steps, ==, rb->steps);
  g_assert_true(ra->total_time_s == rb->total_time_s);
  g_assert_true(ra->cost_total == rb->cost_total);
  g_assert_true(ra->lost_time_s == rb->lost_time_s);
  g_assert_true(ra->peak_storage == rb->peak_storage);
  g_assert_true(ra->peak_device == rb->peak_device);
  /* The aggregated run used far fewer events. */
  g_assert_cmpuint(ts_engine_get_dispatched(ts_run_get_engine(a.run)) * 10, <,
                   ts_engine_get_dispatched(ts_run_get_engine(b.run)));
  outcome_clear(&a);
  outcome_clear(&b);
}

static void
test_failures_seeded(void)
{
  const char *text =
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 64, network = '800 Gbit/s', price = '3 USD/device-hour' } }\n"
    "local d = dataset { samples = 1281167, bytes = '148 GB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = models.resnet50, data = d, batch = 4096, epochs = 90, precision = 'fp16',\n"
    "            checkpoint = { every = '1 epochs', keep = 1 }, failures = { mtbf = '2 h', restart = '1 min' } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  Outcome a = run_text(text, FALSE, 1), b = run_text(text, FALSE, 1), c = run_text(text, FALSE, 2);
  g_assert_no_error(a.error);
  const TsResults *ra = ts_run_get_results(a.run), *rb = ts_run_get_results(b.run), *rc = ts_run_get_results(c.run);
  g_assert_cmpuint(ra->failures, >, 0);
  g_assert_true(ra->total_time_s == rb->total_time_s);
  g_assert_true(ra->total_time_s != rc->total_time_s);
  g_assert_cmpfloat(ra->lost_time_s, >, 0);
  outcome_clear(&a);
  outcome_clear(&b);
  outcome_clear(&c);
}

/* Spot takes the catalog's interruption rate per host (v3-8: one host, 24 h, docs/devices.md); the scenario's
 * failures.preemption overrides it; on-demand has none.  failures.expected by hand: e^(T_s/M) - 1 without
 * checkpoints and restart time. */
static void
test_spot_rate(void)
{
#define SPOT_TEMPLATE \
    "local pod = cluster { accelerator = tpu { slice = 'v3-8'%s } }\n" \
    "local d = dataset { samples = 1281167, bytes = '148 GB' }\n" \
    "run(pod, function(r)\n" \
    "  r:provision(pod.accelerator)\n" \
    "  r:train { model = models.resnet50, data = d, batch = 1024, epochs = 100, precision = 'bf16'%s }\n" \
    "  r:release(pod.accelerator)\n" \
    "end)\n"
  g_autofree char *spot = g_strdup_printf(SPOT_TEMPLATE, ", pricing = 'spot'", "");
  g_autofree char *mine = g_strdup_printf(SPOT_TEMPLATE, ", pricing = 'spot'", ", failures = { preemption = '1000 h' }");
  g_autofree char *od = g_strdup_printf(SPOT_TEMPLATE, "", "");
  Outcome a = run_text(spot, FALSE, 3), b = run_text(mine, FALSE, 3), c = run_text(od, FALSE, 3);
  g_assert_no_error(a.error);
  g_assert_no_error(b.error);
  g_assert_no_error(c.error);
  const TsResults *ra = ts_run_get_results(a.run), *rb = ts_run_get_results(b.run), *rc = ts_run_get_results(c.run);
  double ts = ra->compute_time_s;
  g_assert_true(ra->failures_modelled);
  /* 1e-8, not exact: the step's duration is rounded once to the engine's nanosecond tick and the failure rate is
   * taken on the unrounded time, so the two differ by up to 0.5 ns x 125,200 steps = 63 us in some 7.4 h (about
   * 3e-9 through expm1; 1e-9 held only while the constants happened to round the other way). */
  g_assert_cmpfloat(fabs(ra->failures_expected / expm1(ts / 86400.0) - 1), <, 1e-8);
  g_assert_true(test_run_has_diagnostic(a.run, "spot-preemption", "24 h"));
  g_assert_cmpfloat(fabs(rb->failures_expected / expm1(ts / 3.6e6) - 1), <, 1e-8);
  g_assert_false(test_run_has_diagnostic(b.run, "spot-preemption", NULL));
  g_assert_false(rc->failures_modelled);
  g_assert_cmpfloat(rc->failures_expected, ==, 0);
  outcome_clear(&a);
  outcome_clear(&b);
  outcome_clear(&c);
}

/* Rented GPUs have list prices: one hour of Lambda's 8x H100 SXM instance costs its catalog price
 * (23.92 USD/instance-hour, docs/devices.md), by hand. */
static void
test_rented_price(void)
{
  Outcome o = run_text(
    "local box = cluster { accelerator = gpu { instance = 'gpu_8x_h100_sxm5' } }\n"
    "run(box, function(r) r:provision(box.accelerator) r:wait('1 h') r:release(box.accelerator) end)\n", FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  g_assert_cmpfloat_with_epsilon(r->cost_compute, 23.92, 1e-9);
  g_assert_nonnull(strstr(r->price_desc, "on-demand, us-east-1"));
  g_assert_false(test_run_has_diagnostic(o.run, "price-unknown", NULL));
  outcome_clear(&o);
}

/* The price line's arithmetic holds on the figures it shows: "113.9328 USD/instance-hour x 2 instances = 227.87
 * USD/hour", not the catalog's 113.9328 shown as 113.9 beside a product of the unrounded price (911.46 for 8). */
static void
test_price_line_adds_up(void)
{
  static const char *const machines[] = {"instance = 'p6-b200.48xlarge', nodes = 2",
                                         "instance = 'p5en.48xlarge', nodes = 3",
                                         "instance = 'p4d.24xlarge', nodes = 5, pricing = 'spot'",
                                         "instance = 'a3-megagpu-8g', pricing = 'committed-1y'"};
  for (gsize i = 0; i < G_N_ELEMENTS(machines); i++) {
    g_autofree char *text = g_strdup_printf(
      "local box = cluster { accelerator = gpu { %s } }\n"
      "run(box, function(r) r:provision(box.accelerator) r:wait('1 h') r:release(box.accelerator) end)\n",
      machines[i]);
    Outcome o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    const TsResults *r = ts_run_get_results(o.run);
    double price = 0, total = 0;
    unsigned units = 0;
    g_assert_cmpint(sscanf(r->price_desc, "%lf USD/instance-hour x %u instances = %lf USD/hour", &price, &units,
                           &total), ==, 3);
    g_assert_cmpfloat(fabs(price * units - total), <=, 0.005 + 1e-9);
    g_assert_cmpfloat(fabs(total - r->cost_compute), <=, 0.005 + 1e-9);
    outcome_clear(&o);
  }
}

/* Inference of a decoder is one forward pass over each sample's tokens, and the run says so: "6.8 samples/s" of
 * a 2,048-token GPT is prefills, not chat answers a second (decoding is not modelled).  A convolutional model has
 * nothing to generate and no such note. */
static void
test_infer_prefill_only(void)
{
  static const struct {
    const char *model;
    gboolean note;
  } cases[] = {{"models.gpt { layers = 4, width = 512, seq = 2048 }", TRUE},
               {"models.gpt { layers = 4, width = 512, heads = 8, seq = 2048 }", TRUE},
               {"models.resnet50", FALSE}};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text = g_strdup_printf(
      "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', price = '2 USD/device-hour' } }\n"
      "run(box, function(r) r:infer { model = %s, batch = 1, samples = 10, precision = 'bf16' } end)\n",
      cases[i].model);
    Outcome o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    g_assert_cmpint(test_run_has_diagnostic(o.run, "inference-prefill-only", "over its 2048 tokens"), ==,
                    cases[i].note);
    if (cases[i].note)
      g_assert_true(test_run_has_diagnostic(o.run, "inference-prefill-only", "decoding, with its KV cache) is not"));
    outcome_clear(&o);
  }
}

/* A download to local disk claims the download and its extracted copy; a dataset that does not state the copy's
 * size has it taken as large as the download, and the run says so (40 GB of tokens took 80 GB of disk without a
 * word).  Stated, in a bucket, or ImageNet (whose tar of JPEGs unpacks to as much again, stated by the prelude):
 * no note. */
static void
test_extracted_assumed(void)
{
  static const struct {
    const char *storage, *dataset;
    gboolean note;
  } cases[] = {
    {"", "dataset { name = 'toks', samples = 1000, bytes = '40 GB', kind = 'tokens', from = net }", TRUE},
    {"", "dataset { name = 'toks', samples = 1000, bytes = '40 GB', extracted = '40 GB', kind = 'tokens', from = net }",
     FALSE},
    {", storage = bucket { read = '1 GB/s', write = '1 GB/s' }",
     "dataset { name = 'toks', samples = 1000, bytes = '40 GB', kind = 'tokens', from = net }", FALSE},
    {"", "datasets.imagenet_1k { from = net }", FALSE},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *text = g_strdup_printf(
      "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', price = '2 USD/device-hour' }, "
      "host = { disk = '2 TB', disk_write = '2 GB/s' }%s }\n"
      "local net = internet { bandwidth = '10 Gbit/s' }\n"
      "run(box, function(r) r:download(%s) end)\n", cases[i].storage, cases[i].dataset);
    Outcome o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    g_assert_cmpint(test_run_has_diagnostic(o.run, "extracted-assumed", "taken to be as large"), ==, cases[i].note);
    /* What the disk holds is unchanged: the download and a copy as large, stated or not. */
    if (i < 2)
      g_assert_cmpfloat_with_epsilon(ts_run_get_results(o.run)->peak_storage, 80e9, 1);
    outcome_clear(&o);
  }
}

/* Committed terms (issue 14): two hours of a2-highgpu-8g under each term bill Google's catalog prices for it
 * (us-central1, March 2025: 13,514.9691136 and 7,508.53662384 USD per 730-hour month under a 1- and a 3-year
 * commitment, docs/devices.md), by hand; the summary names the term billed, and a note says the commitment's
 * unused hours are not in the cost. */
static void
test_committed_terms(void)
{
  static const struct {
    const char *pricing;
    double per_hour;
  } terms[] = {
    {"committed-1y", 13514.9691136 / 730},
    {"committed-3y", 7508.53662384 / 730},
  };
  double billed[G_N_ELEMENTS(terms)];
  for (gsize i = 0; i < G_N_ELEMENTS(terms); i++) {
    g_autofree char *text = g_strdup_printf(
      "local box = cluster { accelerator = gpu { instance = 'a2-highgpu-8g', pricing = '%s' } }\n"
      "run(box, function(r) r:provision(box.accelerator) r:wait('2 h') r:release(box.accelerator) end)\n",
      terms[i].pricing);
    Outcome o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    const TsResults *r = ts_run_get_results(o.run);
    billed[i] = r->cost_compute;
    /* The catalog keeps the hourly price to 5 decimals: within 1e-5 USD/hour of the monthly figure / 730. */
    g_assert_cmpfloat(fabs(r->cost_compute - 2 * terms[i].per_hour), <, 2e-5);
    g_autofree char *label = g_strdup_printf("(%s, us-central1)", terms[i].pricing);
    g_assert_nonnull(strstr(r->price_desc, label));
    g_assert_true(test_run_has_diagnostic(o.run, "commitment-term", terms[i].pricing));
    g_assert_false(test_run_has_diagnostic(o.run, "price-unknown", NULL));
    outcome_clear(&o);
  }
  g_assert_cmpfloat(billed[1], <, billed[0]);
  /* A term the catalog does not price is unknown, not the other term's price: a2-ultragpu-8g has no 3-year one
   * (Google publishes no committed use price for it). */
  Outcome u = run_text(
    "local box = cluster { accelerator = gpu { instance = 'a2-ultragpu-8g', pricing = 'committed-3y' } }\n"
    "run(box, function(r) r:provision(box.accelerator) r:wait('1 h') r:release(box.accelerator) end)\n", FALSE, 0);
  g_assert_no_error(u.error);
  g_assert_true(isnan(ts_run_get_results(u.run)->cost_compute));
  g_assert_true(test_run_has_diagnostic(u.run, "price-unknown", "committed-3y"));
  outcome_clear(&u);
}

/* --replicas: N seeds, nearest-rank percentiles, reproducible. */
static void
test_replicas(void)
{
  const double sorted[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  g_assert_cmpfloat(ts_percentile_sorted(sorted, 10, 50), ==, 5);
  g_assert_cmpfloat(ts_percentile_sorted(sorted, 10, 90), ==, 9);
  g_assert_cmpfloat(ts_percentile_sorted(sorted, 10, 100), ==, 10);
  g_assert_cmpfloat(ts_percentile_sorted(sorted, 1, 90), ==, 1);

  const char *text =
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 64, network = '800 Gbit/s',\n"
    "                                          price = '3 USD/device-hour' } }\n"
    "local d = dataset { samples = 1281167, bytes = '148 GB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator)\n"
    "  r:train { model = models.resnet50, data = d, batch = 4096, epochs = 90, precision = 'fp16',\n"
    "            checkpoint = { every = '1 epochs', keep = 1 }, failures = { mtbf = '2 h', restart = '1 min' } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp("ts-rep-XXXXXX.lua", &path, NULL);
  close(fd);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.path = path;
  TsReplicaStats a, b;
  memset(&a, 0, sizeof a); /* padding too: the two are compared with memcmp */
  memset(&b, 0, sizeof b);
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_replicas_run(registry, &opts, 25, &a, &error));
  g_assert_no_error(error);
  g_assert_true(ts_replicas_run(registry, &opts, 25, &b, &error));
  g_unlink(path);
  g_assert_cmpuint(a.replicas, ==, 25);
  g_assert_cmpuint(a.feasible, ==, 25);
  g_assert_cmpfloat(a.failures_mean, >, 0);
  g_assert_cmpfloat(a.time_p50_s, <=, a.time_p90_s);
  g_assert_cmpfloat(a.cost_p50_usd, <=, a.cost_p90_usd);
  g_assert_true(a.time_p90_s > a.time_p50_s); /* failures spread the outcomes */
  g_assert_true(memcmp(&a, &b, sizeof a) == 0);
}

/* models.gpt counts parameters as model cards do: Mistral 7B (grouped-query attention with 8 KV heads, a gated
 * FFN of 14336, untied embeddings) is 7,241,732,096; the GPT defaults stay 12·L·d² + V·d plus the norms; a
 * mixture of experts has all experts' weights but only the active ones' FLOPs. */
static void
test_gpt_params(void)
{
  Outcome o = run_text(
    "local m = models.gpt { layers = 32, width = 4096, heads = 32, kv_heads = 8, ffn = 14336, gated = true,\n"
    "                       vocab = 32000, tied_embeddings = false }\n"
    "assert(m.params == 7241732096, string.format('mistral %.0f', m.params))\n"
    "local g = models.gpt { layers = 2, width = 64, vocab = 100 }\n"
    "assert(g.params == 2 * 12 * 64 * 64 + 100 * 64 + 2 * 2 * 64 + 64, string.format('gpt %.0f', g.params))\n"
    "local e = models.gpt { layers = 2, width = 64, vocab = 100, experts = 8, active_experts = 2 }\n"
    "assert(e.params == 2 * (4 * 64 * 64 + 8 * 8 * 64 * 64 + 64 * 8 + 2 * 64) + 100 * 64 + 64, 'moe params')\n"
    "assert(e.active_params == 2 * (4 * 64 * 64 + 2 * 8 * 64 * 64 + 64 * 8 + 2 * 64) + 100 * 64 + 64, 'moe active')\n"
    "local c = cluster { accelerator = gpu { sku = 'V100-SXM2-16GB', count = 1, price = '1 USD/device-hour' } }\n"
    "run(c, function(r) end)\n",
    FALSE, 1);
  g_assert_no_error(o.error);
  outcome_clear(&o);
  Outcome bad = run_text("local m = models.gpt { layers = 2, width = 64, kv_head = 2 }\n", FALSE, 1);
  g_assert_error(bad.error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(bad.error->message, "unknown field kv_head; accepted: "));
  outcome_clear(&bad);
}

/* ts_train_estimate (trainsim plan's call) costs a layout with the training's own functions: on the cluster of a
 * run that trained the same layout, it gives the same step, terms, memory, throughput and MFU, and adds nothing to
 * the run; a layout that does not fit says so without a step time, an invalid one is an error. */
static void
test_estimate_agrees(void)
{
  Outcome o = run_text(gpt_tp4_pp4, FALSE, 0);
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  TsDataset data = {.name = (char *) "d", .samples = 1000000, .bytes = 1e9, .extracted = 1e9, .tokens = TRUE};
  TsTrainSpec spec = {0};
  spec.model = g_ptr_array_index(ts_run_get_models(o.run), 0);
  spec.data = &data;
  spec.batch = 64;
  spec.micro_batch = 2;
  spec.steps = 3;
  spec.precision = TS_PRECISION_BF16;
  spec.optimizer = (char *) "adam";
  spec.tp = 4;
  spec.pp = 4;
  spec.zero = 1;
  guint diagnostics = ts_run_get_diagnostics(o.run)->len;
  TsTrainEstimate e;
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_train_estimate(o.run, &spec, &e, &error));
  g_assert_no_error(error);
  g_assert_true(e.fits);
  g_assert_cmpuint(e.data_parallel, ==, 4);
  g_assert_cmpuint(e.micro_batches, ==, 8);
  g_assert_cmpfloat(e.micro_batch, ==, 2);
  g_assert_cmpfloat(e.device_memory_bytes, ==, r->peak_device);
  g_assert_cmpfloat(e.step.compute, ==, r->step.compute);
  g_assert_cmpfloat(e.step.tensor, ==, r->step.tensor);
  g_assert_cmpfloat(e.step.bubble, ==, r->step.bubble);
  g_assert_cmpfloat(e.step.data_exposed, ==, r->step.data_exposed);
  g_assert_cmpfloat(e.step.update, ==, r->step.update);
  g_assert_cmpfloat(e.step.launch, ==, r->step.launch);
  g_assert_cmpint(e.bound, ==, TS_STEP_BOUND_DEVICES);
  g_assert_true(e.collectives_modelled);
  /* The run's step is the estimate in whole engine ticks. */
  g_assert_cmpfloat(fabs(e.step_s - r->step_time_s), <, 1e-9 * r->step_time_s);
  g_assert_cmpfloat(fabs(e.samples_per_s - r->samples_per_s), <, 1e-9 * r->samples_per_s);
  g_assert_cmpfloat(fabs(e.mfu - r->mfu), <, 1e-9 * r->mfu);
  g_assert_cmpfloat(e.mfu, >, 0);
  g_assert_cmpuint(ts_run_get_diagnostics(o.run)->len, ==, diagnostics);

  /* Without model parallelism or ZeRO, 6.4 B parameters with Adam (16 bytes each) do not fit in 80 GB. */
  spec.tp = spec.pp = 1;
  spec.zero = 0;
  spec.micro_batch = 1;
  g_assert_true(ts_train_estimate(o.run, &spec, &e, &error));
  g_assert_false(e.fits);
  g_assert_cmpfloat(e.device_memory_bytes, >, e.device_capacity_bytes);
  g_assert_true(isnan(e.step_s));
  /* Recomputing as needed cannot make the state fit either: the estimate reports full recomputation. */
  spec.recompute_auto = TRUE;
  g_assert_true(ts_train_estimate(o.run, &spec, &e, &error));
  g_assert_false(e.fits);
  g_assert_cmpfloat(e.recompute, ==, 1.0);

  /* 3 tensor ranks do not divide 64 devices. */
  spec.tp = 3;
  g_assert_false(ts_train_estimate(o.run, &spec, &e, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "not a multiple of tensor x pipeline x context parallel = 3"));
  g_assert_cmpuint(ts_run_get_diagnostics(o.run)->len, ==, diagnostics);
  outcome_clear(&o);
}

#define assert_close(actual, expected, rel)                                                                     \
  G_STMT_START {                                                                                                \
    double a_ = (actual), e_ = (expected);                                                                      \
    if (!(fabs(a_ - e_) <= (rel) * fabs(e_)))                                                                   \
      g_error("%s = %.12g, expected %.12g (relative tolerance %g)", #actual, a_, e_, (double) (rel));          \
  }                                                                                                             \
  G_STMT_END

/* The roofline of one operation on a GPU, by hand (docs/model.md, "Operator-level model"): a product at the
 * generation's matmul efficiency x the tile utilisation of its output m, n (each padded to the tile edge; k is
 * not) x, for a matmul, the wave utilisation of its output tiles over the SMs (after split-K, where the tiles
 * leave SMs idle) and the k loop's share of each tile's time against the fitted matmul_tile_fixed_s; every
 * kind's bytes at the memory efficiency x the bandwidth, the larger of the two.  A product goes pass by pass:
 * forward (m, n, k), data gradient (m, k, n), weight gradient (k, n, m), each an equal share. */
static double
shape_by_hand(const TsDeviceSpec *spec, const char *kind, double m, double n, double k, double flops, double bytes,
              double peak)
{
  double util = 1, T = spec->matmul_tile, U = spec->matmul_units;
  const double dims[2] = {m, n};
  for (int i = 0; i < 2; i++)
    if (dims[i] > 0)
      util *= dims[i] / (ceil(dims[i] / T) * T);
  if (strcmp(kind, "matmul") == 0 && m > 0 && n > 0) {
    double tiles = ceil(m / T) * ceil(n / T), split = 1;
    if (tiles < U && k > 0)
      split = MAX(1, MIN(floor(U / tiles), floor(k / T)));
    util *= tiles / (ceil(tiles / (U / split)) * (U / split));
    if (k > 0 && spec->matmul_tile_fixed_s > 0) {
      double loop = 2 * T * T * (k / split) / (peak * spec->matmul_efficiency / U);
      util *= loop / (loop + spec->matmul_tile_fixed_s);
    }
  }
  double math = flops > 0 ? flops / (peak * spec->matmul_efficiency * util) : 0;
  double mem = bytes / (spec->memory_bandwidth * spec->memory_efficiency);
  return MAX(math, mem);
}

static double
roofline_by_hand(const TsDeviceSpec *spec, const TsModelOp *op, double peak)
{
  double passes = op->fwd_passes + op->dgrad_passes + op->wgrad_passes;
  if (strcmp(op->kind, "matmul") != 0 || !(passes > 0))
    return shape_by_hand(spec, op->kind, op->m, op->n, op->k, op->flops, op->bytes, peak);
  double f = op->flops / passes, b = op->bytes / passes;
  return op->fwd_passes * shape_by_hand(spec, "matmul", op->m, op->n, op->k, f, b, peak) +
         op->dgrad_passes * shape_by_hand(spec, "matmul", op->m, op->k, op->n, f, b, peak) +
         op->wgrad_passes * shape_by_hand(spec, "matmul", op->k, op->n, op->m, f, b, peak);
}

/* The small GPT both operation-by-operation tests run (2 layers, width 1024, 16 heads, sequence 1024, a
 * 32,000-token vocabulary; batch 4 in micro-batches of 2, 3 steps, Adam) on one GPU of `sku` at `precision`, and
 * the same model as core/model lists it (tests/test-model.c counts that list). */
static Outcome
run_small_gpt_attention(const char *sku, const char *precision, const char *attention)
{
  g_autofree char *text = g_strdup_printf(
    "local box = cluster { accelerator = gpu { sku = '%s', count = 1, price = '1 USD/device-hour' } }\n"
    "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
    "local m = models.gpt { layers = 2, width = 1024, heads = 16, seq = 1024, vocab = 32000 }\n"
    "run(box, function(r)\n"
    "  r:train { model = m, data = d, batch = 4, micro_batch = 2, steps = 3, precision = '%s',\n"
    "            optimizer = 'adam', attention = '%s' }\n"
    "end)\n", sku, precision, attention);
  return run_text(text, FALSE, 0);
}

static Outcome
run_small_gpt(const char *sku, const char *precision)
{
  return run_small_gpt_attention(sku, precision, "fused");
}

/* run_small_gpt's operation list as core/model lists it, for one micro-batch of 2 sequences (tests/test-model.c
 * counts that list), with the attention core `attention`; with fp8, in the 8-bit pass: 1-byte weights, cast ops,
 * half of the weights cast each step. */
static GArray *
small_gpt_ops(gboolean fp8, TsAttentionImpl attention)
{
  TsModel model = {.name = "gpt", .workload = TS_WORKLOAD_TRANSFORMER, .arch = TS_MODEL_ARCH_DECODER, .layers = 2,
                   .width = 1024, .heads = 16, .kv_heads = 16, .ffn = 4096, .seq = 1024, .vocab = 32000,
                   .tied = TRUE, .params = 1, .flops = 1, .activations = 1};
  TsModelOpContext ctx;
  ts_model_op_context_init(&ctx);
  ctx.micro = 2;
  ctx.attention = attention;
  if (fp8) {
    ctx.weight_bytes = 1;
    ctx.cast_8bit = TRUE;
    ctx.weight_casts = 0.5;
  }
  GArray *ops = g_array_new(FALSE, FALSE, sizeof(TsModelOp));
  g_autoptr(GError) error = NULL;
  g_assert_true(ts_model_ops_append(&model, &ctx, ops, &error));
  return ops;
}

/* A model with an architecture goes through the device operation by operation (core/run/compute.c): the
 * step's compute term is the sum of its products' roofline times, its activation term that of its
 * memory-bound operations, over the micro-batches; the host's launches (and the optimizer's one) cost only
 * what the whole step's device work does not hide.  Checked against the roofline by hand on each operation of the list, and on two operations with
 * numbers. */
static void
test_step_operations(void)
{
  const TsDeviceRecord *a100 = ts_registry_find_device(registry, "gpu", "A100-SXM4-80GB", NULL, NULL);
  g_assert_nonnull(a100);
  const TsDeviceSpec *spec = &a100->spec;
  g_assert_cmpfloat(spec->matmul_efficiency, >, 0);
  g_assert_cmpfloat(spec->matmul_tile, ==, 128);
  g_assert_cmpfloat(spec->matmul_units, ==, 108);
  Outcome o = run_small_gpt("A100-SXM4-80GB", "bf16");
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  /* The same list, by its own test's counting (tests/test-model.c): two micro-batches of 2 sequences. */
  g_autoptr(GArray) ops = small_gpt_ops(FALSE, TS_ATTENTION_FUSED);
  TsStackConstants eager;
  ts_registry_get_stack_constants(registry, "eager", &eager);
  double peak = spec->peak_dense[TS_PRECISION_BF16];
  double products = 0, memory = 0, host = 0;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    double t = roofline_by_hand(spec, op, peak);
    if (strcmp(op->kind, "matmul") == 0 || strcmp(op->kind, "attention") == 0)
      products += 2 * t;
    else
      memory += 2 * t;
    host += 2 * op->count * eager.launch_s;
  }
  host += eager.launch_s; /* the optimizer's launch */
  assert_close(r->step.compute, products, 1e-12);
  assert_close(r->step.activations, memory, 1e-12);
  double device = r->step.compute + r->step.activations + r->step.update;
  assert_close(r->step.launch, MAX(0, host - device), 1e-12);
  assert_close(r->step.compute_bound + r->step.memory_bound, products + memory + r->step.update, 1e-12);
  /* Two operations with numbers.  attn.qkv: 2 x 1024 rows x 3072 x 1024, forward and two backward products:
   * 3 x 2 x 2048 x 3072 x 1024 FLOPs, tile-aligned.  The forward result (2048 x 3072) has 16 x 24 = 384 tiles,
   * 4 waves of the A100's 108 SMs (384 / 432 busy), each tile looping over k = 1024; the data gradient's (2048 x
   * 1024) 16 x 8 = 128 tiles take 2 waves (128 / 216) over k = 3072; the weight gradient's (1024 x 3072) 8 x 24 =
   * 192 take 2 waves (192 / 216) over the 2048 rows.  Each tile's loop: 2 x 128^2 x k FLOPs at 312e12 x
   * efficiency / 108 per SM, against the fitted fixed time per tile. */
  const TsModelOp *qkv = NULL, *core = NULL;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    if (strcmp(op->name, "attn.qkv") == 0)
      qkv = op;
    if (strcmp(op->name, "attn.core") == 0)
      core = op;
  }
  g_assert_nonnull(qkv);
  g_assert_nonnull(core);
  double qkv_flops = 2 * 3 * 2.0 * 2048 * 3072 * 1024;
  g_assert_cmpfloat(qkv->flops, ==, qkv_flops);
  g_assert_cmpfloat(spec->matmul_tile_fixed_s, >, 0);
  double rate = 312e12 * spec->matmul_efficiency, qkv_pass = qkv_flops / 3, qkv_t = 0;
  const double qkv_k[3] = {1024, 3072, 2048}, qkv_busy[3] = {384.0 / 432, 128.0 / 216, 192.0 / 216};
  for (int i = 0; i < 3; i++) {
    double loop = 2.0 * 128 * 128 * qkv_k[i] / (rate / 108);
    qkv_t += qkv_pass / (rate * qkv_busy[i] * loop / (loop + spec->matmul_tile_fixed_s));
  }
  assert_close(roofline_by_hand(spec, qkv, peak), qkv_t, 1e-12);
  /* Causal flash attention, head dimension 64 (the depth of its products, not padded on a GPU): forward
   * 4 x 1024 x 1024 x 64 x 16 heads x 2 sequences / 2, backward 2.5 times that, 2 layers. */
  double core_flops = 2 * 3.5 * 4.0 * 1024 * 1024 * 64 * 16 * 2 / 2;
  assert_close(core->flops, core_flops, 1e-15);
  assert_close(roofline_by_hand(spec, core, peak), core_flops / (312e12 * spec->matmul_efficiency), 1e-12);
  outcome_clear(&o);
}

/* The host enqueues the kernels ahead of the device: a step costs its launches only where their host time exceeds
 * everything the device does in the step (core/run/train-step.c, step_time).  The same small model at micro-batch
 * 1 and 64: in each the launch term is max(0, host - device) and the step is the device work, that term and the
 * stack's overhead; the host time is the same launches for both, so the larger batch hides more of it. */
static void
test_step_launches_ahead(void)
{
  double launch[2], device[2];
  const int micro[2] = {1, 64};
  TsStackConstants eager;
  ts_registry_get_stack_constants(registry, "eager", &eager);
  for (int i = 0; i < 2; i++) {
    g_autofree char *text = g_strdup_printf(
      "local box = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 1, price = '1 USD/device-hour' } }\n"
      "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
      "local m = models.gpt { layers = 4, width = 256, heads = 4, seq = 256, vocab = 1024 }\n"
      "run(box, function(r)\n"
      "  r:train { stack = 'eager', model = m, data = d, batch = %d, steps = 3, precision = 'bf16',\n"
      "            optimizer = 'adamw' }\n"
      "end)\n", micro[i]);
    Outcome o = run_text(text, FALSE, 0);
    g_assert_no_error(o.error);
    const TsResults *r = ts_run_get_results(o.run);
    device[i] = r->step.compute + r->step.activations + r->step.update;
    launch[i] = r->step.launch;
    g_assert_cmpfloat(launch[i], >=, 0);
    assert_close(r->step_time_s, device[i] + launch[i] + r->step.overhead, 1e-6); /* whole nanoseconds */
    outcome_clear(&o);
  }
  g_assert_cmpfloat(device[1], >, device[0]);
  /* host = device + launch wherever the host binds; the same host time at both batches. */
  if (launch[0] > 0 && launch[1] > 0)
    assert_close(device[0] + launch[0], device[1] + launch[1], 1e-12);
  else if (launch[0] > 0)
    g_assert_cmpfloat(device[1], >=, (device[0] + launch[0]) * (1 - 1e-12));
  g_assert_cmpfloat(launch[1], <=, launch[0]);
}

/* An unfused optimizer update (optimizer_impl = "foreach" or "for-loop") moves 4 bytes per parameter for each of
 * its elementary passes -- 20 for AdamW, 8 for momentum -- where a fused one reads and writes 16-bit weights, fp32
 * master and state once: 2 x (2 + 4 + 8) bytes for AdamW, 2 x (2 + 4 + 4) for momentum (train-step.c). */
static void
test_optimizer_unfused(void)
{
  const char *opts[2] = {"adamw", "momentum"};
  const double ratio[2] = {80.0 / 28.0, 32.0 / 20.0};
  for (int k = 0; k < 2; k++) {
    double update[3];
    const char *impls[3] = {"fused", "foreach", "for-loop"};
    for (int i = 0; i < 3; i++) {
      g_autofree char *text = g_strdup_printf(
        "local box = cluster { accelerator = gpu { sku = 'H100-SXM5-80GB', count = 1, price = '1 USD/device-hour' } }\n"
        "local d = dataset { samples = 1000000, bytes = '1 GB', kind = 'tokens' }\n"
        "local m = models.gpt { layers = 4, width = 1024, heads = 16, seq = 1024, vocab = 32000 }\n"
        "run(box, function(r)\n"
        "  r:train { stack = 'eager', model = m, data = d, batch = 4, steps = 3, precision = 'bf16',\n"
        "            optimizer = '%s', optimizer_impl = '%s' }\n"
        "end)\n", opts[k], impls[i]);
      Outcome o = run_text(text, FALSE, 0);
      g_assert_no_error(o.error);
      update[i] = ts_run_get_results(o.run)->step.update;
      outcome_clear(&o);
    }
    g_assert_cmpfloat(update[0], >, 0);
    assert_close(update[1], update[0] * ratio[k], 1e-9);
    g_assert_cmpfloat(update[2], ==, update[1]); /* the same passes; their launches are not told apart */
  }
}

/* An FP8 run (core/run/compute.c; docs/model.md, "The 8-bit pass"): each product but the head at the 8-bit peak,
 * the attention and the head (kept wide) at bf16, and the 8-bit casts among the memory-bound operations; two
 * micro-batches a step, so each carries half of the weights' cast.  Checked against the roofline by hand. */
static void
test_step_operations_fp8(void)
{
  const TsDeviceRecord *h100 = ts_registry_find_device(registry, "gpu", "H100-SXM5-80GB", NULL, NULL);
  g_assert_nonnull(h100);
  const TsDeviceSpec *spec = &h100->spec;
  double p8 = spec->peak_dense[TS_PRECISION_FP8], p16 = spec->peak_dense[TS_PRECISION_BF16];
  g_assert_cmpfloat(p8, >, 1.9 * p16); /* the datasheet's 1,979 and 989.4 TFLOP/s */
  Outcome o = run_small_gpt("H100-SXM5-80GB", "fp8");
  g_assert_no_error(o.error);
  const TsResults *r = ts_run_get_results(o.run);
  g_autoptr(GArray) ops = small_gpt_ops(TRUE, TS_ATTENTION_FUSED);
  TsStackConstants eager;
  ts_registry_get_stack_constants(registry, "eager", &eager);
  g_assert_cmpfloat(eager.fusion, ==, 1);
  double products = 0, memory = 0, casts = 0, head = 0;
  for (guint i = 0; i < ops->len; i++) {
    const TsModelOp *op = &g_array_index(ops, TsModelOp, i);
    gboolean wide = strcmp(op->kind, "attention") == 0 || strcmp(op->name, "lm.head") == 0;
    double t = roofline_by_hand(spec, op, wide ? p16 : p8);
    if (strcmp(op->kind, "matmul") == 0 || strcmp(op->kind, "attention") == 0)
      products += 2 * t;
    else
      memory += 2 * t;
    if (strncmp(op->name, "cast8.", 6) == 0)
      casts += 2 * t;
    if (strcmp(op->name, "lm.head") == 0)
      head = t;
  }
  g_assert_cmpfloat(casts, >, 0);
  g_assert_cmpfloat(head, >, 0);
  assert_close(r->step.compute, products, 1e-12);
  assert_close(r->step.activations, memory, 1e-12);
  outcome_clear(&o);
}

/* The attention core's kernel (r:train's `attention`; docs/model.md, "Operator-level model: the layers"), by hand
 * on the small GPT (two micro-batches a step, so each core's time counts twice in the step's compute term):
 * - "flash2" on a B200 (an 8-bit run keeps the core at 16 bits) runs at the catalog's measured FlashAttention-2
 *   rate, 258.71 TFLOP/s, in place of the fused core's 2,250 TFLOP/s x the matmul efficiency;
 * - "fused_fp8" on an H100 runs the core at the FP8 peak (1,979 TFLOP/s, not 989.4) and moves Q, K, V, O and their
 *   gradients at one byte a value;
 * nothing else in the step changes.  Either name where the run's precision cannot hold it is refused. */
static void
test_attention_kernels(void)
{
  g_autoptr(GArray) ops = small_gpt_ops(TRUE, TS_ATTENTION_FUSED);
  g_autoptr(GArray) ops8 = small_gpt_ops(TRUE, TS_ATTENTION_FUSED_FP8);
  const TsModelOp *core = NULL, *core8 = NULL;
  for (guint i = 0; i < ops->len; i++)
    if (strcmp(g_array_index(ops, TsModelOp, i).kind, "attention") == 0) {
      core = &g_array_index(ops, TsModelOp, i);
      core8 = &g_array_index(ops8, TsModelOp, i);
    }
  g_assert_nonnull(core);
  g_assert_cmpfloat(core8->flops, ==, core->flops);
  g_assert_cmpfloat(core8->bytes, ==, core->bytes / 2);

  const TsDeviceSpec *b200 = &ts_registry_find_device(registry, "gpu", "B200", NULL, NULL)->spec;
  assert_close(b200->attention_flash2, 258.71e12, 1e-12);
  Outcome fused = run_small_gpt_attention("B200", "fp8", "fused"), flash2 = run_small_gpt_attention("B200", "fp8", "flash2");
  g_assert_no_error(fused.error);
  g_assert_no_error(flash2.error);
  g_assert_false(test_run_has_diagnostic(flash2.run, "attention-flash2-unrated", NULL)); /* B200 states its rate */
  double p16 = b200->peak_dense[TS_PRECISION_BF16];
  double t_fused = shape_by_hand(b200, "attention", core->m, core->n, core->k, core->flops, core->bytes, p16);
  double t_flash2 = MAX(core->flops / b200->attention_flash2, core->bytes / (b200->memory_bandwidth * b200->memory_efficiency));
  g_assert_cmpfloat(t_flash2, >, t_fused);
  assert_close(ts_run_get_results(flash2.run)->step.compute - ts_run_get_results(fused.run)->step.compute,
               2 * (t_flash2 - t_fused), 1e-9);
  outcome_clear(&fused);
  outcome_clear(&flash2);

  const TsDeviceSpec *h100 = &ts_registry_find_device(registry, "gpu", "H100-SXM5-80GB", NULL, NULL)->spec;
  Outcome h16 = run_small_gpt_attention("H100-SXM5-80GB", "fp8", "fused");
  Outcome h8 = run_small_gpt_attention("H100-SXM5-80GB", "fp8", "fused_fp8");
  g_assert_no_error(h16.error);
  g_assert_no_error(h8.error);
  double at16 = shape_by_hand(h100, "attention", core->m, core->n, core->k, core->flops, core->bytes,
                              h100->peak_dense[TS_PRECISION_BF16]);
  double at8 = shape_by_hand(h100, "attention", core8->m, core8->n, core8->k, core8->flops, core8->bytes,
                             h100->peak_dense[TS_PRECISION_FP8]);
  g_assert_cmpfloat(at8, <, at16);
  assert_close(ts_run_get_results(h16.run)->step.compute - ts_run_get_results(h8.run)->step.compute,
               2 * (at16 - at8), 1e-9);
  /* H100's catalog states no FlashAttention-2 rate: "flash2" runs as the fused core, and the run says so. */
  Outcome hf2 = run_small_gpt_attention("H100-SXM5-80GB", "fp8", "flash2");
  g_assert_no_error(hf2.error);
  g_assert_cmpfloat(h100->attention_flash2, ==, 0);
  g_assert_true(test_run_has_diagnostic(hf2.run, "attention-flash2-unrated", "H100-SXM5-80GB"));
  g_assert_false(test_run_has_diagnostic(h16.run, "attention-flash2-unrated", NULL));
  assert_close(ts_run_get_results(hf2.run)->step.compute, ts_run_get_results(h16.run)->step.compute, 1e-12);
  outcome_clear(&hf2);
  outcome_clear(&h16);
  outcome_clear(&h8);

  Outcome bad = run_small_gpt_attention("H100-SXM5-80GB", "bf16", "fused_fp8");
  g_assert_error(bad.error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(bad.error->message, "fused_fp8"));
  outcome_clear(&bad);
  Outcome bad32 = run_small_gpt_attention("H100-SXM5-80GB", "fp32", "flash2");
  g_assert_error(bad32.error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(bad32.error->message, "flash2"));
  outcome_clear(&bad32);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/run/memory-by-hand", test_memory_by_hand);
  g_test_add_func("/run/memory/attention-scores", test_attention_scores_memory);
  g_test_add_func("/run/oom-largest-batch", test_oom_largest_batch);
  g_test_add_func("/run/disk-full-time", test_disk_full_time);
  g_test_add_func("/run/retention", test_retention);
  g_test_add_func("/run/idle-billing", test_idle_billing);
  g_test_add_func("/run/fair-sharing", test_fair_sharing);
  g_test_add_func("/run/download-resumable", test_download_resumable);
  g_test_add_func("/run/pipeline-bubble-tensor-traffic", test_pipeline_and_tensor);
  g_test_add_func("/run/ring-attention", test_ring_attention);
  g_test_add_func("/run/tp-comm-overlap", test_tp_comm_overlap);
  g_test_add_func("/run/step-terms", test_step_terms);
  g_test_add_func("/run/step-operations", test_step_operations);
  g_test_add_func("/run/step-operations-fp8", test_step_operations_fp8);
  g_test_add_func("/run/attention-kernels", test_attention_kernels);
  g_test_add_func("/run/step-launches-ahead", test_step_launches_ahead);
  g_test_add_func("/run/optimizer-unfused", test_optimizer_unfused);
  g_test_add_func("/run/gpt-params", test_gpt_params);
  g_test_add_func("/run/recompute-auto", test_recompute_auto);
  g_test_add_func("/run/daly", test_daly);
  g_test_add_func("/run/aggregation-equality", test_aggregation_equality);
  g_test_add_func("/run/failures-seeded", test_failures_seeded);
  g_test_add_func("/run/replicas", test_replicas);
  g_test_add_func("/run/spot-rate", test_spot_rate);
  g_test_add_func("/run/rented-price", test_rented_price);
  g_test_add_func("/run/price-line-adds-up", test_price_line_adds_up);
  g_test_add_func("/run/infer-prefill-only", test_infer_prefill_only);
  g_test_add_func("/run/extracted-assumed", test_extracted_assumed);
  g_test_add_func("/run/committed-terms", test_committed_terms);
  g_test_add_func("/run/estimate-agrees", test_estimate_agrees);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
