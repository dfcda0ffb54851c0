/* Every JSON file trainsim reads (catalogs, calibration.json, sweep.json) goes through here, so no file
 * can exhaust the stack with nesting or the memory with size before a parser sees it (docs/testing.md,
 * "Limits").  json-glib's parser recurses once per nesting level and has no depth limit of its own.
 * json-glib itself is not linked into the executable: its reading (common/ts-json-glib.h) lives in the JSON
 * module, opened only for bytes the strict parser (common/ts-json-tree.h) does not read. */
#ifndef TS_JSON_H
#define TS_JSON_H

#include <glib.h>

/* Deepest nesting of arrays and objects accepted; trainsim's own files stay under 8. */
#define TS_JSON_MAX_DEPTH 64
/* Largest catalog or calibration file accepted (the shipped ones are under 100 KiB). */
#define TS_JSON_MAX_BYTES (16u * 1024 * 1024)
/* Largest sweep.json accepted by merge (10 million variants at about 100 bytes each). */
#define TS_JSON_MAX_SWEEP_BYTES (1024u * 1024 * 1024)
/* Largest scenario script a sweep reads into memory once for all its variants (the sandbox's heap is
 * capped far below what a larger one would need to run). */
#define TS_SCRIPT_MAX_BYTES (64u * 1024 * 1024)

/* FALSE with `code` in TS_ERROR when `data` is longer than max_bytes or nests deeper than
 * TS_JSON_MAX_DEPTH; the message names `path` and the line where the limit was crossed. */
gboolean ts_json_check_limits(const char *data, gsize len, const char *path, gsize max_bytes, int code,
                              GError **error);

/* Read a whole regular file of at most max_bytes: TS_ERROR `code` naming the path otherwise. */
gboolean ts_file_read_bounded(const char *path, gsize max_bytes, int code, char **data, gsize *len,
                              GError **error);

#endif
