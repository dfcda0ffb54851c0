/* /catalog/...: the JSON device catalogs.  A valid catalog parses into typed fields; each class of
 * mistake is TS_ERROR_CATALOG with a message naming the file, the entry and the field; the bundled
 * catalogs (plugins/X/X.json in the source tree) parse and every number is sourced. */
#include "catalog/catalog.h"
#include "common/ts-error.h"

#include <glib/gstdio.h>
#include <string.h>
#include "test-util.h"

#ifndef TS_SOURCE_DIR
#error "TS_SOURCE_DIR must name the project's source directory"
#endif

/* Test catalogs are written with ' for " so they stay readable as C strings; no test string needs a '. */
static char *
json_q(const char *text)
{
  char *s = g_strdup(text);
  for (char *p = s; *p != '\0'; p++)
    if (*p == '\'')
      *p = '"';
  return s;
}

static TsCatalog *
load_text(const char *text, const char *path, const char *plugin, GError **error)
{
  g_autofree char *data = json_q(text);
  return ts_catalog_load_data(data, strlen(data), path, plugin, error);
}

#define BAD_PATH "catalogs/bad.json"

/* The catalog must be refused as TS_ERROR_CATALOG; the message must name the file and hold each of the
 * NULL-terminated substrings. */
G_GNUC_NULL_TERMINATED static void
assert_refused(const char *text, ...)
{
  g_autoptr(GError) error = NULL;
  TsCatalog *c = load_text(text, BAD_PATH, "gpu", &error);
  g_assert_null(c);
  g_assert_error(error, TS_ERROR, TS_ERROR_CATALOG);
  g_test_message("%s", error->message);
  g_assert_true(g_str_has_prefix(error->message, BAD_PATH ":")); /* "path: " or "path:LINE:" */
  va_list ap;
  va_start(ap, text);
  for (const char *s = va_arg(ap, const char *); s != NULL; s = va_arg(ap, const char *))
    assert_has(error->message, s);
  va_end(ap);
}

/* ---- a valid catalog ---- */

static const char valid_catalog[] =
  "{ 'catalog': 'gpu', 'schema_version': 1,"
  "  'sources': {"
  "    'ds': { 'title': 'X datasheet', 'url': 'https://example.invalid/x.pdf', 'date': '2024-05-01' },"
  "    'pr': { 'title': 'Price list', 'url': 'https://example.invalid/prices', 'date': '2025-02',"
  "            'verified': false },"
  "    'old': { 'title': 'Old price list', 'url': 'https://example.invalid/old', 'date': '2023-01' }"
  "  },"
  "  'devices': ["
  "    { 'sku': 'X-16GB', 'name': 'X GPU 16 GB', 'generation': 'Xgen', 'notes': 'free text is allowed here',"
  "      'peak_bf16': { 'value': '123 TFLOP/s', 'source': 'ds', 'stated': '123 TFLOPS BF16',"
  "                     'derived': 'as stated' },"
  "      'peak_fp32': { 'value': '15.7 TFLOP/s', 'source': 'ds', 'stated': '15.7 TFLOPS' },"
  "      'sparse_bf16': { 'value': '246 TFLOP/s', 'source': 'ds', 'stated': '246 TFLOPS with sparsity' },"
  "      'memory': { 'value': '16 GiB', 'source': 'ds', 'stated': '16 GB HBM2' },"
  "      'memory_bandwidth': { 'value': '900 GB/s', 'source': 'ds', 'stated': '900 GB/sec' },"
  "      'link_bandwidth': { 'value': '25 GB/s', 'source': 'ds', 'stated': '25 GB/s per link' },"
  "      'links': { 'value': '6', 'source': 'ds', 'stated': 'six NVLinks' },"
  "      'link_latency': { 'value': '2 us', 'source': 'ds', 'stated': '2 microseconds' },"
  "      'network_bandwidth': { 'value': '100 Gbit/s', 'source': 'ds', 'stated': '100 Gb/s' },"
  "      'tdp': { 'value': '0.3 kW', 'source': 'ds', 'stated': '300 W' },"
  "      'purchase_price': { 'value': '10000 USD', 'source': 'old', 'stated': '$10k' },"
  "      'price_on_demand': { 'value': '2.48 USD/chip-hour', 'source': 'pr', 'stated': '$2.48/h',"
  "                           'region': 'us-central1' },"
  "      'price_spot': { 'value': '0.74 USD/device-hour', 'source': 'old', 'stated': '$0.74/h',"
  "                      'region': 'us-east1' }"
  "    },"
  "    { 'sku': 'T1', 'name': 'T accelerator', 'generation': 'Tgen',"
  "      'slice_naming': 'cores', 'torus': '3d',"
  "      'peak_bf16': { 'value': '275 TFLOP/s', 'source': 'ds', 'stated': '275' },"
  "      'slices': [ { 'name': 't1-8', 'chips': 4, 'topology': '2x2' },"
  "                  { 'name': 't1-128', 'chips': 64, 'topology': '4x4x4' } ]"
  "    }"
  "  ],"
  "  'instances': ["
  "    { 'name': 'x.8xlarge', 'provider': 'cloud', 'device': 'X-16GB', 'host_cpu': 'EPYC',"
  "      'devices': { 'value': '8', 'source': 'pr', 'stated': '8 GPUs' },"
  "      'vcpus': { 'value': '64', 'source': 'pr', 'stated': '64 vCPU' },"
  "      'ram': { 'value': '488 GiB', 'source': 'pr', 'stated': '488 GiB' },"
  "      'price_on_demand': { 'value': '24.48 USD/instance-hour', 'source': 'pr', 'stated': '$24.48',"
  "                           'region': 'us-east-1' },"
  "      'price_committed_1y': { 'value': '15.5 USD/instance-hour', 'source': 'pr', 'stated': '$15.50',"
  "                              'region': 'us-east-1' },"
  "      'price_committed_3y': { 'value': '9.75 USD/instance-hour', 'source': 'pr', 'stated': '$9.75',"
  "                              'region': 'us-east-1' }"
  "    }"
  "  ]"
  "}";

