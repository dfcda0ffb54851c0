#!/bin/sh
# The Trainium plugin is built from the installed SDK alone (issue 15; docs/plugins.md):
#   1. `meson install --destdir` stages trainsim, its SDK (headers, helpers' library, trainsim-plugin.pc) and the
#      bundled plugins in a temporary dir;
#   2. plugins/trainium/trainium.c includes only the SDK's headers (<trainsim/...>) and the C library's;
#   3. it builds warning-free (-Werror) in another temporary dir with nothing but
#      `pkg-config --cflags --libs trainsim-plugin` pointed at the stage; the staged copy meson installed is
#      removed, so the one loaded is this build;
#   4. the shared object exports exactly one symbol, ts_plugin_entry;
#   5. the installed `trainsim plugins` loads it from TRAINSIM_PLUGIN_PATH and `trainsim devices trainium` lists
#      trn1.32xlarge;
#   6. the installed trainsim runs device { plugin = "trainium", instance = "trn1.32xlarge", nodes = 2 } to a
#      forecast with a time, a device memory peak and a cost above zero, labelled uncalibrated;
#   7. the same scenario with the build tree's trainsim and meson-built plugin gives the same time and cost.
# TAP output.  Environment (tests/meson.build): MESON, BUILD_ROOT, SOURCE_ROOT, TRAINSIM.
set -u

echo "1..7"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for line in "$@"; do echo "# $line"; done; }
skip_rest() {
  while [ "$n" -lt 7 ]; do n=$((n + 1)); echo "ok $n # SKIP $1"; done
  exit 0
}
show() { sed 's/^/# /' "$1"; }

for tool in cc pkg-config nm python3; do
  command -v "$tool" >/dev/null 2>&1 || skip_rest "$tool is not installed"
done
[ -n "${MESON:-}" ] || skip_rest "meson was not found at configure time"

SRC="$SOURCE_ROOT/plugins/trainium"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trainsim-trainium-plugin.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
DEST="$TMP/dest"
OUT="$TMP/trainium"
mkdir -p "$OUT"

# 1. Stage an installation.
if $MESON install -C "$BUILD_ROOT" --no-rebuild --destdir "$DEST" --quiet >"$TMP/install.log" 2>&1; then
  ok "meson install --destdir stages trainsim and its plugin SDK"
else
  not_ok "meson install --destdir stages trainsim and its plugin SDK" "$(cat "$TMP/install.log")"
  skip_rest "nothing installed"
fi

# 2. Only the SDK's headers and the C library's: nothing from core/, no relative include.
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include' "$SRC/trainium.c" \
  | grep -v -E '#[[:space:]]*include[[:space:]]+<(trainsim/[a-z-]+\.h|[a-z]+\.h)>')
if [ -z "$bad" ] && grep -q '#include <trainsim/plugin-helpers.h>' "$SRC/trainium.c"; then
  ok "trainium.c includes only <trainsim/...> and C library headers"
else
  not_ok "trainium.c includes only <trainsim/...> and C library headers" "$bad"
fi

# 3. Build against the stage with pkg-config alone (a staged .pc names the final prefix: the sysroot maps it).
pc=$(find "$DEST" -name trainsim-plugin.pc | head -n 1)
[ -n "$pc" ] || { not_ok "trainsim-plugin.pc is installed"; skip_rest "no .pc file"; }
PKG_CONFIG_PATH=$(dirname "$pc")
PKG_CONFIG_SYSROOT_DIR="$DEST"
export PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
staged_dir=$(dirname "$(find "$DEST" -name trainium.so | head -n 1)")
rm -f "$staged_dir/trainium.so" "$staged_dir/trainium.json"
# shellcheck disable=SC2046 # pkg-config's flags are words
if cc -std=c11 -shared -fPIC -fvisibility=hidden -O2 -Wall -Wextra -Wshadow -Wstrict-prototypes \
     -Wmissing-prototypes -Werror $(pkg-config --cflags trainsim-plugin) -o "$OUT/trainium.so" "$SRC/trainium.c" \
     $(pkg-config --libs trainsim-plugin) >"$TMP/cc.log" 2>&1 && cp "$SRC/trainium.json" "$OUT/"; then
  ok "trainium.c builds warning-free with pkg-config --cflags --libs trainsim-plugin ($(pkg-config --libs trainsim-plugin | tr -s ' '))"
