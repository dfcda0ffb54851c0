#!/usr/bin/env python3
"""Print the tables of docs/validation.md from plugins/calibration.json and `trainsim validate --json`.

The tables in the document are pasted from this program's output, so that they are the measured figures and
not figures typed by hand.  Python 3 standard library only.

    python3 tools/validation-tables.py                 # all three tables
    python3 tools/validation-tables.py --trainsim build/trainsim
"""

import argparse
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIME_METRICS = {"time_s", "step_time_s", "device_hours"}


def pct(x):
    return "%+.1f %%" % (100 * x)


def duration(seconds):
    if seconds >= 86400 * 2:
        return "%.2f d" % (seconds / 86400)
    if seconds >= 3600 * 2:
        return "%.2f h" % (seconds / 3600)
    if seconds >= 120:
        return "%.1f min" % (seconds / 60)
    return "%.4g s" % seconds


def value(metric, v):
    if metric in ("time_s", "step_time_s"):
        return duration(v)
    if metric == "throughput":
        return "%.4g /s" % v
    return "%.4g" % v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trainsim", default=os.path.join(ROOT, "build", "trainsim"))
    ap.add_argument("--calibration", default=os.path.join(ROOT, "plugins", "calibration.json"))
    args = ap.parse_args()

    with open(args.calibration) as f:
        cal = json.load(f)
    out = subprocess.run([args.trainsim, "validate", "--json"], capture_output=True, text=True, check=False)
    cases = json.loads(out.stdout)["cases"]
    loo, ins = {}, {}
    for fam in cal["families"]:
        loo.update(fam.get("loo_error", {}))
        ins.update(fam.get("in_sample_error", {}))

    print("| family | efficiency | fitted on | in-sample median | LOO median | LOFO median |")
    print("|---|---|---|---|---|---|")
    for fam in cal["families"]:
        if not fam["fitted_on"]:
            continue
        print("| %s %s | %.4f | %s | %.1f %% | %.1f %% | %.1f %% |" % (
            fam["generation"], fam["workload"], fam["efficiency"], ", ".join(fam["fitted_on"]),
            100 * fam["in_sample_median_abs_error"], 100 * fam["loo_median_abs_error"],
            100 * fam["lofo_median_abs_error"]))
    print()
    print("| devices without a fitted family | efficiency | calibration | band |")
    print("|---|---|---|---|")
    for fam in cal["families"]:
        if not fam["fitted_on"]:
            print("| %s %s | %.4f | %s | %s |" % (fam["generation"], fam["workload"], fam["efficiency"],
                                               fam["calibration"], fam["label"]))
    for p in cal.get("pooled", []):
        print("| any other device, %s | %.4f | %s | %s |" % (p["workload"], p["efficiency"], p["calibration"],
                                                             p["label"]))
    print()
    print("| plugin | workload | cases | in-sample median | LOO median (`median_abs_error`) |")
    print("|---|---|---|---|---|")
    for b in cal["bands"]:
        print("| %s | %s | %d | %.1f %% | %.1f %% |" % (b["plugin"], b["workload"], b["cases"],
                                                     100 * b["in_sample_median_abs_error"],
                                                     100 * b["median_abs_error"]))
    print()
    print("| case | devices | stack | metric | published | predicted | in-sample | LOO | model is | source |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in cases:
        if c.get("failure"):
            print("| %s | | | | | failed: %s | | | | |" % (c["name"], c["failure"]))
            continue
        slow = c["error"] > 0 if c["metric"] in TIME_METRICS else c["error"] < 0
        print("| %s | %d x %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            c["name"], c["devices"], c.get("sku") or c["generation"], c.get("stack") or "-", c["metric"],
            value(c["metric"], c["published"]),
            value(c["metric"], c["predicted"]), pct(c["error"]),
            pct(loo[c["name"]]) if c["name"] in loo else "-", "slow" if slow else "fast", c["source"]))
    s = cal["summary"]
    print()
    print("%d cases, %d constants: in sample median |error| %.1f %%, worst %.1f %%; leave-one-out median %.1f %%, "
          "worst %.1f %%; leave-one-family-out median %.1f %%, worst %.1f %%"
          % (s["cases"], s["constants"], 100 * s["in_sample_median_abs_error"], 100 * s["in_sample_max_abs_error"],
             100 * s["loo_median_abs_error"], 100 * s["loo_max_abs_error"], 100 * s["lofo_median_abs_error"],
             100 * s["lofo_max_abs_error"]))


if __name__ == "__main__":
    main()
