/**
 * Translation between partcopy's normalised fields and the SDK's PascalCase members, in both
 * directions. Kept in one place so no field is forgotten by one operation and sent by another.
 */
import type { ServerSideEncryption, StorageClass } from '@aws-sdk/client-s3';
import {
  type Checksums,
  type EncryptionResult,
  type ObjectSettings,
  quoteEtag,
  type RequestCharged,
  type RequestOwnership,
  type ServerSideEncryptionRequest,
  type SseCustomerKey,
} from '@partcopy/core/provider';

/** Drops undefined members so results compare and print cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Destination SSE-C headers (`x-amz-server-side-encryption-customer-*`). */
export function sseCustomerInput(key: SseCustomerKey | undefined) {
  if (!key) return {};
  return {
    SSECustomerAlgorithm: key.algorithm,
    SSECustomerKey: key.keyBase64(),
    SSECustomerKeyMD5: key.keyMD5,
  };
}

/** Source SSE-C headers (`x-amz-copy-source-server-side-encryption-customer-*`). */
export function sourceSseCustomerInput(key: SseCustomerKey | undefined) {
  if (!key) return {};
  return {
    CopySourceSSECustomerAlgorithm: key.algorithm,
    CopySourceSSECustomerKey: key.keyBase64(),
    CopySourceSSECustomerKeyMD5: key.keyMD5,
  };
}

/**
 * SSE-S3 / SSE-KMS / DSSE-KMS request headers (`x-amz-server-side-encryption`, `-aws-kms-key-id`,
 * `-context`, `-bucket-key-enabled`) for CreateMultipartUpload and PutObject.
 */
export function sseKmsInput(request: ServerSideEncryptionRequest) {
  return compact({
    ServerSideEncryption: request.serverSideEncryption as ServerSideEncryption | undefined,
    SSEKMSKeyId: request.sseKMSKeyId,
    SSEKMSEncryptionContext: request.sseKMSEncryptionContext,
    BucketKeyEnabled: request.bucketKeyEnabled,
  });
}

/** `x-amz-request-payer` and `x-amz-expected-bucket-owner`. */
export function ownershipInput(request: RequestOwnership) {
  return compact({ RequestPayer: request.requestPayer, ExpectedBucketOwner: request.expectedBucketOwner });
}

/** Object settings as CreateMultipartUpload / PutObject members. */
export function settingsInput(settings: ObjectSettings) {
  return compact({
    ContentType: settings.contentType,
    ContentEncoding: settings.contentEncoding,
    ContentDisposition: settings.contentDisposition,
    ContentLanguage: settings.contentLanguage,
    CacheControl: settings.cacheControl,
    Expires: settings.expires,
    Metadata: settings.metadata,
    StorageClass: settings.storageClass as StorageClass | undefined,
    // x-amz-tagging is a URL query string: key1=value1&key2=value2.
    Tagging: settings.tagging ? new URLSearchParams(settings.tagging).toString() : undefined,
  });
}

interface SdkChecksums {
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumCRC64NVME?: string;
  ChecksumSHA1?: string;
  ChecksumSHA256?: string;
}

/** Checksums as SDK members (CompleteMultipartUpload's whole-object checksums, completed parts). */
export function checksumsInput(checksums: Checksums): SdkChecksums {
  return compact({
    ChecksumCRC32: checksums.checksumCRC32,
    ChecksumCRC32C: checksums.checksumCRC32C,
    ChecksumCRC64NVME: checksums.checksumCRC64NVME,
    ChecksumSHA1: checksums.checksumSHA1,
    ChecksumSHA256: checksums.checksumSHA256,
  });
}

/** Checksums from an SDK output or part. */
export function checksumsFrom(output: SdkChecksums | undefined): Checksums {
  if (!output) return {};
  return compact({
    checksumCRC32: output.ChecksumCRC32,
    checksumCRC32C: output.ChecksumCRC32C,
    checksumCRC64NVME: output.ChecksumCRC64NVME,
    checksumSHA1: output.ChecksumSHA1,
    checksumSHA256: output.ChecksumSHA256,
  });
}

interface SdkEncryption {
  ServerSideEncryption?: string;
  SSECustomerAlgorithm?: string;
  SSECustomerKeyMD5?: string;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  RequestCharged?: string;
}

/** Encryption fields and `x-amz-request-charged` from an SDK output. */
export function encryptionFrom(output: SdkEncryption): EncryptionResult & RequestCharged {
  return compact({
    serverSideEncryption: output.ServerSideEncryption,
    sseCustomerAlgorithm: output.SSECustomerAlgorithm,
    sseCustomerKeyMD5: output.SSECustomerKeyMD5,
    sseKMSKeyId: output.SSEKMSKeyId,
    bucketKeyEnabled: output.BucketKeyEnabled,
    requestCharged: output.RequestCharged === 'requester' ? ('requester' as const) : undefined,
  });
}

/** ETags as S3 returns them: quoted. Some servers (and list results) drop the quotes. */
export function etagFrom(etag: string | undefined): string {
  return etag === undefined || etag === '' ? '""' : quoteEtag(etag);
}
