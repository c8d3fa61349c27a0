/**
 * The parts a completed blob was made of, recorded in its metadata (`pcr_parts`, the core's
 * run-length record of their sizes) by the Put Block List that publishes it: S3's
 * GetObjectAttributes (ObjectParts) and `partNumber` reads need them, and the destination's
 * blocks do not follow part boundaries. The record is partcopy's own (`pcr_` names never show
 * in `metadata` and are not copied); one that would crowd Azure's 8 KiB of metadata is not
 * written (the object then reports no parts, as the contract allows).
 */
import { decodePartSizes, encodePartSizes, type ObjectPart } from '@partcopy/core/provider';
import { RESERVED_METADATA_PREFIX } from './metadata-names.js';

const PARTS_NAME = `${RESERVED_METADATA_PREFIX}parts`;
const MAX_RECORD_LENGTH = 2048;

/** The metadata entry recording `sizes`, or none when it would be too long. */
export function partsRecordMetadata(sizes: readonly number[]): Record<string, string> {
  const record = encodePartSizes(sizes);
  return record.length <= MAX_RECORD_LENGTH ? { [PARTS_NAME]: record } : {};
}

/** The recorded parts, when the record describes a blob of `size` bytes. */
export function recordedParts(
  metadata: Record<string, string> | undefined,
  size: number,
): ObjectPart[] | undefined {
  return decodePartSizes(metadata?.[PARTS_NAME], size);
}
