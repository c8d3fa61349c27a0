import { PartCopyError } from '../errors/part-copy-error.js';

/**
 * What a provider can do, as one flat object of booleans and limits (modelled on OpenDAL's
 * capability struct). Each provider documents where every value comes from. The facade refuses
 * a request the capabilities rule out with an `Unsupported` error before calling the provider.
 */

/**
 * How a provider copies a byte range of a source object into a part:
 * - `native`: the store copies any range on the server (S3 UploadPartCopy, Azure Put Block From URL,
 *   and local stores, where "server" is the store itself).
 * - `whole-object-only`: the server can copy only whole objects; other ranges stream through the
 *   client when {@link Capabilities.clientStreamedRanges} allows it, and fail with `Unsupported`
 *   otherwise (Google Cloud Storage).
 * - `client-streamed`: every copy streams through the client.
 */
export type RangedCopyMode = 'native' | 'whole-object-only' | 'client-streamed';

/** Checksum algorithms of S3's flexible checksums. */
export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export interface Capabilities {
  /** How ranged part copies move bytes. */
  rangedCopy: RangedCopyMode;
  /** When `rangedCopy` is not `native`: may ranges the server cannot copy stream through the client? */
  clientStreamedRanges: boolean;

  /** Smallest size of a part that is not the last one, in bytes (S3: 5 MiB). */
  minPartSize: number;
  /** Largest part, in bytes (S3: 5 GiB). */
  maxPartSize: number;
  /** Largest part number and so most parts in one upload (S3: 10,000). */
  maxParts: number;
  /** Largest object the store accepts, in bytes. */
  maxObjectSize: number;

  /** Source conditions honoured by uploadPartCopy, each as S3 does. */
  copySourceIfMatch: boolean;
  copySourceIfNoneMatch: boolean;
  copySourceIfModifiedSince: boolean;
  copySourceIfUnmodifiedSince: boolean;

  /** Can a part be copied from a specific older version of the source (`versionId`)? */
  versionedSources: boolean;
  /** Can the tests or the application create a bucket with versioning enabled? */
  versionedBuckets: boolean;
  /** SSE-C: customer-provided keys for destination and source. */
  sseCustomerKey: boolean;
  /** S3 server-side encryption requests (SSE-S3 / SSE-KMS / DSSE-KMS: `serverSideEncryption`, `sseKMSKeyId`, ...). */
  sseKms: boolean;
  /** Checksum algorithms an upload may be created with. Empty when none. */
  checksumAlgorithms: readonly ChecksumAlgorithm[];
  /** Does completion produce S3's multipart ETag (md5 of part md5s, `-N`)? */
  multipartEtag: boolean;

  /** listParts and listMultipartUploads work from the store alone (any process). */
  listParts: boolean;
  listMultipartUploads: boolean;
  /** completeMultipartUpload honours destination If-Match / If-None-Match. */
  completeConditions: boolean;

  /** S3-only request fields: requester pays, expected bucket owners, access point ARNs. */
  requestPayer: boolean;
  expectedBucketOwner: boolean;
  accessPoints: boolean;

  /**
   * Whole-object server-side copy (S3 CopyObject): `Provider.copyObject` exists and copies on the
   * store's side, with S3's source conditions, pinned to the source the decision was made on.
   */
  wholeObjectCopy: boolean;
  /**
   * Largest source `copyObject` accepts, in bytes (S3 CopyObject: 5 GiB). Larger sources need
   * part copies. Meaningless when `wholeObjectCopy` is false.
   */
  maxWholeObjectCopySize: number;
  /** copyObject honours destination If-Match / If-None-Match (S3 conditional writes). */
  wholeObjectCopyConditions: boolean;

  /**
   * `Provider.collectStoreGarbage` exists: the store has leftovers of its own beyond in-progress uploads
   * (staging objects no upload names, temporary files of crashed writers) and can find and remove
   * them. Abandoned uploads themselves are collected on every store through
   * `listMultipartUploads` and `abortMultipartUpload`.
   */
  storeGarbageCollection: boolean;

  /**
   * The store computes a CRC over the bytes of each part it copies, so a copy can be verified
   * without reading it: uploadPartCopy returns the part's CRC (`copyPartResult.checksumX`, of the
   * upload's algorithm when it was created with one) and completion reports (and, given a stated
   * value, checks) the full-object checksum. Optional: absent means no (a checksum carried over
   * as metadata proves nothing).
   */
  partCopyChecksums?: boolean;
  /**
   * After copyObject (with `checksumAlgorithm` where the store takes one), headObject reports a
   * full-object checksum the store computed over the copy's bytes. Optional: absent means no.
   */
  wholeObjectCopyChecksums?: boolean;

  /**
   * Native compose: `Provider.composeObject` exists and joins pieces (ranges of objects) without
   * S3's minimum part size (Azure blocks, GCS compose, local stores). Without it the compose
   * engine uses multipart with part copies, S3's rules.
   */
  nativeCompose: boolean;

  /**
   * The native compose keeps its staged progress under `ComposeObjectRequest.resumeKey` (Azure:
   * uncommitted blocks with ids derived from the key), so a compose session interrupted mid-way
   * stages only what is missing when resumed. Absent means false: the native compose is one call
   * that starts over (fs and memory: one atomic call in the store, nothing to resume).
   */
  resumableNativeCompose?: boolean;

  /**
   * `Provider.presignGetObject` exists: the store signs read URLs another server can fetch
   * (S3 presigned GET, GCS V4 signed URL, Azure SAS). Absent means false.
   */
  presignedReads?: boolean;
  /**
   * `Provider.uploadPartFromUrl` exists: the store stages a part from bytes it fetches from a URL
   * (Azure Put Block From URL). Absent means false.
   */
  uploadPartFromUrl?: boolean;
  /**
   * The store's server fetches URLs of other hosts and services, not only its own (Azure: any
   * public URL; Azurite: only itself). Absent means false: a server-side pull is then planned only
   * between two stores of the same kind.
   */
  uploadPartFromForeignUrl?: boolean;

  /**
   * Bytes of a streamed `uploadPart` body the provider holds in memory at once (Azure buffers each
   * block so a retry can resend it), or absent when it streams the body through. A transfer keeps
   * parts in flight × this within its memory budget.
   */
  uploadPartBufferSize?: number;
  /**
   * `uploadPart` sends every piece of a body with a digest the store checks on arrival and
   * rejects the piece when the bytes differ (Azure: Put Block with a transactional Content-MD5 per
   * block). A transfer into such a store, whose part ETags are not MD5s, leaves the per-byte
   * check to it instead of hashing the part a second time. Absent means false.
   */
  uploadPartChecksBlocks?: boolean;

  /**
   * `uploadPart` sends a streamed body with its CRC32, which the store checks on arrival, and the
   * answer carries the CRC32 of the part the store kept (`checksumCRC32`; S3 and MinIO with the
   * SDK's default checksum). A transfer of several parts then checks every part by its own CRC32
   * of the bytes against that answer from the first part on, computing no MD5 while it waits for
   * a first answer to tell. A part answered without a CRC32 all the same is sent again with its
   * MD5 computed. Absent means false.
   */
  uploadPartAnswersCrc32?: boolean;

  /**
   * listObjects honours `startAfter` on the store's side (S3 StartAfter), so a listing resumed
   * after a key does not page through the keys before it. Absent means false: the facade then
   * pages from the start of the prefix and drops those keys itself.
   */
  listStartAfter?: boolean;

  /**
   * `Provider.putBucketVersioning` and `getBucketVersioning` exist: a bucket's versioning can be
   * enabled and suspended after its creation, and read back (S3 PutBucketVersioning /
   * GetBucketVersioning). Absent means false.
   */
  bucketVersioning?: boolean;
  /**
   * `Provider.listBuckets` exists: the store's buckets can be listed (S3 ListBuckets). Absent
   * means false.
   */
  listBuckets?: boolean;
  /**
   * `Provider.listObjectVersions` exists: every version and delete marker can be listed (S3
   * ListObjectVersions). Absent means false.
   */
  listObjectVersions?: boolean;
  /**
   * `Provider.putBucketEncryption`, `getBucketEncryption` and `deleteBucketEncryption` exist: a
   * bucket keeps a default encryption that writes naming none get (S3 PutBucketEncryption).
   * Absent means false.
   */
  bucketEncryption?: boolean;

  /**
   * deleteObject honours S3's conditional deletes (`ifMatch`, `ifMatchLastModifiedTime`,
   * `ifMatchSize`). Absent means false.
   */
  deleteConditions?: boolean;

  /** Bucket management, for tests and demos. */
  createBucket: boolean;
  deleteBucket: boolean;
}

