/* Devices declared in a scenario (device { plugin = ..., define = {...} }) when no catalog has them. */
#ifndef TS_DEFINE_H
#define TS_DEFINE_H

#include <glib.h>
#include <lua.h>

#include "plugin/plugin-host.h"

/* The record the prelude's normalized define table at `idx` describes, for plugin `plugin`: every field checked
 * again here (unknown names, units already SI, ranges), its constants inherited from the generation it names or
 * pooled (ts_registry_inherit_constants) and labelled uncalibrated; no price (a scenario gives one with
 * device { price = ... }).  NULL with TS_ERROR_SCENARIO naming define.FIELD. */
TsDeviceRecord *ts_define_device(lua_State *L, int idx, const TsRegistry *registry, const char *plugin,
                                 GError **error);

#endif
