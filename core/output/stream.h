/* A buffered stream onto an atomic file: outputs append text to `buf`, which goes to the temporary file
 * in 64 KiB pieces (so large files are streamed, not built in memory); finished, the file joins a set of
 * files that is renamed into place as a whole (output/atomic-file.h). */
#ifndef TS_STREAM_H
#define TS_STREAM_H

#include <glib.h>

#include "output/atomic-file.h"

typedef struct {
  TsAtomicFile *file;
  GString *buf;
} TsStream;

gboolean ts_stream_open(TsStream *s, const char *path, GError **error);
/* Write out `buf` once it holds more than 64 KiB. */
gboolean ts_stream_maybe_flush(TsStream *s, GError **error);
/* Write out the rest and hand the file (not yet renamed into place) to a set of files. */
gboolean ts_stream_finish(TsStream *s, TsAtomicSet *set, GError **error);
/* After an error: the temporary file goes, the target is untouched.  Safe to call twice. */
void ts_stream_abort(TsStream *s);

#endif
