/**
 * S3's SSE-C access rules, for providers that emulate SSE-C. Such a store remembers only the
 * base64 MD5 of the key an object or an upload was written with (never the key) and answers every
 * later request exactly where and how S3 refuses it. These helpers take that stored MD5 and the
 * key the request gave, and throw S3's answer; they hold no state and never print a key.
 */

import type { EncryptionResult } from '../contract/types.js';
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';
import type { SseCustomerKey } from './sse-customer-key.js';

/**
 * Reading, heading or copying from an object (or version) written with the key whose MD5 is
 * `storedKeyMD5` (`undefined`: written without SSE-C). As S3:
 * - SSE-C object, no key given: `InvalidRequest` (400).
 * - SSE-C object, another key: `AccessDenied` (403).
 * - Key given for an object that is not SSE-C encrypted: `InvalidRequest` (400).
 */
export function checkObjectSseCustomerKey(
  storedKeyMD5: string | undefined,
  given: SseCustomerKey | undefined,
  context: ErrorContext = {},
): void {
  if (storedKeyMD5 === undefined) {
    if (given === undefined) return;
    throw new PartCopyError(
      'InvalidRequest',
      'The encryption parameters are not applicable to this object.',
      context,
    );
  }
  if (given === undefined) {
    throw new PartCopyError(
      'InvalidRequest',
      'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.',
      context,
    );
  }
  if (given.keyMD5 !== storedKeyMD5) {
    throw new PartCopyError(
      'AccessDenied',
      'The SSE-C key provided does not match the key the object was stored with.',
      context,
    );
  }
}

/**
 * Writing a part (UploadPart, or the destination side of UploadPartCopy) of an upload created
 * with the key whose MD5 is `uploadKeyMD5` (`undefined`: created without SSE-C). S3 refuses every
 * mismatch with `InvalidRequest` (400): a missing key, another key, or a key for an upload
 * created without one.
 */
export function checkUploadSseCustomerKey(
  uploadKeyMD5: string | undefined,
  given: SseCustomerKey | undefined,
  context: ErrorContext = {},
): void {
  if (uploadKeyMD5 === undefined) {
    if (given === undefined) return;
    throw new PartCopyError(
      'InvalidRequest',
      'The multipart upload initiate did not request encryption, so part requests must not include encryption parameters.',
      context,
    );
  }
  if (given === undefined) {
    throw new PartCopyError(
      'InvalidRequest',
      'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.',
      context,
    );
  }
  if (given.keyMD5 !== uploadKeyMD5) {
    throw new PartCopyError(
      'InvalidRequest',
      'The provided encryption parameters did not match the ones used originally.',
      context,
    );
  }
}

/** The SSE-C fields S3 echoes for an object, upload or part written with a key (`{}` without). */
export function sseCustomerResult(keyMD5: string | undefined): EncryptionResult {
  return keyMD5 === undefined ? {} : { sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: keyMD5 };
}
