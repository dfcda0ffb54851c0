#include "common/install-dirs.h"

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
