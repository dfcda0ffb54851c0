#!/usr/bin/env python3
"""Fit trainsim's model constants to the published runs in scenarios/validation/ (docs/validation.md), and write
plugins/calibration.json (schema 2).  docs/model.md, "Where each number comes from", says what each constant is.

The constants (issue 12; docs/model.md, "Operator-level model" and "Stack constants"):
  per device generation   matmul_efficiency  achieved fraction of the dense peak of a large, tile-aligned product
                          memory_efficiency  achieved fraction of the memory bandwidth; one constant shared by all
                                             generations (the operation list states each memory-bound kernel's
                                             traffic, and streaming kernels reach a like fraction of HBM on every
                                             chip), unless MEMORY_OWN_MIN_CASES is lowered: a generation with that
                                             many cases then carries its own (at most two constants per generation)
  shared by all generations
                          matmul_tile_fixed_s  the seconds each output tile of a product spends outside its k
                                             loop (the pipeline's fill, the tile's epilogue; docs/model.md,
                                             "Operator-level model"); it acts where a catalog states the tile and
                                             the units (matmul_tile, matmul_units: the NVIDIA GPUs)
                          matmul_reuse_edge  the edge, in elements, of the output blocks a product is computed in
                                             between trips to device memory: an operand is read again for each
                                             block of the other side (docs/model.md, "Operand re-reads"); it acts
                                             on every device, wherever a product's re-reads outlast its
                                             arithmetic.  Fitted from several starting edges (EDGE_STARTS, one
                                             of them "none": each operand read once), the lowest objective kept;
                                             at its upper bound it is "none" and leaves the count
  per software stack      overhead_s         per step
                          launch_s           per kernel launch
                          fusion             fraction of fusible memory-bound bytes still moved (eager: 1 by
                                             definition, never fitted)
                          tp_overlap         fraction of the tensor-parallel traffic hidden where a run pipelines
                                             it with the products (parallel.tp_overlap = true)
                          overlap            fraction of the compute window that hides data-parallel traffic
                                             (and the ring attention's key/value exchange)
Every constant is shared by every case of its generation or stack; none belongs to a case, and a case's stack
follows the written rule of docs/validation.md, never the fit.  A stack constant is fitted only where the cases
constrain it (its Jacobian column is not ~0, at the starting values) and while the constants stay within cases / 4,
in the order of STACK_CONSTANTS; the others keep their neutral value (no launch cost, no overhead, fusion 1, no
tensor-parallel traffic hidden, overlap 1), and the file says which.

How: one joint fit of all constants, minimising the sum over all cases of ln(predicted / published)^2 (a factor
of 2 too fast and too slow weigh the same), by Levenberg-Marquardt on the logarithms of the constants.  Every
prediction is a real `trainsim validate --json` run with TRAINSIM_CALIBRATION pointing at a candidate file; the
Jacobian takes one run per group of constants that touch disjoint cases (all matmul efficiencies at once, ...), a
forward step of STEP in ln(constant), or a backward one where the forward step would leave the constant's bounds
(trainsim ignores an efficiency or an overlap above 1: until 2026-12-07 the columns of the memory efficiency and the
overlaps near 1 measured other constants).  Every candidate is checked against BOUNDS before trainsim sees it.
The runs of a Jacobian and the refits below run --jobs at a time (default 2); the result does not depend on it, and
the same cases and build give a byte-identical calibration.json (tests/test-fit.py).

  leave-one-out (LOO)   each case predicted with constants refitted without it: one Gauss-Newton step from the
                        full fit (its Jacobian, the residuals of the other cases), then a real run of that case
  leave-one-family-out  each generation's cases predicted with that generation's constants derived by the
  (LOFO)                inheritance rule from a fit without the generation (the same warm-started step), then
                        a real run of those cases

Inheritance (docs/model.md, "Calibration inheritance"): a generation without cases takes the constants of the
nearest calibrated generation of the same vendor (VENDORS: release order; equal distance goes to the newer one);
a vendor with no calibrated generation (and any device of a user's plugin: `pooled`) takes the geometric mean of
the fitted generations' constants.  Both are written into calibration.json, so no device runs on an undeclared
default.  The band a summary prints: the generation's LOO median |error| when calibrated, else the widest
per-generation LOFO median.

Python 3 standard library only.  Usage (from anywhere):
    python3 tools/fit.py                    # fit, write plugins/calibration.json, print the table
    python3 tools/fit.py --dry-run          # fit and print, write nothing
    python3 tools/fit.py --trainsim build/trainsim --out plugins/calibration.json
"""

import argparse
import concurrent.futures
import contextlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Generations as the catalogs name them, in release order, per vendor (for the inheritance rule above).
VENDORS = {
    "NVIDIA": ["Pascal", "Volta", "Ampere", "Hopper", "Blackwell"],
    "Google": ["TPU v2", "TPU v3", "TPU v4", "TPU v5e", "TPU v5p", "TPU v6e"],
}
STACKS = ["eager", "compiled", "tuned"]
MEMORY_OWN_MIN_CASES = math.inf

