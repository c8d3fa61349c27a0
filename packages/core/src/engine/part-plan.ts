/**
 * Splitting a byte range into the parts of a multipart copy, within a provider's limits.
 * Used by the CLI's `cp` and by any application that drives uploadPartCopy itself.
 */

import type { Capabilities } from '../contract/capabilities.js';
import { MiB } from '../contract/capabilities.js';
import type { ByteRange } from '../contract/types.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { rangeLength } from '../semantics/byte-range.js';

/** The part size used when the caller names none: 8 MiB, as aws-cli's multipart chunk size. */
export const DEFAULT_COPY_PART_SIZE = 8 * MiB;

/** The capability limits a plan must respect. */
export type PartPlanLimits = Pick<Capabilities, 'minPartSize' | 'maxPartSize' | 'maxParts'> &
  Partial<Pick<Capabilities, 'maxObjectSize'>>;

export interface PlanCopyPartsOptions {
  /** The provider's limits (a `Capabilities` object will do). */
  limits: PartPlanLimits;
  /**
   * Wanted bytes per part. When given, it is used as is or the plan fails; when absent, the
   * plan starts at {@link DEFAULT_COPY_PART_SIZE} (or the provider's minimum, if larger) and grows
   * the size until the parts fit in `limits.maxParts`.
   */
  partSize?: number;
}

/** One part of a plan: part number and the inclusive source range it copies. */
export interface PlannedPart {
  partNumber: number;
  /** Inclusive range of the source, ready for `copySourceRange`. */
  range: ByteRange;
  /** Bytes in the part. */
  size: number;
}

/** A multipart copy plan: the parts in order and the part size chosen. */
export interface CopyPartPlan {
  parts: PlannedPart[];
  /** Bytes per part (every part but the last has exactly this size). */
  partSize: number;
  /** Bytes in all. */
  totalSize: number;
}

/**
 * Splits the inclusive byte range `range` into parts of `partSize` bytes (the last may be smaller),
 * numbered from 1. Fails with `InvalidArgument` when an explicit part size breaks the limits
 * (below `minPartSize` while more than one part is needed, above `maxPartSize`, or so small that
 * more than `maxParts` parts would be needed, naming the smallest size that would work), and with
 * `EntityTooLarge` when no part size can copy the range within `maxParts` × `maxPartSize` (or
 * `maxObjectSize`).
 */
export function planCopyParts(range: ByteRange, options: PlanCopyPartsOptions): CopyPartPlan {
  const { limits } = options;
  checkRange(range);
  checkLimits(limits);
  const totalSize = rangeLength(range);
  checkTotal(totalSize, limits);
  const partSize =
    options.partSize === undefined
      ? automaticPartSize(totalSize, limits)
      : checkedPartSize(options.partSize, totalSize, limits);
  const parts: PlannedPart[] = [];
  for (let start = range.start, partNumber = 1; start <= range.end; start += partSize, partNumber++) {
    const end = Math.min(start + partSize - 1, range.end);
    parts.push({ partNumber, range: { start, end }, size: end - start + 1 });
  }
  return { parts, partSize, totalSize };
}

/** The fewest bytes per part that copy `totalSize` bytes in at most `maxParts` parts. */
export function smallestPartSize(totalSize: number, maxParts: number): number {
  return Math.ceil(totalSize / maxParts);
}

function checkRange(range: ByteRange): void {
  const valid =
    Number.isSafeInteger(range.start) &&
    Number.isSafeInteger(range.end) &&
    range.start >= 0 &&
    range.end >= range.start;
  if (!valid) {
    throw new PartCopyError('InvalidArgument', `cannot plan parts for the range ${range.start}-${range.end}`);
  }
}

function checkLimits(limits: PartPlanLimits): void {
  const { minPartSize, maxPartSize, maxParts } = limits;
  const valid =
    Number.isSafeInteger(minPartSize) &&
    Number.isSafeInteger(maxPartSize) &&
    Number.isSafeInteger(maxParts) &&
    minPartSize >= 0 &&
    maxPartSize >= Math.max(1, minPartSize) &&
    maxParts >= 1;
  if (!valid) {
    throw new PartCopyError(
      'InvalidArgument',
      `inconsistent part limits: minPartSize ${minPartSize}, maxPartSize ${maxPartSize}, maxParts ${maxParts}`,
    );
  }
}

function checkTotal(totalSize: number, limits: PartPlanLimits): void {
  if (limits.maxObjectSize !== undefined && totalSize > limits.maxObjectSize) {
    throw new PartCopyError(
      'EntityTooLarge',
      `${totalSize} bytes exceed the largest object the store accepts (${limits.maxObjectSize} bytes)`,
    );
  }
  if (totalSize > limits.maxParts * limits.maxPartSize) {
    throw new PartCopyError(
      'EntityTooLarge',
      `${totalSize} bytes cannot be copied in at most ${limits.maxParts} parts of at most ${limits.maxPartSize} bytes`,
    );
  }
}

// Start from the default (or the provider's minimum), then grow in whole MiB until the parts fit
// the part count; whole MiB keeps part boundaries readable in logs.
function automaticPartSize(totalSize: number, limits: PartPlanLimits): number {
  let size = Math.max(DEFAULT_COPY_PART_SIZE, limits.minPartSize);
  const needed = smallestPartSize(totalSize, limits.maxParts);
  if (size < needed) size = Math.ceil(needed / MiB) * MiB;
  // A single part never needs to be larger than the range itself.
  return Math.max(1, Math.min(size, limits.maxPartSize, totalSize));
}

function checkedPartSize(partSize: number, totalSize: number, limits: PartPlanLimits): number {
  if (!Number.isSafeInteger(partSize) || partSize < 1) {
    throw new PartCopyError(
      'InvalidArgument',
      `the part size must be a positive whole number of bytes, got ${partSize}`,
    );
  }
  if (partSize > limits.maxPartSize) {
    throw new PartCopyError(
      'InvalidArgument',
      `the part size ${partSize} exceeds the largest part allowed (${limits.maxPartSize} bytes)`,
    );
  }
  if (partSize >= totalSize) return totalSize;
  if (partSize < limits.minPartSize) {
    throw new PartCopyError(
      'InvalidArgument',
      `the part size ${partSize} is below the smallest part allowed (${limits.minPartSize} bytes) for a copy of ${totalSize} bytes in several parts`,
    );
  }
  const count = Math.ceil(totalSize / partSize);
  if (count > limits.maxParts) {
    throw new PartCopyError(
      'InvalidArgument',
      `a part size of ${partSize} needs ${count} parts for ${totalSize} bytes; at most ${limits.maxParts} are allowed (use at least ${smallestPartSize(totalSize, limits.maxParts)} bytes per part)`,
    );
  }
  return partSize;
}
