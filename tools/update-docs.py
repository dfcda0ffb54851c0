#!/usr/bin/env python3
"""Keep every command shown in README.md and docs/*.md true: run them, and rewrite (or check) their output.

    python3 tools/update-docs.py            # rerun every shown command, rewrite the outputs shown in place
    python3 tools/update-docs.py --check    # rerun them, change nothing, exit 1 if any output differs
    python3 tools/update-docs.py --build DIR FILE.md ...   # another build directory, some files only

What counts as a shown command (docs/testing.md, "Docs that cannot drift"):

  * In any fenced block, a line starting with "$ " is a command; lines ending in "\\" continue it.  The lines
    after it, up to the next "$ " line or the end of the block, are its output: standard output, then standard
    error.  They are compared with what the command prints now, after this normalisation only: trailing blanks
    are ignored, and a line holding nothing but "..." stands for any number of lines (the shown output is an
    excerpt).  When rewriting, an excerpt stays an excerpt: each piece between "..." lines is replaced by the
    same piece of the new output (found by the first three words of its first line).
  * In a ```sh block without "$" lines, every line that is not a comment is a command (with "\\" continuations);
    nothing is shown, so the command must simply succeed (exit status 0).
  * In the comment at the top of each scenario (scenarios/*.lua), a line "--   trainsim ..." is a command the
    scenario suggests; it must run to a result: exit status 0, or 3 when the model finds the run infeasible.
  * Commands that cannot run here (they install packages, need Slurm or a GPU, take minutes, or would run this
    test inside itself) are listed in SKIP below with the reason; the test reports each one as skipped.

Each file's commands run in order in one fresh temporary directory that holds `build` (the build directory),
`scenarios`, `tools`, `plugins` and `examples` as links into the tree, so `./build/trainsim`, `--out out/x` and a
later `tail out/x/...` work as a reader would type them; `trainsim` alone is the build's binary (PATH).
NO_COLOR is set and stdout is a pipe, so no escape sequences appear.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINKS = ("scenarios", "tools", "plugins", "examples", "docs")
TIMEOUT_S = 120

# (file or None for any, regular expression on the command, reason).  First match wins.
SKIP = [
    ("README.md", r"^make demo\b", "installs Debian packages with apt-get and builds from scratch; "
                                  "the build and the flagship run are what the rest of this test runs"),
    ("README.md", r"^make check\b", "runs the whole suite, which runs this test: it would recurse"),
    (None, r"^python3 bench/gpu/", "needs an NVIDIA GPU and PyTorch"),
    (None, r"^bench/", "a benchmark: minutes of wall time, measured in bench/, not in tests"),
    (None, r"^valgrind ", "a profile (instruction counts under valgrind, which cannot run a sanitizer build); "
                          "bench/startup --only instructions measures the same figure"),
    (None, r"^strace ", "a profile (system calls of one run; LeakSanitizer cannot run under strace's ptrace, so the "
                        "sanitizer suite fails it); bench/startup measures the start-up"),
    (None, r"^perf stat ", "a profile (page faults of 20 runs, and perf is not always installed); bench/startup "
                           "measures the start-up"),
    (None, r"^trainsim sweep .* --out DIR", "a benchmark (tens of thousands of variants), measured in bench/e2e"),
    (None, r"^time taskset", "a timing: speed is measured in bench/, and /sweep/cli/speed bounds it"),
    (None, r"SLURM|^jobid=\$\(sbatch|^sbatch ", "needs a Slurm cluster"),
    (None, r"^parallel ", "needs GNU parallel, and writes 80,000 variants"),
    (None, r"merge sweep/shard-", "merges the shards of the Slurm / GNU parallel example above, which are skipped"),
    (None, r"^python3 tools/fit\.py", "refits the calibration: about a minute (the validation suite checks the fit)"),
    (None, r"^meson test ", "runs a test suite: the suite runs it already"),
    (None, r"CASE\.lua", "CASE.lua is a placeholder for a case's file"),
    (None, r"^(CC=clang )?meson (setup|compile) build-fuzz|run-fuzzers\.sh|fuzz-scenario ",
     "the fuzz build needs clang and runs for minutes (CI's fuzz stage runs it)"),
    ("docs/plugins.md", r"pkg-config|TRAINSIM_PLUGIN_PATH=\$PWD|^cc ",
     "needs an installed SDK and the example plugin built from it: tests/test-example-plugin.sh does exactly this"),
]

FENCE = re.compile(r"^(\s*)```(\S*)\s*$")


class Command:
    def __init__(self, path, line, text, expected, lang):
        self.path = path            # relative to ROOT
        self.line = line            # 1-based line of the command (its "$ " line)
        self.text = text            # the command as bash reads it
        self.expected = expected    # list of output lines, or None for "must exit 0"
        self.lang = lang
        self.out_start = None       # index range of the output lines in the file, for rewriting
        self.out_end = None
        self.indent = ""
        self.ok_status = (0,)       # for a command shown without output

    def name(self):
        short = self.text.replace("\n", " ")
        if len(short) > 90:
            short = short[:87] + "..."
        return "%s:%d: %s" % (self.path, self.line, short)

    def skip_reason(self):
        for path, pattern, reason in SKIP:
            if path is not None and path != self.path:
                continue
            if re.search(pattern, self.text):
                return reason
        return None


def doc_files():
    files = ["README.md"]
    files += sorted(os.path.join("docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))
    files += sorted(os.path.join("scenarios", f) for f in os.listdir(os.path.join(ROOT, "scenarios"))
                    if f.endswith(".lua"))
    return files


HEADER_COMMAND = re.compile(r"^--\s+(trainsim\s.*)$")


def parse_scenario_header(path):
    """The "--   trainsim ..." lines of a scenario's leading comment."""
    commands = []
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.startswith("--"):
                break
            m = HEADER_COMMAND.match(line.rstrip())
            if m:
                cmd = Command(path, n, m.group(1), None, "lua-header")
                cmd.ok_status = (0, 3)
                commands.append(cmd)
    return commands


