#!/usr/bin/env python3
"""Fit trainsim's efficiency constants to the published runs in scenarios/validation/ (docs/validation.md).

The rule (docs/architecture.md, "Calibration"): a constant belongs to a family = device generation x workload
class; each constant is fitted on at least two published runs at once; there are fewer constants than cases;
no scenario carries a constant of its own.  Here each family has exactly one fitted constant, its efficiency
(achieved fraction of the dense peak at large per-device batch).  half_batch and step_overhead_s are priors,
never fitted (PRIORS below says where they come from).

How: `trainsim validate --json` is run with TRAINSIM_CALIBRATION pointing at a candidate calibration file.  A
case's prediction depends only on its own family's constants, so every family is searched at once: each run
of the validator sets one candidate efficiency per family.  The objective of a family is the sum over its
cases of ln(predicted / published)^2 (squared log error: a factor of 2 too fast and too slow weigh the same).
Leave-one-out: for every case, its family is refitted without it and the case is predicted with that constant.

Devices without constants of their own (docs/model.md, "Calibration inheritance"): a generation with no fitted
family for a workload class inherits the constants of the nearest calibrated generation of the same vendor
(VENDORS: release order; equal distance goes to the newer one), carried through the roofline (the fraction of
peak transfers, the peaks and bandwidths are the device's own).  A generation of a vendor with no calibrated
generation for that class (and any device of a user's plugin) takes the constants pooled across vendors: the
geometric mean of the fitted families' efficiencies of that class.  Both are written into calibration.json, so
no device runs on an undeclared default.  Leave-one-family-out (LOFO): every case of a generation is predicted
with its generation's families replaced by what this rule derives from the others - the honest error for a
generation nobody fitted, and the band those devices print (the widest family LOFO median of the class).

Python 3 standard library only.  Usage (from anywhere):
    python3 tools/fit.py                    # fit, write plugins/calibration.json, print the table
    python3 tools/fit.py --dry-run          # fit and print, write nothing
    python3 tools/fit.py --trainsim build/trainsim --out plugins/calibration.json
"""

