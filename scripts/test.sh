#!/usr/bin/env bash
# The whole test suite, from a fresh clone: bootstrap Node and pnpm, install, lint, type check,
# build and check every package, build the API docs, install and start the real test servers
# (MinIO, a second S3 server, Azurite, fake-gcs-server), then run every unit and integration test.
#
#   PARTCOPY_SERVERS=off scripts/test.sh   runs the server-free tests only (says so loudly).
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_ready
cd "$PARTCOPY_ROOT"

step() { printf '\n[partcopy] == %s ==\n' "$*" >&2; }

step "lint, type check, build, package checks"
pnpm run check
step "API reference (typedoc)"
pnpm run docs

if [ "${PARTCOPY_SERVERS:-}" != "off" ]; then
  step "test servers: install (cached after the first run)"
  start=$(date +%s)
  node packages/test-servers/src/cli.ts install
  printf '[partcopy] test servers ready to start (%ss)\n' "$(( $(date +%s) - start ))" >&2
fi

step "tests (vitest)"
results="$(mktemp -d)/vitest.json"
status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?
# One plain closing line for tools that read test summaries: "N passed, N failed, N skipped".
if [ -f "$results" ]; then
  node -e 'const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);' "$results"
fi
exit "$status"
