/* /stragglers/...: a synchronous step waits for the slowest node (issue 19, item 2; docs/model.md, "Stragglers"):
 * one slow node among N makes every step the slow node's step, computed here by hand from the step's terms; with a
 * lognormal jitter per node and step, the expected slowest factor the run uses is the mean of the largest of N
 * draws, sampled here (within 1 %). */
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
#include "run/stragglers.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static TsRegistry *registry;

static TsRun *
run_text(const char *text, GError **error)
{
  return test_scenario_run_text(registry, text, NULL, NULL, error);
}

/* 8 nodes of 8 A100s, plain data parallelism, 100 steps (STEPS_RUN: %d steps). */
#define STEPS_RUN                                                                                               \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = %d, per_node = 8,\n"              \
  "                                          network = '200 Gbit/s', price = '1 USD/device-hour' } }\n"        \
  "local d = dataset { samples = 1000000, bytes = '10 GB', kind = 'tokens' }\n"                                 \
  "local m = models.gpt { layers = 4, width = 1024, heads = 16, seq = 512 }\n"                                 \
  "run(box, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = %d, steps = %d, precision = 'bf16', optimizer = 'adam'%s }\n"      \
  "end)\n"
#define CLUSTER_RUN                                                                                             \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = %d, per_node = 8,\n"              \
  "                                          network = '200 Gbit/s', price = '1 USD/device-hour' } }\n"        \
  "local d = dataset { samples = 1000000, bytes = '10 GB', kind = 'tokens' }\n"                                 \
  "local m = models.gpt { layers = 4, width = 1024, heads = 16, seq = 512 }\n"                                 \
  "run(box, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = %d, steps = 100, precision = 'bf16', optimizer = 'adam'%s }\n"     \
  "end)\n"

static TsRun *
run_cluster(guint devices, const char *option)
{
  g_autofree char *text = g_strdup_printf(CLUSTER_RUN, devices, devices * 2, option);
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  return run;
}

/* The node-local work of a step: its operations, their launches and the optimizer update. */
static double
device_work(const TsResults *r)
{
  return r->step.compute + r->step.activations + r->step.launch + r->step.update;
}

static void
test_one_slow_node(void)
{
  TsRun *plain = run_cluster(64, "");
  const TsResults *p = ts_run_get_results(plain);
  g_assert_cmpuint(p->nodes, ==, 8);
  g_assert_cmpfloat(p->step.stragglers, ==, 0);
  /* The slow node does its device work 1.5 times as slowly; the others wait for it at the gradient all-reduce,
   * whose own time is the links'. So every step is the slow node's: the plain step + 0.5 x its device work. */
  double slow_step = p->step_time_s + 0.5 * device_work(p);
  g_assert_cmpfloat(device_work(p), >, 0.1 * p->step_time_s); /* a wait worth measuring */
  const char *options[] = {", stragglers = { slow_nodes = 1, slowdown = 1.5 }",
                           ", stragglers = { slow_fraction = 0.125, slowdown = 1.5 }", /* 1 of 8 */
                           ", stragglers = { slow_nodes = 8, slowdown = 1.5 }"};     /* all slow: the same wait */
  for (gsize i = 0; i < G_N_ELEMENTS(options); i++) {
    TsRun *run = run_cluster(64, options[i]);
    const TsResults *r = ts_run_get_results(run);
    assert_rel(r->step_time_s, slow_step, 1e-7); /* the step is whole nanoseconds (engine ticks) */
    assert_rel(r->step.stragglers, 0.5 * device_work(p), 1e-12);
    g_assert_cmpfloat(r->stragglers.factor, ==, 1.5);
    g_assert_cmpuint(r->stragglers.slow, ==, i == 2 ? 8 : 1);
    /* Every step waits: the training takes 100 slow steps; memory is the same. */
    assert_rel(r->compute_time_s, 100 * slow_step, 1e-7);
    g_assert_cmpfloat(r->peak_device, ==, p->peak_device);
    ts_run_free(run);
  }
  ts_run_free(plain);
}

