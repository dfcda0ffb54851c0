/* The read-only JSON tree (ts-json-tree.h): a strict parser over a private copy of the bytes, strings
 * unescaped in place, each container's children copied once into a block of their own; anything it does not
 * read exactly is json-glib's to read (or refuse), and is then copied over from json-glib's tree by the JSON
 * module (common/ts-json-module.h), which only such bytes open. */
#include "common/ts-json-tree.h"
#include "common/ts-json-tree-image.h"

#include "common/install-dirs.h"
#include "common/ts-error.h"
#include "common/ts-json-module.h"
#include "common/ts-json.h"

#include <math.h>
#include <string.h>

struct TsJsonDoc {
  GPtrArray *blocks;   /* g_malloc'd blocks the containers' children and copied strings live in */
  char *bump;          /* free space in the newest block */
  gsize bump_left;
  TsJsonValue root;
  gboolean strict;
};

/* ---- allocation -------------------------------------------------------------------------------------- */

static void *
doc_alloc(TsJsonDoc *doc, gsize size)
{
  size = (size + 7) & ~(gsize) 7;
  if (size > doc->bump_left) {
    gsize block = MAX(size, 64 * 1024);
    char *b = g_malloc(block);
    g_ptr_array_add(doc->blocks, b);
    doc->bump = b;
    doc->bump_left = block;
  }
  void *p = doc->bump;
  doc->bump += size;
  doc->bump_left -= size;
  return p;
}

static TsJsonDoc *
doc_new(void)
{
  TsJsonDoc *doc = g_new0(TsJsonDoc, 1);
  doc->blocks = g_ptr_array_new_with_free_func(g_free);
  return doc;
}

void
ts_json_doc_free(TsJsonDoc *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref(doc->blocks);
  g_free(doc);
}

TsJsonDoc *
ts_json_doc_new_from_image(gpointer image, gpointer values, const TsJsonValue *root)
{
  TsJsonDoc *doc = doc_new();
  g_ptr_array_add(doc->blocks, image);
  g_ptr_array_add(doc->blocks, values);
  doc->root = *root;
  doc->strict = TRUE;
  return doc;
}

gboolean
ts_json_doc_get_strict(const TsJsonDoc *doc)
{
  return doc->strict;
}

const TsJsonValue *
ts_json_doc_get_root(const TsJsonDoc *doc)
{
  return &doc->root;
}

/* ---- the strict parser ------------------------------------------------------------------------------- */

typedef struct {
  TsJsonDoc *doc;
  const char *p, *end;
  guint depth;
  GArray *values;    /* TsJsonValue: the children of the open containers, innermost last */
  GPtrArray *keys;   /* const char *: the member names of the open objects, innermost last */
  const char *stream_member; /* the root object's array whose elements go to `each`, or NULL */
  TsJsonEachFunc each;
  gpointer user_data;
} Parser;

static inline void
skip_space(Parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static int
hex4(const char *s)
{
  int v = 0;
  for (int i = 0; i < 4; i++) {
    int c = (unsigned char) s[i], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return -1;
    v = v * 16 + d;
  }
  return v;
}

/* At the opening quote: the string unescaped into the doc's blocks and NUL-terminated (the bytes parsed are
 * never written: json-glib may have to read them after us); NULL for anything not plain JSON (a control
 * character, a bad escape, \u0000, a lone surrogate, invalid UTF-8). */
/* The bytes a string's scan must stop at: control characters, the quote, the backslash and every byte of a
 * multi-byte UTF-8 sequence (checked afterwards).  The rest, most of a catalog's text, is skipped a byte at a time
 * with one look-up: the scan was a fifth of the start-up's JSON parsing. */
#define R16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char string_stop[256] = {
  R16(1), R16(1),                                  /* 0x00-0x1f: control characters */
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20-0x2f: '"' */
  R16(0), R16(0),                                  /* 0x30-0x4f */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50-0x5f: '\\' */
  R16(0), R16(0),                                  /* 0x60-0x7f */
  R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), /* 0x80-0xff */
};
#undef R16

