/** The bucket operations: ListBuckets, Create/Head/Delete bucket, GetBucketLocation (versioning: versioning-operations.ts). */
import { PartCopyError } from '@partcopy/core';
import { accessOf } from './access-control.js';
import { grantsFromHeaders, privateGrants } from './acl-model.js';
import {
  type CanonicalUser,
  holdsOnlyReservedKeys,
  OBJECT_OWNERSHIPS,
  type ObjectOwnership,
  type StoredGrant,
} from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import type { BucketListing } from './gateway-options.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { pageBuckets } from './list-buckets-page.js';
import { headerValue } from './sigv4-verifier.js';
import { readSmallBody } from './small-body.js';
import { parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml, xmlDate } from './xml-response.js';

export async function listBuckets(request: GatewayRequest): Promise<void> {
  const { options } = request;
  const listed: BucketListing[] = options.buckets
    ? options.buckets.map((name) => ({ name }))
    : await storeBuckets(request);
  const epoch = new Date(0);
  const owned = await ownedBy(request, listed);
  const sorted = owned.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const page = pageBuckets(sorted, request.target.query);
  const prefix = request.target.query.get('prefix');
  const user = request.principal.kind === 'user' ? request.principal.user : request.options.users.primary;
  sendXml(request, 'ListAllMyBucketsResult', {
    Owner: { ID: user.id, DisplayName: user.displayName },
    Buckets: {
      Bucket: page.buckets.map((b) => ({ Name: b.name, CreationDate: xmlDate(b.creationDate ?? epoch) })),
    },
    ...(page.continuationToken === undefined ? {} : { ContinuationToken: page.continuationToken }),
    ...(prefix === undefined ? {} : { Prefix: prefix }),
  });
}

/** Buckets whose owner documents are read at once by ListBuckets. */
const OWNER_READS_AT_ONCE = 8;

/**
 * S3 lists the requester's own buckets. With one user every bucket is theirs; with several,
 * each bucket's owner is read from its configuration document (no document: the primary user).
 */
async function ownedBy(request: GatewayRequest, listed: BucketListing[]): Promise<BucketListing[]> {
  const { principal, options } = request;
  if (principal.kind !== 'user' || options.users.count <= 1) return listed;
  const owners: string[] = new Array(listed.length);
  let next = 0;
  const worker = async () => {
    while (next < listed.length) {
      const index = next++;
      const bucket = listed[index] as BucketListing;
      owners[index] = await ownerIdOf(request, bucket.name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OWNER_READS_AT_ONCE, listed.length) }, worker));
  return listed.filter((_, index) => owners[index] === principal.user.id);
}

// A bucket deleted between the listing and this read is nobody's.
async function ownerIdOf(request: GatewayRequest, bucket: string): Promise<string> {
  try {
    const stored = await request.options.bucketConfigs.read(bucket, request.signal);
    return stored?.config.owner?.id ?? request.options.users.primary.id;
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchBucket')) return '';
    throw error;
  }
}

// The listing the options give, else the store's own (capability listBuckets), else none.
async function storeBuckets(request: GatewayRequest): Promise<BucketListing[]> {
  const { options, client } = request;
  if (options.listBuckets) return options.listBuckets(request.signal);
  if (client.capabilities.listBuckets !== true) return [];
  const { buckets } = await client.listBuckets({ abortSignal: request.signal });
  return buckets.map((b) =>
    b.creationDate ? { name: b.name, creationDate: b.creationDate } : { name: b.name },
  );
}

export async function createBucket(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  checkBucketName(bucket);
  // A CreateBucketConfiguration may name a region; the store has none to choose, so it is read
  // only to refuse malformed XML as S3 does.
  const text = await readSmallBody(request, 64 * 1024);
  if (text.trim() !== '') parseXmlBody(text, 'CreateBucketConfiguration');
  if (headerValue(request.req.headers, 'x-amz-bucket-object-lock-enabled') === 'true') {
    throw new GatewayError('NotImplemented', 'Object Lock is not implemented by this gateway.');
  }
  const ownership = newBucketOwnership(request);
  const creator = creatorOf(request);
  const users = request.options.users;
  const grants =
    ownership === 'BucketOwnerEnforced'
      ? undefined
      : grantsFromHeaders(request.req.headers, creator, creator, users);
  try {
    await request.client.createBucket({ bucket, abortSignal: request.signal });
  } catch (error) {
    if (PartCopyError.hasCode(error, 'BucketAlreadyOwnedByYou')) {
      await answerExisting(request, bucket, creator, grants, error);
      return;
    }
    // A store with one global namespace (GCS) cannot tell a bucket of ours from someone else's:
    // one this gateway can read is ours.
    if (PartCopyError.hasCode(error, 'BucketAlreadyExists') && (await readable(request, bucket))) {
      await answerExisting(request, bucket, creator, grants, error);
      return;
    }
    throw error;
  }
  // A bucket without a document is the primary user's with ACLs disabled: only another owner,
  // another ownership or an ACL needs one.
  if (ownership !== 'BucketOwnerEnforced' || creator.id !== users.primary.id) {
    await request.options.bucketConfigs.create(
      bucket,
      { owner: creator, objectOwnership: ownership, ...(grants === undefined ? {} : { acl: grants }) },
      request.signal,
    );
  }
  // A bucket of this name deleted and made again elsewhere may have left a document read here.
  request.options.bucketConfigs.forget(bucket);
  request.res.setHeader('location', `/${bucket}`);
  sendEmpty(request);
}

