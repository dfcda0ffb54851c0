#!/bin/sh
# /install/...: `meson install` into a staging directory (DESTDIR), then the installed trainsim, run from an
# empty directory with the build and source trees hidden, validates (the installed cases) and runs the
# flagship.  TAP.  Hiding uses a private mount namespace (unshare -m, as root: tmpfs over both trees, seen by
# the check alone); where that is not allowed the check runs with the trees in place and says so, and the
# search path must still name no directory of the build tree.
# Environment: MESON, BUILD_ROOT, SOURCE_ROOT.
set -u
stage=$(mktemp -d /tmp/trainsim-install-XXXXXX)
trap 'rm -rf "$stage"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n $1"; sed 's/^/# /' "$2" | tail -n 30; }

echo "1..6"
if [ -z "${MESON:-}" ]; then
  echo "Bail out! meson not found"
  exit 1
fi
if "$MESON" install -C "$BUILD_ROOT" --destdir "$stage/root" --no-rebuild --quiet >"$stage/log" 2>&1; then
  ok "/install/meson-install"
else
  not_ok "/install/meson-install" "$stage/log"
  exit 1
fi
bin=$(find "$stage/root" -path '*/bin/trainsim' -type f | head -n 1)
data=$(find "$stage/root" -path '*/share/trainsim/scenarios' -type d | head -n 1)
mkdir "$stage/empty"
cd "$stage/empty" || exit 1

# Run "$@" with the build and source trees hidden when the system allows it.
hidden=no
if unshare -m sh -c "mount -t tmpfs tmpfs '$BUILD_ROOT' && mount -t tmpfs tmpfs '$SOURCE_ROOT'" 2>/dev/null; then
  hidden=yes
fi
run_installed() {
  if [ "$hidden" = yes ]; then
    unshare -m sh -c "mount -t tmpfs tmpfs '$BUILD_ROOT' && mount -t tmpfs tmpfs '$SOURCE_ROOT' && exec \"\$@\"" \
      sh "$@"
  else
    "$@"
  fi
}

# Every plugin probed (no cached verdict), by the helper installed in libexecdir (docs/plugin-abi.md): none refused.
if run_installed env TRAINSIM_PROBE_CACHE=off "$bin" plugins >"$stage/log" 2>&1 && ! grep -q "$BUILD_ROOT" "$stage/log" \
   && grep -q "$stage/root" "$stage/log" && ! grep -q "refused" "$stage/log" \
   && [ -n "$(find "$stage/root" -path '*/libexec/trainsim-probe' -type f)" ]; then
  ok "/install/plugins-from-the-install-tree (build tree hidden: $hidden)"
else
  echo "# expected the staged plugin directory on the search path, nothing of $BUILD_ROOT, no plugin refused" \
       "and the probe's helper in libexec" >>"$stage/log"
  not_ok "/install/plugins-from-the-install-tree" "$stage/log"
fi

man=$(find "$stage/root" -path '*/man1/trainsim.1' -type f | head -n 1)
bashc=$(find "$stage/root" -path '*/bash-completion/completions/trainsim' -type f | head -n 1)
zshc=$(find "$stage/root" -path '*/zsh/site-functions/_trainsim' -type f | head -n 1)
if [ -n "$data" ] && [ -f "$data/simclr-tpu-v3-128.lua" ] && [ -d "$data/validation" ] && [ -n "$man" ] \
   && [ -n "$bashc" ] && [ -n "$zshc" ]; then
  ok "/install/scenarios-man-page-completions-installed"
else
  echo "expected under $stage/root: share/trainsim/scenarios (flagship, validation/), man1/trainsim.1," \
       "bash-completion/completions/trainsim, zsh/site-functions/_trainsim" >"$stage/log"
  not_ok "/install/scenarios-man-page-completions-installed" "$stage/log"
fi

if run_installed "$bin" validate >"$stage/log" 2>&1 && grep -qE '^[0-9]+ cases ran' "$stage/log"; then
  ok "/install/validate (build tree hidden: $hidden)"
else
  not_ok "/install/validate" "$stage/log"
fi

if run_installed "$bin" run "$data/simclr-tpu-v3-128.lua" --out out >"$stage/log" 2>&1 \
   && grep -q 'wall time' "$stage/log" && [ -f out/summary.json ]; then
  ok "/install/flagship (build tree hidden: $hidden)"
else
  not_ok "/install/flagship" "$stage/log"
fi
# A summary.json that is not plain JSON (a comment before it) is read by json-glib in the JSON module, which the
# installed trainsim must find beside its plugins: the report is the one made from the plain file.
rm -rf edited && cp -r out edited && { printf '/* edited */\n'; cat out/summary.json; } >edited/summary.json \
  && rm -f edited/report.html
if run_installed "$bin" report edited >"$stage/log" 2>&1 && cmp -s out/report.html edited/report.html; then
  ok "/install/json-module (build tree hidden: $hidden)"
else
  echo "# expected edited/report.html, read through the installed JSON module, equal to out/report.html" >>"$stage/log"
  not_ok "/install/json-module" "$stage/log"
fi
if [ "$hidden" = no ]; then
  echo "# the build and source trees could not be hidden here (unshare -m needs root); the checks ran beside them"
fi
exit $fail
