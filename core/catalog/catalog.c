#include "catalog/catalog.h"

#include "common/ts-error.h"
#include "common/ts-json-cache.h"
#include "common/ts-json-tree.h"
#include "common/ts-json.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static const char *const precision_names[TS_PRECISION_COUNT] = {"fp32", "tf32", "fp16", "bf16", "fp8", "int8"};
static const char *const pricing_names[TS_PRICING_COUNT] = {"on-demand", "spot", "committed-1y",
                                                                   "committed-3y"};
static const char *const workload_names[TS_WORKLOAD_COUNT] = {"conv", "transformer"};

const char *
ts_precision_get_name(TsPrecision p)
{
  return (unsigned) p < TS_PRECISION_COUNT ? precision_names[p] : "?";
}

gboolean
ts_precision_from_name(const char *name, TsPrecision *out)
{
  for (int i = 0; i < TS_PRECISION_COUNT; i++)
    if (g_strcmp0(name, precision_names[i]) == 0) {
      *out = (TsPrecision) i;
      return TRUE;
    }
  return FALSE;
}

const char *
ts_pricing_get_name(TsPricing p)
{
  return (unsigned) p < TS_PRICING_COUNT ? pricing_names[p] : "?";
}

const char *
ts_workload_get_name(TsWorkload w)
{
  return (unsigned) w < TS_WORKLOAD_COUNT ? workload_names[w] : "?";
}

gboolean
ts_workload_from_name(const char *name, TsWorkload *out)
{
  for (int i = 0; i < TS_WORKLOAD_COUNT; i++)
    if (g_strcmp0(name, workload_names[i]) == 0) {
      *out = (TsWorkload) i;
      return TRUE;
    }
  return FALSE;
}

/* Where a catalog field lands.  A table, not a chain of ifs, so `trainsim devices`, the parser and the
 * docs agree on the names. */
typedef enum { DEST_SPEC, DEST_PRICE, DEST_RECORD } DestKind;

typedef struct {
  const char *name;
  TsDimension dim;
  DestKind dest;
  gsize offset; /* into TsDeviceSpec / TsDeviceRecord / TsInstanceRecord; pricing index for DEST_PRICE */
  gboolean binary; /* a memory capacity: the value must be written in binary units (GiB), never GB */
} FieldDef;

#define SPEC(f) DEST_SPEC, offsetof(TsDeviceSpec, f)
#define DREC(f) DEST_RECORD, offsetof(TsDeviceRecord, f)
#define IREC(f) DEST_RECORD, offsetof(TsInstanceRecord, f)
/* Memory capacities (HBM, DRAM, DIMMs) are built in powers of two and vendors quote them in "GB" that mean
 * GiB (an H100 "80GB" shows 81,559 MiB in nvidia-smi).  The unit parser keeps GB = 1e9, so the catalog must
 * say GiB: a decimal unit on such a field is refused rather than read as 7 % less memory. */
#define BINARY TRUE
#define DECIMAL FALSE /* units as the parser reads them (GB = 1e9) */