else
  not_ok "trainium.c builds warning-free with pkg-config --cflags --libs trainsim-plugin"
  show "$TMP/cc.log"
  skip_rest "no plugin built"
fi

# 4. One exported symbol: the SDK's helpers stay inside the plugin.
nm -D --defined-only "$OUT/trainium.so" | awk '{ print $NF }' | sort >"$TMP/symbols"
if [ "$(cat "$TMP/symbols")" = "ts_plugin_entry" ]; then
  ok "trainium.so exports only ts_plugin_entry"
else
  not_ok "trainium.so exports only ts_plugin_entry"
  show "$TMP/symbols"
fi

# 5. The installed binary loads this build.
bin=$(find "$DEST" -path '*/bin/trainsim' -type f | head -n 1)
TRAINSIM_PLUGIN_PATH="$OUT" "$bin" plugins >"$TMP/plugins.txt" 2>&1
TRAINSIM_PLUGIN_PATH="$OUT" "$bin" devices trainium >"$TMP/devices.txt" 2>&1
if grep -q "^  trainium .*ABI 2\.[0-9]* .* 3 SKUs  $OUT/trainium.so\$" "$TMP/plugins.txt" \
  && grep -q "^  trn1.32xlarge .*Trainium .* 16 " "$TMP/devices.txt"; then
  ok "the installed trainsim loads $OUT/trainium.so and lists trn1.32xlarge"
else
  not_ok "the installed trainsim loads $OUT/trainium.so and lists trn1.32xlarge"
  show "$TMP/plugins.txt"
  show "$TMP/devices.txt"
fi

# 6. A forecast on two trn1.32xlarge instances (32 chips over EFA), by the installed binary.
cat >"$TMP/trn.lua" <<'LUA'
local c = cluster {
  accelerator = device { plugin = "trainium", instance = "trn1.32xlarge", nodes = 2 },
}
local data = dataset { name = "tokens", samples = 10000000, bytes = "20 GB", kind = "tokens" }
run(c, function(r)
  r:provision(c.accelerator)
  r:train { model = models.gpt { layers = 24, width = 2048, seq = 2048, vocab = 50257 }, data = data,
            batch = 64, steps = 200, precision = "bf16", optimizer = "adamw" }
  r:release(c.accelerator)
end)
LUA
summary() {
  python3 - "$1" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
t, m, c = d["total_time_s"], d["peak_memory_bytes"]["device"], d["cost_usd"]["total"]
ok = d["feasible"] and t > 0 and m > 0 and c is not None and c > 0 and d["calibration"].startswith("uncalibrated")
print(("ok" if ok else "bad") + " time %r s, device memory %r B, cost %r USD, %s" % (t, m, c, d["calibration"]))
PY
}
TRAINSIM_PLUGIN_PATH="$OUT" "$bin" run "$TMP/trn.lua" --out "$TMP/run" >"$TMP/run.txt" 2>&1
rc=$?
check=$(summary "$TMP/run/summary.json")
if [ $rc -eq 0 ] && [ "${check%% *}" = ok ]; then
  ok "installed trainsim runs device { plugin = \"trainium\", instance = \"trn1.32xlarge\", nodes = 2 } (${check#ok })"
else
  not_ok "installed trainsim runs device { plugin = \"trainium\", instance = \"trn1.32xlarge\", nodes = 2 } (exit $rc)" \
    "$check"
  show "$TMP/run.txt"
fi

# 7. The SDK-built plugin and the meson-built one are the same model.
"$TRAINSIM" run "$TMP/trn.lua" --out "$TMP/run-tree" >"$TMP/run-tree.txt" 2>&1
tree=$(summary "$TMP/run-tree/summary.json")
if [ "${tree#* }" = "${check#* }" ]; then
  ok "the build tree's trainsim and plugin forecast the same (${tree#ok })"
else
  not_ok "the build tree's trainsim and plugin forecast the same" "installed: $check" "build tree: $tree"
  show "$TMP/run-tree.txt"
fi