static const char *
parse_string(Parser *ps)
{
  const char *start = ++ps->p, *q = start;
  gboolean escapes = FALSE, high = FALSE;
  for (;;) { /* where it ends, and whether it needs more than a copy */
    while (q < ps->end && !string_stop[(unsigned char) *q])
      q++;
    if (q >= ps->end)
      return NULL;
    unsigned char c = (unsigned char) *q;
    if (c == '"')
      break;
    if (c < 0x20)
      return NULL;
    if (c >= 0x80)
      high = TRUE;
    if (c == '\\') {
      escapes = TRUE;
      q++;
      if (q >= ps->end)
        return NULL;
    }
    q++;
  }
  gsize n = (gsize) (q - start);
  /* The UTF-8 form of an escape is never longer than the escape (6 bytes for 3, 12 for 4). */
  char *out0 = doc_alloc(ps->doc, n + 1), *out = out0;
  if (!escapes) {
    memcpy(out, start, n);
    out += n;
    ps->p = q;
  }
  while (escapes && ps->p < q) {
    char c = *ps->p;
    if (c != '\\') {
      *out++ = c;
      ps->p++;
      continue;
    }
    char e = ps->p[1];
    ps->p += 2;
    switch (e) {
    case '"': *out++ = '"'; break;
    case '\\': *out++ = '\\'; break;
    case '/': *out++ = '/'; break;
    case 'b': *out++ = '\b'; break;
    case 'f': *out++ = '\f'; break;
    case 'n': *out++ = '\n'; break;
    case 'r': *out++ = '\r'; break;
    case 't': *out++ = '\t'; break;
    case 'u': {
      if (q - ps->p < 4)
        return NULL;
      int u = hex4(ps->p);
      ps->p += 4;
      if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
        return NULL;
      gunichar ch = (gunichar) u;
      if (u >= 0xD800 && u <= 0xDBFF) {
        if (q - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
          return NULL;
        int lo = hex4(ps->p + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
          return NULL;
        ps->p += 6;
        ch = 0x10000 + (((gunichar) u - 0xD800) << 10) + ((gunichar) lo - 0xDC00);
      }
      out += g_unichar_to_utf8(ch, out);
      high = TRUE;
      break;
    }
    default:
      return NULL;
    }
  }
  *out = '\0';
  ps->p = q + 1; /* past the closing quote */
  if (high && !g_utf8_validate(out0, out - out0, NULL))
    return NULL;
  return out0;
}

static gboolean
is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* A number as the JSON grammar writes it: an integer (no fraction, no exponent) of at most 18 digits, or a
 * finite double as strtod rounds it. */
static gboolean
parse_number(Parser *ps, TsJsonValue *v)
{
  const char *start = ps->p, *p = ps->p;
  gboolean negative = p < ps->end && *p == '-';
  if (negative)
    p++;
  const char *digits = p;
  if (p < ps->end && *p == '0')
    p++;
  else if (p < ps->end && *p >= '1' && *p <= '9')
    while (p < ps->end && is_digit(*p))
      p++;
  else
    return FALSE;
  gsize ndigits = (gsize) (p - digits);
  gboolean integer = TRUE;
  if (p < ps->end && *p == '.') {
    p++;
    if (p >= ps->end || !is_digit(*p))
      return FALSE;
    while (p < ps->end && is_digit(*p))
      p++;
    integer = FALSE;
  }
  if (p < ps->end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < ps->end && (*p == '+' || *p == '-'))
      p++;
    if (p >= ps->end || !is_digit(*p))
      return FALSE;
    while (p < ps->end && is_digit(*p))
      p++;
    integer = FALSE;
  }
  if (integer) {
    if (ndigits > 18)
      return FALSE;
    gint64 n = 0;
    for (const char *q = digits; q < p; q++)
      n = n * 10 + (*q - '0');
    v->type = TS_JSON_INT;
    v->u.i = negative ? -n : n;
  } else {
    /* strtod on a NUL-terminated copy, so it stops where the grammar did whatever follows the bytes. */
    char text[64], *endp = NULL;
    gsize n = (gsize) (p - start);
    if (n >= sizeof text)
      return FALSE;
    memcpy(text, start, n);
    text[n] = '\0';
    double d = g_ascii_strtod(text, &endp);
    if (endp != text + n || !isfinite(d))
      return FALSE;
    v->type = TS_JSON_DOUBLE;
    v->u.d = d;
  }
  ps->p = p;
  return TRUE;
}

static gboolean
parse_literal(Parser *ps, const char *word, gsize n)
{
  if ((gsize) (ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
    return FALSE;
  ps->p += n;
  return TRUE;
}

static gboolean parse_value(Parser *ps, TsJsonValue *v);

/* The root object's streamed array: each element parsed, handed to `each`, then its blocks given back, so
 * a sweep.json of 100,000 runs never holds more than one run's tree.  The array itself is left empty. */
static gboolean
parse_streamed_array(Parser *ps, TsJsonValue *v)
{
  ps->depth++;
  ps->p++;
  guint index = 0;
  skip_space(ps);
  if (ps->p < ps->end && *ps->p == ']') {
    ps->p++;
  } else {
    for (;;) {
      skip_space(ps);
      /* A mark in the blocks: what the element allocates is given back after `each`. */
      guint blocks = ps->doc->blocks->len;
      char *bump = ps->doc->bump;
      gsize left = ps->doc->bump_left;
      TsJsonValue element;
      if (!parse_value(ps, &element))
        return FALSE;
      ps->each(&element, index++, ps->user_data);
      g_ptr_array_set_size(ps->doc->blocks, blocks);
      if (blocks > 0) {
        ps->doc->bump = bump;
        ps->doc->bump_left = left;
      } else {
        ps->doc->bump = NULL;
        ps->doc->bump_left = 0;
      }
      skip_space(ps);
      if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        continue;
      }
      if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        break;
      }
      return FALSE;
    }
  }
  memset(v, 0, sizeof *v);
  v->type = TS_JSON_ARRAY;
  ps->depth--;
  return TRUE;
}

/* The children pushed since `mark` moved into a block of their own. */
static const TsJsonValue *
take_children(Parser *ps, guint mark)
{
  guint n = ps->values->len - mark;
  if (n == 0)
    return NULL;
  TsJsonValue *items = doc_alloc(ps->doc, n * sizeof *items);
  memcpy(items, &g_array_index(ps->values, TsJsonValue, mark), n * sizeof *items);
  g_array_set_size(ps->values, mark);
  return items;
}

static gboolean
has_duplicate(const char *const *keys, guint n)
{
  if (n <= 24) {
    /* Pairs compared by a hash of each key first (djb2, the keys are short), strcmp only when two hashes agree. */
    guint32 h[24];
    for (guint i = 0; i < n; i++) {
      guint32 v = 5381;
      for (const unsigned char *c = (const unsigned char *) keys[i]; *c; c++)
        v = v * 33 + *c;
      h[i] = v;
    }
    for (guint i = 1; i < n; i++)
      for (guint j = 0; j < i; j++)
        if (h[i] == h[j] && strcmp(keys[i], keys[j]) == 0)
          return TRUE;
    return FALSE;
  }
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    if (!g_hash_table_add(seen, (gpointer) keys[i]))
      return TRUE;
  return FALSE;
}

static gboolean
parse_container(Parser *ps, TsJsonValue *v, gboolean object)
{
  if (++ps->depth > TS_JSON_MAX_DEPTH)
    return FALSE;
  char close = object ? '}' : ']';
  ps->p++;
  guint mark = ps->values->len, kmark = ps->keys->len;
  skip_space(ps);
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
  } else {
    for (;;) {
      skip_space(ps);
      if (object) {
        if (ps->p >= ps->end || *ps->p != '"')
          return FALSE;
        const char *key = parse_string(ps);
        if (key == NULL)
          return FALSE;
        g_ptr_array_add(ps->keys, (gpointer) key);
        skip_space(ps);
        if (ps->p >= ps->end || *ps->p != ':')
          return FALSE;
        ps->p++;
        skip_space(ps);
      }
      TsJsonValue child;
      gboolean streamed = object && ps->depth == 1 && ps->stream_member != NULL && ps->p < ps->end &&
                          *ps->p == '[' && strcmp(g_ptr_array_index(ps->keys, ps->keys->len - 1),
                                                   ps->stream_member) == 0;
      if (!(streamed ? parse_streamed_array(ps, &child) : parse_value(ps, &child)))
        return FALSE;
      g_array_append_val(ps->values, child);
      skip_space(ps);
      if (ps->p < ps->end && *ps->p == ',') {
        ps->p++;
        continue;
      }
      if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        break;
      }
      return FALSE;
    }
  }
  memset(v, 0, sizeof *v);
  v->type = object ? TS_JSON_OBJECT : TS_JSON_ARRAY;
  v->len = ps->values->len - mark;
  if (object) {
    guint n = ps->keys->len - kmark;
    const char **keys = NULL;
    if (n > 0) {
      keys = doc_alloc(ps->doc, n * sizeof *keys);
      memcpy(keys, &g_ptr_array_index(ps->keys, kmark), n * sizeof *keys);
    }
    g_ptr_array_set_size(ps->keys, kmark);
    /* json-glib keeps the last value of a repeated key at the first one's place: its reading is used. */
    if (has_duplicate(keys, n))
      return FALSE;
    v->keys = keys;
  }
  v->u.items = take_children(ps, mark);
  ps->depth--;
  return TRUE;
}

