#include "scenario/bindings.h"

#include "catalog/catalog.h"
#include "common/ts-error.h"
#include "scenario/fields.h"
#include "units/units.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

void
ts_bindings_init(TsBindings *b, const TsRegistry *registry)
{
  memset(b, 0, sizeof *b);
  b->registry = registry;
  b->sets = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  b->used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  b->params = g_ptr_array_new_with_free_func(ts_param_free);
  b->cluster_ref = LUA_NOREF;
  b->process_ref = LUA_NOREF;
  b->action_ref = LUA_NOREF;
}

static gint live_refs_total; /* atomic: over all TsBindings of the process */

static int
take_ref(lua_State *L, TsBindings *b)
{
  int ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (ref != LUA_NOREF && ref != LUA_REFNIL) {
    b->live_refs++;
    g_atomic_int_inc(&live_refs_total);
  }
  return ref;
}

static void
drop_ref(lua_State *L, TsBindings *b, int *ref)
{
  if (*ref == LUA_NOREF || *ref == LUA_REFNIL)
    return;
  luaL_unref(L, LUA_REGISTRYINDEX, *ref);
  *ref = LUA_NOREF;
  b->live_refs--;
  g_atomic_int_add(&live_refs_total, -1);
}

void
ts_bindings_unref_all(TsBindings *b, lua_State *L)
{
  drop_ref(L, b, &b->cluster_ref);
  drop_ref(L, b, &b->process_ref);
  drop_ref(L, b, &b->action_ref);
}

int
ts_bindings_get_live_refs(void)
{
  return g_atomic_int_get(&live_refs_total);
}

void
ts_bindings_clear(TsBindings *b)
{
  g_clear_pointer(&b->sets, g_hash_table_unref);
  g_clear_pointer(&b->used, g_hash_table_unref);
  g_clear_pointer(&b->params, g_ptr_array_unref);
}

static TsBindings *
self(lua_State *L)
{
  return lua_touserdata(L, lua_upvalueindex(1));
}

static const struct {
  const char *name;
  TsDimension dim;
} dims[] = {
  {"number", TS_DIM_NUMBER}, {"bytes", TS_DIM_BYTES}, {"rate", TS_DIM_BYTE_RATE}, {"time", TS_DIM_TIME},
  {"flops", TS_DIM_FLOPS},   {"flop", TS_DIM_FLOP},   {"power", TS_DIM_POWER},    {"usd", TS_DIM_USD},
  {"price", TS_DIM_PRICE},   {"per_second", TS_DIM_RATE},
};

/* ts.quantity(v, dim) -> value[, per] | nil, message.  Numbers are SI already. */
static int
l_quantity(lua_State *L)
{
  const char *dname = luaL_checkstring(L, 2);
  TsDimension dim = TS_DIM_COUNT;
  for (gsize i = 0; i < G_N_ELEMENTS(dims); i++)
    if (strcmp(dims[i].name, dname) == 0)
      dim = dims[i].dim;
  if (dim == TS_DIM_COUNT)
    return luaL_error(L, "internal: unknown dimension %s", dname);
  if (lua_type(L, 1) == LUA_TNUMBER) {
    if (dim == TS_DIM_PRICE) {
      lua_pushnil(L);
      lua_pushfstring(L, "a price needs its unit, e.g. \"2 USD/chip-hour\"; accepted: %s", ts_dimension_get_units(dim));
      return 2;
    }
    double v = lua_tonumber(L, 1);
    if (!isfinite(v)) {
      lua_pushnil(L);
      lua_pushstring(L, "expected a finite number");
      return 2;
    }
    lua_pushnumber(L, v);
    return 1;
  }
  if (lua_type(L, 1) != LUA_TSTRING) {
    lua_pushnil(L);
    lua_pushfstring(L, "expected %s such as \"%s\", got %s", ts_dimension_get_name(dim),
                    dim == TS_DIM_BYTES ? "147 GB" : dim == TS_DIM_BYTE_RATE ? "1.2 GB/s" : dim == TS_DIM_TIME ? "90 min"
                    : dim == TS_DIM_PRICE ? "2 USD/chip-hour" : "1", luaL_typename(L, 1));
    return 2;
  }
  TsQuantity q;
  g_autoptr(GError) err = NULL;
  if (!ts_quantity_parse(lua_tostring(L, 1), dim, &q, &err)) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    return 2;
  }
  lua_pushnumber(L, q.value);
  if (dim == TS_DIM_PRICE) {
    lua_pushstring(L, ts_price_unit_get_name(q.per));
    return 2;
  }
  return 1;
}

/* A JSON string literal.  JSON text is UTF-8: a byte that does not start a valid UTF-8 sequence (a
 * --set value or default made of arbitrary bytes) becomes U+FFFD instead of making the file invalid. */
