#include "output/timeline-csv.h"

#include "output/json-writer.h"
#include "output/stream.h"

#include <math.h>
#include <string.h>

struct TsTimelineCsv {
  TsStream stream;
  gboolean have_pending, have_written;
  TsSample pending; /* phase is a copy owned here */
  TsSample written;
};

void
ts_csv_append_number(GString *out, double v)
{
  if (isfinite(v))
    ts_json_append_number(out, v);
}

void
ts_csv_append_text(GString *out, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk(text, ",\"\r\n") == NULL) {
    g_string_append(out, text);
    return;
  }
  g_string_append_c(out, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      g_string_append_c(out, '"');
    g_string_append_c(out, *p);
  }
  g_string_append_c(out, '"');
}

TsTimelineCsv *
ts_timeline_csv_new(const char *path, GError **error)
{
  TsTimelineCsv *csv = g_new0(TsTimelineCsv, 1);
  if (!ts_stream_open(&csv->stream, path, error)) {
    g_free(csv);
    return NULL;
  }
  g_string_append(csv->stream.buf, TS_TIMELINE_CSV_HEADER);
  return csv;
}

/* Equal, or both unknown (a cost without a price is NaN from the moment it is billed). */
static gboolean
same_usd(double a, double b)
{
  return a == b || (isnan(a) && isnan(b));
}

static gboolean
same_state(const TsSample *a, const TsSample *b)
{
  return g_strcmp0(a->phase, b->phase) == 0 && a->device_bytes == b->device_bytes &&
         a->host_bytes == b->host_bytes && a->storage_bytes == b->storage_bytes &&
         same_usd(a->usd_compute, b->usd_compute) && same_usd(a->usd_host, b->usd_host) &&
         same_usd(a->usd_storage, b->usd_storage) && same_usd(a->usd_network, b->usd_network) &&
         same_usd(a->kwh, b->kwh);
}

static void
set_sample(TsSample *dst, const TsSample *src)
{
  char *old = (char *) dst->phase;
  *dst = *src;
  dst->phase = g_strdup(src->phase);
  g_free(old);
}

static gboolean
write_pending(TsTimelineCsv *csv, gboolean last, GError **error)
{
  if (!csv->have_pending)
    return TRUE;
  csv->have_pending = FALSE;
  const TsSample *s = &csv->pending;
  /* One row per change: a sample that changes nothing is left out, except the run's last. */
  if (!last && csv->have_written && same_state(s, &csv->written))
    return TRUE;
  GString *o = csv->stream.buf;
  ts_csv_append_number(o, ts_time_to_seconds(s->time));
  g_string_append_c(o, ',');
  ts_csv_append_text(o, s->phase);
  const double v[] = {s->device_bytes, s->host_bytes, s->storage_bytes, s->usd_compute, s->usd_host,
                      s->usd_storage, s->usd_network,
                      s->usd_compute + s->usd_host + s->usd_storage + s->usd_network, s->kwh};
  for (guint i = 0; i < G_N_ELEMENTS(v); i++) {
    g_string_append_c(o, ',');
    ts_csv_append_number(o, v[i]);
  }
  g_string_append_c(o, '\n');
  set_sample(&csv->written, s);
  csv->have_written = TRUE;
  return ts_stream_maybe_flush(&csv->stream, error);
}

static gboolean
csv_sample(void *data, const TsSample *sample, GError **error)
{
  TsTimelineCsv *csv = data;
  /* Several samples at one instant are one change: the last one holds the state after it. */
  if (csv->have_pending && csv->pending.time != sample->time && !write_pending(csv, FALSE, error))
    return FALSE;
  set_sample(&csv->pending, sample);
  csv->have_pending = TRUE;
  return TRUE;
}

TsSink
ts_timeline_csv_sink(TsTimelineCsv *csv)
{
  TsSink sink = {csv, csv_sample, NULL};
  return sink;
}

static void
csv_free(TsTimelineCsv *csv)
{
  g_free((char *) csv->pending.phase);
  g_free((char *) csv->written.phase);
  g_free(csv);
}

gboolean
ts_timeline_csv_finish(TsTimelineCsv *csv, TsAtomicSet *set, GError **error)
{
  gboolean ok = write_pending(csv, TRUE, error);
  if (ok)
    ok = ts_stream_finish(&csv->stream, set, error);
  else
    ts_stream_abort(&csv->stream);
  csv_free(csv);
  return ok;
}

void
ts_timeline_csv_abort(TsTimelineCsv *csv)
{
  if (csv == NULL)
    return;
  ts_stream_abort(&csv->stream);
  csv_free(csv);
}
