/* What the hold-model benchmarks share (bench/trainsim-bench.c, bench/bare-heap.c): the command line,
 * the exponential draws and the clock, so that both binaries run exactly the same model on exactly the
 * same sequence of delays and differ only in the event queue.
 *
 * The hold model (Vaucher & Duval 1975; Jones 1986): N events pending; repeatedly take the earliest
 * and schedule one new event an exponentially distributed time later, so the queue stays at N.
 *
 * The delays are drawn before the clock starts into a table of HOLD_TABLE_LEN exponential variates
 * (mean HOLD_MEAN_TICKS ns), read in order and cyclically: reading the next one costs a load from a
 * streaming-prefetched array, so the RNG and log() stay out of the measured loop. */
#ifndef TS_BENCH_HOLD_COMMON_H
#define TS_BENCH_HOLD_COMMON_H

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOLD_TABLE_LEN (1u << 16)
#define HOLD_TABLE_MASK (HOLD_TABLE_LEN - 1u)
#define HOLD_MEAN_TICKS 1000000.0 /* 1 ms of simulated time in nanosecond ticks */

typedef struct {
  uint64_t pending;
  uint64_t events;
  uint64_t seed;
} HoldArgs;

static inline uint64_t
hold_splitmix64(uint64_t *x)
{
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline uint64_t
hold_rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman & Vigna), seeded through splitmix64. */
typedef struct {
  uint64_t s[4];
} HoldRng;

static inline void
hold_rng_init(HoldRng *rng, uint64_t seed)
{
  for (int i = 0; i < 4; i++)
    rng->s[i] = hold_splitmix64(&seed);
}

static inline uint64_t
hold_rng_next(HoldRng *rng)
{
  uint64_t *s = rng->s;
  uint64_t result = hold_rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = hold_rotl(s[3], 45);
  return result;
}

/* HOLD_TABLE_LEN exponential delays in integer ticks (>= 1, so no two events of one chain tie). */
static inline int64_t *
hold_table_new(uint64_t seed)
{
  int64_t *table = (int64_t *) malloc(HOLD_TABLE_LEN * sizeof *table);
  if (table == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  HoldRng rng;
  hold_rng_init(&rng, seed);
  for (unsigned i = 0; i < HOLD_TABLE_LEN; i++) {
    double u = ((double) (hold_rng_next(&rng) >> 11) + 1.0) * 0x1.0p-53; /* (0, 1] */
    double d = -HOLD_MEAN_TICKS * log(u);
    int64_t t = (int64_t) (d + 0.5);
    table[i] = t < 1 ? 1 : t;
  }
  return table;
}

static inline double
hold_now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

/* CPU time of this process: unlike the wall clock, not stretched when other processes take the core. */
static inline double
hold_cpu_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static inline int
hold_parse_u64(const char *s, uint64_t *out)
{
  if (s == NULL || *s == '\0' || *s == '-')
    return 0;
  errno = 0;
  char *end = NULL;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0')
    return 0;
  *out = v;
  return 1;
}

/* argv[0] is the subcommand ("hold").  Returns 0 and prints a message on a bad command line. */
static inline int
hold_parse_args(const char *prog, int argc, char **argv, HoldArgs *args)
{
  args->pending = 1000;
  args->events = 10000000;
  args->seed = 1;
  /* Every option takes a value: the loop steps over both. */
  for (int i = 1; i < argc; i += 2) {
    uint64_t *dst = NULL;
    if (strcmp(argv[i], "--pending") == 0)
      dst = &args->pending;
    else if (strcmp(argv[i], "--events") == 0)
      dst = &args->events;
    else if (strcmp(argv[i], "--seed") == 0)
      dst = &args->seed;
    else {
      fprintf(stderr, "%s hold: unknown option \"%s\"\n", prog, argv[i]);
      return 0;
    }
    if (i + 1 >= argc || !hold_parse_u64(argv[i + 1], dst)) {
      fprintf(stderr, "%s hold: %s: expected a non-negative integer\n", prog, argv[i]);
      return 0;
    }
  }
  if (args->pending == 0 || args->events == 0 || args->pending > UINT32_MAX / 2) {
    fprintf(stderr, "%s hold: --pending and --events must be positive (pending < 2^31)\n", prog);
    return 0;
  }
  return 1;
}

/* `seconds` is wall time, `cpu_seconds` process CPU time, both of the measured loop only. */
static inline void
hold_report(const HoldArgs *args, double seconds, double cpu_seconds, int64_t final_time)
{
  printf("pending %llu\nevents %llu\nseconds %.6f\ncpu_seconds %.6f\nsim_time_ns %lld\n"
         "events_per_cpu_s %.0f\nevents_per_s %.0f\n",
         (unsigned long long) args->pending, (unsigned long long) args->events, seconds, cpu_seconds,
         (long long) final_time, (double) args->events / cpu_seconds, (double) args->events / seconds);
}

#endif
