/* Plugins are other people's code running with our privileges.  Before any of a plugin's code runs in this
 * process (a shared object's constructors run inside dlopen):
 *   1. the file and every directory above it are checked: a regular file owned by root or by us, neither
 *      it nor its directory writable by group or others, no directory above writable by others unless
 *      sticky (so nobody but its owner or root can replace what we load);
 *   2. it is loaded and probed once in a child process (dlopen, ts_plugin_entry, catalog, test answers), so
 *      a plugin that crashes or hangs there is refused by name and the others still work.  The child is the
 *      helper executable trainsim-probe (probe-helper.c), started with posix_spawn, never a fork of this process:
 *      the child of a fork of a threaded process inherits every lock another thread held at that instant (the
 *      dynamic loader's, GLib's, AddressSanitizer's allocator's) and can wait on one for ever, so a sound plugin
 *      was refused as hung now and then (docs/performance.md, "The flaky probe");
 *   3. the child's verdict (probe-verdict.h) is cached by the identity of the plugin file and of its catalog (device,
 *      inode, size, mtime), with the plugin's name, so start-up runs the helper only for new or changed plugins.
 * Only then is it loaded in-process by ts_plugin_load (loader.c), which checks everything again; a plugin the
 * cache vouches for is made by ts_plugin_new_deferred from its name alone, and opened, parsed and probed at its
 * first use, so a run opens only the plugins it uses. */
#include "plugin/plugin-host.h"

#include "common/install-dirs.h"
#include "common/ts-error.h"
#include "plugin/probe-verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Seconds a child probe may take before it is killed and the plugin refused. */
#define PROBE_TIMEOUT_S 5
/* Cache format; bump when a line's meaning changes.  (The plugin's name, a fourth field of a line's value, came
 * without a bump: a binary before it reads such a line as stale and one after it reads a line without it as stale,
 * so builds of either side sharing ~/.cache do not discard each other's lines.) */
#define CACHE_MAGIC "trainsim-plugin-probe 1 " TS_VERSION

G_GNUC_PRINTF(3, 4)
static gboolean
refuse(GError **error, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "plugin %s refused: %s", path, msg);
  return FALSE;
}

static gboolean
trusted_owner(uid_t uid)
{
  return uid == 0 || uid == geteuid();
}

/* Why a file trainsim is about to run code from (a plugin, the probe's helper) is not to be trusted, or NULL: it must
 * be a regular file owned by root or by us and writable by nobody else, in a directory likewise, under directories
 * that nobody else can write to without the sticky bit -- whoever can write there can swap the file. */
static char *
file_unfit(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return g_strdup_printf("cannot be read: %s", g_strerror(errno));
  g_autofree char *real = realpath(path, NULL);
  if (real == NULL || stat(real, &st) != 0)
    return g_strdup_printf("cannot be resolved: %s", g_strerror(errno));
  if (!S_ISREG(st.st_mode))
    return g_strdup("not a regular file");
  if (!trusted_owner(st.st_uid))
    return g_strdup_printf("owned by uid %u, neither root nor you (uid %u)", (unsigned) st.st_uid,
                           (unsigned) geteuid());
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return g_strdup_printf("writable by %s (mode %04o); chmod go-w it", st.st_mode & S_IWOTH ? "everyone" : "its group",
                           (unsigned) (st.st_mode & 07777));
  g_autofree char *dir = g_path_get_dirname(real);
  for (gboolean first = TRUE;; first = FALSE) {
    struct stat ds;
    if (stat(dir, &ds) != 0)
      return g_strdup_printf("directory %s cannot be read: %s", dir, g_strerror(errno));
    if (!trusted_owner(ds.st_uid))
      return g_strdup_printf("directory %s is owned by uid %u, neither root nor you (uid %u)", dir,
                             (unsigned) ds.st_uid, (unsigned) geteuid());
    gboolean others = (ds.st_mode & S_IWOTH) != 0, group = (ds.st_mode & S_IWGRP) != 0;
    if (first ? (others || group) : (others && !(ds.st_mode & S_ISVTX)))
      return g_strdup_printf("directory %s is writable by %s (mode %04o), so anyone could replace the file", dir,
                             others ? "everyone" : "its group", (unsigned) (ds.st_mode & 07777));
    if (strcmp(dir, "/") == 0 || strcmp(dir, ".") == 0)
      break;
    char *up = g_path_get_dirname(dir);
    g_free(dir);
    dir = up;
  }
  return NULL;
}

gboolean
ts_plugin_check_file(const char *path, GError **error)
{
  g_autofree char *why = file_unfit(path);
  return why == NULL || refuse(error, path, "%s", why);
}

/* ---- the verdict cache --------------------------------------------------------------------------------- */

