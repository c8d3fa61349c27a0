/**
 * S3 ACLs: Get/Put BucketAcl and ObjectAcl, and the ACL headers of the requests that create
 * buckets and objects.
 *
 * Where the bucket's Object Ownership is BucketOwnerEnforced (every bucket without a document,
 * and new buckets by default) ACLs are disabled, as S3 answers them: the owner has FULL_CONTROL
 * of everything and only the ACLs that say exactly that are accepted (`private`,
 * `bucket-owner-full-control`, or a document granting the owner FULL_CONTROL alone); any other is
 * AccessControlListNotSupported (objects) or InvalidBucketAclWithObjectOwnership (buckets).
 *
 * Under ObjectWriter or BucketOwnerPreferred ACLs are enabled: a bucket's ACL is kept in its
 * configuration document (bucket-config-document.ts), an object's with the object
 * (object-acl-metadata.ts), and access-control.ts enforces them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type BucketAccess, bucketAccess, objectAcl } from './access-control.js';
import {
  type Acl,
  aclXml,
  grantsFromHeaders,
  grantsFromPolicy,
  hasAclHeaders,
  isOwnerOnly,
  isPublic,
  privateGrants,
} from './acl-model.js';
import type { CanonicalUser, StoredGrant } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest, keyOf } from './gateway-request.js';
import type { GatewayUsers } from './gateway-users.js';
import { aclMetadata, withoutAclMetadata } from './object-acl-metadata.js';
import { copySourceSseFromHeaders, sseCustomerFromHeaders } from './object-headers.js';
import { checkPublicAclAllowed } from './public-access-block.js';
import { headerValue } from './sigv4-verifier.js';
import { readSmallBody } from './small-body.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** Canned ACLs that grant the owner FULL_CONTROL and nobody anything: what ACLs-disabled accepts. */
const OWNER_ONLY_CANNED = new Set(['private', 'bucket-owner-full-control']);

/** Operations whose request may carry `x-amz-acl` / `x-amz-grant-*` headers. */
const ACL_HEADER_OPERATIONS = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload', 'CreateBucket']);

/**
 * Refuses ACL headers other than the owner-only ones on a write to a bucket whose ACLs are
 * disabled (called once the request is routed and authorized, before anything is read or
 * written). With ACLs enabled the headers are read by the write itself.
 */
export function checkAclHeaders(operation: string, headers: IncomingHttpHeaders, aclsEnabled: boolean): void {
  if (!ACL_HEADER_OPERATIONS.has(operation) || aclsEnabled) return;
  const bucket = operation === 'CreateBucket';
  const canned = headerValue(headers, 'x-amz-acl');
  if (canned !== undefined && !OWNER_ONLY_CANNED.has(canned.trim().toLowerCase())) throw aclRefused(bucket);
  if (hasAclHeaders(headers) && canned === undefined) throw aclRefused(bucket);
}

/**
 * The ACL metadata entry of an object written into a bucket with ACLs enabled (PutObject,
 * CopyObject, CreateMultipartUpload, POST), from the request's ACL headers: the writer owns it,
 * except that BucketOwnerPreferred gives the bucket owner an object written with
 * `bucket-owner-full-control`. Empty where ACLs are disabled.
 */
export function newObjectAclMetadata(
  request: GatewayRequest,
  headers: IncomingHttpHeaders = request.req.headers,
): Record<string, string> {
  const access = request.access;
  if (access === undefined || !access.aclsEnabled) return {};
  const canned = headerValue(headers, 'x-amz-acl')?.trim().toLowerCase();
  const writer = writerOf(request, access);
  const owner =
    access.ownership === 'BucketOwnerPreferred' && canned === 'bucket-owner-full-control'
      ? access.owner
      : writer;
  const grants =
    grantsFromHeaders(headers, owner, access.owner, request.options.users) ?? privateGrants(owner);
  checkPublicAclAllowed(access.stored?.config, isPublic(grants));
  return aclMetadata({ owner, grants });
}

/** The settings of a new object with its ACL entry added to their metadata (ACLs enabled). */
export function withObjectAcl<T extends { metadata?: Record<string, string> }>(
  request: GatewayRequest,
  settings: T,
  headers: IncomingHttpHeaders = request.req.headers,
): T {
  const acl = newObjectAclMetadata(request, headers);
  if (Object.keys(acl).length === 0) return settings;
  return { ...settings, metadata: { ...settings.metadata, ...acl } };
}

// An anonymous write (through an AllUsers WRITE grant) is the bucket owner's object.
function writerOf(request: GatewayRequest, access: BucketAccess): CanonicalUser {
  const { principal } = request;
  return principal.kind === 'user'
    ? { id: principal.user.id, displayName: principal.user.displayName }
    : access.owner;
}

export async function getBucketAcl(request: GatewayRequest): Promise<void> {
  const access = await accessOf(request);
  sendXml(request, 'AccessControlPolicy', aclXml(access.acl, request.options.users));
}

export async function getObjectAcl(request: GatewayRequest): Promise<void> {
  const access = await accessOf(request);
  const info = await request.client.headObject(objectRef(request));
  if (info.versionId) request.res.setHeader('x-amz-version-id', info.versionId);
  const acl = access.aclsEnabled ? objectAcl(info, access) : ownerOnly(access.owner);
  sendXml(request, 'AccessControlPolicy', aclXml(acl, request.options.users));
}

