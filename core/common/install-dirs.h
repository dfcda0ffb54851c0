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

#endif
