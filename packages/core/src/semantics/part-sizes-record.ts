/**
 * A compact text record of the part sizes a completed object was made of, for stores that keep
 * no trace of an object's parts and record them in its metadata (S3's GetObjectAttributes
 * ObjectParts and `partNumber` reads need them). Sizes are run-length encoded
 * (`5242880*5,1048576`): uploads have mostly equal parts, so the record stays short.
 */
import type { ObjectPart } from '../contract/types.js';

/** S3's part count limit: a record naming more parts is not one of ours. */
const MAX_PARTS = 10_000;
const RECORD = /^\d+(\*\d+)?(,\d+(\*\d+)?)*$/;

/** The record of `sizes` (in part order). */
export function encodePartSizes(sizes: readonly number[]): string {
  const runs: string[] = [];
  let i = 0;
  while (i < sizes.length) {
    let n = 1;
    while (i + n < sizes.length && sizes[i + n] === sizes[i]) n++;
    runs.push(n === 1 ? String(sizes[i]) : `${sizes[i]}*${n}`);
    i += n;
  }
  return runs.join(',');
}

/**
 * The parts a record names, when it is well formed and its sizes add up to the object's `size`
 * (a record that does not describe these bytes is ignored: `undefined`).
 */
export function decodePartSizes(record: string | undefined, size: number): ObjectPart[] | undefined {
  if (record === undefined || !RECORD.test(record)) return undefined;
  const parts: ObjectPart[] = [];
  for (const run of record.split(',')) {
    const [partSize, count = '1'] = run.split('*');
    if (parts.length + Number(count) > MAX_PARTS) return undefined;
    for (let n = 0; n < Number(count); n++) parts.push({ size: Number(partSize) });
  }
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  return total === size && parts.length > 0 ? parts : undefined;
}
