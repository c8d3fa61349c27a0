/**
 * The MD5 checks of every write that sends bytes (putObject, uploadPart, a client-streamed part
 * copy): the caller's Content-MD5 against what was sent, and what GCS stored against the same.
 */
import { checkContentMD5, type ErrorContext, PartCopyError } from '@partcopy/core/provider';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import type { GcsObject } from './gcs-object-resource.js';

/** GCS computes the MD5 of what it stored; it must be what we sent. */
export function checkStoredMd5(object: GcsObject, md5Hex: string): void {
  if (object.md5Hash === undefined || object.customerEncryption) return;
  const stored = Buffer.from(object.md5Hash, 'base64').toString('hex');
  if (stored !== md5Hex) {
    throw new PartCopyError(
      'InternalError',
      `GCS stored bytes with MD5 ${stored}, the client sent ${md5Hex}`,
      {
        provider: GCS_PROVIDER_NAME,
        retryable: true,
      },
    );
  }
}

/** The caller's Content-MD5 (base64) against the MD5 of the bytes sent (hex): `BadDigest` when they differ. */
export function checkContentMd5(contentMD5: string | undefined, md5Hex: string, context: ErrorContext): void {
  checkContentMD5(contentMD5, Buffer.from(md5Hex, 'hex').toString('base64'), {
    provider: GCS_PROVIDER_NAME,
    ...context,
  });
}