static const TsField *
find_field(const GPtrArray *fields, const char *name)
{
  for (guint i = 0; i < fields->len; i++) {
    const TsField *f = g_ptr_array_index(fields, i);
    if (strcmp(f->name, name) == 0)
      return f;
  }
  return NULL;
}

static void
test_valid(void)
{
  g_autoptr(GError) error = NULL;
  TsCatalog *c = load_text(valid_catalog, "catalogs/valid.json", "gpu", &error);
  g_assert_no_error(error);
  g_assert_nonnull(c);
  g_assert_cmpstr(c->plugin, ==, "gpu");
  g_assert_cmpstr(c->path, ==, "catalogs/valid.json");
  g_assert_nonnull(ts_catalog_get_sha256(c));
  g_assert_cmpuint(strlen(ts_catalog_get_sha256(c)), ==, 64);

  /* Sources. */
  g_assert_cmpuint(g_hash_table_size(c->sources), ==, 3);
  const TsSource *ds = g_hash_table_lookup(c->sources, "ds");
  g_assert_nonnull(ds);
  g_assert_cmpstr(ds->title, ==, "X datasheet");
  g_assert_cmpstr(ds->url, ==, "https://example.invalid/x.pdf");
  g_assert_cmpstr(ds->date, ==, "2024-05-01");
  g_assert_true(ds->verified); /* verified defaults to true */
  const TsSource *pr = g_hash_table_lookup(c->sources, "pr");
  g_assert_nonnull(pr);
  g_assert_false(pr->verified);

  /* Devices: typed numbers in SI units. */
  g_assert_cmpuint(c->devices->len, ==, 2);
  const TsDeviceRecord *x = ts_catalog_find_device(c, "x-16gb"); /* SKUs match without case */
  g_assert_nonnull(x);
  g_assert_true(x == g_ptr_array_index(c->devices, 0));
  g_assert_cmpstr(x->sku, ==, "X-16GB");
  g_assert_cmpstr(x->name, ==, "X GPU 16 GB");
  g_assert_cmpstr(x->generation, ==, "Xgen");
  g_assert_cmpstr(x->plugin, ==, "gpu");
  g_assert_cmpuint(x->spec.size, ==, sizeof(TsDeviceSpec));
  g_assert_true(x->spec.sku == x->sku);
  g_assert_true(x->spec.name == x->name);
  g_assert_true(x->spec.generation == x->generation);
  g_assert_cmpfloat(x->spec.peak_dense[TS_PRECISION_BF16], ==, 123e12);
  g_assert_cmpfloat(x->spec.peak_dense[TS_PRECISION_FP32], ==, 15.7e12);
  g_assert_cmpfloat(x->spec.peak_dense[TS_PRECISION_FP8], ==, 0); /* not stated */
  g_assert_cmpfloat(x->spec.peak_sparse[TS_PRECISION_BF16], ==, 246e12);
  g_assert_cmpfloat(x->spec.memory_bytes, ==, 16.0 * 1073741824.0);
  g_assert_cmpfloat(x->spec.memory_bandwidth, ==, 900e9);
  g_assert_cmpfloat(x->spec.link_bandwidth, ==, 25e9);
  g_assert_cmpfloat(x->spec.links, ==, 6);
  g_assert_cmpfloat(x->spec.link_latency_s, ==, 2e-6);
  g_assert_cmpfloat(x->spec.network_bandwidth, ==, 12.5e9);
  g_assert_cmpfloat(x->spec.tdp_watts, ==, 300);
  g_assert_cmpfloat(x->purchase_price, ==, 10000);
  g_assert_cmpuint(x->slices->len, ==, 0);
  g_assert_cmpuint(x->torus_rank, ==, 0);

  /* Prices: value, unit, region and provenance. */
  g_assert_cmpfloat(x->price[TS_PRICING_ON_DEMAND].value, ==, 2.48);
  g_assert_cmpint(x->price[TS_PRICING_ON_DEMAND].per, ==, TS_PRICE_CHIP_HOUR);
  g_assert_nonnull(x->price[TS_PRICING_ON_DEMAND].field);
  g_assert_cmpstr(x->price[TS_PRICING_ON_DEMAND].field->region, ==, "us-central1");
  g_assert_cmpstr(x->price[TS_PRICING_ON_DEMAND].field->source, ==, "pr");
  g_assert_cmpfloat(x->price[TS_PRICING_SPOT].value, ==, 0.74);
  g_assert_cmpint(x->price[TS_PRICING_SPOT].per, ==, TS_PRICE_DEVICE_HOUR);
  for (TsPricing p = TS_PRICING_COMMITTED_1Y; p <= TS_PRICING_COMMITTED_3Y; p++) {
    g_assert_cmpfloat(x->price[p].value, ==, 0); /* not listed */
    g_assert_null(x->price[p].field);
  }

  /* Fields keep their provenance, in catalog order. */
  g_assert_cmpuint(x->fields->len, ==, 13);
  const TsField *f = g_ptr_array_index(x->fields, 0);
  g_assert_cmpstr(f->name, ==, "peak_bf16");
  g_assert_cmpstr(f->text, ==, "123 TFLOP/s");
  g_assert_cmpstr(f->source, ==, "ds");
  g_assert_cmpstr(f->stated, ==, "123 TFLOPS BF16");
  g_assert_cmpstr(f->derived, ==, "as stated");
  g_assert_null(f->region);
  g_assert_cmpint(f->quantity.dim, ==, TS_DIM_FLOPS);
  g_assert_cmpfloat(f->quantity.value, ==, 123e12);
  f = find_field(x->fields, "memory");
  g_assert_nonnull(f);
  g_assert_cmpstr(f->stated, ==, "16 GB HBM2");
  g_assert_null(f->derived);

  /* A sliced device: chips and torus dimensions. */
  const TsDeviceRecord *t = ts_catalog_find_device(c, "T1");
  g_assert_nonnull(t);
  g_assert_true(t->slice_names_count_cores);
  g_assert_cmpuint(t->torus_rank, ==, 3);
  g_assert_cmpuint(t->slices->len, ==, 2);
  const TsSlice *s8 = ts_device_record_find_slice(t, "T1-8");
  g_assert_nonnull(s8);
  g_assert_cmpstr(s8->name, ==, "t1-8");
  g_assert_cmpuint(s8->chips, ==, 4);
  g_assert_cmpuint(s8->dims[0], ==, 2);
  g_assert_cmpuint(s8->dims[1], ==, 2);
  g_assert_cmpuint(s8->dims[2], ==, 1);
  const TsSlice *s128 = ts_device_record_find_slice(t, "t1-128");
  g_assert_nonnull(s128);
  g_assert_cmpuint(s128->chips, ==, 64);
  g_assert_cmpuint(s128->dims[0], ==, 4);
  g_assert_cmpuint(s128->dims[1], ==, 4);
  g_assert_cmpuint(s128->dims[2], ==, 4);
  g_assert_null(ts_device_record_find_slice(t, "t1-16"));
  g_autofree char *list = ts_device_record_list_slices(t);
  g_assert_cmpstr(list, ==, "t1-8, t1-128");

  /* Instances. */
  g_assert_cmpuint(c->instances->len, ==, 1);
  const TsInstanceRecord *i = ts_catalog_find_instance(c, "X.8XLARGE");
  g_assert_nonnull(i);
  g_assert_cmpstr(i->name, ==, "x.8xlarge");
  g_assert_cmpstr(i->provider, ==, "cloud");
  g_assert_cmpstr(i->device_sku, ==, "X-16GB");
  g_assert_cmpstr(i->host_cpu, ==, "EPYC");
  g_assert_cmpfloat(i->devices, ==, 8);
  g_assert_cmpfloat(i->vcpus, ==, 64);
  g_assert_cmpfloat(i->ram, ==, 488.0 * 1073741824.0);
  g_assert_cmpfloat(i->price[TS_PRICING_ON_DEMAND].value, ==, 24.48);
  g_assert_cmpint(i->price[TS_PRICING_ON_DEMAND].per, ==, TS_PRICE_INSTANCE_HOUR);
  g_assert_cmpstr(i->price[TS_PRICING_ON_DEMAND].field->region, ==, "us-east-1");
  /* Each commitment term in its own slot. */
  g_assert_cmpfloat(i->price[TS_PRICING_COMMITTED_1Y].value, ==, 15.5);
  g_assert_cmpint(i->price[TS_PRICING_COMMITTED_1Y].per, ==, TS_PRICE_INSTANCE_HOUR);
  g_assert_cmpstr(i->price[TS_PRICING_COMMITTED_1Y].field->name, ==, "price_committed_1y");
  g_assert_cmpfloat(i->price[TS_PRICING_COMMITTED_3Y].value, ==, 9.75);
  g_assert_cmpstr(i->price[TS_PRICING_COMMITTED_3Y].field->name, ==, "price_committed_3y");
  g_assert_cmpstr(ts_pricing_get_name(TS_PRICING_COMMITTED_1Y), ==, "committed-1y");
  g_assert_cmpstr(ts_pricing_get_name(TS_PRICING_COMMITTED_3Y), ==, "committed-3y");
  g_assert_null(ts_catalog_find_instance(c, "x.16xlarge"));
  g_assert_null(ts_catalog_find_device(c, "nope"));

  /* The newest date among the price sources: pr (2025-02) beats old (2023-01); ds cites no price. */
  g_assert_cmpstr(ts_catalog_get_price_date(c), ==, "2025-02");
  ts_catalog_free(c);
}

