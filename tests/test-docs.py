#!/usr/bin/env python3
"""/docs/...: every command shown in README.md and docs/*.md, run, with its output compared to the one shown, as TAP.

One TAP case per command; the rules (what is a command, the "..." excerpt mark, trailing blanks) and the list of
commands that cannot run in a test, each with its reason, are in tools/update-docs.py, which rewrites the shown
outputs.  A skipped command is reported as "# SKIP" with that reason, never left out silently.

Usage: test-docs.py BUILD_DIR SOURCE_ROOT
"""

import importlib.util
import os
import sys


def main():
    build, root = sys.argv[1], sys.argv[2]
    spec = importlib.util.spec_from_file_location("update_docs", os.path.join(root, "tools", "update-docs.py"))
    docs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(docs)

    results = []

    def on_result(cmd, status, message, new):
        results.append((cmd, status, message))

    files = docs.doc_files()
    for path in files:
        docs.run_file(build, path, on_result)
    print("1..%d" % len(results))
    failed = 0
    for n, (cmd, status, message) in enumerate(results, 1):
        name = "/docs/" + cmd.name().replace("#", "")
        if status == "ok":
            print("ok %d %s" % (n, name))
        elif status == "skip":
            print("ok %d %s # SKIP %s" % (n, name, message))
        else:
            failed += 1
            print("not ok %d %s" % (n, name))
            for line in message.split("\n"):
                print("# " + line)
            print("# the docs show something else than this build prints: run python3 tools/update-docs.py "
                  "(then review the diff); if the change is a regression, fix the code instead")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
