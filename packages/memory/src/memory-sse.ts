/**
 * SSE-C as S3 enforces it. The store remembers only the base64 MD5 of the key an object or an
 * upload was written with; the key itself is never stored or printed. The memory store does
 * not encrypt: it checks the keys exactly where S3 would refuse a request.
 */
import { createHash } from 'node:crypto';
import type { EncryptionResult, ErrorContext, SseCustomerKey } from '@partcopy/core';
import { md5Etag } from '@partcopy/core';
import { memoryError } from './memory-errors.js';

/**
 * Checks the key given to read (or copy from) an object against the one it was written with.
 * - Encrypted object, no key: `InvalidRequest` (400), as S3.
 * - Encrypted object, another key: `AccessDenied` (403), as S3.
 * - Key given for an object that is not SSE-C encrypted: `InvalidRequest` (400), as S3.
 */
export function checkObjectKey(
  storedKeyMD5: string | undefined,
  given: SseCustomerKey | undefined,
  context: ErrorContext,
): void {
  if (storedKeyMD5 !== undefined && given === undefined) {
    throw memoryError(
      'InvalidRequest',
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
      context,
    );
  }
  if (storedKeyMD5 !== undefined && given?.keyMD5 !== storedKeyMD5) {
    throw memoryError(
      'AccessDenied',
      'The SSE-C key provided does not match the key the object was stored with.',
      context,
    );
  }
  if (storedKeyMD5 === undefined && given !== undefined) {
    throw memoryError(
      'InvalidRequest',
      'The encryption parameters are not applicable to this object.',
      context,
    );
  }
}

/**
 * Checks the key given with a part (upload or copy) against the one the upload was created
 * with. S3 refuses every mismatch with `InvalidRequest` (400): a missing key, another key, or a
 * key for an upload created without one.
 */
export function checkUploadKey(
  uploadKeyMD5: string | undefined,
  given: SseCustomerKey | undefined,
  context: ErrorContext,
): void {
  if (uploadKeyMD5 !== undefined && given === undefined) {
    throw memoryError(
      'InvalidRequest',
      'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.',
      context,
    );
  }
  if (uploadKeyMD5 !== undefined && given?.keyMD5 !== uploadKeyMD5) {
    throw memoryError(
      'InvalidRequest',
      'The provided encryption parameters did not match the ones used originally.',
      context,
    );
  }
  if (uploadKeyMD5 === undefined && given !== undefined) {
    throw memoryError(
      'InvalidRequest',
      'The multipart upload initiate did not request encryption, so part requests must not include encryption parameters.',
      context,
    );
  }
}

/** The SSE fields S3 echoes for an object or upload written with a key. */
export function sseResult(keyMD5: string | undefined): EncryptionResult {
  return keyMD5 === undefined ? {} : { sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: keyMD5 };
}

/**
 * The ETag of stored bytes. Unencrypted: the quoted MD5 of the bytes, as S3. Under SSE-C, S3's
 * ETag is not the MD5 of the plaintext; we derive an equally opaque but stable one (MD5 over the
 * key's MD5 and the bytes), so code that wrongly expects MD5 ETags under SSE-C fails here as it
 * would on S3.
 */
export function contentEtag(bytes: Uint8Array, keyMD5: string | undefined): string {
  if (keyMD5 === undefined) return md5Etag(bytes);
  const hash = createHash('md5').update(Buffer.from(keyMD5, 'base64')).update(bytes);
  return `"${hash.digest('hex')}"`;
}