/** Capability names whose value is a boolean, the ones an override can switch off. */
export type CapabilityFlag = {
  [K in keyof Capabilities]-?: NonNullable<Capabilities[K]> extends boolean ? K : never;
}[keyof Capabilities];

/** Partial capabilities layered over a provider's own (e.g. an emulator that lacks a feature). */
export type CapabilityOverrides = Partial<Capabilities>;

/** The environment variable listing capability flags to switch off, comma-separated. */
export const CAPABILITIES_OFF_ENV = 'PARTCOPY_CAPABILITIES_OFF';

/**
 * Optional flags (absent means false): any provider accepts them in an override, so one
 * `PARTCOPY_CAPABILITIES_OFF` can serve every store of a command (e.g. Azurite's
 * `uploadPartFromForeignUrl` beside an S3 store that has no such flag).
 */
export const OPTIONAL_CAPABILITY_FLAGS: readonly CapabilityFlag[] = [
  'presignedReads',
  'uploadPartFromUrl',
  'uploadPartFromForeignUrl',
  'listStartAfter',
  'listBuckets',
  'bucketVersioning',
  'listObjectVersions',
  'deleteConditions',
  'bucketEncryption',
];

/**
 * Parses a comma-separated list of capability flags to switch off (e.g. the value of
 * `PARTCOPY_CAPABILITIES_OFF`: `copySourceIfMatch,versionedSources`). Unknown names throw, so a
 * typo never silently leaves a check on.
 */
export function parseCapabilitiesOff(value: string | undefined, known: Capabilities): CapabilityOverrides {
  const overrides: Record<string, boolean> = {};
  for (const raw of (value ?? '').split(',')) {
    const name = raw.trim();
    if (!name) continue;
    const flag = typeof (known as unknown as Record<string, unknown>)[name] === 'boolean';
    if (!flag && !OPTIONAL_CAPABILITY_FLAGS.includes(name as CapabilityFlag)) {
      throw new PartCopyError(
        'InvalidArgument',
        `${CAPABILITIES_OFF_ENV}: "${name}" is not a boolean capability`,
      );
    }
    overrides[name] = false;
  }
  return overrides as CapabilityOverrides;
}

/** Applies overrides to capabilities, returning a new frozen object. */
export function withOverrides(
  base: Capabilities,
  overrides: CapabilityOverrides = {},
): Readonly<Capabilities> {
  return Object.freeze({ ...base, ...overrides });
}

/** Binary units, for readable limits. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