typedef struct {
  guint64 dev, ino, size;
  gint64 mtime_ns;
} FileId;

static gboolean
file_id(const char *path, FileId *id)
{
  struct stat st;
  if (path == NULL || stat(path, &st) != 0)
    return FALSE;
  id->dev = (guint64) st.st_dev;
  id->ino = (guint64) st.st_ino;
  id->size = (guint64) st.st_size;
  id->mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  return TRUE;
}

static char *
file_id_text(const FileId *id)
{
  return g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT,
                         id->dev, id->ino, id->size, id->mtime_ns);
}

/* TRAINSIM_PROBE_CACHE=off disables the cache, =PATH moves it; by default
 * $XDG_CACHE_HOME/trainsim/plugin-probes (~/.cache/...). */
static char *
cache_path(void)
{
  return ts_install_get_cache_path("TRAINSIM_PROBE_CACHE", "plugin-probes");
}

/* Lines the cache keeps: every build directory, test fixture and temporary plugin directory a machine ever
 * used leaves a line, and every start-up looks each plugin up in it. */
#define CACHE_MAX_LINES 256

/* The text last read (a reference-counted copy), and the identity of the file it came from: a registry asks once
 * per plugin, and the file is replaced (renamed over), never written in place, so an unchanged identity means the
 * same text.  The open and the owner and mode checks are made every time. */
static GMutex last_mutex;
static GRefString *last_text;
static char *last_path;
static FileId last_id;

/* The cache's text after its magic line: lines "PLUGIN-PATH\tID\tVERDICT..." (or NULL when there is none or it is
 * not ours alone to write: a cache others can write could vouch for a crashing plugin).  *body points into it. */
static GRefString *
cache_read(const char *path, const char **body)
{
  *body = NULL;
  if (path == NULL)
    return NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return NULL;
  struct stat st;
  GRefString *text = NULL;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH)) &&
      st.st_size < 1024 * 1024) {
    FileId id = {(guint64) st.st_dev, (guint64) st.st_ino, (guint64) st.st_size,
                 (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    g_mutex_lock(&last_mutex);
    if (last_text != NULL && g_strcmp0(last_path, path) == 0 && memcmp(&id, &last_id, sizeof id) == 0) {
      text = g_ref_string_acquire(last_text);
    } else {
      g_autofree char *buf = g_malloc((gsize) st.st_size + 1);
      ssize_t n = read(fd, buf, (size_t) st.st_size);
      text = g_ref_string_new_len(buf, n > 0 ? n : 0);
      g_clear_pointer(&last_text, g_ref_string_release);
      g_free(last_path);
      last_text = n == st.st_size ? g_ref_string_acquire(text) : NULL; /* a short read is not remembered */
      last_path = g_strdup(path);
      last_id = id;
    }
    g_mutex_unlock(&last_mutex);
  }
  close(fd);
  if (text == NULL || !g_str_has_prefix(text, CACHE_MAGIC "\n")) {
    if (text != NULL)
      g_ref_string_release(text);
    return NULL;
  }
  *body = text + strlen(CACHE_MAGIC "\n");
  return text;
}

/* The line of `body` that starts with key and a tab: its start (*len bytes up to the newline), or NULL.  Read in
 * place, without splitting the file into lines. */
static const char *
cache_find(const char *body, const char *key, gsize *len)
{
  gsize klen = strlen(key);
  for (const char *l = body; l != NULL && *l != '\0';) {
    const char *nl = strchr(l, '\n');
    gsize n = nl != NULL ? (gsize) (nl - l) : strlen(l);
    if (n > klen && strncmp(l, key, klen) == 0 && l[klen] == '\t') {
      *len = n;
      return l;
    }
    l = nl != NULL ? nl + 1 : NULL;
  }
  return NULL;
}

/* key's value (after its tab), a copy, or NULL. */
static char *
cache_lookup(const char *body, const char *key)
{
  gsize len;
  const char *l = cache_find(body, key, &len);
  gsize klen = strlen(key);
  return l != NULL ? g_strndup(l + klen + 1, len - klen - 1) : NULL;
}

/* Whether a cache line's plugin file still exists: the lines of deleted build and test directories go. */
static gboolean
line_plugin_exists(const char *line, gsize len)
{
  const char *tab = memchr(line, '\t', len);
  if (tab == NULL || tab == line)
    return FALSE;
  g_autofree char *path = g_strndup(line, (gsize) (tab - line));
  return access(path, F_OK) == 0;
}

/* Replace key's line (write a temporary, rename it over): concurrent writers lose an entry at worst.  Lines of
 * plugins that no longer exist are dropped, and only the newest CACHE_MAX_LINES are kept. */
static void
cache_store(const char *path, const char *body, const char *key, const char *value)
{
  if (path == NULL)
    return;
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0700) != 0)
    return;
  gsize klen = strlen(key);
  g_autoptr(GArray) keep = g_array_new(FALSE, FALSE, sizeof(const char *)); /* starts of the lines kept */
  for (const char *l = body; l != NULL && *l != '\0';) {
    const char *nl = strchr(l, '\n');
    gsize n = nl != NULL ? (gsize) (nl - l) : strlen(l);
    if (n > 0 && !(n > klen && strncmp(l, key, klen) == 0 && l[klen] == '\t') && line_plugin_exists(l, n))
      g_array_append_val(keep, l);
    l = nl != NULL ? nl + 1 : NULL;
  }
  GString *s = g_string_new(CACHE_MAGIC "\n");
  guint first = keep->len >= CACHE_MAX_LINES ? keep->len - (CACHE_MAX_LINES - 1) : 0;
  for (guint i = first; i < keep->len; i++) {
    const char *l = g_array_index(keep, const char *, i);
    const char *nl = strchr(l, '\n');
    g_string_append_len(s, l, nl != NULL ? nl - l : (gssize) strlen(l));
    g_string_append_c(s, '\n');
  }
  g_string_append_printf(s, "%s\t%s\n", key, value);
  g_autofree char *tmp = g_strdup_printf("%s.%d.tmp", path, (int) getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    gboolean ok = write(fd, s->str, s->len) == (ssize_t) s->len;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0)
      unlink(tmp);
  }
  g_string_free(s, TRUE);
}