static char *
json_string(const char *s)
{
  GString *out = g_string_new("\"");
  const char *p = s;
  while (*p) {
    unsigned char c = (unsigned char) *p;
    if (c == '"' || c == '\\') {
      g_string_append_printf(out, "\\%c", c);
      p++;
    } else if (c < 0x20 || c == 0x7f) { /* controls, DEL: escaped, so no terminal acts on them */
      g_string_append_printf(out, "\\u%04x", c);
      p++;
    } else if (c < 0x80) {
      g_string_append_c(out, (char) c);
      p++;
    } else if (g_utf8_get_char_validated(p, -1) >= 0x80 && g_utf8_get_char_validated(p, -1) <= 0x9f) {
      g_string_append_printf(out, "\\u%04x", g_utf8_get_char(p)); /* C1 controls (CSI is U+009B) */
      p = g_utf8_next_char(p);
    } else if (g_utf8_get_char_validated(p, -1) < (gunichar) -2) {
      const char *next = g_utf8_next_char(p);
      g_string_append_len(out, p, next - p);
      p = next;
    } else {
      g_string_append(out, "\\ufffd");
      p++;
    }
  }
  g_string_append_c(out, '"');
  return g_string_free(out, FALSE);
}

#define MAX_PARAM_NAME 64
#define MAX_PARAM_STRING 1024 /* bytes of a string value kept for the outputs */

static gboolean
is_param_name(const char *s)
{
  gsize n = strlen(s);
  if (n == 0 || n > MAX_PARAM_NAME || !(g_ascii_isalpha(s[0]) || s[0] == '_'))
    return FALSE;
  for (gsize i = 1; i < n; i++)
    if (!(g_ascii_isalnum(s[i]) || s[i] == '_'))
      return FALSE;
  return TRUE;
}

/* ts.param(name, default) -> value | nil, message */
static int
l_param(lua_State *L)
{
  TsBindings *b = self(L);
  /* Checked here too, not only in the prelude: a name reaches the terminal and summary.json, and the
   * value is kept on the host for the outputs. */
  if (lua_type(L, 1) != LUA_TSTRING || !is_param_name(lua_tostring(L, 1))) {
    lua_pushnil(L);
    lua_pushfstring(L, "expected a name of at most %d letters, digits and _, not starting with a digit", MAX_PARAM_NAME);
    return 2;
  }
  int dtype = lua_type(L, 2);
  if (dtype != LUA_TNUMBER && dtype != LUA_TSTRING && dtype != LUA_TBOOLEAN) {
    lua_pushnil(L);
    lua_pushfstring(L, "default must be a number, string or boolean, got %s", luaL_typename(L, 2));
    return 2;
  }
  if (dtype == LUA_TNUMBER && !isfinite(lua_tonumber(L, 2))) {
    lua_pushnil(L);
    lua_pushstring(L, "default must be a finite number");
    return 2;
  }
  const char *name = lua_tostring(L, 1);
  if (g_hash_table_contains(b->used, name)) {
    lua_pushnil(L);
    lua_pushfstring(L, "param \"%s\" is declared twice", name);
    return 2;
  }
  g_hash_table_add(b->used, g_strdup(name));
  const char *text = g_hash_table_lookup(b->sets, name);
  TsParam *p = g_new0(TsParam, 1);
  p->name = g_strdup(name);
  g_ptr_array_add(b->params, p);
  int type = lua_type(L, 2);
  if (text == NULL) {
    lua_pushvalue(L, 2);
  } else if (type == LUA_TNUMBER) {
    char *end = NULL;
    double v = g_ascii_strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v)) {
      lua_pushnil(L);
      lua_pushfstring(L, "--set %s=%s: expected a number (the default is %s)", name, text, lua_tostring(L, 2));
      return 2;
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0 && lua_isinteger(L, 2))
      lua_pushinteger(L, (lua_Integer) v);
    else
      lua_pushnumber(L, v);
  } else if (type == LUA_TBOOLEAN) {
    if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
      lua_pushnil(L);
      lua_pushfstring(L, "--set %s=%s: expected true or false", name, text);
      return 2;
    }
    lua_pushboolean(L, strcmp(text, "true") == 0);
  } else if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
    /* A setting whose default is a word may also be switched on or off: recompute = "auto", true or false. */
    lua_pushboolean(L, strcmp(text, "true") == 0);
  } else {
    lua_pushstring(L, text);
  }
  /* Record the value the run actually used, as JSON, for summary.json's "parameters". */
  if (lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) > MAX_PARAM_STRING) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: a string value of at most %d bytes, got %d", name, MAX_PARAM_STRING, (int) MIN(lua_rawlen(L, -2), (size_t) G_MAXINT));
    return 2;
  }
  if (lua_type(L, -1) == LUA_TSTRING)
    p->value_json = json_string(lua_tostring(L, -1));
  else if (lua_type(L, -1) == LUA_TBOOLEAN)
    p->value_json = g_strdup(lua_toboolean(L, -1) ? "true" : "false");
  else if (lua_isinteger(L, -1))
    p->value_json = g_strdup_printf("%lld", (long long) lua_tointeger(L, -1));
  else {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    p->value_json = g_strdup(g_ascii_dtostr(buf, sizeof buf, lua_tonumber(L, -1)));
  }
  return 1;
}

