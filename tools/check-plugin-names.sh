#!/bin/sh
# /layers/plugin-names: core knows no plugin by name (#15).  Every quoted "gpu", "tpu" or "cpu" in core/ must be
# one of the allowed uses below; anything else -- a branch on a plugin's name, a lookup of one plugin's catalog --
# fails, naming file and line.  What a plugin's devices are to a run is catalog data instead: "role": "host"
# (billed as host, found as host.cpu), a "slices" table (slice = ..., its own interconnect), instances.
# Allowed:
#   - the scenario aliases gpu{}, tpu{}, cpu{} in core/scenario/prelude-hardware.lua (thin wrappers of device{});
#   - the field host.cpu (a key name, not a plugin): prelude's host key list, bindings-tables.c's host field table;
#   - the example in plugin.h's comment on TsPluginDescriptor.name.
# Usage: check-plugin-names.sh SOURCE_ROOT [DIR]  (DIR defaults to SOURCE_ROOT/core; a test points it elsewhere).
# TAP.
set -u
root=${1:?usage: check-plugin-names.sh SOURCE_ROOT [DIR]}
dir=${2:-$root/core}
allowed='^[^:]*prelude-[a-z]+\.lua:[0-9]+:(tpu|gpu|cpu) = api\("(tpu|gpu|cpu)", function\(t\)$'
allowed="$allowed"'|^[^:]*prelude-[a-z]+\.lua:[0-9]+:  expect_table\(t, "(tpu|gpu|cpu)"\)$'
allowed="$allowed"'|^[^:]*prelude-[a-z]+\.lua:[0-9]+:  return alias\("(tpu|gpu)", '
allowed="$allowed"'|^[^:]*prelude-[a-z]+\.lua:[0-9]+:  local d = \{plugin = "cpu", __alias = true, '
allowed="$allowed"'|^[^:]*prelude-[a-z]+\.lua:[0-9]+:  check_keys\(host, \{[^}]*"cpu"\}, "host"\)$'
allowed="$allowed"'|^[^:]*bindings-tables\.c:[0-9]+:.*STRING\("cpu", NULL\)'
allowed="$allowed"'|^[^:]*bindings-tables\.c:[0-9]+:.*ts_lua_dup_string\(L, host, "cpu"\);$'
allowed="$allowed"'|^[^:]*include/trainsim/plugin\.h:[0-9]+: +const char \*name; +/\* "gpu": what scenarios'
echo "1..1"
bad=$(grep -rnE '"(gpu|tpu|cpu)"' "$dir" | grep -vE "$allowed")
if [ -z "$bad" ]; then
  echo "ok 1 /layers/plugin-names: core/ names no plugin outside the aliases and host.cpu"
else
  echo "not ok 1 /layers/plugin-names: core/ names a plugin (make it catalog data; tools/check-plugin-names.sh)"
  echo "$bad" | sed 's/^/# /'
  exit 1
fi
