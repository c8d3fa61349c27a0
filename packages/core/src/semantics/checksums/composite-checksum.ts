/** S3's COMPOSITE object checksum of a multipart upload (the checksum of the part checksums). */
import type { ChecksumAlgorithm } from '../../contract/capabilities.js';
import { createChecksummer } from './checksummer.js';

/**
 * S3's COMPOSITE object checksum: `algorithm` over the concatenated binary (big-endian) part
 * checksums, base64, then `-N` for N parts. `partChecksums` are the parts' base64 checksums in
 * part order, as S3 returned them for each part.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const summer = createChecksummer(algorithm);
  for (const value of partChecksums) summer.update(Buffer.from(value, 'base64'));
  return `${summer.digestBase64()}-${partChecksums.length}`;
}