static void
set_number(lua_State *L, const char *k, double v)
{
  lua_pushnumber(L, v);
  lua_setfield(L, -2, k);
}

static void
set_integer(lua_State *L, const char *k, lua_Integer v)
{
  lua_pushinteger(L, v);
  lua_setfield(L, -2, k);
}

static void
set_string(lua_State *L, const char *k, const char *v)
{
  if (v == NULL)
    return;
  lua_pushstring(L, v);
  lua_setfield(L, -2, k);
}

static void
push_device(lua_State *L, const char *plugin, const TsDeviceRecord *d)
{
  lua_newtable(L);
  set_string(L, "plugin", plugin);
  set_string(L, "sku", d->sku);
  set_string(L, "name", d->name);
  set_number(L, "memory", d->spec.memory_bytes);
  if (d->spec.cores > 0)
    set_number(L, "cores", d->spec.cores); /* CPU cores per socket; TensorCores per TPU chip */
  for (int p = 0; p < TS_PRECISION_COUNT; p++) {
    g_autofree char *k = g_strdup_printf("peak_%s", ts_precision_get_name((TsPrecision) p));
    set_number(L, k, d->spec.peak_dense[p]);
  }
}

/* ts.device(plugin, sku) -> table | nil, message */
static int
l_device(lua_State *L)
{
  TsBindings *b = self(L);
  const char *plugin = luaL_checkstring(L, 1);
  const char *sku = luaL_checkstring(L, 2);
  g_autoptr(GError) err = NULL;
  const TsDeviceRecord *d = ts_registry_find_device(b->registry, plugin, sku, NULL, &err);
  if (d == NULL) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    return 2;
  }
  push_device(L, plugin, d);
  return 1;
}

/* ts.host_cpu(sku) -> table | nil, message: from any catalog whose role is "host" */
static int
l_host_cpu(lua_State *L)
{
  TsBindings *b = self(L);
  const char *sku = luaL_checkstring(L, 1);
  g_autoptr(GError) err = NULL;
  const TsPlugin *owner = NULL;
  const TsDeviceRecord *d = ts_registry_find_host_cpu(b->registry, sku, &owner, &err);
  if (d == NULL) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    return 2;
  }
  push_device(L, owner->name, d);
  return 1;
}

/* TPU hosts hold 4 chips (v2-v5p) or 8 (v5e, v6e); a catalog may say otherwise in time. */
static guint
chips_per_host(const TsDeviceRecord *d, guint chips)
{
  guint per = d->slice_names_count_cores ? 4 : 8;
  return chips < per ? chips : per;
}

/* ts.slice("v3-128", plugin) -> table | nil, message.  Any plugin whose catalog lists slices has them; core
 * names none (tools/check-plugin-names.sh). */
