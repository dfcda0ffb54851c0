/* /json-cache/...: the binary cache of JSON trees (core/common/ts-json-cache.c).  A tree read from an image is the
 * parser's tree of the same bytes; an image is used only for the bytes, path and mtime it was made from; a
 * damaged, truncated, forged or foreign image is refused (and rebuilt) without a crash; errors and json-glib's
 * readings are as without the cache. */
#include "common/ts-error.h"
#include "common/ts-json-cache-image.h"
#include "common/ts-json-cache.h"
#include "common/ts-json.h"
#include "test-util.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

/* Fails at the first difference between two trees: types, the bits of every number, strings, member order. */
static void
assert_same_tree(const TsJsonValue *a, const TsJsonValue *b, const char *where)
{
  if (a->type != b->type || a->len != b->len)
    g_error("%s: type %d/%d len %u/%u", where, a->type, b->type, a->len, b->len);
  switch (a->type) {
  case TS_JSON_NULL:
    break;
  case TS_JSON_BOOLEAN:
    g_assert_cmpint(a->u.b, ==, b->u.b);
    break;
  case TS_JSON_INT:
    g_assert_cmpint(a->u.i, ==, b->u.i);
    break;
  case TS_JSON_DOUBLE:
    g_assert_true(memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0);
    break;
  case TS_JSON_STRING:
    g_assert_cmpstr(a->u.s, ==, b->u.s);
    break;
  case TS_JSON_ARRAY:
  case TS_JSON_OBJECT:
    for (guint i = 0; i < a->len; i++) {
      g_autofree char *w = NULL;
      if (a->type == TS_JSON_OBJECT) {
        g_assert_cmpstr(a->keys[i], ==, b->keys[i]);
        w = g_strdup_printf("%s.%s", where, a->keys[i]);
      } else {
        w = g_strdup_printf("%s[%u]", where, i);
      }
      assert_same_tree(&a->u.items[i], &b->u.items[i], w);
    }
    if (a->len == 0)
      g_assert_true(a->u.items == NULL && b->u.items == NULL && a->keys == NULL && b->keys == NULL);
    break;
  }
}

/* The image of `text` (as read from `path` at `mtime`), read back: NULL and `state` when refused. */
static TsJsonDoc *
round_trip(const char *text, gsize len, const char *path, gint64 mtime, const TsJsonDoc *doc,
           TsJsonCacheState *state)
{
  g_autoptr(GBytes) image = ts_json_cache_write_image(doc, text, len, path, mtime);
  gsize n = 0;
  const char *bytes = g_bytes_get_data(image, &n);
  return ts_json_cache_read_image(g_memdup2(bytes, n), n, text, len, path, mtime, state);
}

/* A file's image read back is the parser's tree of it; a fixture that is not plain JSON is never cached. */
static void
same_tree_file(const char *path, const char *text, gsize len, gboolean shipped, gpointer data)
{
  (void) shipped;
  guint *files = data;
  g_autoptr(TsJsonDoc) parsed = ts_json_doc_parse(text, len, path, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL);
  if (parsed == NULL || !ts_json_doc_get_strict(parsed))
    return;
  TsJsonCacheState state;
  g_autoptr(TsJsonDoc) cached = round_trip(text, len, path, 42, parsed, &state);
  g_assert_cmpint(state, ==, TS_JSON_CACHE_HIT);
  g_assert_nonnull(cached);
  g_assert_true(ts_json_doc_get_strict(cached));
  assert_same_tree(ts_json_doc_get_root(parsed), ts_json_doc_get_root(cached), path);
  (*files)++;
}

