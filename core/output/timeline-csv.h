/* timeline.csv: one row per change of the run's state — time, phase, memory, storage and cumulative
 * dollars by category — streamed to disk as the run goes.  Plain RFC 4180 CSV with a header row, so it
 * loads as-is in pandas (pd.read_csv) and spreadsheets. */
#ifndef TS_TIMELINE_CSV_H
#define TS_TIMELINE_CSV_H

#include <glib.h>

#include "output/atomic-file.h"
#include "run/timeline.h"

#define TS_TIMELINE_CSV_HEADER                                                                          \
  "time_s,phase,device_bytes,host_bytes,storage_bytes,usd_compute,usd_host,usd_storage,usd_network,"   \
  "usd_total,energy_kwh\n"

typedef struct TsTimelineCsv TsTimelineCsv;

TsTimelineCsv *ts_timeline_csv_new(const char *path, GError **error);
TsSink ts_timeline_csv_sink(TsTimelineCsv *csv);
/* Write the last row and hand the file to `set` (which renames it into place with the others).  Frees
 * the writer either way. */
gboolean ts_timeline_csv_finish(TsTimelineCsv *csv, TsAtomicSet *set, GError **error);
void ts_timeline_csv_abort(TsTimelineCsv *csv); /* NULL allowed */

/* A CSV cell: a finite number in the one formatter's digits, empty otherwise. */
void ts_csv_append_number(GString *out, double v);
/* A CSV cell: quoted when it holds a comma, a quote or a line break. */
void ts_csv_append_text(GString *out, const char *text);

#endif
