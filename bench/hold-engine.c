/* `trainsim-bench hold`: the hold model on trainsim's engine (bench/hold-common.h), through the public API
 * only (engine/engine.h), so that bench/proposals/measure can link the same driver against a patched copy
 * of core/engine/engine.c.  Each event, when it runs, schedules its successor an exponential delay later
 * with ts_engine_schedule_in from inside its callback; the E-th event stops the engine.  Only
 * ts_engine_run is timed. */
#include "hold-common.h"
#include "hold-engine.h"

#include "engine/engine.h"

typedef struct {
  const int64_t *table;
  unsigned idx;
  uint64_t left;
} Hold;

static void
hold_event(TsEngine *engine, void *data)
{
  Hold *h = data;
  if (--h->left == 0) {
    ts_engine_stop(engine);
    return;
  }
  ts_engine_schedule_in(engine, h->table[h->idx++ & HOLD_TABLE_MASK], TS_PRIORITY_DEFAULT, hold_event, h);
}

int
ts_bench_hold_main(int argc, char **argv)
{
  HoldArgs args;
  if (!hold_parse_args("trainsim-bench", argc, argv, &args))
    return 1;
  int64_t *table = hold_table_new(args.seed);
  Hold h = {table, 0, args.events};
  TsEngine *engine = ts_engine_new();
  for (uint64_t i = 0; i < args.pending; i++)
    ts_engine_schedule(engine, table[h.idx++ & HOLD_TABLE_MASK], TS_PRIORITY_DEFAULT, hold_event, &h);

  double t0 = hold_now_s(), c0 = hold_cpu_s();
  ts_engine_run(engine, TS_TIME_MAX);
  double seconds = hold_now_s() - t0, cpu_seconds = hold_cpu_s() - c0;

  if (ts_engine_get_dispatched(engine) != args.events) {
    fprintf(stderr, "trainsim-bench hold: dispatched %llu events, expected %llu\n",
            (unsigned long long) ts_engine_get_dispatched(engine), (unsigned long long) args.events);
    return 1;
  }
  hold_report(&args, seconds, cpu_seconds, ts_engine_get_now(engine));
  ts_engine_free(engine);
  free(table);
  return 0;
}

#ifdef TS_BENCH_HOLD_STANDALONE
int
main(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "hold") != 0) {
    fprintf(stderr, "Usage: %s hold --pending N --events E [--seed S]\n", argv[0]);
    return 1;
  }
  return ts_bench_hold_main(argc - 1, argv + 1);
}
#endif