# Bounds and starting values of each constant (the fit works on their logarithms).
BOUNDS = {
    "matmul_efficiency": (0.02, 1.0, 0.4),
    "memory_efficiency": (0.05, 1.0, 0.7),
    "matmul_tile_fixed_s": (1e-9, 1e-4, 5e-7),
    "matmul_reuse_edge": (64.0, 1e6, 1e6),
    "overhead_s": (1e-5, 2.0, 2e-3),
    "launch_s": (1e-7, 1e-3, 5e-5),
    "fusion": (0.02, 1.0, 0.6),
    "tp_overlap": (0.01, 1.0, 0.5),
    "overlap": (0.01, 1.0, 0.8),
}
NEUTRAL = {"overhead_s": 0.0, "launch_s": 0.0, "fusion": 1.0, "tp_overlap": 0.0, "overlap": 1.0}
# Stack constants in the order they are taken while the budget lasts (among those the cases constrain).
STACK_CONSTANTS = ["overhead_s", "launch_s", "fusion", "tp_overlap", "overlap"]
# The starting edges of the reuse-edge fit (elements): a Levenberg-Marquardt fit from each, the lowest objective
# kept.  A local fit cannot cross from "no product is bound by its re-reads" to "some are" (the edge's Jacobian
# column is 0 while none is), so the starts span both: 1e6 (the upper bound) is "none", each operand read once.
EDGE_STARTS = [256.0, 512.0, 1024.0, 2048.0, 1e6]
EDGE_NONE = 1e6
STEP = 0.05           # finite-difference step in ln(constant)
COLUMN_MIN = 0.02     # a Jacobian column with a smaller norm leaves its constant unconstrained (not fitted)
# Levenberg-Marquardt stops at the first of: two accepted steps in a row that each lower the objective by less
# than LM_FTOL of it (relative; a tolerance on the objective, not on the constants: a constant with almost no
# effect, a launch cost of 1e-7 s, drifts in ln(constant) without changing any prediction); no lower objective
# found with the damping raised LM_TRIES times in a row (a minimum, as far as the finite-difference Jacobian can
# tell); LM_MAX_ITERATIONS accepted steps (a bound; the log and summary.stopped say when it is reached).  No
# randomness: the same cases and build give the same constants.
LM_MAX_ITERATIONS = 100
LM_FTOL = 1e-4
LM_TRIES = 8
REFIT_TRUST = 0.3
REFIT_STEPS = 1       # real Gauss-Newton steps of a leave-one-out or leave-one-family-out refit (each halved up to 3 times)


def run_validate(trainsim, calibration, paths):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(calibration, f)
        name = f.name
    try:
        env = dict(os.environ, TRAINSIM_CALIBRATION=name)
        p = subprocess.run([trainsim, "validate", "--json"] + paths, env=env, capture_output=True, text=True)
    finally:
        os.unlink(name)
    try:
        out = json.loads(p.stdout)
    except json.JSONDecodeError:
        sys.exit("fit: trainsim validate printed no JSON (exit %d): %s" % (p.returncode, p.stderr.strip()))
    # trainsim sets aside a calibration entry out of its range and warns: a run on a candidate it did not use
    # measures the fallback, not the candidate (the Jacobian bug of the twenty-sixth fit), so it stops the fit.
    refused = [l for l in p.stderr.splitlines() if l.startswith("trainsim: warning:") and "ignored" in l]
    if refused:
        sys.exit("fit: trainsim set aside part of a candidate calibration: " + "; ".join(refused))
    failed = [c for c in out["cases"] if c.get("failure")]
    if failed:
        sys.exit("fit: cases failed to run: " + "; ".join("%s: %s" % (c["name"], c["failure"]) for c in failed))
    return {c["name"]: c for c in out["cases"]}


def vendor_of(generation):
    for vendor, gens in VENDORS.items():
        if generation in gens:
            return vendor
    return None


def nearest(generation, calibrated):
    """The calibrated generation (of the set `calibrated`) this one inherits from, or None (pooled)."""
    vendor = vendor_of(generation)
    if vendor is None:
        return None
    order = VENDORS[vendor]
    i = order.index(generation)
    best = None
    for j, g in enumerate(order):
        if g in calibrated and g != generation:
            key = (abs(i - j), -j)  # nearest; on a tie the newer
            if best is None or key < best[0]:
                best = (key, g)
    return best[1] if best else None


def catalog_generations():
    """Every accelerator generation named by a bundled catalog (plugins/*/*.json; host CPUs excluded)."""
    gens = set()
    for plugin in sorted(os.listdir(os.path.join(ROOT, "plugins"))):
        path = os.path.join(ROOT, "plugins", plugin, plugin + ".json")
        if os.path.exists(path):
            with open(path) as f:
                cat = json.load(f)
            if cat.get("role") == "host":
                continue
            gens.update(d["generation"] for d in cat.get("devices", []) if d.get("generation"))
    return sorted(gens)


def geomean(values):
    values = list(values)
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