/* One lognormal draw of mean 1 and log-sd sigma (Box-Muller on GRand: deterministic for the seed). */
static double
lognormal(GRand *rng, double sigma)
{
  double u1 = g_rand_double(rng), u2 = g_rand_double(rng);
  double z = sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * G_PI * u2);
  return exp(sigma * z - sigma * sigma / 2);
}

/* The mean over `trials` steps of the largest factor of `nodes` nodes, `slow` of them at `slowdown`. */
static double
sampled_max(guint nodes, guint slow, double slowdown, double sigma, guint trials)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed(19);
  double sum = 0;
  for (guint t = 0; t < trials; t++) {
    double m = 0;
    for (guint n = 0; n < nodes; n++) {
      double f = lognormal(rng, sigma) * (n < slow ? slowdown : 1.0); /* one draw (MAX evaluates twice) */
      m = MAX(m, f);
    }
    sum += m;
  }
  return sum / trials;
}

static int
compare_doubles(const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
test_jitter(void)
{
  TsRun *plain = run_cluster(64, "");
  const TsResults *p = ts_run_get_results(plain);
  struct {
    const char *option;
    guint slow;
    double slowdown, sigma;
  } cases[] = {
    {", stragglers = { jitter = 0.05 }", 0, 1, 0.05},
    {", stragglers = { jitter = 0.2 }", 0, 1, 0.2},
    {", stragglers = { slow_nodes = 1, slowdown = 1.1, jitter = 0.05 }", 1, 1.1, 0.05},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    TsRun *run = run_cluster(64, cases[i].option);
    const TsResults *r = ts_run_get_results(run);
    double sampled = sampled_max(8, cases[i].slow, cases[i].slowdown, cases[i].sigma, 200000);
    /* The expected slowest of the 8 nodes, and the mean step it gives, within 1 % of the sampled ones. */
    assert_rel(r->stragglers.factor, sampled, 0.01);
    assert_rel(r->step_time_s, p->step_time_s + (sampled - 1) * device_work(p), 0.01);
    g_assert_cmpfloat(r->stragglers.factor, >, 1.0);
    ts_run_free(run);
  }
  ts_run_free(plain);
  /* More nodes, a longer wait: the largest of N draws grows with N (about sigma sqrt(2 ln N)). */
  g_assert_cmpfloat(ts_stragglers_expected_max(1024, 0, 1, 0.05), >, ts_stragglers_expected_max(8, 0, 1, 0.05));
  assert_rel(ts_stragglers_expected_max(1024, 0, 1, 0.05), sampled_max(1024, 0, 1, 0.05, 4000), 0.01);
  /* One node alone waits for nobody: its mean factor is 1. */
  assert_rel(ts_stragglers_expected_max(1, 0, 1, 0.3), 1.0, 1e-9);
}

/* A run of `steps` steps on 64 devices (8 nodes) with `option`, under `seed`. */
static TsRun *
run_steps(guint steps, const char *option, guint64 seed)
{
  g_autofree char *text = g_strdup_printf(STEPS_RUN, 64, 128, steps, option);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.limits.seed = seed;
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, &opts, NULL, &error);
  g_assert_no_error(error);
  return run;
}

/* The step-by-step draw (ts_stragglers_sample_max, one uniform per group of nodes) against the brute force of
 * drawing every node: the same mean, and the same distribution (the brute force's median splits its draws in
 * half), for 8 nodes with and without a slow node and for 1,024. */
