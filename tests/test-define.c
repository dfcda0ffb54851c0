/* /define/...: devices the catalogs lack (issue 16, item 5) -- declared in a scenario (device { define = {...} })
 * or in a user catalog (--catalog FILE, ts_registry_add_catalog) -- against the same device from the catalog
 * when the numbers are the same, against memory and communication computed here by hand from docs/model.md,
 * and labelled uncalibrated with their inherited constants (docs/model.md, "Calibration inheritance"). */
#include "common/ts-error.h"
#include "plugin/plugin-host.h"
#include "scenario/scenario.h"
#include "test-scenario.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

static TsRegistry *registry;

static TsRun *
run_text(const char *text, GError **error)
{
  return test_scenario_run_text(registry, text, NULL, NULL, error);
}

/* fp32 training of a 100 M-parameter model on one node of 8 GPUs, 1 sample per GPU, 3 steps. */
#define SMALL_RUN                                                                                               \
  "local box = cluster { accelerator = gpu { %s, count = 8%s } }\n"                                             \
  "local d = dataset { samples = 100000, bytes = '1 GB' }\n"                                                    \
  "local m = model { params = 1e8, flops = 1e9, activations = '1 MB' }\n"                                       \
  "run(box, function(r)\n"                                                                                      \
  "  r:train { model = m, data = d, batch = 8, steps = 3, precision = 'fp32', optimizer = 'adam' }\n"          \
  "end)\n"
#define PRICE ", price = '1 USD/device-hour'"

/* V100-SXM2-32GB's catalog numbers, written as a define (tests/test-define.c reads the record to be sure). */
#define V100_DEFINE(name, generation)                                                                           \
  "define = { name = '" name "'" generation ", peak = { fp32 = '15.7 TFLOP/s', fp16 = '125 TFLOP/s' },"         \
  " memory = '32 GiB', memory_bandwidth = '900 GB/s', links = 6, link_bandwidth = '25 GB/s', matmul_tile = 128,"\
  " matmul_units = 80, tdp = '300 W' }"

static const TsDeviceRecord *
catalog_v100(void)
{
  const TsDeviceRecord *v100 = ts_registry_find_device(registry, "gpu", "V100-SXM2-32GB", NULL, NULL);
  g_assert_nonnull(v100);
  /* The define above states what the catalog states: a change to one without the other fails here. */
  g_assert_cmpfloat(v100->spec.peak_dense[TS_PRECISION_FP32], ==, 15.7e12);
  g_assert_cmpfloat(v100->spec.peak_dense[TS_PRECISION_FP16], ==, 125e12);
  g_assert_cmpfloat(v100->spec.memory_bytes, ==, 32.0 * 1024 * 1024 * 1024);
  g_assert_cmpfloat(v100->spec.memory_bandwidth, ==, 900e9);
  g_assert_cmpfloat(v100->spec.links, ==, 6);
  g_assert_cmpfloat(v100->spec.link_bandwidth, ==, 25e9);
  g_assert_cmpfloat(v100->spec.matmul_tile, ==, 128);
  g_assert_cmpfloat(v100->spec.matmul_units, ==, 80);
  g_assert_cmpfloat(v100->spec.runtime_reserved_bytes, ==, 0);
  return v100;
}

static TsRun *
run_small(const char *device, const char *price)
{
  g_autofree char *text = g_strdup_printf(SMALL_RUN, device, price);
  g_autoptr(GError) error = NULL;
  TsRun *run = run_text(text, &error);
  g_assert_no_error(error);
  return run;
}

/* Memory and time by hand, the same for a device from the catalog and one defined with its numbers. */
static void
check_small_by_hand(const TsResults *r)
{
  /* fp32 weights 4 + gradients 4 + Adam 8 bytes per parameter; 1 MB of 16-bit activations per sample, twice
   * that at fp32, one sample per GPU; no runtime reservation stated. */
  double N = 1e8;
  assert_rel(r->peak_device, N * 16 + 2e6, 1e-12);
  /* The gradient all-reduce, 4 N bytes, a ring over the 8 GPUs of the node on 6 NVLink2 links x 25 GB/s x 0.78,
   * 5 us per hop (docs/model.md, "GPU"); exposed: what the backward pass (2/3 of the compute) does not hide. */
  double bw = 6 * 25e9 * 0.78, lat = 5e-6, B = 4 * N;
  double ring = 2.0 * 7 / 8 * B / bw + 2 * 7 * lat;
  assert_rel(r->step.data_exposed, ring - r->step.compute * 2 / 3 * test_stack_overlap(registry, "eager"), 1e-9);
}

