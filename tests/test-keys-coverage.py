#!/usr/bin/env python3
"""/keys/...: every constructor and action of the scenario API refuses a misspelled key with file:line and the keys it
accepts, and a bad-input script in tests/bad/ shows it (issue 16, "Done means"), as TAP.

The constructors are read from the prelude, core/scenario/prelude-*.lua in the order embed.py joins them (`NAME = api("NAME", ...)`, `models.NAME`, `datasets`
entries), the actions from its `runner.NAME = validated("NAME", ...)`, and every option table it checks by name
(`check_keys(t, {...}, "what")`: an action's options, r:train's parallel, checkpoint, ...). For each, some script of
tests/bad/ must expect "NAME: unknown field X; accepted: ..." (an action's "NAME: options: ...") and each table
"...: what: unknown field X; accepted: ..." at a line (":N:" or "FILE.lua:N:"); test-cli.c
runs those scripts and checks the message. A function that takes no table of keys is listed in NO_KEYS with why.

Usage: test-keys-coverage.py SOURCE_ROOT
"""

import os
import re
import sys

# name -> why it has no misspelled-key case
NO_KEYS = {
    "param": "takes a name and a default, no table",
    "run": "takes a cluster and a function, no table",
    "r:join": "takes nothing",
    "r:release": "takes the accelerator to release, no table",
    "r:wait": "takes a duration, no table",
}


def main():
    root = sys.argv[1]
    parts = ("checks", "hardware", "models", "run")  # core/meson.build's order: one chunk
    prelude = "".join(open(os.path.join(root, "core", "scenario", "prelude-%s.lua" % p)).read() for p in parts)
    names = set(re.findall(r'^\s*(?:[\w.]+)\s*=\s*api\("([\w.]+)"', prelude, re.M))
    actions = {"r:" + n for n in re.findall(r'^runner\.\w+\s*=\s*validated\("(\w+)"', prelude, re.M)}
    # Option tables checked under a name, inside whichever constructor or action calls them.
    subtables = set()
    for m in re.finditer(r"check_keys\(", prelude):
        depth, i = 1, m.end()
        while depth > 0 and i < len(prelude):
            depth += {"(": 1, ")": -1}.get(prelude[i], 0)
            i += 1
        last = re.search(r',\s*"([\w.]+)"\s*\)$', prelude[m.start():i])
        if last:
            subtables.add(last.group(1))
    expects = []
    bad = os.path.join(root, "tests", "bad")
    for dirpath, _, files in os.walk(bad):
        for f in sorted(files):
            if f.endswith(".lua"):
                for line in open(os.path.join(dirpath, f), encoding="utf-8", errors="replace"):
                    if line.startswith("-- expect: "):
                        expects.append((os.path.relpath(os.path.join(dirpath, f), root), line[len("-- expect: "):]))
    at_line = re.compile(r"^(?:\S*\.lua)?:\d+: ")
    results = []
    for name in sorted(names | actions):
        if name in NO_KEYS:
            results.append((name, "skip", NO_KEYS[name]))
            continue
        pat = re.compile(r"(^|: )" + re.escape(name) + r": (options: )?unknown field \S+; accepted: ")
        hits = [p for p, e in expects if pat.search(e) and at_line.search(e)]
        results.append((name, "ok" if hits else "not ok", hits[0] if hits else
                        "no script in tests/bad/ expects \"%s: unknown field ...; accepted: ...\" at a line" % name))
    for what in sorted(subtables):
        pat = re.compile(r": " + re.escape(what) + r": unknown field \S+; accepted: ")
        hits = [p for p, e in expects if pat.search(e) and at_line.search(e)]
        results.append(("table " + what, "ok" if hits else "not ok", hits[0] if hits else
                        "no script in tests/bad/ expects \"...: %s: unknown field ...\" at a line" % what))
    print("1..%d" % len(results))
    failed = 0
    for n, (name, status, why) in enumerate(results, 1):
        tag = "/keys/" + name.replace(" ", "/")
        if status == "skip":
            print("ok %d %s # SKIP %s" % (n, tag, why))
        elif status == "ok":
            print("ok %d %s (%s)" % (n, tag, why))
        else:
            failed += 1
            print("not ok %d %s\n# %s" % (n, tag, why))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
