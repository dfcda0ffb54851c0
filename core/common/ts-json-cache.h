/* A binary cache of the trees of the JSON files every start-up reads (the plugins' catalogs, calibration.json),
 * so that a run does not parse them again while they are unchanged: parsing them was a quarter of the flagship's
 * instructions (docs/performance.md, section 6, ninth round).
 *
 * One file per source path, in $XDG_CACHE_HOME/trainsim/json-trees (TRAINSIM_JSON_CACHE=DIR moves it, =off turns it
 * off), holding the tree in a flat image: its nodes, member names and strings, with indexes where the tree has
 * pointers.  An image is used only when everything in it checks out, else the source is parsed as without a cache
 * and the image written again (a temporary file renamed over the old one, so a reader never sees half of one):
 *   - its header: format, trainsim's version, the source's path, size, mtime and a 64-bit hash of the bytes just
 *     read (the bytes are read and hashed every time: a file rewritten in place at the same size and mtime is
 *     caught), and a hash of the image itself (a flipped bit anywhere, a truncated file);
 *   - its structure, node by node (so that a forged image whose hashes agree still cannot make a reader crash or
 *     loop): every index in range, each node the child of exactly one container listed before it (a tree, no
 *     cycle), nesting within TS_JSON_MAX_DEPTH, every string a whole NUL-terminated piece of valid UTF-8, every
 *     double finite, booleans 0 or 1;
 *   - the file: a regular file owned by this user and writable by nobody else (as the probe cache's).
 * Only what the strict parser read is cached; bytes it hands to json-glib (a comment, a duplicate key, an error)
 * are read by json-glib every time, with its messages.  The tree from an image is the one the parser gives for
 * the same bytes (tests/test-json-cache.c compares them on every shipped catalog). */
#ifndef TS_JSON_CACHE_H
#define TS_JSON_CACHE_H

#include "common/ts-json-tree.h"

#include <glib.h>

typedef enum {
  TS_JSON_CACHE_OFF,       /* TRAINSIM_JSON_CACHE=off, or the bytes are not read from a file */
  TS_JSON_CACHE_HIT,       /* the tree came from its image */
  TS_JSON_CACHE_MISS,      /* no image for this path */
  TS_JSON_CACHE_STALE,     /* an image of another file or of other bytes at this path (changed since) */
  TS_JSON_CACHE_INVALID,   /* an image that does not check out (corrupt, truncated, another format) */
  TS_JSON_CACHE_UNTRUSTED, /* an image file owned by someone else or writable by others */
} TsJsonCacheState;

/* ts_json_doc_parse of `data` (the bytes just read from the file `path`), from its image when the cache holds a
 * valid one, else parsed and, when the strict parser read it, its image written (failures to write are silent:
 * the cache is only ever a shortcut).  `state` (may be NULL) says which. */
TsJsonDoc *ts_json_doc_parse_cached(const char *data, gsize len, const char *path, gsize max_bytes, int code,
                                    TsJsonCacheState *state, GError **error);
/* ts_json_doc_load through the cache. */
TsJsonDoc *ts_json_doc_load_cached(const char *path, gsize max_bytes, int code, TsJsonCacheState *state,
                                   GError **error);

/* Turns the cache off for the rest of the process: for the plugin probe's helper (core/plugin/probe-helper.c), which
 * has no business writing images of a plugin's catalog, not yet trusted, into the user's cache. */
void ts_json_cache_disable(void);

/* The image file that holds `path`'s tree (NULL when the cache is off), for the tests. */
char *ts_json_cache_get_file(const char *path);

/* The tree of an image's bytes (`image`, taken: g_free'd by the doc or on failure) when they check out for the
 * source `data` read from `path` with that size and mtime; NULL with `*state` saying why otherwise.  For the
 * tests and the fuzzer. */
TsJsonDoc *ts_json_cache_read_image(char *image, gsize image_len, const char *data, gsize len, const char *path,
                                    gint64 mtime_ns, TsJsonCacheState *state);
/* The image of `doc`'s tree for the source `data` read from `path` with that mtime. */
GBytes *ts_json_cache_write_image(const TsJsonDoc *doc, const char *data, gsize len, const char *path,
                                  gint64 mtime_ns);

#endif
