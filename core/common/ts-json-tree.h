/* A read-only JSON tree for the files trainsim reads at every start-up (plugin catalogs, calibration.json) and
 * for sweep.json (merge, compare).  Why not json-glib's tree: building and freeing its nodes, hash tables and
 * member lists was three quarters of `trainsim run`'s instructions (about 160 per byte of JSON; this parser
 * takes about 15, docs/performance.md section 6).
 *
 * Strings are copied out as they are unescaped: the bytes parsed are never written or kept.
 *
 * The answers are json-glib's: a file this parser does not read exactly as the JSON grammar says (a syntax
 * error, a comment, a duplicate key, an integer of more than 18 digits, a string with a NUL or a lone
 * surrogate, a number too large to be finite, nesting past TS_JSON_MAX_DEPTH) is handed to json-glib through
 * ts_json_parse_data, so every error message is the one json-glib and the limits give, and whatever json-glib
 * accepts is copied into this tree as json-glib reads it.  tests/test-json-tree.c compares both readings of
 * every shipped catalog and a list of edge cases. */
#ifndef TS_JSON_TREE_H
#define TS_JSON_TREE_H

#include <glib.h>

typedef enum {
  TS_JSON_NULL,
  TS_JSON_BOOLEAN,
  TS_JSON_INT,
  TS_JSON_DOUBLE,
  TS_JSON_STRING,
  TS_JSON_ARRAY,
  TS_JSON_OBJECT,
} TsJsonType;

typedef struct TsJsonValue TsJsonValue;

struct TsJsonValue {
  TsJsonType type;
  guint len; /* elements of an array, members of an object */
  union {
    gboolean b;
    gint64 i;
    double d;
    const char *s;
    const TsJsonValue *items; /* an array's elements, an object's member values */
  } u;
  const char *const *keys; /* an object's member names, in the file's order (items[k] is keys[k]'s) */
};

typedef struct TsJsonDoc TsJsonDoc;

/* `data` (not necessarily NUL-terminated) parsed; NULL and TS_ERROR `code` naming `path` otherwise, with the
 * message ts_json_parse_data gives for the same bytes. */
TsJsonDoc *ts_json_doc_parse(const char *data, gsize len, const char *path, gsize max_bytes, int code,
                             GError **error);
/* The same, but the elements of the root object's array `member` are handed to `each` one by one as they are
 * read (each valid only during the call) and not kept: the tree has that array empty.  When json-glib has to
 * read the bytes after all (see above), `each` is called again from index 0 with its reading: a collector
 * starts over at index 0.  Whatever `each` was given, only a non-NULL return means the bytes were JSON. */
typedef void (*TsJsonEachFunc)(const TsJsonValue *element, guint index, gpointer user_data);
TsJsonDoc *ts_json_doc_parse_streaming(const char *data, gsize len, const char *path, gsize max_bytes, int code,
                                       const char *member, TsJsonEachFunc each, gpointer user_data,
                                       GError **error);
/* The same, reading `path` first (ts_file_read_bounded). */
TsJsonDoc *ts_json_doc_load(const char *path, gsize max_bytes, int code, GError **error);
const TsJsonValue *ts_json_doc_get_root(const TsJsonDoc *doc);
/* TRUE when the strict parser read the bytes, FALSE when json-glib did (the tests check which). */
gboolean ts_json_doc_get_strict(const TsJsonDoc *doc);
void ts_json_doc_free(TsJsonDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TsJsonDoc, ts_json_doc_free)

/* An object's member (NULL when `object` is NULL, not an object or has no such member). */
const TsJsonValue *ts_json_value_get_member(const TsJsonValue *object, const char *name);
/* An array's element (NULL when out of range or not an array). */
const TsJsonValue *ts_json_value_get_element(const TsJsonValue *array, guint index);
/* The member when it is of that kind, else NULL (an object, an array). */
const TsJsonValue *ts_json_value_get_object_member(const TsJsonValue *object, const char *name);
const TsJsonValue *ts_json_value_get_array_member(const TsJsonValue *object, const char *name);

/* json-glib's conversions of a value node (json_node_get_*), so the readers ported from it answer the same:
 * a string's text or NULL; an int, a double (truncated), a boolean as 0/1, else 0; a double, an int, a
 * boolean as 0/1, else 0; a boolean, an int or double other than 0, else FALSE.  NULL `value` gives NULL/0. */
const char *ts_json_value_get_string(const TsJsonValue *value);
gint64 ts_json_value_get_int(const TsJsonValue *value);
double ts_json_value_get_double(const TsJsonValue *value);
gboolean ts_json_value_get_boolean(const TsJsonValue *value);
/* A scalar (boolean, number or string): what json-glib calls a value node (null is not one). */
gboolean ts_json_value_is_scalar(const TsJsonValue *value);

/* json_object_get_{string,double,int}_member_with_default: `fallback` when the member is missing, null or an
 * array or object; else the conversion above. */
const char *ts_json_value_get_member_string(const TsJsonValue *object, const char *name, const char *fallback);
double ts_json_value_get_member_double(const TsJsonValue *object, const char *name, double fallback);
gint64 ts_json_value_get_member_int(const TsJsonValue *object, const char *name, gint64 fallback);

#endif
