/**
 * The memory provider's options and capabilities. Its limits default to S3's documented ones and
 * may be lowered (tests use a small `minPartSize` so parts need not be 5 MiB).
 */
import type { Capabilities, CapabilityOverrides } from '@partcopy/core/provider';
import { CHECKSUM_ALGORITHMS, GiB, MiB, TiB, withOverrides } from '@partcopy/core/provider';
import type { MemoryStore } from './memory-store.js';

/** S3's limits (Amazon S3 User Guide, "Amazon S3 multipart upload limits"). */
export const S3_LIMITS = Object.freeze({
  /** Every part but the last: at least 5 MiB. */
  minPartSize: 5 * MiB,
  /** Largest part (and largest single PutObject): 5 GiB. */
  maxPartSize: 5 * GiB,
  /** Part numbers 1..10,000. */
  maxParts: 10_000,
  /**
   * Largest object. S3 documents "50 TB" (raised from "5 TB" in Dec 2025). AWS's "TB" in these
   * limits is binary: the old "5 TB" was 5 TiB (5 × 1024⁴ bytes), so we take 50 TiB. The
   * multipart limits bind first anyway: 10,000 parts × 5 GiB is about 48.8 TiB.
   */
  maxObjectSize: 50 * TiB,
});

/** Options of {@link createMemoryProvider}: a shared store, size limits, capability overrides. */
export interface MemoryProviderOptions {
  /** Shared state; providers built on one store see the same buckets, objects and uploads. */
  store?: MemoryStore;
  /** Smallest part but the last (default 5 MiB). */
  minPartSize?: number;
  /** Largest part and largest single put (default 5 GiB). */
  maxPartSize?: number;
  /** Most parts, and so the largest part number (default 10,000). */
  maxParts?: number;
  /** Largest object (default 50 TiB, S3's "50 TB"). */
  maxObjectSize?: number;
  /** Capability overrides layered last (e.g. to switch a feature off and test a caller's fallback). */
  capabilities?: CapabilityOverrides;
}

/** The memory provider's capabilities for the given options. */
export function memoryCapabilities(options: MemoryProviderOptions = {}): Readonly<Capabilities> {
  const base: Capabilities = {
    rangedCopy: 'native',
    clientStreamedRanges: false,
    minPartSize: options.minPartSize ?? S3_LIMITS.minPartSize,
    maxPartSize: options.maxPartSize ?? S3_LIMITS.maxPartSize,
    maxParts: options.maxParts ?? S3_LIMITS.maxParts,
    maxObjectSize: options.maxObjectSize ?? S3_LIMITS.maxObjectSize,
    copySourceIfMatch: true,
    copySourceIfNoneMatch: true,
    copySourceIfModifiedSince: true,
    copySourceIfUnmodifiedSince: true,
    versionedSources: true,
    versionedBuckets: true,
    // Versioning enabled and suspended as S3 does, and every version and delete marker listed.
    bucketVersioning: true,
    // A default encryption per bucket, applied to writes that name none (memory-encryption.ts).
    bucketEncryption: true,
    listObjectVersions: true,
    listBuckets: true,
    // S3's conditional deletes, decided against the version the delete removes or hides.
    deleteConditions: true,
    sseCustomerKey: true,
    checksumAlgorithms: CHECKSUM_ALGORITHMS,
    // A part copied into an upload with an algorithm gets its checksum computed over its bytes.
    partCopyChecksums: true,
    // copyObject with checksumAlgorithm computes it over the copy's bytes.
    wholeObjectCopyChecksums: true,
    multipartEtag: true,
    // Keys after `startAfter` only, taken from the sorted key list.
    listStartAfter: true,
    listParts: true,
    listMultipartUploads: true,
    completeConditions: true,
    // An in-store copy of the immutable source version: any object the store holds can be
    // copied, so the limit is the object limit (S3's own CopyObject limit, 5 GiB, is not imposed:
    // lower it with `capabilities` to model S3).
    wholeObjectCopy: true,
    maxWholeObjectCopySize: options.maxObjectSize ?? S3_LIMITS.maxObjectSize,
    wholeObjectCopyConditions: true,
    nativeCompose: true,
    requestPayer: false,
    expectedBucketOwner: false,
    accessPoints: false,
    // SSE-S3 and SSE-KMS requests are recorded and answered as S3 answers them; nothing is
    // encrypted, since nothing is at rest (memory-encryption.ts).
    sseKms: true,
    // Nothing outlives an upload in memory: abandoned uploads are all there is to collect.
    storeGarbageCollection: false,
    createBucket: true,
    deleteBucket: true,
  };
  return withOverrides(base, options.capabilities);
}
