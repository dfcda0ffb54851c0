#!/bin/sh
# The out-of-tree plugin story, end to end (docs/plugins.md, "Building out of tree"):
#   1. `meson install --destdir` stages trainsim with its header and trainsim-plugin.pc in a temporary dir;
#   2. pkg-config, pointed at that staging dir, gives the -I that finds <trainsim/plugin.h>;
#   3. examples/plugin/Makefile builds myaccel.so warning-free (-Werror) in another temporary dir;
#   4. the shared object exports exactly one symbol, ts_plugin_entry;
#   5. `trainsim plugins` with TRAINSIM_PLUGIN_PATH loads it (and refuses nothing of it);
#   6. `trainsim devices myaccel` lists its catalog's SKU and instance;
#   7. a mixture-of-experts run on it reports the all-to-all it does not model as null, with a diagnostic;
#   8. the installed trainsim runs a scenario naming the plugin's first device by SKU,
#      device { plugin = "myaccel", sku = "MyAccel-1", count = 8 }, to a forecast with a time, a device memory
#      peak and a cost (the catalog's on-demand price) all above zero;
#   9. nothing was written into the source tree;
#  10. docs/plugins.md's quick-start plugin (its C and JSON blocks) builds against the staged SDK with pkg-config
#      and runs the quick start's scenario, so the page cannot drift from the SDK.
# TAP output.  Environment (tests/meson.build): MESON, BUILD_ROOT, SOURCE_ROOT, TRAINSIM.
set -u
. "$SOURCE_ROOT/tests/plugin-sdk-lib.sh"

tap_plan 10
need_tools make cc pkg-config nm python3
EXAMPLE="$SOURCE_ROOT/examples/plugin"
before=$(ls -la "$EXAMPLE")
make_tmp trainsim-example-plugin
OUT="$TMP/myaccel"
mkdir -p "$OUT"

# 1. Stage an installation.
stage_install trainsim

# 2. pkg-config finds trainsim-plugin.pc in the staging dir and its -I holds trainsim/plugin.h.
if ! use_staged_pkgconfig; then
  not_ok "trainsim-plugin.pc is installed" "no trainsim-plugin.pc under $DEST"
  skip_rest "no .pc file"
