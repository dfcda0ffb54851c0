#include "output/atomic-file.h"

#include "common/ts-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/file.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct TsAtomicFile {
  char *path;
  char *tmp;   /* the named temporary file; NULL while it is an unnamed O_TMPFILE */
  char *dir;
  int fd;
  int slot;    /* in the signal handler's table of named temporaries, or -1 */
};

#ifdef TS_FAULT_INJECTION
/* How many bytes a file may hold before injected writes fail (G_MAXSIZE: no limit). */
static gsize
fault_room(gsize offset)
{
  const char *f = g_getenv("TRAINSIM_FAULT");
  if (f == NULL || !g_str_has_prefix(f, "enospc"))
    return G_MAXSIZE;
  gsize after = f[6] == ':' ? (gsize) g_ascii_strtoull(f + 7, NULL, 10) : 0;
  return offset < after ? after - offset : 0;
}

/* TRAINSIM_FAULT=eacces fails every open; enospc[:N] fails writes after N bytes in a file (a write that
 * crosses N writes up to it, then fails, as a filling disk does). */
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
static gsize
fault_room(gsize offset)
{
  (void) offset;
  return G_MAXSIZE;
}

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

/* ---- named temporaries the signal handler removes ------------------------------------------------ */

#define LIVE_SLOTS 64
#define LIVE_PATH_MAX 4096
static struct {
  volatile gint state; /* 0 free, 1 being filled, 2 live */
  char path[LIVE_PATH_MAX];
} live[LIVE_SLOTS];

static int
live_add(const char *path)
{
  if (strlen(path) >= LIVE_PATH_MAX)
    return -1;
  for (int i = 0; i < LIVE_SLOTS; i++)
    if (g_atomic_int_compare_and_exchange(&live[i].state, 0, 1)) {
      strcpy(live[i].path, path);
      g_atomic_int_set(&live[i].state, 2);
      return i;
    }
  return -1;
}

static void
live_remove(int slot)
{
  if (slot >= 0)
    g_atomic_int_set(&live[slot].state, 0);
}

static void
cleanup_handler(int sig)
{
  for (int i = 0; i < LIVE_SLOTS; i++)
    if (live[i].state == 2)
      unlink(live[i].path);
  const char *msg = sig == SIGINT ? "trainsim: interrupted (SIGINT); no unfinished output file was left\n"
                                  : "trainsim: terminated (SIGTERM); no unfinished output file was left\n";
  ssize_t n = write(STDERR_FILENO, msg, strlen(msg));
  (void) n;
  _exit(TS_EXIT_INTERRUPTED);
}

