#!/usr/bin/env python3
"""Print the tables of docs/validation.md from plugins/calibration.json and `trainsim validate --json`.

The tables in the document are this program's output, so that they are the measured figures and not figures
typed by hand; a test (suite validation) runs --check.  Python 3 standard library only.

    python3 tools/validation-tables.py                 # print the tables and the summary line
    python3 tools/validation-tables.py --write         # replace the tables in docs/validation.md
    python3 tools/validation-tables.py --check         # exit 1 if a table of docs/validation.md differs
    python3 tools/validation-tables.py --trainsim build/trainsim
"""

import json
import os
import subprocess
import sys

import doc_tables

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "validation.md")
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


def tables(trainsim, calibration):
    """The document's tables, each a list of lines starting with its header, and the summary line."""
    with open(calibration) as f:
        cal = json.load(f)
    out = subprocess.run([trainsim, "validate", "--json"], capture_output=True, text=True, check=False)
    cases = json.loads(out.stdout)["cases"]
    loo = {n: c["loo_error"] for n, c in cal.get("cases", {}).items()}

    fitted = ["| generation | matmul efficiency | memory efficiency | fitted on | in-sample median | LOO median | "
              "LOFO median |", "|---|---|---|---|---|---|---|"]
    for g in cal["generations"]:
        if not g["fitted_on"]:
            continue
        fitted.append("| %s | %.4f | %.4f%s | %d cases | %.1f %% | %.1f %% | %.1f %% |" % (
            g["generation"], g["matmul_efficiency"], g["memory_efficiency"],
            " (shared)" if g.get("memory_efficiency_shared") else "", len(g["fitted_on"]),
            100 * g["in_sample_median_abs_error"], 100 * g["loo_median_abs_error"],
            100 * g["lofo_median_abs_error"]))
    derived = ["| generations without cases | matmul efficiency | memory efficiency | calibration | band |",
               "|---|---|---|---|---|"]
    for g in cal["generations"]:
        if not g["fitted_on"]:
            derived.append("| %s | %.4f | %.4f | %s | %s |" % (g["generation"], g["matmul_efficiency"],
                                                              g["memory_efficiency"], g["calibration"], g["label"]))
    p = cal["pooled"]
    derived.append("| any other device | %.4f | %.4f | %s | %s |" % (p["matmul_efficiency"], p["memory_efficiency"],
                                                                   p["calibration"], p["label"]))
    stacks = ["| stack | overhead per step | launch cost | fusion | tp_overlap | overlap | fitted | cases |",
              "|---|---|---|---|---|---|---|---|"]
    for st in cal["stacks"]:
        stacks.append("| %s | %.3g s | %.3g s | %.3g | %.3g | %.3g | %s | %d |" % (
            st["stack"], st["overhead_s"], st["launch_s"], st["fusion"], st.get("tp_overlap", 0), st["overlap"],
            ", ".join(st["fitted"]) or "none (neutral values)", len(st["fitted_on"])))
    bands = ["| plugin | workload | cases | in-sample median | LOO median (`median_abs_error`) |", "|---|---|---|---|---|"]
    for b in cal["bands"]:
        bands.append("| %s | %s | %d | %.1f %% | %.1f %% |" % (b["plugin"], b["workload"], b["cases"],
                                                             100 * b["in_sample_median_abs_error"],
                                                             100 * b["median_abs_error"]))
    rows = ["| case | devices | stack | metric | published | predicted | in-sample | LOO | model is | source |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases:
        if c.get("failure"):
            rows.append("| %s | | | | | failed: %s | | | | |" % (c["name"], c["failure"]))
            continue
        slow = c["error"] > 0 if c["metric"] in TIME_METRICS else c["error"] < 0
        rows.append("| %s | %d x %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            c["name"], c["devices"], c.get("sku") or c["generation"], c.get("stack") or "-", c["metric"],
            value(c["metric"], c["published"]),
            value(c["metric"], c["predicted"]), pct(c["error"]),
            pct(loo[c["name"]]) if c["name"] in loo else "-", "slow" if slow else "fast",
            c["source"].replace("|", "\\|")))
    s = cal["summary"]
    summary = ("%d cases, %d constants: in sample median |error| %.1f %%, worst %.1f %%; leave-one-out median %.1f %%, "
               "worst %.1f %%; leave-one-family-out median %.1f %%, worst %.1f %%"
               % (s["cases"], s["constants"], 100 * s["in_sample_median_abs_error"], 100 * s["in_sample_max_abs_error"],
                  100 * s["loo_median_abs_error"], 100 * s["loo_max_abs_error"], 100 * s["lofo_median_abs_error"],
                  100 * s["lofo_max_abs_error"]))
    return [fitted, derived, stacks, bands, rows], summary


def main():
    ap = doc_tables.parser(__doc__)
    ap.add_argument("--calibration", default=os.path.join(ROOT, "plugins", "calibration.json"))
    args = ap.parse_args()
    doc_tables.require_current_calibration(os.path.dirname(os.path.abspath(args.trainsim)))
    tabs, summary = tables(args.trainsim, args.calibration)
    if not (args.write or args.check):
        for t in tabs:
            print("\n".join(t))
            print()
        print(summary)
        return 0
    return doc_tables.update(DOC, tabs, args.check, "docs/validation.md: these tables differ from "
                             "plugins/calibration.json and the current build; run python3 tools/validation-tables.py "
                             "--write")


if __name__ == "__main__":
    sys.exit(main())
