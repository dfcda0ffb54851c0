/* Running a scenario given as text, for the test programs that check the run model through whole scenarios
 * (test-run, -model, -moe, -fidelity, -define, -forecast, -teardown), linked from test-scenario.c. */
#ifndef TS_TEST_SCENARIO_H
#define TS_TEST_SCENARIO_H

#include "scenario/scenario.h"

/* Writes `text` to a temporary .lua file, runs it with `options` (NULL: ts_scenario_options_init's; its path
 * is replaced by the file's) and removes the file.  The run, or NULL with *error set.  `path`, when not NULL,
 * receives the file's name, to free after the run: the run borrows it (its summary and messages name it); with
 * NULL it is freed at once, and the run must not be asked for its scenario's path. */
TsRun *test_scenario_run_text(const TsRegistry *registry, const char *text, const TsScenarioOptions *options,
                              char **path, GError **error);

#endif
