import type { EncryptionResult, SseCustomerKey } from '@partcopy/core/provider';

// S3's SSE-C maps onto GCS customer-supplied encryption keys (CSEK): both are AES-256 keys the
// caller sends with every request and the store never keeps. GCS identifies a key by its
// SHA-256, S3 by its MD5. https://cloud.google.com/storage/docs/encryption/customer-supplied-keys

/** Headers naming the key of the object a request reads or writes. */
export function encryptionHeaders(key: SseCustomerKey | undefined): Record<string, string> {
  if (!key) return {};
  return {
    'x-goog-encryption-algorithm': 'AES256',
    'x-goog-encryption-key': key.keyBase64(),
    'x-goog-encryption-key-sha256': key.keySHA256(),
  };
}

/** Headers naming the key of a rewrite's source object. */
export function copySourceEncryptionHeaders(key: SseCustomerKey | undefined): Record<string, string> {
  if (!key) return {};
  return {
    'x-goog-copy-source-encryption-algorithm': 'AES256',
    'x-goog-copy-source-encryption-key': key.keyBase64(),
    'x-goog-copy-source-encryption-key-sha256': key.keySHA256(),
  };
}

/** The SSE fields S3 returns for a request made with this key. */
export function encryptionResult(key: SseCustomerKey | undefined): EncryptionResult {
  return key ? { sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: key.keyMD5 } : {};
}