/* ---- the probe, in the helper executable ------------------------------------------------------------------- */

/* The helper's environment: ours, and the JSON module this process would open (the helper finds trainsim's files from
 * its own location, libexecdir, while TS_BINDIR_TO_* are relative to bindir). */
static char **
helper_environment(void)
{
  char **env = g_get_environ();
  g_autofree char *module = ts_install_get_module_path("TRAINSIM_JSON_MODULE", TS_BUILD_JSON_MODULE,
                                                       TS_JSON_MODULE_NAME);
  return g_environ_setenv(env, "TRAINSIM_JSON_MODULE", module, FALSE);
}

/* `helper path` started with the pipe's write end `out` as its standard output and /dev/null as its input, its
 * signals at their defaults and none blocked.  posix_spawn: glibc's clones the process sharing its memory and execs
 * at once, so nothing of this process's state (locks some thread held, the sanitizers' allocators) reaches the
 * helper, which runs no code of ours before main. */
static int
spawn_helper(const char *helper, const char *path, int out, pid_t *pid)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  char *argv[] = {(char *) helper, (char *) path, NULL};
  g_auto(GStrv) env = helper_environment();
  int rc = posix_spawn(pid, helper, &actions, &attr, argv, env);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  return rc;
}

/* The helper's answer (at most 64 KiB) read until it closes the pipe; FALSE when PROBE_TIMEOUT_S passed first. */
static gboolean
read_answer(int fd, GString *out)
{
  gint64 deadline = g_get_monotonic_time() + PROBE_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;) {
    gint64 left_us = deadline - g_get_monotonic_time();
    if (left_us <= 0)
      return FALSE;
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, (int) MIN(left_us / 1000 + 1, 1000));
    if (r < 0 && errno != EINTR)
      return TRUE;
    if (r <= 0)
      continue;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0 && out->len < 64 * 1024)
      g_string_append_len(out, buf, n);
    else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
      return TRUE;
  }
}

/* The helper's verdict on `path` into *verdict: TRUE when it answered, FALSE with the refusal naming the plugin when
 * the plugin was refused, crashed or hung, or no helper could run. */
static gboolean
probe_in_helper(const char *path, TsProbeVerdict *verdict, GError **error)
{
  g_autofree char *looked = NULL;
  /* The helper runs the plugin's code as the plugin would: the same trust as the plugin's file. */
  g_autofree char *helper = ts_install_find_probe_helper(file_unfit, &looked);
  if (helper == NULL)
    return refuse(error, path, "cannot probe it: the probe's helper %s was not found (looked for %s); it is built "
                  "beside trainsim and installed in libexecdir", TS_PROBE_HELPER_NAME, looked);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return refuse(error, path, "cannot probe: pipe: %s", g_strerror(errno));
  pid_t pid;
  int rc = spawn_helper(helper, path, fds[1], &pid);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return refuse(error, path, "cannot probe: cannot run the probe's helper %s: %s", helper, g_strerror(rc));
  }
  GString *out = g_string_new(NULL);
  gboolean timed_out = !read_answer(fds[0], out);
  if (timed_out)
    kill(pid, SIGKILL);
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  gboolean ok = FALSE;
  const char *why = NULL;
  if (timed_out) {
    refuse(error, path, "did not finish loading within %d s (probed in a child process, which was killed)",
           PROBE_TIMEOUT_S);
  } else if (WIFSIGNALED(status)) {
    refuse(error, path, "crashed while loading (signal %d, %s, in a child process: its constructor, %s() or "
           "its first answers)", WTERMSIG(status), g_strsignal(WTERMSIG(status)), TS_PLUGIN_ENTRY_SYMBOL);
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out->len == 0) {
    refuse(error, path, "exited while loading (status %d, in a child process) without an answer",
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else if (!ts_probe_verdict_parse(out->str, verdict, &why)) {
    refuse(error, path, "the probe's answer (from %s) is garbled: %s", helper, why);
  } else if (!verdict->ok) {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_PLUGIN, verdict->message);
    ts_probe_verdict_clear(verdict);
  } else {
    ok = TRUE;
  }
  g_string_free(out, TRUE);
  return ok;
}

