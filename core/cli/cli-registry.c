/* Loading the plugins and their catalogs for a command (every command that reads devices or runs scenarios). */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include <stdio.h>

TsRegistry *
ts_cli_registry_new(const char *const *catalogs, gboolean warn_calibration)
{
  g_autoptr(GError) error = NULL;
  TsRegistry *registry = ts_registry_new(NULL, &error);
  if (registry == NULL) {
    ts_cli_print(stderr, "trainsim: %s\n", error->message);
    return NULL;
  }
  for (const char *const *c = catalogs; c != NULL && *c != NULL; c++)
    if (!ts_registry_add_catalog(registry, *c, &error)) {
      ts_cli_print(stderr, "trainsim: --catalog: %s\n", error->message);
      ts_registry_free(registry);
      return NULL;
    }
  /* A calibration entry set aside (out of its range, malformed) leaves its devices on inherited constants and its
   * stack on neutral ones; the outputs label them uncalibrated, and this says why.  `plugins` and `devices`
   * list every refusal themselves. */
  const GPtrArray *refused = ts_registry_get_calibration_refusals(registry);
  for (guint i = 0; warn_calibration && i < refused->len; i++)
    ts_cli_print(stderr, "trainsim: warning: %s; the devices or stack it would calibrate run uncalibrated\n",
                 (const char *) g_ptr_array_index(refused, i));
  return registry;
}
