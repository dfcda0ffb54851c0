/* /repair/...: failures at cluster scale (issue 19, item 4; docs/model.md, "Spares and repair"): a failed device
 * takes its node out for the repair time and its job down; the job restarts from its last checkpoint on a spare node
 * when one is free, or waits for a repaired one.  Checked by hand: with no spares every restart waits the whole
 * repair (the same run as a restart that long), with more spares than failures none waits (the same run as no
 * repair at all), and with one spare each restart's wait is what the pool gives, replayed here from the failures'
 * instants. */
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
#include "run/timeline.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <math.h>
#include <string.h>

static TsRegistry *registry;

/* 8 nodes of 8 A100s, a job MTBF of about 2 h (64 devices at 128 h), 50 h of steps, checkpoints every 30 min. */
#define RUN                                                                                                     \
  "local box = cluster { accelerator = gpu { sku = 'A100-SXM4-80GB', count = 64, per_node = 8,\n"              \
  "                                          network = '200 Gbit/s', price = '1 USD/device-hour' } }\n"        \
  "local d = dataset { samples = 1000000, bytes = '10 GB', kind = 'tokens' }\n"                                 \
  "local m = models.gpt { layers = 4, width = 1024, heads = 16, seq = 512 }\n"                                 \
  "run(box, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = 128, steps = 4000000, precision = 'bf16', optimizer = 'adam',\n"     \
  "            checkpoint = { every = '30 min' }, failures = { mtbf = '128 h', restart = '%s'%s } }\n"            \
  "end)\n"

typedef struct {
  GArray *restarts; /* TsInterval-like pairs: start, end in ticks */
} Capture;

static gboolean
capture_span(void *data, const TsSpan *span, GError **error)
{
  (void) error;
  Capture *c = data;
  if (span->edge == TS_SPAN_COMPLETE && g_strcmp0(span->kind, "restart") == 0) {
    TsTime pair[2] = {span->start, span->end};
    g_array_append_vals(c->restarts, pair, 2);
  }
  return TRUE;
}

static TsRun *
run_failures(const char *restart, const char *pool, Capture *capture)
{
  g_autofree char *text = g_strdup_printf(RUN, restart, pool);
  TsScenarioOptions opts;
  ts_scenario_options_init(&opts);
  opts.limits.seed = 5;
  TsSink sink = {capture, NULL, capture_span};
  g_autoptr(GPtrArray) sinks = g_ptr_array_new();
  g_ptr_array_add(sinks, &sink);
  if (capture != NULL)
    opts.sinks = sinks;
  g_autoptr(GError) error = NULL;
  TsRun *run = test_scenario_run_text(registry, text, &opts, NULL, &error);
  g_assert_no_error(error);
  return run;
}

/* No spares: every failure waits for its own node, the whole repair, and the job, down, cannot fail meanwhile: the
 * same run as without repair with every failure followed by 4 h more -- to the nanosecond (the failures' draws do
 * not depend on the pool; each comes that much later) -- and billed 4 h more of the 64 devices at 1 USD/device-hour
 * each time. */
static void
test_no_spares(void)
{
  TsRun *pool = run_failures("10 min", ", spares = 0, repair = '4 h'", NULL);
  TsRun *plain = run_failures("10 min", "", NULL);
  const TsResults *p = ts_run_get_results(pool), *n = ts_run_get_results(plain);
  g_assert_cmpuint(p->failures, >, 3);
  g_assert_cmpuint(p->failures, ==, n->failures);
  g_assert_cmpuint(p->node_failures, ==, p->failures);
  g_assert_cmpuint(p->repair_waits, ==, p->failures);
  assert_rel(p->repair_wait_s, p->failures * 4 * 3600.0, 1e-12);
  g_assert_cmpint(ts_time_from_seconds(p->total_time_s) - ts_time_from_seconds(n->total_time_s), ==,
                  (TsTime) p->failures * ts_time_from_seconds(4 * 3600.0));
  assert_rel(p->cost_total - n->cost_total, p->failures * 4 * 64 * 1.0, 1e-9);
  g_assert_cmpfloat(p->lost_time_s, >, n->lost_time_s); /* the waits are time lost to failures */
  ts_run_free(pool);
  ts_run_free(plain);
}

