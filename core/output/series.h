/* A run's samples kept in memory for the charts.  Charts need the whole series at once; it stays small
 * because runs of identical steps are one event (a flagship run is a few dozen samples), and each sample
 * is a fixed-size record with its phase name interned. */
#ifndef TS_SERIES_H
#define TS_SERIES_H

#include <glib.h>

#include "run/timeline.h"

typedef struct {
  TsTime time;
  guint phase; /* index into TsSeries.phase_names */
  double device_bytes, host_bytes, storage_bytes;
  double usd_compute, usd_host, usd_storage, usd_network;
} TsSeriesPoint;

typedef struct {
  GArray *points;         /* TsSeriesPoint, in time order; samples at the same time keep only the last */
  GPtrArray *phase_names; /* char*, interned */
} TsSeries;

TsSeries *ts_series_new(void);
void ts_series_free(TsSeries *series);
/* A sink that appends to the series (never fails). */
TsSink ts_series_sink(TsSeries *series);
void ts_series_append(TsSeries *series, const TsSample *sample);

/* The indices of the points where a phase whose name starts with `prefix` begins (the point is in such a phase
 * and the one before it is in another phase): a restart's or a checkpoint's start, for the charts' marks.  Returns how many,
 * written to `out` (room for every point). */
guint ts_series_phase_starts(const TsSeries *series, const char *prefix, guint *out);

static inline double
ts_series_point_total(const TsSeriesPoint *p)
{
  return p->usd_compute + p->usd_host + p->usd_storage + p->usd_network;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsSeries, ts_series_free)

#endif
