/** The ETag an emulating store gives data written with SSE-C. */
import { createHash, type Hash } from 'node:crypto';
import { md5Etag } from './etag.js';

/**
 * A hash to feed the stored bytes of SSE-C data through; its quoted hex digest is the data's
 * ETag. S3's ETag of SSE-C data is not the MD5 of the plaintext, so emulating stores derive an
 * equally opaque but stable one, the MD5 of the key's binary MD5 followed by the bytes: code
 * that wrongly expects MD5 ETags under SSE-C fails on them as it would on S3, and every
 * emulating store gives the same bytes under the same key the same ETag.
 */
export function sseCustomerEtagHash(keyMD5: string): Hash {
  return createHash('md5').update(Buffer.from(keyMD5, 'base64'));
}

/**
 * The ETag of stored bytes: the quoted MD5 of the bytes without SSE-C (as S3), or the opaque one
 * of {@link sseCustomerEtagHash} for bytes written with the key whose MD5 is `keyMD5`.
 */
export function contentEtag(bytes: Uint8Array, keyMD5: string | undefined): string {
  if (keyMD5 === undefined) return md5Etag(bytes);
  return `"${sseCustomerEtagHash(keyMD5).update(bytes).digest('hex')}"`;
}
