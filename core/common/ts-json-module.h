/* The JSON module (trainsim-json.so): json-glib's reading of the bytes that the strict parser
 * (common/ts-json-tree.c) does not read exactly, copied into a TsJsonValue tree.  A module of its own, opened the
 * first time such bytes are met, so that a process that reads only plain JSON (every start-up with the shipped
 * catalogs and calibration.json) never loads json-glib and the libraries it brings (GIO, GObject, GModule, libffi,
 * zlib, libmount, libselinux, libblkid): their loading and relocation was most of `trainsim --version`'s
 * instructions (docs/performance.md, section 6).  Built from common/ts-json-glib.c, ts-json.c and ts-error.c; it
 * shares nothing with the executable but GLib, the TsJsonValue layout and the allocator it is handed. */
#ifndef TS_JSON_MODULE_H
#define TS_JSON_MODULE_H

#include "common/ts-json-tree.h"

#include <glib.h>

/* `size` bytes (8-aligned) that live as long as the tree being built. */
typedef void *(*TsJsonAllocFunc)(gsize size, gpointer tree);

typedef struct {
  gsize size;       /* sizeof(TsJsonReader) and sizeof(TsJsonValue) as the module was built: a module of */
  gsize value_size; /* another build is refused rather than trusted */
  /* ts_json_parse_data's reading of `data` (limits, json-glib, the non-finite check), then its tree copied into
   * `root`, containers' children and strings in memory from `alloc`.  FALSE with its error otherwise. */
  gboolean (*read)(const char *data, gsize len, const char *path, gsize max_bytes, int code, TsJsonValue *root,
                   TsJsonAllocFunc alloc, gpointer tree, GError **error);
} TsJsonReader;

#define TS_JSON_READER_SYMBOL "ts_json_reader"

#endif
