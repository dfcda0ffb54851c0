/* Seeded random draws for the run model (failures, preemptions).  xoshiro256** seeded through splitmix64,
 * one independent stream per purpose, so adding draws for one purpose never shifts another's sequence
 * (common random numbers across variants). */
#ifndef TS_RNG_H
#define TS_RNG_H

#include <stdint.h>

typedef struct {
  uint64_t s[4];
} TsRng;

void ts_rng_init(TsRng *rng, uint64_t seed, uint64_t stream);
uint64_t ts_rng_next(TsRng *rng);
/* Uniform in (0, 1]: never 0, so -log(u) is finite. */
double ts_rng_uniform(TsRng *rng);
/* Exponential with the given mean. */
double ts_rng_exponential(TsRng *rng, double mean);

#endif
