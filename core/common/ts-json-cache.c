/* The binary cache of JSON trees (ts-json-cache.h): the image's format, its checks, and the cache's files. */
#include "common/ts-json-cache.h"
#include "common/install-dirs.h"
#include "common/ts-json-cache-image.h"

#include "common/ts-json-tree-image.h"
#include "common/ts-json.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Images the cache directory keeps: every temporary catalog a test or a fit writes leaves one. */
#define CACHE_MAX_FILES 64
/* An image is about twice its JSON: bounded so that a stray large file is not read whole. */
#define IMAGE_MAX_BYTES (4 * (gsize) TS_JSON_MAX_BYTES)

G_STATIC_ASSERT(sizeof(TsJsonImageHeader) % 8 == 0);
G_STATIC_ASSERT(sizeof(TsJsonImageNode) == 24);

/* ---- hashing ----------------------------------------------------------------------------------------------- */

/* XXH64 (Yann Collet's xxHash, BSD-2-Clause; the algorithm as its specification gives it): four independent
 * lanes of 8 bytes, so a byte costs about a third of an instruction, a tenth of what parsing it costs.  Not a
 * defence against a forged image (the structural checks are), only against a changed or damaged one. */
#define P1 G_GUINT64_CONSTANT(0x9E3779B185EBCA87)
#define P2 G_GUINT64_CONSTANT(0xC2B2AE3D27D4EB4F)
#define P3 G_GUINT64_CONSTANT(0x165667B19E3779F9)
#define P4 G_GUINT64_CONSTANT(0x85EBCA77C2B2AE63)
#define P5 G_GUINT64_CONSTANT(0x27D4EB2F165667C5)

static inline guint64
rotl64(guint64 x, int r)
{
  return (x << r) | (x >> (64 - r));
}

static inline guint64
read64(const unsigned char *p)
{
  guint64 v;
  memcpy(&v, p, 8);
  return GUINT64_FROM_LE(v);
}

static inline guint64
xxh_round(guint64 acc, guint64 input)
{
  acc += input * P2;
  acc = rotl64(acc, 31);
  return acc * P1;
}

static inline guint64
xxh_merge(guint64 acc, guint64 val)
{
  acc ^= xxh_round(0, val);
  return acc * P1 + P4;
}