/* Whether this process's load of the plugin is the one the helper vouched for: the same name, ABI and catalog file,
 * and the catalog's bytes the same (a file changed between the two loads is probed again next time). */
static gboolean
same_as_probed(const TsPlugin *plugin, const TsProbeVerdict *verdict)
{
  const TsPluginDescriptor *d = ts_plugin_get_descriptor(plugin);
  const TsCatalog *catalog = ts_plugin_get_catalog(plugin);
  if (d == NULL || strcmp(plugin->name, verdict->name) != 0 || d->abi_major != verdict->abi_major ||
      d->abi_minor != verdict->abi_minor)
    return FALSE;
  if (catalog == NULL)
    return verdict->catalog == NULL;
  return g_strcmp0(catalog->path, verdict->catalog) == 0 &&
         g_strcmp0(ts_catalog_get_sha256(catalog), verdict->catalog_sha256) == 0;
}

TsPlugin *
ts_plugin_load_checked(const char *path, GError **error)
{
  if (!ts_plugin_check_file(path, error))
    return NULL;
  FileId id;
  if (!file_id(path, &id)) {
    refuse(error, path, "cannot be read: %s", g_strerror(errno));
    return NULL;
  }
  /* A path the cache's tab-and-line format cannot hold is probed every time. */
  g_autofree char *cpath = strpbrk(path, "\t\n") == NULL ? cache_path() : NULL;
  const char *body = NULL;
  g_autoptr(GRefString) text = cache_read(cpath, &body);
  (void) text; /* read only through body, whose bytes it owns until the function returns (clang: -Wunused-variable) */
  g_autofree char *idt = file_id_text(&id);
  g_autofree char *key = g_strdup_printf("%s\t%s", path, idt);
  g_autofree char *cached = cache_lookup(body, key);
  if (cached != NULL) {
    /* "ok\tCATALOG\tCATALOG-ID\tNAME": still good if the catalog is the same file, unchanged.  The child loaded
     * this file with this catalog file and both are unchanged: the shared object's dlopen, the catalog's parse and
     * the probe wait for the first command that uses the plugin, so a run opens and parses only what it uses. */
    g_auto(GStrv) f = g_strsplit(cached, "\t", 4);
    gboolean fresh = FALSE;
    if (g_strv_length(f) == 4 && strcmp(f[0], "ok") == 0 && f[3][0] != '\0') {
      FileId cid;
      g_autofree char *cidt = NULL;
      if (f[1][0] == '\0')
        fresh = strcmp(f[2], "-") == 0;
      else if (file_id(f[1], &cid) && (cidt = file_id_text(&cid)) != NULL)
        fresh = strcmp(f[2], cidt) == 0;
    }
    if (fresh)
      return ts_plugin_new_deferred(path, f[3], f[1][0] != '\0' ? f[1] : NULL);
  }
  TsProbeVerdict verdict;
  if (!probe_in_helper(path, &verdict, error))
    return NULL;
  TsPlugin *plugin = ts_plugin_load(path, error);
  /* Vouched for only when this process loaded it too, as the helper saw it; a name or path the tab-and-line format
   * cannot hold is probed every time. */
  const char *cat = verdict.catalog != NULL ? verdict.catalog : "";
  if (plugin != NULL && strpbrk(plugin->name, "\t\n") == NULL && strpbrk(cat, "\t\n") == NULL &&
      same_as_probed(plugin, &verdict)) {
    FileId cid;
    g_autofree char *cidt = verdict.catalog != NULL && file_id(verdict.catalog, &cid) ? file_id_text(&cid)
                                                                                       : g_strdup("-");
    g_autofree char *value = g_strdup_printf("ok\t%s\t%s\t%s", cat, cidt, plugin->name);
    cache_store(cpath, body, key, value);
  }
  ts_probe_verdict_clear(&verdict);
  return plugin;
}
