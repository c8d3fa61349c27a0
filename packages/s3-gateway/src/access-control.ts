/**
 * Who may do what, decided per request before the operation runs, from what the store holds:
 * the bucket's configuration document (owner, Object Ownership, bucket ACL) and, for operations
 * on an object, the ACL recorded with the object.
 *
 * - A bucket whose Object Ownership is BucketOwnerEnforced (every bucket without a document, and
 *   the default for new ones) has ACLs disabled: every configured key may do everything, an
 *   unsigned request only on a gateway with `anonymous: true` (the gateway as it always was).
 * - Any other ownership enables ACLs, enforced on everyone: the operation's permission (S3's
 *   table: READ to list, WRITE to write or delete objects, READ_ACP / WRITE_ACP for the ACLs,
 *   READ of the object to read it) must be granted to the principal, to AllUsers, or to
 *   AuthenticatedUsers (a signed request); the owner always holds FULL_CONTROL; bucket settings
 *   other than ACLs are the bucket owner's alone; a public access block's IgnorePublicAcls makes
 *   public grants count for nothing (public-access-block.ts). Refusals are S3's AccessDenied.
 */
import { type ObjectInfo, PartCopyError } from '@partcopy/core';
import { parseCopySource } from '@partcopy/core/provider';
import { type Acl, allows, isPublic, type Permission, privateGrants } from './acl-model.js';
import type { CanonicalUser, ObjectOwnership, StoredBucketConfig } from './bucket-config-document.js';
import { sourceSseCustomer } from './copy-tagging.js';
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-request.js';
import type { GatewayUsers, Principal } from './gateway-users.js';
import { aclFromMetadata } from './object-acl-metadata.js';
import { sseCustomerFromHeaders } from './object-headers.js';
import { ignoresPublicAcls } from './public-access-block.js';
import { headerValue } from './sigv4-verifier.js';

/** A bucket's access settings as its document (or its absence) makes them. */
export interface BucketAccess {
  stored: StoredBucketConfig | undefined;
  ownership: ObjectOwnership;
  owner: CanonicalUser;
  acl: Acl;
  aclsEnabled: boolean;
}

/** Operations on the bucket and the bucket permission each needs. */
const BUCKET_PERMISSION: Record<string, Permission> = {
  ListObjects: 'READ',
  ListObjectsV2: 'READ',
  ListObjectVersions: 'READ',
  ListMultipartUploads: 'READ',
  ListParts: 'READ',
  HeadBucket: 'READ',
  GetBucketLocation: 'READ',
  PutObject: 'WRITE',
  PostObject: 'WRITE',
  CopyObject: 'WRITE',
  DeleteObject: 'WRITE',
  DeleteObjects: 'WRITE',
  CreateMultipartUpload: 'WRITE',
  UploadPart: 'WRITE',
  UploadPartCopy: 'WRITE',
  CompleteMultipartUpload: 'WRITE',
  AbortMultipartUpload: 'WRITE',
  GetBucketAcl: 'READ_ACP',
  PutBucketAcl: 'WRITE_ACP',
};

/** Operations on one object and the object permission each needs. */
const OBJECT_PERMISSION: Record<string, Permission> = {
  GetObject: 'READ',
  HeadObject: 'READ',
  GetObjectTagging: 'READ',
  GetObjectAttributes: 'READ',
  GetObjectAcl: 'READ_ACP',
  PutObjectAcl: 'WRITE_ACP',
};

/** The access settings of a bucket: its document's, or the defaults of a bucket without one. */
export async function bucketAccess(request: GatewayRequest, bucket: string): Promise<BucketAccess> {
  const stored = await request.options.bucketConfigs.read(bucket, request.signal);
  return accessOf(stored, request.options.users);
}

export function accessOf(stored: StoredBucketConfig | undefined, users: GatewayUsers): BucketAccess {
  const config = stored?.config;
  const owner = config?.owner ?? { id: users.primary.id, displayName: users.primary.displayName };
  const ownership = config?.objectOwnership ?? 'BucketOwnerEnforced';
  return {
    stored,
    ownership,
    owner,
    acl: { owner, grants: config?.acl ?? privateGrants(owner) },
    aclsEnabled: ownership !== 'BucketOwnerEnforced',
  };
}

/**
 * Checks the request's principal may run `operation`; records the bucket's access settings on
 * the request for the handler. CreateBucket and ListBuckets need only a signed request (or an
 * anonymous gateway); PostObject is checked by its handler, once the form says who signed it.
 */
