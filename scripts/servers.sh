#!/usr/bin/env bash
# Thin wrapper around the test-server CLI with the project's Node on PATH:
#   scripts/servers.sh install|start|stop|env|status [--state FILE] [--only a,b]
#   eval "$(scripts/servers.sh start)"   # then run tests against the exported endpoints
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_toolchain
exec node "$PARTCOPY_ROOT/packages/test-servers/src/cli.ts" "$@"