static int
l_slice(lua_State *L)
{
  TsBindings *b = self(L);
  const char *name = luaL_checkstring(L, 1);
  const char *plugin_name = luaL_checkstring(L, 2);
  const char *dash = strrchr(name, '-');
  const TsPlugin *plugin = ts_registry_find(b->registry, plugin_name);
  if (plugin == NULL || plugin->catalog == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "the %s plugin is not loaded (see `trainsim plugins`)", plugin_name);
    return 2;
  }
  /* Find the generation whose slice list holds this name (so "v5litepod-8" aliases work too). */
  const TsDeviceRecord *found = NULL;
  const TsSlice *slice = NULL;
  gboolean any_slices = FALSE;
  for (guint i = 0; i < plugin->catalog->devices->len && slice == NULL; i++) {
    const TsDeviceRecord *d = g_ptr_array_index(plugin->catalog->devices, i);
    any_slices = any_slices || (d->slices != NULL && d->slices->len > 0);
    slice = ts_device_record_find_slice(d, name);
    if (slice != NULL)
      found = d;
  }
  if (slice == NULL && !any_slices) {
    lua_pushnil(L);
    lua_pushfstring(L, "plugin %s lists no slices in its catalog; give sku = or instance =", plugin_name);
    return 2;
  }
  if (slice == NULL) {
    g_autofree char *gen = dash ? g_strndup(name, (gsize) (dash - name)) : g_strdup(name);
    const TsDeviceRecord *d = ts_catalog_find_device(plugin->catalog, gen);
    if (d != NULL) {
      g_autofree char *valid = ts_device_record_list_slices(d);
      lua_pushnil(L);
      lua_pushfstring(L, "\"%s\" is not a %s slice; valid slices: %s (%s names count %s)", name, d->sku, valid, d->sku,
                      d->slice_names_count_cores ? "TensorCores, 2 per chip" : "chips");
      return 2;
    }
    GString *gens = g_string_new(NULL);
    for (guint i = 0; i < plugin->catalog->devices->len; i++)
      g_string_append_printf(gens, "%s%s", i ? ", " : "",
                             ((TsDeviceRecord *) g_ptr_array_index(plugin->catalog->devices, i))->sku);
    lua_pushnil(L);
    lua_pushfstring(L, "\"%s\" is not a slice name of plugin %s; generations: %s", name, plugin_name, gens->str);
    g_string_free(gens, TRUE);
    return 2;
  }
  push_device(L, plugin_name, found);
  set_string(L, "slice", slice->name);
  set_integer(L, "devices", slice->chips);
  set_integer(L, "cores", (lua_Integer) (slice->chips * (found->spec.cores > 0 ? found->spec.cores : 1)));
  guint per = chips_per_host(found, slice->chips);
  set_integer(L, "per_node", per);
  set_integer(L, "nodes", (slice->chips + per - 1) / per);
  lua_createtable(L, 3, 0);
  for (int i = 0; i < 3; i++) {
    lua_pushinteger(L, slice->dims[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "dims");
  set_integer(L, "mesh_dims", slice->mesh_dims);
  /* Per chip, bytes/s; 0 where the catalog states none (multi-slice then needs the scenario's figure). */
  set_number(L, "dcn", found->spec.network_bandwidth);
  return 1;
}

/* ts.instance("p3.16xlarge") -> table | nil, message */
static int
l_instance(lua_State *L)
{
  TsBindings *b = self(L);
  const char *name = luaL_checkstring(L, 1);
  const TsPlugin *owner = NULL;
  const TsInstanceRecord *r = ts_registry_find_instance(b->registry, name, &owner);
  if (r == NULL) {
    GString *known = g_string_new(NULL);
    for (guint i = 0; i < ts_registry_get_count(b->registry); i++) {
      const TsPlugin *p = ts_registry_get(b->registry, i);
      for (guint k = 0; p->catalog && k < p->catalog->instances->len; k++)
        g_string_append_printf(known, "%s%s", known->len ? ", " : "",
                               ((TsInstanceRecord *) g_ptr_array_index(p->catalog->instances, k))->name);
    }
    lua_pushnil(L);
    lua_pushfstring(L, "unknown instance \"%s\"; known: %s", name, known->str);
    g_string_free(known, TRUE);
    return 2;
  }
  g_autoptr(GError) err = NULL;
  const TsDeviceRecord *d = ts_registry_find_device(b->registry, NULL, r->device_sku, NULL, &err);
  if (d == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "instance %s: %s", name, err->message);
    return 2;
  }
  push_device(L, d->plugin, d);
  set_string(L, "instance", r->name);
  set_integer(L, "per_node", r->devices > 0 ? (lua_Integer) r->devices : 1);
  if (r->ram > 0)
    set_number(L, "host_ram", r->ram);
  if (r->local_disk > 0)
    set_number(L, "host_disk", r->local_disk);
  /* vCPUs are hyperthreads: two per physical core on these machines. */
  if (r->vcpus > 0)
    set_integer(L, "host_cpus", (lua_Integer) (r->vcpus / 2 > 0 ? r->vcpus / 2 : 1));
  if (r->host_cpu != NULL)
    set_string(L, "host_cpu", r->host_cpu);
  return 1;
}

/* ts.where(level) -> "file:line" of the caller `level` frames up. */
static int
l_where(lua_State *L)
{
  int level = (int) luaL_checkinteger(L, 1);
  lua_Debug ar;
  if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
    lua_pushfstring(L, "%s:%d", ar.short_src, ar.currentline);
    return 1;
  }
  lua_pushstring(L, "?");
  return 1;
}

/* ts.set_run(cluster, coroutine, action_token) */
static int
l_set_run(lua_State *L)
{
  TsBindings *b = self(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTHREAD);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (b->process_ref != LUA_NOREF)
    return luaL_error(L, "internal: run() twice");
  lua_pushvalue(L, 1);
  b->cluster_ref = take_ref(L, b);
  lua_pushvalue(L, 2);
  b->process_ref = take_ref(L, b);
  lua_pushvalue(L, 3);
  b->action_ref = take_ref(L, b);
  return 0;
}

void
ts_bindings_push(lua_State *L, TsBindings *b)
{
  static const luaL_Reg fns[] = {
    {"quantity", l_quantity}, {"param", l_param},   {"device", l_device}, {"host_cpu", l_host_cpu}, {"slice", l_slice},
    {"instance", l_instance}, {"where", l_where},   {"set_run", l_set_run}, {NULL, NULL}};
  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, fns, 1);
}

/* ---- tables to structs ------------------------------------------------------------------------ */

int
ts_lua_rawfield(lua_State *L, int idx, const char *field)
{
  /* Raw access: a script's metatable must never run outside a protected call of the sandbox. */
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  lua_pushstring(L, field);
  return lua_rawget(L, idx);
}

