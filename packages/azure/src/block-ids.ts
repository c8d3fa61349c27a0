/**
 * The block id scheme. Azure requires block ids to be canonical base64 of at most 64 bytes and,
 * for one blob, all of the same length. Every id partcopy writes is 48 bytes (64 base64
 * characters, no padding), so staging and destination blobs never mix lengths of ours.
 *
 * A part block id names the part, the staging attempt that wrote it and its place in the part:
 *
 *   P{part:5}T{stamp:12 hex}R{nonce:16 hex}B{index:5}N{count:5}
 *
 * The attempt (`stamp` = client clock in ms, `nonce` = 64 random bits) makes a replaced part
 * distinguishable from the part it replaces without deleting anything (Azure cannot delete an
 * uncommitted block): the newest attempt whose `count` blocks are all present is the part.
 * The attempt is also the part's ETag, so ETags are stable and change when a part is replaced.
 *
 * A block staged by uploadPart, whose bytes passed through this process, also names its MD5 (the
 * transactional Content-MD5 it was staged with), so that the completion's server-side copy of it
 * is checked against that digest by whichever process completes the upload. The same fields then
 * go in binary, to keep the 48 bytes every id of a staging blob must share:
 *
 *   'M' part:u24 stamp:u48 nonce:8 bytes index:u24 count:u24 md5:16 bytes '--------'
 *
 * Destination block ids (written at completion) carry their own nonce so that two completions
 * of the same key never share an id:
 *
 *   D{index:10}T{stamp:12 hex}R{nonce:16 hex}-------
 *
 * A resumable native compose derives stamp and nonce from its session's key instead (same
 * layout), so its blocks keep their names across processes.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Raw length of every block id partcopy writes, before base64. */
export const BLOCK_ID_RAW_LENGTH = 48;

/** One staging attempt of a part: the part's identity and ETag. */
export interface PartAttempt {
  partNumber: number;
  /** Client clock when the attempt started, in ms. */
  stamp: number;
  /** 16 hex digits of randomness. */
  nonce: string;
}

/** A decoded part block id. */
export interface PartBlockId extends PartAttempt {
  index: number;
  count: number;
  /** The MD5 the block was staged with, where its id names one. */
  md5?: Uint8Array;
}

/** First byte of an id that names its block's MD5. */
const DIGEST_MARK = 0x4d; // 'M'
const DIGEST_FILLER = '--------';

const PART_PATTERN = /^P(\d{5})T([0-9a-f]{12})R([0-9a-f]{16})B(\d{5})N(\d{5})$/;

/** Largest number of blocks one part may have (5 decimal digits). */
export const MAX_BLOCKS_PER_PART = 99_999;

/** Starts a new attempt for a part. */
export function newAttempt(partNumber: number, now = Date.now()): PartAttempt {
  return { partNumber, stamp: now, nonce: randomBytes(8).toString('hex') };
}

/** The base64 id of block `index` of `count` of an attempt. */
export function encodePartBlockId(attempt: PartAttempt, index: number, count: number): string {
  const raw =
    `P${pad(attempt.partNumber, 5)}T${attempt.stamp.toString(16).padStart(12, '0')}R${attempt.nonce}` +
    `B${pad(index, 5)}N${pad(count, 5)}`;
  return toBase64(raw);
}

/** The base64 id of block `index` of `count` of an attempt, naming the block's MD5. */
export function encodeDigestBlockId(
  attempt: PartAttempt,
  index: number,
  count: number,
  md5: Uint8Array,
): string {
  const raw = Buffer.alloc(BLOCK_ID_RAW_LENGTH);
  raw[0] = DIGEST_MARK;
  raw.writeUIntBE(attempt.partNumber, 1, 3);
  raw.writeUIntBE(attempt.stamp, 4, 6);
  raw.write(attempt.nonce, 10, 8, 'hex');
  raw.writeUIntBE(index, 18, 3);
  raw.writeUIntBE(count, 21, 3);
  raw.set(md5, 24);
  raw.write(DIGEST_FILLER, 40, 'ascii');
  return raw.toString('base64');
}