static void
test_same_tree(void)
{
  guint files = 0;
  test_foreach_json_file(same_tree_file, &files);
  g_assert_cmpuint(files, >=, 5);
  /* Scalars, empty containers, escapes and non-ASCII text at the root and inside. */
  static const char *const texts[] = {"3", "-2.5e-3", "\"x\"", "null", "true", "[]", "{}", "[[], {}, [[]]]",
                                      "{\"a\\u00e9\\n\": [1, 2.0, \"\\ud83d\\ude00 \\u00d7\"], \"b\": {\"c\": null}}"};
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    gsize len = strlen(texts[i]);
    g_autoptr(TsJsonDoc) parsed = ts_json_doc_parse(texts[i], len, "t.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG,
                                                    NULL);
    g_assert_nonnull(parsed);
    TsJsonCacheState state;
    g_autoptr(TsJsonDoc) cached = round_trip(texts[i], len, "t.json", 1, parsed, &state);
    g_assert_cmpint(state, ==, TS_JSON_CACHE_HIT);
    assert_same_tree(ts_json_doc_get_root(parsed), ts_json_doc_get_root(cached), texts[i]);
  }
}

/* A scratch directory holding the cache (TRAINSIM_JSON_CACHE) and a source file. */
typedef struct {
  char *dir, *cache, *source;
} Scratch;

static void
scratch_init(Scratch *s, const char *text)
{
  s->dir = g_dir_make_tmp("ts-json-cache-XXXXXX", NULL);
  g_assert_nonnull(s->dir);
  s->cache = g_build_filename(s->dir, "cache", NULL);
  s->source = g_build_filename(s->dir, "catalog.json", NULL);
  g_assert_true(g_file_set_contents(s->source, text, -1, NULL));
  g_setenv("TRAINSIM_JSON_CACHE", s->cache, TRUE);
}

static void
scratch_clear(Scratch *s)
{
  g_unsetenv("TRAINSIM_JSON_CACHE");
  test_remove_dir(s->dir);
  g_free(s->dir);
  g_free(s->cache);
  g_free(s->source);
}

/* Load the source through the cache: its state, and the tree compared with a plain parse. */
static TsJsonCacheState
load(const Scratch *s)
{
  TsJsonCacheState state;
  g_autoptr(GError) error = NULL;
  g_autoptr(TsJsonDoc) doc = ts_json_doc_load_cached(s->source, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &state, &error);
  g_assert_no_error(error);
  g_autoptr(TsJsonDoc) plain = ts_json_doc_load(s->source, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL);
  assert_same_tree(ts_json_doc_get_root(plain), ts_json_doc_get_root(doc), s->source);
  return state;
}

static void
set_mtime(const char *path, const struct timespec *when)
{
  struct timespec times[2] = {*when, *when};
  g_assert_cmpint(utimensat(AT_FDCWD, path, times, 0), ==, 0);
}

static const char *const SOURCE = "{\"catalog\": \"tpu\", \"devices\": [{\"sku\": \"v9\", \"peak\": 1.5e15}]}";

static void
test_hit_miss_stale(void)
{
  Scratch s;
  scratch_init(&s, SOURCE);
  g_autofree char *image = ts_json_cache_get_file(s.source);
  g_assert_true(g_str_has_prefix(image, s.cache));
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_MISS);
  g_assert_true(g_file_test(image, G_FILE_TEST_IS_REGULAR));
  struct stat st;
  g_assert_cmpint(stat(image, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0777, ==, 0600);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);

  /* Rewritten in place at the same size and mtime: the bytes' hash tells. */
  g_assert_cmpint(stat(s.source, &st), ==, 0);
  g_autofree char *same_size = g_strdup(SOURCE);
  *strstr(same_size, "v9") = 'w';
  g_assert_true(g_file_set_contents(s.source, same_size, -1, NULL));
  set_mtime(s.source, &st.st_mtim);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_STALE);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT); /* rewritten for the new bytes */

  /* Only the mtime changed. */
  struct timespec later = {st.st_mtim.tv_sec + 10, 0};
  set_mtime(s.source, &later);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_STALE);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);

  /* Another size. */
  g_assert_true(g_file_set_contents(s.source, "[1, 2, 3]", -1, NULL));
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_STALE);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);

  /* Another path's image at this path's file name (as a hash collision would leave it). */
  g_autofree char *other = g_build_filename(s.dir, "other.json", NULL);
  g_assert_true(g_file_set_contents(other, "[1, 2, 3]", -1, NULL));
  g_assert_cmpint(stat(s.source, &st), ==, 0);
  set_mtime(other, &st.st_mtim);
  {
    g_autoptr(TsJsonDoc) doc = ts_json_doc_load_cached(other, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL, NULL);
    g_assert_nonnull(doc); /* loading it wrote its image, which the rename below moves */
    g_autofree char *other_image = ts_json_cache_get_file(other);
    g_assert_cmpint(g_rename(other_image, image), ==, 0);
  }
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_STALE);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);

  /* Off: nothing read or written. */
  g_setenv("TRAINSIM_JSON_CACHE", "off", TRUE);
  g_assert_null(ts_json_cache_get_file(s.source));
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_OFF);
  scratch_clear(&s);
}