/* Loading from a file gives the same as from memory, with the file's path in the record. */
static void
test_load_file(void)
{
  g_autofree char *dir = g_dir_make_tmp("test-catalog-XXXXXX", NULL);
  g_assert_nonnull(dir);
  g_autofree char *path = g_build_filename(dir, "gpu.json", NULL);
  g_autofree char *data = json_q(valid_catalog);
  g_assert_true(g_file_set_contents(path, data, -1, NULL));
  g_autoptr(GError) error = NULL;
  TsCatalog *c = ts_catalog_load(path, "gpu", &error);
  g_assert_no_error(error);
  g_assert_nonnull(c);
  g_assert_cmpstr(c->path, ==, path);
  g_assert_cmpuint(c->devices->len, ==, 2);
  g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, data, -1);
  g_assert_cmpstr(ts_catalog_get_sha256(c), ==, sum);
  ts_catalog_free(c);

  /* The same file, declared for another plugin: refused, naming the file. */
  g_assert_null(ts_catalog_load(path, "tpu", &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_CATALOG);
  assert_has(error->message, path);
  g_clear_error(&error);
  g_assert_cmpint(g_remove(path), ==, 0);

  /* A file that is not there. */
  g_assert_null(ts_catalog_load(path, "gpu", &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_CATALOG);
  assert_has(error->message, path);
  g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* ---- one test per class of mistake ---- */

/* A catalog with one device "x" whose extra members are `device`. */
#define HEAD                                                                                                    \
  "{ 'catalog': 'gpu', 'schema_version': 1,"                                                                    \
  "  'sources': { 's': { 'title': 'T', 'url': 'https://example.invalid', 'date': '2025-01' } },"
#define DEVICE(device)                                                                                          \
  HEAD "  'devices': [ { 'sku': 'x', 'name': 'X', 'generation': 'g', " device " } ] }"
#define MEMORY(value) "'memory': { 'value': '" value "', 'source': 's', 'stated': '16' }"

static void
test_invalid_json(void)
{
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1,, }", "not valid JSON", NULL);
  assert_refused("{ 'catalog': 'gpu', 'sources': { 's': ", "not valid JSON", NULL);
  /* Valid JSON, but not an object (json-glib reads empty input as a document without a root). */
  assert_refused("", "expected a JSON object at the top", NULL);
  assert_refused("[1, 2]", "expected a JSON object at the top", NULL);
  assert_refused("{ 'catalog': 'gpu',\n 'x': tru }", BAD_PATH ":2:", "not valid JSON", NULL);
}

/* Nesting is bounded before json-glib's recursive parser sees it: 100,000 levels once crashed every
 * command (issue 13); 64 are read, 65 are refused with the line where the limit was crossed. */
static void
test_deep_nesting(void)
{
  GString *s = g_string_new("{ 'catalog': 'gpu', 'schema_version': 1,\n 'sources': ");
  for (int i = 0; i < 100000; i++)
    g_string_append_c(s, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c(s, ']');
  g_string_append(s, "}");
  assert_refused(s->str, BAD_PATH ":2: nested more than 64 levels deep", NULL);
  g_string_free(s, TRUE);
  GString *ok = g_string_new("{ 'catalog': 'gpu', 'schema_version': 1, 'x': ");
  for (int i = 0; i < 63; i++)
    g_string_append_c(ok, '[');
  for (int i = 0; i < 63; i++)
    g_string_append_c(ok, ']');
  g_string_append(ok, "}");
  assert_refused(ok->str, "\"sources\"", NULL); /* parsed: refused for what it lacks, not for depth */
  g_string_free(ok, TRUE);
}

static void
test_missing_sources(void)
{
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1, 'devices': [] }", "missing \"sources\"", NULL);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1, 'sources': [], 'devices': [] }", "missing \"sources\"",
                 NULL);
}

