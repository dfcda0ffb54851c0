#!/usr/bin/env python3
"""The table of docs/calibration-gpu.md from the measurements (docs/data/gpu-measure-h200.jsonl) and the current
build's predictions (bench/gpu/h200-predict.lua), so that the trainsim columns are never stale.

    python3 tools/calibration-gpu-table.py            # print the table
    python3 tools/calibration-gpu-table.py --write    # replace the table in docs/calibration-gpu.md
    python3 tools/calibration-gpu-table.py --check    # exit 1 if the document's table differs

Python 3 standard library only.
"""

import json
import os
import subprocess
import sys

import doc_tables

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "calibration-gpu.md")
HEADER = "| model | batch | precision | measured step | trainsim step | measured peak memory | trainsim device memory |"


def predict(trainsim, what, batch, precision):
    p = subprocess.run([trainsim, "run", os.path.join(ROOT, "bench", "gpu", "h200-predict.lua"), "--set",
                        "what=%s" % what, "--set", "batch=%d" % batch, "--set", "precision=%s" % precision, "--json"],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        sys.exit("calibration-gpu-table: trainsim failed for %s %d %s: %s" % (what, batch, precision, p.stderr))
    out = json.loads(p.stdout)
    return out["training"]["step_time_s"], out["peak_memory_bytes"]["device"]


def table(trainsim):
    rows = [HEADER, "|---|---|---|---|---|---|---|"]
    with open(os.path.join(ROOT, "docs", "data", "gpu-measure-h200.jsonl")) as f:
        for line in f:
            m = json.loads(line)
            what = "gpt" if m["model"].startswith("gpt") else m["model"]
            step, mem = predict(trainsim, what, m["batch"], m["precision"])
            name = "GPT 12 x 2048, seq 2048" if what == "gpt" else "ResNet-50"
            prec = "bf16 autocast" if m["precision"] == "bf16" else m["precision"]
            rows.append("| %s | %d | %s | %.1f ms | %.1f ms | %.2f GB | %.2f GB |" % (
                name, m["batch"], prec, 1e3 * m["step_s"], 1e3 * step, m["peak_bytes"] / 1e9, mem / 1e9))
    return rows


def main():
    args = doc_tables.parser(__doc__).parse_args()
    doc_tables.require_current_calibration(os.path.dirname(os.path.abspath(args.trainsim)))
    rows = table(args.trainsim)
    if not (args.write or args.check):
        print("\n".join(rows))
        return 0
    return doc_tables.update(DOC, [rows], args.check, "docs/calibration-gpu.md: the table differs from the current "
                             "build; run python3 tools/calibration-gpu-table.py --write")


if __name__ == "__main__":
    sys.exit(main())
