/* trainsim's one write layer: every output file is written to a temporary file in the same directory,
 * flushed, then renamed over the target, so a reader never sees half a file.  Tests inject EACCES and
 * ENOSPC here (TRAINSIM_FAULT=eacces|enospc[:N], builds with fault_injection), because permission bits
 * prove nothing when the tests run as root. */
#ifndef TS_ATOMIC_FILE_H
#define TS_ATOMIC_FILE_H

#include <glib.h>

typedef struct TsAtomicFile TsAtomicFile;

TsAtomicFile *ts_atomic_file_new(const char *path, GError **error);
gboolean ts_atomic_file_write(TsAtomicFile *file, const void *data, gsize len, GError **error);
/* Flush, fsync and rename into place. Frees the file either way. */
gboolean ts_atomic_file_commit(TsAtomicFile *file, GError **error);
/* Remove the temporary file and free (after an error or an interrupt). */
void ts_atomic_file_abort(TsAtomicFile *file);

gboolean ts_file_write_atomic(const char *path, const void *data, gsize len, GError **error);
/* Create DIR (and parents) for outputs. */
gboolean ts_output_dir_ensure(const char *dir, GError **error);

#endif
