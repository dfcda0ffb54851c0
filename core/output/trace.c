#include "output/trace.h"

#include "output/json-writer.h"
#include "output/stream.h"

#include <math.h>
#include <string.h>

#define PID 1

/* The tracks the run model uses, in the order they are shown; others get the next thread ids. */
static const char *const known_tracks[] = {"accelerators", "network", "storage", "host"};

struct TsTrace {
  TsStream stream;
  GPtrArray *tracks; /* char*, index + 1 = tid */
  gboolean first;
  gboolean have_pending, have_last;
  TsSample pending, last; /* phase not used */
  char *other_data;        /* a JSON object, or NULL */
};

static void
event_start(TsTrace *t, const char *name, const char *ph, double ts_us, int tid)
{
  GString *o = t->stream.buf;
  g_string_append(o, t->first ? "\n" : ",\n");
  t->first = FALSE;
  g_string_append(o, "{\"name\":");
  ts_json_append_string(o, name);
  g_string_append_printf(o, ",\"ph\":\"%s\",\"ts\":", ph);
  ts_json_append_number(o, ts_us);
  g_string_append_printf(o, ",\"pid\":%d,\"tid\":%d", PID, tid);
}

static void
metadata(TsTrace *t, const char *what, int tid, const char *key, const char *text, int number)
{
  event_start(t, what, "M", 0, tid);
  g_string_append(t->stream.buf, ",\"args\":{");
  ts_json_append_string(t->stream.buf, key);
  g_string_append_c(t->stream.buf, ':');
  if (text != NULL)
    ts_json_append_string(t->stream.buf, text);
  else
    g_string_append_printf(t->stream.buf, "%d", number);
  g_string_append(t->stream.buf, "}}");
}

static int
track_tid(TsTrace *t, const char *track)
{
  for (guint i = 0; i < t->tracks->len; i++)
    if (strcmp(g_ptr_array_index(t->tracks, i), track) == 0)
      return (int) i + 1;
  g_ptr_array_add(t->tracks, g_strdup(track));
  int tid = (int) t->tracks->len;
  metadata(t, "thread_name", tid, "name", track, 0);
  metadata(t, "thread_sort_index", tid, "sort_index", NULL, tid);
  return tid;
}

TsTrace *
ts_trace_new(const char *path, const char *process_name, GError **error)
{
  TsTrace *t = g_new0(TsTrace, 1);
  if (!ts_stream_open(&t->stream, path, error)) {
    g_free(t);
    return NULL;
  }
  t->tracks = g_ptr_array_new_with_free_func(g_free);
  t->first = TRUE;
  g_string_append(t->stream.buf, "{\"traceEvents\":[");
  metadata(t, "process_name", 0, "name", process_name, 0);
  for (guint i = 0; i < G_N_ELEMENTS(known_tracks); i++)
    track_tid(t, known_tracks[i]);
  return t;
}

static void
counter(TsTrace *t, const char *name, double ts_us, const char *const *keys, const double *values, guint n)
{
  event_start(t, name, "C", ts_us, 0);
  GString *o = t->stream.buf;
  g_string_append(o, ",\"args\":{");
  for (guint i = 0; i < n; i++) {
    if (i > 0)
      g_string_append_c(o, ',');
    ts_json_append_string(o, keys[i]);
    g_string_append_c(o, ':');
    ts_json_append_number(o, values[i]);
  }
  g_string_append(o, "}}");
}