static void
test_sample_distribution(void)
{
  struct {
    guint nodes, slow;
    double slowdown, sigma;
    guint trials;
  } cases[] = {{8, 0, 1, 0.2, 200000}, {8, 1, 1.1, 0.05, 200000}, {1024, 0, 1, 0.05, 10000}};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    guint n = cases[i].trials;
    g_autofree double *brute = g_new(double, n);
    g_autoptr(GRand) grand = g_rand_new_with_seed(7);
    for (guint t = 0; t < n; t++) {
      double m = 0;
      for (guint k = 0; k < cases[i].nodes; k++) {
        double f = lognormal(grand, cases[i].sigma) * (k < cases[i].slow ? cases[i].slowdown : 1.0);
        m = MAX(m, f);
      }
      brute[t] = m;
    }
    TsRng rng;
    ts_rng_init(&rng, 19, 3);
    double sum = 0, brute_sum = 0;
    g_autofree double *drawn = g_new(double, n);
    for (guint t = 0; t < n; t++) {
      drawn[t] = ts_stragglers_sample_max(&rng, cases[i].nodes, cases[i].slow, cases[i].slowdown, cases[i].sigma);
      sum += drawn[t];
      brute_sum += brute[t];
    }
    assert_rel(sum / n, brute_sum / n, 0.01);
    assert_rel(sum / n, ts_stragglers_expected_max(cases[i].nodes, cases[i].slow, cases[i].slowdown, cases[i].sigma),
               0.01);
    /* The brute force's quartiles cut the drawn ones at a quarter, a half and three quarters, within 4 standard
     * errors of the difference of two samples' fractions (sqrt(2 p (1 - p) / n): 0.4 points at 200,000 trials). */
    qsort(brute, n, sizeof(double), compare_doubles);
    for (int q = 1; q <= 3; q++) {
      double cut = brute[n * q / 4];
      guint below = 0;
      for (guint t = 0; t < n; t++)
        below += drawn[t] < cut;
      double p = q / 4.0;
      if (g_test_verbose())
        g_test_message("%u nodes: %.4f of the draws below the brute force's %.2f quantile", cases[i].nodes,
                       (double) below / n, p);
      g_assert_cmpfloat(fabs((double) below / n - p), <, 4 * sqrt(2 * p * (1 - p) / n));
    }
  }
  /* Without jitter there is nothing to draw: every step is the slow node's, or 1. */
  TsRng rng;
  ts_rng_init(&rng, 1, 3);
  g_assert_cmpfloat(ts_stragglers_sample_max(&rng, 8, 1, 1.5, 0), ==, 1.5);
  g_assert_cmpfloat(ts_stragglers_sample_max(&rng, 8, 0, 1, 0), ==, 1.0);
}

/* Aggregated (every step the expected one) and step by step (each step's nodes drawn) agree: exactly without
 * jitter, where there is nothing to draw; within 1 % over 20,000 steps with a jitter of 0.2, where the mean of the
 * drawn steps converges to the expected one (its standard error here is about 0.1 %). */
static void
test_step_by_step(void)
{
#define SLOW ", stragglers = { slow_nodes = 1, slowdown = 1.5%s }"
  g_autofree char *slow_expected = g_strdup_printf(SLOW, "");
  g_autofree char *slow_sampled = g_strdup_printf(SLOW, ", mode = 'sampled'");
  TsRun *e = run_steps(100, slow_expected, 0), *s = run_steps(100, slow_sampled, 0);
  const TsResults *re = ts_run_get_results(e), *rs = ts_run_get_results(s);
  g_assert_true(rs->stragglers.sampled);
  g_assert_false(re->stragglers.sampled);
  g_assert_cmpfloat(rs->compute_time_s, ==, re->compute_time_s);
  g_assert_cmpfloat(rs->total_time_s, ==, re->total_time_s);
  g_assert_cmpfloat(rs->stragglers.sampled_factor, ==, 1.5);
  ts_run_free(e);
  ts_run_free(s);

#define JITTER ", stragglers = { jitter = 0.2%s }"
  g_autofree char *jit_expected = g_strdup_printf(JITTER, "");
  g_autofree char *jit_sampled = g_strdup_printf(JITTER, ", mode = 'sampled'");
  e = run_steps(20000, jit_expected, 0);
  s = run_steps(20000, jit_sampled, 0);
  re = ts_run_get_results(e);
  rs = ts_run_get_results(s);
  assert_rel(rs->compute_time_s, re->compute_time_s, 0.01);
  assert_rel(rs->stragglers.sampled_factor, re->stragglers.factor, 0.01);
  /* The drawn steps are the training: its wall time is their sum, all of it productive. */
  assert_rel(rs->train_time_s, rs->compute_time_s, 1e-9);
  assert_rel(rs->goodput.seconds[TS_GOODPUT_PRODUCTIVE] + rs->goodput.seconds[TS_GOODPUT_DATA_STALL],
             rs->compute_time_s, 1e-9);
  /* Drawn, not averaged: the same seed gives the same run, another seed another one. */
  TsRun *again = run_steps(20000, jit_sampled, 0), *other = run_steps(20000, jit_sampled, 1);
  g_assert_cmpfloat(ts_run_get_results(again)->compute_time_s, ==, rs->compute_time_s);
  g_assert_cmpfloat(ts_run_get_results(other)->compute_time_s, !=, rs->compute_time_s);
  assert_rel(ts_run_get_results(other)->compute_time_s, re->compute_time_s, 0.01);
  ts_run_free(again);
  ts_run_free(other);
  ts_run_free(e);
  ts_run_free(s);
}

