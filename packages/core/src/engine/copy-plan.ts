/**
 * The planner of the copy engine: which strategy copies this source on this store, with which
 * part size and how many part copies in flight. Decided from the store's capabilities and the
 * copy's size alone, before anything is created, and reported to the caller as it is.
 */
import type { Capabilities } from '../contract/capabilities.js';
import { MiB } from '../contract/capabilities.js';
import type { ByteRange } from '../contract/types.js';
import { rangeLength } from '../semantics/byte-range.js';
import { type PlannedPart, planCopyParts, smallestPartSize } from './part-plan.js';

/**
 * How a copy moves its bytes:
 * - `whole-object`: one server-side whole-object copy (S3 CopyObject, GCS rewrite, Azure Copy
 *   Blob From URL), when the store offers it and the copy is the whole object within its limit.
 * - `single-part`: one part copy of the whole source without a range, then completion: how a
 *   store that copies only whole objects on the server (GCS) copies without streaming.
 * - `part-copies`: ranged part copies in parallel, then completion.
 * - `empty-put`: an empty source is one empty put (S3 cannot complete an upload of no bytes).
 */
export type CopyStrategy = 'whole-object' | 'single-part' | 'part-copies' | 'empty-put';

/**
 * Bytes per part the engine aims for on big copies. On MinIO a server-side copy is bound by
 * MinIO's CPU, not the disk: it hashes every byte it writes (MD5 for the ETag, about half its CPU
 * in a `perf` profile; HighwayHash for bitrot) and spends 2.5-3.1 CPU-seconds per GiB copied.
 * Fewer, larger parts cost it less. 1 GiB, `UploadPartCopy` plans run side by side with the raw
 * SDK (three sweeps of 3, 7 and 9 rounds, 2 cores at load 11-18; see the package README): MinIO
 * CPU per GiB 2.75-3.36 s with 16 MiB parts, 2.56-2.84 s with 64 MiB, 2.45-2.70 s with 128 MiB.
 * 128 MiB x 4 in flight took 0.85x and 0.86x the time of 64 MiB x 4 in the 7- and 9-round
 * sweeps (the best median of each), 1.22x in the 3-round one. 256 MiB gained nothing more, and
 * larger parts make each retry and each part copied again on resume dearer.
 */
export const ENGINE_TARGET_PART_SIZE = 128 * MiB;

/**
 * Largest whole object the engine copies with one whole-object call on a store that also copies
 * ranges natively (S3): below this, one request beats parallel parts; above, parts win. Measured
 * on MinIO with the raw SDK, 11 rounds at load 10-11: 64 MiB as one CopyObject 310 ms median
 * (0.15 CPU-s in MinIO) against 344-522 ms for 1 x 64, 2 x 32, 4 x 16 or 8 x 8 MiB parts; 1 GiB
 * as one CopyObject 7.3 s median (3.1 CPU-s: one MD5 stream, plus the CRC32 MinIO computes for a
 * source that has one, 3 rounds at load 11-14) against 4.5-7.7 s (median 6.0 s) for the 20
 * part plans of 16-256 MiB x 1-8 in flight, 19 of them faster.
 */
export const ENGINE_WHOLE_OBJECT_MAX_ON_RANGED_STORES = 64 * MiB;

/** Smallest part the engine plans for a multi-part copy (unless the store needs more). */
export const ENGINE_MIN_PART_SIZE = 8 * MiB;

/**
 * Part copies in flight when the caller names no concurrency (measured with the part size).
 * On MinIO with two cores, 4 in flight keeps both busy. 1 GiB in 128 MiB parts: 4 in flight
 * 6.0 s and 5.2 s median against 8 in flight 7.0 s and 6.1 s (two sweeps), 7.3 s against 2 in
 * flight 7.5 s (the third). With 64 MiB parts 8 in flight was 0-12% faster than 4.
 */
export const DEFAULT_COPY_CONCURRENCY = 4;

/** What the planner reads: the store's capabilities, with the optional whole-object copy. */
export interface PlanCapabilities
  extends Pick<
    Capabilities,
    'rangedCopy' | 'clientStreamedRanges' | 'minPartSize' | 'maxPartSize' | 'maxParts' | 'maxObjectSize'
  > {
  /** The store copies a whole object on the server in one call (the optional primitive). */
  wholeObjectCopy?: boolean;
  /** Largest object that one whole-object copy accepts (S3 CopyObject: 5 GiB). */
  maxWholeObjectCopySize?: number;
}

export interface CopyPlanInput {
  capabilities: PlanCapabilities;
  /** Bytes in the source object. */
  sourceSize: number;
  /** Inclusive bytes to copy; absent or covering the whole source copies the object. */
  range?: ByteRange | undefined;
  /** Part size the caller insists on (used as is, or the plan fails). */
  partSize?: number | undefined;
  concurrency?: number | undefined;
  /** Can the client call the whole-object copy (a facade method exists)? */
  wholeObjectCopyAvailable?: boolean;
  /** Refuse the whole-object strategy (e.g. a resumable copy that wants parts). */
  allowWholeObject?: boolean;
}

