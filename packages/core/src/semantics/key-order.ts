/** The order S3 lists keys in, for providers that list from their own storage. */

/**
 * Compares two keys as S3 orders them in listings: by their UTF-8 bytes. This differs from
 * JavaScript's UTF-16 string order for characters above U+FFFF against U+E000..U+FFFF, so
 * `a < b` is not enough.
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
