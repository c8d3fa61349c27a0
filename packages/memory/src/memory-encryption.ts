/**
 * SSE-S3 and SSE-KMS as the memory store models them: the method and KMS key a write asked for
 * are recorded on the object (or upload) and answered as S3 answers them on every later write
 * and read, but nothing is encrypted, since nothing is at rest. SSE-C is modelled the same way
 * (its key's MD5 only, see `@partcopy/core/provider`'s SSE-C rules).
 */
import type {
  BucketEncryption,
  EncryptionResult,
  ServerSideEncryptionRequest,
  SseCustomerKey,
} from '@partcopy/core/provider';

/**
 * The KMS key an `aws:kms` write without a key id is recorded with: S3 uses the account's
 * AWS-managed key for S3 (alias `aws/s3`) then, and answers its id.
 */
export const MEMORY_DEFAULT_KMS_KEY_ID = 'arn:aws:kms:us-east-1:000000000000:alias/aws/s3';

/** What an object or upload was written with (store-managed keys). */
export interface StoredEncryption {
  readonly serverSideEncryption: string;
  readonly sseKMSKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
}

/** The encryption a write asked for, or undefined for none (the facade has checked the fields). */
export function requestedEncryption(request: ServerSideEncryptionRequest): StoredEncryption | undefined {
  const method = request.serverSideEncryption;
  if (method === undefined) return undefined;
  if (!method.startsWith('aws:kms')) return { serverSideEncryption: method };
  return {
    serverSideEncryption: method,
    sseKMSKeyId: request.sseKMSKeyId ?? MEMORY_DEFAULT_KMS_KEY_ID,
    ...(request.bucketKeyEnabled === true ? { bucketKeyEnabled: true } : {}),
  };
}

/**
 * The encryption a write gets: what it asked for, else (with no SSE-C key either) the bucket's
 * default, as S3 applies PutBucketEncryption's configuration.
 */
export function writeEncryption(
  request: ServerSideEncryptionRequest & { sseCustomer?: SseCustomerKey },
  bucketDefault: StoredEncryption | undefined,
): StoredEncryption | undefined {
  const asked = requestedEncryption(request);
  if (asked !== undefined || request.sseCustomer !== undefined) return asked;
  return bucketDefault;
}

/** A bucket default as stored: a KMS default without a key id gets S3's AWS-managed key. */
export function storedBucketEncryption(encryption: BucketEncryption): StoredEncryption {
  return requestedEncryption(encryption) as StoredEncryption;
}

/** The fields S3 answers for an object or upload with that encryption (`{}` without). */
export function encryptionResult(encryption: StoredEncryption | undefined): EncryptionResult {
  if (encryption === undefined) return {};
  return {
    serverSideEncryption: encryption.serverSideEncryption,
    ...(encryption.sseKMSKeyId === undefined ? {} : { sseKMSKeyId: encryption.sseKMSKeyId }),
    ...(encryption.bucketKeyEnabled ? { bucketKeyEnabled: true } : {}),
  };
}

/** The stored field, spread into an object or upload record. */
export function withEncryption(encryption: StoredEncryption | undefined): { encryption?: StoredEncryption } {
  return encryption === undefined ? {} : { encryption };
}
