/* Loading the plugins and their catalogs for a command (every command that reads devices or runs scenarios). */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include <stdio.h>

TsRegistry *
ts_cli_registry_new(const char *const *catalogs)
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
  return registry;
}
