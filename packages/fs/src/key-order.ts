/**
 * S3 lists keys in UTF-8 binary order, which differs from JavaScript's UTF-16 string order for
 * characters above U+FFFF against U+E000..U+FFFF: compare the encoded bytes.
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