static void
test_bad_source(void)
{
  /* A citation without its url, date or title. */
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1,"
                 "  'sources': { 's': { 'title': 'T', 'date': '2025-01' } }, 'devices': [] }",
                 "sources.s", "missing \"url\"", NULL);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1,"
                 "  'sources': { 's': { 'title': 'T', 'url': 'https://e.invalid' } }, 'devices': [] }",
                 "sources.s", "missing \"date\"", NULL);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1,"
                 "  'sources': { 's': { 'title': 'T', 'url': '', 'date': '2025-01' } }, 'devices': [] }",
                 "sources.s", "\"url\": expected a non-empty string", NULL);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1, 'sources': { 's': 'T' }, 'devices': [] }",
                 "sources.s", "expected an object", NULL);
}

static void
test_unknown_source_key(void)
{
  assert_refused(DEVICE("'memory': { 'value': '16 GB', 'source': 'nope', 'stated': '16' }"),
                 "devices[0] (sku \"x\")", "field \"memory\"", "source \"nope\" is not in \"sources\"", NULL);
}

static void
test_unknown_field(void)
{
  assert_refused(DEVICE("'memroy': { 'value': '16 GB', 'source': 's', 'stated': '16' }"),
                 "devices[0] (sku \"x\")", "unknown field \"memroy\"", "known fields:", "memory_bandwidth", NULL);
  /* Instances have their own field table. */
  assert_refused(HEAD "'devices': [], 'instances': [ { 'name': 'i1', 'provider': 'p', 'device': 'x',"
                      "  'peak_bf16': { 'value': '1 TFLOP/s', 'source': 's', 'stated': '1' } } ] }",
                 "instances[0] (\"i1\")", "unknown field \"peak_bf16\"", "vcpus", NULL);
}

static void
test_unknown_unit(void)
{
  assert_refused(DEVICE(MEMORY("16 GX")), "devices[0] (sku \"x\")", "field \"memory\"", "unknown unit \"GX\"",
                 "accepted: B, kB, MB, GB", "GiB", NULL);
  /* A bandwidth in a size's unit is the wrong dimension, and says which units would do. */
  assert_refused(DEVICE("'memory_bandwidth': { 'value': '900 GB', 'source': 's', 'stated': '900' }"),
                 "devices[0] (sku \"x\")", "field \"memory_bandwidth\"", "unknown unit \"GB\"", "GB/s", NULL);
  /* A price without its unit cannot be read at all. */
  assert_refused(DEVICE("'price_on_demand': { 'value': '2.5', 'source': 's', 'stated': '2.5',"
                        " 'region': 'r' }"),
                 "devices[0] (sku \"x\")", "field \"price_on_demand\"", "USD/chip-hour", NULL);
  assert_refused(DEVICE(MEMORY("lots")), "devices[0] (sku \"x\")", "field \"memory\"", "\"lots\"", NULL);
}

/* Memory capacities are binary: a decimal unit on them is refused (not read as 7 % less memory), the
 * refusal says why and what to write, and binary or plain-byte values load.  Bandwidths stay decimal. */