export async function putBucketAcl(request: GatewayRequest): Promise<void> {
  const access = await accessOf(request);
  const grants = await requestedGrants(request, access.owner, access.owner);
  if (!access.aclsEnabled) {
    if (!isOwnerOnly(grants, access.owner.id)) throw aclRefused(true);
    sendEmpty(request);
    return;
  }
  checkPublicAclAllowed(access.stored?.config, isPublic(grants));
  await request.options.bucketConfigs.update(
    bucketOf(request),
    (current) => ({
      ...current,
      owner: current?.owner ?? access.owner,
      objectOwnership: current?.objectOwnership ?? access.ownership,
      acl: grants,
    }),
    request.signal,
  );
  sendEmpty(request);
}

/**
 * PutObjectAcl: the store has no call that changes metadata alone, so the object is copied onto
 * itself with its own settings and the new ACL entry, pinned to the ETag it was read at (a write
 * meanwhile makes this PreconditionFailed rather than lose it).
 */
export async function putObjectAcl(request: GatewayRequest): Promise<void> {
  const access = await accessOf(request);
  const info = await request.client.headObject(objectRef(request));
  const current = objectAcl(info, access);
  const grants = await requestedGrants(request, current.owner, access.owner);
  if (!access.aclsEnabled) {
    if (!isOwnerOnly(grants, access.owner.id)) throw aclRefused(false);
    if (info.versionId) request.res.setHeader('x-amz-version-id', info.versionId);
    sendEmpty(request);
    return;
  }
  checkPublicAclAllowed(access.stored?.config, isPublic(grants));
  const { res } = request;
  // The ACL it already has: nothing is rewritten (its LastModified and version stay).
  if (JSON.stringify(grants) === JSON.stringify(current.grants)) {
    if (info.versionId) res.setHeader('x-amz-version-id', info.versionId);
    sendEmpty(request);
    return;
  }
  const result = await request.client.copyObjectServerSide({
    bucket: bucketOf(request),
    key: keyOf(request),
    copySource: { bucket: bucketOf(request), key: keyOf(request), ...versionOf(request) },
    copySourceIfMatch: info.etag,
    metadataDirective: 'REPLACE',
    ...settingsOf(info),
    metadata: { ...withoutAclMetadata(info.metadata), ...aclMetadata({ owner: current.owner, grants }) },
    ...sseCustomerFromHeaders(request.req.headers),
    ...sourceSseOf(request),
    abortSignal: request.signal,
  });
  if (result.versionId) res.setHeader('x-amz-version-id', result.versionId);
  sendEmpty(request);
}

// The SSE-C key of the object also opens it as the copy's source.
function sourceSseOf(request: GatewayRequest) {
  const sse = sseCustomerFromHeaders(request.req.headers);
  const given = copySourceSseFromHeaders(request.req.headers);
  return {
    ...given,
    ...(sse.sseCustomerAlgorithm ? { copySourceSSECustomerAlgorithm: sse.sseCustomerAlgorithm } : {}),
    ...(sse.sseCustomerKey ? { copySourceSSECustomerKey: sse.sseCustomerKey } : {}),
    ...(sse.sseCustomerKeyMD5 ? { copySourceSSECustomerKeyMD5: sse.sseCustomerKeyMD5 } : {}),
  };
}

function settingsOf(info: Awaited<ReturnType<GatewayRequest['client']['headObject']>>) {
  return {
    ...(info.contentType === undefined ? {} : { contentType: info.contentType }),
    ...(info.contentEncoding === undefined ? {} : { contentEncoding: info.contentEncoding }),
    ...(info.contentDisposition === undefined ? {} : { contentDisposition: info.contentDisposition }),
    ...(info.contentLanguage === undefined ? {} : { contentLanguage: info.contentLanguage }),
    ...(info.cacheControl === undefined ? {} : { cacheControl: info.cacheControl }),
    ...(info.expires === undefined ? {} : { expires: info.expires }),
    ...(info.storageClass === undefined ? {} : { storageClass: info.storageClass }),
    ...(info.tagging === undefined ? {} : { tagging: info.tagging }),
  };
}

// PutBucketAcl / PutObjectAcl: a canned ACL or grant headers, or an AccessControlPolicy body.
async function requestedGrants(
  request: GatewayRequest,
  owner: CanonicalUser,
  bucketOwner: CanonicalUser,
): Promise<StoredGrant[]> {
  const headers = request.req.headers;
  const users: GatewayUsers = request.options.users;
  const text = await readSmallBody(request, 64 * 1024);
  if (hasAclHeaders(headers)) {
    if (text.trim() !== '') {
      throw new GatewayError('UnexpectedContent', 'This request does not support content');
    }
    return grantsFromHeaders(headers, owner, bucketOwner, users) ?? [];
  }
  if (text.trim() === '') {
    throw new GatewayError('MissingSecurityHeader', 'Your request was missing a required header', {
      MissingHeaderName: 'x-amz-acl',
    });
  }
  return grantsFromPolicy(text, users);
}

function ownerOnly(owner: CanonicalUser): Acl {
  return { owner, grants: privateGrants(owner) };
}

function aclRefused(bucket: boolean): GatewayError {
  return bucket
    ? new GatewayError(
        'InvalidBucketAclWithObjectOwnership',
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
      )
    : new GatewayError('AccessControlListNotSupported', 'The bucket does not allow ACLs');
}

// Authorization read the bucket's settings already; an embedding that skips it reads them here.
async function accessOf(request: GatewayRequest): Promise<BucketAccess> {
  if (request.access !== undefined) return request.access;
  request.access = await bucketAccess(request, bucketOf(request));
  return request.access;
}

function versionOf(request: GatewayRequest): { versionId?: string } {
  const versionId = request.target.query.get('versionId');
  return versionId === undefined ? {} : { versionId };
}

function objectRef(request: GatewayRequest) {
  return {
    bucket: bucketOf(request),
    key: keyOf(request),
    ...versionOf(request),
    ...sseCustomerFromHeaders(request.req.headers),
    abortSignal: request.signal,
  };
}
