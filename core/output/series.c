#include "output/series.h"

#include <string.h>

TsSeries *
ts_series_new(void)
{
  TsSeries *s = g_new0(TsSeries, 1);
  s->points = g_array_new(FALSE, TRUE, sizeof(TsSeriesPoint));
  s->phase_names = g_ptr_array_new_with_free_func(g_free);
  return s;
}

void
ts_series_free(TsSeries *series)
{
  if (series == NULL)
    return;
  g_array_unref(series->points);
  g_ptr_array_unref(series->phase_names);
  g_free(series);
}

static guint
intern_phase(TsSeries *s, const char *name)
{
  if (name == NULL)
    name = "";
  for (guint i = s->phase_names->len; i > 0; i--)
    if (strcmp(g_ptr_array_index(s->phase_names, i - 1), name) == 0)
      return i - 1;
  g_ptr_array_add(s->phase_names, g_strdup(name));
  return s->phase_names->len - 1;
}

void
ts_series_append(TsSeries *s, const TsSample *sample)
{
  TsSeriesPoint p = {
    .time = sample->time,
    .phase = intern_phase(s, sample->phase),
    .device_bytes = sample->device_bytes,
    .host_bytes = sample->host_bytes,
    .storage_bytes = sample->storage_bytes,
    .usd_compute = sample->usd_compute,
    .usd_host = sample->usd_host,
    .usd_storage = sample->usd_storage,
    .usd_network = sample->usd_network,
  };
  if (s->points->len > 0) {
    TsSeriesPoint *last = &g_array_index(s->points, TsSeriesPoint, s->points->len - 1);
    if (last->time == p.time) {
      *last = p;
      return;
    }
  }
  g_array_append_val(s->points, p);
}

static gboolean
series_sample(void *data, const TsSample *sample, GError **error)
{
  (void) error;
  ts_series_append(data, sample);
  return TRUE;
}

TsSink
ts_series_sink(TsSeries *series)
{
  TsSink sink = {series, series_sample, NULL};
  return sink;
}

guint
ts_series_phase_starts(const TsSeries *s, const char *prefix, guint *out)
{
  guint n = 0, prev = G_MAXUINT;
  for (guint i = 0; i < s->points->len; i++) {
    guint phase = g_array_index(s->points, TsSeriesPoint, i).phase;
    const char *name = phase < s->phase_names->len ? g_ptr_array_index(s->phase_names, phase) : "";
    if (phase != prev && g_str_has_prefix(name, prefix)) /* names are interned: another index, another phase */
      out[n++] = i;
    prev = phase;
  }
  return n;
}
