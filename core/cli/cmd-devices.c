/* trainsim devices [PLUGIN] and trainsim plugins */
#include "cli/commands.h"
#include "cli/cli-options.h"
#include "cli/cli-print.h"

#include "common/ts-error.h"
#include "output/json-writer.h"
#include "plugin/plugin-host.h"
#include "units/units.h"

#include <stdio.h>
#include <string.h>

static const TsPrecision shown[] = {TS_PRECISION_FP32, TS_PRECISION_TF32, TS_PRECISION_FP16, TS_PRECISION_BF16,
                                    TS_PRECISION_FP8, TS_PRECISION_INT8};

static char *
price_text(const TsPrice *p)
{
  if (p->field == NULL)
    return g_strdup("-");
  return g_strdup_printf("%.10g USD/%s", p->value, ts_price_unit_get_name(p->per));
}

static void
print_device_table(const TsPlugin *p)
{
  const TsCatalog *catalog = ts_plugin_get_catalog(p); /* not NULL: the caller checked, so the descriptor is there */
  const TsPluginDescriptor *desc = ts_plugin_get_descriptor(p);
  ts_cli_print(stdout, "%s — %s\n", p->name, desc->description ? desc->description : "");
  /* The name columns fit the longest name, so that no row (a user catalog's included) pushes its figures out of
   * their columns. */
  int sku_w = 18, inst_w = 22, dev_w = 22;
  for (guint d = 0; d < catalog->devices->len; d++)
    sku_w = MAX(sku_w, (int) g_utf8_strlen(((const TsDeviceRecord *) g_ptr_array_index(catalog->devices, d))->sku, -1));
  for (guint i = 0; i < catalog->instances->len; i++) {
    const TsInstanceRecord *r = g_ptr_array_index(catalog->instances, i);
    inst_w = MAX(inst_w, (int) g_utf8_strlen(r->name, -1));
    dev_w = MAX(dev_w, (int) g_utf8_strlen(r->device_sku, -1));
  }
  ts_cli_print(stdout, "  %-*s", sku_w, "SKU");
  for (gsize i = 0; i < G_N_ELEMENTS(shown); i++)
    ts_cli_print(stdout, " %9s", ts_precision_get_name(shown[i]));
  ts_cli_print(stdout, " %10s %10s  %s\n", "memory", "bandwidth", "price (on demand)");
  for (guint d = 0; d < catalog->devices->len; d++) {
    const TsDeviceRecord *r = g_ptr_array_index(catalog->devices, d);
    ts_cli_print(stdout, "  %-*s", sku_w, r->sku);
    for (gsize i = 0; i < G_N_ELEMENTS(shown); i++) {
      double v = r->spec.peak_dense[shown[i]];
      if (v > 0)
        ts_cli_print(stdout, " %9.1f", v / 1e12);
      else
        ts_cli_print(stdout, " %9s", "-");
    }
    g_autofree char *mem = ts_format_bytes(r->spec.memory_bytes);
    g_autofree char *price = price_text(&r->price[TS_PRICING_ON_DEMAND]);
    ts_cli_print(stdout, " %10s %6.0f GB/s  %s", r->spec.memory_bytes > 0 ? mem : "-", r->spec.memory_bandwidth / 1e9, price);
    if (r->slices->len > 0 && r->price[TS_PRICING_ON_DEMAND].per == TS_PRICE_CHIP_HOUR) {
      /* The slice price makes the unit impossible to misread (docs/devices.md, "Cores, chips, devices"). */
      const TsSlice *s = &g_array_index(r->slices, TsSlice, r->slices->len > 4 ? 4 : r->slices->len - 1);
      ts_cli_print(stdout, "  (%s = %u chips = %.2f USD/slice-hour)", s->name, s->chips, r->price[TS_PRICING_ON_DEMAND].value * s->chips);
    }
    ts_cli_print(stdout, "\n");
  }
  ts_cli_print(stdout, "  peaks: dense TFLOP/s (TOP/s for int8); sparse peaks are listed by `trainsim devices --json`\n");
  if (catalog->instances->len > 0) {
    ts_cli_print(stdout, "  %-*s %-*s %7s %10s  %s\n", inst_w, "instance", dev_w, "device", "count", "host RAM",
                 "price (on demand)");
    for (guint i = 0; i < catalog->instances->len; i++) {
      const TsInstanceRecord *r = g_ptr_array_index(catalog->instances, i);
      g_autofree char *ram = ts_format_bytes(r->ram);
      g_autofree char *price = price_text(&r->price[TS_PRICING_ON_DEMAND]);
      ts_cli_print(stdout, "  %-*s %-*s %7.0f %10s  %s\n", inst_w, r->name, dev_w, r->device_sku, r->devices,
                   r->ram > 0 ? ram : "-", price);
    }
  }
  ts_cli_print(stdout, "\n");
}

