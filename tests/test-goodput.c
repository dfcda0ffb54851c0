/* /goodput/...: where the wall time goes (docs/outputs.md, "Goodput"): the categories partition the wall time
 * exactly (engine ticks), the cost split sums to the total cost, and a small run's categories by hand. */
#include "output/summary.h"
#include "plugin/plugin-host.h"
#include "run/run.h"
#include "test-scenario.h"

#include <json-glib/json-glib.h>
#include <math.h>

static TsRegistry *registry;

/* The run borrows *path (its summary names the scenario): the caller frees it after the run. */
static TsRun *
run_text(const char *text, guint64 seed, char **path)
{
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.limits.seed = seed;
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, &opts, path, &error);
  g_assert_no_error(error);
  g_assert_nonnull(run);
  return run;
}

/* The partition and the cost split, in the results and in summary.json (seconds to the nanosecond). */
static void
assert_partition(TsRun *run)
{
  const TsResults *r = ts_run_get_results(run);
  TsTime sum = 0;
  double usd = 0;
  for (int c = 0; c < TS_GOODPUT_COUNT; c++) {
    g_assert_cmpint(r->goodput.ticks[c], >=, 0);
    sum += r->goodput.ticks[c];
    usd += r->goodput.usd[c];
  }
  g_assert_cmpfloat(ts_time_to_seconds(sum), ==, r->total_time_s);
  g_assert_cmpfloat_with_epsilon(usd, r->cost_total, 1e-9 * r->cost_total);
  g_autofree char *json = ts_summary_to_json(run);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
  JsonObject *o = json_node_get_object(json_parser_get_root(parser));
  JsonObject *g = json_object_get_object_member(o, "goodput");
  JsonObject *cats = json_object_get_object_member(g, "categories");
  JsonObject *cost = json_object_get_object_member(g, "cost_usd");
  g_assert_cmpuint(json_object_get_size(cats), ==, TS_GOODPUT_COUNT);
  gint64 ns = 0;
  double dollars = 0;
  for (int c = 0; c < TS_GOODPUT_COUNT; c++) {
    const char *name = ts_goodput_category_get_name(c);
    ns += llround(json_object_get_double_member(cats, name) * 1e9);
    dollars += json_object_get_double_member(cost, name);
  }
  g_assert_cmpint(ns, ==, llround(json_object_get_double_member(o, "total_time_s") * 1e9));
  double total = json_object_get_double_member(json_object_get_object_member(o, "cost_usd"), "total");
  g_assert_cmpfloat(fabs(dollars - total), <, 0.005); /* to the cent */
  g_assert_cmpfloat_with_epsilon(json_object_get_double_member(g, "percent"),
                                 100.0 * r->goodput.seconds[TS_GOODPUT_PRODUCTIVE] / r->total_time_s, 1e-9);
}

/* Provisioning 10 min, an idle wait of 30 min, then a training with a synchronous checkpoint each epoch and no
 * failures: provisioning, idle, checkpoint_save (checkpoints x one write) and productive (steps x step time)
 * are known by hand; the rest is 0.  Cost: one rate throughout, so each category's cost is its time's. */
static void
test_by_hand(void)
{
  const char *text =
    "local box = cluster { accelerator = gpu { sku = 'V100-SXM2-32GB', count = 8, price = '3 USD/device-hour' } }\n"
    "local d = dataset { samples = 1281167, bytes = '148 GB' }\n"
    "run(box, function(r)\n"
    "  r:provision(box.accelerator, { startup = '10 min' })\n"
    "  r:wait('30 min')\n"
    "  r:train { model = models.resnet50, data = d, batch = 2048, epochs = 3, precision = 'fp16',\n"
    "            checkpoint = { every = '1 epochs' } }\n"
    "  r:release(box.accelerator)\n"
    "end)\n";
  g_autofree char *path = NULL;
  TsRun *run = run_text(text, 1, &path);
  const TsResults *r = ts_run_get_results(run);
  assert_partition(run);
  const double *s = r->goodput.seconds;
  g_assert_cmpfloat_with_epsilon(s[TS_GOODPUT_PROVISIONING], 600, 1e-9);
  g_assert_cmpfloat_with_epsilon(s[TS_GOODPUT_IDLE], 1800, 1e-9);
  g_assert_cmpuint(r->checkpoints, ==, 3);
  g_assert_cmpfloat_with_epsilon(s[TS_GOODPUT_CHECKPOINT_SAVE], 3 * r->checkpoint_write_s, 1e-6);
  double steps = (double) r->steps * r->step_time_s;
  g_assert_cmpfloat_with_epsilon(s[TS_GOODPUT_PRODUCTIVE] + s[TS_GOODPUT_DATA_STALL], steps, 1e-6);
  g_assert_cmpfloat(s[TS_GOODPUT_LOST_WORK], ==, 0);
  g_assert_cmpfloat(s[TS_GOODPUT_CHECKPOINT_RESTORE], ==, 0);
  g_assert_cmpfloat(s[TS_GOODPUT_COMPILATION], ==, 0);
  g_assert_cmpfloat_with_epsilon(r->total_time_s, 600 + 1800 + 3 * r->checkpoint_write_s + steps, 1e-6);
  double rate = 3.0 * 8 / 3600; /* USD per second */
  g_assert_cmpfloat_with_epsilon(r->goodput.usd[TS_GOODPUT_IDLE], 1800 * rate + r->cost_storage * 1800 / r->total_time_s,
                                 1e-9);
  ts_run_free(run);
}

/* Random failures: lost work and restarts appear, the partition still holds to the tick, and the restarts are
 * at most one restart time per failure (a failure may cut one short). */
static void
test_failures(void)
{
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
  for (guint64 seed = 1; seed <= 3; seed++) {
    g_autofree char *path = NULL;
    TsRun *run = run_text(text, seed, &path);
    const TsResults *r = ts_run_get_results(run);
    assert_partition(run);
    g_assert_cmpuint(r->failures, >, 0);
    const double *s = r->goodput.seconds;
    g_assert_cmpfloat(s[TS_GOODPUT_LOST_WORK], >, 0);
    g_assert_cmpfloat(s[TS_GOODPUT_CHECKPOINT_RESTORE], >, 0);
    g_assert_cmpfloat(s[TS_GOODPUT_CHECKPOINT_RESTORE], <=, 60.0 * r->failures + 1e-6);
    /* Everything the failures cost is lost work or restarts: the kept steps are the failure-free ones. */
    g_assert_cmpfloat_with_epsilon(s[TS_GOODPUT_PRODUCTIVE] + s[TS_GOODPUT_DATA_STALL], r->compute_time_s, 1e-6);
    ts_run_free(run);
  }
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/goodput/by-hand", test_by_hand);
  g_test_add_func("/goodput/failures", test_failures);
  int status = g_test_run();
  ts_registry_free(registry);
  return status;
}
