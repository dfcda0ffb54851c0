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
  /prose/staged-provisioning   docs/scenarios.md: the cost staged and not
  /prose/checkpoints-fill-disk docs/scenarios.md: a checkpoint's size, and when the disk fills
  /prose/llm-16k               docs/scenarios.md: the 16k-GPU run with spares and jitter (time, node failures and
                               the waits for repair, the slowest node's slowdown) and with 48 spares; docs/model.md:
                               the run with jitter alone

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


def scenarios_doc(root):
    return " ".join(open(os.path.join(root, "docs", "scenarios.md"), encoding="utf-8").read().split())


def staged_provisioning(trainsim, root):
    staged = run(trainsim, root, "run", "scenarios/staged-provisioning.lua")
    not_staged = run(trainsim, root, "run", "scenarios/staged-provisioning.lua", "--set", "staged=false")
    expected = ["start a v3-32 slice (%s)" % row(staged, "cost"),
                "(`--set staged=false`, %s)" % row(not_staged, "cost")]
    return check("/prose/staged-provisioning", scenarios_doc(root), expected)


def checkpoints_fill_disk(trainsim, root):
    text = run(trainsim, root, "run", "scenarios/checkpoints-fill-disk.lua")
    size = re.fullmatch(r"\d+ written, (.+) each", row(text, "checkpoints"))
    full = re.search(r"checkpoint (\d+) \(\d+ kept\): storage full at (.+?):", text)
    if size is None or full is None:
        raise RuntimeError("no checkpoint size or disk-full diagnostic in:\n%s" % text)
    expected = ["GPT checkpoints (%s each" % size.group(1),
                "the disk fills at checkpoint %s, %s in" % (full.group(1), full.group(2))]
    return check("/prose/checkpoints-fill-disk", scenarios_doc(root), expected)


def llm_16k(trainsim, root):
    script = "scenarios/llm-16k-gpus-failures.lua"
    text = run(trainsim, root, "run", script, "--set", "spares=8", "--set", "jitter=0.02")
    repair = re.fullmatch(r"(\d+) node failures, 8 spare nodes, repair .+?: (\d+) waited for a repaired node, "
                          r"(.+) in all", row(text, "repair"))
    slow = re.fullmatch(r"2048 nodes, none slow, jitter 0.02: the slowest is (x[\d.]+) on the device work, "
                        r"(\+[\d.]+ ms) a step", row(text, "stragglers"))
    if repair is None or slow is None:
        raise RuntimeError("repair or stragglers row: %r, %r" % (row(text, "repair"), row(text, "stragglers")))
    spares = run(trainsim, root, "run", script, "--set", "spares=48", "--set", "jitter=0.02")
    jitter = run(trainsim, root, "run", script, "--set", "jitter=0.02", "--replicas", "1")
    expected = ["%s, %s of the %s node failures waiting for a repaired node (%s in all)"
                % (row(text, "wall time"), repair.group(2), repair.group(1), repair.group(3)),
                "(%s on the device work, %s);" % (slow.group(1), slow.group(2)),
                "`--set spares=48 --set jitter=0.02`: none waits, %s." % row(spares, "wall time")]
    if not row(spares, "repair").endswith(": 0 waited for a repaired node, 0 s in all"):
        expected.append("(with 48 spares some job waits: %s)" % row(spares, "repair"))
    model = " ".join(open(os.path.join(root, "docs", "model.md"), encoding="utf-8").read().split())
    name, missing = check("/prose/llm-16k", scenarios_doc(root), expected)
    return name, missing + check(name, model, ["both give %s" % row(jitter, "wall time")])[1]


def main():
    trainsim, root = sys.argv[1], sys.argv[2]
    tests = [validation_flagship, dgx_station, research_group_month, staged_provisioning, checkpoints_fill_disk,
             llm_16k]
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
