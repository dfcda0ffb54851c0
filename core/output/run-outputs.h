/* `trainsim run --out DIR`: the files of one run.  timeline.csv and trace.json stream to temporary files
 * while the run goes (sinks); the samples are also kept in a compact series for the charts.  Commit writes
 * the charts, renames everything into place and writes summary.json last; abort leaves nothing behind.
 *
 *   summary.json   the summary (output/summary.h)
 *   timeline.csv   one row per change (output/timeline-csv.h)
 *   trace.json     Chrome Trace Event Format (output/trace.h)
 *   memory.png/.svg, storage.png/.svg, cost.png/.svg   charts (below) */
#ifndef TS_RUN_OUTPUTS_H
#define TS_RUN_OUTPUTS_H

#include <glib.h>

#include "output/chart.h"
#include "output/series.h"
#include "run/run.h"

typedef struct TsRunOutputs TsRunOutputs;

/* Create DIR if needed and open the streamed files.  `scenario_path` names the trace's process. */
TsRunOutputs *ts_run_outputs_new(const char *dir, const char *scenario_path, GError **error);
/* The sinks to attach to the run (TsScenarioOptions.sinks); owned by the outputs. */
GPtrArray *ts_run_outputs_get_sinks(TsRunOutputs *outputs);
const TsSeries *ts_run_outputs_get_series(TsRunOutputs *outputs);
/* Finish every file; frees the outputs either way (after a failure, no temporary file is left). */
gboolean ts_run_outputs_commit(TsRunOutputs *outputs, TsRun *run, const char *summary_json, GError **error);
void ts_run_outputs_abort(TsRunOutputs *outputs); /* NULL allowed */
/* The names of the files a commit writes into DIR, in the order they are renamed into place (NULL-terminated). */
const char *const *ts_run_outputs_get_file_names(void);

/* The three charts of a run, built from its series and results (exposed for compare and tests). */
TsPlot *ts_run_chart_memory(TsRun *run, const TsSeries *series);
TsPlot *ts_run_chart_storage(TsRun *run, const TsSeries *series);
TsPlot *ts_run_chart_cost(TsRun *run, const TsSeries *series);
/* "batch=4096 epochs=100, seed 0" */
char *ts_run_describe_params(TsRun *run);

#endif