static const FieldDef device_fields[] = {
  {"peak_fp32", TS_DIM_FLOPS, SPEC(peak_dense[TS_PRECISION_FP32]), DECIMAL},
  {"peak_tf32", TS_DIM_FLOPS, SPEC(peak_dense[TS_PRECISION_TF32]), DECIMAL},
  {"peak_fp16", TS_DIM_FLOPS, SPEC(peak_dense[TS_PRECISION_FP16]), DECIMAL},
  {"peak_bf16", TS_DIM_FLOPS, SPEC(peak_dense[TS_PRECISION_BF16]), DECIMAL},
  {"peak_fp8", TS_DIM_FLOPS, SPEC(peak_dense[TS_PRECISION_FP8]), DECIMAL},
  {"peak_int8", TS_DIM_FLOPS, SPEC(peak_dense[TS_PRECISION_INT8]), DECIMAL},
  {"sparse_tf32", TS_DIM_FLOPS, SPEC(peak_sparse[TS_PRECISION_TF32]), DECIMAL},
  {"sparse_fp16", TS_DIM_FLOPS, SPEC(peak_sparse[TS_PRECISION_FP16]), DECIMAL},
  {"sparse_bf16", TS_DIM_FLOPS, SPEC(peak_sparse[TS_PRECISION_BF16]), DECIMAL},
  {"sparse_fp8", TS_DIM_FLOPS, SPEC(peak_sparse[TS_PRECISION_FP8]), DECIMAL},
  {"sparse_int8", TS_DIM_FLOPS, SPEC(peak_sparse[TS_PRECISION_INT8]), DECIMAL},
  {"memory", TS_DIM_BYTES, SPEC(memory_bytes), BINARY},
  {"memory_allocatable", TS_DIM_BYTES, DREC(memory_allocatable), BINARY},
  {"memory_bandwidth", TS_DIM_BYTE_RATE, SPEC(memory_bandwidth), DECIMAL},
  {"runtime_reserved", TS_DIM_BYTES, SPEC(runtime_reserved_bytes), BINARY},
  {"cores", TS_DIM_NUMBER, SPEC(cores), DECIMAL},
  {"threads", TS_DIM_NUMBER, DEST_RECORD, G_MAXSIZE, DECIMAL},
  {"link_bandwidth", TS_DIM_BYTE_RATE, SPEC(link_bandwidth), DECIMAL},
  {"links", TS_DIM_NUMBER, SPEC(links), DECIMAL},
  {"link_latency", TS_DIM_TIME, SPEC(link_latency_s), DECIMAL},
  {"nvlink_domain", TS_DIM_NUMBER, DREC(nvlink_domain), DECIMAL},
  {"nvlink_sharp", TS_DIM_NUMBER, SPEC(nvlink_sharp), DECIMAL},
  {"network_bandwidth", TS_DIM_BYTE_RATE, SPEC(network_bandwidth), DECIMAL},
  {"network_latency", TS_DIM_TIME, SPEC(network_latency_s), DECIMAL},
  {"input_images_per_core", TS_DIM_RATE, SPEC(input_images_per_core_s), DECIMAL},
  {"input_tokens_per_core", TS_DIM_RATE, SPEC(input_tokens_per_core_s), DECIMAL},
  {"tdp", TS_DIM_POWER, SPEC(tdp_watts), DECIMAL},
  {"idle_power", TS_DIM_POWER, DREC(idle_power_w), DECIMAL},
  {"matmul_tile", TS_DIM_NUMBER, SPEC(matmul_tile), DECIMAL},
  {"matmul_units", TS_DIM_NUMBER, SPEC(matmul_units), DECIMAL},
  {"attention_flash2", TS_DIM_FLOPS, SPEC(attention_flash2), DECIMAL},
  {"purchase_price", TS_DIM_USD, DREC(purchase_price), DECIMAL},
  {"preemption_mtbf", TS_DIM_TIME, DREC(preemption_mtbf_s), DECIMAL},
  {"price_on_demand", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_ON_DEMAND, DECIMAL},
  {"price_spot", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_SPOT, DECIMAL},
  {"price_committed_1y", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_COMMITTED_1Y, DECIMAL},
  {"price_committed_3y", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_COMMITTED_3Y, DECIMAL},
};

static const FieldDef instance_fields[] = {
  {"devices", TS_DIM_NUMBER, IREC(devices), DECIMAL},
  {"vcpus", TS_DIM_NUMBER, IREC(vcpus), DECIMAL},
  {"ram", TS_DIM_BYTES, IREC(ram), BINARY},
  {"local_disk", TS_DIM_BYTES, IREC(local_disk), DECIMAL},
  {"network_bandwidth", TS_DIM_BYTE_RATE, IREC(network_bandwidth), DECIMAL},
  {"nvlink", TS_DIM_BYTE_RATE, DEST_RECORD, G_MAXSIZE, DECIMAL},
  {"power", TS_DIM_POWER, IREC(power), DECIMAL},
  {"purchase_price", TS_DIM_USD, IREC(purchase_price), DECIMAL},
  {"service_life", TS_DIM_TIME, IREC(service_life_s), DECIMAL},
  {"preemption_mtbf", TS_DIM_TIME, IREC(preemption_mtbf_s), DECIMAL},
  {"price_on_demand", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_ON_DEMAND, DECIMAL},
  {"price_spot", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_SPOT, DECIMAL},
  {"price_committed_1y", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_COMMITTED_1Y, DECIMAL},
  {"price_committed_3y", TS_DIM_PRICE, DEST_PRICE, TS_PRICING_COMMITTED_3Y, DECIMAL},
};