class Model:
    """The constants being fitted: names like ('matmul_efficiency', 'Volta') or ('launch_s', 'tuned'), their
    values, and the calibration file they make."""

    def __init__(self, gens, own_memory, stacks, stack_constants, edge=True):
        self.names = [("matmul_efficiency", g) for g in gens]
        self.names += [("memory_efficiency", g) for g in gens if g in own_memory]
        if len(own_memory) < len(gens):
            self.names.append(("memory_efficiency", "*"))
        self.names.append(("matmul_tile_fixed_s", "*"))
        if edge:
            self.names.append(("matmul_reuse_edge", "*"))
        self.names += [(c, s) for s in stacks for c in stack_constants.get(s, [])]
        self.gens, self.own_memory, self.stacks = gens, set(own_memory), stacks

    def start(self):
        return [math.log(BOUNDS[k][2]) for k, _ in self.names]

    def clamp(self, x):
        return [min(max(v, math.log(BOUNDS[k][0])), math.log(BOUNDS[k][1])) for v, (k, _) in zip(x, self.names)]

    def values(self, x):
        vals = {n: math.exp(v) for n, v in zip(self.names, x)}
        for (k, who), v in vals.items():
            # trainsim ignores an entry out of range and runs its cases on other constants without a word in
            # validate's output: a candidate out of the bounds would fit something else than it says.
            lo, hi, _ = BOUNDS[k]
            if not lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9):
                raise ValueError("fit: %s of %s = %r is outside [%g, %g]" % (k, who, v, lo, hi))
        return vals

    def memory(self, vals, g):
        return vals[("memory_efficiency", g if g in self.own_memory else "*")]

    def edge(self, vals):
        """The reuse edge as calibration.json states it: 0 ("none") at or above EDGE_NONE."""
        e = vals.get(("matmul_reuse_edge", "*"), EDGE_NONE)
        return 0.0 if e >= EDGE_NONE * (1 - 1e-9) else e

    def calibration(self, vals, extra_generations=None):
        fixed = vals[("matmul_tile_fixed_s", "*")]
        edge = self.edge(vals)
        gens = [{"generation": g, "matmul_efficiency": vals[("matmul_efficiency", g)],
                 "memory_efficiency": self.memory(vals, g), "matmul_tile_fixed_s": fixed,
                 "matmul_reuse_edge": edge, "calibration": "fit candidate"} for g in self.gens]
        for g, (mm, mem) in (extra_generations or {}).items():
            gens = [e for e in gens if e["generation"] != g]
            gens.append({"generation": g, "matmul_efficiency": mm, "memory_efficiency": mem,
                         "matmul_tile_fixed_s": fixed, "matmul_reuse_edge": edge,
                         "calibration": "fit candidate (derived)"})
        return {"schema_version": 2, "generations": gens, "stacks": self.stacks_out(vals)}

    def stack_value(self, vals, stack, constant):
        return vals.get((constant, stack), NEUTRAL[constant])

    def stacks_out(self, vals):
        return [dict({"stack": s}, **{c: self.stack_value(vals, s, c) for c in STACK_CONSTANTS}) for s in STACKS]

    def groups(self):
        """Constants in groups that touch disjoint cases (one Jacobian run per group)."""
        out = {}
        for i, (k, who) in enumerate(self.names):
            key = k if who != "*" else k + "_shared"
            out.setdefault(key, []).append(i)
        return list(out.values())


def residuals(cases, names_order):
    return [math.log(cases[n]["predicted"] / cases[n]["published"]) for n in names_order]


