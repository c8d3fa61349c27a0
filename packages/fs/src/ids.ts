import { randomBytes } from 'node:crypto';

/**
 * Identifiers that become file names. Each has one strict pattern, checked before an id read from
 * a request is ever joined to a path: an id that does not match simply names nothing.
 */

const UPLOAD_ID = /^[0-9a-f]{32}$/;
const VERSION_ID = /^[0-9a-f]{12}[0-9a-f]{6}[0-9a-f]{12}$/;

/** A new upload id: 128 random bits in lower-case hex (safe on case-insensitive file systems). */
export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

/** Could this string be an upload id this provider issued? */
export function isUploadId(value: string): boolean {
  return UPLOAD_ID.test(value);
}

/** Could this string be a version id this provider issued? */
export function isVersionId(value: string): boolean {
  return VERSION_ID.test(value);
}

/** A random token for temporary and data file names. */
export function randomToken(): string {
  return randomBytes(8).toString('hex');
}

let lastMillis = 0;
let sequence = 0;

/**
 * A new version id that sorts after `after` (the newest version id of the key, if any) and after
 * every id this process made before. Ids are made while the key's lock is held, so their order
 * is the order versions were published in: the newest id is the current version. Layout: 12 hex
 * digits of milliseconds, 6 of a sequence, 12 random.
 */
export function newVersionId(after?: string): string {
  let millis = Math.max(Date.now(), lastMillis);
  let seq = millis === lastMillis ? sequence + 1 : 0;
  if (after !== undefined) {
    const afterMillis = Number.parseInt(after.slice(0, 12), 16);
    const afterSeq = Number.parseInt(after.slice(12, 18), 16);
    if (afterMillis > millis || (afterMillis === millis && afterSeq >= seq)) {
      millis = afterMillis;
      seq = afterSeq + 1;
    }
  }
  lastMillis = millis;
  sequence = seq;
  return `${millis.toString(16).padStart(12, '0')}${seq.toString(16).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
}
