#!/usr/bin/env bash
# The whole test suite, from a fresh clone: bootstrap Node and pnpm, install, lint, type check,
# build and check every package, build the API docs, install and start the real test servers
# (MinIO, a second S3 server, Azurite, fake-gcs-server), then run every unit and integration test.
# The test servers install (cached after the first run) in parallel with the checks and build.
#
#   PARTCOPY_SERVERS=off scripts/test.sh   runs the server-free tests only (says so loudly).
#   scripts/test.sh --scale                runs only the scale tier (`*.scale.test.ts`: 10,000
#                                          parts, multi-GiB; minutes, and their time depends on
#                                          the machine), skipping the checks the default run does.
# Further arguments go to vitest. The last line of the output is always
# "N passed, N failed, N skipped" (CI reads it).
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_ready
cd "$PARTCOPY_ROOT"

step() { printf '\n[partcopy] == %s ==\n' "$*" >&2; }

scale=0
if [ "${1:-}" = "--scale" ]; then
  scale=1
  shift
  export PARTCOPY_SCALE=1
  [ "${PARTCOPY_SERVERS:-}" != "off" ] || { echo "[partcopy] --scale needs the test servers; unset PARTCOPY_SERVERS" >&2; exit 2; }
fi

# The CLI's terminal tests drive a real terminal with tmux (a Debian package): install it when
# missing, as the servers are; without it those tests fail loudly.
if [ "${PARTCOPY_SERVERS:-}" != "off" ] && ! command -v tmux >/dev/null 2>&1; then
  step "tmux (terminal tests): installing the Debian package"
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && apt-get install -y -qq tmux >/dev/null; } || printf '[partcopy] could not install tmux; the terminal tests will fail\n' >&2
  else
    printf '[partcopy] tmux is missing and this is not root: apt-get install -y tmux, or the terminal tests fail\n' >&2
  fi
fi

# The S3 gateway's real-client tests use aws-cli v2 and rclone (Debian packages) and boto3 (PyPI):
# installed when missing, as tmux is; without them those tests fail loudly, naming what is missing.
if [ "${PARTCOPY_SERVERS:-}" != "off" ]; then
  missing_debs=""
  [ -x /usr/bin/aws ] || missing_debs="$missing_debs awscli"
  [ -x /usr/bin/rclone ] || missing_debs="$missing_debs rclone"
  if [ -n "$missing_debs" ]; then
    step "gateway client tests: installing$missing_debs (Debian)"
    if [ "$(id -u)" = 0 ]; then
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing_debs >/dev/null; } || printf '[partcopy] could not install%s; the gateway client tests will fail\n' "$missing_debs" >&2
    else
      printf '[partcopy] missing%s and this is not root: the gateway client tests will fail\n' "$missing_debs" >&2
    fi
  fi
  if ! "${PARTCOPY_PYTHON:-python3}" -c 'import boto3' >/dev/null 2>&1; then
    step "gateway client tests: installing boto3 (pip)"
    "${PARTCOPY_PYTHON:-python3}" -m pip install -q boto3 >/dev/null 2>&1 || printf '[partcopy] could not install boto3; the gateway client tests will fail\n' >&2
  fi
  # The S3 compatibility suite (ceph/s3-tests at a pinned commit, its clients in a venv from PyPI)
  # for the gateway's s3-compat test; cached after the first run.
  scripts/s3-tests-install.sh >/dev/null || printf '[partcopy] could not install ceph/s3-tests; the gateway s3-compat test will fail\n' >&2
fi

# The server install runs in its own process group beside the checks (Go builds and pip/npm
# downloads overlap the TypeScript build); its output goes to a log printed when it is done.
install_pid=""
install_log=""
stop_install() { if [ -n "$install_pid" ]; then kill -- "-$install_pid" 2>/dev/null || true; fi; }
trap stop_install EXIT
if [ "${PARTCOPY_SERVERS:-}" != "off" ]; then
  install_log="$(mktemp)"
  step "test servers: install started in the background (cached after the first run; log $install_log)"
  setsid node packages/test-servers/src/cli.ts install >"$install_log" 2>&1 &
  install_pid=$!
  install_started=$(date +%s)
fi

if [ "$scale" = 0 ]; then
  step "lint, type check, build, package checks"
  pnpm run check
  step "API reference (typedoc)"
  pnpm run docs
fi

if [ -n "$install_pid" ]; then
  step "test servers: waiting for the install"
  install_status=0
  wait "$install_pid" || install_status=$?
  install_pid=""
  sed 's/^/[partcopy] servers: /' "$install_log" >&2
  if [ "$install_status" != 0 ]; then
    printf '[partcopy] test server install FAILED (exit %s); full log above and in %s\n' "$install_status" "$install_log" >&2
    exit "$install_status"
  fi
  printf '[partcopy] test servers ready to start (install finished %ss after it began)\n' \
    "$(( $(date +%s) - install_started ))" >&2
  rm -f "$install_log"
fi

if [ "$scale" = 1 ]; then step "tests (vitest, scale tier only)"; else step "tests (vitest)"; fi
results="$(mktemp -d)/vitest.json"
status=0
filters=()
[ "$scale" = 1 ] && filters=(.scale.test.ts)
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$results" "${filters[@]}" "$@" || status=$?
# The ten slowest tests, then one plain closing line for tools that read test summaries:
# "N passed, N failed, N skipped" (it must stay the last line).
if [ -f "$results" ]; then
  node scripts/test-summary.ts "$results"
fi
exit "$status"