static void
test_same_as_catalog(void)
{
  catalog_v100();
  TsRun *cat = run_small("sku = 'V100-SXM2-32GB'", PRICE);
  TsRun *def = run_small(V100_DEFINE("V100-copy", ", generation = 'Volta'"), PRICE);
  const TsResults *a = ts_run_get_results(cat), *b = ts_run_get_results(def);
  check_small_by_hand(a);
  check_small_by_hand(b);
  /* Same numbers, same generation's constants: the same memory, step and run, to the tick and the cent. */
  g_assert_cmpfloat(b->peak_device, ==, a->peak_device);
  g_assert_cmpfloat(b->step.compute, ==, a->step.compute);
  g_assert_cmpfloat(b->step_time_s, ==, a->step_time_s);
  g_assert_cmpfloat(b->total_time_s, ==, a->total_time_s);
  g_assert_cmpfloat(b->cost_total, ==, a->cost_total);
  g_assert_cmpfloat(b->device_capacity, ==, a->device_capacity);
  /* ... but never called calibrated: the catalog's V100 is, the defined one borrows Volta's constants. */
  g_assert_cmpstr(a->calibration, ==, "calibrated on 5 runs");
  g_assert_true(g_str_has_prefix(b->calibration, "uncalibrated: a device the scenario defines; constants of Volta"));
  g_assert_cmpstr(b->device_desc, ==, "V100-copy (defined in the scenario)");
  ts_run_free(cat);
  ts_run_free(def);
}

static void
test_pooled(void)
{
  /* No generation: the constants pooled across vendors, as a catalog device of a vendor without a calibrated
   * generation (a CPU) has them, and the pooled band. */
  const TsDeviceRecord *cpu = ts_registry_find_device(registry, "cpu", "EPYC-9654", NULL, NULL);
  g_assert_nonnull(cpu);
  g_assert_nonnull(strstr(cpu->calibration[0], "pooled across vendors"));
  TsRun *def = run_small(V100_DEFINE("V100-pooled", ""), PRICE);
  TsRun *volta = run_small(V100_DEFINE("V100-volta", ", generation = 'Volta'"), PRICE);
  const TsResults *r = ts_run_get_results(def), *v = ts_run_get_results(volta);
  g_assert_cmpstr(r->calibration, ==, "uncalibrated: a device the scenario defines; constants pooled across vendors");
  g_assert_cmpstr(r->error_band, ==, cpu->band[0]);
  g_assert_cmpstr(v->error_band, ==, cpu->band[0]); /* borrowing Volta's constants does not make it calibrated */
  /* Memory does not depend on the constants.  Time: the pooled matmul efficiency is above Volta's and the memory
   * efficiency is one for every generation, so the pooled device is never slower (this small model's products
   * are bound by their memory traffic, where the two agree). */
  g_assert_cmpfloat(r->peak_device, ==, v->peak_device);
  g_assert_cmpfloat(r->step.compute, <=, v->step.compute);
  ts_run_free(def);
  ts_run_free(volta);
}

static void
test_no_price(void)
{
  /* No price given: time and memory are forecast, the cost is unknown (NaN, null in summary.json) and said. */
  TsRun *run = run_small(V100_DEFINE("V100-free", ", generation = 'Volta'"), "");
  const TsResults *r = ts_run_get_results(run);
  g_assert_true(isnan(r->cost_total));
  g_assert_cmpfloat(r->total_time_s, >, 0);
  gboolean said = FALSE;
  const GPtrArray *diags = ts_run_get_diagnostics(run);
  for (guint i = 0; i < diags->len; i++)
    said = said || strcmp(((TsDiagnostic *) g_ptr_array_index(diags, i))->code, "price-unknown") == 0;
  g_assert_true(said);
  ts_run_free(run);
}

static void
test_tampered(void)
{
  /* The prelude's checks hold at the script's line; a table changed afterwards is caught by the host. */
  const char *changes[] = {"memory = -1", "peak_fp32 = 0/0", "links = 1.5", "nonsense = 3", "name = 42",
                           "memory_bandwidth = nil", "runtime_reserved = 2^40"};
  for (gsize i = 0; i < G_N_ELEMENTS(changes); i++) {
    g_autofree char *text = g_strdup_printf(
      "local acc = gpu { " V100_DEFINE("V100-t", "") ", count = 8 }\n"
      "acc.define.%s\n"
      "local box = cluster { accelerator = acc }\n"
      "run(box, function(r) r:wait('1 h') end)\n", changes[i]);
    g_autoptr(GError) error = NULL;
    TsRun *run = run_text(text, &error);
    g_assert_null(run);
    g_assert_error(error, TS_ERROR, TS_ERROR_SCENARIO);
    g_assert_nonnull(strstr(error->message, "define"));
  }
}

