/* Reading the prelude's normalized tables back into run-model structs (bindings.h: ts_bindings_to_accelerator,
 * _cluster, _dataset, _model), every field checked again against the range the run model can use, and the raw
 * field readers (ts_lua_*). */
#include "scenario/bindings.h"

#include "catalog/catalog.h"
#include "common/ts-error.h"
#include "scenario/define.h"
#include "scenario/fields.h"
#include "units/units.h"

#include <lauxlib.h>
#include <math.h>
#include <string.h>

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

static const char *const pricing_names[] = {"on-demand", "spot", "committed-1y", "committed-3y", "owned", NULL};
static const char *const dataset_kinds[] = {"images", "tokens", NULL};
static const char *const workloads[] = {"conv", "transformer", NULL};
/* The architectures core/model/ lists operations for (model.h); "none" is never written by the prelude. */
static const char *const architectures[] = {"decoder", "encoder", "vit", "resnet50", NULL};

static const TsFieldRule accelerator_rules[] = {
  COUNT("__id", 0, MAX_COUNT),       NEEDED_COUNT("devices", 1, MAX_COUNT), NEEDED_COUNT("per_node", 1, MAX_COUNT),
  NEEDED_COUNT("nodes", 1, MAX_COUNT),      REAL("electricity", 0, G_MAXDOUBLE), REAL("network", 0, G_MAXDOUBLE),
  REAL("pue", 1, 10),                REAL("grid", 0, 10000),
  REAL("host_ram", 0, G_MAXDOUBLE),  REAL("host_disk", 0, G_MAXDOUBLE), REAL("host_cpus", 0, G_MAXDOUBLE),
  REAL("price", 0, G_MAXDOUBLE),     STRING("plugin", NULL),           STRING("sku", NULL),
  STRING("instance", NULL),          STRING("slice", NULL),            STRING("pricing", pricing_names),
  STRING("price_per", NULL),         {"dims", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
  COUNT("slices", 1, MAX_COUNT),     COUNT("mesh_dims", 0, 7),
  {"define", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
  /* Owned hardware's terms (owned = {...}): a utilisation of 0 would make every hour used infinitely dear. */
  POSITIVE("owned_price", G_MAXDOUBLE), POSITIVE("owned_life", 100 * 31557600.0), POSITIVE("utilisation", 1.0),
  REAL("financing", 0, 1.0), {"against", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
};
static const TsFieldRule host_rules[] = {
  REAL("ram", 0, G_MAXDOUBLE),        REAL("disk", 0, G_MAXDOUBLE), REAL("disk_write", 0, G_MAXDOUBLE),
  COUNT("sockets", 1, MAX_COUNT),     COUNT("cores", 1, MAX_COUNT),  STRING("cpu", NULL),
  POSITIVE("disk_read", G_MAXDOUBLE),
};
static const TsFieldRule storage_rules[] = {
  POSITIVE("read", G_MAXDOUBLE),      POSITIVE("write", G_MAXDOUBLE),  POSITIVE("capacity", INFINITY),
  REAL("price_gb_month", 0, G_MAXDOUBLE), STRING("name", NULL),      POSITIVE("bandwidth", G_MAXDOUBLE),
};
static const TsFieldRule dataset_rules[] = {
  NEEDED_COUNT("samples", 1, MAX_COUNT64), {"bytes", TS_FIELD_REAL, 0, FALSE, G_MAXDOUBLE, TRUE, NULL},   REAL("extracted", 0, G_MAXDOUBLE),
  COUNT("eval_samples", 0, MAX_COUNT64), STRING("name", NULL),         STRING("kind", dataset_kinds),
};
/* A link's failures: a mean time between them and a wait before reconnecting, both above zero (zero would
 * fail at every instant, or retry in a loop that never lets simulated time pass). */
static const TsFieldRule download_source_rules[] = {
  NEEDED_POSITIVE("bandwidth", G_MAXDOUBLE), REAL("egress_price", 0, G_MAXDOUBLE), POSITIVE("mtbf", G_MAXDOUBLE),
  POSITIVE("retry", G_MAXDOUBLE),     STRING("name", NULL),
};
static const TsFieldRule model_rules[] = {
  NEEDED_POSITIVE("params", G_MAXDOUBLE), POSITIVE("active_params", G_MAXDOUBLE),
  NEEDED_POSITIVE("flops", G_MAXDOUBLE), {"activations", TS_FIELD_REAL, 0, FALSE, G_MAXDOUBLE, TRUE, NULL}, COUNT("layers", 0, MAX_COUNT), COUNT("width", 0, MAX_COUNT),
  COUNT("seq", 0, MAX_COUNT),         COUNT("experts", 0, MAX_COUNT),  STRING("name", NULL),
  STRING("workload", workloads),
  /* The shape of an architecture (core/model/model.h); ts_model_check then checks they agree. */
  STRING("architecture", architectures), COUNT("heads", 0, MAX_COUNT), COUNT("kv_heads", 0, MAX_COUNT),
  COUNT("head_dim", 0, MAX_COUNT), COUNT("ffn", 0, MAX_COUNT), COUNT("vocab", 0, MAX_COUNT),
  COUNT("active_experts", 0, MAX_COUNT),
  COUNT("image", 0, MAX_COUNT), COUNT("patch", 0, MAX_COUNT), COUNT("classes", 0, MAX_COUNT),
  {"gated", TS_FIELD_BOOLEAN, 0, FALSE, 0, FALSE, NULL}, {"tied", TS_FIELD_BOOLEAN, 0, FALSE, 0, FALSE, NULL},
  COUNT("moe_layers", 0, MAX_COUNT), REAL("expert_params", 0, G_MAXDOUBLE),
  COUNT("expert_ffn", 0, MAX_COUNT), COUNT("shared_experts", 0, MAX_COUNT), COUNT("q_lora_rank", 0, MAX_COUNT),
  COUNT("kv_lora_rank", 0, MAX_COUNT), COUNT("rope_head_dim", 0, MAX_COUNT),
};

static const TsFieldRule cluster_rules[] = {
  STRING("name", NULL), {"accelerator", TS_FIELD_TABLE, 0, FALSE, 0, TRUE, NULL},
  {"host", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL}, {"storage", TS_FIELD_TABLE, 0, FALSE, 0, FALSE, NULL},
  POSITIVE("fabric", G_MAXDOUBLE),     COUNT("spare_nodes", 1, MAX_COUNT), POSITIVE("spare_repair", 200 * 31557600.0),
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
ts_bindings_to_accelerator(lua_State *L, int acc, TsBindings *b, TsMachineGroup *a, GError **error)
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
  a->electricity_given = ts_lua_rawfield(L, acc, "electricity") == LUA_TNUMBER;
  lua_pop(L, 1);
  a->electricity = ts_lua_get_number(L, acc, "electricity", 0);
  a->owned_price = ts_lua_get_number(L, acc, "owned_price", 0);
  a->owned_life_s = ts_lua_get_number(L, acc, "owned_life", 0);
  a->utilisation = ts_lua_get_number(L, acc, "utilisation", 0);
  a->financing = ts_lua_get_number(L, acc, "financing", 0);
  a->against = ts_lua_rawfield(L, acc, "against") == LUA_TTABLE;
  lua_pop(L, 1);
  a->pue = ts_lua_get_number(L, acc, "pue", 0);
  a->grid_given = ts_lua_rawfield(L, acc, "grid") == LUA_TNUMBER;
  lua_pop(L, 1);
  a->grid = ts_lua_get_number(L, acc, "grid", 0);
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
  if (ts_lua_rawfield(L, acc, "define") == LUA_TTABLE) {
    /* A device the scenario declares: its own record, checked again in define.c. */
    a->defined = ts_define_device(L, -1, b->registry, plugin ? plugin : "", error);
    lua_pop(L, 1);
    if (a->defined == NULL)
      return FALSE;
    a->record = a->defined;
    a->plugin = ts_registry_find(b->registry, plugin);
  } else {
    lua_pop(L, 1);
    a->record = ts_registry_find_device(b->registry, plugin, sku, &a->plugin, error);
  }
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
  gboolean terms = a->owned_price > 0 || a->owned_life_s > 0 || a->utilisation > 0 || a->financing > 0 || a->against;
  if (terms && (!a->owned || explicit_price >= 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "accelerator.owned: terms of ownership on a machine that is not "
                "owned (pricing \"%s\"%s)", pricing ? pricing : "on-demand", explicit_price >= 0 ? ", a price per hour" : "");
    return FALSE;
  }
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
      a->price_per = ts_machine_group_get_price_unit(a);
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
host_cpus(TsBindings *b, TsMachineGroup *a, const char *cpu, double sockets, double cores, GError **error)
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
  c->fabric_bw = ts_lua_get_number(L, idx, "fabric", 0);
  c->spare_nodes = (guint) ts_lua_get_number(L, idx, "spare_nodes", 0);
  c->spare_repair_s = ts_lua_get_number(L, idx, "spare_repair", 0);
  if ((c->spare_nodes > 0) != (c->spare_repair_s > 0)) {
    g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "cluster.spares: needs both nodes and repair, got %u nodes and "
                "%g s", c->spare_nodes, c->spare_repair_s);
    ts_cluster_free(c);
    return NULL;
  }
  TsMachineGroup *a = &c->accel;
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
    c->storage->write_bw = ts_lua_get_number(L, st, "write", 0);
    c->storage->write_stated = c->storage->write_bw > 0;
    if (!c->storage->write_stated)
      c->storage->write_bw = TS_WRITE_BW_ASSUMED;
    c->storage->total_bw = ts_lua_get_number(L, st, "bandwidth", 0); /* 0: reads and writes are separate limits */
    if (c->storage->total_bw > 0 &&
        (c->storage->total_bw < c->storage->write_bw || c->storage->total_bw < c->storage->read_bw)) {
      g_set_error(error, TS_ERROR, TS_ERROR_SCENARIO, "storage.bandwidth: what reads and writes move together "
                  "cannot be below read or write alone (%g B/s), got %g B/s",
                  MAX(c->storage->read_bw, c->storage->write_bw), c->storage->total_bw);
      lua_pop(L, 1);
      ts_cluster_free(c);
      return NULL;
    }
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
  gboolean ok = check_numbers(L, -1, "dataset.from", download_source_rules, G_N_ELEMENTS(download_source_rules), error);
  lua_pop(L, 1);
  if (!ok)
    return NULL;
  TsDataset *d = g_new0(TsDataset, 1);
  d->name = ts_lua_dup_name(L, idx, "name");
  if (d->name == NULL)
    d->name = g_strdup("dataset");
  d->samples = ts_lua_get_uint64(L, idx, "samples", 1);
  d->bytes = ts_lua_get_number(L, idx, "bytes", 0);
  d->extracted_stated = ts_lua_rawfield(L, idx, "extracted") == LUA_TNUMBER;
  lua_pop(L, 1);
  d->extracted = ts_lua_get_number(L, idx, "extracted", d->bytes); /* unstated: as large, said at the download */
  g_autofree char *kind = ts_lua_dup_string(L, idx, "kind");
  d->tokens = g_strcmp0(kind, "tokens") == 0;
  d->eval_samples = ts_lua_get_uint64(L, idx, "eval_samples", 0);
  ts_lua_rawfield(L, idx, "from");
  if (lua_istable(L, -1)) {
    int from = lua_gettop(L);
    d->from = g_new0(TsDownloadSource, 1);
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
  m->moe_layers = ts_lua_get_uint(L, idx, "moe_layers", 0);
  m->expert_params = ts_lua_get_number(L, idx, "expert_params", 0);
  g_autofree char *w = ts_lua_dup_string(L, idx, "workload");
  TsWorkload wl = TS_WORKLOAD_TRANSFORMER;
  ts_workload_from_name(w, &wl);
  m->workload = wl;
  g_autofree char *arch = ts_lua_dup_string(L, idx, "architecture");
  m->arch = TS_MODEL_ARCH_NONE;
  ts_model_arch_from_name(arch, &m->arch);
  m->heads = ts_lua_get_uint(L, idx, "heads", 0);
  m->kv_heads = ts_lua_get_uint(L, idx, "kv_heads", m->heads);
  m->head_dim = ts_lua_get_uint(L, idx, "head_dim", 0);
  m->expert_ffn = ts_lua_get_uint(L, idx, "expert_ffn", 0);
  m->shared_experts = ts_lua_get_uint(L, idx, "shared_experts", 0);
  m->q_lora_rank = ts_lua_get_uint(L, idx, "q_lora_rank", 0);
  m->kv_lora_rank = ts_lua_get_uint(L, idx, "kv_lora_rank", 0);
  m->rope_head_dim = ts_lua_get_uint(L, idx, "rope_head_dim", 0);
  m->ffn = ts_lua_get_uint(L, idx, "ffn", 0);
  m->vocab = ts_lua_get_uint(L, idx, "vocab", 0);
  m->active_experts = ts_lua_get_uint(L, idx, "active_experts", m->experts > 1 ? 1 : 0);
  m->image = ts_lua_get_uint(L, idx, "image", 0);
  m->patch = ts_lua_get_uint(L, idx, "patch", 0);
  m->classes = ts_lua_get_uint(L, idx, "classes", 0);
  m->gated = ts_lua_get_boolean(L, idx, "gated");
  m->tied = ts_lua_get_boolean(L, idx, "tied");
  if (!ts_model_check(m, error)) {
    ts_model_free(m);
    return NULL;
  }
  return m;
}
