#!/usr/bin/env bash
# The S3 compatibility suite (ceph/s3-tests, pinned in scripts/s3-tests-install.sh) through the
# S3 gateway on each backend: memory, a folder, Azurite and fake-gcs-server (started by
# @partcopy/test-servers through vitest's global setup). Prints one table (passed, failed,
# errors, skipped, deselected, gaul/s3proxy's passed figure for the same lane) and writes the
# failures grouped by cause to s3-compat-results/failures-<backend>.md.
#
#   scripts/s3-compat.sh                          all four backends (a lane is 600 tests, 0.5 to 3 s each)
#   scripts/s3-compat.sh --backend memory         one backend (repeatable, or a,b)
#   scripts/s3-compat.sh --backend fs -k 'list'   a pytest -k expression, for a quick loop
#   PARTCOPY_S3_COMPAT_OUT=/tmp/x scripts/s3-compat.sh ...   results elsewhere (parallel runs)
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_ready
cd "$PARTCOPY_ROOT"

backends=""
k=""
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backends="${backends:+$backends,}$2"; shift 2 ;;
    -k) k="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
backends="${backends:-memory,fs,azurite,fake-gcs}"

scripts/s3-tests-install.sh >/dev/null
servers=""
case "$backends" in *azurite*) servers="azurite" ;; esac
case "$backends" in *fake-gcs*) servers="${servers:+$servers }fake-gcs-server" ;; esac
[ -z "$servers" ] || node packages/test-servers/src/cli.ts install $servers

out="${PARTCOPY_S3_COMPAT_OUT:-$PARTCOPY_ROOT/s3-compat-results}"
rm -rf "$out" && mkdir -p "$out"
status=0
PARTCOPY_S3_COMPAT_BACKENDS="$backends" PARTCOPY_S3_COMPAT_K="$k" PARTCOPY_S3_COMPAT_OUT="$out" \
  pnpm exec vitest run packages/s3-gateway/test/s3-compat.int.test.ts >"$out/vitest.log" 2>&1 || status=$?
if [ ! -f "$out/table.txt" ]; then
  tail -40 "$out/vitest.log" >&2
  echo "no results (vitest exit $status); see $out/vitest.log" >&2
  exit 1
fi
echo
cat "$out/table.txt"
echo
echo "s3proxy: gaul/s3proxy's CI lane figure (tests passed with the same markers deselected)."
echo "Failures by cause: $out/failures-<backend>.md; pytest output and JUnit XML beside them."
exit "$status"