static void
field_free(gpointer p)
{
  TsField *f = p;
  if (f == NULL)
    return;
  g_free(f->name);
  g_free(f->text);
  g_free(f->source);
  g_free(f->stated);
  g_free(f->derived);
  g_free(f->region);
  g_free(f);
}

static void
source_free(gpointer p)
{
  TsSource *s = p;
  g_free(s->key);
  g_free(s->title);
  g_free(s->url);
  g_free(s->date);
  g_free(s);
}

static void
device_free(gpointer p)
{
  TsDeviceRecord *d = p;
  if (d == NULL)
    return;
  g_free(d->plugin);
  g_free(d->sku);
  g_free(d->name);
  g_free(d->generation);
  if (d->slices != NULL) {
    for (guint i = 0; i < d->slices->len; i++)
      g_free(g_array_index(d->slices, TsSlice, i).name);
    g_array_unref(d->slices);
  }
  g_ptr_array_unref(d->fields);
  g_free(d->calibration_own);
  g_free(d);
}

TsDeviceRecord *
ts_device_record_new(const char *plugin, const char *sku, const char *name, const char *generation)
{
  TsDeviceRecord *d = g_new0(TsDeviceRecord, 1);
  d->plugin = g_strdup(plugin);
  d->sku = g_strdup(sku);
  d->name = g_strdup(name);
  d->generation = g_strdup(generation);
  d->fields = g_ptr_array_new_with_free_func(field_free);
  d->slices = g_array_new(FALSE, TRUE, sizeof(TsSlice));
  d->spec.size = sizeof(TsDeviceSpec);
  d->spec.sku = d->sku;
  d->spec.name = d->name;
  d->spec.generation = d->generation;
  return d;
}

void
ts_device_record_free(TsDeviceRecord *record)
{
  device_free(record);
}

static void
instance_free(gpointer p)
{
  TsInstanceRecord *r = p;
  if (r == NULL)
    return;
  g_free(r->name);
  g_free(r->provider);
  g_free(r->device_sku);
  g_free(r->host_cpu);
  g_ptr_array_unref(r->fields);
  g_free(r);
}

void
ts_catalog_free(TsCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_free(catalog->plugin);
  g_free(catalog->path);
  g_free(catalog->sha256_);
  g_bytes_unref(catalog->bytes_);
  g_hash_table_unref(catalog->sources);
  g_ptr_array_unref(catalog->devices);
  g_ptr_array_unref(catalog->instances);
  g_free(catalog);
}

/* Parsing context: everything an error message needs to point at the entry and field. */
typedef struct {
  const char *path;
  TsCatalog *catalog;
  char *where; /* "devices[2] (sku \"v3\")" */
  const char *field; /* the sourced field being read, or NULL: named after `where` (formatted only on error) */
} Ctx;

G_GNUC_PRINTF(3, 4)
static gboolean
fail(Ctx *ctx, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  if (ctx->field != NULL)
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: %s field \"%s\": %s", ctx->path, ctx->where, ctx->field,
                msg);
  else if (ctx->where != NULL)
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: %s: %s", ctx->path, ctx->where, msg);
  else
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: %s", ctx->path, msg);
  return FALSE;
}

static const char *
member_string(const TsJsonValue *o, const char *name)
{
  return ts_json_value_get_string(ts_json_value_get_member(o, name));
}

static gboolean
require_string(Ctx *ctx, const TsJsonValue *o, const char *name, const char **out, GError **error)
{
  const TsJsonValue *n = ts_json_value_get_member(o, name);
  if (n == NULL)
    return fail(ctx, error, "missing \"%s\" (expected a string)", name);
  *out = member_string(o, name);
  if (*out == NULL || **out == '\0')
    return fail(ctx, error, "\"%s\": expected a non-empty string", name);
  return TRUE;
}

