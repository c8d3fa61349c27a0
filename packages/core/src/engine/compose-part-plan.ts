/**
 * The multipart plan of a compose under S3's rules: a part is either one server-side copy of a
 * single contiguous range (UploadPartCopy) or bytes read through this process and uploaded
 * (UploadPart), and every part but the last holds at least `minPartSize` bytes.
 *
 * Pieces of at least the minimum are copied on the server. A run of smaller pieces between them
 * is joined into uploaded parts; a run still under the minimum borrows the fewest bytes it can
 * from its neighbours (the tail of the piece before, then the head of the piece after, each
 * keeping at least the minimum for its own server copy), and only when neither can lend enough
 * is the next large piece read whole into the run. A single small last piece is copied on the
 * server as the last part.
 *
 * Next to the plan comes a lower bound of the client bytes any legal plan needs (see
 * {@link clientBytesLowerBound}), so a report can show how close the plan is.
 */

import { MiB } from '../contract/capabilities.js';
import type { ComposeGroupReport } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';
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

interface Borrow {
  head: number;
  tail: number;
  absorbed: boolean;
}

/** Plans the parts; fails with `InvalidArgument` when no part size fits `maxParts`. */
export function planComposeParts(
  pieces: readonly PinnedPiece[],
  limits: ComposePlanLimits,
  options: ComposePlanOptions = {},
): ComposePartPlan {
  const min = limits.minPartSize;
  let copyTarget = Math.min(limits.maxPartSize, Math.max(options.copyPartSize ?? 64 * MiB, 2 * min));
  let uploadTarget = Math.min(limits.maxPartSize, Math.max(options.uploadPartSize ?? 8 * MiB, min));
  const borrows = borrowPlan(pieces, min);
  for (;;) {
    const parts = layParts(pieces, borrows, min, copyTarget, uploadTarget, limits.maxPartSize);
    if (parts.length <= limits.maxParts) return summarise(pieces, parts, min);
    if (copyTarget >= limits.maxPartSize && uploadTarget >= limits.maxPartSize) {
      throw new PartCopyError(
        'InvalidArgument',
        `the compose needs ${parts.length} parts at the largest part size; the store allows ${limits.maxParts}`,
      );
    }
    copyTarget = Math.min(limits.maxPartSize, copyTarget * 2);
    uploadTarget = Math.min(limits.maxPartSize, uploadTarget * 2);
  }
}

/** Decides what each large piece lends to the runs of small pieces around it. */
function borrowPlan(pieces: readonly PinnedPiece[], min: number): Map<number, Borrow> {
  const bigs = pieces.filter((p) => p.size >= min).map((p) => p.index);
  const borrows = new Map(bigs.map((i) => [i, { head: 0, tail: 0, absorbed: false } as Borrow]));
  const gapBefore = (k: number): number => {
    const from = k === 0 ? 0 : (bigs[k - 1] as number) + 1;
    const to = k === bigs.length ? pieces.length : (bigs[k] as number);
    let sum = 0;
    for (let i = from; i < to; i++) sum += (pieces[i] as PinnedPiece).size;
    return sum;
  };
  let run = gapBefore(0);
  let left: number | undefined;
  for (let k = 0; k < bigs.length; k++) {
    const right = bigs[k] as number;
    const rightSize = (pieces[right] as PinnedPiece).size;
    if (run === 0 || run >= min) {
      left = right;
      run = gapBefore(k + 1);
      continue;
    }
    let need = min - run;
    const lender = left === undefined ? undefined : (borrows.get(left) as Borrow);
    const tail = lender
      ? Math.min((pieces[left as number] as PinnedPiece).size - lender.head - min, need)
      : 0;
    need -= tail;
    const head = Math.min(rightSize - min, need);
    if (need - head <= 0) {
      if (lender) lender.tail = tail;
      (borrows.get(right) as Borrow).head = head;
      left = right;
      run = gapBefore(k + 1);
    } else {
      // Neither neighbour can lend enough: the next large piece joins the run whole.
      (borrows.get(right) as Borrow).absorbed = true;
      run += rightSize + gapBefore(k + 1);
    }
  }
  return borrows;
}

