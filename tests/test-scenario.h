/* Running a scenario given as text, for the test programs that check the run model through whole scenarios
 * (test-run, -model, -moe, -fidelity, -define, -forecast, -teardown, ...), linked from test-scenario.c; and the
 * bundled plugins' registry they all start from. */
#ifndef TS_TEST_SCENARIO_H
#define TS_TEST_SCENARIO_H

#include "scenario/scenario.h"

#include <math.h>

/* The bundled plugins and their catalogs from this build tree (TS_BUILD_PLUGIN_DIR), as `trainsim run` finds
 * them; the test stops at once, with the loader's message, if they do not load.  Free with ts_registry_free. */
TsRegistry *test_registry_new(void);

/* The answer of `plugin`'s model for one collective on `sku` as the catalog describes it, except for its network
 * bandwidth per device when `network_per_device` > 0 (a scenario's `network` per node over its devices per node, in
 * bytes/s): the "by hand" side of tests that check a step's communication term. */
double test_collective_time(const TsRegistry *registry, const char *plugin, const char *sku, double network_per_device,
                            TsCollectiveKind kind, guint participants, guint per_node, double bytes);

/* Writes `text` to a temporary .lua file, runs it with `options` (NULL: ts_scenario_options_init's; its path
 * is replaced by the file's) and removes the file.  The run, or NULL with *error set.  `path`, when not NULL,
 * receives the file's name, to free after the run: the run borrows it (its summary and messages name it); with
 * NULL it is freed at once, and the run must not be asked for its scenario's path. */
TsRun *test_scenario_run_text(const TsRegistry *registry, const char *text, const TsScenarioOptions *options,
                              char **path, GError **error);

/* The fraction of the compute window that stack's fitted `overlap` hides data-parallel traffic under
 * (tools/fit.py, docs/model.md "Stack constants"), for tests that compute an exposed reduction by hand. */
double test_stack_overlap(const TsRegistry *registry, const char *stack);

/* The run's terminal summary as `trainsim run` prints it, without colour (g_free it). */
char *test_summary_text(TsRun *run);

/* Whether the run gave a diagnostic of that code, and (unless `text` is NULL) with `text` in its message. */
gboolean test_run_has_diagnostic(TsRun *run, const char *code, const char *text);

/* Fails the test, showing both values, unless |actual - expected| <= rel x |expected|. */
#define assert_rel(actual, expected, rel)                                                                       \
  G_STMT_START {                                                                                                \
    double a_ = (actual), e_ = (expected);                                                                      \
    if (!(fabs(a_ - e_) <= (rel) * fabs(e_)))                                                                   \
      g_error("%s = %.12g, expected %.12g (relative tolerance %g)", #actual, a_, e_, (double) (rel));          \
  }                                                                                                             \
  G_STMT_END

#endif