static void
test_binary_memory(void)
{
  assert_refused(DEVICE(MEMORY("80 GB")), "devices[0] (sku \"x\")", "field \"memory\"", "\"80 GB\"", "binary",
                 "GiB", NULL);
  assert_refused(DEVICE("'runtime_reserved': { 'value': '1 GB', 'source': 's', 'stated': '1' }"),
                 "field \"runtime_reserved\"", "binary", NULL);
  assert_refused(HEAD "  'devices': [ { 'sku': 'x', 'name': 'X', 'generation': 'g' } ],"
                      "  'instances': [ { 'name': 'box', 'provider': 'p', 'device': 'y',"
                      "                   'ram': { 'value': '2 TB', 'source': 's', 'stated': '2TB' } } ] }",
                 "instances[0] (\"box\")", "field \"ram\"", "binary", NULL);
  assert_refused(DEVICE(MEMORY("16 GiB") ", 'memory_allocatable': { 'value': '17 GiB', 'source': 's', "
                        "'stated': '17' }"),
                 "memory_allocatable", "more than", NULL);
  const char *ok[] = {"80 GiB", "81559 MiB", "2 TiB", "85899345920", "85899345920 B"};
  for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
    g_autofree char *text = g_strdup_printf(DEVICE(MEMORY("%s") ", 'memory_bandwidth': { 'value': '3.35 TB/s', "
                                                   "'source': 's', 'stated': '3.35' }"), ok[i]);
    g_autoptr(GError) error = NULL;
    TsCatalog *c = load_text(text, "m.json", "gpu", &error);
    g_assert_no_error(error);
    const TsDeviceRecord *d = ts_catalog_find_device(c, "x");
    g_assert_cmpfloat(d->spec.memory_bandwidth, ==, 3.35e12);
    g_assert_cmpfloat(d->spec.runtime_reserved_bytes, ==, 0);
    ts_catalog_free(c);
  }
  /* The allocatable size: what the driver keeps counts as reserved (80 GiB - 81,559 MiB = 361 MiB). */
  g_autoptr(GError) error = NULL;
  TsCatalog *c = load_text(DEVICE(MEMORY("80 GiB") ", 'memory_allocatable': { 'value': '81559 MiB', "
                                  "'source': 's', 'stated': '81559MiB' }"),
                           "m.json", "gpu", &error);
  g_assert_no_error(error);
  const TsDeviceRecord *d = ts_catalog_find_device(c, "x");
  g_assert_cmpfloat(d->spec.memory_bytes, ==, 80.0 * 1073741824.0);
  g_assert_cmpfloat(d->memory_allocatable, ==, 81559.0 * 1048576.0);
  g_assert_cmpfloat(d->spec.runtime_reserved_bytes, ==, 361.0 * 1048576.0);
  ts_catalog_free(c);
}

static void
test_negative_value(void)
{
  assert_refused(DEVICE(MEMORY("-16 GB")), "devices[0] (sku \"x\")", "field \"memory\"", "non-negative",
                 "\"-16 GB\"", NULL);
}

static void
test_missing_stated(void)
{
  assert_refused(DEVICE("'memory': { 'value': '16 GB', 'source': 's' }"), "devices[0] (sku \"x\")",
                 "field \"memory\"", "missing \"stated\"", NULL);
  assert_refused(DEVICE("'memory': { 'value': '16 GB', 'stated': '16' }"), "devices[0] (sku \"x\")",
                 "field \"memory\"", "missing \"source\"", NULL);
  assert_refused(DEVICE("'memory': { 'value': 16, 'source': 's', 'stated': '16' }"), "devices[0] (sku \"x\")",
                 "field \"memory\"", "\"value\": expected a non-empty string", NULL);
  assert_refused(DEVICE("'memory': '16 GB'"), "devices[0] (sku \"x\")", "field \"memory\"",
                 "expected {\"value\", \"source\", \"stated\"}", NULL);
}

static void
test_price_without_region(void)
{
  assert_refused(DEVICE("'price_on_demand': { 'value': '2.5 USD/chip-hour', 'source': 's', 'stated': '2.5' }"),
                 "devices[0] (sku \"x\")", "field \"price_on_demand\"", "region", NULL);
  assert_refused(HEAD "'devices': [], 'instances': [ { 'name': 'i1', 'provider': 'p', 'device': 'x',"
                      "  'devices': { 'value': '8', 'source': 's', 'stated': '8' },"
                      "  'price_spot': { 'value': '9 USD/instance-hour', 'source': 's', 'stated': '9' } } ] }",
                 "instances[0] (\"i1\")", "field \"price_spot\"", "region", NULL);
}

/* A commitment without its term, and a price per something billing cannot count, are refused by name. */
static void
test_price_terms(void)
{
  assert_refused(DEVICE("'price_committed': { 'value': '2 USD/chip-hour', 'source': 's', 'stated': '2',"
                        " 'region': 'r' }"),
                 "devices[0] (sku \"x\")", "\"price_committed\" does not say its term", "price_committed_1y",
                 "price_committed_3y", NULL);
  assert_refused(DEVICE("'price_committed_3y': { 'value': '2 USD/GB-month', 'source': 's', 'stated': '2',"
                        " 'region': 'r' }"),
                 "field \"price_committed_3y\"", "2 USD/GB-month", "core-, chip-, device-, slice-, instance- or "
                 "node-hour", NULL);
}

static void
test_duplicate_sku(void)
{
  /* SKUs are looked up without case, so "X" is the same SKU as "x". */
  assert_refused(HEAD "'devices': [ { 'sku': 'x', 'name': 'X', 'generation': 'g' },"
                      "             { 'sku': 'X', 'name': 'X again', 'generation': 'g' } ] }",
                 "devices[1] (sku \"X\")", "sku \"X\" appears twice", NULL);
  assert_refused(HEAD "'devices': [], 'instances': [ { 'name': 'i1', 'provider': 'p', 'device': 'x' },"
                      "                              { 'name': 'i1', 'provider': 'p', 'device': 'x' } ] }",
                 "instances[1] (\"i1\")", "appears twice", NULL);
}