static guint64
hash64(const void *data, gsize len)
{
  const unsigned char *p = data, *end = p + len;
  guint64 h;
  if (len >= 32) {
    guint64 v1 = P1 + P2, v2 = P2, v3 = 0, v4 = (guint64) 0 - P1;
    for (; end - p >= 32; p += 32) {
      v1 = xxh_round(v1, read64(p));
      v2 = xxh_round(v2, read64(p + 8));
      v3 = xxh_round(v3, read64(p + 16));
      v4 = xxh_round(v4, read64(p + 24));
    }
    h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    h = xxh_merge(h, v1);
    h = xxh_merge(h, v2);
    h = xxh_merge(h, v3);
    h = xxh_merge(h, v4);
  } else {
    h = P5;
  }
  h += (guint64) len;
  for (; end - p >= 8; p += 8) {
    h ^= xxh_round(0, read64(p));
    h = rotl64(h, 27) * P1 + P4;
  }
  if (end - p >= 4) {
    guint32 v;
    memcpy(&v, p, 4);
    h ^= (guint64) GUINT32_FROM_LE(v) * P1;
    h = rotl64(h, 23) * P2 + P3;
    p += 4;
  }
  for (; p < end; p++) {
    h ^= (guint64) *p * P5;
    h = rotl64(h, 11) * P1;
  }
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

static gsize
pad8(gsize n)
{
  return (n + 7) & ~(gsize) 7;
}

/* ---- writing an image -------------------------------------------------------------------------------------- */

typedef struct {
  GString *strings;
  GHashTable *offsets; /* string -> offset + 1: member names repeat in every device */
} Strings;

static guint32
string_offset(Strings *st, const char *s)
{
  gpointer found = g_hash_table_lookup(st->offsets, s);
  if (found != NULL)
    return (guint32) (GPOINTER_TO_SIZE(found) - 1);
  guint32 off = (guint32) st->strings->len;
  g_string_append_len(st->strings, s, (gssize) strlen(s) + 1);
  g_hash_table_insert(st->offsets, (gpointer) s, GSIZE_TO_POINTER((gsize) off + 1));
  return off;
}

GBytes *
ts_json_cache_write_image(const TsJsonDoc *doc, const char *data, gsize len, const char *path, gint64 mtime_ns)
{
  /* Breadth first: a container's children are consecutive nodes, all after it. */
  g_autoptr(GPtrArray) order = g_ptr_array_new();
  g_autoptr(GArray) nodes = g_array_new(FALSE, TRUE, sizeof(TsJsonImageNode));
  g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(guint32));
  Strings st = {g_string_new(NULL), g_hash_table_new(g_str_hash, g_str_equal)};
  g_ptr_array_add(order, (gpointer) ts_json_doc_get_root(doc));
  for (guint i = 0; i < order->len; i++) {
    const TsJsonValue *v = g_ptr_array_index(order, i);
    TsJsonImageNode n = {(guint32) v->type, 0, 0, 0, 0};
    switch (v->type) {
    case TS_JSON_NULL:
      break;
    case TS_JSON_BOOLEAN:
      n.value = v->u.b ? 1 : 0;
      break;
    case TS_JSON_INT:
      n.value = (guint64) v->u.i;
      break;
    case TS_JSON_DOUBLE:
      memcpy(&n.value, &v->u.d, sizeof n.value);
      break;
    case TS_JSON_STRING:
      n.value = string_offset(&st, v->u.s);
      break;
    case TS_JSON_ARRAY:
    case TS_JSON_OBJECT:
      n.len = v->len;
      if (v->len > 0)
        n.value = order->len;
      if (v->type == TS_JSON_OBJECT && v->len > 0)
        n.keys = keys->len;
      for (guint c = 0; c < v->len; c++) {
        g_ptr_array_add(order, (gpointer) &v->u.items[c]);
        if (v->type == TS_JSON_OBJECT) {
          guint32 off = string_offset(&st, v->keys[c]);
          g_array_append_val(keys, off);
        }
      }
      break;
    }
    g_array_append_val(nodes, n);
  }
  if (st.strings->len == 0)
    g_string_append_c(st.strings, '\0'); /* never empty: its last byte is a NUL */
  g_hash_table_unref(st.offsets);

  gsize path_len = strlen(path);
  gsize size = sizeof(TsJsonImageHeader) + pad8(path_len) + nodes->len * sizeof(TsJsonImageNode) + pad8(keys->len * sizeof(guint32)) +
               st.strings->len;
  char *image = g_malloc0(size);
  TsJsonImageHeader *h = (TsJsonImageHeader *) image;
  memcpy(h->magic, TS_JSON_IMAGE_MAGIC, sizeof TS_JSON_IMAGE_MAGIC);
  h->format = TS_JSON_IMAGE_FORMAT;
  h->byte_order = 0x01020304;
  g_strlcpy(h->version, TS_VERSION, sizeof h->version);
  h->source_size = len;
  h->source_mtime_ns = mtime_ns;
  h->source_hash = hash64(data, len);
  h->path_len = (guint32) path_len;
  h->n_nodes = nodes->len;
  h->n_keys = keys->len;
  h->strings_len = (guint32) st.strings->len;
  char *p = image + sizeof(TsJsonImageHeader);
  memcpy(p, path, path_len);
  p += pad8(path_len);
  memcpy(p, nodes->data, nodes->len * sizeof(TsJsonImageNode));
  p += nodes->len * sizeof(TsJsonImageNode);
  if (keys->len > 0)
    memcpy(p, keys->data, keys->len * sizeof(guint32));
  p += pad8(keys->len * sizeof(guint32));
  memcpy(p, st.strings->str, st.strings->len);
  g_string_free(st.strings, TRUE);
  h->image_hash = hash64(image + sizeof(TsJsonImageHeader), size - sizeof(TsJsonImageHeader));
  return g_bytes_new_take(image, size);
}

/* ---- reading an image -------------------------------------------------------------------------------------- */

/* Each string whole and valid UTF-8 (as the parser leaves them), so a reader never walks off one.  ASCII, most of
 * a catalog, is valid as it is and skipped 8 bytes at a time; a string with a byte above 0x7f is validated. */
