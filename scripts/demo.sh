#!/usr/bin/env bash
# The main job: a partcopy CLI demo on the local filesystem provider (no cloud account needed).
# It generates a 40 MiB file, stores it, splices three ranges of it into a new object with
# UploadPartCopy (create-multipart-upload, upload-part-copy x3, complete-multipart-upload),
# copies it whole and by range with `partcopy cp`, and verifies every result byte for byte.
set -euo pipefail
# shellcheck source=./toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
partcopy_ready
cd "$PARTCOPY_ROOT"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
MiB=1048576

say "build the CLI and the packages it uses"
pnpm --filter "@partcopy/cli..." run build >/dev/null
partcopy() { node "$PARTCOPY_ROOT/packages/cli/dist/bin.js" "$@"; }
# Bytes START..START+LEN-1 of FILE (dd, so no pipe can be cut short under pipefail).
slice() { dd if="$1" bs=1M iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none; }
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];console.log(v)})' "$1"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/partcopy-demo.XXXXXX")"
export PARTCOPY_FS_ROOT="$WORK/store"
echo "store: $PARTCOPY_FS_ROOT (file:// URLs live here)"

say "generate a 40 MiB source file"
node -e '
  const { createHash } = require("node:crypto");
  const out = require("node:fs").createWriteStream(process.argv[1]);
  // Deterministic bytes: SHA-256 in counter mode, so every run copies the same data.
  for (let i = 0; i < 40 * 32768; i++) out.write(createHash("sha256").update(String(i)).digest());
  out.end();' "$WORK/source.bin"
ls -l "$WORK/source.bin"

say "partcopy mb + put"
partcopy mb file://demo
partcopy put "$WORK/source.bin" file://demo/source.bin

say "splice three ranges into one object with UploadPartCopy"
ID=$(partcopy create-multipart-upload --bucket demo --key spliced.bin --content-type application/octet-stream --json | json_field uploadId)
echo "upload id: $ID"
copy_part() { # part-number range
  partcopy upload-part-copy --bucket demo --key spliced.bin --upload-id "$ID" --part-number "$1" \
    --copy-source demo/source.bin --copy-source-range "$2" --json | json_field copyPartResult.etag
}
E1=$(copy_part 1 "bytes=$((32 * MiB))-$((40 * MiB - 1))")   # the last 8 MiB
E2=$(copy_part 2 "bytes=0-$((8 * MiB - 1))")                # the first 8 MiB
E3=$(copy_part 3 "bytes=$((20 * MiB))-$((20 * MiB + 12344))") # 12,345 bytes from the middle
partcopy list-parts --bucket demo --key spliced.bin --upload-id "$ID"
partcopy complete-multipart-upload --bucket demo --key spliced.bin --upload-id "$ID" --parts "$E1,$E2,$E3"
partcopy head file://demo/spliced.bin

say "verify the spliced object byte for byte"
partcopy get file://demo/spliced.bin "$WORK/spliced.bin"
{
  slice "$WORK/source.bin" $((32 * MiB)) $((8 * MiB))
  slice "$WORK/source.bin" 0 $((8 * MiB))
  slice "$WORK/source.bin" $((20 * MiB)) 12345
} >"$WORK/expected.bin"
cmp "$WORK/spliced.bin" "$WORK/expected.bin"
echo "spliced.bin matches: $(sha256sum <"$WORK/spliced.bin" | cut -c1-64)"

say "partcopy cp: a whole copy in 8 MiB parts, and a ranged copy"
partcopy cp file://demo/source.bin file://demo/copy.bin --part-size 8MiB --concurrency 4
partcopy get file://demo/copy.bin "$WORK/copy.bin"
cmp "$WORK/copy.bin" "$WORK/source.bin"
partcopy cp file://demo/source.bin file://demo/range.bin --range "bytes=$((5 * MiB))-$((17 * MiB - 1))" --part-size 5MiB
partcopy get file://demo/range.bin "$WORK/range.bin"
slice "$WORK/source.bin" $((5 * MiB)) $((12 * MiB)) >"$WORK/range.expected"
cmp "$WORK/range.bin" "$WORK/range.expected"
echo "copy.bin and range.bin match their sources"

say "nothing left behind"
partcopy uploads list file://demo
partcopy ls file://demo

rm -rf "$WORK"
say "demo OK: three ranged part copies spliced, a whole copy and a ranged copy, all verified"
