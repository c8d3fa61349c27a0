/**
 * The multipart plan of a compose under S3's rules: a part is either one server-side copy of a
 * single contiguous range (UploadPartCopy) or bytes read through this process and uploaded
 * (UploadPart), and every part but the last holds at least `minPartSize` bytes.
 *
 * Which bytes go through the client is decided by an exact optimiser ({@link optimiseClientBytes}):
 * the plan reads the fewest bytes any legal plan can, and that minimum is the
 * `clientBytesLowerBound` reported next to what the plan moves. The plan then cuts each server
 * range into part copies of about `copyPartSize` and each client run into uploaded parts of about
 * `uploadPartSize`, doubling both (up to the maximum part size) until the parts fit `maxParts`.
 * Only when the least-bytes plan cannot fit `maxParts` at all does the plan read more than the
 * bound (see {@link fewerParts}).
 */

import { MiB } from '../contract/capabilities.js';
import type { ComposeGroupReport } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { optimiseClientBytes, type PieceDecision } from './compose-client-bytes.js';
import type { PinnedPiece } from './compose-types.js';

/** Bytes of one piece's source, inclusive offsets, in a part. */
export interface ComposeSlice {
  /** Index into the plan's `pieces` (the caller's order). */
  piece: number;
  start: number;
  end: number;
}

export interface ComposePart {
  partNumber: number;
  /** `copy`: one slice copied on the server; `upload`: slices read through this process. */
  kind: 'copy' | 'upload';
  slices: ComposeSlice[];
  size: number;
}

export interface ComposePartPlan {
  parts: ComposePart[];
  totalSize: number;
  plannedClientBytes: number;
  clientBytesLowerBound: number;
  groups: ComposeGroupReport[];
}

export interface ComposePlanLimits {
  minPartSize: number;
  maxPartSize: number;
  maxParts: number;
}

export interface ComposePlanOptions {
  /** Bytes per server-side part copy of a large piece (default 64 MiB, at least twice the minimum). */
  copyPartSize?: number | undefined;
  /** Bytes per uploaded part of joined small pieces (default 8 MiB, at least the minimum). */
  uploadPartSize?: number | undefined;
}

/**
 * Plans the parts; fails with `InvalidArgument` when not even one client run cut at the largest
 * part size fits `maxParts`.
 */
export function planComposeParts(
  pieces: readonly PinnedPiece[],
  limits: ComposePlanLimits,
  options: ComposePlanOptions = {},
): ComposePartPlan {
  const min = Math.max(1, limits.minPartSize);
  const max = limits.maxPartSize;
  let copyTarget = Math.min(max, Math.max(options.copyPartSize ?? 64 * MiB, 2 * min));
  let uploadTarget = Math.min(max, Math.max(options.uploadPartSize ?? 8 * MiB, min));
  const present = pieces.filter((p) => p.size > 0 && p.range !== undefined);
  const sizes = present.map((p) => p.size);
  const optimum = optimiseClientBytes(sizes, min);
  for (;;) {
    const parts = layParts(present, optimum.decisions, { min, max, copyTarget, uploadTarget });
    if (parts.length <= limits.maxParts) return summarise(parts, optimum.clientBytes);
    if (copyTarget >= max && uploadTarget >= max) break;
    copyTarget = Math.min(max, copyTarget * 2);
    uploadTarget = Math.min(max, uploadTarget * 2);
  }
  return summarise(
    fewerParts(present, sizes, { min, max, copyTarget, uploadTarget }, limits.maxParts),
    optimum.clientBytes,
  );
}

/**
 * The least-bytes plan has more parts than the store allows even at the largest part size (over
 * `maxParts` pieces of at least the minimum): read the k smallest such pieces whole through the
 * client, joining the runs around them, with the least k found by bisection (each try one run of
 * the optimiser, so O(n log n) in all). Reading every piece is one client run cut at the largest
 * part size, the fewest parts any plan has: when that does not fit, nothing does. The plan then
 * reads more than the bound, which stays the least any plan reads without the part limit.
 */
function fewerParts(
  pieces: readonly PinnedPiece[],
  sizes: readonly number[],
  layout: Layout,
  maxParts: number,
): ComposePart[] {
  // Candidates to read whole, smallest first; the last piece (which may keep a tiny server part) last.
  const last = sizes.length - 1;
  const order = sizes
    .map((size, i) => ({ size, i }))
    .filter(({ size, i }) => size >= layout.min || i === last)
    .sort((a, b) => Number(a.i === last) - Number(b.i === last) || a.size - b.size || a.i - b.i)
    .map(({ i }) => i);
  const planWith = (k: number) => {
    const whole = new Set(order.slice(0, k));
    const { decisions } = optimiseClientBytes(sizes, layout.min, (i) => !whole.has(i));
    return layParts(pieces, decisions, layout);
  };
  let best = planWith(order.length);
  if (best.length > maxParts) {
    throw new PartCopyError(
      'InvalidArgument',
      `the compose needs ${best.length} parts at the largest part size; the store allows ${maxParts}`,
    );
  }
  let fits = order.length;
  let fails = 0;
  while (fits - fails > 1) {
    const k = Math.floor((fits + fails) / 2);
    const parts = planWith(k);
    if (parts.length <= maxParts) [fits, best] = [k, parts];
    else fails = k;
  }
  return best;
}

/**
 * The least bytes any legal plan reads through the client (every part but the last at least
 * `minPartSize`, a server part one range of one piece): exact, by the optimiser in compose-client-bytes.ts.
 */