def join_continued(lines, i):
    """Returns (command text, next index) for a command starting at lines[i] (already without "$ ")."""
    parts = [lines[i]]
    while parts[-1].rstrip().endswith("\\") and i + 1 < len(lines):
        i += 1
        parts.append(lines[i])
    return "\n".join(parts), i + 1


def parse(path):
    """The commands of one markdown file (or scenario header), in order."""
    if path.endswith(".lua"):
        return parse_scenario_header(path)
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    commands = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang = m.group(1), m.group(2)
        start = i + 1
        end = start
        while end < len(lines) and not (FENCE.match(lines[end]) and lines[end].strip() == "```"):
            end += 1
        body = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in lines[start:end]]
        if any(l.startswith("$ ") for l in body):
            j = 0
            while j < len(body):
                if not body[j].startswith("$ "):
                    j += 1
                    continue
                first = body[j][2:]
                text, k = join_continued([first] + body[j + 1:], 0)
                k += j
                out_start = k
                while k < len(body) and not body[k].startswith("$ "):
                    k += 1
                cmd = Command(path, start + j + 1, text, body[out_start:k], lang)
                cmd.out_start, cmd.out_end, cmd.indent = start + out_start, start + k, indent
                commands.append(cmd)
                j = k
        elif lang in ("sh", "bash", "shell"):
            j = 0
            while j < len(body):
                raw = body[j]
                if not raw.strip() or raw.lstrip().startswith("#"):
                    j += 1
                    continue
                text, k = join_continued(body, j)
                commands.append(Command(path, start + j + 1, strip_comment(text), None, lang))
                j = k
        i = end + 1
    return commands


def strip_comment(text):
    """Drops a trailing "# ..." comment (outside quotes) from each line of a command."""
    out = []
    for line in text.split("\n"):
        quote = None
        cut = len(line)
        for pos, ch in enumerate(line):
            if quote:
                if ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and (pos == 0 or line[pos - 1] in " \t"):
                cut = pos
                break
        out.append(line[:cut].rstrip())
    return "\n".join(out).strip()


