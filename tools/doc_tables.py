"""What the generators of the documents' tables share (tools/calibration-gpu-table.py, price-table.py,
validation-tables.py): their command line (--trainsim, --write, --check) and putting generated tables into a
document.  A table in a document is found by its header row and runs to the last line that starts with "|".

Python 3 standard library only.
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parser(doc):
    """The common options: --trainsim BINARY (the build's by default), --write and --check."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trainsim", default=os.path.join(ROOT, "build", "trainsim"))
    ap.add_argument("--write", action="store_true", help="replace the tables in the document")
    ap.add_argument("--check", action="store_true", help="exit 1 if a table of the document differs")
    return ap


def require_current_calibration(build_dir):
    """Exits with a message when the build's copy of plugins/calibration.json is not the tree's.  Meson copies the
    file when it configures, so right after tools/fit.py rewrites it the binary still predicts with the old
    constants until the next `ninja -C build`; a table or a shown output made from it then would be silently
    stale (a trap hit in session 8)."""
    built = os.path.join(build_dir, "plugins", "calibration.json")
    tree = os.path.join(ROOT, "plugins", "calibration.json")
    if not os.path.exists(built):
        return
    with open(built, "rb") as a, open(tree, "rb") as b:
        if a.read() != b.read():
            sys.exit("%s: %s is not plugins/calibration.json (refitted since the last build?): run ninja -C %s "
                     "first" % (os.path.basename(sys.argv[0]), os.path.relpath(built, ROOT),
                                os.path.relpath(build_dir, ROOT)))


def update(path, tables, check, stale_message):
    """Each table (a list of rows, its header first) replaces the document's table with that header.  With
    check, nothing is written: prints stale_message (and the stale tables' headers when there are several) and
    returns 1 if any differs.  Without, writes the document atomically.  Exits if a header is missing."""
    with open(path) as f:
        doc = f.read().split("\n")
    stale = []
    for rows in tables:
        if rows[0] not in doc:
            sys.exit("%s: %s has no table headed %s" % (os.path.basename(sys.argv[0]), os.path.relpath(path, ROOT),
                                                         rows[0]))
        i = doc.index(rows[0])
        j = i
        while j < len(doc) and doc[j].startswith("|"):
            j += 1
        if doc[i:j] != rows:
            stale.append(rows[0])
            doc[i:j] = rows
    if check:
        if stale:
            print(stale_message + (":\n  " + "\n  ".join(stale) if len(tables) > 1 else ""))
            return 1
        return 0
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(doc))
    os.replace(path + ".tmp", path)
    return 0