static gboolean
strings_valid(const char *strings, gsize n)
{
  if (strings[n - 1] != '\0')
    return FALSE;
  for (gsize at = 0; at < n;) {
    if (at + 8 <= n && (read64((const unsigned char *) strings + at) & G_GUINT64_CONSTANT(0x8080808080808080)) == 0) {
      at += 8;
      continue;
    }
    if ((strings[at] & 0x80) == 0) {
      at++;
      continue;
    }
    gsize first = at, last = at; /* the string holding that byte: from after a NUL to the next NUL */
    while (first > 0 && strings[first - 1] != '\0')
      first--;
    while (strings[last] != '\0')
      last++;
    if (!g_utf8_validate(strings + first, (gssize) (last - first), NULL))
      return FALSE;
    at = last + 1;
  }
  return TRUE;
}

/* An image's tables, once its sizes are checked. */
typedef struct {
  const TsJsonImageNode *nodes;
  guint32 n_nodes;
  const guint32 *key_offsets;
  guint32 n_keys;
  const char *strings;
  guint32 strings_len;
} Tables;

/* The start of a string of the table (not inside one). */
static gboolean
string_at(const Tables *t, guint64 off)
{
  return off < t->strings_len && (off == 0 || t->strings[off - 1] == '\0');
}

/* Node `i` into `values[i]`: FALSE when it breaks a rule (ts-json-cache.h).  depth[i] is 0 for a node no container
 * before it has claimed; its children's are set here. */
static gboolean
build_node(const Tables *t, guint32 i, TsJsonValue *values, const char **keys, guint8 *depth)
{
  const TsJsonImageNode *n = &t->nodes[i];
  TsJsonValue *v = &values[i];
  memset(v, 0, sizeof *v);
  if (depth[i] == 0 || n->pad != 0)
    return FALSE;
  v->type = (TsJsonType) n->type;
  gboolean scalar = n->len == 0 && n->keys == 0;
  switch (n->type) {
  case TS_JSON_NULL:
    return scalar && n->value == 0;
  case TS_JSON_BOOLEAN:
    v->u.b = n->value != 0;
    return scalar && n->value <= 1;
  case TS_JSON_INT:
    v->u.i = (gint64) n->value;
    return scalar;
  case TS_JSON_DOUBLE:
    memcpy(&v->u.d, &n->value, sizeof v->u.d);
    return scalar && isfinite(v->u.d);
  case TS_JSON_STRING:
    if (!scalar || !string_at(t, n->value))
      return FALSE;
    v->u.s = t->strings + n->value;
    return TRUE;
  case TS_JSON_ARRAY:
  case TS_JSON_OBJECT:
    v->len = n->len;
    if (depth[i] > TS_JSON_MAX_DEPTH) /* the parser's limit: no reader recurses deeper */
      return FALSE;
    if (n->len == 0)
      return n->value == 0 && n->keys == 0;
    /* Children after their parent and within the nodes, each with one parent only: a tree. */
    if (n->value <= i || n->value > t->n_nodes || n->len > t->n_nodes - n->value)
      return FALSE;
    for (guint64 c = n->value; c < n->value + n->len; c++) {
      if (depth[c] != 0)
        return FALSE;
      depth[c] = (guint8) (depth[i] + 1);
    }
    v->u.items = &values[n->value];
    if (n->type == TS_JSON_ARRAY)
      return n->keys == 0;
    if (n->keys > t->n_keys || n->len > t->n_keys - n->keys)
      return FALSE;
    v->keys = &keys[n->keys];
    return TRUE;
  default:
    return FALSE;
  }
}

