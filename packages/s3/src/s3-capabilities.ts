import { type Capabilities, GiB, MiB } from '@partcopy/core/provider';
import { isDirectoryBucket } from './directory-bucket.js';

const MAX_PARTS = 10_000;
const MAX_PART_SIZE = 5 * GiB;

/**
 * What Amazon S3 (general purpose buckets) can do. Every value cites the documentation it comes
 * from. S3-compatible servers that lack a feature switch it off with `capabilities` overrides or
 * the `PARTCOPY_CAPABILITIES_OFF` environment variable.
 */
export const S3_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  // UploadPartCopy copies any byte range server-side (x-amz-copy-source-range).
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
  rangedCopy: 'native',
  // Never needed: every range is copied by the server.
  clientStreamedRanges: false,

  // "Part size: 5 MiB to 5 GiB. There is no minimum size limit on the last part."
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
  minPartSize: 5 * MiB,
  maxPartSize: MAX_PART_SIZE,
  // "Maximum number of parts per upload: 10,000", part numbers 1 to 10,000.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
  maxParts: MAX_PARTS,
  // "Maximum object size: 48.8 TiB" (the "50 TB" of the Dec 2025 announcement, previously 5 TiB):
  // exactly 10,000 parts of 5 GiB. https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
  maxObjectSize: MAX_PARTS * MAX_PART_SIZE,

  // x-amz-copy-source-if-match / -if-none-match / -if-modified-since / -if-unmodified-since.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html#API_UploadPartCopy_RequestSyntax
  copySourceIfMatch: true,
  copySourceIfNoneMatch: true,
  copySourceIfModifiedSince: true,
  copySourceIfUnmodifiedSince: true,

  // "?versionId=" on x-amz-copy-source; PutBucketVersioning for versioned buckets.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
  versionedSources: true,
  versionedBuckets: true,
  // PutBucketVersioning / GetBucketVersioning and ListObjectVersions, passed through.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
  bucketVersioning: true,
  listObjectVersions: true,
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
  listBuckets: true,
  // x-amz-server-side-encryption-customer-* and x-amz-copy-source-server-side-encryption-customer-*.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html
  sseCustomerKey: true,
  // CreateMultipartUpload x-amz-checksum-algorithm.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
  checksumAlgorithms: Object.freeze(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const),
  // De facto: md5 of the part md5s, "-N" (not for SSE-C / SSE-KMS objects).
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html (ETag)
  multipartEtag: true,

  // ListObjectsV2 StartAfter. https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
  listStartAfter: true,
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
  listParts: true,
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
  listMultipartUploads: true,
  // If-Match / If-None-Match on CompleteMultipartUpload.
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
  completeConditions: true,
  // CopyObject: "You can store individual objects of up to 5 TB in Amazon S3. You create a copy
  // of your object up to 5 GB in size in a single atomic action using this API"; larger objects
  // need UploadPartCopy. Source conditions as UploadPartCopy's; If-Match / If-None-Match on the
  // destination are S3's conditional writes.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
  wholeObjectCopy: true,
  maxWholeObjectCopySize: 5 * GiB,
  wholeObjectCopyConditions: true,
  // "When you copy an object [UploadPartCopy, CopyObject], Amazon S3 calculates the checksum
  // for the new object" with the algorithm named (x-amz-checksum-algorithm on CopyObject, the
  // upload's on UploadPartCopy; CopyPartResult carries the part's); a FULL_OBJECT upload's
  // completion checks a stated full-object CRC. Off by default for other endpoints
  // (s3CopyChecksumDefaults): measured, MinIO refuses UploadPartCopy into an upload with an
  // algorithm and moto returns no part checksums and wrong-width object ones (README).
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
  partCopyChecksums: true,
  wholeObjectCopyChecksums: true,
  nativeCompose: false,

  // UploadPart sent with the SDK's default CRC32 answers x-amz-checksum-crc32 of the stored part
  // (S3 and MinIO). A server that answers none has the parts in flight sent again with their MD5
  // computed, then MD5 alone; switch this off for it.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html#API_UploadPart_ResponseSyntax
  uploadPartAnswersCrc32: true,

  // SigV4 query-signed GET URLs (@aws-sdk/s3-request-presigner, an optional peer):
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html
  presignedReads: true,

  // x-amz-request-payer: https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html
  requestPayer: true,
  // x-amz-expected-bucket-owner / x-amz-source-expected-bucket-owner:
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
  expectedBucketOwner: true,
  // Access point ARNs as copy sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points.html
  accessPoints: true,
  // x-amz-server-side-encryption: aws:kms with x-amz-server-side-encryption-aws-kms-key-id
  // (directory buckets too). https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
  sseKms: true,

  // Incomplete multipart uploads are all S3 leaves behind (collected through
  // ListMultipartUploads + AbortMultipartUpload, or a lifecycle rule).
  storeGarbageCollection: false,
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucket.html
  createBucket: true,
  deleteBucket: true,
});

/**
 * What S3 Express One Zone directory buckets (`name--zone-id--x-s3`) can do: no versioning,
 * only SSE-S3 / SSE-KMS (no SSE-C), no requester pays, ETags that are not MD5 digests.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-differences.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-express-data-protection.html
 */
export const DIRECTORY_BUCKET_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  ...S3_CAPABILITIES,
  // "S3 Versioning isn't supported for directory buckets."
  versionedSources: false,
  versionedBuckets: false,
  bucketVersioning: false,
  // ListObjectVersions: "This operation is not supported for directory buckets."
  listObjectVersions: false,
  // "Directory buckets support SSE-S3 and SSE-KMS only"; SSE-C is refused.
  sseCustomerKey: false,
  // "Directory buckets don't support ... Requester Pays".
  requestPayer: false,
  // "ETags for objects in directory buckets are not MD5 digests".
  multipartEtag: false,
  // ListObjectsV2: "StartAfter ... This functionality is not supported for directory buckets."
  listStartAfter: false,
});

/** The capabilities for requests on `bucket`: directory buckets lack versioning and SSE-C. */
export function capabilitiesForBucket(
  bucket: string,
  general: Readonly<Capabilities>,
  directory: Readonly<Capabilities>,
): Readonly<Capabilities> {
  return isDirectoryBucket(bucket) ? directory : general;
}

/**
 * The store-computed copy checksums for a provider talking to `endpoint`: S3's own answers on
 * Amazon endpoints (or the SDK's default), off for any other S3-compatible server unless its
 * `capabilities` option turns them on (MinIO computes a CopyObject's checksum when asked:
 * `wholeObjectCopyChecksums: true` is true there; see the README's provider semantics).
 */
export function s3CopyChecksumDefaults(
  endpoint: string | undefined,
): Pick<Capabilities, 'partCopyChecksums' | 'wholeObjectCopyChecksums'> {
  if (endpoint === undefined || isAmazonEndpoint(endpoint)) return {};
  return { partCopyChecksums: false, wholeObjectCopyChecksums: false };
}

/** Whether `endpoint` is one of Amazon S3's own (`*.amazonaws.com`, `*.amazonaws.com.cn`). */
export function isAmazonEndpoint(endpoint: string): boolean {
  try {
    return /(^|\.)amazonaws\.com(\.cn)?$/i.test(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}