def solve(a, b):
    """Solve a x = b (a small dense symmetric positive matrix) by Gaussian elimination with partial pivoting."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-300:
            continue
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            if f:
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        s = m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))
        x[r] = s / m[r][r] if abs(m[r][r]) > 1e-300 else 0.0
    return x


def lm_step(jac, res, rows, lam, free):
    """The Levenberg-Marquardt step over the case rows `rows`, constants `free` (indices)."""
    k = len(free)
    a = [[0.0] * k for _ in range(k)]
    g = [0.0] * k
    for i in rows:
        ji = [jac[i][c] for c in free]
        for p in range(k):
            g[p] -= ji[p] * res[i]
            for q in range(k):
                a[p][q] += ji[p] * ji[q]
    for p in range(k):
        a[p][p] += lam * a[p][p] + 1e-9
    return solve(a, g)


class Fitter:
    def __init__(self, trainsim, paths, jobs=1):
        self.trainsim, self.paths, self.runs = trainsim, paths, 0
        self.iterations, self.stop = 0, None
        self.jobs, self.lock = jobs, threading.Lock()

    def predict(self, model, x, paths=None, extra=None):
        with self.lock:
            self.runs += 1
        return run_validate(self.trainsim, model.calibration(model.values(x), extra), paths or self.paths)

    def map(self, fn, items):
        """[fn(item) for item in items], `jobs` at a time: the runs are independent and each result is kept in
        its item's place, so the outcome does not depend on the order they finish in."""
        items = list(items)
        if self.jobs <= 1 or len(items) <= 1:
            return [fn(item) for item in items]
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            return list(pool.map(fn, items))

    def jacobian(self, model, x, base, order):
        r0 = residuals(base, order)
        jac = [[0.0] * len(x) for _ in order]
        probes = []
        for group in model.groups():
            xp = list(x)
            h = {}
            for i in group:
                # A forward step that would leave the bounds goes backward instead: trainsim refuses a
                # calibration entry out of its range (an efficiency or overlap above 1) and runs those cases on
                # other constants, which made the column of a constant near 1 (memory efficiency 0.95, an overlap
                # of 0.997) meaningless until 2026-12-07.
                h[i] = STEP if x[i] + STEP <= math.log(BOUNDS[model.names[i][0]][1]) else -STEP
                xp[i] = x[i] + h[i]
            probes.append((group, xp, h))
        moved = self.map(lambda probe: residuals(self.predict(model, probe[1]), order), probes)
        for (group, _, h), r1 in zip(probes, moved):
            for i in group:
                # Constants of one group touch disjoint cases: a case belongs to the constant of its own
                # generation or stack.
                for row, n in enumerate(order):
                    if touches(model.names[i], base[n]):
                        jac[row][i] = (r1[row] - r0[row]) / h[i]
        return jac

    def fit(self, model, x, order, log):
        x = model.clamp(x)
        base = self.predict(model, x)
        res = residuals(base, order)
        cost = sum(r * r for r in res)
        lam = 1e-2
        jac = None
        stop = "the iteration bound (%d accepted steps) was reached" % LM_MAX_ITERATIONS
        small = 0
        for it in range(LM_MAX_ITERATIONS):
            jac = self.jacobian(model, x, base, order)
            free = free_constants(model, x, jac, res)
            improved = False
            for _ in range(LM_TRIES):
                step = lm_step(jac, res, range(len(order)), lam, free)
                xn = list(x)
                for p, i in enumerate(free):
                    xn[i] += step[p]
                xn = model.clamp(xn)
                cases = self.predict(model, xn)
                rn = residuals(cases, order)
                cn = sum(r * r for r in rn)
                if cn < cost:
                    small = small + 1 if cost - cn < LM_FTOL * cost else 0
                    x, base, res, cost = xn, cases, rn, cn
                    lam = max(lam / 3, 1e-6)
                    improved = True
                    break
                lam *= 8
            log("  iteration %d: sum of squared log errors %.6f, damping %.3g, %d of %d constants free "
                "(%d validate runs)" % (it + 1, cost, lam, len(free), len(x), self.runs))
            if not improved:
                stop = "no lower objective with the damping raised %d times" % LM_TRIES
                break
            if small >= 2:
                stop = "converged (two steps in a row lowered the objective by less than %g of it)" % LM_FTOL
                break
        log("  stopped after %d iterations: %s" % (it + 1, stop))
        self.iterations, self.stop = it + 1, stop
        jac = self.jacobian(model, x, base, order)
        return x, base, res, jac


def free_constants(model, x, jac, res):
    """The constants a step may move: all but those at a bound that the gradient pushes further out (projected
    Levenberg-Marquardt; a clamped step would otherwise spoil the others' move, and the fit would stall at the
    bound with the damping raised)."""
    free = []
    for i in range(len(x)):
        descent = -sum(jac[r][i] * res[r] for r in range(len(res)))  # d(cost)/d(ln c) is -2 x this
        lo, hi, _ = BOUNDS[model.names[i][0]]
        if (abs(x[i] - math.log(hi)) < 1e-9 and descent > 0) or (abs(x[i] - math.log(lo)) < 1e-9 and descent < 0):
            continue
        free.append(i)
    return free


def refit_without(fitter, model, x, jac, res, order, rows, free, with_cost=False):
    """The constants refitted on the case rows `rows` only (`free`: the indices that may move): Gauss-Newton steps
    with the full fit's Jacobian, warm-started at the full fit, each step's residuals from a real run; a step that
    does not lower the fold's objective is halved, up to REFIT_STEPS real runs."""
    cost = sum(res[r] ** 2 for r in rows)
    # Constants the full fit left at a bound stay there (projected Gauss-Newton): a step that pushed them past it
    # would be clamped and spoil the others' move.
    free = [i for i in free if not at_bound(model, x, i)]
    for _ in range(REFIT_STEPS):
        # A trust region of 0.3 in ln(constant): a direction the fold barely constrains must not run away.
        step = [min(max(d, -REFIT_TRUST), REFIT_TRUST) for d in lm_step(jac, res, rows, 0.3, free)]
        for _ in range(3):
            xn = list(x)
            for p, i in enumerate(free):
                xn[i] += step[p]
            xn = model.clamp(xn)
            rn = residuals(fitter.predict(model, xn), order)
            cn = sum(rn[r] ** 2 for r in rows)
            if cn < cost:
                break
            step = [d / 2 for d in step]
        if cn >= cost:
            break
        gain = cost - cn
        x, res, cost = xn, rn, cn
        if gain < 1e-5:
            break
    return (x, cost) if with_cost else x


def fit_from_edges(fitter, model, x, order, log):
    """The fit from each of EDGE_STARTS as the reuse edge's starting value (the other constants from x), the one
    with the lowest objective kept (the first on a tie): fitter.fit's result, with its iterations and stop."""
    if ("matmul_reuse_edge", "*") not in model.names:
        return fitter.fit(model, x, order, log)
    i = model.names.index(("matmul_reuse_edge", "*"))
    best = None
    for e in EDGE_STARTS:
        xs = list(x)
        xs[i] = math.log(e)
        log("starting edge %g" % e)
        out = fitter.fit(model, xs, order, log)
        cost = sum(r * r for r in out[2])
        log("  from edge %g: edge %.4g, sum of squared log errors %.6f" % (e, math.exp(out[0][i]), cost))
        if best is None or cost < best[0]:
            best = (cost, out, fitter.iterations, "from the starting edge %g: %s" % (e, fitter.stop))
    fitter.iterations, fitter.stop = best[2], best[3]
    return best[1]


