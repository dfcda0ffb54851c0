#!/bin/sh
# /layers/plugin-names: core/ names no plugin (tools/check-plugin-names.sh, its allowed uses listed there), and
# the check does catch a new branch on a plugin's name (a copy of core/ with one added); plugins/sdk/, which core
# links (docs/architecture.md, "Layers"), names no plugin either.  TAP.
# Usage: test-plugin-names.sh SOURCE_ROOT
set -u
root=$1
check="$root/tools/check-plugin-names.sh"
echo "1..3"
if out=$(sh "$check" "$root" 2>&1); then
  echo "ok 1 /layers/plugin-names/tree"
else
  echo "not ok 1 /layers/plugin-names/tree"
  echo "$out" | sed 's/^/# /'
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trainsim-names.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r "$root/core" "$tmp/core"
printf '%s\n' 'static int is_tpu(const TsPlugin *p) { return g_strcmp0(p->name, "tpu") == 0; }' >>"$tmp/core/run/run.c"
if out=$(sh "$check" "$root" "$tmp/core" 2>&1); then
  echo "not ok 2 /layers/plugin-names/catches-a-new-branch (passed a core/ that branches on \"tpu\")"
elif echo "$out" | grep -q 'core/run/run.c:[0-9]*:static int is_tpu'; then
  echo "ok 2 /layers/plugin-names/catches-a-new-branch"
else
  echo "not ok 2 /layers/plugin-names/catches-a-new-branch (failed without naming the line)"
  echo "$out" | sed 's/^/# /'
fi
if out=$(sh "$check" "$root" "$root/plugins/sdk" 2>&1); then
  echo "ok 3 /layers/plugin-names/sdk"
else
  echo "not ok 3 /layers/plugin-names/sdk (plugins/sdk/ is linked into core: it must not branch on a plugin's name)"
  echo "$out" | sed 's/^/# /'
fi
