#!/usr/bin/env bash
# Run each libFuzzer target for a bounded time, one after the other, from the seed corpora.
#   tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS_PER_TARGET [WORK_DIR] [TARGET...]
# BUILD_DIR was configured with CC=clang -Dfuzzing=true -Db_sanitize=address,undefined
# -Dc_args=-fno-sanitize-recover=all (docs/testing.md, .ci/run).  New corpus entries go to
# WORK_DIR/corpus/<target> (the seeds in tests/fuzz/corpus are only read), crash/leak/timeout inputs to
# WORK_DIR/artifacts/<target>/, libFuzzer's log to WORK_DIR/<target>.log.  Prints one line per target:
#   fuzz-<target>: <runs> runs in <s> s, cov <edges>, ft <features>, corpus <n>, <k> crashes
# and exits non-zero if any target found a crash, a leak, a timeout or an out-of-memory.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS [WORK_DIR] [TARGET...]}"
secs="${2:?usage: run-fuzzers.sh BUILD_DIR SECONDS [WORK_DIR] [TARGET...]}"
work="${3:-$(mktemp -d /tmp/trainsim-fuzz-XXXXXX)}"
shift $(( $# < 3 ? $# : 3 ))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(units catalog scenario sweep fields json-cache)
mkdir -p "$work"
status=0
for t in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz-$t"
  if [ ! -x "$exe" ]; then
    echo "fuzz-$t: $exe is not built"; status=1; continue
  fi
  mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
  # The scenario target also starts from every shipped scenario and bad-input script, read in place (only
  # the first directory is written to), so the seed corpus never holds stale copies of them.
  extra=()
  if [ "$t" = scenario ]; then
    root="$(cd "$here/../.." && pwd)"
    for d in "$root/scenarios" "$root"/tests/bad/*/; do extra+=("$d"); done
  fi
  # -timeout: one input may take at most 10 s (the instruction budget is 200,000 VM instructions);
  # -rss_limit_mb: the Lua heap is capped at 8 MiB, so 2 GiB means a leak or a runaway in C.
  # -close_fd_mask=2: scripts print to stderr; libFuzzer and the sanitizers report on a copy of it.
  "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=2 \
    -dict="$here/$t.dict" -artifact_prefix="$work/artifacts/$t/" \
    "$work/corpus/$t" "$here/corpus/$t" "${extra[@]}" >"$work/$t.log" 2>&1
  rc=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$work/$t.log" | grep -oE '[0-9]+$' || echo 0)
  last=$(grep -E '^#[0-9]+' "$work/$t.log" | tail -1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
  found=$(find "$work/artifacts/$t" -type f | wc -l)
  echo "fuzz-$t: ${runs:-0} runs in $secs s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, $found crashes (exit $rc)"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    grep -E 'ERROR|SUMMARY|==[0-9]+==|deadly signal|Test unit written' "$work/$t.log" | head -20
    find "$work/artifacts/$t" -type f | sed 's/^/  artifact: /'
  fi
done
exit $status
