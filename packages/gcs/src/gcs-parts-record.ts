/**
 * The parts a completed object was composed from, recorded in its custom metadata
 * (`partcopy-parts`, the core's run-length record of their sizes) in the completing compose: S3's
 * GetObjectAttributes (ObjectParts) and `partNumber` reads need them, and GCS keeps no trace of
 * the sources of a compose. A record that would not fit comfortably in GCS's 8 KiB of custom
 * metadata is not written (the object then reports no parts, as the contract allows).
 */
import { decodePartSizes, encodePartSizes, type ObjectPart } from '@partcopy/core/provider';
import { RESERVED_METADATA_PREFIX } from './gcs-etag.js';

export const PARTS_KEY = `${RESERVED_METADATA_PREFIX}parts`;

const MAX_RECORD_LENGTH = 2048;

/** The metadata entry recording `sizes`, or none when it would be too long. */
export function partsRecordMetadata(sizes: readonly number[]): Record<string, string> {
  const record = encodePartSizes(sizes);
  return record.length <= MAX_RECORD_LENGTH ? { [PARTS_KEY]: record } : {};
}

/** The recorded parts, when the record describes an object of `size` bytes. */
export function recordedParts(metadata: Record<string, string>, size: number): ObjectPart[] | undefined {
  return decodePartSizes(metadata[PARTS_KEY], size);
}
