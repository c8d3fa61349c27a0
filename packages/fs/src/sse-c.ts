import { type ErrorContext, PartCopyError, type SseCustomerKey } from '@partcopy/core';
import type { StoredSse } from './records.js';

/**
 * SSE-C semantics, emulated: the store keeps only the key's MD5 (never the key) and checks
 * every later request against it exactly as S3 answers. The bytes on disk are NOT encrypted
 * (see README): this is a local development store that behaves like S3, not a secure one.
 */

/** The SSE-C facts to store for data written with `key`. */
export function sseToStore(key: SseCustomerKey | undefined): StoredSse {
  return key === undefined ? {} : { sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: key.keyMD5 };
}

/**
 * Reading (or copying from) stored data: data written with SSE-C needs its key (`InvalidRequest`
 * without one, `AccessDenied` for another key); plain data refuses a key (`InvalidRequest`).
 */
export function checkReadKey(
  stored: StoredSse,
  given: SseCustomerKey | undefined,
  context: ErrorContext,
): void {
  if (stored.sseCustomerKeyMD5 === undefined) {
    if (given !== undefined) {
      throw new PartCopyError(
        'InvalidRequest',
        'The encryption parameters are not applicable to this object.',
        context,
      );
    }
    return;
  }
  if (given === undefined) {
    throw new PartCopyError(
      'InvalidRequest',
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
      context,
    );
  }
  if (given.keyMD5 !== stored.sseCustomerKeyMD5) {
    throw new PartCopyError(
      'AccessDenied',
      'The SSE-C key given does not match the key the object was stored with.',
      context,
    );
  }
}

/** Writing a part: the key must be the one the upload was created with (or none for both). */
export function checkUploadKey(
  upload: StoredSse,
  given: SseCustomerKey | undefined,
  context: ErrorContext,
): void {
  if (upload.sseCustomerKeyMD5 === undefined && given === undefined) return;
  if (
    upload.sseCustomerKeyMD5 === undefined ||
    given === undefined ||
    given.keyMD5 !== upload.sseCustomerKeyMD5
  ) {
    throw new PartCopyError(
      'InvalidRequest',
      'The SSE-C parameters of this request do not match the ones the multipart upload was created with.',
      context,
    );
  }
}
