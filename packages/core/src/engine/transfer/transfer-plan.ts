/**
 * The transfer's planner: which strategy moves the bytes between these two stores, with which
 * part size and how many parts in flight. Decided from both stores' capabilities and the size,
 * before anything is created; every refusal is a typed error that names the side at fault.
 */
import type { PartCopyClient } from '../../client/part-copy-client.js';
import type { Capabilities } from '../../contract/capabilities.js';
import { MiB } from '../../contract/capabilities.js';
import type { ByteRange } from '../../contract/types.js';
import { PartCopyError } from '../../errors/part-copy-error.js';
import { rangeLength } from '../../semantics/byte-range.js';
import { type PlannedPart, planCopyParts, smallestPartSize } from '../part-plan.js';
import type { TransferPlanStrategy, TransferStrategy } from './transfer-types.js';

/**
 * Bytes per streamed part: large enough that per-request overhead is a few percent. A stream
 * holds none of it; a destination that buffers (capability `uploadPartBufferSize`) gets
 * {@link BUFFERED_PART_SIZE} instead.
 */
export const TRANSFER_PART_SIZE = 16 * MiB;

/** Bytes per streamed part into a destination that buffers part bodies (Azure). */
export const BUFFERED_PART_SIZE = 8 * MiB;

/** Bytes per part of a server-side pull: nothing passes through the client, so parts can be big. */
export const PULL_PART_SIZE = 64 * MiB;

/** Parts in flight when the caller names no concurrency. */
export const TRANSFER_CONCURRENCY = 4;

/**
 * Most bytes a destination that buffers part bodies may hold at once (parts in flight × the
 * bytes it holds per part). Streams hold no part; Azure's uploadPart holds a block, copied once
 * on the way (measured about 2.5 times the block in RSS), so this keeps such a transfer under
 * 200 MiB RSS at any size (see the core README).
 */
export const TRANSFER_BUFFER_BUDGET = 16 * MiB;

export interface TransferPlan {
  strategy: TransferPlanStrategy;
  reason: string;
  totalSize: number;
  range?: ByteRange;
  partSize: number;
  parts: PlannedPart[];
  concurrency: number;
}

export interface TransferPlanInput {
  source: PartCopyClient;
  sourceBucket: string;
  destination: PartCopyClient;
  destinationBucket: string;
  strategy: TransferStrategy;
  /** The resolved range to transfer; absent for an empty source. */
  range: ByteRange | undefined;
  partSize?: number | undefined;
  concurrency?: number | undefined;
}

/** Chooses strategy, parts and concurrency; throws before any I/O. */
export function planTransfer(input: TransferPlanInput): TransferPlan {
  const dstCaps = input.destination.capabilitiesFor(input.destinationBucket);
  const requested = Math.max(1, Math.floor(input.concurrency ?? TRANSFER_CONCURRENCY));
  const pull = decidePull(input);
  if (input.range === undefined) {
    return {
      strategy: 'empty-put',
      reason: 'an empty source is one empty put',
      totalSize: 0,
      partSize: 0,
      parts: [],
      concurrency: 1,
    };
  }
  const totalSize = rangeLength(input.range);
  const strategy = pull.possible ? 'server-pull' : 'stream';
  const buffered = strategy === 'stream' ? dstCaps.uploadPartBufferSize : undefined;
  const partSize = input.partSize ?? automaticPartSize(totalSize, dstCaps, strategy, buffered !== undefined);
  const { parts, partSize: planned } = planCopyParts(input.range, { limits: dstCaps, partSize });
  // A stream never holds a part, but the destination may (Azure buffers each block): parts in
  // flight × the bytes it holds per part stays within the budget unless the caller insists.
  const held = buffered === undefined ? 0 : Math.min(planned, buffered);
  const concurrency =
    held > 0 && input.concurrency === undefined
      ? Math.max(1, Math.min(requested, Math.floor(TRANSFER_BUFFER_BUDGET / held)))
      : requested;
  return {
    strategy,
    reason: pull.reason,
    totalSize,
    range: input.range,
    partSize: planned,
    parts,
    concurrency: Math.min(concurrency, Math.max(1, parts.length)),
  };
}

/** Can the destination's server fetch the source's bytes itself? Throws when `server-pull` was demanded and it cannot. */
function decidePull(input: TransferPlanInput): { possible: boolean; reason: string } {
  const problem = pullProblem(input);
  if (input.strategy === 'stream')
    return { possible: false, reason: 'streamed through this process, as asked (strategy stream)' };
  if (problem === undefined)
    return {
      possible: true,
      reason: `${input.destination.provider.name} fetches each part from a URL ${input.source.provider.name} signs: no payload byte through this process`,
    };
  if (input.strategy === 'server-pull') {
    throw new PartCopyError(
      'Unsupported',
      `a server-side pull is impossible here: ${problem}; use strategy stream or auto`,
      {
        provider: input.destination.provider.name,
        operation: 'uploadPartCopy',
      },
    );
  }
  return {
    possible: false,
    reason: `streamed through this process with bounded memory (no server-side pull: ${problem})`,
  };
}

function pullProblem(input: TransferPlanInput): string | undefined {
  const src = input.source.provider;
  const dst = input.destination.provider;
  const srcCaps = input.source.capabilitiesFor(input.sourceBucket);
  const dstCaps = input.destination.capabilitiesFor(input.destinationBucket);
  if (typeof src.presignGetObject !== 'function' || srcCaps.presignedReads !== true)
    return `the source store (${src.name}) cannot sign a read URL`;
  if (typeof dst.uploadPartFromUrl !== 'function' || dstCaps.uploadPartFromUrl !== true)
    return `the destination store (${dst.name}) cannot stage a part from a URL`;
  if (dstCaps.uploadPartFromForeignUrl !== true && src.name !== dst.name)
    return `the destination store (${dst.name}) fetches only from stores of its own kind, not from ${src.name}`;
  return undefined;
}

function automaticPartSize(
  totalSize: number,
  caps: Pick<Capabilities, 'minPartSize' | 'maxPartSize' | 'maxParts'>,
  strategy: 'server-pull' | 'stream',
  buffered: boolean,
): number {
  const target =
    strategy === 'server-pull' ? PULL_PART_SIZE : buffered ? BUFFERED_PART_SIZE : TRANSFER_PART_SIZE;
  let size = Math.max(target, caps.minPartSize);
  const needed = smallestPartSize(totalSize, caps.maxParts);
  if (size < needed) size = Math.ceil(needed / MiB) * MiB;
  return Math.max(1, Math.min(size, caps.maxPartSize, totalSize));
}
