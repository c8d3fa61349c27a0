import { type Capabilities, MiB, TiB } from '@partcopy/core/provider';

/**
 * Google Cloud Storage's capabilities as this provider emulates S3 on it. Each value names the
 * documentation it comes from.
 */
export function gcsCapabilities(options: {
  allowClientStreaming: boolean;
  minPartSize: number;
}): Capabilities {
  return {
    // objects.rewrite and objects.compose take whole objects; there is no ranged server-side
    // copy. https://cloud.google.com/storage/docs/json_api/v1/objects/rewrite
    rangedCopy: 'whole-object-only',
    // Other ranges are read (pinned to the source generation) and re-uploaded by this process,
    // unless the caller switched that off (`allowClientStreaming: false`).
    clientStreamedRanges: options.allowClientStreaming,

    // S3's rule, applied by this provider at completion (GCS itself has no minimum).
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
    minPartSize: options.minPartSize,
    // A part is an object: GCS objects reach 5 TiB. https://cloud.google.com/storage/quotas#objects
    maxPartSize: 5 * TiB,
    // S3's part-number range; the compose tree handles it in 3 levels.
    maxParts: 10_000,
    // https://cloud.google.com/storage/quotas#objects
    maxObjectSize: 5 * TiB,

    // Decided with S3's rules on partcopy's ETag and `updated`, then pinned with
    // ifSourceGenerationMatch / ifSourceMetagenerationMatch.
    // https://cloud.google.com/storage/docs/request-preconditions
    copySourceIfMatch: true,
    copySourceIfNoneMatch: true,
    copySourceIfModifiedSince: true,
    copySourceIfUnmodifiedSince: true,

    // versionId = generation. https://cloud.google.com/storage/docs/object-versioning
    versionedSources: true,
    versionedBuckets: true,
    // Customer-supplied encryption keys (x-goog-encryption-*). Completion needs the key
    // (compose re-encrypts with it), which S3 does not require: see the README.
    // https://cloud.google.com/storage/docs/encryption/customer-supplied-keys
    sseCustomerKey: true,
    // GCS keeps a full-object CRC32C, not S3's per-part flexible checksums.
    checksumAlgorithms: [],
    // GCS computes every object's CRC32C itself (staged parts, composes and rewrites included):
    // a copy is checked against its source by that, without being asked for an algorithm.
    // https://cloud.google.com/storage/docs/data-validation
    partCopyChecksums: true,
    wholeObjectCopyChecksums: true,
    // Recorded on the composed object (see gcs-etag.ts).
    multipartEtag: true,

    // Parts and manifests are objects any process can list.
    listParts: true,
    listMultipartUploads: true,
    // ifMatch / ifNoneMatch become ifGenerationMatch on the final compose.
    // https://cloud.google.com/storage/docs/json_api/v1/objects/compose
    completeConditions: true,
    // Decided on the object, then the delete is pinned to its generation (ifGenerationMatch).
    deleteConditions: true,
    // buckets.list of the client's project.
    // https://cloud.google.com/storage/docs/json_api/v1/buckets/list
    listBuckets: true,
    // objects.rewrite copies any size on the server, in rounds continued with a rewriteToken;
    // the source is pinned with sourceGeneration and the destination written with
    // ifGenerationMatch (0 for "must not exist"). https://cloud.google.com/storage/docs/json_api/v1/objects/rewrite
    wholeObjectCopy: true,
    maxWholeObjectCopySize: 5 * TiB,
    wholeObjectCopyConditions: true,
    nativeCompose: true,
    // A compose session's staging objects and intermediate composites have names derived from its
    // key: a resume lists them and composes only what is missing (compose.ts).
    resumableNativeCompose: true,

    // V4 signed URLs (File#getSignedUrl), pinned to a generation; they need credentials that can
    // sign (a service-account key or IAM signBlob): a transfer asks for one before it creates
    // anything. https://cloud.google.com/storage/docs/access-control/signed-urls
    presignedReads: true,

    // S3-only request fields.
    requestPayer: false,
    expectedBucketOwner: false,
    accessPoints: false,
    sseKms: false,

    // collectStoreGarbage: staging objects under the reserved prefix that no upload's manifest names.
    storeGarbageCollection: true,

    // objects.list's startOffset (inclusive; the provider drops the key itself).
    // https://cloud.google.com/storage/docs/json_api/v1/objects/list
    listStartAfter: true,

    // https://cloud.google.com/storage/docs/json_api/v1/buckets/insert
    createBucket: true,
    deleteBucket: true,
  };
}

/** S3's minimum part size, the default. */
export const DEFAULT_MIN_PART_SIZE = 5 * MiB;