export async function authorize(request: GatewayRequest, operation: string): Promise<void> {
  const bucket = request.target.bucket;
  if (bucket === undefined || operation === 'CreateBucket') {
    if (request.principal.kind === 'anonymous' && !request.options.anonymous) throw accessDenied();
    return;
  }
  if (operation === 'PostObject') return;
  const access = await bucketAccess(request, bucket);
  request.access = access;
  checkBucketOperation(request, access, operation);
  const objectPermission = OBJECT_PERMISSION[operation];
  if (objectPermission !== undefined && access.aclsEnabled) {
    const versionId = request.target.query.get('versionId');
    await checkObject(request, access, bucket, request.target.key as string, versionId, objectPermission);
  }
  if (operation === 'CopyObject' || operation === 'UploadPartCopy') await checkCopySource(request);
}

/** The bucket-level check of an operation (also PostObject's, once its signer is known). */
export function checkBucketOperation(request: GatewayRequest, access: BucketAccess, operation: string): void {
  const { principal } = request;
  if (!access.aclsEnabled) {
    if (principal.kind === 'anonymous' && !request.options.anonymous) throw accessDenied();
    return;
  }
  const permission = BUCKET_PERMISSION[operation];
  if (permission !== undefined) {
    if (!allows(effectiveAcl(access, access.acl), principal, permission)) throw accessDenied();
    return;
  }
  if (OBJECT_PERMISSION[operation] !== undefined) return;
  // Every other bucket setting (versioning, policy, tags, ownership, deletion) is the owner's.
  if (principal.kind !== 'user' || principal.user.id !== access.owner.id) throw accessDenied();
}

/** The ACL of an object: the one recorded with it, else the bucket owner's private default. */
export function objectAcl(info: Pick<ObjectInfo, 'metadata'>, access: BucketAccess): Acl {
  return aclFromMetadata(info.metadata) ?? { owner: access.owner, grants: privateGrants(access.owner) };
}

// A missing object is NoSuchKey to whoever may list the bucket, AccessDenied to anyone else (S3
// does not tell strangers what a bucket holds).
async function checkObject(
  request: GatewayRequest,
  access: BucketAccess,
  bucket: string,
  key: string,
  versionId: string | undefined,
  permission: Permission,
  sse: object = sseCustomerFromHeaders(request.req.headers),
): Promise<void> {
  let info: ObjectInfo;
  try {
    info = await request.client.headObject({
      bucket,
      key,
      ...(versionId === undefined ? {} : { versionId }),
      ...sse,
      abortSignal: request.signal,
    });
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchKey') || PartCopyError.hasCode(error, 'NoSuchVersion')) {
      if (allows(effectiveAcl(access, access.acl), request.principal, 'READ')) return;
      throw accessDenied();
    }
    throw error;
  }
  if (!allows(effectiveAcl(access, objectAcl(info, access)), request.principal, permission))
    throw accessDenied();
}

// The public access block's IgnorePublicAcls: public grants of the bucket and its objects count
// for nothing.
function effectiveAcl(access: BucketAccess, acl: Acl): Acl {
  if (!ignoresPublicAcls(access.stored?.config)) return acl;
  return { owner: acl.owner, grants: acl.grants.filter((g) => !isPublic([g])) };
}

// CopyObject and UploadPartCopy read their source: READ on it, where its bucket enables ACLs.
async function checkCopySource(request: GatewayRequest): Promise<void> {
  const header = headerValue(request.req.headers, 'x-amz-copy-source');
  if (header === undefined) return;
  let source: ReturnType<typeof parseCopySource>;
  try {
    source = parseCopySource(header);
  } catch {
    return; // the handler answers a malformed source
  }
  const access = await bucketAccess(request, source.bucket);
  if (!access.aclsEnabled) {
    if (request.principal.kind === 'anonymous' && !request.options.anonymous) throw accessDenied();
    return;
  }
  const sse = sourceSseCustomer(request.req.headers);
  await checkObject(request, access, source.bucket, source.key, source.versionId, 'READ', sse);
}

/** The `<Owner>` listings name: the bucket's owner (or the primary user where none is read). */
export function ownerXml(request: GatewayRequest): { ID: string; DisplayName: string } {
  const owner = request.access?.owner ?? request.options.users.primary;
  return { ID: owner.id, DisplayName: owner.displayName };
}

/** The principal a request acts as: its key's user, or anonymous. */
export function principalOf(users: GatewayUsers, accessKeyId: string | undefined): Principal {
  return accessKeyId === undefined ? { kind: 'anonymous' } : { kind: 'user', user: users.ofKey(accessKeyId) };
}

export function accessDenied(): GatewayError {
  return new GatewayError('AccessDenied', 'Access Denied');
}