/* A user catalog holding V100-SXM2-32GB's own entry from gpu.json under another SKU, with gpu.json's sources. */
static char *
user_catalog_text(const char *sku, const char *plugin)
{
  const TsPlugin *gpu = ts_registry_find(registry, "gpu");
  g_assert_nonnull(gpu);
  g_autoptr(JsonParser) parser = json_parser_new();
  g_assert_true(json_parser_load_from_file(parser, ts_plugin_get_catalog(gpu)->path, NULL));
  JsonObject *root = json_node_get_object(json_parser_get_root(parser));
  JsonArray *devices = json_object_get_array_member(root, "devices");
  JsonNode *entry = NULL;
  for (guint i = 0; i < json_array_get_length(devices); i++) {
    JsonObject *d = json_array_get_object_element(devices, i);
    if (strcmp(json_object_get_string_member(d, "sku"), "V100-SXM2-32GB") == 0)
      entry = json_node_copy(json_array_get_element(devices, i));
  }
  g_assert_nonnull(entry);
  json_object_set_string_member(json_node_get_object(entry), "sku", sku);
  JsonObject *out = json_object_new();
  json_object_set_string_member(out, "catalog", plugin);
  json_object_set_int_member(out, "schema_version", 1);
  json_object_set_member(out, "sources", json_node_copy(json_object_get_member(root, "sources")));
  JsonArray *list = json_array_new();
  json_array_add_element(list, entry);
  json_object_set_array_member(out, "devices", list);
  g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), out);
  json_object_unref(out);
  return json_to_string(node, TRUE);
}

static char *
write_temp(const char *text)
{
  char *path = NULL;
  int fd = g_file_open_tmp("ts-define-XXXXXX.json", &path, NULL);
  g_assert_cmpint(fd, >=, 0);
  close(fd);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static void
test_user_catalog(void)
{
  /* Refused: a SKU the plugin's catalog has, a plugin not loaded; nothing is merged by a refused file. */
  g_autofree char *dup_text = user_catalog_text("V100-SXM2-32GB", "gpu");
  g_autofree char *dup = write_temp(dup_text);
  g_autoptr(GError) error = NULL;
  g_assert_false(ts_registry_add_catalog(registry, dup, &error));
  g_assert_error(error, TS_ERROR, TS_ERROR_CATALOG);
  g_assert_nonnull(strstr(error->message, "already in"));
  g_clear_error(&error);
  g_autofree char *nope_text = user_catalog_text("V100-elsewhere", "nope");
  g_autofree char *nope = write_temp(nope_text);
  g_assert_false(ts_registry_add_catalog(registry, nope, &error));
  g_assert_nonnull(strstr(error->message, "no loaded plugin"));
  g_clear_error(&error);
  g_assert_null(ts_registry_find_device(registry, "gpu", "V100-elsewhere", NULL, NULL));

  g_autofree char *text = user_catalog_text("V100-SXM3-32GB", "gpu");
  g_autofree char *path = write_temp(text);
  g_assert_true(ts_registry_add_catalog(registry, path, &error));
  g_assert_no_error(error);
  g_unlink(dup);
  g_unlink(nope);
  g_unlink(path);
  catalog_v100();
  TsRun *cat = run_small("sku = 'V100-SXM2-32GB'", PRICE);
  TsRun *user = run_small("sku = 'V100-SXM3-32GB'", PRICE);
  const TsResults *a = ts_run_get_results(cat), *b = ts_run_get_results(user);
  check_small_by_hand(b);
  g_assert_cmpfloat(b->peak_device, ==, a->peak_device);
  g_assert_cmpfloat(b->step_time_s, ==, a->step_time_s);
  g_assert_cmpfloat(b->total_time_s, ==, a->total_time_s);
  g_assert_cmpfloat(b->cost_total, ==, a->cost_total);
  g_assert_true(g_str_has_prefix(b->calibration, "uncalibrated: from the user catalog "));
  g_assert_nonnull(strstr(b->calibration, "constants of Volta"));
  /* Provenance: the run names the user catalog among the catalogs it read. */
  const GPtrArray *cats = ts_run_get_catalogs(user);
  gboolean named = FALSE;
  for (guint i = 0; i < cats->len; i++)
    named = named || strcmp(((const TsCatalog *) g_ptr_array_index(cats, i))->path, path) == 0;
  g_assert_true(named);
  ts_run_free(cat);
  ts_run_free(user);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  registry = test_registry_new();
  g_test_add_func("/define/same-as-catalog", test_same_as_catalog);
  g_test_add_func("/define/pooled", test_pooled);
  g_test_add_func("/define/no-price", test_no_price);
  g_test_add_func("/define/tampered", test_tampered);
  g_test_add_func("/define/user-catalog", test_user_catalog);
  int rc = g_test_run();
  ts_registry_free(registry);
  return rc;
}