/* Step by step with failures: the work lost to each failure is drawn again when redone; the kept steps' drawn
 * time is the productive time, the rest of the training lost, checkpoints and restarts. */
static void
test_step_by_step_failures(void)
{
  const char *opt = ", stragglers = { jitter = 0.2, mode = 'sampled' }, checkpoint = { every = '500 steps' },"
                    " failures = { mtbf = '5 h', restart = '30 s' }";
  TsRun *run = run_steps(20000, opt, 3);
  const TsResults *r = ts_run_get_results(run);
  g_assert_cmpuint(r->failures, >, 0);
  g_assert_cmpuint(r->steps_done, ==, 20000);
  assert_rel(r->goodput.seconds[TS_GOODPUT_PRODUCTIVE] + r->goodput.seconds[TS_GOODPUT_DATA_STALL],
             r->compute_time_s, 1e-9);
  assert_rel(r->stragglers.sampled_factor, r->stragglers.factor, 0.01);
  g_assert_cmpfloat(r->goodput.seconds[TS_GOODPUT_LOST_WORK], >, 0);
  ts_run_free(run);
}

/* 8 nodes of 8 `sku`s, plain data parallelism, 100 steps of a small GPT at bf16. */
#define MIXED_RUN                                                                                               \
  "local box = cluster { accelerator = gpu { sku = '%s', count = 64, per_node = 8,\n"                           \
  "                                          network = '200 Gbit/s', price = '1 USD/device-hour' } }\n"        \
  "local d = dataset { samples = 1000000, bytes = '10 GB', kind = 'tokens' }\n"                                 \
  "local m = models.gpt { layers = 4, width = 1024, heads = 16, seq = 512 }\n"                                 \
  "run(box, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = %d, steps = 100, precision = 'bf16', optimizer = 'adam'%s }\n"      \
  "end)\n"

static TsRun *
run_batch(const char *sku, guint batch, const char *option, GError **error)
{
  g_autofree char *text = g_strdup_printf(MIXED_RUN, sku, batch, option);
  return run_text(text, error);
}

static TsRun *
run_mixed(const char *sku, const char *option, GError **error)
{
  g_autofree char *text = g_strdup_printf(MIXED_RUN, sku, 256, option);
  return run_text(text, error);
}

/* Mixed generations in one data-parallel job (docs/model.md, "Mixed generations"): 2 of 8 nodes hold A100s in an
 * H100 cluster.  By hand from two single-generation runs of the same layout: a node's device work per step on each
 * (w = operations + launches + update).  Waiting, the step is the H100 step + (w_A100 - w_H100); with jitter, the
 * slowest factor is that of 2 slow nodes at w_A100 / w_H100 among 8.  Balanced by speed, the shares make every
 * node's work equal, var_g x share_g + update_g, with the shares averaging 1 over the nodes. */