fi
cflags=$(pkg-config --cflags trainsim-plugin 2>&1)
incdir=""
for flag in $cflags; do
  case "$flag" in -I*) [ -f "${flag#-I}/trainsim/plugin.h" ] && incdir=${flag#-I} ;; esac
done
if [ -n "$incdir" ]; then
  ok "pkg-config --cflags trainsim-plugin points at trainsim/plugin.h ($cflags)"
else
  not_ok "pkg-config --cflags trainsim-plugin points at trainsim/plugin.h" "cflags: $cflags" "pc file:" \
    "$(cat "$PC")"
fi

# 3. Build the example out of tree: sources from the source tree, outputs in $OUT.
if (cd "$OUT" && make -f "$EXAMPLE/Makefile" CFLAGS="-O2 -g -Werror") >"$TMP/make.log" 2>&1 \
  && [ -f "$OUT/myaccel.so" ] && [ -f "$OUT/myaccel.json" ]; then
  ok "examples/plugin builds warning-free against the installed header"
else
  not_ok "examples/plugin builds warning-free against the installed header"
  show "$TMP/make.log"
  skip_rest "no plugin built"
fi

# 4. One exported symbol.
check_one_symbol "$OUT/myaccel.so"

# 5. trainsim loads it from TRAINSIM_PLUGIN_PATH.
TRAINSIM_PLUGIN_PATH="$OUT" "$TRAINSIM" plugins >"$TMP/plugins.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^  myaccel .*ABI 2\.[0-9]* .* 1 SKUs  $OUT/myaccel.so\$" "$TMP/plugins.txt" \
  && ! grep -q "refused:.*myaccel" "$TMP/plugins.txt"; then
  ok "trainsim plugins loads myaccel.so from TRAINSIM_PLUGIN_PATH"
else
  not_ok "trainsim plugins loads myaccel.so from TRAINSIM_PLUGIN_PATH (exit $rc)"
  show "$TMP/plugins.txt"
fi

# 6. Its catalog is the host's: the SKU and the instance are listed.
TRAINSIM_PLUGIN_PATH="$OUT" "$TRAINSIM" devices myaccel >"$TMP/devices.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "^  MyAccel-1 .* 200\.0 " "$TMP/devices.txt" \
  && grep -q "^  myaccel-box-8 .*MyAccel-1 .* 8 " "$TMP/devices.txt"; then
  ok "trainsim devices myaccel lists MyAccel-1 and myaccel-box-8"
else
  not_ok "trainsim devices myaccel lists MyAccel-1 and myaccel-box-8 (exit $rc)"
  show "$TMP/devices.txt"
fi

# 7. ABI 2.0's "not modelled": the example has no all-to-all model, so a mixture-of-experts run on it reports
# the expert all-to-all term as null with a diagnostic, never as 0 s.
cat >"$TMP/moe.lua" <<'LUA'
local c = cluster { accelerator = gpu { instance = "myaccel-box-8" } }
run(c, function(r)
  r:provision(c.accelerator)
  r:train { model = models.gpt { layers = 4, width = 512, seq = 256, vocab = 1000, experts = 8, active_experts = 2 },
            data = dataset { name = "tokens", samples = 100000, bytes = "1 GB", kind = "tokens" },
            batch = 64, steps = 10, precision = "bf16", optimizer = "adamw", parallel = { expert = 8 } }
  r:release(c.accelerator)
end)
LUA
TRAINSIM_PLUGIN_PATH="$OUT" "$TRAINSIM" run "$TMP/moe.lua" --json >"$TMP/moe.json" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '"expert_all_to_all": null' "$TMP/moe.json" \
  && grep -q 'collective-not-modelled' "$TMP/moe.json"; then
  ok "a collective the plugin does not model is null with a diagnostic"
else
  not_ok "a collective the plugin does not model is null with a diagnostic (exit $rc)"
  show "$TMP/moe.json"
fi

# 8. A scenario uses the plugin's device by SKU, run by the installed binary (not the build tree's).
bin=$STAGED_BIN
cat >"$TMP/myaccel.lua" <<'LUA'
local box = cluster {
  accelerator = device { plugin = "myaccel", sku = "MyAccel-1", count = 8, per_node = 8 },
  host        = { ram = "256 GiB", disk = "1 TB" },
}
local data = datasets.imagenet_1k { from = internet { bandwidth = "1 Gbit/s" } }
run(box, function(r)
  r:provision(box.accelerator)
  r:train { model = models.resnet50, data = data, batch = 256, steps = 100, precision = "bf16",
            optimizer = "momentum" }
  r:release(box.accelerator)
end)
LUA
TRAINSIM_PLUGIN_PATH="$OUT" "$bin" run "$TMP/myaccel.lua" --out "$TMP/run" >"$TMP/run.txt" 2>&1
rc=$?
check=$(forecast_check "$TMP/run/summary.json")
if [ $rc -eq 0 ] && [ -n "$bin" ] && [ "${check%% *}" = ok ]; then
  ok "installed trainsim runs device { plugin = \"myaccel\", sku = \"MyAccel-1\", count = 8 } (${check#ok })"
else
  not_ok "installed trainsim runs device { plugin = \"myaccel\", sku = \"MyAccel-1\", count = 8 } (exit $rc)" \
    "binary: $bin" "$check"
  show "$TMP/run.txt"
fi

# 9. The source tree is as it was.
after=$(ls -la "$EXAMPLE")
if [ "$before" = "$after" ] && [ ! -e "$EXAMPLE/myaccel.so" ]; then
  ok "nothing was written into $EXAMPLE"
else
  not_ok "nothing was written into $EXAMPLE" "before:" "$before" "after:" "$after"
fi

# 10. The quick start of docs/plugins.md, as a reader would copy it.
QS="$TMP/quickstart"
mkdir -p "$QS"
if python3 - "$SOURCE_ROOT/docs/plugins.md" "$QS" <<'PY' 2>"$TMP/qs-extract.log"
import re, sys
text = open(sys.argv[1]).read()
quick = text[text.index("## Quick start"):]
quick = quick[:quick.index("\n## ", 1)]
def block(lang):
    body = re.search(r"```" + lang + r"\n(.*?)```", quick, re.S).group(1)
    return "\n".join(line[3:] if line.startswith("   ") else line for line in body.split("\n"))
open(sys.argv[2] + "/myaccel.c", "w").write(block("c"))
open(sys.argv[2] + "/myaccel.json", "w").write(block("json"))
PY
then
  # shellcheck disable=SC2046 # pkg-config's flags are words
  cc -std=c11 -shared -fPIC -fvisibility=hidden -Wall -Wextra -Werror $(pkg-config --cflags trainsim-plugin) \
    -o "$QS/myaccel.so" "$QS/myaccel.c" $(pkg-config --libs trainsim-plugin) >"$TMP/qs-cc.log" 2>&1
  rc_cc=$?
  TRAINSIM_PLUGIN_PATH="$QS" "$bin" run "$TMP/myaccel.lua" --out "$TMP/qs-run" >"$TMP/qs-run.txt" 2>&1
  rc=$?
  check=$(forecast_check "$TMP/qs-run/summary.json")
  if [ $rc_cc -eq 0 ] && [ $rc -eq 0 ] && [ "${check%% *}" = ok ]; then
    ok "docs/plugins.md's quick-start plugin builds with pkg-config and runs its scenario (${check#ok })"
  else
    not_ok "docs/plugins.md's quick-start plugin builds with pkg-config and runs its scenario" "$check"
    show "$TMP/qs-cc.log"
    show "$TMP/qs-run.txt"
  fi
else
  not_ok "docs/plugins.md's quick start has a C and a JSON block"
  show "$TMP/qs-extract.log"
fi