void
ts_atomic_file_cleanup_on_signals(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = cleanup_handler;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

/* ---- files ------------------------------------------------------------------------------------------ */

static void
file_free(TsAtomicFile *f)
{
  live_remove(f->slot);
  g_free(f->path);
  g_free(f->tmp);
  g_free(f->dir);
  g_free(f);
}

TsAtomicFile *
ts_atomic_file_new(const char *path, GError **error)
{
  int injected = fault_errno("open", 0);
  if (injected) {
    io_error(error, "create", path, injected);
    return NULL;
  }
  TsAtomicFile *f = g_new0(TsAtomicFile, 1);
  f->path = g_strdup(path);
  f->dir = g_path_get_dirname(path);
  f->slot = -1;
  f->fd = -1;
#ifdef O_TMPFILE
  f->fd = open(f->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (f->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL && errno != ENOENT) {
    io_error(error, "create", path, errno);
    file_free(f);
    return NULL;
  }
#endif
  if (f->fd < 0) {
    f->tmp = g_strdup_printf("%s.tmp-XXXXXX", path);
    f->fd = g_mkstemp_full(f->tmp, O_WRONLY | O_CLOEXEC, 0644);
    if (f->fd < 0) {
      io_error(error, "create", path, errno);
      file_free(f);
      return NULL;
    }
    f->slot = live_add(f->tmp);
  }
  return f;
}

const char *
ts_atomic_file_get_path(const TsAtomicFile *file)
{
  return file->path;
}

gboolean
ts_atomic_file_write(TsAtomicFile *f, const void *data, gsize len, GError **error)
{
  const char *p = data;
  gsize done = 0;
  off_t offset = lseek(f->fd, 0, SEEK_CUR);
  while (done < len) {
    int injected = fault_errno("write", (gsize) offset + done);
    gsize chunk = MIN(len - done, fault_room((gsize) offset + done));
    ssize_t n = injected ? -1 : write(f->fd, p + done, chunk);
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
  if (f->tmp != NULL)
    g_unlink(f->tmp);
  file_free(f);
}

/* Give an unnamed O_TMPFILE a temporary name beside the target (rename cannot take an fd). */
static int
name_tmpfile(TsAtomicFile *f)
{
  char proc[64];
  g_snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
  for (int attempt = 0; attempt < 100; attempt++) {
    g_autofree char *name = g_strdup_printf("%s.tmp-%06x", f->path, g_random_int_range(0, 0x1000000));
    int slot = live_add(name);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
      f->tmp = g_steal_pointer(&name);
      f->slot = slot;
      return 0;
    }
    int err = errno;
    live_remove(slot);
    if (err != EEXIST)
      return err;
  }
  return EEXIST;
}

/* Flush to disk: where a full disk or a failing device shows.  On failure the file is removed and freed. */
static gboolean
prepare(TsAtomicFile *f, GError **error)
{
  if (fsync(f->fd) != 0) {
    io_error(error, "write", f->path, errno);
    ts_atomic_file_abort(f);
    return FALSE;
  }
  return TRUE;
}

/* Give the file its name.  Frees it either way. */
static gboolean
publish(TsAtomicFile *f, GError **error)
{
  int err = 0;
  if (f->tmp == NULL)
    err = name_tmpfile(f);
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
  g_free(g_steal_pointer(&f->tmp)); /* renamed: nothing to remove any more */
  file_free(f);
  return TRUE;
}

gboolean
ts_atomic_file_commit(TsAtomicFile *f, GError **error)
{
  return prepare(f, error) && publish(f, error);
}

struct TsAtomicSet {
  GPtrArray *files;
};

TsAtomicSet *
ts_atomic_set_new(void)
{
  TsAtomicSet *set = g_new0(TsAtomicSet, 1);
  set->files = g_ptr_array_new();
  return set;
}

gboolean
ts_atomic_set_add(TsAtomicSet *set, TsAtomicFile *file, GError **error)
{
  if (!prepare(file, error))
    return FALSE;
  g_ptr_array_add(set->files, file);
  return TRUE;
}

gboolean
ts_atomic_set_add_bytes(TsAtomicSet *set, const char *path, const void *data, gsize len, GError **error)
{
  TsAtomicFile *f = ts_atomic_file_new(path, error);
  if (f == NULL)
    return FALSE;
  if (!ts_atomic_file_write(f, data, len, error)) {
    ts_atomic_file_abort(f);
    return FALSE;
  }
  return ts_atomic_set_add(set, f, error);
}

/* TRAINSIM_FAULT=rename:NAME (fault-injection builds): replacing DIR/NAME fails with EPERM, as it does when
 * the previous NAME is immutable (chattr +i), which tests cannot set without root. */
static int
fault_rename(const char *base)
{
#ifdef TS_FAULT_INJECTION
  const char *f = g_getenv("TRAINSIM_FAULT");
  if (f != NULL && g_str_has_prefix(f, "rename:") && strcmp(f + strlen("rename:"), base) == 0)
    return EPERM;
#else
  (void) base;
#endif
  return 0;
}

/* Swap staged and target (both in `dir`); *existed tells whether a previous target was there (and is now
 * at `staged`).  Falls back to moving the previous file aside where RENAME_EXCHANGE is not supported. */
static int
swap_in(int dfd, const char *staged, const char *base, const char *aside, gboolean *existed)
{
  int injected = fault_rename(base);
  if (injected)
    return injected;
  *existed = TRUE;
  if (renameat2(dfd, staged, dfd, base, RENAME_EXCHANGE) == 0)
    return 0;
  if (errno == ENOENT) { /* nothing to replace */
    *existed = FALSE;
    return renameat(dfd, staged, dfd, base) == 0 ? 0 : errno;
  }
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return errno;
  if (renameat(dfd, base, dfd, aside) != 0) {
    if (errno != ENOENT)
      return errno;
    *existed = FALSE;
  }
  if (renameat(dfd, staged, dfd, base) == 0) {
    if (*existed && renameat(dfd, aside, dfd, staged) != 0) /* keep the previous file where undo finds it */
      return 0;
    return 0;
  }
  int err = errno;
  if (*existed)
    (void) renameat(dfd, aside, dfd, base);
  return err;
}

/* Undo swap_in: the previous file back in place (or none, if there was none). */
static gboolean
swap_out(int dfd, const char *staged, const char *base, gboolean existed)
{
  if (existed)
    return renameat2(dfd, staged, dfd, base, RENAME_EXCHANGE) == 0 || renameat(dfd, staged, dfd, base) == 0;
  return unlinkat(dfd, base, 0) == 0;
}

/* The set's files, all in one directory, are named inside a staging directory there (DIR/.trainsim-set-*),
 * then swapped into place one by one under an exclusive lock on DIR (flock: two trainsim writing to one
 * --out take turns, so their sets never mix).  If a swap fails (an immutable file, a full directory), the
 * swaps already made are undone: DIR holds the previous set again, and the message says so — or, if even an
 * undo failed, which files are new and which are not. */
static gboolean
commit_staged(TsAtomicSet *set, const char *dir_of_first, GError **error)
{
  guint n = set->files->len;
  g_autofree char *dir = g_strdup(dir_of_first); /* the files, and their dir, are freed below */
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    io_error(error, "open directory", dir, errno);
    return FALSE;
  }
  while (flock(dfd, LOCK_EX) != 0 && errno == EINTR)
    ;
  g_autofree char *stage = g_build_filename(dir, ".trainsim-set-XXXXXX", NULL);
  g_autofree char **bases = g_new0(char *, n + 1);
  g_autofree char **staged = g_new0(char *, n + 1);
  g_autofree gboolean *existed = g_new0(gboolean, n);
  guint named = 0, swapped = 0;
  int err = 0;
  const char *failed = NULL;
  if (g_mkdtemp(stage) == NULL) {
    err = errno;
    failed = ".trainsim-set-XXXXXX";
  }
  g_autofree char *stage_base = g_path_get_basename(stage);
  /* 1. every file gets its name inside the staging directory */
  for (; err == 0 && named < n; named++) {
    TsAtomicFile *f = g_ptr_array_index(set->files, named);
    bases[named] = g_path_get_basename(f->path);
    staged[named] = g_build_filename(stage_base, bases[named], NULL);
    if (f->tmp == NULL) {
      char proc[64];
      g_snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
      if (linkat(AT_FDCWD, proc, dfd, staged[named], AT_SYMLINK_FOLLOW) != 0)
        err = errno;
    } else if (renameat(AT_FDCWD, f->tmp, dfd, staged[named]) != 0) {
      err = errno;
    } else {
      g_clear_pointer(&f->tmp, g_free);
    }
    if (err != 0) {
      failed = bases[named];
      g_clear_pointer(&staged[named], g_free);
    }
  }
  /* 2. swap each into place; on the first failure, undo the swaps made */
  GString *kept_new = g_string_new(NULL);
  if (err == 0) {
    for (; swapped < n; swapped++) {
      g_autofree char *aside = g_strdup_printf("%s/%s.previous", stage_base, bases[swapped]);
      err = swap_in(dfd, staged[swapped], bases[swapped], aside, &existed[swapped]);
      if (err != 0) {
        failed = bases[swapped];
        break;
      }
    }
    if (err != 0)
      for (guint k = swapped; k-- > 0;)
        if (!swap_out(dfd, staged[k], bases[k], existed[k]))
          g_string_append_printf(kept_new, "%s%s", kept_new->len ? ", " : "", bases[k]);
  }
  /* 3. the staging directory goes, with what it holds (the previous files, or the new ones after a failure) */
  for (guint k = 0; k < n; k++) {
    if (staged[k] != NULL)
      (void) unlinkat(dfd, staged[k], 0);
    g_autofree char *aside = g_strdup_printf("%s/%s.previous", stage_base, bases[k] ? bases[k] : "");
    (void) unlinkat(dfd, aside, 0);
  }
  (void) unlinkat(dfd, stage_base, AT_REMOVEDIR);
  flock(dfd, LOCK_UN);
  close(dfd);
  if (err != 0) {
    if (kept_new->len == 0)
      g_set_error(error, TS_ERROR, TS_ERROR_IO, "cannot write %s/%s: %s; nothing was written to %s (the files it held "
                  "are as they were)", dir, failed, g_strerror(err), dir);
    else
      g_set_error(error, TS_ERROR, TS_ERROR_IO, "cannot write %s/%s: %s; %s now holds the new %s, which could not be "
                  "put back, and the previous version of every other file", dir, failed, g_strerror(err), dir,
                  kept_new->str);
  }
  for (guint k = 0; k < n; k++) {
    TsAtomicFile *f = g_ptr_array_index(set->files, k);
    if (f->fd >= 0)
      close(f->fd);
    f->fd = -1;
    if (f->tmp != NULL)
      g_unlink(f->tmp);
    file_free(f);
    g_free(bases[k]);
    g_free(staged[k]);
  }
  g_string_free(kept_new, TRUE);
  return err == 0;
}

gboolean
ts_atomic_set_commit(TsAtomicSet *set, GError **error)
{
  gboolean ok = TRUE;
  gboolean one_dir = set->files->len > 0;
  const char *dir = one_dir ? ((TsAtomicFile *) g_ptr_array_index(set->files, 0))->dir : NULL;
  for (guint i = 1; i < set->files->len && one_dir; i++)
    one_dir = strcmp(((TsAtomicFile *) g_ptr_array_index(set->files, i))->dir, dir) == 0;
  if (one_dir) {
    ok = commit_staged(set, dir, error);
  } else {
    for (guint i = 0; i < set->files->len; i++) {
      TsAtomicFile *f = g_ptr_array_index(set->files, i);
      g_ptr_array_index(set->files, i) = NULL;
      if (ok)
        ok = publish(f, error);
      else
        ts_atomic_file_abort(f);
    }
  }
  g_ptr_array_unref(set->files);
  g_free(set);
  return ok;
}

void
ts_atomic_set_abort(TsAtomicSet *set)
{
  if (set == NULL)
    return;
  for (guint i = 0; i < set->files->len; i++)
    ts_atomic_file_abort(g_ptr_array_index(set->files, i));
  g_ptr_array_unref(set->files);
  g_free(set);
}

gboolean
ts_output_dir_ensure(const char *dir, GError **error)
{
  int injected = fault_errno("open", 0);
  if (injected || g_mkdir_with_parents(dir, 0755) != 0)
    return io_error(error, "create directory", dir, injected ? injected : errno);
  return TRUE;
}
