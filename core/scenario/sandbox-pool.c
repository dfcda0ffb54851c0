/* The sandbox's small-block pool (sandbox.c's allocator): Lua's objects of up to POOL_MAX bytes (strings,
 * tables, closures, upvalues, small arrays) come from free lists per 16-byte size class, carved from 64 KiB
 * chunks that are given back when the sandbox is freed.  A run makes and drops about 30,000 such objects,
 * and glibc's malloc, realloc and free were a quarter of a sweep variant's instructions (docs/performance.md,
 * section 6); a free list is a few instructions.  Lua passes every block's size when it frees or resizes it,
 * so the blocks carry no header.
 *
 * The memory cap counts the bytes Lua asks for, as before (sandbox.c); what the pool adds on top is bounded:
 * at most POOL_MAX_CHUNKS chunks (16 MiB), after which small blocks come from malloc again, so a script that
 * churns through many sizes cannot make the free lists hold more than that beyond its cap.  Under
 * AddressSanitizer a block on a free list is poisoned, so a use after free is still caught. */
#include "scenario/sandbox-private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void) (p), (void) (n))
#define UNPOISON(p, n) ((void) (p), (void) (n))
#endif

#define POOL_CHUNK ((gsize) 64 * 1024) /* each aligned to its size, so a block's chunk is its address rounded down */

G_STATIC_ASSERT(POOL_SET_SIZE >= 2 * POOL_MAX_CHUNKS && (POOL_SET_SIZE & (POOL_SET_SIZE - 1)) == 0);
G_STATIC_ASSERT(POOL_MAX % POOL_GRAIN == 0 && POOL_GRAIN >= sizeof(void *));

static guint
size_class(gsize n)
{
  return (guint) ((n - 1) / POOL_GRAIN);
}

static gsize
class_size(guint c)
{
  return (gsize) (c + 1) * POOL_GRAIN;
}

static guint
set_slot(uintptr_t base)
{
  return (guint) ((base / POOL_CHUNK) * 2654435761u) & (POOL_SET_SIZE - 1);
}

/* Whether `p` (of at most POOL_MAX bytes) came from one of the pool's chunks rather than from malloc. */
static gboolean
pool_owns(const TsSandbox *sb, const void *p)
{
  uintptr_t base = (uintptr_t) p & ~(uintptr_t) (POOL_CHUNK - 1);
  for (guint i = set_slot(base);; i = (i + 1) & (POOL_SET_SIZE - 1)) {
    if (sb->pool_set[i] == base)
      return TRUE;
    if (sb->pool_set[i] == 0)
      return FALSE;
  }
}

/* A block of class size_class(n), or NULL when the pool is at its POOL_MAX_CHUNKS (or out of memory). */
static void *
pool_get(TsSandbox *sb, gsize n)
{
  guint c = size_class(n);
  void *p = sb->pool_free[c];
  if (p != NULL) {
    UNPOISON(p, class_size(c));
    sb->pool_free[c] = *(void **) p;
    return p;
  }
  gsize size = class_size(c);
  if (sb->pool_bump == NULL || (gsize) (sb->pool_end - sb->pool_bump) < size) {
    if (sb->pool_nchunks == POOL_MAX_CHUNKS)
      return NULL;
    char *chunk = aligned_alloc(POOL_CHUNK, POOL_CHUNK);
    if (chunk == NULL)
      return NULL;
    POISON(chunk, POOL_CHUNK);
    sb->pool_chunks[sb->pool_nchunks++] = chunk;
    guint i = set_slot((uintptr_t) chunk);
    while (sb->pool_set[i] != 0)
      i = (i + 1) & (POOL_SET_SIZE - 1);
    sb->pool_set[i] = (uintptr_t) chunk;
    sb->pool_bump = chunk;
    sb->pool_end = chunk + POOL_CHUNK;
  }
  p = sb->pool_bump;
  sb->pool_bump += size;
  UNPOISON(p, size);
  return p;
}

static void
pool_put(TsSandbox *sb, void *p, gsize n)
{
  guint c = size_class(n);
  *(void **) p = sb->pool_free[c];
  sb->pool_free[c] = p;
  POISON(p, class_size(c));
}

void
sandbox_pool_free(TsSandbox *sb, void *p, gsize n)
{
  if (p == NULL)
    return;
  if (n <= POOL_MAX && pool_owns(sb, p))
    pool_put(sb, p, n);
  else
    free(p);
}

void *
sandbox_pool_realloc(TsSandbox *sb, void *p, gsize old, gsize n)
{
  if (p == NULL) {
    void *q = n <= POOL_MAX ? pool_get(sb, n) : NULL;
    return q != NULL ? q : malloc(n);
  }
  if (old > POOL_MAX || !pool_owns(sb, p))
    return realloc(p, n); /* malloc's block stays malloc's */
  if (n <= old || size_class(n) == size_class(old))
    return p; /* fits its class still (a shrunk block is later freed to the smaller class: slack, no harm) */
  void *q = n <= POOL_MAX ? pool_get(sb, n) : NULL;
  if (q == NULL && (q = malloc(n)) == NULL)
    return NULL;
  memcpy(q, p, old);
  pool_put(sb, p, old);
  return q;
}

void
sandbox_pool_clear(TsSandbox *sb)
{
  for (guint i = 0; i < sb->pool_nchunks; i++) {
    UNPOISON(sb->pool_chunks[i], POOL_CHUNK);
    free(sb->pool_chunks[i]);
  }
  sb->pool_nchunks = 0;
  memset(sb->pool_free, 0, sizeof sb->pool_free);
  memset(sb->pool_set, 0, sizeof sb->pool_set);
  sb->pool_bump = sb->pool_end = NULL;
}
