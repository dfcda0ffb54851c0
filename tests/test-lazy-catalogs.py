#!/usr/bin/env python3
"""/startup/lazy/...: catalogs parsed at first use give the same answers as catalogs all parsed at start-up.

A plugin the probe cache vouches for (core/plugin/probe.c: the same plugin file and catalog file as a child
process loaded) has its catalog parsed only when a command first reads it (core/plugin/loader.c,
ts_plugin_get_catalog); with TRAINSIM_PROBE_CACHE=off every catalog is parsed at start-up, as before.  Every
shipped scenario is run both ways with --out, and its terminal output, exit status and every output file must be
byte-identical; so must `devices`, `plugins` and `validate` (each as text and --json), a sweep, a compare, and the
messages for names no catalog has (they list what exists, so they read every catalog).  Six processes starting
together on a new cache (concurrent writers) answer as the eager run does and leave a whole cache.  The tree cache
(core/common/ts-json-cache.c, TRAINSIM_JSON_CACHE) too: every shipped scenario with --out, `devices --json` and
`validate --json` answer the same with the cache off, on a new cache (parsed, images written) and on the images
(/startup/lazy/tree-cache/...).  TAP.

Usage: test-lazy-catalogs.py TRAINSIM SOURCE_ROOT
"""
import filecmp
import glob
import os
import shutil
import subprocess
import sys
import tempfile

BIN, ROOT = sys.argv[1], sys.argv[2]
results = []


