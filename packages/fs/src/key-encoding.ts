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
  const out = `k-${encodeBytes(Buffer.from(key, 'utf8'), true)}`;
  return out.length > MAX_ENCODED_LENGTH ? hashedName(key) : out;
}

// The readable encoding of `bytes`; `whole`: they are a whole key, so a final `.` is escaped.
function encodeBytes(bytes: Buffer, whole: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const char = String.fromCharCode(byte);
    const last = whole && i === bytes.length - 1;
    out += byte < 0x80 && PLAIN.test(char) && !(char === '.' && last) ? char : `%${hex(byte)}`;
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

/**
 * A test on folder names for "may hold a key starting with `prefix`", without decoding every
 * name: bytes are encoded one by one, so a longer key's readable name starts with the prefix's
 * encoding (a final `.` written plain, as it is not last there); the key equal to the prefix has
 * exactly the prefix's own name. Hashed names cannot be told apart and always pass.
 */
export function keyNamePrefixTest(prefix: string): (name: string) => boolean {
  if (prefix === '') return () => true;
  const own = encodeKey(prefix);
  const longer = `k-${encodeBytes(Buffer.from(prefix, 'utf8'), false)}`;
  return (name) => name.startsWith('h-') || name === own || name.startsWith(longer);
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