/* A cache file damaged on disk is refused, the source parsed, and a good image written in its place. */
static void
test_corrupt_file(void)
{
  Scratch s;
  scratch_init(&s, SOURCE);
  g_autofree char *image = ts_json_cache_get_file(s.source);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_MISS);
  g_autofree char *good = NULL;
  gsize len = 0;
  g_assert_true(g_file_get_contents(image, &good, &len, NULL));

  g_autofree char *bad = g_memdup2(good, len);
  bad[len - 20] ^= 0x40;
  const struct {
    const char *bytes;
    gsize len;
  } damaged[] = {{bad, len}, {good, len / 2}, {good, 10}, {"", 0}, {good, len - 1}};
  for (gsize i = 0; i < G_N_ELEMENTS(damaged); i++) {
    g_assert_true(g_file_set_contents_full(image, damaged[i].bytes, (gssize) damaged[i].len,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
    struct stat dst;
    g_assert_cmpint(stat(image, &dst), ==, 0);
    g_test_message("damage %" G_GSIZE_FORMAT " size %ld of %" G_GSIZE_FORMAT, i, (long) dst.st_size, len);
    g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_INVALID);
    g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);
  }
  /* Writable by others: not trusted, replaced by one of ours. */
  g_assert_cmpint(g_chmod(image, 0666), ==, 0);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_UNTRUSTED);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_HIT);
  /* Not a regular file: refused, and the source still read (the image cannot be written over it). */
  g_assert_cmpint(g_unlink(image), ==, 0);
  g_assert_cmpint(g_mkdir(image, 0700), ==, 0);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_UNTRUSTED);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_UNTRUSTED);
  g_assert_cmpint(g_rmdir(image), ==, 0);
  /* A cache directory that cannot be made: the source is read as without a cache. */
  g_autofree char *file_as_dir = g_build_filename(s.dir, "catalog.json", "cache", NULL);
  g_setenv("TRAINSIM_JSON_CACHE", file_as_dir, TRUE);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_MISS);
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_MISS);
  scratch_clear(&s);
}

