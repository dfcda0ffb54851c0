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
#   7. the same scenario with the build tree's trainsim and meson-built plugin gives the same time and cost;
#   8. the installed trainsim runs its first device by SKU, device { plugin = "trainium", sku = "Trainium",
#      count = 8 }, to a forecast with a time, a device memory peak and a cost above zero (the chip's
#      per-device price is derived from the trn1 instances' on-demand price), labelled uncalibrated.
# TAP output.  Environment (tests/meson.build): MESON, BUILD_ROOT, SOURCE_ROOT, TRAINSIM.
set -u
. "$SOURCE_ROOT/tests/plugin-sdk-lib.sh"

tap_plan 8
need_tools cc pkg-config nm python3
SRC="$SOURCE_ROOT/plugins/trainium"
make_tmp trainsim-trainium-plugin
OUT="$TMP/trainium"
mkdir -p "$OUT"

# 1. Stage an installation.
stage_install "trainsim and its plugin SDK"

# 2. Only the SDK's headers and the C library's: nothing from core/, no relative include.
bad=$(grep -n '^[[:space:]]*#[[:space:]]*include' "$SRC/trainium.c" \
  | grep -v -E '#[[:space:]]*include[[:space:]]+<(trainsim/[a-z-]+\.h|[a-z]+\.h)>')
if [ -z "$bad" ] && grep -q '#include <trainsim/plugin-helpers.h>' "$SRC/trainium.c"; then
  ok "trainium.c includes only <trainsim/...> and C library headers"
else
  not_ok "trainium.c includes only <trainsim/...> and C library headers" "$bad"
fi

# 3. Build against the stage with pkg-config alone.
use_staged_pkgconfig || { not_ok "trainsim-plugin.pc is installed"; skip_rest "no .pc file"; }
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
check_one_symbol "$OUT/trainium.so"

# 5. The installed binary loads this build.
bin=$STAGED_BIN
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
TRAINSIM_PLUGIN_PATH="$OUT" "$bin" run "$TMP/trn.lua" --out "$TMP/run" >"$TMP/run.txt" 2>&1
rc=$?
check=$(forecast_check "$TMP/run/summary.json" uncalibrated)
if [ $rc -eq 0 ] && [ "${check%% *}" = ok ]; then
  ok "installed trainsim runs device { plugin = \"trainium\", instance = \"trn1.32xlarge\", nodes = 2 } (${check#ok })"
else
  not_ok "installed trainsim runs device { plugin = \"trainium\", instance = \"trn1.32xlarge\", nodes = 2 } (exit $rc)" \
    "$check"
  show "$TMP/run.txt"
fi

# 7. The SDK-built plugin and the meson-built one are the same model.
"$TRAINSIM" run "$TMP/trn.lua" --out "$TMP/run-tree" >"$TMP/run-tree.txt" 2>&1
tree=$(forecast_check "$TMP/run-tree/summary.json" uncalibrated)
if [ "${tree#* }" = "${check#* }" ]; then
  ok "the build tree's trainsim and plugin forecast the same (${tree#ok })"
else
  not_ok "the build tree's trainsim and plugin forecast the same" "installed: $check" "build tree: $tree"
  show "$TMP/run-tree.txt"
fi

# 8. The first device by SKU, not by instance (issue 15's Done-means), by the installed binary.
cat >"$TMP/trn-sku.lua" <<'LUA'
local c = cluster {
  accelerator = device { plugin = "trainium", sku = "Trainium", count = 8 },
}
local data = dataset { name = "tokens", samples = 10000000, bytes = "20 GB", kind = "tokens" }
run(c, function(r)
  r:provision(c.accelerator)
  r:train { model = models.gpt { layers = 24, width = 2048, heads = 16, seq = 2048, vocab = 50257 }, data = data,
            batch = 16, steps = 200, precision = "bf16", optimizer = "adamw" }
  r:release(c.accelerator)
end)
LUA
TRAINSIM_PLUGIN_PATH="$OUT" "$bin" run "$TMP/trn-sku.lua" --out "$TMP/run-sku" >"$TMP/run-sku.txt" 2>&1
rc=$?
sku=$(forecast_check "$TMP/run-sku/summary.json" uncalibrated)
if [ $rc -eq 0 ] && [ "${sku%% *}" = ok ]; then
  ok "installed trainsim runs device { plugin = \"trainium\", sku = \"Trainium\", count = 8 } (${sku#ok })"
else
  not_ok "installed trainsim runs device { plugin = \"trainium\", sku = \"Trainium\", count = 8 } (exit $rc)" "$sku"
  show "$TMP/run-sku.txt"
fi
