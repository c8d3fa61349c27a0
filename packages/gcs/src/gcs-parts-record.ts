/**
 * The parts a completed object was composed from, recorded in its custom metadata
 * (`partcopy-parts`) in the completing compose: S3's GetObjectAttributes (ObjectParts) and
 * `partNumber` reads need them, and GCS keeps no trace of the sources of a compose. Sizes are
 * run-length encoded (`5242880*5,1048576`): uploads have mostly equal parts, so the record stays
 * short; one that would not fit comfortably in GCS's 8 KiB of custom metadata is not written
 * (the object then reports no parts, as the contract allows).
 */
import type { ObjectPart } from '@partcopy/core/provider';
import { RESERVED_METADATA_PREFIX } from './gcs-etag.js';

export const PARTS_KEY = `${RESERVED_METADATA_PREFIX}parts`;

const MAX_RECORD_LENGTH = 2048;

/** The metadata entry recording `sizes`, or none when it would be too long. */
export function partsRecordMetadata(sizes: readonly number[]): Record<string, string> {
  const runs: string[] = [];
  let i = 0;
  while (i < sizes.length) {
    let n = 1;
    while (i + n < sizes.length && sizes[i + n] === sizes[i]) n++;
    runs.push(n === 1 ? String(sizes[i]) : `${sizes[i]}*${n}`);
    i += n;
  }
  const record = runs.join(',');
  return record.length <= MAX_RECORD_LENGTH ? { [PARTS_KEY]: record } : {};
}

/**
 * The recorded parts, when the record is well formed and its sizes add up to the object's size
 * (a record that does not describe these bytes is ignored).
 */
export function recordedParts(metadata: Record<string, string>, size: number): ObjectPart[] | undefined {
  const record = metadata[PARTS_KEY];
  if (record === undefined || !/^\d+(\*\d+)?(,\d+(\*\d+)?)*$/.test(record)) return undefined;
  const parts: ObjectPart[] = [];
  for (const run of record.split(',')) {
    const [partSize, count = '1'] = run.split('*');
    for (let n = 0; n < Number(count); n++) {
      parts.push({ size: Number(partSize) });
      if (parts.length > 10_000) return undefined;
    }
  }
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  return total === size && parts.length > 0 ? parts : undefined;
}
