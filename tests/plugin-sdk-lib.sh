# Shell functions shared by the tests that build a plugin from the installed SDK (test-example-plugin.sh,
# test-trainium-plugin.sh), sourced by them: TAP output, staging an installation, pointing pkg-config at it,
# the one-symbol check and the summary check of a forecast.  POSIX sh.  Environment: MESON, BUILD_ROOT.

# TAP: tap_plan N first; ok and not_ok count; skip_rest ends the test, skipping what is left.
tap_plan() { TAP_TOTAL=$1; n=0; echo "1..$1"; }
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }
skip_rest() {
  while [ "$n" -lt "$TAP_TOTAL" ]; do n=$((n + 1)); echo "ok $n # SKIP $1"; done
  exit 0
}
show() { sed 's/^/# /' "$1"; }

# The tools named, and meson, or skip the whole test.
need_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || skip_rest "$tool is not installed"
  done
  [ -n "${MESON:-}" ] || skip_rest "meson was not found at configure time"
}

# TMP: a temporary directory removed at exit; DEST: the staging directory inside it.
make_tmp() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
  trap 'rm -rf "$TMP"' EXIT INT TERM
  DEST="$TMP/dest"
}

# Stage an installation in DEST (one TAP line: $1 describes what is staged); skip the rest if it fails.
stage_install() {
  if $MESON install -C "$BUILD_ROOT" --no-rebuild --destdir "$DEST" --quiet >"$TMP/install.log" 2>&1; then
    ok "meson install --destdir stages $1"
  else
    not_ok "meson install --destdir stages $1" "$(cat "$TMP/install.log")"
    skip_rest "nothing installed"
  fi
  STAGED_BIN=$(find "$DEST" -path '*/bin/trainsim' -type f | head -n 1)
}

# pkg-config finds trainsim-plugin.pc in the stage (a staged .pc names the final prefix: the sysroot maps it
# into the stage).  PC: the .pc file; FALSE when there is none.
use_staged_pkgconfig() {
  PC=$(find "$DEST" -name trainsim-plugin.pc | head -n 1)
  [ -n "$PC" ] || return 1
  PKG_CONFIG_PATH=$(dirname "$PC")
  PKG_CONFIG_SYSROOT_DIR="$DEST"
  export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
}

# One TAP line: the shared object $1 exports exactly one symbol, ts_plugin_entry.
check_one_symbol() {
  nm -D --defined-only "$1" | awk '{ print $NF }' | sort >"$TMP/symbols"
  if [ "$(cat "$TMP/symbols")" = "ts_plugin_entry" ]; then
    ok "$(basename "$1") exports only ts_plugin_entry"
  else
    not_ok "$(basename "$1") exports only ts_plugin_entry"
    show "$TMP/symbols"
  fi
}

# "ok ..." when summary.json $1 is a feasible forecast with a time, a device memory peak and a cost above zero
# (and, with a second argument "uncalibrated", labelled uncalibrated); "bad ..." otherwise.
forecast_check() {
  python3 - "$1" "${2:-}" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
t, m, c = d["total_time_s"], d["peak_memory_bytes"]["device"], d["cost_usd"]["total"]
ok = d["feasible"] and t > 0 and m > 0 and c is not None and c > 0
if sys.argv[2] == "uncalibrated":
    ok = ok and d["calibration"].startswith("uncalibrated")
print(("ok" if ok else "bad") + " time %r s, device memory %r B, cost %r USD, %s" % (t, m, c, d["calibration"]))
PY
}
