/* trainsim's one write layer: every output file is written to a temporary file in the same directory,
 * flushed, then renamed over the target, so a reader never sees half a file.  Tests inject EACCES and
 * ENOSPC here (TRAINSIM_FAULT=eacces|enospc[:N], builds with fault_injection), because permission bits
 * prove nothing when the tests run as root.
 *
 * Where the file system allows it (Linux, O_TMPFILE) the temporary file has no name until commit, so
 * nothing is left behind even when the process is killed outright (SIGKILL, the sandbox's CPU
 * backstop); elsewhere it is a named "<file>.tmp-XXXXXX" that abort, and the handler of
 * ts_atomic_file_cleanup_on_signals, remove. */
#ifndef TS_ATOMIC_FILE_H
#define TS_ATOMIC_FILE_H

#include <glib.h>

typedef struct TsAtomicFile TsAtomicFile;

TsAtomicFile *ts_atomic_file_new(const char *path, GError **error);
gboolean ts_atomic_file_write(TsAtomicFile *file, const void *data, gsize len, GError **error);
/* Flush, fsync and rename into place. Frees the file either way. */
gboolean ts_atomic_file_commit(TsAtomicFile *file, GError **error);
/* Remove the temporary file and free (after an error or an interrupt). NULL is allowed. */
void ts_atomic_file_abort(TsAtomicFile *file);
const char *ts_atomic_file_get_path(const TsAtomicFile *file);

/* A set of files that appear together or not at all: each is written and flushed to disk as it is added
 * (where a full disk shows), and only commit renames them into place, in the order added (put the file
 * whose presence means "complete", such as summary.json, last).  After a failure nothing of the set is
 * left and the files a previous run left in the directory are untouched. */
typedef struct TsAtomicSet TsAtomicSet;

TsAtomicSet *ts_atomic_set_new(void);
/* Takes the file: flushes it and keeps it for commit; on failure removes it and returns FALSE. */
gboolean ts_atomic_set_add(TsAtomicSet *set, TsAtomicFile *file, GError **error);
gboolean ts_atomic_set_add_bytes(TsAtomicSet *set, const char *path, const void *data, gsize len, GError **error);
/* Rename every file into place; frees the set either way. */
gboolean ts_atomic_set_commit(TsAtomicSet *set, GError **error);
void ts_atomic_set_abort(TsAtomicSet *set); /* NULL allowed */
/* Create DIR (and parents) for outputs. */
gboolean ts_output_dir_ensure(const char *dir, GError **error);

/* SIGINT/SIGTERM: remove every temporary file still open, print "trainsim: interrupted ...; no
 * unfinished output file was left" on stderr and _exit(130).  For commands that write files while a
 * run is in progress (trainsim run --out). */
void ts_atomic_file_cleanup_on_signals(void);

#endif
