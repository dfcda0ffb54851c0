/* trace.json in the Chrome Trace Event Format (JSON object form), streamed as the run goes: phases and
 * step spans as complete ("X") events on named tracks — one thread per track (accelerators, network,
 * storage, host) of one process named after the scenario, named with "M" metadata events — and memory,
 * storage and dollars as counter ("C") events.  Times are microseconds of simulated time.  Opens in
 * Perfetto UI (ui.perfetto.dev) and chrome://tracing. */
#ifndef TS_TRACE_H
#define TS_TRACE_H

#include <glib.h>

#include "output/atomic-file.h"
#include "run/timeline.h"

typedef struct TsTrace TsTrace;

/* `process_name` names the trace's one process ("trainsim: simclr-tpu-v3-128.lua"). */
TsTrace *ts_trace_new(const char *path, const char *process_name, GError **error);
TsSink ts_trace_sink(TsTrace *trace);
/* Close the event array and hand the file to `set`.  Frees the trace either way. */
/* A JSON object written as the trace's top-level otherData (shown by trace viewers as the trace's metadata). */
void ts_trace_set_other_data(TsTrace *trace, const char *json_object);
gboolean ts_trace_finish(TsTrace *trace, TsAtomicSet *set, GError **error);
void ts_trace_abort(TsTrace *trace); /* NULL allowed */

#endif
