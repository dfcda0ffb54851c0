#include "common/install-dirs.h"

#include <dlfcn.h>
#include <string.h>

/* Set by meson: TS_BUILD_ROOT (absolute), TS_INSTALL_PLUGIN_DIR and TS_INSTALL_DATA_DIR (absolute, as
 * configured), TS_BINDIR_TO_PLUGIN_DIR and TS_BINDIR_TO_DATA_DIR (relative to <prefix>/<bindir>, or "" when
 * the directories were configured outside the prefix). */

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

static GMutex loader_mutex;

void
ts_install_lock_loader(void)
{
  g_mutex_lock(&loader_mutex);
}

void
ts_install_unlock_loader(void)
{
  g_mutex_unlock(&loader_mutex);
}

void *
ts_install_open_module(const char *env, const char *build_path, const char *name, const char *symbol,
                       const char *what, char **path, char **why)
{
  const char *named = g_getenv(env);
  if (named != NULL && named[0] != '\0') {
    *path = g_strdup(named);
  } else if (ts_install_is_build_tree()) {
    *path = g_strdup(build_path);
  } else {
    g_autofree char *plugins = ts_install_get_plugin_dir();
    g_autofree char *up = g_path_get_dirname(plugins);
    *path = g_build_filename(up, name, NULL);
  }
  ts_install_lock_loader();
  (void) dlerror();
  void *handle = dlopen(*path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  void *entry = handle != NULL ? dlsym(handle, symbol) : NULL;
  const char *e = handle == NULL ? dlerror() : NULL;
  if (handle == NULL)
    *why = g_strdup_printf("cannot load %s %s: %s", what, *path, e ? e : "unknown dlopen error");
  ts_install_unlock_loader();
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
