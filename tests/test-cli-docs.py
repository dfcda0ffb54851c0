#!/usr/bin/env python3
"""/cli-docs/...: the man page and the shell completions name every command and option that --help lists, as TAP.

The man page and completions are generated at build time by tools/gen-cli-docs.py; this test reads --help its own
simple way (every line of each command's help that starts with `--word` or `-x, --word`), so a generator that drops an option fails it.

Usage: test-cli-docs.py TRAINSIM MAN_PAGE BASH_COMPLETION ZSH_COMPLETION
"""

import re
import shutil
import subprocess
import sys


def help_text(trainsim, *args):
    return subprocess.run([trainsim, *args, "--help"], capture_output=True, text=True, check=True).stdout


def main():
    trainsim, man_path, bash_path, zsh_path = sys.argv[1:5]
    main_help = help_text(trainsim)
    commands = re.findall(r"^  ([a-z]+) ", main_help.split("Commands:")[1].split("\n\n")[0], re.M)
    wanted = []  # (command, word)
    for cmd in commands:
        text = help_text(trainsim, cmd)
        for short, long in re.findall(r"^\s+(?:-(\w), )?--([a-z][\w-]*)", text, re.M):
            wanted.append((cmd, "--" + long))
            if short:
                wanted.append((cmd, "-" + short))
    with open(man_path, encoding="utf-8") as f:
        man = f.read().replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "")
    with open(bash_path, encoding="utf-8") as f:
        bash = f.read()
    with open(zsh_path, encoding="utf-8") as f:
        zsh = f.read()

    cases = []

    def case(name, problems):
        cases.append((name, problems))

    # The man page: a section per command, and each option under its command's section.
    problems = []
    sections = re.split(r"^\.SS trainsim ", man, flags=re.M)
    by_cmd = {s.split()[0]: s for s in sections[1:] if s.split()}
    for cmd in commands:
        if cmd not in by_cmd:
            problems.append("no .SS section for `trainsim %s`" % cmd)
    for cmd, word in wanted:
        if word in ("--help", "-h"):
            continue
        if cmd in by_cmd and not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(word), by_cmd[cmd]):
            problems.append("`trainsim %s --help` lists %s; the man page's section does not" % (cmd, word))
    case("/cli-docs/man-page-names-every-command-and-option", problems)

    problems = []
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-ww", "-z", man_path], capture_output=True, text=True)
        if p.returncode != 0 or p.stderr.strip():
            problems.append("groff -man -ww: " + p.stderr.strip())
    case("/cli-docs/man-page-renders" + ("" if shutil.which("groff") else " # SKIP groff is not installed"), problems)

    for shell, text in (("bash", bash), ("zsh", zsh)):
        problems = []
        for cmd in commands:
            if not re.search(r"\b%s\b" % cmd, text):
                problems.append("no command %s" % cmd)
        for cmd, word in wanted:
            if word in ("--help", "-h"):
                continue
            # the option appears in the branch of its command
            branch = re.search(r"^ *%s\)(.*?)(;;)" % cmd, text, re.M | re.S)
            if branch is None or not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(word), branch.group(1)):
                problems.append("`trainsim %s`: %s missing" % (cmd, word))
        case("/cli-docs/%s-completion-names-every-command-and-option" % shell, problems)

    problems = []
    p = subprocess.run(["bash", "-n", bash_path], capture_output=True, text=True)
    if p.returncode != 0:
        problems.append(p.stderr.strip())
    case("/cli-docs/bash-completion-parses", problems)

    # The bash completion completes: "trainsim sw<TAB>" gives sweep, "trainsim sweep --dead<TAB>" --deadline.
    script = ('source "%s"; COMP_WORDS=(trainsim sw); COMP_CWORD=1; _trainsim; echo "${COMPREPLY[*]}"; '
              'COMP_WORDS=(trainsim sweep --dead); COMP_CWORD=2; _trainsim; echo "${COMPREPLY[*]}"') % bash_path
    p = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    got = p.stdout.split("\n")
    problems = [] if got[:2] == ["sweep", "--deadline"] else ["expected sweep and --deadline, got %r %s" % (
        got[:2], p.stderr.strip())]
    case("/cli-docs/bash-completion-completes", problems)

    if shutil.which("zsh"):
        p = subprocess.run(["zsh", "-n", zsh_path], capture_output=True, text=True)
        case("/cli-docs/zsh-completion-parses", [p.stderr.strip()] if p.returncode != 0 else [])

    print("1..%d" % len(cases))
    failed = 0
    for n, (name, problems) in enumerate(cases, 1):
        if problems:
            failed += 1
            print("not ok %d %s" % (n, name))
            for line in problems:
                print("# " + line)
        else:
            print("ok %d %s" % (n, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