gboolean
ts_lua_get_boolean(lua_State *L, int idx, const char *field)
{
  ts_lua_rawfield(L, idx, field);
  gboolean v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

double
ts_lua_get_number(lua_State *L, int idx, const char *field, double fallback)
{
  ts_lua_rawfield(L, idx, field);
  double v = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : fallback;
  lua_pop(L, 1);
  return v;
}

guint
ts_lua_get_uint(lua_State *L, int idx, const char *field, guint fallback)
{
  double v = ts_lua_get_number(L, idx, field, (double) fallback);
  if (!(v > 0))
    return 0; /* also NaN */
  return v >= (double) G_MAXUINT ? G_MAXUINT : (guint) v;
}

guint64
ts_lua_get_uint64(lua_State *L, int idx, const char *field, guint64 fallback)
{
  double v = ts_lua_get_number(L, idx, field, (double) fallback);
  if (!(v > 0))
    return 0;
  return v >= 18446744073709551615.0 ? G_MAXUINT64 : (guint64) v; /* the double is 2^64: out of range */
}

char *
ts_lua_dup_string(lua_State *L, int idx, const char *field)
{
  ts_lua_rawfield(L, idx, field);
  char *v = lua_type(L, -1) == LUA_TSTRING ? g_strdup(lua_tostring(L, -1)) : NULL;
  lua_pop(L, 1);
  return v;
}

/* ---- numbers from script tables -------------------------------------------------------------- */

/* The tables the host reads were made and checked by the prelude, but they stay the script's: it can
 * change a field afterwards (pod.accelerator.devices = 0), build a look-alike table, or replace a global
 * the prelude's checks call, and the run model divides by counts and multiplies prices.  So every field is
 * checked again here (fields.c), against the range the run model can use, before anything reads it. */
#define COUNT(n, lo, hi) {n, TS_FIELD_COUNT, lo, FALSE, hi, FALSE, NULL}
#define REAL(n, lo, hi) {n, TS_FIELD_REAL, lo, FALSE, hi, FALSE, NULL}
#define POSITIVE(n, hi) {n, TS_FIELD_REAL, 0, TRUE, hi, FALSE, NULL}
#define STRING(n, choices) {n, TS_FIELD_STRING, 0, FALSE, 0, FALSE, choices}
#define NEEDED_COUNT(n, lo, hi) {n, TS_FIELD_COUNT, lo, FALSE, hi, TRUE, NULL}
#define NEEDED_POSITIVE(n, hi) {n, TS_FIELD_REAL, 0, TRUE, hi, TRUE, NULL}
#define MAX_COUNT TS_FIELD_MAX_COUNT
#define MAX_COUNT64 TS_FIELD_MAX_COUNT64

static const char *const pricing_names[] = {"on-demand", "spot", "committed", "owned", NULL};
static const char *const dataset_kinds[] = {"images", "tokens", NULL};
static const char *const workloads[] = {"conv", "transformer", NULL};

static const TsFieldRule accelerator_rules[] = {
  COUNT("__id", 0, MAX_COUNT),       NEEDED_COUNT("devices", 1, MAX_COUNT), NEEDED_COUNT("per_node", 1, MAX_COUNT),
  NEEDED_COUNT("nodes", 1, MAX_COUNT),      REAL("electricity", 0, G_MAXDOUBLE), REAL("network", 0, G_MAXDOUBLE),
  REAL("host_ram", 0, G_MAXDOUBLE),  REAL("host_disk", 0, G_MAXDOUBLE), REAL("host_cpus", 0, G_MAXDOUBLE),
  REAL("price", 0, G_MAXDOUBLE),     STRING("plugin", NULL),           STRING("sku", NULL),
  STRING("instance", NULL),          STRING("slice", NULL),            STRING("pricing", pricing_names),
  STRING("price_per", NULL),         {"dims", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
  COUNT("slices", 1, MAX_COUNT),     COUNT("mesh_dims", 0, 7),
};
static const TsFieldRule host_rules[] = {
  REAL("ram", 0, G_MAXDOUBLE),        REAL("disk", 0, G_MAXDOUBLE), REAL("disk_write", 0, G_MAXDOUBLE),
  COUNT("sockets", 1, MAX_COUNT),     COUNT("cores", 1, MAX_COUNT),  STRING("cpu", NULL),
  POSITIVE("disk_read", G_MAXDOUBLE),
};
static const TsFieldRule storage_rules[] = {
  POSITIVE("read", G_MAXDOUBLE),      POSITIVE("write", G_MAXDOUBLE),  POSITIVE("capacity", INFINITY),
  REAL("price_gb_month", 0, G_MAXDOUBLE), STRING("name", NULL),
};
static const TsFieldRule dataset_rules[] = {
  NEEDED_COUNT("samples", 1, MAX_COUNT64), {"bytes", TS_FIELD_REAL, 0, FALSE, G_MAXDOUBLE, TRUE, NULL},   REAL("extracted", 0, G_MAXDOUBLE),
  COUNT("eval_samples", 0, MAX_COUNT64), STRING("name", NULL),         STRING("kind", dataset_kinds),
};
/* A link's failures: a mean time between them and a wait before reconnecting, both above zero (zero would
 * fail at every instant, or retry in a loop that never lets simulated time pass). */
static const TsFieldRule link_rules[] = {
  NEEDED_POSITIVE("bandwidth", G_MAXDOUBLE), REAL("egress_price", 0, G_MAXDOUBLE), POSITIVE("mtbf", G_MAXDOUBLE),
  POSITIVE("retry", G_MAXDOUBLE),     STRING("name", NULL),
};
static const TsFieldRule model_rules[] = {
  NEEDED_POSITIVE("params", G_MAXDOUBLE), POSITIVE("active_params", G_MAXDOUBLE),
  NEEDED_POSITIVE("flops", G_MAXDOUBLE), {"activations", TS_FIELD_REAL, 0, FALSE, G_MAXDOUBLE, TRUE, NULL}, COUNT("layers", 0, MAX_COUNT), COUNT("width", 0, MAX_COUNT),
  COUNT("seq", 0, MAX_COUNT),         COUNT("experts", 0, MAX_COUNT),  STRING("name", NULL),
  STRING("workload", workloads),
};

static const TsFieldRule cluster_rules[] = {
  STRING("name", NULL), {"accelerator", TS_FIELD_TABLE, 0, FALSE, 0, TRUE, NULL},
  {"host", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL}, {"storage", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
};

#define check_numbers(L, idx, what, rules, n, error) ts_fields_check(L, idx, what, rules, n, TRUE, error)

static gboolean
parse_pricing(const char *name, TsPricing *out, gboolean *owned)
{
  *owned = g_strcmp0(name, "owned") == 0;
  if (*owned) {
    *out = TS_PRICING_ON_DEMAND;
    return TRUE;
  }
  for (int p = 0; p < TS_PRICING_COUNT; p++)
    if (g_strcmp0(name, ts_pricing_get_name((TsPricing) p)) == 0) {
      *out = (TsPricing) p;
      return TRUE;
    }
  return FALSE;
}

static gboolean
price_unit_from_name(const char *name, TsPriceUnit *out)
{
  for (int i = 0; i < TS_PRICE_COUNT; i++)
    if (g_strcmp0(name, ts_price_unit_get_name((TsPriceUnit) i)) == 0) {
      *out = (TsPriceUnit) i;
      return TRUE;
    }
  return FALSE;
}

gboolean
ts_bindings_to_accelerator(lua_State *L, int acc, TsBindings *b, TsAccelerator *a, GError **error)
{
  acc = lua_absindex(L, acc);
  if (!lua_istable(L, acc)) {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "expected an accelerator (tpu{...}, gpu{...} or cpu{...})");
    return FALSE;
  }
  if (!check_numbers(L, acc, "accelerator", accelerator_rules, G_N_ELEMENTS(accelerator_rules), error))
    return FALSE;
  g_autofree char *plugin = ts_lua_dup_string(L, acc, "plugin");
  g_autofree char *sku = ts_lua_dup_string(L, acc, "sku");
  if (sku == NULL) {
    g_set_error_literal(error, TS_ERROR, TS_ERROR_SCENARIO, "accelerator.sku is not a string; was the table changed "
                        "after it was made?");
    return FALSE;
  }
  g_autofree char *instance = ts_lua_dup_string(L, acc, "instance");
  g_autofree char *pricing = ts_lua_dup_string(L, acc, "pricing");
  g_autofree char *price_per = ts_lua_dup_string(L, acc, "price_per");
  a->id = (int) ts_lua_get_number(L, acc, "__id", 0);
  a->slice = ts_lua_dup_string(L, acc, "slice");
  a->devices = ts_lua_get_uint(L, acc, "devices", 1);
  a->per_node = ts_lua_get_uint(L, acc, "per_node", 1);
  a->nodes = ts_lua_get_uint(L, acc, "nodes", 1);
  a->slices = ts_lua_get_uint(L, acc, "slices", 1);
  a->mesh_dims = ts_lua_get_uint(L, acc, "mesh_dims", 0);
  a->electricity = ts_lua_get_number(L, acc, "electricity", 0);
  a->network = ts_lua_get_number(L, acc, "network", 0);
  a->host_ram = ts_lua_get_number(L, acc, "host_ram", 0);
  a->host_disk = ts_lua_get_number(L, acc, "host_disk", 0);
  a->host_cores = ts_lua_get_number(L, acc, "host_cpus", 0);
  ts_lua_rawfield(L, acc, "dims");
  if (lua_istable(L, -1))
    for (int i = 0; i < 3; i++) {
      lua_rawgeti(L, -1, i + 1);
      lua_Integer d = lua_tointeger(L, -1); /* 0 unless an integer-valued number */
      a->dims[i] = d > 0 && d <= 65536 ? (guint) d : 0;
      lua_pop(L, 1);
    }
  lua_pop(L, 1);
  a->record = ts_registry_find_device(b->registry, plugin, sku, &a->plugin, error);
  if (a->record == NULL)
    return FALSE;
  if (instance != NULL)
    a->instance = ts_registry_find_instance(b->registry, instance, NULL);
  if (a->instance != NULL && a->instance->host_cpu != NULL)
    a->host_cpu = ts_registry_find_host_cpu(b->registry, a->instance->host_cpu, NULL, NULL);
  /* No pricing said is on-demand for the catalog's price; a price the scenario gives is its own. */
  a->pricing_given = pricing != NULL;
  if (pricing != NULL && !parse_pricing(pricing, &a->pricing, &a->owned)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "unknown pricing \"%s\"", pricing);
    return FALSE;
  }
  double explicit_price = ts_lua_get_number(L, acc, "price", -1);
  a->price_known = TRUE;
  if (explicit_price >= 0) {
    a->price = explicit_price;
    a->owned = FALSE; /* a price given by the scenario is what is billed */
    if (!price_unit_from_name(price_per, &a->price_per)) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "price unit %s is not understood", price_per ? price_per : "");
      return FALSE;
    }
  } else if (!a->owned) {
    const TsPrice *p = a->instance ? &a->instance->price[a->pricing] : &a->record->price[a->pricing];
    if (p->field == NULL) {
      /* Not listed: the run still forecasts time and memory; its cost is unknown (billing, "price-unknown"). */
      a->price_known = FALSE;
      a->price = NAN;
      a->price_per = ts_accelerator_get_price_unit(a);
    } else {
      a->price = p->value;
      a->price_per = p->per;
      a->price_field = p->field;
    }
  }
  return TRUE;
}

