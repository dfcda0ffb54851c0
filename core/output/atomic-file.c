#include "output/atomic-file.h"

#include "common/ts-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct TsAtomicFile {
  char *path;
  char *tmp;
  int fd;
};

#ifdef TS_FAULT_INJECTION
/* TRAINSIM_FAULT=eacces fails every open; enospc[:N] fails writes after N bytes in a file. */
static int
fault_errno(const char *op, gsize offset)
{
  const char *f = g_getenv("TRAINSIM_FAULT");
  if (f == NULL)
    return 0;
  if (strcmp(op, "open") == 0 && strcmp(f, "eacces") == 0)
    return EACCES;
  if (strcmp(op, "write") == 0 && g_str_has_prefix(f, "enospc")) {
    gsize after = f[6] == ':' ? (gsize) g_ascii_strtoull(f + 7, NULL, 10) : 0;
    if (offset >= after)
      return ENOSPC;
  }
  return 0;
}
#else
static int
fault_errno(const char *op, gsize offset)
{
  (void) op;
  (void) offset;
  return 0;
}
#endif

static gboolean
io_error(GError **error, const char *what, const char *path, int err)
{
  g_set_error(error, TS_ERROR, TS_ERROR_IO, "cannot %s %s: %s", what, path, g_strerror(err));
  return FALSE;
}

TsAtomicFile *
ts_atomic_file_new(const char *path, GError **error)
{
  TsAtomicFile *f = g_new0(TsAtomicFile, 1);
  f->path = g_strdup(path);
  f->tmp = g_strdup_printf("%s.tmp-XXXXXX", path);
  int injected = fault_errno("open", 0);
  f->fd = injected ? -1 : g_mkstemp_full(f->tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (f->fd < 0) {
    io_error(error, "create", path, injected ? injected : errno);
    g_free(f->path);
    g_free(f->tmp);
    g_free(f);
    return NULL;
  }
  return f;
}

gboolean
ts_atomic_file_write(TsAtomicFile *f, const void *data, gsize len, GError **error)
{
  const char *p = data;
  gsize done = 0;
  off_t offset = lseek(f->fd, 0, SEEK_CUR);
  while (done < len) {
    int injected = fault_errno("write", (gsize) offset + done);
    ssize_t n = injected ? -1 : write(f->fd, p + done, len - done);
    if (n < 0) {
      int err = injected ? injected : errno;
      if (err == EINTR)
        continue;
      return io_error(error, "write", f->path, err);
    }
    done += (gsize) n;
  }
  return TRUE;
}

void
ts_atomic_file_abort(TsAtomicFile *f)
{
  if (f == NULL)
    return;
  if (f->fd >= 0)
    close(f->fd);
  g_unlink(f->tmp);
  g_free(f->path);
  g_free(f->tmp);
  g_free(f);
}

gboolean
ts_atomic_file_commit(TsAtomicFile *f, GError **error)
{
  int err = 0;
  if (fsync(f->fd) != 0)
    err = errno;
  if (close(f->fd) != 0 && err == 0)
    err = errno;
  f->fd = -1;
  if (err == 0 && g_rename(f->tmp, f->path) != 0)
    err = errno;
  if (err != 0) {
    io_error(error, "write", f->path, err);
    ts_atomic_file_abort(f);
    return FALSE;
  }
  g_free(f->path);
  g_free(f->tmp);
  g_free(f);
  return TRUE;
}

gboolean
ts_file_write_atomic(const char *path, const void *data, gsize len, GError **error)
{
  TsAtomicFile *f = ts_atomic_file_new(path, error);
  if (f == NULL)
    return FALSE;
  if (!ts_atomic_file_write(f, data, len, error)) {
    ts_atomic_file_abort(f);
    return FALSE;
  }
  return ts_atomic_file_commit(f, error);
}

gboolean
ts_output_dir_ensure(const char *dir, GError **error)
{
  int injected = fault_errno("open", 0);
  if (injected || g_mkdir_with_parents(dir, 0755) != 0)
    return io_error(error, "create directory", dir, injected ? injected : errno);
  return TRUE;
}