static void
json_fields(TsJsonWriter *w, const GPtrArray *fields, const TsCatalog *c)
{
  ts_json_begin_object(w, "fields");
  for (guint i = 0; i < fields->len; i++) {
    const TsField *f = g_ptr_array_index(fields, i);
    const TsSource *s = g_hash_table_lookup(c->sources, f->source);
    ts_json_begin_object(w, f->name);
    ts_json_number(w, "value", f->quantity.value);
    ts_json_string(w, "text", f->text);
    ts_json_string(w, "stated", f->stated);
    if (f->derived)
      ts_json_string(w, "derived", f->derived);
    if (f->region)
      ts_json_string(w, "region", f->region);
    ts_json_string(w, "source", s ? s->url : f->source);
    ts_json_string(w, "date", s ? s->date : NULL);
    ts_json_end_object(w);
  }
  ts_json_end_object(w);
}

static void
json_catalog(TsJsonWriter *w, const TsPlugin *p)
{
  const TsCatalog *catalog = ts_plugin_get_catalog(p);
  ts_json_begin_object(w, NULL);
  ts_json_string(w, "plugin", p->name);
  ts_json_begin_array(w, "devices");
  for (guint d = 0; d < catalog->devices->len; d++) {
    const TsDeviceRecord *r = g_ptr_array_index(catalog->devices, d);
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "sku", r->sku);
    ts_json_string(w, "name", r->name);
    ts_json_string(w, "generation", r->generation);
    if (r->slices->len > 0) {
      ts_json_begin_array(w, "slices");
      for (guint i = 0; i < r->slices->len; i++) {
        const TsSlice *s = &g_array_index(r->slices, TsSlice, i);
        ts_json_begin_object(w, NULL);
        ts_json_string(w, "name", s->name);
        ts_json_int(w, "chips", s->chips);
        const TsPrice *pr = &r->price[TS_PRICING_ON_DEMAND];
        if (pr->field && pr->per == TS_PRICE_CHIP_HOUR)
          ts_json_number(w, "usd_per_slice_hour", pr->value * s->chips);
        ts_json_end_object(w);
      }
      ts_json_end_array(w);
    }
    json_fields(w, r->fields, catalog);
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
  ts_json_begin_array(w, "instances");
  for (guint i = 0; i < catalog->instances->len; i++) {
    const TsInstanceRecord *r = g_ptr_array_index(catalog->instances, i);
    ts_json_begin_object(w, NULL);
    ts_json_string(w, "name", r->name);
    ts_json_string(w, "provider", r->provider);
    ts_json_string(w, "device", r->device_sku);
    json_fields(w, r->fields, catalog);
    ts_json_end_object(w);
  }
  ts_json_end_array(w);
  ts_json_end_object(w);
}

int
ts_cli_devices(int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) catalogs = NULL;
  GOptionEntry entries[] = {TS_CLI_JSON_ENTRY(&json, "Print the catalog as JSON"),
                            TS_CLI_CATALOG_ENTRY(&catalogs), G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) ctx = g_option_context_new("[PLUGIN] - list the device catalog");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim devices: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  TsRegistry *reg = ts_cli_registry_new((const char *const *) catalogs, FALSE);
  if (reg == NULL)
    return TS_EXIT_ERROR;
  const char *only = argc > 1 ? argv[1] : NULL;
  if (only != NULL && ts_registry_find(reg, only) == NULL) {
    /* The refusal of a file of that name says why (refused, crashed, unsafe directory). */
    g_autofree char *needle = g_strdup_printf("/%s.so", only);
    const GPtrArray *refusals = ts_registry_get_refusals(reg);
    const char *why = NULL;
    for (guint i = 0; i < refusals->len && why == NULL; i++)
      if (strstr(g_ptr_array_index(refusals, i), needle) != NULL)
        why = g_ptr_array_index(refusals, i);
    ts_cli_print(stderr, "trainsim devices: no plugin named \"%s\"%s%s\n", only, why ? ": " : " (see trainsim plugins)",
            why ? why : "");
    ts_registry_free(reg);
    return TS_EXIT_ERROR;
  }
  GString *out = g_string_new(NULL);
  TsJsonWriter w;
  ts_json_writer_init(&w, out, TRUE);
  if (json) {
    ts_json_begin_object(&w, NULL);
    ts_json_begin_array(&w, "catalogs");
  }
  for (guint i = 0; i < ts_registry_get_count(reg); i++) {
    const TsPlugin *p = ts_registry_get(reg, i);
    if ((only != NULL && strcmp(p->name, only) != 0) || ts_plugin_get_catalog(p) == NULL)
      continue;
    if (json)
      json_catalog(&w, p);
    else
      print_device_table(p);
  }
  if (json) {
    ts_json_end_array(&w);
    ts_json_end_object(&w);
    fputs(out->str, stdout);
  }
  g_string_free(out, TRUE);
  ts_registry_free(reg);
  return TS_EXIT_OK;
}