static void
test_mixed_generations(void)
{
  g_autoptr(GError) error = NULL;
  TsRun *h = run_mixed("H100-SXM5-80GB", "", &error);
  g_assert_no_error(error);
  TsRun *a = run_mixed("A100-SXM4-80GB", "", &error);
  g_assert_no_error(error);
  const TsResults *rh = ts_run_get_results(h), *ra = ts_run_get_results(a);
  double w_h = device_work(rh), w_a = device_work(ra);
  g_assert_cmpfloat(w_a, >, 1.2 * w_h); /* the older generation is slower: a wait worth measuring */

  TsRun *wait = run_mixed("H100-SXM5-80GB", ", mixed = { sku = 'A100-SXM4-80GB', nodes = 2 }", &error);
  g_assert_no_error(error);
  const TsResults *rw = ts_run_get_results(wait);
  assert_rel(rw->mixed.work_s, w_h, 1e-12);
  assert_rel(rw->mixed.other_work_s, w_a, 1e-12);
  assert_rel(rw->step_time_s, rh->step_time_s + (w_a - w_h), 1e-7);
  assert_rel(rw->step.stragglers, w_a - w_h, 1e-12);
  g_assert_cmpuint(rw->stragglers.slow, ==, 2);
  /* Every device holds the same micro-batch: an A100 the A100 run's memory. */
  assert_rel(rw->mixed.other_peak_device, ra->peak_device, 1e-12);
  g_assert_cmpfloat(rw->peak_device, ==, rh->peak_device);

  TsRun *jit = run_mixed("H100-SXM5-80GB", ", mixed = { sku = 'A100-SXM4-80GB', nodes = 2 },"
                         " stragglers = { jitter = 0.1 }", &error);
  g_assert_no_error(error);
  const TsResults *rj = ts_run_get_results(jit);
  double factor = ts_stragglers_expected_max(8, 2, w_a / w_h, 0.1);
  assert_rel(rj->stragglers.factor, factor, 1e-12);
  assert_rel(rj->step_time_s, rh->step_time_s + (factor - 1) * w_h, 1e-7);
  assert_rel(factor, sampled_max(8, 2, w_a / w_h, 0.1, 200000), 0.01);

  TsRun *speed = run_mixed("H100-SXM5-80GB", ", mixed = { sku = 'A100-SXM4-80GB', nodes = 2, balance = 'speed' }",
                           &error);
  g_assert_no_error(error);
  const TsResults *rs = ts_run_get_results(speed);
  double var_h = w_h - rh->step.update, var_a = w_a - ra->step.update;
  double tw = (8 + 6 * rh->step.update / var_h + 2 * ra->step.update / var_a) / (6 / var_h + 2 / var_a);
  assert_rel(rs->mixed.share, (tw - rh->step.update) / var_h, 1e-12);
  assert_rel(rs->mixed.other_share, (tw - ra->step.update) / var_a, 1e-12);
  assert_rel(6 * rs->mixed.share + 2 * rs->mixed.other_share, 8, 1e-12);
  assert_rel(var_h * rs->mixed.share + rh->step.update, var_a * rs->mixed.other_share + ra->step.update, 1e-12);
  assert_rel(rs->step_time_s, rh->step_time_s + (tw - w_h), 1e-7);
  /* Balancing beats waiting, and cannot beat a cluster of the faster generation alone. */
  g_assert_cmpfloat(rs->step_time_s, <, rw->step_time_s);
  g_assert_cmpfloat(rs->step_time_s, >, rh->step_time_s);
  /* The H100s hold a larger share of the micro-batch, the A100s a smaller one. */
  g_assert_cmpfloat(rs->mixed.share, >, 1);
  g_assert_cmpfloat(rs->mixed.other_share, <, 1);
  g_assert_cmpfloat(rs->peak_device, >, rh->peak_device);
  g_assert_cmpfloat(rs->mixed.other_peak_device, <, ra->peak_device);

  /* The faster generation as the other one: the cluster's own nodes are the slow ones. */
  TsRun *fast = run_mixed("A100-SXM4-80GB", ", mixed = { sku = 'H100-SXM5-80GB', nodes = 2 }", &error);
  g_assert_no_error(error);
  assert_rel(ts_run_get_results(fast)->step_time_s, ra->step_time_s, 1e-7);
  g_assert_cmpuint(ts_run_get_results(fast)->stragglers.slow, ==, 6);

  /* Every node of the other generation: refused, as an unknown device is. */
  g_assert_null(run_mixed("H100-SXM5-80GB", ", mixed = { sku = 'A100-SXM4-80GB', nodes = 8 }", &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "at least one must hold its own H100-SXM5-80GB"));
  g_clear_error(&error);
  g_assert_null(run_mixed("H100-SXM5-80GB", ", mixed = { sku = 'Z100', nodes = 2 }", &error));
  g_assert_nonnull(strstr(error->message, "mixed.sku"));
  g_clear_error(&error);
  /* A generation that cannot compute at the run's precision says so. */
  g_assert_null(run_mixed("H100-SXM5-80GB", ", mixed = { sku = 'V100-SXM2-16GB', nodes = 2 }", &error));
  g_assert_nonnull(strstr(error->message, "has no bf16"));
  g_clear_error(&error);
  /* Micro-batches of 640 samples: an H100 (80 GB) holds one, an A100-40GB does not -- infeasible, said, with
   * no results; an 80 GB A100 holds it. */
  TsRun *big = run_batch("H100-SXM5-80GB", 64 * 640, "", &error);
  g_assert_no_error(error);
  double need = ts_run_get_results(big)->peak_device;
  g_assert_cmpfloat(need, >, 40e9);
  g_assert_cmpfloat(need, <, 80e9);
  TsRun *oom = run_batch("H100-SXM5-80GB", 64 * 640, ", mixed = { sku = 'A100-SXM4-40GB', nodes = 2 }", &error);
  g_assert_error(error, TS_ERROR, TS_ERROR_INFEASIBLE);
  g_assert_nonnull(strstr(error->message, "does not fit in the memory of the A100-SXM4-40GB devices"));
  g_clear_error(&error);
  ts_run_free(oom);
  TsRun *fits = run_batch("H100-SXM5-80GB", 64 * 640, ", mixed = { sku = 'A100-SXM4-80GB', nodes = 2 }", &error);
  g_assert_no_error(error);
  TsRun *a100 = run_batch("A100-SXM4-80GB", 64 * 640, "", &error);
  g_assert_no_error(error);
  assert_rel(ts_run_get_results(fits)->mixed.other_peak_device, ts_run_get_results(a100)->peak_device, 1e-12);
  ts_run_free(a100);
  ts_run_free(fits);
  ts_run_free(big);
  for (TsRun **r = (TsRun *[]){h, a, wait, jit, speed, fast, NULL}; *r; r++)
    ts_run_free(*r);
}

static void
test_too_many_slow(void)
{
  g_autofree char *text = g_strdup_printf(CLUSTER_RUN, 64, 128, ", stragglers = { slow_nodes = 9, slowdown = 2 }");
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_null(run);
  g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
  g_assert_nonnull(strstr(error->message, "more than the cluster's 8 nodes"));
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/stragglers/one-slow-node", test_one_slow_node);
  g_test_add_func("/stragglers/jitter", test_jitter);
  g_test_add_func("/stragglers/too-many-slow", test_too_many_slow);
  g_test_add_func("/stragglers/sample-distribution", test_sample_distribution);
  g_test_add_func("/stragglers/step-by-step", test_step_by_step);
  g_test_add_func("/stragglers/step-by-step-failures", test_step_by_step_failures);
  g_test_add_func("/stragglers/mixed-generations", test_mixed_generations);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
