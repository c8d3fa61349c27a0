/**
 * What the Azure provider can do, and where each value comes from.
 *
 * Limits are Azure's where Azure enforces one, and S3's where partcopy emulates S3's rule
 * (minimum part size, part count, part size), so the same upload succeeds or fails the same way.
 */
import {
  type Capabilities,
  type CapabilityOverrides,
  GiB,
  MiB,
  withOverrides,
} from '@partcopy/core/provider';

/** Azure's committed-block limit per blob. https://learn.microsoft.com/rest/api/storageservices/put-block-list */
export const MAX_COMMITTED_BLOCKS = 50_000;
/** Azure's uncommitted-block limit per blob. https://learn.microsoft.com/rest/api/storageservices/put-block */
export const MAX_UNCOMMITTED_BLOCKS = 100_000;

/** The provider's capabilities for a given per-block copy limit. */
export function azureCapabilities(
  maxCopyBlockSize: number,
  overrides?: CapabilityOverrides,
): Readonly<Capabilities> {
  return withOverrides(
    {
      // Put Block From URL copies any byte range on the server (x-ms-source-range).
      // https://learn.microsoft.com/rest/api/storageservices/put-block-from-url
      rangedCopy: 'native',
      clientStreamedRanges: false,
      // S3's rules, emulated: Azure itself has no minimum block size.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
      minPartSize: 5 * MiB,
      maxPartSize: 5 * GiB,
      maxParts: 10_000,
      // 50,000 committed blocks of at most maxCopyBlockSize each (the completion copies the
      // object into the destination in blocks of that size): 4.77 TiB at 100 MiB, 190.7 TiB at
      // 4000 MiB. https://learn.microsoft.com/azure/storage/blobs/scalability-targets
      maxObjectSize: MAX_COMMITTED_BLOCKS * maxCopyBlockSize,
      // Decided on the source's properties with S3's rules, then the ETag the decision was made
      // on is enforced by the server with x-ms-source-if-match.
      // https://learn.microsoft.com/rest/api/storageservices/put-block-from-url#request-headers
      copySourceIfMatch: true,
      copySourceIfNoneMatch: true,
      copySourceIfModifiedSince: true,
      copySourceIfUnmodifiedSince: true,
      // Blob versioning is an account setting: copies read `?versionid=` when it is on.
      // Containers cannot turn it on, so buckets with versioning cannot be created here.
      // https://learn.microsoft.com/azure/storage/blobs/versioning-overview
      versionedSources: true,
      versionedBuckets: false,
      // Customer-provided keys exist, but a staged part would then need the source-key headers of
      // Put Block From URL (only in the newest service versions, not in Azurite) for the
      // completion copy, and CPK requires HTTPS. Off until that can be proven against a server.
      // https://learn.microsoft.com/azure/storage/blobs/encryption-customer-provided-keys
      sseCustomerKey: false,
      // Azure's CRC64 and MD5 are not S3's flexible checksums.
      checksumAlgorithms: [],
      // Azure ETags are opaque ("0x8D..."), not MD5s.
      multipartEtag: false,
      listParts: true,
      listMultipartUploads: true,
      // Put Block List honours If-Match / If-None-Match on the destination.
      // https://learn.microsoft.com/rest/api/storageservices/specifying-conditional-headers-for-blob-service-operations
      completeConditions: true,
      // Decided on the blob's properties, then Delete Blob is pinned to that ETag with If-Match.
      deleteConditions: true,
      // List Containers: every container of the account.
      // https://learn.microsoft.com/rest/api/storageservices/list-containers2
      listBuckets: true,
      // Put Block From URL of the whole source into blocks of the destination (each pinned with
      // x-ms-source-if-match), published by one Put Block List with If-Match / If-None-Match:
      // synchronous, server-side, atomic, and as large as a blob of such blocks can be. Put Blob
      // From URL (one request, at most 5000 MiB) is not implemented by Azurite, and Copy Blob From
      // URL stops at 256 MiB; Copy Blob is asynchronous (no atomic publish).
      // https://learn.microsoft.com/rest/api/storageservices/put-block-from-url
      // https://learn.microsoft.com/rest/api/storageservices/put-blob-from-url
      // https://learn.microsoft.com/rest/api/storageservices/copy-blob-from-url
      wholeObjectCopy: true,
      maxWholeObjectCopySize: MAX_COMMITTED_BLOCKS * maxCopyBlockSize,
      wholeObjectCopyConditions: true,
      nativeCompose: true,
      // Staged blocks survive the process (uncommitted, up to a week): a compose session names
      // them from its key and, resumed, lists them and stages only the missing ones.
      // https://learn.microsoft.com/rest/api/storageservices/get-block-list
      resumableNativeCompose: true,
      // A SAS minted per blob, read-only, with the caller's lifetime (shared-key clients only: the
      // provider turns this off for other credentials). https://learn.microsoft.com/rest/api/storageservices/create-service-sas
      presignedReads: true,
      // Put Block From URL stages a block from any URL the service can read, a presigned S3 URL or
      // a GCS signed URL included (Azurite only reads from itself: switch the foreign flag off there).
      // https://learn.microsoft.com/rest/api/storageservices/put-block-from-url
      uploadPartFromUrl: true,
      uploadPartFromForeignUrl: true,
      requestPayer: false,
      expectedBucketOwner: false,
      accessPoints: false,
      sseKms: false,
      // Nothing partcopy could remove outlives an upload: a staging blob is the upload (listed and
      // aborted like any), and uncommitted blocks cannot be deleted; Azure discards them after 7 days.
      // https://learn.microsoft.com/rest/api/storageservices/put-block#remarks
      storeGarbageCollection: false,
      createBucket: true,
      deleteBucket: true,
    },
    overrides,
  );
}
