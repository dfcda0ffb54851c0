/* libFuzzer target: the tree cache's image reader (ts_json_cache_read_image, core/common/ts-json-cache.c).
 *
 * Input: an image's bytes.  Its header is made to match a fixed source (magic, format, version, byte order, the
 * source's path, size, mtime and hash) and its own hash is recomputed, so the mutations reach the structural checks
 * that stand between a forged image and the readers.  Either the image is refused, or every node of the tree it
 * gives can be walked: strings are NUL-terminated valid UTF-8, doubles finite, nesting within TS_JSON_MAX_DEPTH. */
#include "common/ts-json-cache-image.h"
#include "common/ts-json-cache.h"
#include "common/ts-json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char SOURCE[] = "{\"catalog\": \"tpu\"}";
static const char PATH[] = "f.json";

static guint
walk(const TsJsonValue *v, guint depth)
{
  if (depth > TS_JSON_MAX_DEPTH + 1)
    abort();
  switch (v->type) {
  case TS_JSON_STRING:
    if (!g_utf8_validate(v->u.s, -1, NULL))
      abort();
    return 1;
  case TS_JSON_DOUBLE:
    if (!isfinite(v->u.d))
      abort();
    return 1;
  case TS_JSON_ARRAY:
  case TS_JSON_OBJECT: {
    guint n = 1;
    for (guint i = 0; i < v->len; i++) {
      if (v->type == TS_JSON_OBJECT && !g_utf8_validate(v->keys[i], -1, NULL))
        abort();
      n += walk(&v->u.items[i], depth + 1);
    }
    return n;
  }
  default:
    return 1;
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 1024 * 1024)
    return 0;
  gsize path_len = strlen(PATH), at = sizeof(TsJsonImageHeader);
  gsize len = MAX(size, at + 8);
  char *image = g_malloc0(len);
  memcpy(image, data, size);
  TsJsonImageHeader h;
  memcpy(&h, image, sizeof h);
  memcpy(h.magic, TS_JSON_IMAGE_MAGIC, sizeof TS_JSON_IMAGE_MAGIC);
  h.format = TS_JSON_IMAGE_FORMAT;
  h.byte_order = 0x01020304;
  memset(h.version, 0, sizeof h.version);
  g_strlcpy(h.version, TS_VERSION, sizeof h.version);
  h.source_size = sizeof SOURCE - 1;
  h.source_mtime_ns = 1;
  h.source_hash = ts_json_cache_hash(SOURCE, sizeof SOURCE - 1);
  h.path_len = (guint32) path_len;
  memcpy(image, &h, sizeof h);
  memcpy(image + at, PATH, path_len);
  ts_json_cache_seal_image(image, len);
  TsJsonCacheState state;
  TsJsonDoc *doc = ts_json_cache_read_image(image, len, SOURCE, sizeof SOURCE - 1, PATH, 1, &state);
  if (doc == NULL) {
    if (state != TS_JSON_CACHE_INVALID)
      abort();
    return 0;
  }
  if (state != TS_JSON_CACHE_HIT || walk(ts_json_doc_get_root(doc), 1) == 0)
    abort();
  ts_json_doc_free(doc);
  return 0;
}
