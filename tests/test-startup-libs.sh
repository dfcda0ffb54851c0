#!/bin/sh
# /startup/libs/...: what the dynamic loader opens at start-up (docs/performance.md, section 6).  `trainsim
# --version` and a run without --out open none of the libraries of the charts' module (cairo) or of the JSON
# module (json-glib, GIO, GObject, GModule): those are opened only when a chart is drawn or a file is not plain
# JSON.  LD_DEBUG=files (glibc) lists every object the loader opens, dlopen included; a run with --out, which
# draws charts, shows that the check sees a library when one is opened.  TAP.
# Usage: test-startup-libs.sh TRAINSIM SOURCE_ROOT
set -u
bin=$1
root=$2
late='libjson-glib|libgio-2|libgobject-2|libgmodule-2|libcairo'
echo "1..4"
n=0
fail=0
check() { # name, then the command; ok when its loader log names none of $late
  name=$1
  shift
  n=$((n + 1))
  log=$(cd "$root" && LD_DEBUG=files "$@" 2>&1 >/dev/null)
  opened=$(printf '%s\n' "$log" | grep -E "file=[^ ]*($late)" | sed 's/.*file=\([^ ]*\).*/\1/' | sort -u | tr '\n' ' ')
  if [ -z "$opened" ]; then
    echo "ok $n $name"
  else
    fail=1
    echo "not ok $n $name (opened: $opened)"
  fi
}
if command -v readelf >/dev/null 2>&1; then
  needed=$(readelf -d "$bin" | grep NEEDED | grep -E "$late" | tr -s ' ')
  n=$((n + 1))
  if [ -z "$needed" ]; then
    echo "ok $n /startup/libs/needed"
  else
    fail=1
    echo "not ok $n /startup/libs/needed ($needed)"
  fi
else
  n=$((n + 1))
  echo "ok $n /startup/libs/needed # SKIP readelf is not installed"
fi
check /startup/libs/version "$bin" --version
check /startup/libs/flagship "$bin" run scenarios/simclr-tpu-v3-128.lua --quiet
# The check itself: a run that draws charts opens cairo through the charts' module, and the log says so.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/trainsim-libs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=$((n + 1))
log=$(cd "$root" && LD_DEBUG=files "$bin" run scenarios/simclr-tpu-v3-128.lua --quiet --out "$tmp/out" 2>&1 >/dev/null)
if printf '%s\n' "$log" | grep -qE "file=[^ ]*libcairo"; then
  echo "ok $n /startup/libs/charts-open-cairo"
else
  fail=1
  echo "not ok $n /startup/libs/charts-open-cairo (the loader's log of a run with --out names no libcairo)"
fi
exit $fail
