#!/usr/bin/env python3
"""How much of a leave-one-out or leave-one-family-out figure is the optimiser's (docs/validation.md, "How much of
the figures is the optimiser").

tools/fit.py refits each fold (the cases without one case, or without one generation) by one damped Gauss-Newton
step from the full fit.  This program refits the same folds -- the same objective, cases and constants -- by
other means from the same point, the constants of a calibration.json written by tools/fit.py, and prints for each
the fold's objective (sum of squared log errors over the fold's cases), the left-out prediction's error (a
generation's median |error| for a family), the validate runs and the wall time:

  one-step      tools/fit.py's refit (refit_without)
  lm-kept       Levenberg-Marquardt with the full fit's Jacobian kept, each step checked by a real run, until a
                step gains less than 1e-4 of the objective
  lm-stall      the same, the Jacobian measured afresh where a step fails or gains less than 1e-5 of the objective;
                it stops when a fresh Jacobian's step does
  lm-fresh      a fresh Jacobian at every step (as the full fit), at most 12 steps, until a step gains less than
                1e-7 of the objective and moves no constant by 1e-4 in ln

Python 3 standard library only.  Usage (from anywhere; minutes a fold on a loaded machine):
    python3 tools/fit-noise.py blackwell-transformer-mlperf-v4.1-gpt3-175b-64gpus gen:Blackwell
    python3 tools/fit-noise.py --calibration FILE --jobs 2 CASE ... gen:GENERATION ...
"""

import argparse
import importlib.util
import json
import math
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("fit", os.path.join(ROOT, "tools", "fit.py"))
fit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fit)


def fold_cost(res, rows):
    return sum(res[r] ** 2 for r in rows)


def lm(fitter, model, x, order, rows, free_all, jac, base, ftol, refresh, maxit=40, xtol=math.inf):
    """Projected Levenberg-Marquardt on the fold's rows.  refresh: "never" (the given Jacobian throughout),
    "stall" (afresh where a step fails or gains < ftol; stop when a fresh one's step does), "always"."""
    rowset = set(rows)
    res = fit.residuals(base, order)
    cost = fold_cost(res, rows)
    lam, fresh = 1e-2, refresh == "always"
    for it in range(maxit):
        if refresh == "always" and it > 0:
            jac = fitter.jacobian(model, x, base, order)
        masked = [res[r] if r in rowset else 0.0 for r in range(len(res))]
        free = [i for i in fit.free_constants(model, x, jac, masked) if i in free_all]
        accepted = False
        for _ in range(fit.LM_TRIES):
            step = fit.lm_step(jac, res, rows, lam, free)
            xn = list(x)
            for p, i in enumerate(free):
                xn[i] += step[p]
            xn = model.clamp(xn)
            cases = fitter.predict(model, xn)
            rn = fit.residuals(cases, order)
            cn = fold_cost(rn, rows)
            if cn < cost:
                accepted = True
                break
            lam *= 8
        if accepted:
            gain, moved = cost - cn, max(abs(a - b) for a, b in zip(xn, x))
            x, base, res, cost = xn, cases, rn, cn
            lam = max(lam / 3, 1e-6)
            if gain >= ftol * cost or moved >= xtol:
                fresh = refresh == "always"
                continue
        if refresh != "stall" or fresh:
            break
        jac, fresh = fitter.jacobian(model, x, base, order), True
    return x, cost


def load_point(path, model):
    with open(path) as f:
        cal = json.load(f)
    known = {}
    for g in cal["generations"]:
        if g.get("fitted_on"):
            known[("matmul_efficiency", g["generation"])] = g["matmul_efficiency"]
            known[("memory_efficiency", "*" if g.get("memory_efficiency_shared") else g["generation"])] = \
                g["memory_efficiency"]
            known[("matmul_tile_fixed_s", "*")] = g["matmul_tile_fixed_s"]
            if g.get("matmul_reuse_edge"):
                known[("matmul_reuse_edge", "*")] = g["matmul_reuse_edge"]
    for st in cal["stacks"]:
        for c in st["fitted"]:
            known[(c, st["stack"])] = st[c]
    return [math.log(known[n]) for n in model.names]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folds", nargs="+", help="a case name (leave it out) or gen:GENERATION (leave its cases out)")
    ap.add_argument("--trainsim", default=os.path.join(ROOT, "build", "trainsim"))
    ap.add_argument("--cases", default=os.path.join(ROOT, "scenarios", "validation"))
    ap.add_argument("--calibration", default=os.path.join(ROOT, "plugins", "calibration.json"),
                    help="the full fit whose constants the refits start from")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    paths = sorted(os.path.join(args.cases, f) for f in os.listdir(args.cases) if f.endswith(".lua"))
    with fit.private_copy(args.trainsim, "trainsim-fit-noise-") as trainsim:
        run(args, trainsim, paths)