/* The tree when the image checks out (see ts-json-cache.h); `image` is the doc's or freed. */
TsJsonDoc *
ts_json_cache_read_image(char *image, gsize image_len, const char *data, gsize len, const char *path,
                         gint64 mtime_ns, TsJsonCacheState *state)
{
  *state = TS_JSON_CACHE_INVALID;
  TsJsonImageHeader h;
  if (image_len < sizeof h)
    goto fail;
  memcpy(&h, image, sizeof h);
  char version[sizeof h.version] = {0};
  g_strlcpy(version, TS_VERSION, sizeof version);
  if (memcmp(h.magic, TS_JSON_IMAGE_MAGIC, sizeof TS_JSON_IMAGE_MAGIC) != 0 || h.format != TS_JSON_IMAGE_FORMAT ||
      h.byte_order != 0x01020304 || memcmp(h.version, version, sizeof version) != 0)
    goto fail;
  /* Every part's size from the header, in 64 bits (none can overflow: each count is 32 bits), against the file's. */
  guint64 path_at = sizeof h, nodes_at = path_at + pad8(h.path_len),
          keys_at = nodes_at + (guint64) h.n_nodes * sizeof(TsJsonImageNode),
          strings_at = keys_at + pad8((gsize) h.n_keys * sizeof(guint32)), end = strings_at + h.strings_len;
  if (end != image_len || h.n_nodes == 0 || h.strings_len == 0)
    goto fail;
  if (hash64(image + sizeof h, image_len - sizeof h) != h.image_hash)
    goto fail;
  gsize path_len = strlen(path);
  if (h.path_len != path_len || memcmp(image + path_at, path, path_len) != 0 || h.source_size != len ||
      h.source_mtime_ns != mtime_ns || h.source_hash != hash64(data, len)) {
    *state = TS_JSON_CACHE_STALE;
    goto fail;
  }
  Tables t = {(const TsJsonImageNode *) (image + nodes_at), h.n_nodes, (const guint32 *) (image + keys_at), h.n_keys,
              image + strings_at, h.strings_len};
  if (!strings_valid(t.strings, t.strings_len))
    goto fail;

  /* The values, the member names' pointers and each node's depth in one block (the depths are not kept). */
  gsize values_size = (gsize) h.n_nodes * sizeof(TsJsonValue), keys_size = (gsize) h.n_keys * sizeof(char *);
  char *block = g_malloc(values_size + keys_size + h.n_nodes);
  TsJsonValue *values = (TsJsonValue *) block;
  const char **keys = (const char **) (block + values_size);
  guint8 *depth = (guint8 *) (block + values_size + keys_size);
  memset(depth, 0, h.n_nodes);
  for (guint32 k = 0; k < h.n_keys; k++) {
    if (!string_at(&t, t.key_offsets[k]))
      goto fail_block;
    keys[k] = t.strings + t.key_offsets[k];
  }
  depth[0] = 1;
  for (guint32 i = 0; i < h.n_nodes; i++)
    if (!build_node(&t, i, values, keys, depth))
      goto fail_block;
  *state = TS_JSON_CACHE_HIT;
  TsJsonValue root = values[0];
  return ts_json_doc_new_from_image(image, block, &root);

fail_block:
  g_free(block);
fail:
  g_free(image);
  return NULL;
}

/* ---- the cache's files ------------------------------------------------------------------------------------- */

/* Set once, in the probe helper's main before anything else runs there (ts_json_cache_disable): no lock needed. */
static gboolean disabled;

void
ts_json_cache_disable(void)
{
  disabled = TRUE;
}

static char *
cache_dir(void)
{
  return disabled ? NULL : ts_install_get_cache_path("TRAINSIM_JSON_CACHE", "json-trees");
}

char *
ts_json_cache_get_file(const char *path)
{
  g_autofree char *dir = cache_dir();
  if (dir == NULL)
    return NULL;
  char name[40];
  g_snprintf(name, sizeof name, "%016" G_GINT64_MODIFIER "x.tree", hash64(path, strlen(path)));
  return g_build_filename(dir, name, NULL);
}

/* The image file's bytes when it is ours to trust: a regular file owned by us, writable by nobody else. */
static char *
read_image_file(const char *file, gsize *image_len, TsJsonCacheState *state)
{
  int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    *state = TS_JSON_CACHE_MISS; /* none, or none we can open (the directory cannot be made, ...) */
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
    close(fd);
    *state = TS_JSON_CACHE_UNTRUSTED;
    return NULL;
  }
  if (st.st_size <= 0 || (guint64) st.st_size > IMAGE_MAX_BYTES) {
    close(fd);
    *state = TS_JSON_CACHE_INVALID;
    return NULL;
  }
  gsize want = (gsize) st.st_size, got = 0;
  char *buf = g_malloc(want);
  while (got < want) {
    ssize_t n = read(fd, buf + got, want - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += (gsize) n;
  }
  close(fd);
  *image_len = got; /* a file cut short while we read fails the size check */
  return buf;
}