static gboolean
parse_value(Parser *ps, TsJsonValue *v)
{
  if (ps->p >= ps->end)
    return FALSE;
  memset(v, 0, sizeof *v);
  switch (*ps->p) {
  case '{':
    return parse_container(ps, v, TRUE);
  case '[':
    return parse_container(ps, v, FALSE);
  case '"':
    v->type = TS_JSON_STRING;
    v->u.s = parse_string(ps);
    return v->u.s != NULL;
  case 't':
    v->type = TS_JSON_BOOLEAN;
    v->u.b = TRUE;
    return parse_literal(ps, "true", 4);
  case 'f':
    v->type = TS_JSON_BOOLEAN;
    v->u.b = FALSE;
    return parse_literal(ps, "false", 5);
  case 'n':
    v->type = TS_JSON_NULL;
    return parse_literal(ps, "null", 4);
  default:
    return parse_number(ps, v);
  }
}

static gboolean
parse_strict(TsJsonDoc *doc, const char *data, gsize len, const char *stream_member, TsJsonEachFunc each,
             gpointer user_data)
{
  Parser ps = {doc, data, data + len, 0, g_array_new(FALSE, FALSE, sizeof(TsJsonValue)), g_ptr_array_new(),
               stream_member, each, user_data};
  skip_space(&ps);
  gboolean ok = parse_value(&ps, &doc->root);
  if (ok) {
    skip_space(&ps);
    ok = ps.p == ps.end;
  }
  g_array_unref(ps.values);
  g_ptr_array_unref(ps.keys);
  return ok;
}