def run(args, trainsim, paths):
    with open(args.calibration) as f:
        cal = json.load(f)
    fitter = fit.Fitter(trainsim, paths, args.jobs)
    first = fit.run_validate(trainsim, {"schema_version": 2, "generations": [], "stacks": []}, paths)
    order = sorted(first)
    by_gen = {}
    for n in order:
        by_gen.setdefault(first[n]["generation"], []).append(n)
    stacks = sorted({first[n]["stack"] for n in order}, key=fit.STACKS.index)
    chosen = {st["stack"]: list(st["fitted"]) for st in cal["stacks"] if st["stack"] in stacks}
    own = [g["generation"] for g in cal["generations"] if g.get("fitted_on") and not g.get("memory_efficiency_shared")]
    # The reuse edge is a fitted constant where the file states one (0: none, not in the model).
    edge = any(g.get("matmul_reuse_edge") for g in cal["generations"] if g.get("fitted_on"))
    model = fit.Model(sorted(by_gen), own, stacks, chosen, edge)
    x = load_point(args.calibration, model)
    base = fitter.predict(model, x)
    res = fit.residuals(base, order)
    jac = fitter.jacobian(model, x, base, order)
    print("full fit (%s): %d constants, objective %.6f" % (os.path.relpath(args.calibration), len(x),
                                                            fold_cost(res, range(len(order)))), flush=True)

    def family(g, xg):
        vg = model.values(model.clamp(xg))
        others = [h for h in model.gens if h != g]
        src = fit.nearest(g, set(others))
        mm = vg[("matmul_efficiency", src)] if src else fit.geomean(vg[("matmul_efficiency", h)] for h in others)
        mem = model.memory(vg, src) if g in model.own_memory and src else model.memory(vg, g)
        cases = fitter.predict(model, model.clamp(xg), [first[n]["path"] for n in by_gen[g]], {g: (mm, mem)})
        return fit.median_abs(cases[n]["error"] for n in by_gen[g])

    print("%-52s %-9s %10s %10s %6s %7s" % ("fold", "refit", "objective", "left out", "runs", "seconds"))
    for fold in args.folds:
        if fold.startswith("gen:"):
            g = fold[4:]
            if g not in by_gen:
                sys.exit("fit-noise: no generation %r (have %s)" % (g, ", ".join(sorted(by_gen))))
            rows = [r for r in range(len(order)) if order[r] not in by_gen[g]]
            free = [i for i, name in enumerate(model.names) if name[1] != g]
            predict = lambda xx, g=g: family(g, xx)
            shown = "%s (LOFO median)" % fold
        else:
            if fold not in first:
                sys.exit("fit-noise: no case %r" % fold)
            rows = [r for r in range(len(order)) if order[r] != fold]
            free = list(range(len(x)))
            predict = lambda xx, n=fold: fitter.predict(model, xx, [first[n]["path"]])[n]["error"]
            shown = fold
        print("%-52s %-9s %10.6f %+9.1f%%" % (shown, "none", fold_cost(res, rows),
                                              100 * (base[fold]["error"] if fold in base else family(g, x))))
        for method in ("one-step", "lm-kept", "lm-stall", "lm-fresh"):
            t0, r0 = time.time(), fitter.runs
            if method == "one-step":
                xf = fit.refit_without(fitter, model, x, jac, res, order, rows, free)
                cf = fold_cost(fit.residuals(fitter.predict(model, xf), order), rows)
            elif method == "lm-kept":
                xf, cf = lm(fitter, model, x, order, rows, free, jac, base, 1e-4, "never")
            elif method == "lm-stall":
                xf, cf = lm(fitter, model, x, order, rows, free, jac, base, 1e-5, "stall")
            else:
                xf, cf = lm(fitter, model, x, order, rows, free, jac, base, 1e-7, "always", maxit=12, xtol=1e-4)
            err = predict(xf)
            print("%-52s %-9s %10.6f %+9.1f%% %6d %7.0f" % ("", method, cf, 100 * err, fitter.runs - r0,
                                                           time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