/* Counters change only when their values do: one event per change. */
static gboolean
write_pending(TsTrace *t, GError **error)
{
  if (!t->have_pending)
    return TRUE;
  t->have_pending = FALSE;
  const TsSample *s = &t->pending, *l = t->have_last ? &t->last : NULL;
  double ts = (double) s->time / 1000.0;
  /* Unknown bytes (several jobs' memory, not composed: run/jobs.c) have no counter, as an unknown cost has none. */
  if (isfinite(s->device_bytes) && (l == NULL || l->device_bytes != s->device_bytes)) {
    const char *k[] = {"bytes"};
    counter(t, "device memory (per device)", ts, k, &s->device_bytes, 1);
  }
  if (isfinite(s->host_bytes) && (l == NULL || l->host_bytes != s->host_bytes)) {
    const char *k[] = {"bytes"};
    counter(t, "host memory (per host)", ts, k, &s->host_bytes, 1);
  }
  if (isfinite(s->storage_bytes) && (l == NULL || l->storage_bytes != s->storage_bytes)) {
    const char *k[] = {"bytes"};
    counter(t, "storage", ts, k, &s->storage_bytes, 1);
  }
  /* An unknown cost (no price) has no counter: a trace viewer cannot draw null, and 0 would be a lie. */
  gboolean usd_known = isfinite(s->usd_compute) && isfinite(s->usd_host) && isfinite(s->usd_storage) &&
                       isfinite(s->usd_network);
  if (usd_known && (l == NULL || l->usd_compute != s->usd_compute || l->usd_host != s->usd_host ||
                    l->usd_storage != s->usd_storage || l->usd_network != s->usd_network)) {
    const char *k[] = {"compute", "host", "storage", "network"};
    const double v[] = {s->usd_compute, s->usd_host, s->usd_storage, s->usd_network};
    counter(t, "cost (USD, cumulative)", ts, k, v, 4);
  }
  /* Energy likewise: no counter while it is unknown (a machine without a sourced power, no PUE). */
  if (isfinite(s->kwh) && (l == NULL || l->kwh != s->kwh)) {
    const char *k[] = {"kwh"};
    counter(t, "energy (kWh, cumulative)", ts, k, &s->kwh, 1);
  }
  t->last = *s;
  t->have_last = TRUE;
  return ts_stream_maybe_flush(&t->stream, error);
}

static gboolean
trace_sample(void *data, const TsSample *sample, GError **error)
{
  TsTrace *t = data;
  if (t->have_pending && t->pending.time != sample->time && !write_pending(t, error))
    return FALSE;
  t->pending = *sample;
  t->pending.phase = NULL;
  t->have_pending = TRUE;
  return TRUE;
}

/* A complete span is one "X" event; a span other spans nest in is a "B" event when it begins and an "E" event
 * when it ends, so that the parent comes first in the file even where a child starts at the same instant
 * (viewers nest complete events of equal start by their order). */
static gboolean
trace_span(void *data, const TsSpan *span, GError **error)
{
  TsTrace *t = data;
  int tid = track_tid(t, span->track ? span->track : "run");
  const char *ph = span->edge == TS_SPAN_BEGIN ? "B" : span->edge == TS_SPAN_END ? "E" : "X";
  TsTime at = span->edge == TS_SPAN_END ? span->end : span->start;
  event_start(t, span->name ? span->name : "", ph, (double) at / 1000.0, tid);
  GString *o = t->stream.buf;
  if (span->edge == TS_SPAN_COMPLETE) {
    g_string_append(o, ",\"dur\":");
    ts_json_append_number(o, (double) (span->end - span->start) / 1000.0);
  }
  g_string_append(o, ",\"cat\":");
  ts_json_append_string(o, span->kind ? span->kind : "run");
  g_string_append(o, ",\"args\":{\"kind\":");
  ts_json_append_string(o, span->kind ? span->kind : "run");
  g_string_append(o, ",\"start_s\":");
  ts_json_append_number(o, ts_time_to_seconds(span->start));
  if (span->edge != TS_SPAN_BEGIN) {
    g_string_append(o, ",\"end_s\":");
    ts_json_append_number(o, ts_time_to_seconds(span->end));
  }
  g_string_append(o, "}}");
  return ts_stream_maybe_flush(&t->stream, error);
}

TsSink
ts_trace_sink(TsTrace *trace)
{
  TsSink sink = {trace, trace_sample, trace_span};
  return sink;
}

static void
trace_free(TsTrace *t)
{
  g_ptr_array_unref(t->tracks);
  g_free(t->other_data);
  g_free(t);
}

void
ts_trace_set_other_data(TsTrace *t, const char *json_object)
{
  g_free(t->other_data);
  t->other_data = g_strdup(json_object);
}

gboolean
ts_trace_finish(TsTrace *t, TsAtomicSet *set, GError **error)
{
  gboolean ok = write_pending(t, error);
  if (ok) {
    g_string_append(t->stream.buf, "\n],\"displayTimeUnit\":\"ms\"");
    if (t->other_data != NULL)
      g_string_append_printf(t->stream.buf, ",\"otherData\":%s", t->other_data);
    g_string_append(t->stream.buf, "}\n");
    ok = ts_stream_finish(&t->stream, set, error);
  } else {
    ts_stream_abort(&t->stream);
  }
  trace_free(t);
  return ok;
}

void
ts_trace_abort(TsTrace *t)
{
  if (t == NULL)
    return;
  ts_stream_abort(&t->stream);
  trace_free(t);
}