static gboolean
parse_sources(Ctx *ctx, const TsJsonValue *root, GError **error)
{
  const TsJsonValue *o = ts_json_value_get_object_member(root, "sources");
  if (o == NULL)
    return fail(ctx, error, "missing \"sources\" (expected an object of citations)");
  for (guint k = 0; k < o->len; k++) {
    const char *key = o->keys[k];
    const TsJsonValue *so = &o->u.items[k];
    g_free(ctx->where);
    ctx->where = g_strdup_printf("sources.%s", key);
    if (so->type != TS_JSON_OBJECT)
      return fail(ctx, error, "expected an object with title, url and date");
    const char *title, *url, *date;
    if (!require_string(ctx, so, "title", &title, error) || !require_string(ctx, so, "url", &url, error) ||
        !require_string(ctx, so, "date", &date, error))
      return FALSE;
    TsSource *s = g_new0(TsSource, 1);
    s->key = g_strdup(key);
    s->title = g_strdup(title);
    s->url = g_strdup(url);
    s->date = g_strdup(date);
    const TsJsonValue *vn = ts_json_value_get_member(so, "verified");
    s->verified = vn == NULL || (ts_json_value_is_scalar(vn) && ts_json_value_get_boolean(vn));
    g_hash_table_insert(ctx->catalog->sources, s->key, s);
  }
  g_clear_pointer(&ctx->where, g_free);
  return TRUE;
}

static const FieldDef *
find_def(const FieldDef *defs, gsize n, const char *name)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp(defs[i].name, name) == 0)
      return &defs[i];
  return NULL;
}

static char *
list_defs(const FieldDef *defs, gsize n)
{
  GString *s = g_string_new(NULL);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", defs[i].name);
  return g_string_free(s, FALSE);
}

/* The unit of a parsed quantity text is binary (or plain bytes). */
static gboolean
binary_unit(const char *value)
{
  static const char *const units[] = {"", "B", "byte", "bytes", "KiB", "MiB", "GiB", "TiB", "PiB", NULL};
  const char *p = value;
  while (*p != '\0' && (g_ascii_isdigit(*p) || g_ascii_isspace(*p) || *p == '.' || *p == '-' || *p == '+' ||
                         *p == 'e' || *p == 'E'))
    p++;
  g_autofree char *unit = g_strstrip(g_strdup(p));
  return g_strv_contains(units, unit);
}

/* A sourced quantity: {"value": "123 TFLOP/s", "source": "key", "stated": "...", ["derived"], ["region"]}. */
static TsField *
parse_field(Ctx *ctx, const char *name, const TsJsonValue *o, const FieldDef *def, GError **error)
{
  if (o->type != TS_JSON_OBJECT) {
    fail(ctx, error, "field \"%s\": expected {\"value\", \"source\", \"stated\"}", name);
    return NULL;
  }
  const char *value, *source, *stated;
  ctx->field = name;
  gboolean ok = require_string(ctx, o, "value", &value, error) && require_string(ctx, o, "source", &source, error) &&
                require_string(ctx, o, "stated", &stated, error);
  if (ok && !g_hash_table_contains(ctx->catalog->sources, source))
    ok = fail(ctx, error, "source \"%s\" is not in \"sources\"", source);
  TsQuantity q = {0};
  if (ok) {
    g_autoptr(GError) uerr = NULL;
    if (!ts_quantity_parse(value, def->dim, &q, &uerr))
      ok = fail(ctx, error, "%s", uerr->message);
    else if (q.value < 0)
      ok = fail(ctx, error, "expected a non-negative value, got \"%s\"", value);
    else if (def->binary && !binary_unit(value))
      ok = fail(ctx, error, "\"%s\": a memory capacity is binary; vendors' HBM, DRAM and DIMM \"GB\" mean GiB "
                "(an H100 \"80GB\" is 80 GiB): write the value in B, KiB, MiB, GiB or TiB", value);
  }
  ctx->field = NULL;
  if (!ok)
    return NULL;
  TsField *f = g_new0(TsField, 1);
  f->name = g_strdup(name);
  f->text = g_strdup(value);
  f->quantity = q;
  f->source = g_strdup(source);
  f->stated = g_strdup(stated);
  f->derived = g_strdup(member_string(o, "derived"));
  f->region = g_strdup(member_string(o, "region"));
  return f;
}

