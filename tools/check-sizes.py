#!/usr/bin/env python3
"""Checks that the sources of core/ stay small enough to read, as TAP (issue 15, "one job per file").

    python3 tools/check-sizes.py [SOURCE_ROOT]

Limits:
  files      no .c, .h or .lua file of core/ over MAX_FILE_LINES lines (the scenario prelude is Lua);
  functions  no function of core/ over MAX_FUNCTION_LINES lines, counted from the line that names it to its
             closing brace (the house style puts the name at the start of a line and both braces of a
             function body alone at the start of a line: that is what is parsed here);
  exceptions every file or function listed in EXCEPTIONS below is still over its limit (a paid exception is
             struck from the list, so the list stays true), and the detector finds a long function in a
             made-up source (so the check cannot pass by finding nothing).
A file or function over a limit is split along its seams (one job per file, docs/architecture.md), not listed
here; EXCEPTIONS holds only what another piece of work is rewriting now, each with its reason.
"""

import os
import re
import sys

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 120

# path relative to core/ (and, for a function, "path:name") -> why it is still over the limit
EXCEPTIONS = {}

NAME = re.compile(r"^(?:[A-Za-z_][\w \t\*]*?[\s\*])?([A-Za-z_]\w*)\s*\(")


def sources(core):
    for dirpath, _, files in os.walk(core):
        for name in sorted(files):
            if name.endswith((".c", ".h", ".lua")):
                yield os.path.relpath(os.path.join(dirpath, name), core)


def functions(lines):
    """(name, first line number, length in lines) of each function definition in a source's lines."""
    out = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip() != "{":
            i += 1
            continue
        # The signature: walk back to the line that starts with the function's name (or its type and name).
        start, name = None, None
        for j in range(i - 1, max(i - 12, -1), -1):
            line = lines[j]
            if not line or line[0] in " \t)":
                continue
            if line.startswith(("#", "/*", " *", "}")):
                break
            m = NAME.match(line)
            if m:
                start, name = j, m.group(1)
            break
        end = i + 1
        while end < len(lines) and lines[end].rstrip() != "}":
            end += 1
        if name is not None:
            out.append((name, start + 1, end - start + 1))
        i = end + 1
    return out


def check(root):
    core = os.path.join(root, "core")
    long_files, long_functions, over = [], [], set()
    for src in sources(core):
        with open(os.path.join(core, src), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        n = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
        if n > MAX_FILE_LINES:
            over.add(src)
            if src not in EXCEPTIONS:
                long_files.append("core/%s: %d lines (at most %d)" % (src, n, MAX_FILE_LINES))
        if src.endswith(".c"):
            for name, line, length in functions(lines):
                key = "%s:%s" % (src, name)
                if length > MAX_FUNCTION_LINES:
                    over.add(key)
                    if key not in EXCEPTIONS and src not in EXCEPTIONS:
                        long_functions.append("core/%s:%d: %s is %d lines (at most %d)" % (
                            src, line, name, length, MAX_FUNCTION_LINES))
    stale = ["%s is listed in EXCEPTIONS but is no longer over its limit: strike it" % k
             for k in sorted(EXCEPTIONS) if k not in over]
    made_up = ["static int", "long_one(void)", "{"] + ["  x();"] * MAX_FUNCTION_LINES + ["}", "",
               "static int", "short_one(int a,", "          int b)", "{", "  return a + b;", "}"]
    found = functions(made_up)
    detector = []
    if [(n, l) for n, l, _ in found] != [("long_one", 2), ("short_one", 127)] or found[0][2] <= MAX_FUNCTION_LINES:
        detector.append("the detector read %r from a made-up source with one long and one short function" % (found,))
    return [
        ("/sizes/files: no file of core/ over %d lines" % MAX_FILE_LINES, long_files),
        ("/sizes/functions: no function of core/ over %d lines" % MAX_FUNCTION_LINES, long_functions),
        ("/sizes/exceptions: every listed exception is still over its limit", stale),
        ("/sizes/detector: a long function in a made-up source is found", detector),
    ]


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    cases = check(root)
    print("1..%d" % len(cases))
    failed = 0
    for n, (name, problems) in enumerate(cases, 1):
        if problems:
            failed += 1
            print("not ok %d %s" % (n, name))
            for p in problems:
                print("# " + p)
        else:
            print("ok %d %s" % (n, name))
    for key in sorted(EXCEPTIONS):
        print("# known exception: core/%s: %s" % (key, EXCEPTIONS[key]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
