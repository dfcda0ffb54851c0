#!/usr/bin/python3
"""The hold model on SimPy 2 (Debian's python3-simpy, the classic SimPy.Simulation API).

    /usr/bin/python3 bench/baselines/simpy_hold.py hold --pending N --events E [--seed S]

N Process objects each loop `yield hold, self, delay`, so N holds are always pending; the E-th wake-up
calls stopSimulation().  Only simulate() is timed (wall clock inside this program).  The delays are the
same table as bench/hold-common.h's (xoshiro256** seeded through splitmix64, same seed: same sequence),
in seconds.
"""
import argparse
import math
import sys
import time

M64 = (1 << 64) - 1
TABLE_LEN = 1 << 16
MEAN_TICKS = 1000000.0


def table(seed):
    def splitmix(x):
        x = (x + 0x9E3779B97F4A7C15) & M64
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return x, z ^ (z >> 31)

    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & M64

    s = []
    x = seed
    for _ in range(4):
        x, z = splitmix(x)
        s.append(z)
    out = []
    for _ in range(TABLE_LEN):
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        u = ((result >> 11) + 1.0) * 2.0 ** -53
        ticks = int(-MEAN_TICKS * math.log(u) + 0.5)
        out.append(max(ticks, 1) * 1e-9)
    return out


def main():
    ap = argparse.ArgumentParser(prog="simpy_hold.py")
    ap.add_argument("cmd", choices=["hold"])
    ap.add_argument("--pending", type=int, default=1000)
    ap.add_argument("--events", type=int, default=200000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    import SimPy
    from SimPy.Simulation import Process, activate, hold, initialize, now, simulate, stopSimulation

    delays = table(a.seed)
    mask = TABLE_LEN - 1
    state = {"idx": 0, "left": a.events}

    class Holder(Process):
        def run(self):
            st = state
            while True:
                i = st["idx"]
                st["idx"] = i + 1
                yield hold, self, delays[i & mask]
                st["left"] -= 1
                if st["left"] == 0:
                    stopSimulation()

    initialize()
    for i in range(a.pending):
        p = Holder()
        activate(p, p.run())
    c0 = time.process_time()
    t0 = time.perf_counter()
    simulate(until=1e300)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    if state["left"] > 0:
        sys.exit("simpy_hold.py: %d events short" % state["left"])
    print("pending %d\nevents %d\nseconds %.6f\ncpu_seconds %.6f\nsim_time_s %.6f\nsimpy %s\npython %s\n"
          "events_per_cpu_s %.0f\nevents_per_s %.0f"
          % (a.pending, a.events, seconds, cpu_seconds, now(), getattr(SimPy, "__version__", "?"),
             sys.version.split()[0], a.events / cpu_seconds, a.events / seconds))


if __name__ == "__main__":
    main()