static void
test_missing_identity(void)
{
  assert_refused(HEAD "'devices': [ { 'name': 'X', 'generation': 'g' } ] }", "devices[0]", "missing \"sku\"",
                 NULL);
  assert_refused(HEAD "'devices': [ { 'sku': 'x', 'name': 'X' } ] }", "devices[0] (sku \"x\")",
                 "missing \"generation\"", NULL);
  assert_refused(HEAD "'devices': [ 7 ] }", "devices[0]", "expected an object", NULL);
  assert_refused(HEAD "'devices': {} }", "\"devices\": expected an array", NULL);
  assert_refused(HEAD "'instances': [] }", "missing \"devices\"", NULL);
}

static void
test_slice_topology(void)
{
#define SLICED(slices) DEVICE("'slice_naming': 'chips', 'torus': '2d', 'slices': [ " slices " ]")
  assert_refused(SLICED("{ 'name': 'x-8', 'chips': 8, 'topology': '2x2' }"), "devices[0] (sku \"x\")",
                 "slices[0] \"x-8\"", "8 chips does not match topology 2x2", NULL);
  assert_refused(SLICED("{ 'name': 'x-4', 'chips': 4, 'topology': '2x2' },"
                        "{ 'name': 'x-16', 'chips': 16, 'topology': '4x4x2' }"),
                 "devices[0] (sku \"x\")", "slices[1] \"x-16\"", "16 chips does not match topology 4x4x2", NULL);
  assert_refused(SLICED("{ 'name': 'x-4', 'chips': 4, 'topology': '2by2' }"), "devices[0] (sku \"x\")",
                 "slices[0] \"x-4\"", "topology \"2by2\"", NULL);
  assert_refused(SLICED("{ 'name': 'x-0', 'chips': 0, 'topology': '0x0' }"), "devices[0] (sku \"x\")",
                 "slices[0] \"x-0\"", NULL);
  assert_refused(SLICED("{ 'name': 'x-4', 'topology': '2x2' }"), "devices[0] (sku \"x\")", "slices[0]",
                 "chips", NULL);
#undef SLICED
  assert_refused(DEVICE("'torus': '2d', 'slices': [ { 'name': 'x-4', 'chips': 4, 'topology': '2x2' } ]"),
                 "devices[0] (sku \"x\")", "\"slice_naming\"", NULL);
  assert_refused(DEVICE("'slice_naming': 'chips', 'torus': '4d', 'slices': []"), "devices[0] (sku \"x\")",
                 "\"torus\"", NULL);
}

static void
test_wrong_catalog_name(void)
{
  assert_refused("{ 'catalog': 'tpu', 'schema_version': 1, 'sources': {}, 'devices': [] }",
                 "\"catalog\": expected \"gpu\", got \"tpu\"", NULL);
  assert_refused("{ 'schema_version': 1, 'sources': {}, 'devices': [] }", "\"catalog\": expected \"gpu\"",
                 "(missing)", NULL);
}

static void
test_wrong_schema_version(void)
{
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 2, 'sources': {}, 'devices': [] }",
                 "\"schema_version\": expected 1", NULL);
  assert_refused("{ 'catalog': 'gpu', 'sources': {}, 'devices': [] }", "\"schema_version\": expected 1", NULL);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': '1', 'sources': {}, 'devices': [] }",
                 "\"schema_version\": expected 1", NULL);
}

/* ---- the bundled catalogs ---- */

static const char *const bundled[] = {"gpu", "tpu", "cpu"};
/* The catalogs whose prices the lint reads: the bundled ones and the Trainium plugin's (plugins/trainium, built
 * against the installed SDK, so not in bundled[]; its source dates are checked there less strictly). */
static const char *const priced[] = {"gpu", "tpu", "cpu", "trainium"};
/* What the shipped catalogs price at least (docs/devices.md, "Prices"). */
#define PRICE_LINT_MIN_ON_DEMAND 33
#define PRICE_LINT_MIN_SPOT 22
#define PRICE_LINT_MIN_1Y 21
#define PRICE_LINT_MIN_3Y 18

static void
check_fields_sourced(const TsCatalog *c, const char *entry, const GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++) {
    const TsField *f = g_ptr_array_index(fields, i);
    const TsSource *s = g_hash_table_lookup(c->sources, f->source);
    if (s == NULL) {
      g_autofree char *m =
        g_strdup_printf("%s: %s field \"%s\" cites \"%s\", which is not in sources", c->path, entry, f->name, f->source);
      g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, m);
    }
    g_assert_nonnull(f->stated);
    g_assert_cmpstr(f->stated, !=, "");
    g_assert_nonnull(f->text);
    if (f->quantity.dim == TS_DIM_PRICE) {
      g_assert_nonnull(f->region);
      g_assert_cmpint(f->quantity.per, !=, TS_PRICE_NONE);
    }
  }
}

/* "role": what a catalog's devices are to a run, as data (core names no plugin): "host" marks host CPUs; the
 * default is accelerators; anything else is refused by name. */
static void
test_role(void)
{
  const char *host = "{ 'catalog': 'somecpu', 'schema_version': 1, 'role': 'host', 'sources': {},"
                     "  'devices': [ { 'sku': 'X-1', 'name': 'X 1', 'generation': 'X' } ] }";
  const char *plain = "{ 'catalog': 'somecpu', 'schema_version': 1, 'sources': {},"
                      "  'devices': [ { 'sku': 'X-1', 'name': 'X 1', 'generation': 'X' } ] }";
  g_autoptr(GError) error = NULL;
  TsCatalog *c = load_text(host, "host.json", "somecpu", &error);
  g_assert_no_error(error);
  g_assert_true(c->host_role);
  ts_catalog_free(c);
  c = load_text(plain, "plain.json", "somecpu", &error);
  g_assert_no_error(error);
  g_assert_false(c->host_role);
  ts_catalog_free(c);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1, 'role': 'cpu', 'sources': {}, 'devices': [] }",
                 "\"role\": expected \"accelerator\" or \"host\"", NULL);
  assert_refused("{ 'catalog': 'gpu', 'schema_version': 1, 'role': 1, 'sources': {}, 'devices': [] }",
                 "\"role\": expected", NULL);
}