def run(args, cache, out=None, trees=None):
    env = dict(os.environ, NO_COLOR="1", TRAINSIM_PROBE_CACHE=cache)
    if trees is not None:
        env["TRAINSIM_JSON_CACHE"] = trees
    env.pop("TRAINSIM_CALIBRATION", None)
    p = subprocess.run([BIN] + args, cwd=ROOT, env=env, capture_output=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def tree(d):
    files = {}
    for base, _, names in os.walk(d):
        for n in names:
            path = os.path.join(base, n)
            files[os.path.relpath(path, d)] = path
    return files


def compare_dirs(a, b):
    """The first difference between two output directories, or None."""
    ta, tb = tree(a), tree(b)
    if sorted(ta) != sorted(tb):
        return "files differ: %s vs %s" % (sorted(ta), sorted(tb))
    for rel in sorted(ta):
        if not filecmp.cmp(ta[rel], tb[rel], shallow=False):
            return "%s differs" % rel
    return None


def both_ways(name, args, tmp, with_out):
    """Runs `args` eagerly and lazily (with --out into the same path each time, as outputs name it)."""
    got = {}
    for mode, cache in (("eager", "off"), ("lazy", os.path.join(tmp, "probes"))):
        work = os.path.join(tmp, "out")
        shutil.rmtree(work, ignore_errors=True)
        a = list(args) + (["--out", work] if with_out else [])
        rc, out, err = run(a, cache)
        kept = os.path.join(tmp, mode, name.strip("/").replace("/", "-"))
        if with_out and os.path.isdir(work):
            shutil.move(work, kept)
        got[mode] = (rc, out, err, kept)
    e, l = got["eager"], got["lazy"]
    why = None
    if e[0] != l[0]:
        why = "exit status %d eager, %d lazy" % (e[0], l[0])
    elif e[1] != l[1]:
        why = "stdout differs"
    elif e[2] != l[2]:
        why = "stderr differs"
    elif with_out and os.path.isdir(e[3]) != os.path.isdir(l[3]):
        why = "one wrote --out, the other did not"
    elif with_out and os.path.isdir(e[3]):
        why = compare_dirs(e[3], l[3])
    results.append((name, why, e[0]))


def tree_cache(name, args, tmp, with_out):
    """Runs `args` (on the warm probe cache) with the tree cache off, on a new one, then on its images."""
    trees = os.path.join(tmp, "trees-" + name.strip("/").replace("/", "-"))
    got = {}
    for mode, where in (("off", "off"), ("cold", trees), ("warm", trees)):
        work = os.path.join(tmp, "out")
        shutil.rmtree(work, ignore_errors=True)
        a = list(args) + (["--out", work] if with_out else [])
        rc, out, err = run(a, os.path.join(tmp, "probes"), trees=where)
        kept = os.path.join(tmp, "trees", mode, name.strip("/").replace("/", "-"))
        if with_out and os.path.isdir(work):
            os.makedirs(os.path.dirname(kept), exist_ok=True)
            shutil.move(work, kept)
        got[mode] = (rc, out, err, kept)
        if mode == "cold" and len(glob.glob(os.path.join(trees, "*.tree"))) < 2:
            results.append((name, "no images written (calibration.json and a catalog at least)", rc))
            return
    why = None
    for mode in ("cold", "warm"):
        e, l = got["off"], got[mode]
        if e[0] != l[0]:
            why = "exit status %d off, %d %s" % (e[0], l[0], mode)
        elif e[1] != l[1] or e[2] != l[2]:
            why = "output differs off and %s" % mode
        elif with_out and os.path.isdir(e[3]):
            why = compare_dirs(e[3], l[3])
        if why is not None:
            break
    results.append((name, why, got["off"][0]))


def main():
    tmp = tempfile.mkdtemp(prefix="trainsim-lazy-")
    try:
        # Fill the private probe cache (a cold cache probes and loads every catalog); later runs defer.
        rc, _, err = run(["plugins"], os.path.join(tmp, "probes"))
        if rc != 0:
            print("1..1\nnot ok 1 /startup/lazy/warm-cache (trainsim plugins: %s)" % err.decode(errors="replace"))
            return 1
        for s in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.lua"))):
            rel = os.path.relpath(s, ROOT)
            both_ways("/startup/lazy/run/" + os.path.basename(s)[:-4], ["run", rel], tmp, True)
        for cmd in (["devices"], ["devices", "--json"], ["devices", "tpu"], ["plugins", "--json"],
                    ["validate"], ["validate", "--json"]):
            both_ways("/startup/lazy/" + "-".join(c.lstrip("-") for c in cmd), cmd, tmp, False)
        both_ways("/startup/lazy/sweep", ["sweep", "scenarios/simclr-tpu-v3-128.lua", "--set", "batch=1024,4096",
                                          "--quiet"], tmp, True)
        both_ways("/startup/lazy/compare", ["compare", "scenarios/simclr-tpu-v3-128.lua",
                                            "scenarios/staged-provisioning.lua"], tmp, False)
        for s in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.lua"))):
            tree_cache("/startup/lazy/tree-cache/run/" + os.path.basename(s)[:-4],
                       ["run", os.path.relpath(s, ROOT)], tmp, True)
        for cmd in (["devices", "--json"], ["validate", "--json"]):
            tree_cache("/startup/lazy/tree-cache/" + "-".join(c.lstrip("-") for c in cmd), cmd, tmp, False)
        # Writers at once: six processes start on a new probe cache together (each probes, loads every catalog
        # and writes the cache by renaming its own temporary file over it, so a line another wrote at the same
        # moment may be lost, never half written); each answers as the eager run does, the cache they leave is
        # well formed, and the next run (which probes whatever lost its line) leaves all four bundled plugins
        # vouched for and answers the same.
        shared = os.path.join(tmp, "probes-concurrent")
        env = dict(os.environ, NO_COLOR="1", TRAINSIM_PROBE_CACHE=shared)
        env.pop("TRAINSIM_CALIBRATION", None)
        argv = [BIN, "run", "scenarios/simclr-tpu-v3-128.lua", "--quiet"]
        procs = [subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(6)]
        outs = [p.communicate(timeout=600) + (p.returncode,) for p in procs]
        eager = run(argv[1:], "off")
        why = None
        for out, err, rc in outs:
            if (rc, out, err) != eager:
                why = "a concurrent cold start answered differently from the eager run (exit %d)" % rc

        def vouched():
            with open(shared) as f:
                lines = f.read().split("\n")
            if not lines[0].startswith("trainsim-plugin-probe ") or lines[-1] != "":
                return None
            if any(len(l.split("\t")) != 6 for l in lines[1:-1]):
                return None
            plugin_dir = os.path.join(os.path.dirname(BIN), "plugins") + os.sep
            return {l.split("\t")[0] for l in lines[1:-1] if l.startswith(plugin_dir) and l.split("\t")[2] == "ok"}

        if why is None and vouched() is None:
            why = "the cache left by concurrent writers is not well formed"
        if why is None and run(argv[1:], shared) != eager:
            why = "the run after the concurrent ones answered differently"
        if why is None and len(vouched() or ()) != 4:
            why = "after the concurrent writers and one more run, %d of 4 plugins vouched for" % len(vouched() or ())
        results.append(("/startup/lazy/concurrent-cold-start", why, 0))
        # Names no catalog has: the messages list the known ones, from every catalog.
        flagship = open(os.path.join(ROOT, "scenarios", "simclr-tpu-v3-128.lua")).read()
        unknown = {
            "slice": flagship.replace('slice = "v3-128"', 'slice = "v3-127"'),
            "sku": flagship.replace('tpu { slice = "v3-128" }', 'gpu { sku = "H100-NOPE", count = 8 }'),
            "any-sku": flagship.replace('tpu { slice = "v3-128" }', 'gpu { sku = "v3-nope", count = 8 }'),
            "instance": flagship.replace('tpu { slice = "v3-128" }', 'gpu { instance = "p9.nope" }'),
            "plugin-sku": flagship.replace('tpu { slice = "v3-128" }', 'tpu { sku = "v9", count = 8 }'),
        }
        for what, text in sorted(unknown.items()):
            if text == flagship:
                results.append(("/startup/lazy/unknown-" + what, "the flagship no longer has the text replaced", 1))
                continue
            path = os.path.join(tmp, "unknown-%s.lua" % what)
            with open(path, "w") as f:
                f.write(text)
            both_ways("/startup/lazy/unknown-" + what, ["run", path], tmp, False)
            if results[-1][1] is None and results[-1][2] == 0:
                results[-1] = (results[-1][0], "the unknown name was accepted", 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(results))
    fail = 0
    for i, (name, why, _) in enumerate(results, 1):
        if why is None:
            print("ok %d %s" % (i, name))
        else:
            fail = 1
            print("not ok %d %s (%s)" % (i, name, why))
    return fail


sys.exit(main())
