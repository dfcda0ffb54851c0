/* A device the scenario declares (device { plugin = NAME, define = {...} }): the prelude checked the keys and
 * units at the script's line and left SI numbers; the table stays the script's, so every field is checked again
 * here before it becomes a TsDeviceRecord the plugin and the run model read (docs/scenario-api.md, "Devices
 * the catalog lacks"). */
#include "scenario/define.h"

#include "catalog/catalog.h"
#include "common/ts-error.h"
#include "scenario/bindings.h"
#include "scenario/fields.h"

#include <math.h>
#include <string.h>

#define PEAK_MAX 1e21  /* FLOP/s: a zettaFLOP/s chip is a unit mistake */
#define BYTES_MAX 1e16 /* 10 PB of device memory */
#define RATE_MAX 1e16  /* bytes/s */

#define NEEDED_POSITIVE(n, hi) {n, TS_FIELD_REAL, 0, TRUE, hi, TRUE, NULL}
#define POSITIVE(n, hi) {n, TS_FIELD_REAL, 0, TRUE, hi, FALSE, NULL}
#define REAL(n, lo, hi) {n, TS_FIELD_REAL, lo, FALSE, hi, FALSE, NULL}
#define COUNT(n, lo, hi) {n, TS_FIELD_COUNT, lo, FALSE, hi, FALSE, NULL}

/* Where each number lands in the spec; the peaks by precision come from the precision names. */
static const struct {
  TsFieldRule rule;
  gsize offset; /* into TsDeviceSpec */
} spec_fields[] = {
  {NEEDED_POSITIVE("memory", BYTES_MAX), offsetof(TsDeviceSpec, memory_bytes)},
  {NEEDED_POSITIVE("memory_bandwidth", RATE_MAX), offsetof(TsDeviceSpec, memory_bandwidth)},
  {REAL("runtime_reserved", 0, BYTES_MAX), offsetof(TsDeviceSpec, runtime_reserved_bytes)},
  {POSITIVE("link_bandwidth", RATE_MAX), offsetof(TsDeviceSpec, link_bandwidth)},
  {COUNT("links", 1, 4096), offsetof(TsDeviceSpec, links)},
  {REAL("link_latency", 0, 1), offsetof(TsDeviceSpec, link_latency_s)},
  {REAL("network_latency", 0, 1), offsetof(TsDeviceSpec, network_latency_s)},
  {POSITIVE("tdp", 1e6), offsetof(TsDeviceSpec, tdp_watts)},
  {COUNT("matmul_tile", 1, 65536), offsetof(TsDeviceSpec, matmul_tile)},
  {COUNT("matmul_units", 1, 65536), offsetof(TsDeviceSpec, matmul_units)},
  {COUNT("cores", 1, 1e6), offsetof(TsDeviceSpec, cores)},
};

static gboolean
known_key(const char *key)
{
  if (strcmp(key, "name") == 0 || strcmp(key, "generation") == 0)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(spec_fields); i++)
    if (strcmp(key, spec_fields[i].rule.name) == 0)
      return TRUE;
  TsPrecision p;
  return g_str_has_prefix(key, "peak_") && ts_precision_from_name(key + 5, &p);
}

/* Every key of the table is one the define knows (a look-alike table could carry anything). */
static gboolean
check_names(lua_State *L, int idx, GError **error)
{
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    gboolean ok = lua_type(L, -2) == LUA_TSTRING && known_key(lua_tostring(L, -2));
    if (!ok) {
      g_autofree char *key = lua_type(L, -2) == LUA_TSTRING ? g_strdup(lua_tostring(L, -2))
                                                              : g_strdup(lua_typename(L, lua_type(L, -2)));
      lua_pop(L, 2);
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "accelerator.define holds a field \"%.60s\" the run does not "
                  "know; was the table changed after it was made?", key);
      return FALSE;
    }
    lua_pop(L, 1);
  }
  return TRUE;
}

TsDeviceRecord *
ts_define_device(lua_State *L, int idx, const TsRegistry *registry, const char *plugin, GError **error)
{
  idx = lua_absindex(L, idx);
  TsFieldRule rules[G_N_ELEMENTS(spec_fields) + TS_PRECISION_COUNT + 2];
  char peak_names[TS_PRECISION_COUNT][24];
  gsize n = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(spec_fields); i++)
    rules[n++] = spec_fields[i].rule;
  for (int p = 0; p < TS_PRECISION_COUNT; p++) {
    g_snprintf(peak_names[p], sizeof peak_names[p], "peak_%s", ts_precision_get_name((TsPrecision) p));
    rules[n++] = (TsFieldRule) POSITIVE(peak_names[p], PEAK_MAX);
  }
  rules[n++] = (TsFieldRule) {"name", TS_FIELD_STRING, 0, FALSE, 0, TRUE, NULL};
  rules[n++] = (TsFieldRule) {"generation", TS_FIELD_STRING, 0, FALSE, 0, FALSE, NULL};
  if (!ts_fields_check(L, idx, "accelerator.define", rules, n, FALSE, error) || !check_names(L, idx, error))
    return NULL;
  g_autofree char *name = ts_lua_dup_name(L, idx, "name");
  g_autofree char *generation = ts_lua_dup_name(L, idx, "generation");
  if (name[0] == '\0') {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "accelerator.define.name is empty");
    return NULL;
  }
  const TsPlugin *owner = ts_registry_find(registry, plugin);
  if (owner == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_PLUGIN, "no plugin named \"%s\" is loaded (see `trainsim plugins`)", plugin);
    return NULL;
  }
  /* A name the catalogs already use would make two different devices answer to one SKU in the outputs. */
  const TsCatalog *catalog = ts_plugin_get_catalog(owner);
  if (catalog != NULL && ts_catalog_find_device(catalog, name) != NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "define.name: \"%s\" is a SKU of plugin %s's catalog; use "
                "sku = \"%s\", or give the defined device another name", name, plugin, name);
    return NULL;
  }
  TsDeviceRecord *d = ts_device_record_new(plugin, name, name, generation ? generation : "");
  d->defined = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(spec_fields); i++)
    *(double *) ((char *) &d->spec + spec_fields[i].offset) = ts_lua_get_number(L, idx, spec_fields[i].rule.name, 0);
  gboolean any_peak = FALSE;
  for (int p = 0; p < TS_PRECISION_COUNT; p++) {
    d->spec.peak_dense[p] = ts_lua_get_number(L, idx, peak_names[p], 0);
    any_peak = any_peak || d->spec.peak_dense[p] > 0;
  }
  const char *why = !any_peak ? "define.peak: expected at least one precision's peak, e.g. bf16 = \"125 TFLOP/s\""
                    : !(d->spec.runtime_reserved_bytes < d->spec.memory_bytes)
                      ? "define.runtime_reserved: expected less than define.memory"
                      : NULL;
  if (why != NULL) {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, why);
    ts_device_record_free(d);
    return NULL;
  }
  if (!ts_registry_inherit_constants(registry, generation, "a device the scenario defines", d, &d->calibration_own,
                                     error)) {
    g_prefix_error(error, "define.generation: ");
    ts_device_record_free(d);
    return NULL;
  }
  return d;
}