function layParts(
  pieces: readonly PinnedPiece[],
  borrows: ReadonlyMap<number, Borrow>,
  min: number,
  copyTarget: number,
  uploadTarget: number,
  maxPart: number,
): ComposePart[] {
  const parts: ComposePart[] = [];
  let run: ComposeSlice[] = [];
  const push = (kind: ComposePart['kind'], slices: ComposeSlice[]): void => {
    const size = slices.reduce((sum, s) => sum + s.end - s.start + 1, 0);
    parts.push({ partNumber: parts.length + 1, kind, slices, size });
  };
  for (const piece of pieces) {
    if (piece.size === 0 || piece.range === undefined) continue;
    const { start, end } = piece.range;
    const borrow = borrows.get(piece.index);
    if (borrow === undefined || borrow.absorbed) {
      run.push({ piece: piece.index, start, end });
      continue;
    }
    if (borrow.head > 0) run.push({ piece: piece.index, start, end: start + borrow.head - 1 });
    for (const slices of splitRun(run, uploadTarget, maxPart)) push('upload', slices);
    run = [];
    const coreStart = start + borrow.head;
    const coreEnd = end - borrow.tail;
    let offset = coreStart;
    const count = Math.ceil((coreEnd - coreStart + 1) / copyTarget);
    for (const size of evenSizes(coreEnd - coreStart + 1, count)) {
      push('copy', [{ piece: piece.index, start: offset, end: offset + size - 1 }]);
      offset += size;
    }
    if (borrow.tail > 0) run.push({ piece: piece.index, start: coreEnd + 1, end });
  }
  layTrailingRun(pieces, run, min, uploadTarget, maxPart, push);
  return parts;
}

// The last part may be small: a lone small last piece is copied on the server, and so is the last
// piece of a longer run when the rest still makes legal uploaded parts.
function layTrailingRun(
  pieces: readonly PinnedPiece[],
  run: ComposeSlice[],
  min: number,
  uploadTarget: number,
  maxPart: number,
  push: (kind: ComposePart['kind'], slices: ComposeSlice[]) => void,
): void {
  if (run.length === 0) return;
  const last = run[run.length - 1] as ComposeSlice;
  const lastPiece = pieces[last.piece] as PinnedPiece;
  const lastIsWholePiece = lastPiece.range !== undefined && last.start === lastPiece.range.start;
  const rest = run.slice(0, -1);
  const restSize = rest.reduce((sum, s) => sum + s.end - s.start + 1, 0);
  if (lastIsWholePiece && (restSize === 0 || restSize >= min)) {
    for (const slices of splitRun(rest, uploadTarget, maxPart)) push('upload', slices);
    push('copy', [last]);
    return;
  }
  for (const slices of splitRun(run, uploadTarget, maxPart)) push('upload', slices);
}

/** Cuts a run of slices into uploaded parts of about `target` bytes (each at least `target` but one). */
function splitRun(run: readonly ComposeSlice[], target: number, max: number): ComposeSlice[][] {
  const total = run.reduce((sum, s) => sum + s.end - s.start + 1, 0);
  if (total === 0) return [];
  const sizes = evenSizes(total, Math.max(1, Math.floor(total / target), Math.ceil(total / max)));
  const out: ComposeSlice[][] = [];
  let queue = run.map((s) => ({ ...s }));
  for (const size of sizes) {
    const slices: ComposeSlice[] = [];
    let left = size;
    while (left > 0) {
      const head = queue[0] as ComposeSlice;
      const length = head.end - head.start + 1;
      if (length <= left) {
        slices.push(head);
        queue = queue.slice(1);
        left -= length;
      } else {
        slices.push({ piece: head.piece, start: head.start, end: head.start + left - 1 });
        head.start += left;
        left = 0;
      }
    }
    out.push(slices);
  }
  return out;
}

/** `total` split into `count` sizes differing by at most one byte. */
function evenSizes(total: number, count: number): number[] {
  const n = Math.max(1, count);
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

function summarise(pieces: readonly PinnedPiece[], parts: ComposePart[], min: number): ComposePartPlan {
  return {
    parts,
    totalSize: parts.reduce((sum, p) => sum + p.size, 0),
    plannedClientBytes: parts.filter((p) => p.kind === 'upload').reduce((sum, p) => sum + p.size, 0),
    clientBytesLowerBound: clientBytesLowerBound(pieces, min),
    groups: groupsOf(parts),
  };
}

/**
 * The least bytes any legal plan reads through the client. Every piece under the minimum but the
 * last must be (no server part may be that small unless it is the last); and a run of them under
 * the minimum must sit in an uploaded part of at least the minimum. Two runs can share one part
 * only by reading the large piece between them whole, which costs at least as much as padding
 * both when that piece is at least twice the minimum, so the padding is counted only for runs
 * whose neighbours are all that large. The bound is exact for such inputs and a lower bound
 * always.
 */
export function clientBytesLowerBound(pieces: readonly PinnedPiece[], min: number): number {
  const items = pieces.filter((p) => p.size > 0);
  let bound = 0;
  const lastIndex = items.length - 1;
  let run = 0;
  let leftOk = true;
  items.forEach((piece, i) => {
    if (piece.size < min) {
      if (i !== lastIndex) bound += piece.size;
      run += piece.size;
      return;
    }
    const rightOk = piece.size >= 2 * min;
    if (run > 0 && run < min && leftOk && rightOk) bound += min - run;
    run = 0;
    leftOk = rightOk;
  });
  return bound;
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
