import { type Capabilities, GiB, MiB } from '@partcopy/core/provider';

/**
 * What this example store can do. Honest, flat, and short of the cloud features it does not
 * model (versions, SSE-C, checksums): the conformance kit reports those groups as skipped.
 */
export function sqliteCapabilities(minPartSize = 5 * MiB): Capabilities {
  return {
    rangedCopy: 'native', // substr() on the stored blob, inside SQLite
    clientStreamedRanges: false,
    minPartSize,
    maxPartSize: GiB, // SQLite's default SQLITE_MAX_LENGTH is 1e9 bytes per value
    maxParts: 10_000,
    maxObjectSize: GiB,
    copySourceIfMatch: true,
    copySourceIfNoneMatch: true,
    copySourceIfModifiedSince: true,
    copySourceIfUnmodifiedSince: true,
    versionedSources: false,
    versionedBuckets: false,
    sseCustomerKey: false,
    checksumAlgorithms: [],
    multipartEtag: true,
    listParts: true,
    listMultipartUploads: true,
    completeConditions: true,
    // No copyObject here: the engine copies through part copies.
    wholeObjectCopy: false,
    maxWholeObjectCopySize: 0,
    wholeObjectCopyConditions: false,
    nativeCompose: false,
    requestPayer: false,
    expectedBucketOwner: false,
    accessPoints: false,
    sseKms: false,
    storeGarbageCollection: false,
    createBucket: true,
    deleteBucket: true,
  };
}
