#!/usr/bin/env python3
"""/prose/...: the figures the docs state in prose (not as a shown command's output, which tests/test-docs.py
checks) are what the current build and plugins/calibration.json give, as TAP.  A refit or a model change that
moves them fails here until the sentence is rewritten, instead of leaving it silently stale.

  /prose/validation-flagship   docs/validation.md: the flagship's validation case, predicted minutes and its
                               in-sample, leave-one-out and leave-one-family-out errors (calibration.json)
  /prose/dgx-station           docs/scenarios.md: the DGX Station and the p3.16xlarge, wall time and cost, and
                               the break-even (runs a year, hours, share of a year), as the terminal prints them
  /prose/research-group-month  docs/scenarios.md: the large run's time, a sweep's time beside others, the bill,
                               idle capacity, utilisation, the FIFO wait and the A100 variant's cost

Usage: test-prose-figures.py TRAINSIM SOURCE_ROOT
"""

import json
import os
import re
import subprocess
import sys


def run(trainsim, root, *args):
    p = subprocess.run([trainsim, *args], cwd=root, capture_output=True, text=True,
                       env=dict(os.environ, NO_COLOR="1"))
    if p.returncode not in (0, 3):
        raise RuntimeError("trainsim %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.strip()))
    return p.stdout


def row(text, name):
    """The value of a terminal summary row `  name   value`."""
    m = re.search(r"^  %s {2,}(.+?)\s*$" % re.escape(name), text, re.M)
    if m is None:
        raise RuntimeError("no row %r in:\n%s" % (name, text))
    return m.group(1)


def phase(text, name):
    m = re.search(r"^    %s +starts .+? lasts (.+?)\s*$" % re.escape(name), text, re.M)
    if m is None:
        raise RuntimeError("no phase %r" % name)
    return m.group(1)


def duration(seconds):
    """As the terminal writes a duration of hours (core/output: "3 h 29 min")."""
    minutes = int(round(seconds / 60))
    return "%d h %d min" % (minutes // 60, minutes % 60)


def usd(x):
    return "{:,.2f} USD".format(x)


def check(name, doc_text, expected):
    missing = [e for e in expected if e not in doc_text]
    return name, missing


def validation_flagship(trainsim, root):
    doc = open(os.path.join(root, "docs", "validation.md"), encoding="utf-8").read()
    case = "tpu-v3-conv-simclr-resnet50-64chips"
    cal = json.load(open(os.path.join(root, "plugins", "calibration.json")))["cases"][case]
    out = json.loads(run(trainsim, root, "validate", "--json",
                         os.path.join("scenarios", "validation", case + ".lua")))
    c = out["cases"][0]
    predicted_min = c["predicted"] / 60 if c["metric"] == "time_s" else None
    expected = ["predicted at %d min of training against the published %d min" % (round(predicted_min),
                                                                                   round(c["published"] / 60)),
                "%.1f %% in sample" % (100 * cal["in_sample_error"]),
                "%.1f %% leave-one-out" % (100 * cal["loo_error"]),
                "%.1f %% leave-one-family-out" % (100 * cal["lofo_error"])]
    return check("/prose/validation-flagship", " ".join(doc.split()), expected)


def dgx_station(trainsim, root):
    doc = " ".join(open(os.path.join(root, "docs", "scenarios.md"), encoding="utf-8").read().split())
    station = run(trainsim, root, "run", "scenarios/dgx-station-vs-aws.lua")
    aws = run(trainsim, root, "run", "scenarios/dgx-station-vs-aws.lua", "--set", "where=aws")
    be = re.fullmatch(r"owning is cheaper from ([\d.]+) runs a year \((\d+) hours of use, ([\d.]+ %) of a year\)",
                      row(station, "break-even"))
    if be is None:
        raise RuntimeError("break-even row: %r" % row(station, "break-even"))
    expected = ["the Station takes %s for %s" % (row(station, "wall time"), row(station, "cost")),
                "the p3.16xlarge %s for %s" % (row(aws, "wall time"), row(aws, "cost")),
                "owning is cheaper from %s runs a year (%s hours of the Station's use, %s of a year"
                % (be.group(1), "{:,}".format(int(be.group(2))), be.group(3))]
    return check("/prose/dgx-station", doc, expected)


def research_group_month(trainsim, root):
    doc = " ".join(open(os.path.join(root, "docs", "scenarios.md"), encoding="utf-8").read().split())
    text = run(trainsim, root, "run", "scenarios/research-group-month.lua")
    s = json.loads(run(trainsim, root, "run", "scenarios/research-group-month.lua", "--json"))
    fifo = json.loads(run(trainsim, root, "run", "scenarios/research-group-month.lua", "--set", "scheduler=fifo",
                          "--json"))
    a100 = run(trainsim, root, "run", "scenarios/research-group-month.lua", "--set", "machine=a100")
    day1 = [j for j in s["jobs"] if j["name"].startswith("sweep-d01-")]
    alone = sorted(j["alone_s"] for j in day1)
    large = next(j for j in fifo["jobs"] if j["name"] == "simclr-800")
    cluster = s["cluster"]
    expected = ["runs %s," % phase(text, "simclr-800"),
                "so each takes %s instead of %s to %s alone" % (phase(text, "sweep-d01-b1024"), duration(alone[0]),
                                                               duration(alone[-1])),
                "The pod is busy %.1f %% of the %s it is billed: %s, of which %s idle capacity"
                % (100 * cluster["utilisation"], row(text, "wall time"), row(text, "cost"),
                   usd(cluster["idle_billed_usd"])),
                "the large run waits %s for the sweeps" % duration(large["queued_s"]),
                "where they queue instead (%s)" % row(a100, "cost")]
    return check("/prose/research-group-month", doc, expected)


def main():
    trainsim, root = sys.argv[1], sys.argv[2]
    tests = [validation_flagship, dgx_station, research_group_month]
    print("1..%d" % len(tests))
    failed = 0
    for i, t in enumerate(tests, 1):
        try:
            name, missing = t(trainsim, root)
        except (RuntimeError, KeyError, StopIteration, ValueError) as e:
            name, missing = "/prose/" + t.__name__, ["(could not compute: %s)" % e]
        if missing:
            failed += 1
            print("not ok %d %s" % (i, name))
            for m in missing:
                print("# the docs do not say: %s" % m)
        else:
            print("ok %d %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
