import {
  type Capabilities,
  type CapabilityOverrides,
  CHECKSUM_ALGORITHMS,
  withOverrides,
} from '@partcopy/core/provider';
import type { FsLimits } from './fs-options.js';

/**
 * What the fs provider can do. Every value is this package's own behaviour (there is no remote
 * service to cite): see the README's capability table for the reasoning behind each.
 */
export function fsCapabilities(
  limits: FsLimits,
  overrides: CapabilityOverrides = {},
): Readonly<Capabilities> {
  return withOverrides(
    {
      // The store is local, so a ranged copy is a file-to-file copy inside the "server".
      rangedCopy: 'native',
      clientStreamedRanges: false,
      ...limits,
      copySourceIfMatch: true,
      copySourceIfNoneMatch: true,
      copySourceIfModifiedSince: true,
      copySourceIfUnmodifiedSince: true,
      versionedSources: true,
      versionedBuckets: true,
      // Enabled, Suspended and never-enabled as S3 keeps them, in each key's folder (version-files.ts).
      bucketVersioning: true,
      listObjectVersions: true,
      // Decided under the key lock against the version the delete would remove or hide.
      deleteConditions: true,
      // Semantics only: the key's MD5 is checked, the bytes are stored unencrypted.
      sseCustomerKey: true,
      // All of S3's, computed while the bytes stream through (core's checksummers).
      checksumAlgorithms: CHECKSUM_ALGORITHMS,
      // A part copied into an upload with an algorithm gets its checksum computed as it streams.
      partCopyChecksums: true,
      multipartEtag: true,
      // Keys after `startAfter` only (the records are read whole and sorted anyway).
      listStartAfter: true,
      listParts: true,
      listMultipartUploads: true,
      completeConditions: true,
      // A file-to-file copy inside the store, published with one rename: any object it holds.
      wholeObjectCopy: true,
      maxWholeObjectCopySize: limits.maxObjectSize,
      wholeObjectCopyConditions: true,
      nativeCompose: true,
      // No accounts or billing on a local disk: these S3-only fields have nothing to act on.
      requestPayer: false,
      expectedBucketOwner: false,
      accessPoints: false,
      sseKms: false,
      // collectStoreGarbage: temporary files and half-published data of crashed writers (fs-garbage.ts).
      storeGarbageCollection: true,
      // Every bucket folder under the root (bucket-listing.ts).
      listBuckets: true,
      createBucket: true,
      deleteBucket: true,
    },
    overrides,
  );
}
