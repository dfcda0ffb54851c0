/* json-glib's reading of a JSON file within the limits of common/ts-json.h.  Linked into the JSON module
 * (common/ts-json-module.h) and the tests, never into the executable. */
#ifndef TS_JSON_GLIB_H
#define TS_JSON_GLIB_H

#include "common/ts-json.h"

#include <glib.h>
#include <json-glib/json-glib.h>

/* Check the limits, then parse into `parser`.  Errors are TS_ERROR `code` and start with "path: ". */
gboolean ts_json_parse_data(JsonParser *parser, const char *data, gsize len, const char *path, gsize max_bytes,
                            int code, GError **error);

/* Read `path` (refusing a file over max_bytes before reading it), check the limits and parse. */
gboolean ts_json_parse_file(JsonParser *parser, const char *path, gsize max_bytes, int code, GError **error);

#endif
