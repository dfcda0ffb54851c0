#ifndef TS_BENCH_HOLD_ENGINE_H
#define TS_BENCH_HOLD_ENGINE_H

/* argv[0] is "hold"; prints events_per_s and friends (bench/hold-common.h); returns the exit status. */
int ts_bench_hold_main(int argc, char **argv);

#endif