/* Every single-byte change and every truncation of an image in memory is refused. */
static void
test_every_damage(void)
{
  const char *text = "{\"a\": [1, 2.5, \"\\u00e9t\\u00e9\", true, null, {\"b\": []}], \"c\": \"d\"}";
  gsize len = strlen(text);
  g_autoptr(TsJsonDoc) doc = ts_json_doc_parse(text, len, "d.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL);
  g_autoptr(GBytes) image = ts_json_cache_write_image(doc, text, len, "d.json", 7);
  gsize n = 0;
  const char *bytes = g_bytes_get_data(image, &n);
  for (gsize at = 0; at < n; at++) {
    for (int bit = 0; bit < 8; bit += 3) {
      char *copy = g_memdup2(bytes, n);
      copy[at] ^= (char) (1 << bit);
      TsJsonCacheState state;
      TsJsonDoc *back = ts_json_cache_read_image(copy, n, text, len, "d.json", 7, &state);
      if (back != NULL)
        g_error("a change of byte %" G_GSIZE_FORMAT " bit %d was read as a good image", at, bit);
      g_assert_true(state == TS_JSON_CACHE_INVALID || state == TS_JSON_CACHE_STALE);
    }
  }
  for (gsize cut = 0; cut < n; cut++) {
    TsJsonCacheState state;
    g_assert_null(ts_json_cache_read_image(g_memdup2(bytes, cut), cut, text, len, "d.json", 7, &state));
    g_assert_cmpint(state, ==, TS_JSON_CACHE_INVALID);
  }
  /* Longer than written. */
  char *longer = g_malloc0(n + 8);
  memcpy(longer, bytes, n);
  TsJsonCacheState state;
  g_assert_null(ts_json_cache_read_image(longer, n + 8, text, len, "d.json", 7, &state));
  g_assert_cmpint(state, ==, TS_JSON_CACHE_INVALID);
}

/* Images whose hashes agree (resealed after the change) but whose structure is wrong: each refused. */
typedef struct {
  char *image;
  gsize len;
  TsJsonImageHeader *h;
  TsJsonImageNode *nodes;
  guint32 *keys;
  char *strings;
} Forgery;

static void
forgery_init(Forgery *f, const char *text)
{
  g_autoptr(TsJsonDoc) doc = ts_json_doc_parse(text, strlen(text), "f.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL);
  g_assert_nonnull(doc);
  g_autoptr(GBytes) image = ts_json_cache_write_image(doc, text, strlen(text), "f.json", 3);
  f->image = g_bytes_unref_to_data(g_steal_pointer(&image), &f->len);
  f->h = (TsJsonImageHeader *) f->image;
  f->nodes = (TsJsonImageNode *) (f->image + sizeof *f->h + ((f->h->path_len + 7) & ~7u));
  f->keys = (guint32 *) (f->nodes + f->h->n_nodes);
  f->strings = f->image + f->len - f->h->strings_len;
}

/* The forgery resealed and read: it must be refused. */
static void
assert_refused(Forgery *f, const char *text, const char *what)
{
  ts_json_cache_seal_image(f->image, f->len);
  TsJsonCacheState state;
  TsJsonDoc *doc = ts_json_cache_read_image(f->image, f->len, text, strlen(text), "f.json", 3, &state);
  if (doc != NULL)
    g_error("forged image read as good: %s", what);
  g_assert_cmpint(state, ==, TS_JSON_CACHE_INVALID);
}

static void
test_forged(void)
{
  /* Nodes, breadth first: 0 {a, b, c}; 1 a = [2.5, "x", true]; 2 b = {"d": 1}; 3 c = []; 4 2.5; 5 "x"; 6 true; 7 1. */
  const char *text = "{\"a\": [2.5, \"x\", true], \"b\": {\"d\": 1}, \"c\": []}";
  Forgery f;
#define FORGE(what, change)                                                                                        \
  do {                                                                                                             \
    forgery_init(&f, text);                                                                                        \
    g_assert_cmpuint(f.h->n_nodes, ==, 8);                                                                         \
    change;                                                                                                        \
    assert_refused(&f, text, what);                                                                                \
  } while (0)
  /* The untouched forgery is read (the checks below refuse the change, not the method). */
  forgery_init(&f, text);
  ts_json_cache_seal_image(f.image, f.len);
  TsJsonCacheState state;
  g_autoptr(TsJsonDoc) good = ts_json_cache_read_image(f.image, f.len, text, strlen(text), "f.json", 3, &state);
  g_assert_nonnull(good);

  FORGE("a child before its parent (a cycle)", f.nodes[1].value = 0);
  FORGE("a container its own child", f.nodes[1].value = 1);
  FORGE("a child with two parents", f.nodes[2].value = 4; f.nodes[2].len = 1);
  FORGE("children past the last node", f.nodes[1].len = 9);
  FORGE("a huge length", f.nodes[1].len = G_MAXUINT32);
  FORGE("a node with no parent", f.nodes[1].len = 2);
  FORGE("member names past the table", f.nodes[0].keys = f.h->n_keys - 1);
  FORGE("an array with member names", f.nodes[1].keys = 1);
  FORGE("an empty container with children", f.nodes[3].value = 7);
  FORGE("a string past the table", f.nodes[5].value = f.h->strings_len);
  FORGE("a string starting mid-string", f.nodes[5].value = f.nodes[5].value + 1);
  FORGE("a member name mid-string", f.keys[0] = f.keys[0] + 1);
  FORGE("a boolean of 2", f.nodes[6].value = 2);
  FORGE("an infinite double", double inf = INFINITY; memcpy(&f.nodes[4].value, &inf, 8));
  FORGE("a NaN", double nan = NAN; memcpy(&f.nodes[4].value, &nan, 8));
  FORGE("an unknown type", f.nodes[7].type = 7);
  FORGE("a scalar with a length", f.nodes[7].len = 1);
  FORGE("padding set", f.nodes[7].pad = 1);
  FORGE("invalid UTF-8", f.strings[f.nodes[5].value] = (char) 0xff);
  FORGE("a lone continuation byte", f.strings[f.nodes[5].value] = (char) 0x80);
  FORGE("strings not NUL-terminated", f.strings[f.h->strings_len - 1] = 'x');
  FORGE("no nodes", f.h->n_nodes = 0);
  FORGE("a count that does not match the size", f.h->n_keys += 2);
  FORGE("another format", f.h->format++);
  FORGE("another version", f.h->version[0] ^= 1);
  FORGE("another byte order", f.h->byte_order = 0x04030201);
#undef FORGE

  /* Nesting past TS_JSON_MAX_DEPTH: 65 arrays written as an image (the parser refuses to read such bytes). */
  GString *deep = g_string_new(NULL);
  for (int i = 0; i < TS_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c(deep, '[');
  g_string_append(deep, "[[]]");
  for (int i = 0; i < TS_JSON_MAX_DEPTH - 1; i++)
    g_string_append_c(deep, ']');
  g_autoptr(TsJsonDoc) parsed = ts_json_doc_parse("[[]]", 4, "f.json", TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL);
  g_autoptr(GBytes) shallow = ts_json_cache_write_image(parsed, deep->str, deep->len, "f.json", 3);
  gsize n = 0;
  const char *sb = g_bytes_get_data(shallow, &n);
  /* Rebuilt by hand: TS_JSON_MAX_DEPTH + 1 arrays, each the only element of the one before. */
  const TsJsonImageHeader *sh = (const TsJsonImageHeader *) sb;
  guint32 count = TS_JSON_MAX_DEPTH + 1;
  gsize nodes_at = sizeof *sh + ((sh->path_len + 7) & ~7u);
  gsize size = nodes_at + count * sizeof(TsJsonImageNode) + 1;
  char *img = g_malloc0(size);
  memcpy(img, sb, nodes_at);
  TsJsonImageHeader *h = (TsJsonImageHeader *) img;
  h->n_nodes = count;
  h->n_keys = 0;
  h->strings_len = 1;
  TsJsonImageNode *nodes = (TsJsonImageNode *) (img + nodes_at);
  for (guint32 i = 0; i < count; i++)
    nodes[i] = (TsJsonImageNode){TS_JSON_ARRAY, i + 1 < count ? 1 : 0, i + 1 < count ? i + 1 : 0, 0, 0};
  ts_json_cache_seal_image(img, size);
  g_assert_null(ts_json_cache_read_image(img, size, deep->str, deep->len, "f.json", 3, &state));
  g_assert_cmpint(state, ==, TS_JSON_CACHE_INVALID);
  /* One level less is read. */
  count = TS_JSON_MAX_DEPTH;
  size = nodes_at + count * sizeof(TsJsonImageNode) + 1;
  img = g_malloc0(size);
  memcpy(img, sb, nodes_at);
  h = (TsJsonImageHeader *) img;
  h->n_nodes = count;
  h->n_keys = 0;
  h->strings_len = 1;
  nodes = (TsJsonImageNode *) (img + nodes_at);
  for (guint32 i = 0; i < count; i++)
    nodes[i] = (TsJsonImageNode){TS_JSON_ARRAY, i + 1 < count ? 1 : 0, i + 1 < count ? i + 1 : 0, 0, 0};
  ts_json_cache_seal_image(img, size);
  g_autoptr(TsJsonDoc) deepest = ts_json_cache_read_image(img, size, deep->str, deep->len, "f.json", 3, &state);
  g_assert_nonnull(deepest);
  g_string_free(deep, TRUE);
}

/* What the parser refuses is refused with the same message, and what json-glib reads is not cached. */
static void
test_errors_unchanged(void)
{
  Scratch s;
  scratch_init(&s, "{\"a\": [1, 2,]}");
  g_autofree char *image = ts_json_cache_get_file(s.source);
  g_autoptr(GError) plain = NULL, cached = NULL;
  g_autoptr(TsJsonDoc) a = ts_json_doc_load(s.source, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &plain);
  TsJsonCacheState state;
  g_autoptr(TsJsonDoc) b = ts_json_doc_load_cached(s.source, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &state, &cached);
  g_assert_null(a);
  g_assert_null(b);
  g_assert_error(cached, TS_ERROR, TS_ERROR_CATALOG);
  g_assert_cmpstr(plain->message, ==, cached->message);
  g_assert_false(g_file_test(image, G_FILE_TEST_EXISTS));

  /* A comment: json-glib's reading, every time. */
  g_assert_true(g_file_set_contents(s.source, "{\"a\": 1 /* one */}", -1, NULL));
  for (int i = 0; i < 2; i++) {
    g_autoptr(TsJsonDoc) doc = ts_json_doc_load_cached(s.source, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, &state, NULL);
    g_assert_nonnull(doc);
    g_assert_false(ts_json_doc_get_strict(doc));
    g_assert_cmpint(ts_json_value_get_member_int(ts_json_doc_get_root(doc), "a", 0), ==, 1);
    g_assert_false(g_file_test(image, G_FILE_TEST_EXISTS));
  }
  /* Over the size limit: refused as without a cache, even with an image of the same bytes. */
  g_assert_true(g_file_set_contents(s.source, "[1]", -1, NULL));
  g_assert_cmpint(load(&s), ==, TS_JSON_CACHE_MISS);
  g_autoptr(GError) big = NULL;
  g_assert_null(ts_json_doc_load_cached(s.source, 2, TS_ERROR_CATALOG, &state, &big));
  g_assert_error(big, TS_ERROR, TS_ERROR_CATALOG);
  scratch_clear(&s);
}

/* The directory keeps the newest images only. */
static void
test_prune(void)
{
  Scratch s;
  scratch_init(&s, "[0]");
  for (int i = 0; i < 80; i++) {
    g_autofree char *name = g_strdup_printf("f%02d.json", i);
    g_autofree char *path = g_build_filename(s.dir, name, NULL);
    g_autofree char *text = g_strdup_printf("[%d]", i);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    g_autoptr(TsJsonDoc) doc = ts_json_doc_load_cached(path, TS_JSON_MAX_BYTES, TS_ERROR_CATALOG, NULL, NULL);
    g_assert_nonnull(doc);
  }
  guint images = 0, others = 0;
  g_autoptr(GDir) d = g_dir_open(s.cache, 0, NULL);
  for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
    if (g_str_has_suffix(name, ".tree"))
      images++;
    else
      others++;
  }
  g_assert_cmpuint(images, <=, 64);
  g_assert_cmpuint(images, >=, 32);
  g_assert_cmpuint(others, ==, 0); /* no temporary file left behind */
  scratch_clear(&s);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/json-cache/same-tree", test_same_tree);
  g_test_add_func("/json-cache/hit-miss-stale", test_hit_miss_stale);
  g_test_add_func("/json-cache/corrupt-file", test_corrupt_file);
  g_test_add_func("/json-cache/every-damage", test_every_damage);
  g_test_add_func("/json-cache/forged", test_forged);
  g_test_add_func("/json-cache/errors-unchanged", test_errors_unchanged);
  g_test_add_func("/json-cache/prune", test_prune);
  return g_test_run();
}