/** The Object Ownership a CreateBucket asks for (`x-amz-object-ownership`), else the gateway's default. */
export function newBucketOwnership(request: GatewayRequest): ObjectOwnership {
  const asked = headerValue(request.req.headers, 'x-amz-object-ownership');
  if (asked === undefined) return request.options.defaultObjectOwnership;
  if (!OBJECT_OWNERSHIPS.includes(asked as ObjectOwnership)) {
    throw new GatewayError('InvalidArgument', 'Invalid x-amz-object-ownership header', {
      ArgumentName: 'x-amz-object-ownership',
      ArgumentValue: asked,
    });
  }
  return asked as ObjectOwnership;
}

// The user a new bucket belongs to: the signer (an anonymous gateway's unsigned request: the
// primary user).
function creatorOf(request: GatewayRequest): CanonicalUser {
  const user = request.principal.kind === 'user' ? request.principal.user : request.options.users.primary;
  return { id: user.id, displayName: user.displayName };
}

async function readable(request: GatewayRequest, bucket: string): Promise<boolean> {
  try {
    await request.client.listObjects({ bucket, maxKeys: 1, abortSignal: request.signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * CreateBucket of a bucket that exists: someone else's is BucketAlreadyExists. The owner's is
 * success in us-east-1 (S3's legacy answer there, which ceph/s3-tests expects) unless the request
 * asks for an ACL other than the bucket's (BucketAlreadyExists, as Ceph answers); elsewhere it is
 * the store's BucketAlreadyOwnedByYou.
 */
async function answerExisting(
  request: GatewayRequest,
  bucket: string,
  creator: CanonicalUser,
  grants: StoredGrant[] | undefined,
  error: unknown,
): Promise<void> {
  const access = accessOf(
    await request.options.bucketConfigs.read(bucket, request.signal),
    request.options.users,
  );
  // No ACL headers ask for `private` (Ceph compares the ACL the request would set).
  const asked = grants ?? privateGrants(creator);
  const exists = new GatewayError(
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    { BucketName: bucket },
  );
  if (access.owner.id !== creator.id) throw exists;
  if (request.options.region !== 'us-east-1') throw error;
  if (JSON.stringify(asked) !== JSON.stringify(access.acl.grants)) throw exists;
  // A bucket of this name deleted and made again elsewhere may have left a document read here.
  request.options.bucketConfigs.forget(bucket);
  request.res.setHeader('location', `/${bucket}`);
  sendEmpty(request);
}

/**
 * S3's rules for a new bucket's name (general purpose buckets): 3 to 63 lowercase letters,
 * digits, dots and hyphens, a letter or digit at each end, no dot beside a dot or a hyphen, not
 * an IP address. Stores accept more (a folder, a memory map), so the gateway checks: a name S3
 * refuses would make a bucket no S3 client could address virtual-host style.
 */
export function checkBucketName(bucket: string): void {
  const valid =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) &&
    !/\.\.|\.-|-\./.test(bucket) &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(bucket);
  if (!valid)
    throw new GatewayError('InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
}

/** The contract has no HeadBucket: listing one key answers whether the bucket exists. */
export async function headBucket(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
  request.res.setHeader('x-amz-bucket-region', request.options.region);
  sendEmpty(request);
}

/**
 * A bucket holding only the gateway's configuration document is empty to its clients: the
 * document goes first, then the bucket. The store's own answer is tried first, so a bucket with
 * objects keeps its document.
 */
export async function deleteBucket(request: GatewayRequest): Promise<void> {
  const { client, signal } = request;
  const bucket = bucketOf(request);
  try {
    await client.deleteBucket({ bucket, abortSignal: signal });
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'BucketNotEmpty')) throw error;
    if (!(await holdsOnlyReservedKeys(client, bucket, signal))) throw error;
    await request.options.bucketConfigs.remove(bucket, signal);
    await client.deleteBucket({ bucket, abortSignal: signal });
  }
  request.options.bucketConfigs.forget(bucket);
  sendEmpty(request, 204);
}

export async function getBucketLocation(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
  const region = request.options.region;
  sendXml(request, 'LocationConstraint', region === 'us-east-1' ? {} : { '#text': region });
}
