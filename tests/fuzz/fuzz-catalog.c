/* libFuzzer target: the catalog parser (ts_catalog_load_data) and the lookups over what it returns.
 *
 * Input: a catalog file's bytes.  The plugin name it must declare is taken from the input's own
 * "catalog" member (so mutations of the shipped catalogs get past that check), else "gpu".  A parse
 * either fails with a TS_ERROR_CATALOG message naming the file, or returns a catalog whose every record
 * can be looked up by its own name. */
#include "catalog/catalog.h"
#include "common/ts-error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
declared_plugin(const char *data, size_t size)
{
  static const char key[] = "\"catalog\"";
  const char *k = memmem(data, size, key, sizeof key - 1);
  if (k == NULL)
    return g_strdup("gpu");
  const char *end = data + size;
  const char *q = memchr(k + sizeof key - 1, '"', (size_t) (end - (k + sizeof key - 1)));
  if (q == NULL)
    return g_strdup("gpu");
  const char *q2 = memchr(q + 1, '"', (size_t) (end - (q + 1)));
  if (q2 == NULL || q2 - q > 64)
    return g_strdup("gpu");
  return g_strndup(q + 1, (gsize) (q2 - q - 1));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 256 * 1024)
    return 0;
  const char *text = (const char *) data;
  char *plugin = declared_plugin(text, size);
  GError *error = NULL;
  TsCatalog *c = ts_catalog_load_data(text, size, "fuzz.json", plugin, &error);
  if (c == NULL) {
    if (error == NULL || error->domain != TS_ERROR || error->code != TS_ERROR_CATALOG ||
        strstr(error->message, "fuzz.json") == NULL)
      abort();
    g_error_free(error);
    g_free(plugin);
    return 0;
  }
  if (error != NULL)
    abort();
  for (guint i = 0; i < c->devices->len; i++) {
    const TsDeviceRecord *d = g_ptr_array_index(c->devices, i);
    if (d->spec.sku != d->sku || d->spec.size != sizeof(TsDeviceSpec))
      abort();
    if (ts_catalog_find_device(c, d->sku) == NULL)
      abort();
    char *slices = ts_device_record_list_slices(d);
    g_free(slices);
    for (guint s = 0; s < d->slices->len; s++) {
      const TsSlice *sl = &g_array_index(d->slices, TsSlice, s);
      if (ts_device_record_find_slice(d, sl->name) == NULL || sl->chips == 0)
        abort();
    }
    for (int p = 0; p < TS_PRICING_COUNT; p++)
      if (d->price[p].field != NULL && d->price[p].per == TS_PRICE_NONE)
        abort();
  }
  for (guint i = 0; i < c->instances->len; i++) {
    const TsInstanceRecord *r = g_ptr_array_index(c->instances, i);
    if (ts_catalog_find_instance(c, r->name) == NULL)
      abort();
  }
  (void) ts_catalog_get_price_date(c);
  ts_catalog_free(c);
  g_free(plugin);
  return 0;
}