/* ---- json-glib's reading, from the JSON module ---------------------------------------------------------- */

static void *
tree_alloc(gsize size, gpointer doc)
{
  return doc_alloc(doc, size);
}

/* The JSON module (common/ts-json-module.h), opened once per process the first time bytes need it: from the
 * build tree for a binary of the build tree, else beside the installed plugins' directory
 * (<libdir>/trainsim/trainsim-json.so); TRAINSIM_JSON_MODULE names another file. */
static const TsJsonReader *
json_reader(const char *path_read, int code, GError **error)
{
  static GMutex mutex;
  static const TsJsonReader *found;
  static char *why;
  g_mutex_lock(&mutex);
  if (found == NULL && why == NULL) {
    g_autofree char *path = NULL;
    const TsJsonReader *(*entry)(void) = NULL;
    *(void **) (&entry) = ts_install_open_module("TRAINSIM_JSON_MODULE", TS_BUILD_JSON_MODULE, TS_JSON_MODULE_NAME,
                                                 TS_JSON_READER_SYMBOL, "the JSON module", &path, &why);
    const TsJsonReader *r = entry != NULL ? entry() : NULL;
    if (entry != NULL && (r == NULL || r->size != sizeof *r || r->value_size != sizeof(TsJsonValue)))
      why = g_strdup_printf("%s is not the JSON module of this trainsim (built from another version)", path);
    else if (entry != NULL)
      found = r;
  }
  const TsJsonReader *r = found;
  if (r == NULL)
    g_set_error(error, TS_ERROR, code, "%s: not plain JSON, and %s", path_read, why);
  g_mutex_unlock(&mutex);
  return r;
}

TsJsonDoc *
ts_json_doc_parse_streaming(const char *data, gsize len, const char *path, gsize max_bytes, int code,
                            const char *member, TsJsonEachFunc each, gpointer user_data, GError **error)
{
  TsJsonDoc *doc = doc_new();
  if (len <= max_bytes && parse_strict(doc, data, len, member, each, user_data)) {
    doc->strict = TRUE;
    return doc;
  }
  ts_json_doc_free(doc);
  /* Not plain JSON as far as this parser goes: json-glib decides, with its messages and the limits'. */
  const TsJsonReader *reader = json_reader(path, code, error);
  if (reader == NULL)
    return NULL;
  doc = doc_new();
  if (!reader->read(data, len, path, max_bytes, code, &doc->root, tree_alloc, doc, error)) {
    ts_json_doc_free(doc);
    return NULL;
  }
  /* The streamed array's elements from json-glib's reading, from index 0 again (`each` starts over). */
  const TsJsonValue *a = member != NULL ? ts_json_value_get_array_member(&doc->root, member) : NULL;
  for (guint i = 0; a != NULL && i < a->len; i++)
    each(&a->u.items[i], i, user_data);
  return doc;
}

