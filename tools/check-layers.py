#!/usr/bin/env python3
"""Checks the include graph of core/ against the layer order written in docs/architecture.md, as TAP.

    python3 tools/check-layers.py [SOURCE_ROOT]

Rules (docs/architecture.md, "Layers"):
  order     a file includes headers of its own folder or of a folder on a lower level, never a higher one;
  cycles    no include cycle between headers, nor between folders;
  private   a `*-private.h` header is included only from its own folder;
  known     every violation is listed under "Known debts" in docs/architecture.md, and every debt listed there
            still exists (a paid debt is struck from the list, so the list stays true);
  sdk       the plugin SDK's sources (plugins/sdk/), which core links for its fallback roofline, include only the
            public headers (core/include/trainsim/) and the C library: the SDK stays at level 0.
The layer table and the debts are read from docs/architecture.md itself: the doc is the specification.
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
LAYER_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*`core/([^`]+?)/?`\s*\|")
SYSTEM_INCLUDE = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)
C_LIBRARY = {"assert.h", "ctype.h", "errno.h", "float.h", "inttypes.h", "limits.h", "math.h", "stdarg.h",
             "stdbool.h", "stddef.h", "stdint.h", "stdio.h", "stdlib.h", "string.h"}
DEBT = re.compile(r"^- debt: `core/([^`]+)` includes `([^`]+)`")


def read_spec(root):
    with open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8") as f:
        text = f.read()
    levels, debts = {}, set()
    section = None
    for line in text.split("\n"):
        if line.startswith("## "):
            section = line[3:].strip().lower()
        m = LAYER_ROW.match(line)
        if m and section and section.startswith("layers"):
            levels[m.group(2)] = int(m.group(1))
        m = DEBT.match(line)
        if m and section and section.startswith("known debts"):
            debts.add((m.group(1), m.group(2)))
    return levels, debts


def sources(core):
    for dirpath, _, files in os.walk(core):
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(dirpath, name), core)


def folder_of(path):
    """core-relative path -> its layer folder ("include/trainsim" for the public header)."""
    d = os.path.dirname(path)
    return d


def resolve(core, src, inc):
    """An #include "..." as a core-relative path, or None if it is not a header of core/."""
    here = os.path.join(os.path.dirname(src), inc)
    if os.path.exists(os.path.join(core, here)):
        return os.path.normpath(here)
    if os.path.exists(os.path.join(core, inc)):
        return os.path.normpath(inc)
    if os.path.exists(os.path.join(core, "include", inc)):
        return os.path.normpath(os.path.join("include", inc))
    return None  # generated (prelude.c) or outside core


def find_cycles(graph):
    """Strongly connected components with more than one node (or a self-loop), each as a sorted list."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def sdk_problems(root):
    """Quoted includes of plugins/sdk/ that are not level 0's public headers, and `<...>` ones that are not the C
    library's: core links this code (docs/architecture.md, "Layers"), so an include of anything above level 0 would
    be a hidden edge upward, and one of a plugin's header would make core know a plugin."""
    sdk = os.path.join(root, "plugins", "sdk")
    public = os.path.join(root, "core", "include")
    problems = []
    if not os.path.isdir(sdk):
        return ["plugins/sdk/ is missing: docs/architecture.md says core links the SDK's library built from it"]
    for dirpath, _, files in os.walk(sdk):
        for name in sorted(files):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                if not (inc.startswith("trainsim/") and os.path.exists(os.path.join(public, inc))):
                    problems.append("%s includes \"%s\": the SDK includes only trainsim/ headers (level 0)" % (rel, inc))
            for inc in SYSTEM_INCLUDE.findall(text):
                if inc not in C_LIBRARY:
                    problems.append("%s includes <%s>: the SDK uses only the C library" % (rel, inc))
    return problems


def check(root):
    """Returns (cases, debts): cases are (name, list of problems); debts the set still listed."""
    core = os.path.join(root, "core")
    levels, debts = read_spec(root)
    edges = []  # (src, header)
    unknown_folders = set()
    for src in sources(core):
        with open(os.path.join(core, src), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            target = resolve(core, src, inc)
            if target is not None:
                edges.append((src, target))
    order, private, seen_debts = [], [], set()
    for src, target in edges:
        fs, ft = folder_of(src), folder_of(target)
        for folder in (fs, ft):
            if folder not in levels:
                unknown_folders.add(folder)
        problem = None
        if ft != fs and os.path.basename(target).endswith("-private.h"):
            problem = ("private", "core/%s includes %s: a -private.h header outside its folder (%s/)" % (src, target, ft))
        elif fs in levels and ft in levels and levels[ft] > levels[fs]:
            problem = ("order", "core/%s includes %s: %s/ (level %d) is above %s/ (level %d)" % (
                src, target, ft, levels[ft], fs, levels[fs]))
        if problem is None:
            continue
        if (src, target) in debts:
            seen_debts.add((src, target))
            continue
        (private if problem[0] == "private" else order).append(problem[1])
    header_graph, folder_graph = {}, {}
    for src, target in edges:
        header_of_src = src if src.endswith(".h") else None
        if header_of_src:
            header_graph.setdefault(src, set()).add(target)
        fs, ft = folder_of(src), folder_of(target)
        if fs != ft:
            folder_graph.setdefault(fs, set()).add(ft)
    cycles = []
    for comp in find_cycles(header_graph):
        cycles.append("headers include each other: " + " -> ".join(comp))
    for comp in find_cycles(folder_graph):
        debt_edges = [(s, t) for s, t in edges if folder_of(s) in comp and folder_of(t) in comp
                      and folder_of(s) != folder_of(t) and (s, t) in debts]
        if debt_edges:
            continue  # a listed debt is what closes it; the order rule reports it
        cycles.append("folders include each other: " + ", ".join(c + "/" for c in comp))
    stale = ["`core/%s` includes `%s` is listed under Known debts but no longer happens: strike it" % d
             for d in sorted(debts - seen_debts)]
    spec = []
    if not levels:
        spec.append("docs/architecture.md has no layer table under \"## Layers\"")
    spec += ["core/%s/ is in no layer of docs/architecture.md: add it to the table" % f for f in sorted(unknown_folders)]
    cases = [
        ("/layers/spec: every folder of core/ has a level in docs/architecture.md", spec),
        ("/layers/order: no include of a higher layer from a lower one", order),
        ("/layers/cycles: no include cycle between headers or folders", cycles),
        ("/layers/private: no -private.h header included outside its folder", private),
        ("/layers/debts: every known debt listed still exists", stale),
        ("/layers/sdk: plugins/sdk/, linked into core, includes only level 0 and the C library", sdk_problems(root)),
    ]
    return cases, debts


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cases, debts = check(root)
    print("1..%d" % len(cases))
    failed = 0
    for n, (name, problems) in enumerate(cases, 1):
        if problems:
            failed += 1
            print("not ok %d %s" % (n, name))
            for p in problems:
                print("# " + p)
            print("# (docs/architecture.md, \"Layers\": move the code to the right layer, or pass the value down; "
                  "an include that must stay for now is listed under \"Known debts\" with its reason)")
        else:
            print("ok %d %s" % (n, name))
    if debts:
        print("# %d known debts (docs/architecture.md)" % len(debts))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
