// The hold model on SimGrid S4U (bench/compare builds this with the system's libsimgrid-dev).
//
//   simgrid-hold --pending N --events E [--seed S] [--cfg=...]...
//
// N actors on one host each loop { sleep_for(exponential delay); count one event }, so N sleeps are
// always pending; the actor that counts the E-th wake-up records the wall clock and kills all actors.
// The context factory is SimGrid's default unless a --cfg=contexts/factory:... is given.  Only e.run()
// is timed (the wall clock inside this program around it): actor creation and platform set-up are not.
// The delays are the same table as bench/hold-common.h's (same seed: same sequence), in seconds.
#include <simgrid/s4u.hpp>
#include <xbt/config.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "../hold-common.h"
}

namespace sg4 = simgrid::s4u;

static std::vector<double> table;
static unsigned idx = 0;
static uint64_t left = 0;
static std::chrono::steady_clock::time_point t_last;

static void holder()
{
  for (;;) {
    sg4::this_actor::sleep_for(table[idx++ & HOLD_TABLE_MASK]);
    if (--left == 0) {
      t_last = std::chrono::steady_clock::now();
      sg4::Actor::kill_all();
      return;
    }
  }
}

int main(int argc, char** argv)
{
  sg4::Engine e(&argc, argv); // consumes --cfg=... and --log=...
  HoldArgs args;
  if (argc < 2 || std::strcmp(argv[1], "hold") != 0 || !hold_parse_args("simgrid-hold", argc - 1, argv + 1, &args)) {
    std::fprintf(stderr, "Usage: simgrid-hold hold --pending N --events E [--seed S] [--cfg=...]\n");
    return 1;
  }
  int64_t* ticks = hold_table_new(args.seed);
  table.resize(HOLD_TABLE_LEN);
  for (unsigned i = 0; i < HOLD_TABLE_LEN; i++)
    table[i] = (double)ticks[i] * 1e-9;
  std::free(ticks);
  left = args.events;

  auto* zone = sg4::create_full_zone("zone");
  sg4::Host* host = zone->create_host("host", 1e9);
  zone->seal();
  for (uint64_t i = 0; i < args.pending; i++)
    sg4::Actor::create("h" + std::to_string(i), host, holder);

  double c0 = hold_cpu_s();
  auto t0 = std::chrono::steady_clock::now();
  e.run();
  auto t1 = std::chrono::steady_clock::now();
  double cpu_s = hold_cpu_s() - c0;
  double run_s = std::chrono::duration<double>(t1 - t0).count();
  double to_last_s = std::chrono::duration<double>(t_last - t0).count();
  if (left != 0) {
    std::fprintf(stderr, "simgrid-hold: %llu events short\n", (unsigned long long)left);
    return 1;
  }
  std::printf("pending %llu\nevents %llu\nseconds %.6f\ncpu_seconds %.6f\nseconds_to_last_event %.6f\n"
              "sim_time_s %.6f\ncontext_factory %s\nevents_per_cpu_s %.0f\nevents_per_s %.0f\n",
              (unsigned long long)args.pending, (unsigned long long)args.events, run_s, cpu_s, to_last_s,
              sg4::Engine::get_clock(), simgrid::config::get_value<std::string>("contexts/factory").c_str(),
              (double)args.events / cpu_s, (double)args.events / run_s);
  return 0;
}
