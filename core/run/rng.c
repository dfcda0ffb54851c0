#include "run/rng.h"

#include <math.h>

static uint64_t
splitmix64(uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void
ts_rng_init(TsRng *rng, uint64_t seed, uint64_t stream)
{
  uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);
  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

uint64_t
ts_rng_next(TsRng *rng)
{
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double
ts_rng_uniform(TsRng *rng)
{
  return ((double) (ts_rng_next(rng) >> 11) + 1.0) * 0x1.0p-53;
}

double
ts_rng_exponential(TsRng *rng, double mean)
{
  return -mean * log(ts_rng_uniform(rng));
}
