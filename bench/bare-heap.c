/* The baseline for `trainsim-bench hold`: the same hold model on a bare array binary heap in C, with no
 * callbacks, no ids, no cancellation and no tie-breaking — the least an event queue can do.
 *
 *   trainsim-bench-bare-heap hold --pending N --events E [--seed S] [--replace-top]
 *
 * Each entry is a 16-byte (time, payload) pair compared on time alone.  A hold is the textbook pop
 * (last entry into the root, sift down) followed by a push (append, sift up); both sifts move a hole
 * instead of swapping.  --replace-top instead overwrites the root and sifts it down once (what a queue
 * can do when the popped event schedules its successor), for reference. */
#include "hold-common.h"

typedef struct {
  int64_t time;
  uint64_t payload;
} Entry;

typedef struct {
  Entry *a;
  size_t len;
} Heap;

static inline void
sift_up(Heap *h, size_t pos, Entry e)
{
  Entry *a = h->a;
  while (pos > 0) {
    size_t parent = (pos - 1) / 2;
    if (a[parent].time <= e.time)
      break;
    a[pos] = a[parent];
    pos = parent;
  }
  a[pos] = e;
}

static inline void
sift_down(Heap *h, size_t pos, Entry e)
{
  Entry *a = h->a;
  size_t len = h->len;
  for (;;) {
    size_t c = 2 * pos + 1;
    if (c >= len)
      break;
    if (c + 1 < len && a[c + 1].time < a[c].time)
      c++;
    if (e.time <= a[c].time)
      break;
    a[pos] = a[c];
    pos = c;
  }
  a[pos] = e;
}

static inline void
push(Heap *h, Entry e)
{
  sift_up(h, h->len++, e);
}

static inline Entry
pop(Heap *h)
{
  Entry top = h->a[0];
  Entry last = h->a[--h->len];
  if (h->len > 0)
    sift_down(h, 0, last);
  return top;
}

int
main(int argc, char **argv)
{
  const char *prog = "trainsim-bench-bare-heap";
  if (argc < 2 || strcmp(argv[1], "hold") != 0) {
    fprintf(stderr, "Usage: %s hold --pending N --events E [--seed S] [--replace-top]\n", prog);
    return 1;
  }
  int replace_top = 0;
  /* Strip --replace-top before the shared parser sees the rest. */
  int n = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--replace-top") == 0)
      replace_top = 1;
    else
      argv[1 + n++] = argv[i];
  }
  HoldArgs args;
  if (!hold_parse_args(prog, n, argv + 1, &args))
    return 1;

  int64_t *table = hold_table_new(args.seed);
  Heap h = {malloc(args.pending * sizeof(Entry)), 0};
  if (h.a == NULL) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  unsigned idx = 0;
  for (uint64_t i = 0; i < args.pending; i++)
    push(&h, (Entry) {table[idx++ & HOLD_TABLE_MASK], i});

  int64_t now = 0;
  uint64_t sum = 0;
  double t0 = hold_now_s(), c0 = hold_cpu_s();
  if (replace_top) {
    for (uint64_t i = 0; i < args.events; i++) {
      Entry e = h.a[0];
      now = e.time;
      sum += e.payload;
      sift_down(&h, 0, (Entry) {now + table[idx++ & HOLD_TABLE_MASK], e.payload});
    }
  } else {
    for (uint64_t i = 0; i < args.events; i++) {
      Entry e = pop(&h);
      now = e.time;
      sum += e.payload;
      push(&h, (Entry) {now + table[idx++ & HOLD_TABLE_MASK], e.payload});
    }
  }
  double seconds = hold_now_s() - t0, cpu_seconds = hold_cpu_s() - c0;

  hold_report(&args, seconds, cpu_seconds, now);
  printf("checksum %llu\n", (unsigned long long) sum);
  free(h.a);
  free(table);
  return 0;
}
