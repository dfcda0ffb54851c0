#!/usr/bin/env python3
"""/fit/...: tools/fit.py, the program that writes plugins/calibration.json (docs/validation.md, "The fit"), as TAP.

  in_range      every candidate calibration the fit hands trainsim lies within the constants' bounds, the
                finite-difference steps of its Jacobian included: trainsim ignores an entry out of its range (an
                efficiency or overlap above 1) and runs its cases on other constants without a word in validate's
                output, so until 2026-12-07 the columns of the constants near 1 (the memory efficiency, the
                overlaps) were those of other constants and the leave-one-out steps went the wrong way.
  edge_fold     a leave-one-out or leave-one-family-out fold chooses the reuse edge as the full fit does: a fold
                whose cases are fitted better with no edge ("none") drops it, one whose cases need it keeps it, so
                a generation whose cases alone fixed the edge is predicted without it (docs/validation.md, "The
                fit").
  reproducible  the same cases and build give a byte-identical calibration file: the fit, its leave-one-out and
                leave-one-family-out refits run twice on a small set of cases (the 16 TPU v5p and 2 TPU v4 cases of
                scenarios/validation: 2 generations, 4 constants), one validate run at a time and two side by
                side (--jobs 1, 2), and the two files are compared.

Usage: test-fit.py TRAINSIM SOURCE_ROOT
"""

import importlib.util
import math
import os
import shutil
import subprocess
import sys
import tempfile

tests = []


def test(fn):
    tests.append(fn)
    return fn


def load_fit(root):
    spec = importlib.util.spec_from_file_location("fit", os.path.join(root, "tools", "fit.py"))
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    return fit


@test
def in_range(ctx):
    fit = ctx["fit"]
    gens = ["Hopper", "TPU v5p"]
    model = fit.Model(gens, [], ["tuned"], {"tuned": ["overhead_s", "fusion", "tp_overlap", "overlap"]})
    # Where the 25th fit stood: constants within one finite-difference step of their upper bound.
    near = {"matmul_efficiency": 0.98, "memory_efficiency": 0.9533, "matmul_tile_fixed_s": 2.56e-6,
            "matmul_reuse_edge": 9.8e5,
            "overhead_s": 1.5e-3, "fusion": 0.697, "tp_overlap": 0.9967, "overlap": 0.9753}
    x = [math.log(near[k]) for k, _ in model.names]
    cases = {"h": {"generation": "Hopper", "stack": "tuned", "published": 1.0},
             "p": {"generation": "TPU v5p", "stack": "tuned", "published": 1.0}}
    seen = []

    def fake(x, case):
        # ln(prediction) = the sum of the ln(constants) that touch the case: each column is measured, and one
        # group's constants touch disjoint cases, as in trainsim.
        return math.exp(sum(v for v, name in zip(x, model.names) if fit.touches(name, case)))


    class Probe(fit.Fitter):
        def predict(self, model, x, paths=None, extra=None):
            cal = model.calibration(model.values(x), extra)
            seen.append(cal)
            return {n: dict(c, predicted=fake(x, c)) for n, c in cases.items()}

    for c in cases.values():
        c["predicted"] = fake(x, c)
    jac = Probe("trainsim", []).jacobian(model, x, cases, sorted(cases))
    bad = []
    for cal in seen:
        for g in cal["generations"]:
            for k in ("matmul_efficiency", "memory_efficiency"):
                if not 0 < g[k] <= 1:
                    bad.append("%s %s = %r" % (g["generation"], k, g[k]))
            if not (g["matmul_reuse_edge"] == 0 or 16 <= g["matmul_reuse_edge"] <= 1e6):
                bad.append("%s matmul_reuse_edge = %r" % (g["generation"], g["matmul_reuse_edge"]))
        for s in cal["stacks"]:
            for k in ("fusion", "overlap", "tp_overlap"):
                if not 0 <= s[k] <= 1:
                    bad.append("stack %s %s = %r" % (s["stack"], k, s[k]))
    assert seen and not bad, "candidates out of trainsim's ranges: " + "; ".join(bad)
    # Each column is the derivative of ln(prediction) = sum(x): 1 for every constant that touches the case.
    wrong = [(model.names[i], row, jac[row][i]) for row in range(len(cases)) for i in range(len(x))
             if jac[row][i] and abs(jac[row][i] - 1) > 1e-6]
    assert not wrong, "Jacobian entries off their derivative: %s" % wrong
    # And a candidate out of the bounds is refused before trainsim sees it.
    try:
        model.values([v + 0.1 for v in x])
    except ValueError:
        pass
    else:
        raise AssertionError("a memory efficiency above 1 was handed on")