static void
test_bundled(void)
{
  g_autoptr(GRegex) date_re = g_regex_new("^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$", 0, 0, NULL);
  g_assert_nonnull(date_re);
  TsCatalog *catalogs[G_N_ELEMENTS(bundled)];
  for (gsize k = 0; k < G_N_ELEMENTS(bundled); k++) {
    g_autofree char *file = g_strconcat(bundled[k], ".json", NULL);
    g_autofree char *path = g_build_filename(TS_SOURCE_DIR, "plugins", bundled[k], file, NULL);
    g_autoptr(GError) error = NULL;
    TsCatalog *c = ts_catalog_load(path, bundled[k], &error);
    g_assert_no_error(error);
    g_assert_nonnull(c);
    catalogs[k] = c;
    /* the bundled host-CPU catalog says so; the accelerators' do not */
    g_assert_cmpint(c->host_role, ==, g_strcmp0(bundled[k], "cpu") == 0);
    g_assert_cmpuint(c->devices->len, >=, 1);
    g_assert_cmpuint(g_hash_table_size(c->sources), >=, 1);

    /* Every source says where and when. */
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, c->sources);
    while (g_hash_table_iter_next(&it, &key, &value)) {
      const TsSource *s = value;
      g_assert_cmpstr(s->key, ==, key);
      g_assert_nonnull(s->title);
      g_assert_cmpstr(s->title, !=, "");
      g_assert_nonnull(s->url);
      g_assert_true(g_str_has_prefix(s->url, "https://") || g_str_has_prefix(s->url, "http://"));
      g_assert_nonnull(s->date);
      if (!g_regex_match(date_re, s->date, 0, NULL)) {
        g_autofree char *m = g_strdup_printf("%s: source %s: date \"%s\" is not YYYY-MM or YYYY-MM-DD", path,
                                             s->key, s->date);
        g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, m);
      }
    }

    /* Every number cites a source that is there; every slice's chips match its shape. */
    for (guint d = 0; d < c->devices->len; d++) {
      const TsDeviceRecord *rec = g_ptr_array_index(c->devices, d);
      g_assert_cmpstr(rec->plugin, ==, bundled[k]);
      g_assert_cmpstr(rec->sku, !=, "");
      g_assert_true(ts_catalog_find_device(c, rec->sku) == rec);
      check_fields_sourced(c, rec->sku, rec->fields);
      for (guint i = 0; i < rec->slices->len; i++) {
        const TsSlice *s = &g_array_index(rec->slices, TsSlice, i);
        g_assert_cmpuint(s->chips, ==, s->dims[0] * s->dims[1] * s->dims[2]);
      }
      if (rec->slices->len > 0)
        g_assert_true(rec->torus_rank == 2 || rec->torus_rank == 3);
    }
    for (guint i = 0; i < c->instances->len; i++) {
      const TsInstanceRecord *r = g_ptr_array_index(c->instances, i);
      check_fields_sourced(c, r->name, r->fields);
    }
  }

  /* Every instance names a device some bundled catalog lists. */
  for (gsize k = 0; k < G_N_ELEMENTS(bundled); k++) {
    for (guint i = 0; i < catalogs[k]->instances->len; i++) {
      const TsInstanceRecord *r = g_ptr_array_index(catalogs[k]->instances, i);
      gboolean found = FALSE;
      for (gsize j = 0; j < G_N_ELEMENTS(bundled) && !found; j++)
        found = ts_catalog_find_device(catalogs[j], r->device_sku) != NULL;
      if (!found) {
        g_autofree char *m = g_strdup_printf("%s: instance %s names device \"%s\", which no bundled catalog lists",
                                             catalogs[k]->path, r->name, r->device_sku);
        g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, m);
      }
    }
  }
  for (gsize k = 0; k < G_N_ELEMENTS(bundled); k++)
    ts_catalog_free(catalogs[k]);
}

G_GNUC_PRINTF(1, 2)
static void
price_lint_fail(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  g_autofree char *m = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, "price-lint", m);
}

/* One record's prices: each with a machine unit, a region and a dated source; the same unit for every term
 * (else they cannot be compared, and a scenario switching `pricing` would bill a different thing); and the
 * order every provider's discounts follow (spot and each longer commitment no dearer than on-demand, 3 years
 * no dearer than 1), which catches a price typed into the wrong slot. */
