/* A small streaming JSON writer with one number formatter of our own: always valid JSON (NaN and
 * infinities become null) and shortest round-trip digits, so identical runs give identical bytes.
 * json-glib reads our JSON; it cannot write numbers this way, hence this file. */
#ifndef TS_JSON_WRITER_H
#define TS_JSON_WRITER_H

#include <glib.h>

/* Append the shortest decimal text that reads back as exactly `v` ("null" if not finite). */
void ts_json_append_number(GString *out, double v);
void ts_json_append_string(GString *out, const char *s);

typedef struct {
  GString *out;
  guint depth;
  gboolean first[64]; /* per nesting level: no comma before the first member */
  gboolean pretty;
} TsJsonWriter;

void ts_json_writer_init(TsJsonWriter *w, GString *out, gboolean pretty);
void ts_json_begin_object(TsJsonWriter *w, const char *key);
void ts_json_end_object(TsJsonWriter *w);
void ts_json_begin_array(TsJsonWriter *w, const char *key);
void ts_json_end_array(TsJsonWriter *w);
/* `key` is NULL inside arrays. */
void ts_json_number(TsJsonWriter *w, const char *key, double v); /* not finite: null */
/* `v` where `known`, else null (an unknown figure whose variable holds a stale or placeholder value). */
void ts_json_number_or_null(TsJsonWriter *w, const char *key, gboolean known, double v);
void ts_json_int(TsJsonWriter *w, const char *key, gint64 v);
void ts_json_string(TsJsonWriter *w, const char *key, const char *v); /* NULL writes null */
void ts_json_bool(TsJsonWriter *w, const char *key, gboolean v);
void ts_json_null(TsJsonWriter *w, const char *key);
void ts_json_raw(TsJsonWriter *w, const char *key, const char *json);

#endif