/* The host CPUs feeding the input pipeline, named for what they count: sockets of the kind host.cpu names,
 * or cores.  A rented instance's CPUs come from its catalog record; a scenario may restate them but not
 * contradict them (cpus = 1 on a 40-core machine once turned a 15-minute run into 3 hours without a word):
 * fewer cores for the pipeline is r:train's input_cores. */
static gboolean
host_cpus(TsBindings *b, TsAccelerator *a, const char *cpu, double sockets, double cores, GError **error)
{
  const TsDeviceRecord *rec = a->host_cpu;
  if (cpu != NULL) {
    rec = ts_registry_find_host_cpu(b->registry, cpu, NULL, error);
    if (rec == NULL)
      return FALSE;
  }
  if (sockets > 0 && rec == NULL) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "host.sockets = %g needs host.cpu, the kind of CPU they are "
                "(see `trainsim devices cpu`), or give host.cores", sockets);
    return FALSE;
  }
  if (sockets > 0 && !(rec->spec.cores > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "host.sockets: the catalog does not give %s's cores per socket; "
                "give host.cores", rec->sku);
    return FALSE;
  }
  double want = sockets > 0 ? sockets * rec->spec.cores : cores;
  if (a->instance != NULL) {
    if (a->host_cpu != NULL && rec != a->host_cpu) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "host.cpu = \"%s\" contradicts %s, whose host CPU is %s in the "
                  "catalog; leave host.cpu out", cpu, a->instance->name, a->host_cpu->sku);
      return FALSE;
    }
    if (want > 0 && a->host_cores > 0 && want != a->host_cores) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "host.%s = %g (%g cores) contradicts %s, which has %g host CPU "
                  "cores in the catalog; to give the input pipeline fewer, use r:train{input_cores = N}",
                  sockets > 0 ? "sockets" : "cores", sockets > 0 ? sockets : cores, want, a->instance->name,
                  a->host_cores);
      return FALSE;
    }
  }
  a->host_cpu = rec;
  if (want > 0)
    a->host_cores = want;
  return TRUE;
}