export function clientBytesLowerBound(pieces: readonly PinnedPiece[], minPartSize: number): number {
  const sizes = pieces.filter((p) => p.size > 0).map((p) => p.size);
  return optimiseClientBytes(sizes, Math.max(1, minPartSize)).clientBytes;
}

interface Layout {
  min: number;
  max: number;
  copyTarget: number;
  uploadTarget: number;
}

/** Lays the optimiser's decisions out as parts, in order. */
function layParts(
  pieces: readonly PinnedPiece[],
  decisions: readonly PieceDecision[],
  layout: Layout,
): ComposePart[] {
  const parts: ComposePart[] = [];
  const push = (kind: ComposePart['kind'], slices: ComposeSlice[]): void => {
    const size = slices.reduce((sum, s) => sum + s.end - s.start + 1, 0);
    parts.push({ partNumber: parts.length + 1, kind, slices, size });
  };
  let run: ComposeSlice[] = [];
  pieces.forEach((piece, i) => {
    const { start, end } = piece.range as { start: number; end: number };
    const decision = decisions[i] as PieceDecision;
    if (!decision.server) {
      run.push({ piece: piece.index, start, end });
      return;
    }
    if (decision.head > 0) run.push({ piece: piece.index, start, end: start + decision.head - 1 });
    for (const slices of cutRun(run, layout, false)) push('upload', slices);
    run = [];
    const from = start + decision.head;
    const to = end - decision.tail;
    const last = i === pieces.length - 1;
    let offset = from;
    for (const size of partSizes(to - from + 1, layout.copyTarget, layout, last, Math.ceil)) {
      push('copy', [{ piece: piece.index, start: offset, end: offset + size - 1 }]);
      offset += size;
    }
    if (decision.tail > 0) run.push({ piece: piece.index, start: to + 1, end });
  });
  for (const slices of cutRun(run, layout, true)) push('upload', slices);
  return parts;
}

/** Cuts a run of slices into uploaded parts of the sizes {@link partSizes} gives. */
function cutRun(run: readonly ComposeSlice[], layout: Layout, last: boolean): ComposeSlice[][] {
  const total = run.reduce((sum, s) => sum + s.end - s.start + 1, 0);
  if (total === 0) return [];
  const out: ComposeSlice[][] = [];
  const queue = run.map((s) => ({ ...s }));
  let head = 0;
  for (const size of partSizes(total, layout.uploadTarget, layout, last, Math.floor)) {
    const slices: ComposeSlice[] = [];
    let left = size;
    while (left > 0) {
      const slice = queue[head] as ComposeSlice;
      const length = slice.end - slice.start + 1;
      if (length <= left) {
        slices.push(slice);
        head++;
        left -= length;
      } else {
        slices.push({ piece: slice.piece, start: slice.start, end: slice.start + left - 1 });
        slice.start += left;
        left = 0;
      }
    }
    out.push(slices);
  }
  return out;
}

/**
 * Sizes of the parts of `total` bytes near `target` each (`round` up: at most `target`, as part
 * copies run in parallel; down: at least `target`, so uploads send fewer requests): every one within
 * [min, max], but the last part of the whole result, which may be smaller. Fails when `total` cannot
 * be cut that way (only when the maximum part size is under twice the minimum).
 */
function partSizes(
  total: number,
  target: number,
  layout: Layout,
  last: boolean,
  round: (x: number) => number,
): number[] {
  const fewest = Math.ceil(total / layout.max);
  const most = Math.max(1, Math.floor(total / layout.min));
  if (fewest <= most) return evenSizes(total, Math.min(Math.max(round(total / target), fewest), most));
  if (!last) {
    throw new PartCopyError(
      'InvalidArgument',
      `${total} bytes cannot be cut into parts of ${layout.min} to ${layout.max} bytes`,
    );
  }
  return [...Array.from({ length: fewest - 1 }, () => layout.max), total - (fewest - 1) * layout.max];
}

/** `total` split into `count` sizes differing by at most one byte. */
function evenSizes(total: number, count: number): number[] {
  const n = Math.max(1, count);
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

function summarise(parts: ComposePart[], lowerBound: number): ComposePartPlan {
  return {
    parts,
    totalSize: parts.reduce((sum, p) => sum + p.size, 0),
    plannedClientBytes: parts.filter((p) => p.kind === 'upload').reduce((sum, p) => sum + p.size, 0),
    clientBytesLowerBound: lowerBound,
    groups: groupsOf(parts),
  };
}

function groupsOf(parts: readonly ComposePart[]): ComposeGroupReport[] {
  const groups: ComposeGroupReport[] = [];
  for (const part of parts) {
    const strategy = part.kind === 'copy' ? 'upload-part-copy' : 'joined-through-client';
    const firstPiece = (part.slices[0] as ComposeSlice).piece;
    const pieceSet = new Set(part.slices.map((s) => s.piece));
    const previous = groups[groups.length - 1];
    if (previous !== undefined && previous.strategy === strategy) {
      const lastPiece = previous.firstPiece + previous.pieces - 1;
      const added = [...pieceSet].filter((p) => p > lastPiece).length;
      previous.pieces += added;
      previous.bytes += part.size;
      continue;
    }
    groups.push({
      strategy,
      firstPiece,
      pieces: pieceSet.size,
      bytes: part.size,
      transfer: part.kind === 'copy' ? 'server-side' : 'client-streamed',
    });
  }
  return groups;
}