static gboolean
parse_dims(const char *topology, guint dims[3])
{
  g_auto(GStrv) parts = g_strsplit(topology, "x", -1);
  guint n = g_strv_length(parts);
  if (n < 1 || n > 3)
    return FALSE;
  for (guint i = 0; i < 3; i++) {
    if (i >= n) {
      dims[i] = 1;
      continue;
    }
    guint64 v;
    if (!g_ascii_string_to_unsigned(parts[i], 10, 1, 1024, &v, NULL))
      return FALSE;
    dims[i] = (guint) v;
  }
  return TRUE;
}

static gboolean
parse_slices(Ctx *ctx, const TsJsonValue *o, TsDeviceRecord *d, GError **error)
{
  const TsJsonValue *a = ts_json_value_get_member(o, "slices");
  if (a == NULL)
    return TRUE;
  if (a->type != TS_JSON_ARRAY)
    return fail(ctx, error, "\"slices\": expected an array of {name, chips, topology}");
  const char *naming = member_string(o, "slice_naming");
  if (g_strcmp0(naming, "cores") != 0 && g_strcmp0(naming, "chips") != 0)
    return fail(ctx, error, "\"slice_naming\": expected \"cores\" or \"chips\"");
  d->slice_names_count_cores = strcmp(naming, "cores") == 0;
  const char *torus = member_string(o, "torus");
  if (g_strcmp0(torus, "2d") != 0 && g_strcmp0(torus, "3d") != 0)
    return fail(ctx, error, "\"torus\": expected \"2d\" or \"3d\"");
  d->torus_rank = torus[0] == '2' ? 2 : 3;
  for (guint i = 0; i < a->len; i++) {
    const TsJsonValue *so = &a->u.items[i];
    if (so->type != TS_JSON_OBJECT)
      return fail(ctx, error, "slices[%u]: expected an object", i);
    const char *name = member_string(so, "name");
    const char *topo = member_string(so, "topology");
    const TsJsonValue *cn = ts_json_value_get_member(so, "chips");
    if (name == NULL || topo == NULL || cn == NULL || !ts_json_value_is_scalar(cn))
      return fail(ctx, error, "slices[%u]: expected {\"name\", \"chips\", \"topology\"}", i);
    gint64 chips = ts_json_value_get_int(cn);
    TsSlice s = {0};
    if (!parse_dims(topo, s.dims))
      return fail(ctx, error, "slices[%u] \"%s\": topology \"%s\" is not like \"4x4\" or \"4x4x8\"", i, name, topo);
    if (chips <= 0 || (guint64) chips != (guint64) s.dims[0] * s.dims[1] * s.dims[2])
      return fail(ctx, error, "slices[%u] \"%s\": %" G_GINT64_FORMAT " chips does not match topology %s", i, name,
                  chips, topo);
    /* Slices wired without wraparound links are meshes: every dimension longer than 1 is a line, not a
     * ring (TPU v4/v5p below a 4x4x4 cube).  The device's "wraparound" entry says where the rule is from. */
    const TsJsonValue *wn = ts_json_value_get_member(so, "wraparound");
    if (wn != NULL) {
      if (wn->type != TS_JSON_BOOLEAN)
        return fail(ctx, error, "slices[%u] \"%s\": \"wraparound\" must be true or false", i, name);
      if (!wn->u.b) {
        if (ts_json_value_get_member(o, "wraparound") == NULL)
          return fail(ctx, error, "slices[%u] \"%s\": a slice without wraparound needs the device's "
                      "\"wraparound\": {\"source\", \"stated\"}", i, name);
        for (int k = 0; k < 3; k++)
          if (s.dims[k] > 1)
            s.mesh_dims |= 1u << k;
      }
    }
    s.chips = (guint) chips;
    s.name = g_strdup(name);
    g_array_append_val(d->slices, s);
  }
  return TRUE;
}

static gboolean
apply_field(TsField *f, const FieldDef *def, void *record, TsPrice *prices, const char *kind_name, Ctx *ctx,
            GError **error)
{
  switch (def->dest) {
  case DEST_SPEC:
    *(double *) ((char *) record + def->offset) = f->quantity.value;
    break;
  case DEST_RECORD:
    if (def->offset != G_MAXSIZE)
      *(double *) ((char *) record + def->offset) = f->quantity.value;
    break;
  case DEST_PRICE:
    if (f->region == NULL)
      return fail(ctx, error, "field \"%s\": a price needs its \"region\"", f->name);
    /* Billing multiplies a machine price by what it counts (docs/model.md, "Cost"): a per-GB or per-kWh
     * price here would be billed as if it were per hour of something. */
    if (f->quantity.per < TS_PRICE_CORE_HOUR || f->quantity.per > TS_PRICE_NODE_HOUR)
      return fail(ctx, error, "field \"%s\": \"%s\": a machine price is per core-, chip-, device-, slice-, "
                  "instance- or node-hour", f->name, f->text);
    prices[def->offset].value = f->quantity.value;
    prices[def->offset].per = f->quantity.per;
    prices[def->offset].field = f;
    break;
  }
  (void) kind_name;
  return TRUE;
}

