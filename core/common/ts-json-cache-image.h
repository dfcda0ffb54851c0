/* The layout of a tree cache image (common/ts-json-cache.c), for it and for the tests and the fuzzer that forge
 * images.  Native byte order and sizes (an image is read back only on the machine that wrote it; the header's
 * byte_order and format refuse any other). */
#ifndef TS_JSON_CACHE_IMAGE_H
#define TS_JSON_CACHE_IMAGE_H

#include <glib.h>

/* Bump when the parser's reading (ts-json-tree.c: which numbers are ints, how strings are unescaped) or this
 * layout changes: images of another format are rebuilt. */
#define TS_JSON_IMAGE_FORMAT 1
#define TS_JSON_IMAGE_MAGIC "TSJTREE"

typedef struct {
  char magic[8];       /* TS_JSON_IMAGE_MAGIC */
  guint32 format;      /* TS_JSON_IMAGE_FORMAT */
  guint32 byte_order;  /* 0x01020304 as this machine writes it */
  char version[24];    /* TS_VERSION, NUL-padded */
  guint64 source_size;
  gint64 source_mtime_ns;
  guint64 source_hash; /* hash64 of the source's bytes */
  guint64 image_hash;  /* hash64 of everything after this header */
  guint32 path_len;    /* the source's path, without a NUL, padded to 8 */
  guint32 n_nodes;     /* TsJsonImageNode[n_nodes], node 0 the root */
  guint32 n_keys;      /* guint32[n_keys], string offsets of the objects' member names, padded to 8 */
  guint32 strings_len; /* NUL-terminated UTF-8 strings, back to back */
} TsJsonImageHeader;

typedef struct {
  guint32 type;  /* TsJsonType */
  guint32 len;   /* an array's elements, an object's members */
  guint64 value; /* an int, a double's bits, a boolean, a string's offset, a container's first child */
  guint32 keys;  /* an object's first member name in the keys */
  guint32 pad;
} TsJsonImageNode;

/* Recompute an image's own hash after changing it (the tests' and the fuzzer's forgeries). */
void ts_json_cache_seal_image(char *image, gsize len);
/* The source hash an image's header holds for these bytes. */
guint64 ts_json_cache_hash(const void *data, gsize len);

#endif
