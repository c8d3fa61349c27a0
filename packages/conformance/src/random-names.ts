/**
 * Random bucket names and keys. Every check works in fresh buckets with random names, so checks
 * never depend on each other or on what an earlier run left behind.
 */
import { randomBytes } from 'node:crypto';

/** Default bucket prefix. */
export const DEFAULT_BUCKET_PREFIX = 'pc-conf-';

// Lowercase letters, digits and single hyphens, starting with a letter or digit: valid at the
// start of an S3 bucket, an Azure container and a GCS bucket name alike.
const PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?!-))*$/;
const MAX_PREFIX = 40;

/** Throws a TypeError for a prefix that would make names invalid on some store. */
export function checkBucketPrefix(prefix: string): string {
  if (prefix.length > MAX_PREFIX || !PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `bucketPrefix "${prefix}" must be at most ${MAX_PREFIX} lowercase letters, digits and single hyphens, starting with a letter or digit`,
    );
  }
  return prefix;
}

/** Lowercase base-36 text of `length` characters. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += (byte % 36).toString(36);
  return out;
}

/** `${prefix}${random}`: 3..63 characters, ending with a letter or digit. */
export function randomBucketName(prefix: string): string {
  const random = randomToken(Math.min(16, 63 - prefix.length));
  return `${prefix}${random}`;
}

/** A random key under a readable label, e.g. `source-k3j9x2…`. */
export function randomKey(label: string): string {
  return `${label}-${randomToken(10)}`;
}