TsCluster *
ts_bindings_to_cluster(lua_State *L, int idx, TsBindings *b, GError **error)
{
  idx = lua_absindex(L, idx);
  if (!ts_fields_check(L, idx, "cluster", cluster_rules, G_N_ELEMENTS(cluster_rules), FALSE, error))
    return NULL;
  TsCluster *c = g_new0(TsCluster, 1);
  c->name = ts_lua_dup_name(L, idx, "name");
  if (c->name == NULL)
    c->name = g_strdup("cluster");
  TsAccelerator *a = &c->accel;
  ts_lua_rawfield(L, idx, "accelerator");
  gboolean ok = ts_bindings_to_accelerator(L, -1, b, a, error);
  lua_pop(L, 1);
  if (!ok) {
    ts_cluster_free(c);
    return NULL;
  }
  ts_lua_rawfield(L, idx, "host");
  int host = lua_gettop(L);
  if (!check_numbers(L, host, "cluster.host", host_rules, G_N_ELEMENTS(host_rules), error)) {
    lua_pop(L, 1);
    ts_cluster_free(c);
    return NULL;
  }
  if (lua_istable(L, host)) {
    a->host_ram = ts_lua_get_number(L, host, "ram", a->host_ram);
    a->host_disk = ts_lua_get_number(L, host, "disk", a->host_disk);
    a->disk_bandwidth = ts_lua_get_number(L, host, "disk_write", 0);
    a->disk_read_bandwidth = ts_lua_get_number(L, host, "disk_read", 0);
    g_autofree char *cpu = ts_lua_dup_string(L, host, "cpu");
    double sockets = ts_lua_get_number(L, host, "sockets", 0), cores = ts_lua_get_number(L, host, "cores", 0);
    if (!host_cpus(b, a, cpu, sockets, cores, error)) {
      lua_pop(L, 1);
      ts_cluster_free(c);
      return NULL;
    }
  }
  lua_pop(L, 1);

  ts_lua_rawfield(L, idx, "storage");
  if (!check_numbers(L, -1, "storage", storage_rules, G_N_ELEMENTS(storage_rules), error)) {
    lua_pop(L, 1);
    ts_cluster_free(c);
    return NULL;
  }
  if (lua_istable(L, -1)) {
    int st = lua_gettop(L);
    c->storage = g_new0(TsStorage, 1);
    c->storage->name = ts_lua_dup_name(L, st, "name");
    if (c->storage->name == NULL)
      c->storage->name = g_strdup("bucket");
    c->storage->read_bw = ts_lua_get_number(L, st, "read", 0); /* 0: not stated */
    c->storage->write_bw = ts_lua_get_number(L, st, "write", 1e9);
    c->storage->capacity = ts_lua_get_number(L, st, "capacity", INFINITY);
    c->storage->price_gb_month = ts_lua_get_number(L, st, "price_gb_month", -1);
  }
  lua_pop(L, 1);
  return c;
}