/* More spares than failures: no failure waits -- the same run as one without repair. */
static void
test_ample_spares(void)
{
  TsRun *pool = run_failures("10 min", ", spares = 1000, repair = '4 h'", NULL);
  TsRun *plain = run_failures("10 min", "", NULL);
  const TsResults *p = ts_run_get_results(pool), *n = ts_run_get_results(plain);
  g_assert_cmpuint(p->failures, >, 3);
  g_assert_cmpuint(p->repair_waits, ==, 0);
  g_assert_cmpfloat(p->repair_wait_s, ==, 0);
  g_assert_cmpfloat(p->total_time_s, ==, n->total_time_s);
  g_assert_false(n->repair_modelled);
  g_assert_true(p->repair_modelled);
  ts_run_free(pool);
  ts_run_free(plain);
}

/* One spare, repairs of 6 h against failures about every 2 h: some restarts find the spare free, some wait.  By
 * hand from the restarts' instants (each restart span starts at its failure): nodes back from repair rejoin the
 * pool; a failure takes a free spare, or waits for the first node back; its restart span lasts the wait.  The restart
 * itself takes no time here, so that no failure can strike one (the next is drawn from the end of the wait): every
 * failure leaves one restart span. */
static void
test_one_spare(void)
{
  Capture cap = {g_array_new(FALSE, FALSE, sizeof(TsTime))};
  TsRun *run = run_failures("0 s", ", spares = 1, repair = '6 h'", &cap);
  const TsResults *r = ts_run_get_results(run);
  guint n = cap.restarts->len / 2;
  g_assert_cmpuint(n, ==, r->failures);
  g_assert_cmpuint(n, >, 5);
  TsTime repair = ts_time_from_seconds(6 * 3600.0);
  g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(TsTime)); /* when each node in repair is back */
  guint spares = 1, waits = 0;
  double waited = 0;
  for (guint i = 0; i < n; i++) {
    TsTime at = g_array_index(cap.restarts, TsTime, 2 * i), end = g_array_index(cap.restarts, TsTime, 2 * i + 1);
    while (out->len > 0 && g_array_index(out, TsTime, 0) <= at) {
      g_array_remove_index(out, 0);
      spares++;
    }
    TsTime back = at + repair;
    g_array_append_val(out, back);
    TsTime wait = 0;
    if (spares > 0) {
      spares--;
    } else {
      wait = g_array_index(out, TsTime, 0) - at;
      g_array_remove_index(out, 0);
      waits++;
      waited += ts_time_to_seconds(wait);
    }
    g_assert_cmpint(end - at, ==, wait);
  }
  g_assert_cmpuint(waits, >, 0);    /* the case shows both: a wait */
  g_assert_cmpuint(waits, <, n);    /* and a spare taken */
  g_assert_cmpuint(r->repair_waits, ==, waits);
  assert_rel(r->repair_wait_s, waited, 1e-12);
  g_array_unref(cap.restarts);
  ts_run_free(run);
}

/* Preemptions take no node out: with a preemption rate besides, only some failures are a node's, drawn from a stream
 * of their own, so the failures strike at the same instants as without the pool. */
static void
test_preemptions(void)
{
  g_autofree char *with = g_strdup_printf(RUN, "10 min", ", preemption = '3 h', spares = 0, repair = '1 h'");
  g_autofree char *without = g_strdup_printf(RUN, "10 min", ", preemption = '3 h'");
  g_autoptr(GError) error = NULL;
  TsRun *a = test_scenario_run_text(registry, with, NULL, NULL, &error);
  g_assert_no_error(error);
  TsRun *b = test_scenario_run_text(registry, without, NULL, NULL, &error);
  g_assert_no_error(error);
  const TsResults *ra = ts_run_get_results(a), *rb = ts_run_get_results(b);
  g_assert_cmpuint(ra->node_failures, >, 0);
  g_assert_cmpuint(ra->node_failures, <, ra->failures);
  g_assert_cmpuint(ra->repair_waits, ==, ra->node_failures);
  g_assert_cmpfloat(ra->total_time_s, >, rb->total_time_s);
  ts_run_free(a);
  ts_run_free(b);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/repair/no-spares", test_no_spares);
  g_test_add_func("/repair/ample-spares", test_ample_spares);
  g_test_add_func("/repair/one-spare", test_one_spare);
  g_test_add_func("/repair/preemptions", test_preemptions);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