def refit_fold(fitter, model, x, jac, res, order, rows, free):
    """refit_without on the case rows `rows`; where the model has a reuse edge, also from edge "none" (residuals
    from a real run there, the edge held at none), and the start with the lower objective over `rows` kept: the
    fold chooses between the two as the full fit does between EDGE_STARTS, so a fold without the cases that want
    the edge does not keep it (a constant fitted on the left-out cases would otherwise predict them)."""
    xa, ca = refit_without(fitter, model, x, jac, res, order, rows, free, with_cost=True)
    if ("matmul_reuse_edge", "*") not in model.names:
        return xa
    i = model.names.index(("matmul_reuse_edge", "*"))
    xn = list(x)
    xn[i] = math.log(EDGE_NONE)
    rn = residuals(fitter.predict(model, xn), order)
    xb, cb = refit_without(fitter, model, xn, jac, rn, order, rows, [f for f in free if f != i], with_cost=True)
    return xa if ca <= cb else xb


def at_bound(model, x, i):
    lo, hi, _ = BOUNDS[model.names[i][0]]
    return abs(x[i] - math.log(lo)) < 1e-6 or abs(x[i] - math.log(hi)) < 1e-6


def warm_start(model, path):
    """The constants of an existing schema-2 calibration.json as a starting point (--warm), where it has them."""
    try:
        with open(path) as f:
            cal = json.load(f)
    except (OSError, ValueError):
        return model.start()
    if cal.get("schema_version") != 2:
        return model.start()
    known = {}
    for g in cal.get("generations", []):
        if g.get("fitted_on"):
            known[("matmul_efficiency", g["generation"])] = g["matmul_efficiency"]
            known[("memory_efficiency", g["generation"])] = g["memory_efficiency"]
            if g.get("memory_efficiency_shared"):
                known[("memory_efficiency", "*")] = g["memory_efficiency"]
            if g.get("matmul_tile_fixed_s"):
                known[("matmul_tile_fixed_s", "*")] = g["matmul_tile_fixed_s"]
            known[("matmul_reuse_edge", "*")] = g.get("matmul_reuse_edge") or EDGE_NONE
    for st in cal.get("stacks", []):
        for c in STACK_CONSTANTS:
            if c in st.get("fitted", []):
                known[(c, st["stack"])] = st[c]
    return model.clamp([math.log(known[n]) if known.get(n, 0) > 0 else v for n, v in zip(model.names, model.start())])


def touches(name, case):
    kind, who = name
    if kind in ("matmul_efficiency", "memory_efficiency", "matmul_tile_fixed_s", "matmul_reuse_edge"):
        return who == "*" or case["generation"] == who
    return case.get("stack") == who


def median_abs(errors):
    errors = list(errors)
    return statistics.median(abs(e) for e in errors) if errors else None


@contextlib.contextmanager
def private_copy(trainsim, prefix):
    """A private copy of the binary, of the plugin probe's helper beside it and of its plugins, removed on exit: a
    rebuild in the tree while a fit runs must not swap them underneath.  The copy is outside its build tree, so it
    finds the helper beside itself (docs/plugin-abi.md, "The probe's helper") and the plugins through
    TRAINSIM_PLUGIN_PATH (set here for this process and the runs it starts).  Yields the copy's path."""
    tmpdir = tempfile.mkdtemp(prefix=prefix)
    try:
        shutil.copy2(trainsim, os.path.join(tmpdir, "trainsim"))
        helper = os.path.join(os.path.dirname(os.path.abspath(trainsim)), "trainsim-probe")
        shutil.copy2(helper, os.path.join(tmpdir, "trainsim-probe"))
        plugins = os.path.join(tmpdir, "plugins")
        os.mkdir(plugins, 0o700)
        built = os.path.join(os.path.dirname(os.path.abspath(trainsim)), "plugins")
        for f in sorted(os.listdir(built)):
            if f.endswith(".so") or (f.endswith(".json") and f != "calibration.json"):
                shutil.copy2(os.path.join(built, f), os.path.join(plugins, f))
        os.environ["TRAINSIM_PLUGIN_PATH"] = plugins
        yield os.path.join(tmpdir, "trainsim")
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trainsim", default=os.path.join(ROOT, "build", "trainsim"))
    ap.add_argument("--cases", default=os.path.join(ROOT, "scenarios", "validation"))
    ap.add_argument("--out", default=os.path.join(ROOT, "plugins", "calibration.json"))
    ap.add_argument("--dry-run", action="store_true", help="print the fit, write nothing")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    ap.add_argument("--jobs", type=int, default=2, help="validate runs at a time (default 2: the Jacobian's "
                    "groups, the leave-one-out and leave-one-family-out refits run side by side; the result does "
                    "not depend on it)")
    ap.add_argument("--warm", action="store_true", help="start from the constants of the existing calibration.json "
                    "(fewer validate runs, but not always the same result: which stack constants the cases "
                    "constrain is judged at the starting point, so a warm start can fit another set -- e.g. leave "
                    "the compiled overhead (1e-5 s) at its bound unfitted; plugins/calibration.json is written by "
                    "the default cold start from BOUNDS' starting values)")
    args = ap.parse_args()

    paths = sorted(os.path.join(args.cases, f) for f in os.listdir(args.cases) if f.endswith(".lua"))
    with private_copy(args.trainsim, "trainsim-fit-") as trainsim:
        args.trainsim = trainsim
        fit(args, paths)