@test
def edge_fold(ctx):
    fit = ctx["fit"]
    model = fit.Model(["Hopper", "TPU v6e"], [], ["tuned"], {"tuned": []})
    idx = {name: i for i, name in enumerate(model.names)}
    e, none, at = idx[("matmul_reuse_edge", "*")], math.log(fit.EDGE_NONE), math.log(800.0)
    # ln(prediction) of each case (published 1): the Hopper cases h1 (slowed a little by re-reads) and h2 (not)
    # are both exact with no edge and cannot both be with one; the v6e cases p1 (bound by its re-reads) and p2
    # (not) are exact only at the edge of 800.
    shape = {"h1": ("Hopper", 0.05, 0.0), "h2": ("Hopper", 0.0, 0.0),
             "p1": ("TPU v6e", 0.5, 0.5 * (none - at)), "p2": ("TPU v6e", 0.0, 0.0)}
    cases = {n: {"generation": g, "stack": "tuned", "published": 1.0} for n, (g, _, _) in shape.items()}

    def fake(x, n):
        g, slope, offset = shape[n]
        return math.exp(x[idx[("matmul_efficiency", g)]] + slope * (none - x[e]) - offset)

    class Probe(fit.Fitter):
        def predict(self, model, x, paths=None, extra=None):
            return {n: dict(c, predicted=fake(x, n)) for n, c in cases.items()}

    x = [math.log(0.5)] * len(model.names)
    x[idx[("matmul_efficiency", "Hopper")]] = 0.0
    x[idx[("matmul_efficiency", "TPU v6e")]] = 0.0
    x[e] = at
    order = sorted(cases)
    fitter = Probe("trainsim", [])
    base = fitter.predict(model, x)
    res = fit.residuals(base, order)
    jac = fitter.jacobian(model, x, base, order)
    rows = {n: order.index(n) for n in order}
    free = [i for i, name in enumerate(model.names) if name[1] != "TPU v6e"]
    # Without the v6e cases: h1 is off by 5 % of ln(1e6 / 800) at the edge and exact at none.
    xg = fit.refit_fold(fitter, model, x, jac, res, order, [rows["h1"], rows["h2"]], free)
    assert abs(xg[e] - none) < 1e-9, "a fold without the cases that want the edge kept it: %g" % math.exp(xg[e])
    # Without the Hopper cases the fold keeps the edge its v6e cases need.
    free = [i for i, name in enumerate(model.names) if name[1] != "Hopper"]
    xh = fit.refit_fold(fitter, model, x, jac, res, order, [rows["p1"], rows["p2"]], free)
    assert abs(xh[e] - at) < 0.05, "a fold whose cases need the edge dropped it: %g" % math.exp(xh[e])


@test
def reproducible(ctx):
    root, trainsim = ctx["root"], ctx["trainsim"]
    src = os.path.join(root, "scenarios", "validation")
    picked = sorted(f for f in os.listdir(src) if f.startswith(("tpu-v5p-", "tpu-v4-")) and f.endswith(".lua"))
    assert len(picked) >= 16, "expected the 16 TPU v5p and 2 TPU v4 cases, found %d" % len(picked)
    with tempfile.TemporaryDirectory(prefix="test-fit-") as tmp:
        cases = os.path.join(tmp, "cases")
        os.mkdir(cases)
        for f in picked:
            shutil.copy(os.path.join(src, f), cases)
        outs = []
        for jobs in (1, 2):
            out = os.path.join(tmp, "calibration-%d.json" % jobs)
            p = subprocess.run([sys.executable, os.path.join(root, "tools", "fit.py"), "--trainsim", trainsim,
                                "--cases", cases, "--out", out, "--quiet", "--jobs", str(jobs)],
                               capture_output=True, text=True)
            assert p.returncode == 0, "fit.py failed (exit %d): %s" % (p.returncode, p.stderr.strip()[-2000:])
            with open(out, "rb") as f:
                outs.append(f.read())
        assert outs[0] == outs[1], "two fits of the same cases and build (one run at a time, two side by side) " \
            "wrote different files"
        assert b'"loo_error"' in outs[0] and b'"lofo_error"' in outs[0], "no leave-one-out figures written"


def main():
    trainsim, root = sys.argv[1], sys.argv[2]
    ctx = {"trainsim": trainsim, "root": root, "fit": load_fit(root)}
    print("1..%d" % len(tests))
    failed = 0
    for i, fn in enumerate(tests, 1):
        try:
            fn(ctx)
        except Exception as e:  # an assertion, or the fit refusing a candidate (ValueError)
            failed += 1
            print("not ok %d /fit/%s" % (i, fn.__name__))
            for line in str(e).splitlines():
                print("# " + line)
            continue
        print("ok %d /fit/%s" % (i, fn.__name__))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