class Workdir:
    """A temporary directory laid out like the source tree, for one file's commands."""

    def __init__(self, build):
        self.path = tempfile.mkdtemp(prefix="trainsim-docs-")
        os.symlink(os.path.abspath(build), os.path.join(self.path, "build"))
        for name in LINKS:
            os.symlink(os.path.join(ROOT, name), os.path.join(self.path, name))
        self.env = dict(os.environ)
        self.env["NO_COLOR"] = "1"
        self.env["PATH"] = os.path.abspath(build) + os.pathsep + self.env.get("PATH", "")
        self.env.pop("TRAINSIM_PLUGIN_PATH", None)
        self.env.pop("TRAINSIM_CALIBRATION", None)
        self.env.pop("TRAINSIM_FAULT", None)

    def run(self, cmd):
        """Returns (exit status, output lines: stdout then stderr)."""
        try:
            p = subprocess.run(["bash", "-c", cmd.text], cwd=self.path, env=self.env, capture_output=True,
                               timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return None, ["(timed out after %d s)" % TIMEOUT_S]
        text = p.stdout.decode("utf-8", "replace") + p.stderr.decode("utf-8", "replace")
        lines = [l.rstrip() for l in text.split("\n")]
        while lines and lines[-1] == "":
            lines.pop()
        return p.returncode, lines

    def close(self):
        shutil.rmtree(self.path, ignore_errors=True)


def is_elision(line):
    return line.strip() == "..."


def segments(expected):
    """Splits shown output at "..." lines: (pieces, leading elision?, trailing elision?)."""
    pieces, cur = [], []
    for line in expected:
        if is_elision(line):
            pieces.append(cur)
            cur = []
        else:
            cur.append(line.rstrip())
    pieces.append(cur)
    lead = bool(expected) and is_elision(expected[0])
    trail = bool(expected) and is_elision(expected[-1])
    return pieces, lead, trail


def matches(expected, actual):
    """True when the actual lines are what the shown output says, under the normalisation above."""
    pieces, lead, trail = segments(expected)
    if len(pieces) == 1:
        return [l.rstrip() for l in expected] == actual
    pieces = [p for p in pieces]
    pos = 0
    for n, piece in enumerate(pieces):
        if not piece:
            continue
        first, last = n == 0, n == len(pieces) - 1
        if first and not lead:
            if actual[:len(piece)] != piece:
                return False
            pos = len(piece)
            continue
        if last and not trail:
            return len(actual) - len(piece) >= pos and actual[len(actual) - len(piece):] == piece
        found = False
        for at in range(pos, len(actual) - len(piece) + 1):
            if actual[at:at + len(piece)] == piece:
                pos, found = at + len(piece), True
                break
        if not found:
            return False
    return True


def label(line):
    """What finds an excerpt's piece again in new output: its first line's first three words."""
    return " ".join(line.split()[:3])


def regenerate(expected, actual):
    """The new shown output: the whole of it, or the same excerpt of it.  None if an excerpt cannot be placed."""
    pieces, lead, trail = segments(expected)
    if len(pieces) == 1:
        return list(actual)
    out = []
    pos = 0
    for n, piece in enumerate(pieces):
        first, last = n == 0, n == len(pieces) - 1
        if n > 0:
            out.append("...")
        if not piece:
            continue
        if first and not lead:
            new = actual[:len(piece)]
            pos = len(new)
        else:
            at = next((k for k in range(pos, len(actual)) if label(actual[k]) == label(piece[0])), None)
            if at is None:
                return None
            new = actual[at:] if (last and not trail) else actual[at:at + len(piece)]
            pos = at + len(new)
        out.extend(new)
    # keep the indentation of the shown elision marks
    marks = [l for l in expected if is_elision(l)]
    k = 0
    for i, line in enumerate(out):
        if line == "..." and k < len(marks):
            out[i] = marks[k].rstrip()
            k += 1
    return out


def check_command(work, cmd):
    """Runs one command: (ok, message, new output lines or None)."""
    status, actual = work.run(cmd)
    if cmd.expected is None:
        if status in cmd.ok_status:
            return True, "", None
        return False, "exit status %s (a shown command must exit %s); output:\n%s" % (
            status, " or ".join(map(str, cmd.ok_status)), "\n".join(actual[-20:])), None
    if status is None:
        return False, "\n".join(actual), None
    if matches(cmd.expected, actual):
        return True, "", None
    new = regenerate(cmd.expected, actual)
    diff = "\n".join(unified(cmd.expected, actual))
    return False, diff, new


def unified(expected, actual):
    import difflib
    return difflib.unified_diff([l.rstrip() for l in expected], actual, "shown", "actual", lineterm="", n=2)


def run_file(build, path, on_result):
    """Runs a file's commands in order; on_result(cmd, status, message, new) with status "ok"/"skip"/"fail"."""
    commands = parse(path)
    if not commands:
        return commands
    work = Workdir(build)
    try:
        for cmd in commands:
            reason = cmd.skip_reason()
            if reason:
                on_result(cmd, "skip", reason, None)
                continue
            ok, message, new = check_command(work, cmd)
            on_result(cmd, "ok" if ok else "fail", message, new)
    finally:
        work.close()
    return commands


def rewrite(path, updates):
    """Replaces the output lines of the given commands (list of (cmd, new lines)) in the file."""
    full = os.path.join(ROOT, path)
    with open(full, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for cmd, new in sorted(updates, key=lambda u: -u[0].out_start):
        lines[cmd.out_start:cmd.out_end] = [(cmd.indent + l) if l else l for l in new]
    with open(full, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if any shown output differs")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="the build directory (default: build)")
    ap.add_argument("files", nargs="*", help="markdown files, relative to the repository root (default: all)")
    args = ap.parse_args()
    if not os.access(os.path.join(args.build, "trainsim"), os.X_OK):
        sys.exit("update-docs.py: no %s/trainsim: build first (meson setup build && meson compile -C build)"
                 % args.build)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import doc_tables  # here, not at the top: tests/test-docs.py loads this file as a module
    doc_tables.require_current_calibration(os.path.abspath(args.build))
    files = args.files or doc_files()
    failed = skipped = passed = updated = 0
    for path in files:
        updates = []

        def on_result(cmd, status, message, new):
            nonlocal failed, skipped, passed, updated
            if status == "skip":
                skipped += 1
                print("skip  %s\n      (%s)" % (cmd.name(), message))
            elif status == "ok":
                passed += 1
            else:
                if new is not None and not args.check:
                    updates.append((cmd, new))
                    updated += 1
                    print("update %s" % cmd.name())
                else:
                    failed += 1
                    print("FAIL  %s\n%s" % (cmd.name(), message))
        run_file(args.build, path, on_result)
        if updates:
            rewrite(path, updates)
    if args.check:
        print("%d commands as shown, %d differ, %d skipped" % (passed, failed, skipped))
    else:
        print("%d commands as shown, %d outputs rewritten, %d failed, %d skipped" % (passed, updated, failed, skipped))
    if failed and args.check:
        print("run python3 tools/update-docs.py to rewrite the shown outputs, then review the diff")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
