import { createHash } from 'node:crypto';
import { PartCopyError } from '@partcopy/core/provider';

/**
 * Object keys become ONE file name each (never a path), so no key can name a parent folder,
 * an absolute path or another key's files, and `a` and `a/b` never clash as file and folder.
 *
 * Encoding: `k-` then every UTF-8 byte of the key as itself when it is `a-z`, `0-9`, `-`, `_`
 * or `.` (a `.` only when not last), and as `%XX` (upper-case hex) otherwise. The output is
 * plain ASCII, never `.`/`..`, never hidden, never a Windows device name, and distinct keys stay
 * distinct even on case-insensitive file systems (upper-case letters are escaped, and the
 * `%XX` tokens fold to distinct lower-case tokens). When the name would exceed
 * {@link MAX_ENCODED_LENGTH} bytes it is replaced by `h-` and the SHA-256 of the key; the real key
 * is always kept in the version records inside the folder, which is what listings read.
 */

/** Longest encoded name kept readable; file names may have at most 255 bytes. */
export const MAX_ENCODED_LENGTH = 200;

const PLAIN = /^[a-z0-9_.-]$/;

/** The file name a key is stored under. Injective for well-formed keys. */
export function encodeKey(key: string): string {
  assertWellFormed(key);
  const bytes = Buffer.from(key, 'utf8');
  let out = 'k-';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const char = String.fromCharCode(byte);
    const last = i === bytes.length - 1;
    out += byte < 0x80 && PLAIN.test(char) && !(char === '.' && last) ? char : `%${hex(byte)}`;
    if (out.length > MAX_ENCODED_LENGTH) return hashedName(key);
  }
  return out;
}

/** Inverse of {@link encodeKey} for readable names; `undefined` for hashed ones. */
export function decodeKeyName(name: string): string | undefined {
  if (!name.startsWith('k-')) return undefined;
  const bytes: number[] = [];
  const body = name.slice(2);
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '%') {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(body.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Is this a name {@link encodeKey} could have produced (a key folder)? */
export function isKeyName(name: string): boolean {
  return /^k-(?:[a-z0-9_.-]|%[0-9A-F]{2})*$/.test(name) || /^h-[0-9a-f]{64}$/.test(name);
}

function hashedName(key: string): string {
  return `h-${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

// A lone surrogate would be written as U+FFFD, so two different keys would share one name:
// refuse it (S3 keys are UTF-8, which cannot carry lone surrogates either).
function assertWellFormed(key: string): void {
  if (!(key as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new PartCopyError(
      'InvalidArgument',
      'the object key is not well-formed Unicode (it has a lone surrogate)',
    );
  }
}