def fit(args, paths):
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    fitter = Fitter(args.trainsim, paths, args.jobs)
    first = run_validate(args.trainsim, {"schema_version": 2, "generations": [], "stacks": []}, paths)
    order = sorted(first)
    path_of = {n: first[n]["path"] for n in order}
    by_gen, by_stack = {}, {}
    for n in order:
        by_gen.setdefault(first[n]["generation"], []).append(n)
        by_stack.setdefault(first[n]["stack"], []).append(n)
    for g, names in by_gen.items():
        if len(names) < 2:
            sys.exit("fit: generation %s has one case (%s): a constant needs two published runs" % (g, names[0]))
    gens = sorted(by_gen)
    own_memory = [g for g in gens if len(by_gen[g]) >= MEMORY_OWN_MIN_CASES]
    budget = len(order) // 4
    stacks = sorted(by_stack, key=STACKS.index)

    # The stack constants the cases constrain, then those in priority order while the budget lasts.
    base_count = len(gens) + len(own_memory) + (1 if len(own_memory) < len(gens) else 0) + 1  # + matmul_tile_fixed_s
    if base_count > budget:
        sys.exit("fit: %d generation constants for %d cases: more than cases / 4" % (base_count, len(order)))
    # The reuse edge comes next while the budget lasts, before the stack constants (it acts on every device).
    edge = base_count < budget
    if edge:
        base_count += 1
    # Eager fuses nothing (fusion 1 by definition), and its per-step host work is the kernels it launches, which
    # the host enqueues ahead of the device (the step is the larger of the two: docs/model.md, "Stack constants"),
    # so it carries launch_s and no serial per-step overhead.
    chosen = {s: [c for c in STACK_CONSTANTS if not (s == "eager" and c in ("fusion", "overhead_s"))]
              for s in stacks}
    model = Model(gens, own_memory, stacks, chosen, edge)
    x = warm_start(model, args.out) if args.warm else model.start()
    probe = fitter.predict(model, x)
    jac = fitter.jacobian(model, x, probe, order)
    dropped, over = [], []
    for i, name in enumerate(model.names):
        norm = math.sqrt(sum(jac[r][i] ** 2 for r in range(len(order))))
        if name[0] in NEUTRAL and norm < COLUMN_MIN:
            chosen[name[1]].remove(name[0])
            dropped.append(name)
    count = base_count
    for c in STACK_CONSTANTS:
        for s in stacks:
            if c in chosen[s]:
                if count < budget:
                    count += 1
                else:
                    chosen[s].remove(c)
                    over.append((c, s))
    if dropped:
        log("not fitted (the cases do not constrain them): %s" % ", ".join("%s of %s" % n for n in dropped))
    if over or not edge:
        log("not fitted (beyond cases / 4): %s" % ", ".join(["%s of %s" % n for n in over] +
                                                            ([] if edge else ["matmul_reuse_edge"])))
    if dropped or over:
        old = dict(zip(model.names, x))
        model = Model(gens, own_memory, stacks, chosen, edge)
        x = [old[n] for n in model.names]
    log("fitting %d constants on %d cases" % (len(model.names), len(order)))
    x, final, res, jac = fit_from_edges(fitter, model, x, order, log)
    passes = [(fitter.iterations, fitter.stop)]
    # A stack constant the fit drives to its neutral value (overlap 1, fusion 1: a bound) says nothing the neutral
    # value does not: it goes back to neutral and leaves the count, and the others are fitted again without it.
    # So does a reuse edge at its upper bound ("none").
    at_neutral = [n for n, v in zip(model.names, x)
                  if n[0] in NEUTRAL and NEUTRAL[n[0]] > 0 and abs(v - math.log(NEUTRAL[n[0]])) < 1e-3]
    edge_none = edge and abs(x[model.names.index(("matmul_reuse_edge", "*"))] - math.log(EDGE_NONE)) < 1e-3
    if at_neutral or edge_none:
        log("not fitted (fitted to the neutral value): %s"
            % ", ".join(["%s of %s" % n for n in at_neutral] + (["matmul_reuse_edge (none)"] if edge_none else [])))
        for k, who in at_neutral:
            chosen[who].remove(k)
        old = dict(zip(model.names, x))
        model = Model(gens, own_memory, stacks, chosen, edge and not edge_none)
        x, final, res, jac = fitter.fit(model, [old[n] for n in model.names], order, log)
        passes.append((fitter.iterations, "refitted without the constants at their neutral value: " + fitter.stop))
    # The summary counts the accepted steps of the kept fit and of the refit after it, and says why each stopped.
    fitter.iterations, fitter.stop = sum(i for i, _ in passes), "; ".join(w for _, w in passes)
    vals = model.values(x)

    # Leave one out: a Gauss-Newton step from the full fit without the case, then a real run of the case.
    rows = range(len(order))

    def leave_out(i):
        keep = [r for r in rows if r != i]
        xi = refit_fold(fitter, model, x, jac, res, order, keep, range(len(x)))
        return fitter.predict(model, xi, [path_of[order[i]]])[order[i]]["error"]

    loo = dict(zip(order, fitter.map(leave_out, range(len(order)))))
    # Leave one family (generation) out: the same without all of a generation's cases, the generation's
    # constants then derived by the inheritance rule from the others.
    def leave_family_out(g):
        keep = [r for r in rows if order[r] not in by_gen[g]]
        free = [i for i, name in enumerate(model.names) if not (name[1] == g)]
        xg = refit_fold(fitter, model, x, jac, res, order, keep, free)
        vg = model.values(xg)
        others = [h for h in gens if h != g]
        src = nearest(g, set(others))
        mm = vg[("matmul_efficiency", src)] if src else geomean(vg[("matmul_efficiency", h)] for h in others)
        if g in model.own_memory:
            mem = model.memory(vg, src) if src else geomean(model.memory(vg, h) for h in others)
        else:
            mem = model.memory(vg, g)
        cases = fitter.predict(model, model.clamp(xg), [path_of[n] for n in by_gen[g]], {g: (mm, mem)})
        return {n: cases[n]["error"] for n in by_gen[g]}

    lofo = {}
    for part in fitter.map(leave_family_out, gens):
        lofo.update(part)
    write(args, model, vals, final, order, by_gen, loo, lofo, fitter, log)


