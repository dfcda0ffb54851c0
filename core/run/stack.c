/* Software stacks by name (stack.h). */
#include "run/stack.h"

#include <string.h>

static const char *const NAMES[TS_STACK_COUNT] = {"eager", "compiled", "tuned"};

const char *
ts_stack_get_name(TsStack stack)
{
  return (unsigned) stack < TS_STACK_COUNT ? NAMES[stack] : "?";
}

gboolean
ts_stack_from_name(const char *name, TsStack *out)
{
  for (int i = 0; name != NULL && i < TS_STACK_COUNT; i++)
    if (strcmp(name, NAMES[i]) == 0) {
      *out = (TsStack) i;
      return TRUE;
    }
  return FALSE;
}

gboolean
ts_stack_get_constants(const TsRegistry *registry, TsDevice *device, TsStack stack, TsStackConstants *constants,
                       gboolean *calibrated, GError **error)
{
  const char *name = ts_stack_get_name(stack);
  *calibrated = ts_registry_get_stack_constants(registry, name, constants);
  return ts_device_stack_constants(device, name, constants, error);
}
