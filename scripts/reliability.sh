#!/usr/bin/env bash
# The full fault matrix (issue 13): every cell (operation x store x fault rate, see
# packages/reliability/src/matrix/cells.ts) run N times with faults chosen from a seed, plus the
# crash suite; prints one table: cell, runs, completed, identical, leftovers, retries.
# The default test run (scripts/test.sh) runs a small fixed-seed slice of the same cells.
#
#   scripts/reliability.sh                 20 runs per cell, a new seed (printed)
#   scripts/reliability.sh --runs 50       more runs per cell
#   scripts/reliability.sh --seed 1234     replay from this first seed
#   scripts/reliability.sh --only azurite  only the fault cells whose name contains the text
#   scripts/reliability.sh --crash-trials 3 kills per crash row (default 5; each row names its seed)
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_ready
cd "$PARTCOPY_ROOT"

runs=20
crash_trials=5
seed="$(( $(od -An -N3 -tu4 /dev/urandom) + 10000 ))"
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --crash-trials) crash_trials="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) printf 'reliability.sh: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done

printf '[reliability] %s runs per cell, first seed %s (replay: scripts/reliability.sh --seed %s --runs %s)\n' \
  "$runs" "$seed" "$seed" "$runs" >&2
node packages/test-servers/src/cli.ts install minio azurite fake-gcs-server toxiproxy
out="$(mktemp -d)"
status=0
PARTCOPY_RELIABILITY_RUNS="$runs" PARTCOPY_FAULT_SEED="$seed" PARTCOPY_RELIABILITY_ONLY="$only" \
  PARTCOPY_RELIABILITY_OUT="$out/fault-matrix.json" PARTCOPY_CRASH_OUT="$out/crash" PARTCOPY_CRASH_TRIALS="$crash_trials" \
  pnpm exec vitest run packages/reliability/test/fault-matrix.int.test.ts packages/cli/test/crash-endings.int.test.ts \
  >"$out/vitest.log" 2>&1 || status=$?
tables=()
for f in "$out/fault-matrix.json" "$out"/crash/*.json; do [ -f "$f" ] && tables+=("$f"); done
if [ "${#tables[@]}" -gt 0 ]; then node packages/reliability/src/print-table.ts "${tables[@]}"; fi
if [ "$status" != 0 ]; then
  grep -E '^\s*(\+|FAIL|×)' "$out/vitest.log" | sed 's/\x1b\[[0-9;]*m//g' | head -80 >&2 || true
  printf '[reliability] FAILED (exit %s); full log %s\n' "$status" "$out/vitest.log" >&2
  exit "$status"
fi
printf '[reliability] every cell passed; log %s\n' "$out/vitest.log" >&2