def write(args, model, vals, final, order, by_gen, loo, lofo, fitter, log):
    gens = model.gens
    lofo_median = {g: median_abs(lofo[n] for n in by_gen[g]) for g in gens}
    widest = max(gens, key=lambda g: lofo_median[g])
    unc_band = ("\u00b1%.0f %%, the widest leave-one-family-out median (%s runs predicted without their "
                "generation's constants)" % (100 * lofo_median[widest], widest))
    out_gens = []
    for g in gens:
        names = by_gen[g]
        m_loo = median_abs(loo[n] for n in names)
        out_gens.append({
            "generation": g, "plugin": final[names[0]]["plugin"],
            "matmul_efficiency": round(vals[("matmul_efficiency", g)], 4),
            "memory_efficiency": round(model.memory(vals, g), 4),
            "matmul_tile_fixed_s": float("%.4g" % vals[("matmul_tile_fixed_s", "*")]),
            "matmul_reuse_edge": float("%.4g" % model.edge(vals)),
            "fitted": ["matmul_efficiency"] + (["memory_efficiency"] if g in model.own_memory else []),
            "memory_efficiency_shared": g not in model.own_memory,
            "fitted_on": names,
            "in_sample_median_abs_error": round(median_abs(final[n]["error"] for n in names), 4),
            "loo_median_abs_error": round(m_loo, 4),
            "lofo_median_abs_error": round(lofo_median[g], 4),
            "calibration": "calibrated on %d runs" % len(names),
            "label": "\u00b1%.0f %%, leave-one-out median of the %d %s runs" % (100 * m_loo, len(names), g),
        })
    for g in catalog_generations():
        if g in gens:
            continue
        src = nearest(g, set(gens))
        if src is None:
            continue  # pooled below
        out_gens.append({
            "generation": g, "matmul_efficiency": round(vals[("matmul_efficiency", src)], 4),
            "memory_efficiency": round(model.memory(vals, src), 4),
            "matmul_tile_fixed_s": float("%.4g" % vals[("matmul_tile_fixed_s", "*")]),
            "matmul_reuse_edge": float("%.4g" % model.edge(vals)), "fitted": [],
            "derived_from": src,
            "fitted_on": [], "calibration": "uncalibrated: constants derived from %s" % src,
            "median_abs_error": round(lofo_median[widest], 4), "label": unc_band,
        })
    pooled = {
        "matmul_efficiency": round(geomean(vals[("matmul_efficiency", g)] for g in gens), 4),
        "memory_efficiency": round(geomean(model.memory(vals, g) for g in gens), 4),
        "matmul_tile_fixed_s": float("%.4g" % vals[("matmul_tile_fixed_s", "*")]),
        "matmul_reuse_edge": float("%.4g" % model.edge(vals)),
        "pooled_from": gens,
        "calibration": "uncalibrated: constants pooled across vendors (geometric mean of %s)" % ", ".join(gens),
        "median_abs_error": round(lofo_median[widest], 4), "label": unc_band,
    }
    stacks = []
    for s in STACKS:
        entry = {"stack": s}
        for c in STACK_CONSTANTS:
            entry[c] = round(model.stack_value(vals, s, c), 8 if c in ("launch_s", "overhead_s") else 4)
        entry["fitted"] = [c for c in STACK_CONSTANTS if (c, s) in vals]
        entry["neutral"] = [c for c in STACK_CONSTANTS if (c, s) not in vals]
        entry["fitted_on"] = [n for n in order if final[n].get("stack") == s]
        stacks.append(entry)

    all_in = [final[n]["error"] for n in order]
    cases = {n: {"generation": final[n]["generation"], "stack": final[n]["stack"], "workload": final[n]["workload"],
                 "in_sample_error": round(final[n]["error"], 4), "loo_error": round(loo[n], 4),
                 "lofo_error": round(lofo[n], 4)} for n in order}
    bands = []
    kinds = {}
    for n in order:
        kinds.setdefault((final[n]["plugin"], final[n]["workload"]), []).append(n)
    for (plugin, workload), names in sorted(kinds.items()):
        m_loo = median_abs(loo[n] for n in names)
        bands.append({"plugin": plugin, "workload": workload, "cases": len(names),
                      "median_abs_error": round(m_loo, 4),
                      "in_sample_median_abs_error": round(median_abs(final[n]["error"] for n in names), 4),
                      "label": "\u00b1%.0f %%, validation median (leave-one-out) for %s %s runs"
                               % (100 * m_loo, plugin.upper(), workload)})
    out = {
        "schema_version": 2,
        "note": "Written by tools/fit.py from the published runs in scenarios/validation/ (docs/validation.md). "
                "Do not edit by hand: rerun the fit. generations[]: per device generation its matmul_efficiency "
                "and memory_efficiency (fitted, or derived_from the nearest calibrated generation of its vendor) "
                "and the shared matmul_tile_fixed_s (a product's seconds per output tile outside its k loop) and "
                "matmul_reuse_edge (the output block edge of a product's operand re-reads, 0: none); "
                "pooled: for any other device; stacks[]: the software stacks' constants, shared across devices "
                "(`neutral` lists those the cases do not constrain, kept at no launch cost, no overhead, fusion 1, "
                "overlap 1). Each generation's calibration and label are what the summary prints.",
        "command": "python3 tools/fit.py",
        "summary": {
            "cases": len(order), "constants": len(model.names),
            "in_sample_median_abs_error": round(median_abs(all_in), 4),
            "in_sample_max_abs_error": round(max(abs(e) for e in all_in), 4),
            "loo_median_abs_error": round(median_abs(loo.values()), 4),
            "loo_max_abs_error": round(max(abs(e) for e in loo.values()), 4),
            "lofo_median_abs_error": round(median_abs(lofo.values()), 4),
            "lofo_max_abs_error": round(max(abs(e) for e in lofo.values()), 4),
            "validate_runs": fitter.runs,
            "iterations": fitter.iterations,
            "stopped": fitter.stop,
        },
        "generations": out_gens,
        "pooled": pooled,
        "stacks": stacks,
        "cases": cases,
        "bands": bands,
    }

    print("%-50s %-8s %-9s %9s %9s %9s" % ("case", "gen", "stack", "in-sample", "LOO", "LOFO"))
    for n in order:
        c = final[n]
        print("%-50s %-8s %-9s %+8.1f%% %+8.1f%% %+8.1f%%" % (n, c["generation"], c["stack"], 100 * c["error"],
                                                            100 * loo[n], 100 * lofo[n]))
    print()
    print("matmul_tile_fixed_s %.4g s per output tile (shared by all generations)"
          % vals[("matmul_tile_fixed_s", "*")])
    print("matmul_reuse_edge %s (shared by all generations)"
          % ("%.4g elements per output block edge" % model.edge(vals) if model.edge(vals) else "none"))
    for e in out_gens:
        if e["fitted_on"]:
            print("%-10s matmul %.4f  memory %.4f%s  on %d cases  in-sample median %.1f %%  LOO median %.1f %%  "
                  "LOFO median %.1f %%" % (e["generation"], e["matmul_efficiency"], e["memory_efficiency"],
                                           " (shared)" if e["memory_efficiency_shared"] else "", len(e["fitted_on"]),
                                           100 * e["in_sample_median_abs_error"], 100 * e["loo_median_abs_error"],
                                           100 * e["lofo_median_abs_error"]))
        else:
            print("%-10s matmul %.4f  memory %.4f  %s" % (e["generation"], e["matmul_efficiency"],
                                                          e["memory_efficiency"], e["calibration"]))
    print("pooled     matmul %.4f  memory %.4f  %s" % (pooled["matmul_efficiency"], pooled["memory_efficiency"],
                                                       pooled["calibration"]))
    for e in stacks:
        print("stack %-9s overhead %.3g s  launch %.3g s  fusion %.3g  tp_overlap %.3g  overlap %.3g  (fitted: %s; "
              "%d cases)" % (e["stack"], e["overhead_s"], e["launch_s"], e["fusion"], e["tp_overlap"], e["overlap"],
                 ", ".join(e["fitted"]) or "none", len(e["fitted_on"])))
    s = out["summary"]
    print("\n%d cases, %d constants: in sample median |error| %.1f %%, max %.1f %%; leave-one-out median %.1f %%, "
          "max %.1f %%; leave-one-family-out median %.1f %%, max %.1f %% (%d validate runs; %d iterations, %s)"
          % (s["cases"], s["constants"], 100 * s["in_sample_median_abs_error"], 100 * s["in_sample_max_abs_error"],
             100 * s["loo_median_abs_error"], 100 * s["loo_max_abs_error"], 100 * s["lofo_median_abs_error"],
             100 * s["lofo_max_abs_error"], s["validate_runs"], s["iterations"], s["stopped"]))
    if not args.dry_run:
        with open(args.out + ".tmp", "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
        os.replace(args.out + ".tmp", args.out)
        print("wrote", os.path.relpath(args.out))


if __name__ == "__main__":
    main()
