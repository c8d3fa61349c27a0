#!/usr/bin/env bash
# partcopy's own benchmark, side by side with rclone and aws-cli (installed from Debian's
# packages when missing): builds the CLI, starts MinIO, Azurite and fake-gcs-server, prints the
# tables (min / median / max over runs, tools alternated, the machine's load noted) and writes
# bench-results/<timestamp>.json. See packages/bench/README.md.
#
#   scripts/bench.sh --quick                 64 MiB and 1 GiB, fewer runs: a few minutes
#   scripts/bench.sh                         64 MiB, 1 GiB and 6 GiB (skipped when the disk is short)
#   scripts/bench.sh --compare FILE          also compare with an earlier run's JSON
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_ready
cd "$PARTCOPY_ROOT"

printf '[bench] building the CLI and the providers it loads\n' >&2
pnpm --filter "@partcopy/cli..." --filter @partcopy/s3 --filter @partcopy/azure --filter @partcopy/gcs run build >/dev/null
node packages/test-servers/src/cli.ts install minio azurite fake-gcs-server redis
exec node packages/bench/src/cli.ts "$@"