import argparse
import datetime
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Priors: not fitted.  half_batch (images per device at which a conv net reaches half its large-batch
# efficiency) is the value the first calibration file carried for TPU v3 and P100 ResNet-50 (docs/model.md,
# "First constants"), applied to every convolutional family; transformers get none (a micro-batch of one
# sequence is already thousands of tokens).  step_overhead_s: the first file's 5 ms for conv families, none
# for transformers (steps of seconds).  Keyed by workload.
PRIORS = {
    "conv": {"half_batch": 8.0, "step_overhead_s": 0.005,
             "source": "first calibration file (docs/model.md, 'First constants'): TPU v3 / P100 ResNet-50 priors"},
    "transformer": {"half_batch": 0.0, "step_overhead_s": 0.0,
                    "source": "none: per-device micro-batches of whole sequences"},
}

# Families that share one constant (a workload class across generations) when one of them has a single case.
# Form: {(generation, workload): group}.  TPU v4 has one case of each class (the MLPerf v2.0 ResNet-50 on a
# v4-8192 slice; PaLM 540B on two v4 pods): each shares its class's constant with TPU v3, the generation before it
# of the same design (bfloat16 MXUs fed by XLA; v4 has twice v3's MXUs per core and the same HBM2 kind).
SHARED = {
    ("TPU v3", "conv"): ("TPU v3-v4", "conv"),
    ("TPU v4", "conv"): ("TPU v3-v4", "conv"),
    ("TPU v3", "transformer"): ("TPU v3-v4", "transformer"),
    ("TPU v4", "transformer"): ("TPU v3-v4", "transformer"),
}

# Generations as the catalogs name them, in release order, per vendor (for the inheritance rule above).
VENDORS = {
    "NVIDIA": ["Pascal", "Volta", "Ampere", "Hopper", "Blackwell"],
    "Google": ["TPU v2", "TPU v3", "TPU v4", "TPU v5e", "TPU v5p", "TPU v6e"],
}
WORKLOADS = ["conv", "transformer"]

EFF_MIN, EFF_MAX = 0.02, 1.0
# The plugins of the build tree the binary came from: the fit runs a private copy of the binary, which no longer
# sits in its build tree and would otherwise look for installed plugins only (core/plugin/registry.c).
PLUGIN_DIR = None
GOLDEN_ITERATIONS = 48


def family_key(case):
    key = (case["generation"], case["workload"])
    return SHARED.get(key, key)


def run_validate(trainsim, calibration, paths):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(calibration, f)
        name = f.name
    try:
        env = dict(os.environ, TRAINSIM_CALIBRATION=name)
        if PLUGIN_DIR:
            env["TRAINSIM_PLUGIN_PATH"] = PLUGIN_DIR
        p = subprocess.run([trainsim, "validate", "--json"] + paths, env=env, capture_output=True, text=True)
    finally:
        os.unlink(name)
    try:
        out = json.loads(p.stdout)
    except json.JSONDecodeError:
        sys.exit("fit: trainsim validate printed no JSON (exit %d): %s" % (p.returncode, p.stderr.strip()))
    failed = [c for c in out["cases"] if c.get("failure")]
    if failed:
        sys.exit("fit: cases failed to run: " + "; ".join("%s: %s" % (c["name"], c["failure"]) for c in failed))
    return {c["name"]: c for c in out["cases"]}


def calibration_for(families, efficiency):
    """A calibration file with one efficiency per family (families: key -> list of (generation, workload))."""
    out = []
    for key, members in families.items():
        for generation, workload in members:
            prior = PRIORS[workload]
            out.append({"generation": generation, "workload": workload, "efficiency": efficiency[key],
                        "half_batch": prior["half_batch"], "step_overhead_s": prior["step_overhead_s"]})
    return {"schema_version": 1, "families": out}


def catalog_generations():
    """Every generation named by a bundled catalog (plugins/*/*.json)."""
    gens = set()
    for plugin in sorted(os.listdir(os.path.join(ROOT, "plugins"))):
        path = os.path.join(ROOT, "plugins", plugin, plugin + ".json")
        if os.path.exists(path):
            with open(path) as f:
                gens.update(d["generation"] for d in json.load(f).get("devices", []) if d.get("generation"))
    return sorted(gens)


def vendor_of(generation):
    for vendor, gens in VENDORS.items():
        if generation in gens:
            return vendor
    return None


def nearest(generation, workload, calibrated):
    """The calibrated generation (of `calibrated`, a set of (generation, workload)) this one inherits from, or
    None when its vendor has none for the class (then the pooled constants apply)."""
    vendor = vendor_of(generation)
    if vendor is None:
        return None
    order = VENDORS[vendor]
    i = order.index(generation)
    best = None
    for j, g in enumerate(order):
        if (g, workload) in calibrated and g != generation:
            key = (abs(i - j), -j)  # nearest; on a tie the newer
            if best is None or key < best[0]:
                best = (key, g)
    return best[1] if best else None


def pooled_efficiency(efficiency, workload, exclude=None):
    """Geometric mean of the fitted efficiencies of a workload class (without generation `exclude`)."""
    effs = [e for (g, w), e in efficiency.items() if w == workload and g != exclude]
    return math.exp(sum(math.log(e) for e in effs) / len(effs)) if effs else None


def derived_calibration(efficiency, replace):
    """A calibration file with every fitted family of `efficiency` ((generation, workload) -> efficiency) except
    those of the generations in `replace`: each of those gets the constants the inheritance rule derives from all
    the other generations (itself left out, the others kept: a case depends only on its own generation)."""
    fams = []
    for (g, w), e in efficiency.items():
        if g in replace:
            continue
        prior = PRIORS[w]
        fams.append({"generation": g, "workload": w, "efficiency": e, "half_batch": prior["half_batch"],
                     "step_overhead_s": prior["step_overhead_s"]})
    for g in replace:
        kept = {k: v for k, v in efficiency.items() if k[0] != g}
        for w in WORKLOADS:
            src = nearest(g, w, set(kept))
            e = kept[(src, w)] if src else pooled_efficiency(kept, w)
            if e is None:
                continue
            prior = PRIORS[w]
            fams.append({"generation": g, "workload": w, "efficiency": e, "half_batch": prior["half_batch"],
                         "step_overhead_s": prior["step_overhead_s"]})
    return {"schema_version": 1, "families": fams}


def log_error(case):
    return math.log(case["predicted"] / case["published"])


def search(trainsim, paths, families, objectives):
    """Golden-section search on ln(efficiency), every family at once.  objectives: key -> set of case names
    (the cases a family is fitted on in this fold).  Returns key -> efficiency."""
    lo = {k: math.log(EFF_MIN) for k in objectives}
    hi = {k: math.log(EFF_MAX) for k in objectives}
    g = (math.sqrt(5) - 1) / 2

    def evaluate(x):
        eff = {k: math.exp(x[k]) for k in objectives}
        for k in families:
            eff.setdefault(k, 0.5)
        cases = run_validate(trainsim, calibration_for(families, eff), paths)
        return {k: sum(log_error(cases[n]) ** 2 for n in names) for k, names in objectives.items()}

    a = {k: hi[k] - g * (hi[k] - lo[k]) for k in objectives}
    b = {k: lo[k] + g * (hi[k] - lo[k]) for k in objectives}
    fa, fb = evaluate(a), evaluate(b)
    for _ in range(GOLDEN_ITERATIONS):
        nxt = {}
        for k in objectives:
            if fa[k] < fb[k]:
                hi[k], b[k], fb[k] = b[k], a[k], fa[k]
                nxt[k] = ("a", hi[k] - g * (hi[k] - lo[k]))
            else:
                lo[k], a[k], fa[k] = a[k], b[k], fb[k]
                nxt[k] = ("b", lo[k] + g * (hi[k] - lo[k]))
        x = {k: v for k, (_, v) in nxt.items()}
        fx = evaluate(x)
        for k, (which, v) in nxt.items():
            if which == "a":
                a[k], fa[k] = v, fx[k]
            else:
                b[k], fb[k] = v, fx[k]
    return {k: math.exp((lo[k] + hi[k]) / 2) for k in objectives}


def median_abs(errors):
    return statistics.median(abs(e) for e in errors) if errors else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trainsim", default=os.path.join(ROOT, "build", "trainsim"))
    ap.add_argument("--cases", default=os.path.join(ROOT, "scenarios", "validation"))
    ap.add_argument("--out", default=os.path.join(ROOT, "plugins", "calibration.json"))
    ap.add_argument("--dry-run", action="store_true", help="print the fit, write nothing")
    args = ap.parse_args()

    paths = sorted(os.path.join(args.cases, f) for f in os.listdir(args.cases) if f.endswith(".lua"))
    # A private copy of the binary: a rebuild in the tree while the fit runs must not swap it underneath.
    global PLUGIN_DIR
    plugins = os.path.join(os.path.dirname(os.path.abspath(args.trainsim)), "plugins")
    PLUGIN_DIR = plugins if os.path.isdir(plugins) else None
    tmpdir = tempfile.mkdtemp(prefix="trainsim-fit-")
    try:
        shutil.copy2(args.trainsim, os.path.join(tmpdir, "trainsim"))
        args.trainsim = os.path.join(tmpdir, "trainsim")
        fit(args, paths)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def fit(args, paths):
    first = run_validate(args.trainsim, {"schema_version": 1, "families": []}, paths)
    cases = list(first.values())

    families = {}   # key -> [(generation, workload)]
    members = {}    # key -> [case names]
    for c in cases:
        k = family_key(c)
        pair = (c["generation"], c["workload"])
        if pair not in families.setdefault(k, []):
            families[k].append(pair)
        members.setdefault(k, []).append(c["name"])
    for k, names in members.items():
        if len(names) < 2:
            sys.exit("fit: family %s has one case (%s): a constant needs two published runs; add a run or share "
                     "the constant across generations (SHARED)" % (" / ".join(k), names[0]))
    if len(families) >= len(cases):
        sys.exit("fit: %d constants for %d cases: the rule needs fewer constants than cases"
                 % (len(families), len(cases)))

    # In sample: every family on all its cases.
    fitted = search(args.trainsim, paths, families, {k: set(v) for k, v in members.items()})
    final = run_validate(args.trainsim, calibration_for(families, fitted), paths)

    # Leave one out: fold j leaves out the j-th case of every family that has one.
    loo = {}
    loo_eff = {}
    folds = max(len(v) for v in members.values())
    for j in range(folds):
        objectives = {k: set(v) - {v[j]} for k, v in members.items() if j < len(v)}
        eff = search(args.trainsim, paths, families, objectives)
        for k in families:
            eff.setdefault(k, fitted[k])
        pred = run_validate(args.trainsim, calibration_for(families, eff), paths)
        for k, v in members.items():
            if j < len(v):
                loo[v[j]] = pred[v[j]]["error"]
                loo_eff[v[j]] = eff[k]

    # Leave one family (generation) out: one run, since a case depends only on its own generation's constants.
    by_pair = {}
    for k in families:
        for pair in families[k]:
            by_pair[pair] = fitted[k]
    fitted_gens = sorted({g for g, _ in by_pair})
    lofo_cases = run_validate(args.trainsim, derived_calibration(by_pair, set(fitted_gens)), paths)
    lofo = {n: lofo_cases[n]["error"] for n in final}
    lofo_family = {}
    for n, c in final.items():
        lofo_family.setdefault((c["generation"], c["workload"]), []).append(abs(lofo[n]))
    lofo_median = {k: statistics.median(v) for k, v in lofo_family.items()}
    widest = {w: max(((m, k) for k, m in lofo_median.items() if k[1] == w), default=(None, None)) for w in WORKLOADS}

    def uncalibrated_band(w):
        m, k = widest[w]
        if m is None:
            return None, "no band: no calibrated family of this class"
        return m, ("\u00b1%.0f %%, the widest leave-one-family-out median (%s %s runs predicted without their "
                   "generation's constants)" % (100 * m, k[0], w))

    # The file the plugins load.
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    fam_out = []
    for k in sorted(families, key=lambda k: (k[1], k[0]) if isinstance(k, tuple) else (k, "")):
        names = sorted(members[k])
        ins = {n: round(final[n]["error"], 4) for n in names}
        lo = {n: round(loo[n], 4) for n in names}
        for generation, workload in families[k]:
            prior = PRIORS[workload]
            fam_out.append({
                "generation": generation, "workload": workload, "plugin": final[names[0]]["plugin"],
                "efficiency": round(fitted[k], 4),
                "half_batch": prior["half_batch"], "step_overhead_s": prior["step_overhead_s"],
                "fitted": ["efficiency"], "priors": prior["source"],
                "shared_with": [" / ".join(p) for p in families[k] if p != (generation, workload)],
                "fitted_on": names,
                "in_sample_error": ins, "loo_error": lo,
                "loo_efficiency": {n: round(loo_eff[n], 4) for n in names},
                "in_sample_median_abs_error": round(median_abs(ins.values()), 4),
                "loo_median_abs_error": round(median_abs(lo.values()), 4),
                "lofo_error": {n: round(lofo[n], 4) for n in names},
                "lofo_median_abs_error": round(lofo_median[(generation, workload)], 4),
                "calibration": "calibrated on %d runs" % len(names),
                "label": "\u00b1%.0f %%, leave-one-out median of the %d %s %s runs"
                         % (100 * median_abs(lo.values()), len(names), generation, workload),
            })
    # Generations of the catalogs without a fitted family of a class: constants by the inheritance rule.
    for g in catalog_generations():
        for w in WORKLOADS:
            if (g, w) in by_pair:
                continue
            src = nearest(g, w, set(by_pair))
            if src is None:
                continue  # pooled below
            m, label = uncalibrated_band(w)
            prior = PRIORS[w]
            fam_out.append({
                "generation": g, "workload": w, "efficiency": round(by_pair[(src, w)], 4),
                "half_batch": prior["half_batch"], "step_overhead_s": prior["step_overhead_s"],
                "fitted": [], "derived_from": src, "fitted_on": [],
                "calibration": "uncalibrated: constants derived from %s" % src,
                "median_abs_error": round(m, 4) if m is not None else None, "label": label,
            })
    pooled = []
    for w in WORKLOADS:
        e = pooled_efficiency(by_pair, w)
        if e is None:
            continue
        m, label = uncalibrated_band(w)
        prior = PRIORS[w]
        srcs = sorted(g for g, ww in by_pair if ww == w)
        pooled.append({
            "workload": w, "efficiency": round(e, 4), "half_batch": prior["half_batch"],
            "step_overhead_s": prior["step_overhead_s"], "pooled_from": srcs,
            "calibration": "uncalibrated: constants pooled across vendors (geometric mean of %s)" % ", ".join(srcs),
            "median_abs_error": round(m, 4) if m is not None else None, "label": label,
        })

    bands = []
    kinds = {}
    for c in final.values():
        kinds.setdefault((c["plugin"], c["workload"]), []).append(c["name"])
    for (plugin, workload), names in sorted(kinds.items()):
        m_in = median_abs([final[n]["error"] for n in names])
        m_loo = median_abs([loo[n] for n in names])
        bands.append({"plugin": plugin, "workload": workload, "cases": len(names),
                      "median_abs_error": round(m_loo, 4), "in_sample_median_abs_error": round(m_in, 4),
                      "label": "\u00b1%.0f %%, validation median (leave-one-out) for %s %s runs"
                               % (100 * m_loo, plugin.upper(), workload)})

    all_in = [c["error"] for c in final.values()]
    all_loo = list(loo.values())
    out = {
        "schema_version": 1,
        "note": "Written by tools/fit.py from the published runs in scenarios/validation/ (docs/validation.md). "
                "Do not edit by hand: rerun the fit. One fitted constant (efficiency) per fitted family; half_batch "
                "and step_overhead_s are priors. Families with derived_from and the pooled entries are not "
                "fitted: they carry constants by the inheritance rule (docs/model.md) so that no device runs on "
                "an undeclared default. Each entry's calibration and label are what the summary prints; bands[] "
                "summarise the runs by plugin and workload.",
        "generated": now,
        "command": "python3 tools/fit.py",
        "summary": {
            "cases": len(final), "constants": len(families),
            "in_sample_median_abs_error": round(median_abs(all_in), 4),
            "in_sample_max_abs_error": round(max(abs(e) for e in all_in), 4),
            "loo_median_abs_error": round(median_abs(all_loo), 4),
            "loo_max_abs_error": round(max(abs(e) for e in all_loo), 4),
            "lofo_median_abs_error": round(median_abs(lofo.values()), 4),
            "lofo_max_abs_error": round(max(abs(e) for e in lofo.values()), 4),
        },
        "families": fam_out,
        "pooled": pooled,
        "bands": bands,
    }

    print("%-46s %-8s %-11s %9s %9s %9s %9s" % ("case", "gen", "workload", "in-sample", "LOO", "LOO eff", "LOFO"))
    for k in sorted(members):
        for n in sorted(members[k]):
            c = final[n]
            print("%-46s %-8s %-11s %+8.1f%% %+8.1f%% %9.3f %+8.1f%%" % (
                n, c["generation"], c["workload"], 100 * c["error"], 100 * loo[n], loo_eff[n], 100 * lofo[n]))
    print()
    for f in fam_out:
        if not f["fitted_on"]:
            print("%-8s %-11s efficiency %.4f  %s" % (f["generation"], f["workload"], f["efficiency"], f["calibration"]))
            continue
        print("%-8s %-11s efficiency %.4f  on %d cases  in-sample median %.1f %%  LOO median %.1f %%"
              % (f["generation"], f["workload"], f["efficiency"], len(f["fitted_on"]),
                 100 * f["in_sample_median_abs_error"], 100 * f["loo_median_abs_error"]))
    s = out["summary"]
    for p in pooled:
        print("pooled   %-11s efficiency %.4f  %s" % (p["workload"], p["efficiency"], p["calibration"]))
    print("\n%d cases, %d constants: in sample median |error| %.1f %%, max %.1f %%; leave-one-out median %.1f %%, "
          "max %.1f %%; leave-one-family-out median %.1f %%, max %.1f %%"
          % (s["cases"], s["constants"], 100 * s["in_sample_median_abs_error"], 100 * s["in_sample_max_abs_error"],
             100 * s["loo_median_abs_error"], 100 * s["loo_max_abs_error"], 100 * s["lofo_median_abs_error"],
             100 * s["lofo_max_abs_error"]))
    if not args.dry_run:
        with open(args.out + ".tmp", "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
        os.replace(args.out + ".tmp", args.out)
        print("wrote", os.path.relpath(args.out))


if __name__ == "__main__":
    main()