/** The plan, as reported to the caller (`onPlan`, the result, the CLI). */
export interface CopyPlan {
  strategy: CopyStrategy;
  /** Why this strategy: one sentence for logs and the CLI. */
  reason: string;
  /** Bytes to copy. */
  totalSize: number;
  /** The source range copied (absent for an empty source). */
  range?: ByteRange;
  /** Bytes per part (0 for `whole-object` and `empty-put`). */
  partSize: number;
  /** The parts, numbered from 1; empty for `whole-object` and `empty-put`. */
  parts: PlannedPart[];
  /** Part copies in flight at once. */
  concurrency: number;
  /** Do part copies send `copySourceRange`? False for `single-part` (whole source, no range). */
  ranged: boolean;
  /** How the bytes are expected to move: only `part-copies` on a store without native ranges streams. */
  expectedTransfer: 'server-side' | 'client-streamed';
}

/** Chooses the strategy, part size and concurrency for one copy. Throws before any I/O. */
export function planCopy(input: CopyPlanInput): CopyPlan {
  const { capabilities: caps, sourceSize } = input;
  const concurrency = Math.max(1, Math.floor(input.concurrency ?? DEFAULT_COPY_CONCURRENCY));
  if (sourceSize === 0) {
    return emptyPlan(concurrency);
  }
  const range = input.range ?? { start: 0, end: sourceSize - 1 };
  const totalSize = rangeLength(range);
  const whole = range.start === 0 && range.end === sourceSize - 1;
  const base = { totalSize, range, concurrency };
  if (whole && input.partSize === undefined && wholeObjectFits(input, totalSize)) {
    return {
      ...base,
      strategy: 'whole-object',
      reason: 'the store copies the whole object on its side in one call',
      partSize: 0,
      parts: [],
      ranged: false,
      expectedTransfer: 'server-side',
    };
  }
  // A store that copies only whole objects on the server copies this one as one part without a
  // range, on its side, rather than streaming ranges through the client.
  if (
    caps.rangedCopy !== 'native' &&
    whole &&
    totalSize <= caps.maxPartSize &&
    (input.partSize ?? totalSize) >= totalSize
  ) {
    return {
      ...base,
      strategy: 'single-part',
      reason: `${caps.rangedCopy} store: the whole object as one part copy stays on the server`,
      partSize: totalSize,
      parts: [{ partNumber: 1, range, size: totalSize }],
      ranged: false,
      expectedTransfer: 'server-side',
    };
  }
  const partSize = input.partSize ?? enginePartSize(totalSize, caps, concurrency);
  const parts = planCopyParts(range, { limits: caps, partSize });
  const streamed = caps.rangedCopy !== 'native';
  return {
    ...base,
    strategy: 'part-copies',
    reason: streamed
      ? 'ranges this store cannot copy on the server stream through the client (clientStreamedRanges)'
      : `${parts.parts.length} ranged part copies, ${concurrency} in flight`,
    partSize: parts.partSize,
    parts: parts.parts,
    ranged: true,
    expectedTransfer: streamed ? 'client-streamed' : 'server-side',
  };
}

/**
 * The part size for speed: {@link ENGINE_TARGET_PART_SIZE}, smaller for copies that would not
 * keep `concurrency` part copies busy (never below {@link ENGINE_MIN_PART_SIZE} or the store's
 * minimum), larger when the store's part count demands it. Whole MiB, for readable boundaries.
 */
export function enginePartSize(totalSize: number, limits: PlanCapabilities, concurrency: number): number {
  const spread = Math.ceil(totalSize / Math.max(1, concurrency) / MiB) * MiB;
  let size = Math.min(ENGINE_TARGET_PART_SIZE, Math.max(ENGINE_MIN_PART_SIZE, spread));
  size = Math.max(size, limits.minPartSize);
  const needed = smallestPartSize(totalSize, limits.maxParts);
  if (size < needed) size = Math.ceil(needed / MiB) * MiB;
  return Math.max(1, Math.min(size, limits.maxPartSize, totalSize));
}

function wholeObjectFits(input: CopyPlanInput, size: number): boolean {
  const caps = input.capabilities;
  if (input.allowWholeObject === false || !input.wholeObjectCopyAvailable || caps.wholeObjectCopy !== true)
    return false;
  const limit = caps.maxWholeObjectCopySize ?? caps.maxPartSize;
  if (size > limit) return false;
  // On a store with native ranged copies, parallel parts beat one serial copy once the object
  // is big enough for several parts; below that one request is the cheapest plan (measured:
  // ENGINE_WHOLE_OBJECT_MAX_ON_RANGED_STORES).
  if (caps.rangedCopy !== 'native') return true;
  return size <= ENGINE_WHOLE_OBJECT_MAX_ON_RANGED_STORES;
}

function emptyPlan(concurrency: number): CopyPlan {
  return {
    strategy: 'empty-put',
    reason: 'an empty source is copied with one empty put',
    totalSize: 0,
    partSize: 0,
    parts: [],
    concurrency,
    ranged: false,
    expectedTransfer: 'server-side',
  };
}