TsDataset *
ts_bindings_to_dataset(lua_State *L, int idx, GError **error)
{
  idx = lua_absindex(L, idx);
  if (!ts_fields_check(L, idx, "dataset", dataset_rules, G_N_ELEMENTS(dataset_rules), FALSE, error))
    return NULL;
  ts_lua_rawfield(L, idx, "from");
  gboolean ok = check_numbers(L, -1, "dataset.from", link_rules, G_N_ELEMENTS(link_rules), error);
  lua_pop(L, 1);
  if (!ok)
    return NULL;
  TsDataset *d = g_new0(TsDataset, 1);
  d->name = ts_lua_dup_name(L, idx, "name");
  if (d->name == NULL)
    d->name = g_strdup("dataset");
  d->samples = ts_lua_get_uint64(L, idx, "samples", 1);
  d->bytes = ts_lua_get_number(L, idx, "bytes", 0);
  d->extracted = ts_lua_get_number(L, idx, "extracted", d->bytes);
  g_autofree char *kind = ts_lua_dup_string(L, idx, "kind");
  d->tokens = g_strcmp0(kind, "tokens") == 0;
  d->eval_samples = ts_lua_get_uint64(L, idx, "eval_samples", 0);
  ts_lua_rawfield(L, idx, "from");
  if (lua_istable(L, -1)) {
    int from = lua_gettop(L);
    d->from = g_new0(TsLink, 1);
    d->from->name = ts_lua_dup_name(L, from, "name");
    if (d->from->name == NULL)
      d->from->name = g_strdup("internet");
    d->from->bandwidth = ts_lua_get_number(L, from, "bandwidth", 0);
    d->from->egress_price = ts_lua_get_number(L, from, "egress_price", -1);
    d->from->mtbf_s = ts_lua_get_number(L, from, "mtbf", 0);
    d->from->retry_s = ts_lua_get_number(L, from, "retry", 0);
  }
  lua_pop(L, 1);
  return d;
}

TsModel *
ts_bindings_to_model(lua_State *L, int idx, GError **error)
{
  idx = lua_absindex(L, idx);
  if (!ts_fields_check(L, idx, "model", model_rules, G_N_ELEMENTS(model_rules), FALSE, error))
    return NULL;
  TsModel *m = g_new0(TsModel, 1);
  m->name = ts_lua_dup_name(L, idx, "name");
  if (m->name == NULL)
    m->name = g_strdup("model");
  m->params = ts_lua_get_number(L, idx, "params", 0);
  m->flops = ts_lua_get_number(L, idx, "flops", 0);
  m->activations = ts_lua_get_number(L, idx, "activations", 0);
  m->active_params = ts_lua_get_number(L, idx, "active_params", m->params);
  m->layers = ts_lua_get_uint(L, idx, "layers", 0);
  m->width = ts_lua_get_uint(L, idx, "width", 0);
  m->seq = ts_lua_get_uint(L, idx, "seq", 0);
  m->experts = ts_lua_get_uint(L, idx, "experts", 0);
  g_autofree char *w = ts_lua_dup_string(L, idx, "workload");
  TsWorkload wl = TS_WORKLOAD_TRANSFORMER;
  ts_workload_from_name(w, &wl);
  m->workload = wl;
  return m;
}
