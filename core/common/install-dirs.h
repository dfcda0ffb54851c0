/* Where an installed trainsim finds its plugins and data: relative to its own executable, so that an
 * install tree that was staged (DESTDIR) or moved still works, and never in a build tree it does not
 * belong to.  A binary inside the build tree (build/trainsim, the test programs) uses the build tree. */
#ifndef TS_INSTALL_DIRS_H
#define TS_INSTALL_DIRS_H

#include <glib.h>

/* TRUE when the running executable lives in the build tree it was built in. */
gboolean ts_install_is_build_tree(void);
/* The installed plugin directory (<prefix>/<libdir>/trainsim/plugins), found from the executable. */
char *ts_install_get_plugin_dir(void);
/* The installed data directory (<prefix>/<datadir>/trainsim: scenarios/, scenarios/validation/). */
char *ts_install_get_data_dir(void);
/* Where one of trainsim's caches lives: NULL (no cache) when the environment variable `env` is "off", its value
 * when it is set to anything else, else $XDG_CACHE_HOME/trainsim/LEAF (~/.cache/trainsim/LEAF). */
char *ts_install_get_cache_path(const char *env, const char *leaf);

/* The plugin probe's helper executable (TS_PROBE_HELPER_NAME, "trainsim-probe"): beside the running executable
 * (build/trainsim's build tree; an install tree whose bindir is its libexecdir), then, for a binary of the build tree
 * (the tests in build/tests/), the build tree's root, then <prefix>/<libexecdir> found from the executable (a staged or
 * moved install tree), then the configured libexecdir.  The first that is an executable file which `unfit` (the
 * plugin loader's trust rule: the file, its directory and those above) finds nothing against; `unfit` returns why not
 * (freed here) or NULL.  NULL when none is, with *looked (the caller's to free; NULL when one was found) listing each
 * path looked at and why it was not taken: "A (missing), B (directory B is writable by its group ...)". */
char *ts_install_find_probe_helper(char *(*unfit)(const char *path), char **looked);

/* The file ts_install_open_module would open for these arguments (below), without opening it. */
char *ts_install_get_module_path(const char *env, const char *build_path, const char *name);

/* Opens one of trainsim's lazily loaded modules (trainsim-charts.so, trainsim-json.so) and returns its entry
 * point `symbol` (a function of no arguments returning the module's descriptor): from the file the environment
 * variable `env` names when set, else `build_path` for a binary of the build tree, else `name` beside the
 * installed plugins' directory (<libdir>/trainsim/NAME).  Never closed (RTLD_NODELETE): the modules register
 * exit handlers or GObject types that cannot be unloaded.  *path gets the file tried; NULL with *why set (naming
 * `what`, e.g. "the JSON module", and the path) when it cannot be loaded or lacks the symbol, in the words the
 * callers use for a module whose descriptor does not match ("... is not WHAT of this trainsim"). */
void *ts_install_open_module(const char *env, const char *build_path, const char *name, const char *symbol,
                             const char *what, char **path, char **why);

#endif
