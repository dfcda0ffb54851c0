/* The C helpers the prelude calls (the `ts` table: quantities, param(), devices, slices, instances, where);
 * reading the prelude's tables back into run-model structs is in bindings-tables.c. */
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
  b->jobs = g_array_new(FALSE, TRUE, sizeof(TsBindingsJob));
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
  for (guint i = 0; b->jobs != NULL && i < b->jobs->len; i++) {
    TsBindingsJob *j = &g_array_index(b->jobs, TsBindingsJob, i);
    drop_ref(L, b, &j->cluster_ref);
    drop_ref(L, b, &j->process_ref);
  }
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
  for (guint i = 0; b->jobs != NULL && i < b->jobs->len; i++) {
    TsBindingsJob *j = &g_array_index(b->jobs, TsBindingsJob, i);
    g_free(j->name);
    g_free(j->group);
    g_free(j->where);
  }
  g_clear_pointer(&b->jobs, g_array_unref);
  g_clear_pointer(&b->run_where, g_free);
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
  lua_createtable(L, 0, 16); /* its fields and those the prelude adds (devices, per_node, nodes), sized once */
  set_string(L, "plugin", plugin);
  set_string(L, "sku", d->sku);
  set_string(L, "name", d->name);
  set_number(L, "memory", d->spec.memory_bytes);
  if (d->spec.cores > 0)
    set_number(L, "cores", d->spec.cores); /* CPU cores per socket; TensorCores per TPU chip */
  for (int p = 0; p < TS_PRECISION_COUNT; p++) {
    /* Once per device a script makes (tests/bad/hostcopies/many-machines.lua makes 60,000): no allocation. */
    char k[32] = "peak_";
    g_strlcat(k, ts_precision_get_name((TsPrecision) p), sizeof k);
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
  const TsCatalog *catalog = plugin != NULL ? ts_plugin_get_catalog(plugin) : NULL;
  if (catalog == NULL) {
    lua_pushnil(L);
    lua_pushfstring(L, "the %s plugin is not loaded (see `trainsim plugins`)", plugin_name);
    return 2;
  }
  /* Find the generation whose slice list holds this name (so "v5litepod-8" aliases work too). */
  const TsDeviceRecord *found = NULL;
  const TsSlice *slice = NULL;
  gboolean any_slices = FALSE;
  for (guint i = 0; i < catalog->devices->len && slice == NULL; i++) {
    const TsDeviceRecord *d = g_ptr_array_index(catalog->devices, i);
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
    const TsDeviceRecord *d = ts_catalog_find_device(catalog, gen);
    if (d != NULL) {
      g_autofree char *valid = ts_device_record_list_slices(d);
      lua_pushnil(L);
      lua_pushfstring(L, "\"%s\" is not a %s slice; valid slices: %s (%s names count %s)", name, d->sku, valid, d->sku,
                      d->slice_names_count_cores ? "TensorCores, 2 per chip" : "chips");
      return 2;
    }
    GString *gens = g_string_new(NULL);
    for (guint i = 0; i < catalog->devices->len; i++)
      g_string_append_printf(gens, "%s%s", i ? ", " : "",
                             ((TsDeviceRecord *) g_ptr_array_index(catalog->devices, i))->sku);
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
      const TsCatalog *catalog = ts_plugin_get_catalog(ts_registry_get(b->registry, i));
      for (guint k = 0; catalog != NULL && k < catalog->instances->len; k++)
        g_string_append_printf(known, "%s%s", known->len ? ", " : "",
                               ((TsInstanceRecord *) g_ptr_array_index(catalog->instances, k))->name);
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

/* ts.generation(name) -> true | nil, message: whether calibration.json has constants for a generation a
 * scenario's define names (checked again in define.c; here so the message carries the script's line). */
static int
l_generation(lua_State *L)
{
  TsBindings *b = self(L);
  const char *name = luaL_checkstring(L, 1);
  TsDeviceRecord probe = {0};
  g_autofree char *label = NULL;
  g_autoptr(GError) err = NULL;
  if (!ts_registry_inherit_constants(b->registry, name, "", &probe, &label, &err)) {
    lua_pushnil(L);
    lua_pushstring(L, err->message);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* ts.where(level) -> "file:line" of the caller `level` frames up. */
static int
l_where(lua_State *L)
{
  int level = (int) luaL_checkinteger(L, 1);
  lua_Debug ar;
  if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
    /* Once per action: the digits by hand, not through lua_pushfstring's snprintf. */
    char buf[LUA_IDSIZE + 16];
    gsize n = strlen(ar.short_src), d = 0;
    char digits[12];
    for (unsigned line = (unsigned) ar.currentline; line > 0 && d < sizeof digits; line /= 10)
      digits[d++] = (char) ('0' + line % 10);
    memcpy(buf, ar.short_src, n);
    buf[n++] = ':';
    while (d > 0)
      buf[n++] = digits[--d];
    lua_pushlstring(L, buf, n);
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
  if (b->jobs->len > 0)
    return luaL_error(L, "internal: run() after job{}");
  lua_pushvalue(L, 1);
  b->cluster_ref = take_ref(L, b);
  lua_pushvalue(L, 2);
  b->process_ref = take_ref(L, b);
  lua_pushvalue(L, 3);
  b->action_ref = take_ref(L, b);
  g_free(b->run_where);
  b->run_where = lua_type(L, 4) == LUA_TSTRING ? g_strdup(lua_tostring(L, 4)) : NULL;
  return 0;
}

/* A duration the prelude checked, checked again: finite, not negative, at most 200 years. */
static double
job_seconds(lua_State *L, int t, const char *field)
{
  double v = ts_lua_get_number(L, t, field, NAN);
  if (!(v >= 0) || !(v <= 200 * 31557600.0))
    luaL_error(L, "%s: expected a duration from 0 to 200 years", field);
  return v;
}

/* ts.add_job(cluster, coroutine, action_token, {name, arrival, priority, devices, group, restart, where}) */
static int
l_add_job(lua_State *L)
{
  TsBindings *b = self(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTHREAD);
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_checktype(L, 4, LUA_TTABLE);
  if (b->process_ref != LUA_NOREF)
    return luaL_error(L, "internal: job{} after run()");
  if (b->jobs->len >= 100000)
    return luaL_error(L, "at most 100000 jobs in a scenario");
  TsBindingsJob j = {LUA_NOREF, LUA_NOREF, NULL, NULL, NULL, 0, 0, 0, 0};
  j.arrival_s = job_seconds(L, 4, "arrival");
  j.restart_s = job_seconds(L, 4, "restart");
  double prio = ts_lua_get_number(L, 4, "priority", NAN);
  if (!(prio >= -1e6 && prio <= 1e6) || prio != floor(prio))
    return luaL_error(L, "priority: expected an integer from -1000000 to 1000000");
  j.priority = (int) prio;
  double devices = ts_lua_get_number(L, 4, "devices", NAN);
  if (!(devices >= 1 && devices <= (double) G_MAXINT32) || devices != floor(devices))
    return luaL_error(L, "devices: expected a positive whole number");
  j.devices = (guint) devices;
  j.name = ts_lua_dup_string(L, 4, "name");
  j.group = ts_lua_dup_string(L, 4, "group");
  j.where = ts_lua_dup_string(L, 4, "where");
  if (j.name == NULL || j.name[0] == '\0' || strlen(j.name) > 64 || (j.group != NULL && (j.group[0] == '\0' ||
      strlen(j.group) > 64))) {
    g_free(j.name);
    g_free(j.group);
    g_free(j.where);
    return luaL_error(L, "name, group: expected names of 1 to 64 characters");
  }
  if (b->action_ref == LUA_NOREF) {
    lua_pushvalue(L, 3);
    b->action_ref = take_ref(L, b);
  }
  lua_pushvalue(L, 1);
  j.cluster_ref = take_ref(L, b);
  lua_pushvalue(L, 2);
  j.process_ref = take_ref(L, b);
  g_array_append_val(b->jobs, j);
  return 0;
}

void
ts_bindings_push(lua_State *L, TsBindings *b)
{
  static const luaL_Reg fns[] = {
    {"quantity", l_quantity}, {"param", l_param},   {"device", l_device}, {"host_cpu", l_host_cpu}, {"slice", l_slice},
    {"instance", l_instance}, {"where", l_where},   {"generation", l_generation},   {"set_run", l_set_run},
    {"add_job", l_add_job},   {NULL, NULL}};
  lua_newtable(L);
  lua_pushlightuserdata(L, b);
  luaL_setfuncs(L, fns, 1);
  lua_pushboolean(L, b->against_pass);
  lua_setfield(L, -2, "against_pass");
}