static const char *const reserved_device_keys[] = {"sku", "name", "generation", "notes", "slices", "slice_naming",
                                                   "torus", "wraparound", NULL};
static const char *const reserved_instance_keys[] = {"name", "provider", "device", "host_cpu", "notes", NULL};

static gboolean
parse_fields(Ctx *ctx, const TsJsonValue *o, const char *const *reserved, const FieldDef *defs, gsize ndefs,
             void *spec_base, void *record_base, TsPrice *prices, GPtrArray *fields, GError **error)
{
  for (guint k = 0; k < o->len; k++) {
    const char *key = o->keys[k];
    if (g_strv_contains(reserved, key))
      continue;
    const FieldDef *def = find_def(defs, ndefs, key);
    if (def == NULL && strcmp(key, "price_committed") == 0)
      return fail(ctx, error, "\"price_committed\" does not say its term: write \"price_committed_1y\" or "
                  "\"price_committed_3y\" (a 3-year commitment is priced apart from a 1-year one)");
    if (def == NULL) {
      g_autofree char *known = list_defs(defs, ndefs);
      return fail(ctx, error, "unknown field \"%s\"; known fields: %s", key, known);
    }
    TsField *f = parse_field(ctx, key, &o->u.items[k], def, error);
    if (f == NULL)
      return FALSE;
    g_ptr_array_add(fields, f);
    if (!apply_field(f, def, def->dest == DEST_SPEC ? spec_base : record_base, prices, key, ctx, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
parse_device(Ctx *ctx, const TsJsonValue *o, guint index, GError **error)
{
  g_free(ctx->where);
  ctx->where = g_strdup_printf("devices[%u]", index);
  if (o->type != TS_JSON_OBJECT)
    return fail(ctx, error, "expected an object");
  const char *sku, *name, *generation;
  if (!require_string(ctx, o, "sku", &sku, error))
    return FALSE;
  g_free(ctx->where);
  ctx->where = g_strdup_printf("devices[%u] (sku \"%s\")", index, sku);
  if (!require_string(ctx, o, "name", &name, error) || !require_string(ctx, o, "generation", &generation, error))
    return FALSE;
  if (ts_catalog_find_device(ctx->catalog, sku) != NULL)
    return fail(ctx, error, "sku \"%s\" appears twice", sku);

  TsDeviceRecord *d = ts_device_record_new(ctx->catalog->plugin, sku, name, generation);
  g_ptr_array_add(ctx->catalog->devices, d);
  if (!parse_fields(ctx, o, reserved_device_keys, device_fields, G_N_ELEMENTS(device_fields), &d->spec, d,
                    d->price, d->fields, error) ||
      !parse_slices(ctx, o, d, error))
    return FALSE;
  if (d->memory_allocatable > 0) {
    if (d->memory_allocatable > d->spec.memory_bytes)
      return fail(ctx, error, "\"memory_allocatable\" is more than \"memory\"");
    /* What the driver keeps out of the HBM is not there for the model: it counts as reserved unless the
     * catalog states the runtime's reservation itself. */
    if (d->spec.runtime_reserved_bytes == 0)
      d->spec.runtime_reserved_bytes = d->spec.memory_bytes - d->memory_allocatable;
  }
  return TRUE;
}

static gboolean
parse_instance(Ctx *ctx, const TsJsonValue *o, guint index, GError **error)
{
  g_free(ctx->where);
  ctx->where = g_strdup_printf("instances[%u]", index);
  if (o->type != TS_JSON_OBJECT)
    return fail(ctx, error, "expected an object");
  const char *name, *provider, *device;
  if (!require_string(ctx, o, "name", &name, error))
    return FALSE;
  g_free(ctx->where);
  ctx->where = g_strdup_printf("instances[%u] (\"%s\")", index, name);
  if (!require_string(ctx, o, "provider", &provider, error) || !require_string(ctx, o, "device", &device, error))
    return FALSE;
  if (ts_catalog_find_instance(ctx->catalog, name) != NULL)
    return fail(ctx, error, "instance \"%s\" appears twice", name);
  TsInstanceRecord *r = g_new0(TsInstanceRecord, 1);
  r->name = g_strdup(name);
  r->provider = g_strdup(provider);
  r->device_sku = g_strdup(device);
  r->host_cpu = g_strdup(member_string(o, "host_cpu"));
  r->fields = g_ptr_array_new_with_free_func(field_free);
  g_ptr_array_add(ctx->catalog->instances, r);
  if (!parse_fields(ctx, o, reserved_instance_keys, instance_fields, G_N_ELEMENTS(instance_fields), r, r, r->price,
                    r->fields, error))
    return FALSE;
  if (r->devices <= 0 && ts_catalog_find_device(ctx->catalog, device) != NULL)
    return fail(ctx, error, "missing \"devices\" (how many %s the instance holds)", device);
  return TRUE;
}

static gboolean
parse_array(Ctx *ctx, const TsJsonValue *root, const char *name, gboolean required,
            gboolean (*each)(Ctx *, const TsJsonValue *, guint, GError **), GError **error)
{
  const TsJsonValue *a = ts_json_value_get_member(root, name);
  if (a == NULL)
    return required ? fail(ctx, error, "missing \"%s\" (expected an array)", name) : TRUE;
  if (a->type != TS_JSON_ARRAY)
    return fail(ctx, error, "\"%s\": expected an array", name);
  for (guint i = 0; i < a->len; i++)
    if (!each(ctx, &a->u.items[i], i, error))
      return FALSE;
  g_clear_pointer(&ctx->where, g_free);
  return TRUE;
}

/* The file's bytes are kept (as `bytes`, which the catalog takes) for the sha256 asked for later.  `from_file`:
 * the bytes were just read from the file `path`, so its tree may come from the tree cache (common/ts-json-cache.h). */
static TsCatalog *
load_bytes(GBytes *bytes, const char *path, const char *plugin, gboolean from_file, GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data(bytes, &len);
  if (data == NULL)
    data = ""; /* GBytes of no bytes has no data: an empty file, which the parser refuses by name */
  g_autoptr(TsJsonDoc) doc =
      from_file ? ts_json_doc_parse_cached(data, len, path, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL, error)
                : ts_json_doc_parse(data, len, path, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, error);
  if (doc == NULL) {
    g_bytes_unref(bytes);
    return NULL;
  }
  const TsJsonValue *root = ts_json_doc_get_root(doc);
  if (root->type != TS_JSON_OBJECT) {
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: expected a JSON object at the top", path);
    g_bytes_unref(bytes);
    return NULL;
  }

  const char *declared = member_string(root, "catalog");
  if (plugin == NULL && (declared == NULL || declared[0] == '\0')) {
    g_set_error(error, TS_ERROR, TS_ERROR_CATALOG, "%s: \"catalog\": expected the name of the plugin whose "
                "catalog this extends (\"gpu\", ...), got %s", path, declared ? "\"\"" : "(missing)");
    g_bytes_unref(bytes);
    return NULL;
  }
  if (plugin == NULL)
    plugin = declared;
  TsCatalog *c = g_new0(TsCatalog, 1);
  c->plugin = g_strdup(plugin);
  c->path = g_strdup(path);
  c->bytes_ = bytes;
  c->sources = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, source_free);
  c->devices = g_ptr_array_new_with_free_func(device_free);
  c->instances = g_ptr_array_new_with_free_func(instance_free);

  Ctx ctx = {path, c, NULL, NULL};
  const TsJsonValue *vn = ts_json_value_get_member(root, "schema_version");
  gboolean ok = TRUE;
  if (g_strcmp0(declared, plugin) != 0)
    ok = fail(&ctx, error, "\"catalog\": expected \"%s\", got \"%s\"", plugin, declared ? declared : "(missing)");
  else if (vn == NULL || !ts_json_value_is_scalar(vn) || ts_json_value_get_int(vn) != 1)
    ok = fail(&ctx, error, "\"schema_version\": expected 1");
  /* What the catalog's devices are to a run: accelerators (the default) or host CPUs.  Data, so that core
   * needs no plugin's name to bill a machine as host or to find a host CPU. */
  const TsJsonValue *rn = ts_json_value_get_member(root, "role");
  const char *role = ts_json_value_get_string(rn);
  if (ok && rn != NULL && g_strcmp0(role, "host") != 0 && g_strcmp0(role, "accelerator") != 0)
    ok = fail(&ctx, error, "\"role\": expected \"accelerator\" or \"host\"");
  c->host_role = g_strcmp0(role, "host") == 0;
  ok = ok && parse_sources(&ctx, root, error) && parse_array(&ctx, root, "devices", TRUE, parse_device, error) &&
       parse_array(&ctx, root, "instances", FALSE, parse_instance, error);
  g_free(ctx.where);
  if (!ok) {
    ts_catalog_free(c);
    return NULL;
  }
  return c;
}

static GMutex sha256_mutex;

const char *
ts_catalog_get_sha256(const TsCatalog *catalog)
{
  TsCatalog *c = (TsCatalog *) catalog; /* a cache: the answer never changes */
  g_mutex_lock(&sha256_mutex);
  if (c->sha256_ == NULL && c->bytes_ != NULL)
    c->sha256_ = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, c->bytes_);
  g_mutex_unlock(&sha256_mutex);
  return c->sha256_;
}

TsCatalog *
ts_catalog_load_data(const char *data, gsize len, const char *path, const char *plugin, GError **error)
{
  return load_bytes(g_bytes_new(data, len), path, plugin, FALSE, error);
}

TsCatalog *
ts_catalog_load(const char *path, const char *plugin, GError **error)
{
  char *data = NULL;
  gsize len = 0;
  if (!ts_file_read_bounded(path, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &data, &len, error)) {
    g_prefix_error(error, "cannot read catalog: ");
    return NULL;
  }
  return load_bytes(g_bytes_new_take(data, len), path, plugin, TRUE, error); /* the read buffer kept, not a copy */
}

const TsDeviceRecord *
ts_catalog_find_device(const TsCatalog *catalog, const char *sku)
{
  for (guint i = 0; i < catalog->devices->len; i++) {
    const TsDeviceRecord *d = g_ptr_array_index(catalog->devices, i);
    if (g_ascii_strcasecmp(d->sku, sku) == 0)
      return d;
  }
  return NULL;
}

const TsInstanceRecord *
ts_catalog_find_instance(const TsCatalog *catalog, const char *name)
{
  for (guint i = 0; i < catalog->instances->len; i++) {
    const TsInstanceRecord *r = g_ptr_array_index(catalog->instances, i);
    if (g_ascii_strcasecmp(r->name, name) == 0)
      return r;
  }
  return NULL;
}

const TsSlice *
ts_device_record_find_slice(const TsDeviceRecord *device, const char *name)
{
  for (guint i = 0; i < device->slices->len; i++) {
    const TsSlice *s = &g_array_index(device->slices, TsSlice, i);
    if (g_ascii_strcasecmp(s->name, name) == 0)
      return s;
  }
  return NULL;
}

char *
ts_device_record_list_slices(const TsDeviceRecord *device)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < device->slices->len; i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", g_array_index(device->slices, TsSlice, i).name);
  return g_string_free(s, FALSE);
}

const char *
ts_catalog_get_price_date(const TsCatalog *catalog)
{
  const char *newest = "";
  for (guint k = 0; k < 2; k++) {
    GPtrArray *records = k == 0 ? catalog->devices : catalog->instances;
    for (guint i = 0; i < records->len; i++) {
      const TsPrice *prices = k == 0 ? ((TsDeviceRecord *) g_ptr_array_index(records, i))->price
                                     : ((TsInstanceRecord *) g_ptr_array_index(records, i))->price;
      for (int p = 0; p < TS_PRICING_COUNT; p++) {
        if (prices[p].field == NULL)
          continue;
        const TsSource *s = g_hash_table_lookup(catalog->sources, prices[p].field->source);
        if (s != NULL && strcmp(s->date, newest) > 0)
          newest = s->date;
      }
    }
  }
  return newest;
}