int
ts_cli_plugins(int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {TS_CLI_JSON_ENTRY(&json, "Print as JSON"), G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) ctx = g_option_context_new("- list loaded and refused plugins");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    ts_cli_print(stderr, "trainsim plugins: %s\n", error->message);
    return TS_EXIT_ERROR;
  }
  TsRegistry *reg = ts_cli_registry_new(NULL, FALSE);
  if (reg == NULL)
    return TS_EXIT_ERROR;
  const GPtrArray *refusals = ts_registry_get_refusals(reg);
  const GPtrArray *dirs = ts_registry_get_dirs(reg);
  if (json) {
    GString *out = g_string_new(NULL);
    TsJsonWriter w;
    ts_json_writer_init(&w, out, TRUE);
    ts_json_begin_object(&w, NULL);
    ts_json_begin_array(&w, "search_path");
    for (guint i = 0; i < dirs->len; i++)
      ts_json_string(&w, NULL, g_ptr_array_index(dirs, i));
    ts_json_end_array(&w);
    ts_json_begin_array(&w, "plugins");
    for (guint i = 0; i < ts_registry_get_count(reg); i++) {
      const TsPlugin *p = ts_registry_get(reg, i);
      const TsPluginDescriptor *desc = ts_plugin_get_descriptor(p);
      if (desc == NULL)
        continue; /* its deferred load failed: listed with the refused */
      ts_json_begin_object(&w, NULL);
      ts_json_string(&w, "name", p->name);
      ts_json_string(&w, "version", desc->version);
      ts_json_string(&w, "path", p->path);
      ts_json_int(&w, "abi_major", desc->abi_major);
      ts_json_int(&w, "abi_minor", desc->abi_minor);
      ts_json_int(&w, "skus", ts_plugin_get_catalog(p) != NULL ? ts_plugin_get_catalog(p)->devices->len : 0);
      ts_json_end_object(&w);
    }
    ts_json_end_array(&w);
    ts_json_begin_array(&w, "refused");
    for (guint i = 0; i < refusals->len; i++)
      ts_json_string(&w, NULL, g_ptr_array_index(refusals, i));
    for (guint i = 0; i < ts_registry_get_count(reg); i++)
      if (ts_plugin_get_descriptor(ts_registry_get(reg, i)) == NULL)
        ts_json_string(&w, NULL, ts_plugin_get_catalog_error(ts_registry_get(reg, i)));
    ts_json_end_array(&w);
    ts_json_end_object(&w);
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
  } else {
    ts_cli_print(stdout, "search path:\n");
    for (guint i = 0; i < dirs->len; i++)
      ts_cli_print(stdout, "  %s\n", (char *) g_ptr_array_index(dirs, i));
    ts_cli_print(stdout, "plugins (ABI %d.%d):\n", TS_PLUGIN_ABI_MAJOR, TS_PLUGIN_ABI_MINOR);
    int width = 6; /* the name column fits the longest name ("trainium"), so the columns stay aligned */
    for (guint i = 0; i < ts_registry_get_count(reg); i++)
      width = MAX(width, (int) strlen(ts_registry_get(reg, i)->name));
    for (guint i = 0; i < ts_registry_get_count(reg); i++) {
      const TsPlugin *p = ts_registry_get(reg, i);
      const TsPluginDescriptor *desc = ts_plugin_get_descriptor(p);
      if (desc == NULL)
        continue; /* its deferred load failed: listed with the refused */
      ts_cli_print(stdout, "  %-*s %-6s ABI %u.%u  %3u SKUs  %s\n         %s\n", width, p->name, desc->version,
                   desc->abi_major, desc->abi_minor,
                   ts_plugin_get_catalog(p) != NULL ? ts_plugin_get_catalog(p)->devices->len : 0, p->path,
                   desc->description ? desc->description : "");
    }
    for (guint i = 0; i < refusals->len; i++)
      ts_cli_print(stdout, "refused: %s\n", (char *) g_ptr_array_index(refusals, i));
    for (guint i = 0; i < ts_registry_get_count(reg); i++)
      if (ts_plugin_get_descriptor(ts_registry_get(reg, i)) == NULL)
        ts_cli_print(stdout, "refused: %s\n", ts_plugin_get_catalog_error(ts_registry_get(reg, i)));
  }
  ts_registry_free(reg);
  return TS_EXIT_OK;
}
