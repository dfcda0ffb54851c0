/* Loading the plugins and their catalogs for a command (every command that reads devices or runs scenarios). */
#include "cli/commands.h"
#include "cli/cli-print.h"

#include <stdio.h>

TsRegistry *
ts_cli_registry_new(void)
{
  g_autoptr(GError) error = NULL;
  TsRegistry *registry = ts_registry_new(NULL, &error);
  if (registry == NULL)
    ts_cli_print(stderr, "trainsim: %s\n", error->message);
  return registry;
}