TsJsonDoc *
ts_json_doc_parse(const char *data, gsize len, const char *path, gsize max_bytes, int code, GError **error)
{
  return ts_json_doc_parse_streaming(data, len, path, max_bytes, code, NULL, NULL, NULL, error);
}

TsJsonDoc *
ts_json_doc_load(const char *path, gsize max_bytes, int code, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!ts_file_read_bounded(path, max_bytes, code, &data, &len, error))
    return NULL;
  return ts_json_doc_parse(data, len, path, max_bytes, code, error);
}

/* ---- reading ------------------------------------------------------------------------------------------- */

const TsJsonValue *
ts_json_value_get_member(const TsJsonValue *object, const char *name)
{
  if (object == NULL || object->type != TS_JSON_OBJECT)
    return NULL;
  /* The first bytes compared inline: most keys differ there, and a call to strcmp per key was a tenth of the
   * catalogs' reading. */
  for (guint i = 0; i < object->len; i++)
    if (object->keys[i][0] == name[0] && strcmp(object->keys[i], name) == 0)
      return &object->u.items[i];
  return NULL;
}

const TsJsonValue *
ts_json_value_get_element(const TsJsonValue *array, guint index)
{
  if (array == NULL || array->type != TS_JSON_ARRAY || index >= array->len)
    return NULL;
  return &array->u.items[index];
}

const TsJsonValue *
ts_json_value_get_object_member(const TsJsonValue *object, const char *name)
{
  const TsJsonValue *m = ts_json_value_get_member(object, name);
  return m != NULL && m->type == TS_JSON_OBJECT ? m : NULL;
}

const TsJsonValue *
ts_json_value_get_array_member(const TsJsonValue *object, const char *name)
{
  const TsJsonValue *m = ts_json_value_get_member(object, name);
  return m != NULL && m->type == TS_JSON_ARRAY ? m : NULL;
}

gboolean
ts_json_value_is_scalar(const TsJsonValue *value)
{
  return value != NULL && value->type != TS_JSON_NULL && value->type != TS_JSON_ARRAY &&
         value->type != TS_JSON_OBJECT;
}

const char *
ts_json_value_get_string(const TsJsonValue *value)
{
  return value != NULL && value->type == TS_JSON_STRING ? value->u.s : NULL;
}

gint64
ts_json_value_get_int(const TsJsonValue *value)
{
  if (value == NULL)
    return 0;
  switch (value->type) {
  case TS_JSON_INT:
    return value->u.i;
  case TS_JSON_DOUBLE:
    return (gint64) value->u.d;
  case TS_JSON_BOOLEAN:
    return value->u.b ? 1 : 0;
  default:
    return 0;
  }
}

double
ts_json_value_get_double(const TsJsonValue *value)
{
  if (value == NULL)
    return 0;
  switch (value->type) {
  case TS_JSON_INT:
    return (double) value->u.i;
  case TS_JSON_DOUBLE:
    return value->u.d;
  case TS_JSON_BOOLEAN:
    return value->u.b ? 1 : 0;
  default:
    return 0;
  }
}

gboolean
ts_json_value_get_boolean(const TsJsonValue *value)
{
  if (value == NULL)
    return FALSE;
  switch (value->type) {
  case TS_JSON_INT:
    return value->u.i != 0;
  case TS_JSON_DOUBLE:
    return value->u.d != 0.0;
  case TS_JSON_BOOLEAN:
    return value->u.b;
  default:
    return FALSE;
  }
}

const char *
ts_json_value_get_member_string(const TsJsonValue *object, const char *name, const char *fallback)
{
  const TsJsonValue *m = ts_json_value_get_member(object, name);
  return ts_json_value_is_scalar(m) ? ts_json_value_get_string(m) : fallback;
}

double
ts_json_value_get_member_double(const TsJsonValue *object, const char *name, double fallback)
{
  const TsJsonValue *m = ts_json_value_get_member(object, name);
  return ts_json_value_is_scalar(m) ? ts_json_value_get_double(m) : fallback;
}

gint64
ts_json_value_get_member_int(const TsJsonValue *object, const char *name, gint64 fallback)
{
  const TsJsonValue *m = ts_json_value_get_member(object, name);
  return ts_json_value_is_scalar(m) ? ts_json_value_get_int(m) : fallback;
}
