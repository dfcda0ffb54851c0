/* json-glib's reading (common/ts-json-glib.h) and the JSON module's entry point (common/ts-json-module.h): the
 * reading of bytes that the strict parser hands over, copied into its tree. */
#include "common/ts-json-glib.h"

#include "common/ts-error.h"
#include "common/ts-json-module.h"

#include <math.h>
#include <string.h>

/* TRUE when a number in the tree is not finite: json-glib reads 1e400 as infinity, which JSON cannot write
 * back (a sweep.json limit of 1e308900 came back as null) and no quantity of ours means.  Depth is bounded
 * by ts_json_check_limits, so the recursion is too. */
static gboolean
has_non_finite(JsonNode *node)
{
  switch (json_node_get_node_type(node)) {
  case JSON_NODE_VALUE:
    return json_node_get_value_type(node) == G_TYPE_DOUBLE && !isfinite(json_node_get_double(node));
  case JSON_NODE_ARRAY: {
    JsonArray *a = json_node_get_array(node);
    for (guint i = 0; i < json_array_get_length(a); i++)
      if (has_non_finite(json_array_get_element(a, i)))
        return TRUE;
    return FALSE;
  }
  case JSON_NODE_OBJECT: {
    JsonObjectIter it;
    JsonNode *member;
    json_object_iter_init(&it, json_node_get_object(node));
    while (json_object_iter_next(&it, NULL, &member))
      if (has_non_finite(member))
        return TRUE;
    return FALSE;
  }
  default:
    return FALSE;
  }
}

gboolean
ts_json_parse_data(JsonParser *parser, const char *data, gsize len, const char *path, gsize max_bytes, int code,
                   GError **error)
{
  if (!ts_json_check_limits(data, len, path, max_bytes, code, error))
    return FALSE;
  g_autoptr(GError) jerr = NULL;
  if (!json_parser_load_from_data(parser, data, (gssize) len, &jerr)) {
    /* json-glib's message starts with "<data>:LINE:COL: "; keep the position, name the file. */
    const char *msg = jerr->message;
    g_autofree char *where = NULL;
    const char *sep = g_str_has_prefix(msg, "<data>:") ? strstr(msg, ": ") : NULL;
    if (sep != NULL) {
      where = g_strndup(msg + strlen("<data>"), (gsize) (sep - msg) - strlen("<data>"));
      msg = sep + 2;
    }
    g_set_error(error, TS_ERROR, code, "%s%s: not valid JSON: %s", path, where ? where : "", msg);
    return FALSE;
  }
  JsonNode *root = json_parser_get_root(parser);
  if (root != NULL && has_non_finite(root)) {
    g_set_error(error, TS_ERROR, code, "%s: a number too large to be finite (such as 1e400): not a value this file "
                "can hold", path);
    return FALSE;
  }
  return TRUE;
}

gboolean
ts_json_parse_file(JsonParser *parser, const char *path, gsize max_bytes, int code, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!ts_file_read_bounded(path, max_bytes, code, &data, &len, error))
    return FALSE;
  return ts_json_parse_data(parser, data, len, path, max_bytes, code, error);
}

/* ---- the module's entry: json-glib's tree copied into the caller's ------------------------------------- */

static const char *
copy_string(const char *s, TsJsonAllocFunc alloc, gpointer tree)
{
  gsize n = strlen(s) + 1;
  char *c = alloc(n, tree);
  memcpy(c, s, n);
  return c;
}

/* Depth is bounded by ts_json_check_limits, so the recursion is too. */
static void
copy_node(JsonNode *node, TsJsonValue *v, TsJsonAllocFunc alloc, gpointer tree)
{
  memset(v, 0, sizeof *v);
  switch (json_node_get_node_type(node)) {
  case JSON_NODE_NULL:
    v->type = TS_JSON_NULL;
    break;
  case JSON_NODE_VALUE: {
    GType t = json_node_get_value_type(node);
    if (t == G_TYPE_INT64) {
      v->type = TS_JSON_INT;
      v->u.i = json_node_get_int(node);
    } else if (t == G_TYPE_DOUBLE) {
      v->type = TS_JSON_DOUBLE;
      v->u.d = json_node_get_double(node);
    } else if (t == G_TYPE_BOOLEAN) {
      v->type = TS_JSON_BOOLEAN;
      v->u.b = json_node_get_boolean(node);
    } else {
      v->type = TS_JSON_STRING;
      v->u.s = copy_string(json_node_get_string(node) ? json_node_get_string(node) : "", alloc, tree);
    }
    break;
  }
  case JSON_NODE_ARRAY: {
    JsonArray *a = json_node_get_array(node);
    v->type = TS_JSON_ARRAY;
    v->len = json_array_get_length(a);
    TsJsonValue *items = v->len ? alloc(v->len * sizeof *items, tree) : NULL;
    for (guint i = 0; i < v->len; i++)
      copy_node(json_array_get_element(a, i), &items[i], alloc, tree);
    v->u.items = items;
    break;
  }
  case JSON_NODE_OBJECT: {
    JsonObject *o = json_node_get_object(node);
    g_autoptr(GList) members = json_object_get_members(o);
    v->type = TS_JSON_OBJECT;
    v->len = g_list_length(members);
    TsJsonValue *items = v->len ? alloc(v->len * sizeof *items, tree) : NULL;
    const char **keys = v->len ? alloc(v->len * sizeof *keys, tree) : NULL;
    guint i = 0;
    for (GList *l = members; l != NULL; l = l->next, i++) {
      keys[i] = copy_string(l->data, alloc, tree);
      copy_node(json_object_get_member(o, l->data), &items[i], alloc, tree);
    }
    v->u.items = items;
    v->keys = keys;
    break;
  }
  }
}

static gboolean
read_json(const char *data, gsize len, const char *path, gsize max_bytes, int code, TsJsonValue *root,
          TsJsonAllocFunc alloc, gpointer tree, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (!ts_json_parse_data(parser, data, len, path, max_bytes, code, error))
    return FALSE;
  JsonNode *node = json_parser_get_root(parser);
  if (node != NULL) {
    copy_node(node, root, alloc, tree);
  } else {
    memset(root, 0, sizeof *root);
    root->type = TS_JSON_NULL;
  }
  return TRUE;
}

const TsJsonReader *ts_json_reader(void); /* the module's one entry point */

const TsJsonReader *
ts_json_reader(void)
{
  static const TsJsonReader reader = {sizeof(TsJsonReader), sizeof(TsJsonValue), read_json};
  return &reader;
}
