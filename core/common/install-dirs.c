#include "common/install-dirs.h"

#include <dlfcn.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by meson: TS_BUILD_ROOT (absolute), TS_INSTALL_PLUGIN_DIR and TS_INSTALL_DATA_DIR (absolute, as
 * configured), TS_BINDIR_TO_PLUGIN_DIR and TS_BINDIR_TO_DATA_DIR (relative to <prefix>/<bindir>, or "" when
 * the directories were configured outside the prefix); TS_INSTALL_LIBEXEC_DIR and TS_BINDIR_TO_LIBEXEC_DIR the same for
 * libexecdir, where the probe's helper TS_PROBE_HELPER_NAME is installed. */

static char *
exe_dir(void)
{
  g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
  return exe ? g_path_get_dirname(exe) : NULL;
}

gboolean
ts_install_is_build_tree(void)
{
  g_autofree char *dir = exe_dir();
  if (dir == NULL)
    return FALSE;
  gsize n = strlen(TS_BUILD_ROOT);
  return strncmp(dir, TS_BUILD_ROOT, n) == 0 && (dir[n] == '/' || dir[n] == '\0');
}

/* The configured directory, moved along with the executable when the install tree was staged or moved. */
static char *
relative_to_exe(const char *rel, const char *configured)
{
  g_autofree char *dir = exe_dir();
  if (dir == NULL || rel[0] == '\0')
    return g_strdup(configured);
  g_autofree char *joined = g_build_filename(dir, rel, NULL);
  return g_canonicalize_filename(joined, NULL);
}

char *
ts_install_get_plugin_dir(void)
{
  return relative_to_exe(TS_BINDIR_TO_PLUGIN_DIR, TS_INSTALL_PLUGIN_DIR);
}

char *
ts_install_get_data_dir(void)
{
  return relative_to_exe(TS_BINDIR_TO_DATA_DIR, TS_INSTALL_DATA_DIR);
}

/* Why `path` cannot be the helper before any trust rule is asked (NULL: it can): there must be an executable file. */
static const char *
helper_missing(const char *path)
{
  struct stat st;
  if (stat(path, &st) != 0)
    return "missing";
  if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
    return "not an executable file";
  return NULL;
}

char *
ts_install_find_probe_helper(char *(*unfit)(const char *path), char **looked)
{
  g_autoptr(GPtrArray) tried = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *dir = exe_dir();
  if (dir != NULL)
    g_ptr_array_add(tried, g_build_filename(dir, TS_PROBE_HELPER_NAME, NULL));
  if (ts_install_is_build_tree())
    g_ptr_array_add(tried, g_build_filename(TS_BUILD_ROOT, TS_PROBE_HELPER_NAME, NULL));
  g_autofree char *libexec = relative_to_exe(TS_BINDIR_TO_LIBEXEC_DIR, TS_INSTALL_LIBEXEC_DIR);
  g_ptr_array_add(tried, g_build_filename(libexec, TS_PROBE_HELPER_NAME, NULL));
  g_ptr_array_add(tried, g_build_filename(TS_INSTALL_LIBEXEC_DIR, TS_PROBE_HELPER_NAME, NULL));
  GString *said = g_string_new(NULL);
  for (guint i = 0; i < tried->len; i++) {
    const char *path = g_ptr_array_index(tried, i);
    gboolean seen = FALSE;
    for (guint j = 0; j < i; j++)
      seen = seen || strcmp(path, g_ptr_array_index(tried, j)) == 0;
    if (seen)
      continue;
    /* A helper someone else could replace would run with our privileges on every probe: the caller's rule. */
    const char *missing = helper_missing(path);
    g_autofree char *why = missing != NULL ? g_strdup(missing) : unfit(path);
    if (why == NULL) {
      g_string_free(said, TRUE);
      *looked = NULL;
      return g_strdup(path);
    }
    g_string_append_printf(said, "%s%s (%s)", said->len > 0 ? ", " : "", path, why);
  }
  *looked = g_string_free(said, FALSE);
  return NULL;
}

char *
ts_install_get_module_path(const char *env, const char *build_path, const char *name)
{
  const char *named = g_getenv(env);
  if (named != NULL && named[0] != '\0')
    return g_strdup(named);
  if (ts_install_is_build_tree())
    return g_strdup(build_path);
  g_autofree char *plugins = ts_install_get_plugin_dir();
  g_autofree char *up = g_path_get_dirname(plugins);
  return g_build_filename(up, name, NULL);
}

void *
ts_install_open_module(const char *env, const char *build_path, const char *name, const char *symbol,
                       const char *what, char **path, char **why)
{
  *path = ts_install_get_module_path(env, build_path, name);
  (void) dlerror();
  void *handle = dlopen(*path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  void *entry = handle != NULL ? dlsym(handle, symbol) : NULL;
  const char *e = handle == NULL ? dlerror() : NULL;
  if (handle == NULL)
    *why = g_strdup_printf("cannot load %s %s: %s", what, *path, e ? e : "unknown dlopen error");
  if (handle != NULL && entry == NULL)
    *why = g_strdup_printf("%s is not %s of this trainsim (built from another version)", *path, what);
  return entry;
}

char *
ts_install_get_cache_path(const char *env, const char *leaf)
{
  const char *value = g_getenv(env);
  if (value != NULL && strcmp(value, "off") == 0)
    return NULL;
  if (value != NULL && value[0] != '\0')
    return g_strdup(value);
  return g_build_filename(g_get_user_cache_dir(), "trainsim", leaf, NULL);
}
