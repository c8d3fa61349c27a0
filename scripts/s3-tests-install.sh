#!/usr/bin/env bash
# Installs the S3 compatibility suite (ceph/s3-tests) and its Python client libraries into the
# cache, idempotently: the suite at a pinned commit in ~/.cache/partcopy/s3-tests-<commit>, a
# virtualenv with its requirements (PyPI) in ~/.cache/partcopy/s3-tests-venv. Python is only the
# suite's client here; nothing of the product runs on it.
#
# The suite is not vendored and not on a package registry. It comes from a git checkout of
# ceph/s3-tests holding the pinned commit: $PARTCOPY_S3_TESTS_GIT (a git dir or URL), else the
# machine's mirror (/work/.mirror/ceph+s3-tests/repo), else github.com (when there is internet).
#
#   scripts/s3-tests-install.sh        installs when missing, prints the suite folder on stdout
set -euo pipefail

S3_TESTS_COMMIT=8f0ae7b404a3a2fcf7038bf1e6bf29544fe9b6a3
cache="${PARTCOPY_CACHE:-$HOME/.cache/partcopy}"
suite="$cache/s3-tests-$S3_TESTS_COMMIT"
venv="$cache/s3-tests-venv"
python="${PARTCOPY_PYTHON:-python3}"
say() { printf '[s3-tests] %s\n' "$*" >&2; }

if [ ! -f "$suite/.complete" ]; then
  sources=()
  [ -n "${PARTCOPY_S3_TESTS_GIT:-}" ] && sources+=("$PARTCOPY_S3_TESTS_GIT")
  [ -d /work/.mirror/ceph+s3-tests/repo ] && sources+=(/work/.mirror/ceph+s3-tests/repo)
  sources+=(https://github.com/ceph/s3-tests.git)
  rm -rf "$suite" && mkdir -p "$suite"
  done=""
  for source in "${sources[@]}"; do
    if [ -d "$source" ] && git --git-dir="$source" cat-file -e "$S3_TESTS_COMMIT^{commit}" 2>/dev/null; then
      git --git-dir="$source" archive "$S3_TESTS_COMMIT" | tar -x -C "$suite" && done="$source" && break
    elif [ ! -d "$source" ]; then
      tmp="$(mktemp -d)"
      if git clone -q --filter=blob:none "$source" "$tmp/repo" 2>/dev/null &&
        git -C "$tmp/repo" archive "$S3_TESTS_COMMIT" | tar -x -C "$suite"; then
        done="$source"
      fi
      rm -rf "$tmp"
      [ -n "$done" ] && break
    fi
  done
  if [ -z "$done" ]; then
    say "could not get ceph/s3-tests at $S3_TESTS_COMMIT (tried: ${sources[*]}); set PARTCOPY_S3_TESTS_GIT to a checkout holding it"
    exit 1
  fi
  touch "$suite/.complete"
  say "suite $S3_TESTS_COMMIT installed from $done"
fi

# The venv is rebuilt when the suite's requirements change (their hash is kept beside it).
wanted="$(cat "$suite/requirements.txt" <(echo pytest-timeout) | sha256sum | cut -c1-16)"
if [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$wanted" ]; then
  say "installing the suite's Python clients (PyPI) into $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$suite/requirements.txt" pytest-timeout >&2
  echo "$wanted" >"$venv/.requirements"
fi
echo "$suite"
