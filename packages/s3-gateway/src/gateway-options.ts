/** How a gateway is set up: the store, the keys it accepts, addressing, logging. */
import type { PartCopyClient } from '@partcopy/core';
import type { BucketConfigs } from './bucket-config-cache.js';
import type { ObjectOwnership } from './bucket-config-document.js';
import type { GatewayUsers } from './gateway-users.js';
import type { GatewayCredential } from './sigv4-verifier.js';

/** One bucket as ListBuckets shows it. */
export interface BucketListing {
  name: string;
  creationDate?: Date;
}

/** One line of the request log: what was asked and answered, never a key or a signature. */
export interface RequestLogEntry {
  time: string;
  requestId: string;
  method: string;
  operation: string;
  bucket?: string;
  key?: string;
  status: number;
  /** The S3 error code of a failed request. */
  errorCode?: string;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  /** Whether the request was signed (its access key id is not logged). */
  authenticated: boolean;
  /** True when the client went away before the answer was complete. */
  clientAborted: boolean;
}

export interface S3GatewayOptions {
  /** The store every request goes to. */
  client: PartCopyClient;
  /** Access keys whose SigV4 signatures are accepted. */
  credentials?: readonly GatewayCredential[];
  /**
   * Serve unsigned requests in buckets whose ACLs are disabled (and ListBuckets, CreateBucket).
   * Off by default: there an unsigned request is AccessDenied. In a bucket with ACLs enabled an
   * unsigned request gets what the ACLs grant AllUsers, whatever this says.
   */
  anonymous?: boolean;
  /**
   * The Object Ownership of a bucket created without `x-amz-object-ownership`: `BucketOwnerEnforced`
   * (the default, as S3's: ACLs disabled), `BucketOwnerPreferred` or `ObjectWriter` (ACLs enabled,
   * kept in the store and enforced by the gateway).
   */
  defaultObjectOwnership?: ObjectOwnership;
  /** The region ListBuckets and GetBucketLocation name. Default `us-east-1`. */
  region?: string;
  /**
   * Host names under which the first label is the bucket (virtual-host addressing):
   * with `s3.localhost`, `photos.s3.localhost/cat.jpg` is bucket `photos`, key `cat.jpg`.
   */
  virtualHostSuffixes?: readonly string[];
  /**
   * The buckets this gateway serves. When given, any other bucket is NoSuchBucket and
   * ListBuckets lists exactly these. When absent, every bucket of the store is served.
   */
  buckets?: readonly string[];
  /**
   * Lists the buckets for ListBuckets. Absent: the store's own listing where it has one
   * (capability `listBuckets`), else none.
   */
  listBuckets?: (signal: AbortSignal) => Promise<BucketListing[]>;
  /** Largest accepted clock difference of a signed request. Default 15 minutes, as S3. */
  maxClockSkewMs?: number;
  /**
   * How long a bucket's gateway configuration document (owner, ACL, CORS, tags...) once read is
   * reused, in milliseconds; 0 reads it for every request. Default 1000. A change made through
   * another gateway instance over the same store applies here within this time; changes made
   * through this instance apply at once.
   */
  bucketConfigCacheMs?: number;
  /** Called once per request when its answer is complete. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** The clock (tests). */
  now?: () => Date;
}

export interface ResolvedGatewayOptions {
  client: PartCopyClient;
  /** Reads and writes the buckets' gateway configuration documents (cached for a moment). */
  bucketConfigs: BucketConfigs;
  anonymous: boolean;
  defaultObjectOwnership: ObjectOwnership;
  /** The users the access keys act as. */
  users: GatewayUsers;
  region: string;
  virtualHostSuffixes: readonly string[];
  buckets: readonly string[] | undefined;
  listBuckets: ((signal: AbortSignal) => Promise<BucketListing[]>) | undefined;
  now: () => Date;
  /** Throws NoSuchBucket for a bucket this gateway does not serve. */
  checkBucket(bucket: string): void;
  /** Throws AccessDenied for a bucket this gateway may not create. */
  checkBucketCreate(bucket: string): void;
}