static guint
lint_prices(const TsCatalog *c, const char *entry, const TsPrice *prices, gboolean instance)
{
  guint listed = 0;
  for (int p = 0; p < TS_PRICING_COUNT; p++) {
    const TsPrice *pr = &prices[p];
    if (pr->field == NULL)
      continue;
    listed++;
    const TsSource *s = g_hash_table_lookup(c->sources, pr->field->source);
    if (s == NULL || s->date == NULL || strlen(s->date) < 7)
      price_lint_fail("%s: %s %s: source \"%s\" has no date", c->path, entry, pr->field->name, pr->field->source);
    if (pr->field->region == NULL || pr->field->region[0] == '\0')
      price_lint_fail("%s: %s %s: no region", c->path, entry, pr->field->name);
    if (pr->per < TS_PRICE_CORE_HOUR || pr->per > TS_PRICE_NODE_HOUR)
      price_lint_fail("%s: %s %s: \"%s\" is not per core-, chip-, device-, slice-, instance- or node-hour",
                      c->path, entry, pr->field->name, pr->field->text);
    if (instance && pr->per != TS_PRICE_INSTANCE_HOUR)
      price_lint_fail("%s: instance %s %s: \"%s\": an instance is priced per instance-hour", c->path, entry,
                      pr->field->name, pr->field->text);
    if (!(pr->value > 0))
      price_lint_fail("%s: %s %s: \"%s\" is not a price", c->path, entry, pr->field->name, pr->field->text);
    if (prices[TS_PRICING_ON_DEMAND].field != NULL && pr->per != prices[TS_PRICING_ON_DEMAND].per)
      price_lint_fail("%s: %s %s: \"%s\" is not in the on-demand price's unit", c->path, entry, pr->field->name,
                      pr->field->text);
  }
  const TsPrice *od = &prices[TS_PRICING_ON_DEMAND], *y1 = &prices[TS_PRICING_COMMITTED_1Y],
                *y3 = &prices[TS_PRICING_COMMITTED_3Y], *spot = &prices[TS_PRICING_SPOT];
  const TsPrice *cheaper[] = {spot, y1, y3};
  for (gsize i = 0; i < G_N_ELEMENTS(cheaper); i++)
    if (od->field != NULL && cheaper[i]->field != NULL && cheaper[i]->value > od->value)
      price_lint_fail("%s: %s %s %g is dearer than on-demand %g", c->path, entry, cheaper[i]->field->name,
                      cheaper[i]->value, od->value);
  if (y1->field != NULL && y3->field != NULL && y3->value > y1->value)
    price_lint_fail("%s: %s 3-year commitment %g is dearer than the 1-year one %g", c->path, entry, y3->value,
                    y1->value);
  return listed;
}

/* The catalogs' prices (issue 14): every one is complete and consistent, and what people rent is priced
 * under each term: counts below which a deleted block of prices would go unnoticed. */
static void
test_bundled_prices(void)
{
  guint listed[TS_PRICING_COUNT] = {0}, total = 0;
  for (gsize k = 0; k < G_N_ELEMENTS(priced); k++) {
    g_autofree char *file = g_strconcat(priced[k], ".json", NULL);
    g_autofree char *path = g_build_filename(TS_SOURCE_DIR, "plugins", priced[k], file, NULL);
    g_autoptr(GError) error = NULL;
    TsCatalog *c = ts_catalog_load(path, priced[k], &error);
    g_assert_no_error(error);
    for (guint d = 0; d < c->devices->len; d++) {
      const TsDeviceRecord *rec = g_ptr_array_index(c->devices, d);
      total += lint_prices(c, rec->sku, rec->price, FALSE);
      for (int p = 0; p < TS_PRICING_COUNT; p++)
        listed[p] += rec->price[p].field != NULL;
    }
    for (guint i = 0; i < c->instances->len; i++) {
      const TsInstanceRecord *r = g_ptr_array_index(c->instances, i);
      total += lint_prices(c, r->name, r->price, TRUE);
      for (int p = 0; p < TS_PRICING_COUNT; p++)
        listed[p] += r->price[p].field != NULL;
    }
    ts_catalog_free(c);
  }
  g_test_message("prices: %u on-demand, %u spot, %u committed-1y, %u committed-3y", listed[TS_PRICING_ON_DEMAND],
                 listed[TS_PRICING_SPOT], listed[TS_PRICING_COMMITTED_1Y], listed[TS_PRICING_COMMITTED_3Y]);
  g_assert_cmpuint(total, ==, listed[0] + listed[1] + listed[2] + listed[3]);
  g_assert_cmpuint(listed[TS_PRICING_ON_DEMAND], >=, PRICE_LINT_MIN_ON_DEMAND);
  g_assert_cmpuint(listed[TS_PRICING_SPOT], >=, PRICE_LINT_MIN_SPOT);
  g_assert_cmpuint(listed[TS_PRICING_COMMITTED_1Y], >=, PRICE_LINT_MIN_1Y);
  g_assert_cmpuint(listed[TS_PRICING_COMMITTED_3Y], >=, PRICE_LINT_MIN_3Y);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/catalog/valid", test_valid);
  g_test_add_func("/catalog/binary-memory", test_binary_memory);
  g_test_add_func("/catalog/load-file", test_load_file);
  g_test_add_func("/catalog/invalid-json", test_invalid_json);
  g_test_add_func("/catalog/deep-nesting", test_deep_nesting);
  g_test_add_func("/catalog/missing-sources", test_missing_sources);
  g_test_add_func("/catalog/bad-source", test_bad_source);
  g_test_add_func("/catalog/unknown-source-key", test_unknown_source_key);
  g_test_add_func("/catalog/unknown-field", test_unknown_field);
  g_test_add_func("/catalog/unknown-unit", test_unknown_unit);
  g_test_add_func("/catalog/negative-value", test_negative_value);
  g_test_add_func("/catalog/missing-stated", test_missing_stated);
  g_test_add_func("/catalog/price-without-region", test_price_without_region);
  g_test_add_func("/catalog/price-terms", test_price_terms);
  g_test_add_func("/catalog/duplicate-sku", test_duplicate_sku);
  g_test_add_func("/catalog/missing-identity", test_missing_identity);
  g_test_add_func("/catalog/slice-topology", test_slice_topology);
  g_test_add_func("/catalog/wrong-catalog-name", test_wrong_catalog_name);
  g_test_add_func("/catalog/wrong-schema-version", test_wrong_schema_version);
  g_test_add_func("/catalog/role", test_role);
  g_test_add_func("/catalog/bundled", test_bundled);
  g_test_add_func("/catalog/bundled/prices", test_bundled_prices);
  return g_test_run();
}