typedef struct {
  char *name;
  gint64 mtime;
} Entry;

static int
compare_mtime(gconstpointer a, gconstpointer b)
{
  const Entry *x = a, *y = b;
  return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/* Keep the newest CACHE_MAX_FILES images: the others go (another process may be removing them too). */
static void
prune(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  if (d == NULL)
    return;
  g_autoptr(GArray) entries = g_array_new(FALSE, FALSE, sizeof(Entry));
  for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
    if (!g_str_has_suffix(name, ".tree"))
      continue;
    g_autofree char *full = g_build_filename(dir, name, NULL);
    struct stat st;
    if (stat(full, &st) != 0)
      continue;
    Entry e = {g_strdup(name), (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec};
    g_array_append_val(entries, e);
  }
  g_dir_close(d);
  if (entries->len > CACHE_MAX_FILES) {
    g_array_sort(entries, compare_mtime);
    for (guint i = 0; i < entries->len - CACHE_MAX_FILES; i++) {
      g_autofree char *full = g_build_filename(dir, g_array_index(entries, Entry, i).name, NULL);
      unlink(full);
    }
  }
  for (guint i = 0; i < entries->len; i++)
    g_free(g_array_index(entries, Entry, i).name);
}

/* Written to a temporary file beside it and renamed over it: readers see the old image or the new one. */
static void
write_image_file(const char *file, GBytes *image)
{
  g_autofree char *dir = g_path_get_dirname(file);
  if (g_mkdir_with_parents(dir, 0700) != 0)
    return;
  g_autofree char *tmp = g_strconcat(file, ".XXXXXX", NULL);
  int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  gsize len = 0;
  const char *p = g_bytes_get_data(image, &len);
  gboolean ok = TRUE;
  while (ok && len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    if (ok) {
      p += n;
      len -= (gsize) n;
    }
  }
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp, file) != 0) {
    unlink(tmp);
    return;
  }
  prune(dir);
}

TsJsonDoc *
ts_json_doc_parse_cached(const char *data, gsize len, const char *path, gsize max_bytes, int code,
                         TsJsonCacheState *state, GError **error)
{
  TsJsonCacheState unused;
  if (state == NULL)
    state = &unused;
  *state = TS_JSON_CACHE_OFF;
  g_autofree char *file = ts_json_cache_get_file(path);
  struct stat st;
  gint64 mtime_ns = 0;
  if (file != NULL && len <= max_bytes && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
    mtime_ns = (gint64) st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    gsize image_len = 0;
    char *image = read_image_file(file, &image_len, state);
    if (image != NULL) {
      TsJsonDoc *doc = ts_json_cache_read_image(image, image_len, data, len, path, mtime_ns, state);
      if (doc != NULL)
        return doc;
    }
  } else {
    g_clear_pointer(&file, g_free);
  }
  TsJsonDoc *doc = ts_json_doc_parse(data, len, path, max_bytes, code, error);
  if (doc != NULL && file != NULL && ts_json_doc_get_strict(doc)) {
    g_autoptr(GBytes) image = ts_json_cache_write_image(doc, data, len, path, mtime_ns);
    write_image_file(file, image);
  }
  return doc;
}

TsJsonDoc *
ts_json_doc_load_cached(const char *path, gsize max_bytes, int code, TsJsonCacheState *state, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (state != NULL)
    *state = TS_JSON_CACHE_OFF;
  if (!ts_file_read_bounded(path, max_bytes, code, &data, &len, error))
    return NULL;
  return ts_json_doc_parse_cached(data, len, path, max_bytes, code, state, error);
}

void
ts_json_cache_seal_image(char *image, gsize len)
{
  if (len < sizeof(TsJsonImageHeader))
    return;
  guint64 hash = hash64(image + sizeof(TsJsonImageHeader), len - sizeof(TsJsonImageHeader));
  memcpy(image + G_STRUCT_OFFSET(TsJsonImageHeader, image_hash), &hash, sizeof hash);
}

guint64
ts_json_cache_hash(const void *data, gsize len)
{
  return hash64(data, len);
}
