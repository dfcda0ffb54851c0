/* /json-tree/...: the strict parser of core/common/ts-json-tree.c reads every file as json-glib does (same
 * types, the same bits in every double, the same strings and member order), and whatever it does not read
 * itself ends in json-glib's own reading or message. */
#include "common/ts-error.h"
#include "common/ts-json-tree.h"
#include "common/ts-json-glib.h"
#include "output/report-page.h"
#include "test-util.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* Fails the test at the first difference between json-glib's node and our value, naming where. */
static void
assert_same(JsonNode *node, const TsJsonValue *v, const char *where)
{
  switch (json_node_get_node_type(node)) {
  case JSON_NODE_NULL:
    if (v->type != TS_JSON_NULL)
      g_error("%s: json-glib null, tree type %d", where, v->type);
    return;
  case JSON_NODE_VALUE: {
    GType t = json_node_get_value_type(node);
    if (t == G_TYPE_INT64) {
      if (v->type != TS_JSON_INT || v->u.i != json_node_get_int(node))
        g_error("%s: json-glib int %" G_GINT64_FORMAT ", tree type %d", where, json_node_get_int(node), v->type);
    } else if (t == G_TYPE_DOUBLE) {
      double d = json_node_get_double(node);
      if (v->type != TS_JSON_DOUBLE || memcmp(&d, &v->u.d, sizeof d) != 0)
        g_error("%s: json-glib double %.17g, tree type %d value %.17g", where, d, v->type,
                v->type == TS_JSON_DOUBLE ? v->u.d : NAN);
    } else if (t == G_TYPE_BOOLEAN) {
      if (v->type != TS_JSON_BOOLEAN || v->u.b != json_node_get_boolean(node))
        g_error("%s: json-glib boolean, tree type %d", where, v->type);
    } else {
      if (v->type != TS_JSON_STRING || g_strcmp0(v->u.s, json_node_get_string(node)) != 0)
        g_error("%s: json-glib string \"%s\", tree type %d \"%s\"", where, json_node_get_string(node), v->type,
                v->type == TS_JSON_STRING ? v->u.s : "");
    }
    /* The conversions the readers use answer as json-glib's getters do. */
    g_assert_cmpint(ts_json_value_get_int(v), ==, json_node_get_int(node));
    double a = ts_json_value_get_double(v), b = json_node_get_double(node);
    g_assert_true(memcmp(&a, &b, sizeof a) == 0);
    g_assert_cmpint(ts_json_value_get_boolean(v), ==, json_node_get_boolean(node));
    g_assert_cmpstr(ts_json_value_get_string(v), ==, json_node_get_string(node));
    return;
  }
  case JSON_NODE_ARRAY: {
    JsonArray *a = json_node_get_array(node);
    if (v->type != TS_JSON_ARRAY || v->len != json_array_get_length(a))
      g_error("%s: json-glib array of %u, tree type %d len %u", where, json_array_get_length(a), v->type, v->len);
    for (guint i = 0; i < v->len; i++) {
      g_autofree char *w = g_strdup_printf("%s[%u]", where, i);
      assert_same(json_array_get_element(a, i), ts_json_value_get_element(v, i), w);
    }
    return;
  }
  case JSON_NODE_OBJECT: {
    JsonObject *o = json_node_get_object(node);
    g_autoptr(GList) members = json_object_get_members(o);
    if (v->type != TS_JSON_OBJECT || v->len != g_list_length(members))
      g_error("%s: json-glib object of %u, tree type %d len %u", where, g_list_length(members), v->type, v->len);
    guint i = 0;
    for (GList *l = members; l != NULL; l = l->next, i++) {
      g_autofree char *w = g_strdup_printf("%s.%s", where, (const char *) l->data);
      if (strcmp(v->keys[i], l->data) != 0)
        g_error("%s: member %u is \"%s\" in the tree", w, i, v->keys[i]);
      assert_same(json_object_get_member(o, l->data), &v->u.items[i], w);
      g_assert_true(ts_json_value_get_member(v, l->data) == &v->u.items[i]);
      if (!JSON_NODE_HOLDS_VALUE(json_object_get_member(o, l->data)) &&
          !JSON_NODE_HOLDS_NULL(json_object_get_member(o, l->data)))
        continue; /* json-glib's getters with a default are critical warnings on arrays and objects */
      g_assert_cmpfloat(ts_json_value_get_member_double(v, l->data, -7),
                        ==, json_object_get_double_member_with_default(o, l->data, -7));
      g_assert_cmpint(ts_json_value_get_member_int(v, l->data, -7),
                      ==, json_object_get_int_member_with_default(o, l->data, -7));
      g_assert_cmpstr(ts_json_value_get_member_string(v, l->data, "fallback"),
                      ==, json_object_get_string_member_with_default(o, l->data, "fallback"));
    }
    return;
  }
  }
}

