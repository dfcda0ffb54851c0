#include "output/stream.h"

#define FLUSH_AT (64 * 1024)

gboolean
ts_stream_open(TsStream *s, const char *path, GError **error)
{
  s->file = ts_atomic_file_new(path, error);
  if (s->file == NULL)
    return FALSE;
  s->buf = g_string_sized_new(FLUSH_AT + 4096);
  return TRUE;
}

static gboolean
flush(TsStream *s, GError **error)
{
  gboolean ok = ts_atomic_file_write(s->file, s->buf->str, s->buf->len, error);
  g_string_truncate(s->buf, 0);
  return ok;
}

gboolean
ts_stream_maybe_flush(TsStream *s, GError **error)
{
  if (s->buf->len < FLUSH_AT)
    return TRUE;
  return flush(s, error);
}

gboolean
ts_stream_finish(TsStream *s, TsAtomicSet *set, GError **error)
{
  if (!flush(s, error)) {
    ts_stream_abort(s);
    return FALSE;
  }
  TsAtomicFile *f = g_steal_pointer(&s->file);
  g_string_free(g_steal_pointer(&s->buf), TRUE);
  return ts_atomic_set_add(set, f, error);
}

void
ts_stream_abort(TsStream *s)
{
  ts_atomic_file_abort(g_steal_pointer(&s->file));
  if (s->buf != NULL)
    g_string_free(g_steal_pointer(&s->buf), TRUE);
}