/** Decodes a part block id; `undefined` for ids partcopy did not write. */
export function decodePartBlockId(id: string): PartBlockId | undefined {
  const bytes = rawBytes(id);
  if (bytes?.[0] === DIGEST_MARK) return decodeDigestBlockId(bytes);
  const raw = bytes?.toString('ascii');
  const match = raw === undefined ? null : PART_PATTERN.exec(raw);
  if (!match) return undefined;
  const [, part, stamp, nonce, index, count] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const decoded = {
    partNumber: Number(part),
    stamp: Number.parseInt(stamp, 16),
    nonce,
    index: Number(index),
    count: Number(count),
  };
  return decoded.count >= 1 && decoded.index < decoded.count ? decoded : undefined;
}

function decodeDigestBlockId(raw: Buffer): PartBlockId | undefined {
  if (raw.toString('ascii', 40) !== DIGEST_FILLER) return undefined;
  const decoded = {
    partNumber: raw.readUIntBE(1, 3),
    stamp: raw.readUIntBE(4, 6),
    nonce: raw.toString('hex', 10, 18),
    index: raw.readUIntBE(18, 3),
    count: raw.readUIntBE(21, 3),
    md5: Uint8Array.from(raw.subarray(24, 40)),
  };
  return decoded.count >= 1 && decoded.count <= MAX_BLOCKS_PER_PART && decoded.index < decoded.count
    ? decoded
    : undefined;
}

/** The ETag partcopy shows for a part: the attempt, quoted (28 hex digits, not an MD5). */
export function attemptEtag(attempt: PartAttempt): string {
  return `"${attempt.stamp.toString(16).padStart(12, '0')}${attempt.nonce}"`;
}

/** Ids for `count` destination blocks of one completion attempt. */
export function destinationBlockIds(count: number, now = Date.now()): string[] {
  const stamp = now.toString(16).padStart(12, '0');
  const nonce = randomBytes(8).toString('hex');
  return Array.from({ length: count }, (_, index) =>
    toBase64(`D${pad(index, 10)}T${stamp}R${nonce}`.padEnd(BLOCK_ID_RAW_LENGTH, '-')),
  );
}

/**
 * Ids for `count` destination blocks of a resumable compose: the attempt (stamp and nonce) is
 * derived from the caller's key instead of the clock and randomness, so the run that resumes the
 * compose names the same blocks and finds those an interrupted run staged.
 */
export function resumableBlockIds(count: number, key: string): string[] {
  const attempt = resumableAttempt(key);
  return Array.from({ length: count }, (_, index) =>
    toBase64(`D${pad(index, 10)}${attempt}`.padEnd(BLOCK_ID_RAW_LENGTH, '-')),
  );
}

/** Is `id` one of the blocks {@link resumableBlockIds} names for `key` (any index)? */
export function isResumableBlockId(id: string, key: string): boolean {
  const raw = fromBase64(id);
  return (
    raw !== undefined && /^D\d{10}$/.test(raw.slice(0, 11)) && raw.slice(11, 41) === resumableAttempt(key)
  );
}

function resumableAttempt(key: string): string {
  const digest = createHash('sha256').update(key).digest('hex');
  return `T${digest.slice(0, 12)}R${digest.slice(12, 28)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function toBase64(raw: string): string {
  if (raw.length !== BLOCK_ID_RAW_LENGTH) throw new Error(`internal: block id of ${raw.length} bytes`);
  return Buffer.from(raw, 'ascii').toString('base64');
}

function fromBase64(id: string): string | undefined {
  return rawBytes(id)?.toString('ascii');
}

function rawBytes(id: string): Buffer | undefined {
  const bytes = Buffer.from(id, 'base64');
  // Only canonical encodings round-trip; anything else is not one of ours.
  if (bytes.toString('base64') !== id || bytes.length !== BLOCK_ID_RAW_LENGTH) return undefined;
  return bytes;
}