/* Both readings of `text`: the same tree, or the same error message. */
static gboolean
check_text(const char *text, gsize len)
{
  g_autoptr(GError) ours = NULL, theirs = NULL;
  g_autoptr(TsJsonDoc) doc = ts_json_doc_parse(text, len, "t.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &ours);
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  gboolean ok = ts_json_parse_data(parser, text, len, "t.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &theirs);
  if (!ok) {
    if (doc != NULL)
      g_error("json-glib refuses %.*s (%s), the tree reads it", (int) MIN(len, 200), text, theirs->message);
    g_assert_cmpstr(ours->message, ==, theirs->message);
    return FALSE;
  }
  if (doc == NULL)
    g_error("json-glib reads %.*s, the tree refuses it: %s", (int) MIN(len, 200), text, ours->message);
  JsonNode *root = json_parser_get_root(parser);
  if (root == NULL)
    g_assert_cmpint(ts_json_doc_get_root(doc)->type, ==, TS_JSON_NULL);
  else
    assert_same(root, ts_json_doc_get_root(doc), "$");
  return ts_json_doc_get_strict(doc);
}

static void
test_edge_cases(void)
{
  static const char *const cases[] = {
    "{}", "[]", "0", "-0", "-0.0", "1", "-1", "1.5", "1e5", "1E5", "1e-5", "1.0e+5", "-2.5E-3", "123456789012345678",
    "-123456789012345678", "1234567890123456789", "12345678901234567890123", "9223372036854775807",
    "-9223372036854775808", "0.1", "0.30000000000000004", "2.2250738585072014e-308", "4.9e-324", "1e308", "1e400",
    "-1e400", "1.7976931348623157e308", "01", "1.", ".5", "+1", "- 1", "-", "1e", "0x10", "true", "false", "null",
    "tru", "nul", "\"\"", "\"a\"", "\"\\u00e9\\u4e2d\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"",
    "\"\\u0000\"", "\"\\u0001\"", "\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"", "\"\\x\"", "\"tab\there\"", "\"é\"",
    "\"\xff\"", "\"\xc3\"", "{\"a\": 1, \"a\": 2}", "{\"a\": 1, \"b\": {\"a\": [1, 2, {\"c\": null}]}}",
    "{\"b\": 1, \"a\": 2, \"c\": 3}", "[1, 2,]", "{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "{a: 1}", "[1] x", "",
    "   ", "/* c */ {}", "// c\n{}", "{\"a\": 1} // c", "[\"a\", 'b']", "[true, false, null, 1, 1.5, \"s\"]",
    "\xef\xbb\xbf{}", "{\"k\": \"v\"}\n\n", "\n\t\r {\"k\" : [ ] , \"l\" : { } }", "[[[[[[[[[[]]]]]]]]]]",
    "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,"
    "\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18,\"s\":19,\"t\":20,\"u\":21,\"v\":22,\"w\":23,\"x\":24,\"y\":25,"
    "\"z\":26,\"a\":27}",
  };
  guint strict = 0;
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
    strict += check_text(cases[i], strlen(cases[i]));
  /* Most of them plain JSON, read by the strict parser itself (what json-glib reads of the rest is above). */
  g_assert_cmpuint(strict, >=, 35);
  static const char plain[] = "{\"a\": [1, 2.5, -3e2, \"x\\u00e9\", true, null]}";
  g_assert_true(check_text(plain, strlen(plain)));
  /* A NUL inside the bytes, and nesting past the limit (the limits' message, not a deep recursion). */
  check_text("[1]\0[2]", 7);
  check_text("{\"a\": \"b\0c\"}", 12);
  GString *deep = g_string_new(NULL);
  for (int i = 0; i < TS_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c(deep, '[');
  for (int i = 0; i < TS_JSON_MAX_DEPTH + 1; i++)
    g_string_append_c(deep, ']');
  check_text(deep->str, deep->len);
  g_string_truncate(deep, 0);
  for (int i = 0; i < TS_JSON_MAX_DEPTH; i++)
    g_string_append(deep, "{\"a\":");
  g_string_append(deep, "1");
  for (int i = 0; i < TS_JSON_MAX_DEPTH; i++)
    g_string_append_c(deep, '}');
  check_text(deep->str, deep->len);
  g_string_free(deep, TRUE);
  /* Over the size limit: the limits' message. */
  g_autoptr(GError) err = NULL;
  g_assert_null(ts_json_doc_parse("[1, 2]", 6, "t.json", 4, TS_ERROR_CATALOG, &err));
  g_assert_nonnull(strstr(err->message, "t.json: 6 bytes, more than the 4 bytes"));
}

/* Every shipped catalog and calibration.json, and the test fixtures' catalogs, read both ways. */
static void
shipped_file(const char *path, const char *text, gsize len, gboolean shipped, gpointer data)
{
  (void) path;
  (void) data;
  /* The shipped files are plain JSON: the strict parser reads them (start-up's speed depends on it). */
  gboolean strict = check_text(text, len);
  if (shipped)
    g_assert_true(strict);
}

static void
test_shipped_files(void)
{
  g_assert_cmpuint(test_foreach_json_file(shipped_file, NULL), >=, 5);
}

typedef struct {
  JsonArray *expected; /* json-glib's reading of the streamed array */
  guint calls, next;
} Stream;

static void
each_run(const TsJsonValue *element, guint index, gpointer user_data)
{
  Stream *st = user_data;
  if (index == 0)
    st->next = 0; /* starts over when json-glib reads the bytes after all */
  g_assert_cmpuint(index, ==, st->next);
  g_autofree char *w = g_strdup_printf("runs[%u]", index);
  assert_same(json_array_get_element(st->expected, index), element, w);
  st->next++;
  st->calls++;
}

/* The root's "runs" handed over one element at a time, in order, each as json-glib reads it, and left empty
 * in the tree; the same when json-glib has to read the file (a comment after the runs: the strict parser has
 * already handed them over once, and starts over). */
static void
test_streaming(void)
{
  static const char *const texts[] = {
    ("{\"kind\": \"sweep\", \"runs\": [{\"index\": 0, \"x\": [1, 2]}, {\"index\": 1, \"s\": \"a\\u00e9\"}, 3, []],"
     " \"after\": {\"runs\": [9]}}"),
    "{\"runs\": [{\"index\": 0}, {\"index\": 1}], \"n\": 2} /* json-glib's */",
    "{\"runs\": []}",
  };
  for (gsize t = 0; t < G_N_ELEMENTS(texts); t++) {
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_assert_true(json_parser_load_from_data(parser, texts[t], -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(parser));
    Stream st = {json_object_get_array_member(root, "runs"), 0, 0};
    g_autoptr(GError) err = NULL;
    g_autoptr(TsJsonDoc) doc = ts_json_doc_parse_streaming(texts[t], strlen(texts[t]), "t.json", TS_JSON_MAX_BYTES,
                                                           TS_ERROR_USAGE, "runs", each_run, &st, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(st.next, ==, json_array_get_length(st.expected));
    g_assert_cmpuint(st.calls, ==, t == 1 ? 2 * st.next : st.next);
    g_assert_cmpint(ts_json_doc_get_strict(doc), ==, t != 1);
    const TsJsonValue *runs = ts_json_value_get_array_member(ts_json_doc_get_root(doc), "runs");
    g_assert_nonnull(runs);
    if (t != 1)
      g_assert_cmpuint(runs->len, ==, 0);
    /* Only the root's member is streamed: a nested "runs" stays in the tree. */
    if (t == 0) {
      const TsJsonValue *after = ts_json_value_get_object_member(ts_json_doc_get_root(doc), "after");
      g_assert_cmpuint(ts_json_value_get_array_member(after, "runs")->len, ==, 1);
    }
  }
  /* Not JSON: json-glib's message, whatever was handed over before the error. */
  static const char bad[] = "{\"runs\": [{\"index\": 0}, {\"index\": }]}";
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GError) theirs = NULL, ours = NULL;
  g_assert_false(ts_json_parse_data(parser, bad, strlen(bad), "t.json", TS_JSON_MAX_BYTES, TS_ERROR_USAGE, &theirs));
  g_autoptr(JsonArray) none = json_array_new();
  JsonObject *first = json_object_new();
  json_object_set_int_member(first, "index", 0);
  json_array_add_object_element(none, first);
  Stream st = {none, 0, 0};
  g_assert_null(ts_json_doc_parse_streaming(bad, strlen(bad), "t.json", TS_JSON_MAX_BYTES, TS_ERROR_USAGE, "runs",
                                            each_run, &st, &ours));
  g_assert_cmpstr(ours->message, ==, theirs->message);
}

/* The reports show a parameter's value as json-glib's generator wrote it when they read summary.json with
 * json-glib: report_json_text writes the same bytes for every kind of value, from the tree. */
static void
test_generator_text(void)
{
  GString *all = g_string_new("[");
  for (int c = 1; c < 128; c++) {
    char s[8];
    g_snprintf(s, sizeof s, "\\u%04x", c);
    g_string_append_printf(all, "%s\"a%sb\"", c > 1 ? ", " : "", s);
  }
  g_string_append(all, ", 0, -0, 7, -123456789012345678, 999999999999999999, 0.1, 1.0, -0.0, 1e20, 2.5e300, "
                       "1e-7, 5e-324, 123456789012.5, 1e16, 0.30000000000000004, true, false, null, \"\", "
                       "\"\\u00e9 \\u2603 \\ud83d\\ude00 /\", [], {}, [1, 2.0, \"x\", [null]], "
                       "{\"a\": 1, \"b\": {\"c\": [true]}, \"\\n\": \"\"}]");
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_assert_true(json_parser_load_from_data(parser, all->str, (gssize) all->len, NULL));
  g_autoptr(TsJsonDoc) doc = ts_json_doc_parse(all->str, all->len, "t.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG,
                                               NULL);
  g_assert_nonnull(doc);
  g_assert_true(ts_json_doc_get_strict(doc));
  JsonArray *a = json_node_get_array(json_parser_get_root(parser));
  const TsJsonValue *root = ts_json_doc_get_root(doc);
  g_assert_cmpuint(root->len, ==, json_array_get_length(a));
  g_assert_cmpuint(root->len, >, 140);
  for (guint i = 0; i < root->len; i++) {
    g_autoptr(JsonGenerator) gen = json_generator_new();
    json_generator_set_root(gen, json_array_get_element(a, i));
    g_autofree char *theirs = json_generator_to_data(gen, NULL);
    g_autofree char *ours = report_json_text(&root->u.items[i]);
    g_assert_cmpstr(ours, ==, theirs);
  }
  g_string_free(all, TRUE);
}

/* The JSON module missing: plain JSON is still read (it never needs the module), and anything else is refused
 * with a message naming the file and the module rather than read some other way.  Run in a child, since the
 * module is looked for once per process. */
static void
test_module_missing(void)
{
  if (g_test_subprocess()) {
    g_setenv("TRAINSIM_JSON_MODULE", "/nonexistent/trainsim-json.so", TRUE);
    static const char plain[] = "{\"a\": [1, 2.5, \"x\"]}", comment[] = "/* c */ {\"a\": 1}";
    g_autoptr(TsJsonDoc) doc = ts_json_doc_parse(plain, strlen(plain), "p.json", TS_JSON_MAX_BYTES,
                                                 TS_ERROR_CATALOG, NULL);
    g_assert_nonnull(doc);
    g_autoptr(GError) error = NULL;
    g_assert_null(ts_json_doc_parse(comment, strlen(comment), "c.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG,
                                    &error));
    g_assert_error(error, TS_ERROR, TS_ERROR_CATALOG);
    g_assert_cmpstr(error->message, ==, "c.json: not plain JSON, and cannot load the JSON module "
                                        "/nonexistent/trainsim-json.so: /nonexistent/trainsim-json.so: cannot open "
                                        "shared object file: No such file or directory");
    return;
  }
  g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed();
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/json-tree/edge-cases", test_edge_cases);
  g_test_add_func("/json-tree/shipped-files", test_shipped_files);
  g_test_add_func("/json-tree/streaming", test_streaming);
  g_test_add_func("/json-tree/generator-text", test_generator_text);
  g_test_add_func("/json-tree/module-missing", test_module_missing);
  return g_test_run();
}
