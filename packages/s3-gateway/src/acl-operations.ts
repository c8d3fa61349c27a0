/**
 * ACLs as S3 answers them for a bucket whose Object Ownership is BucketOwnerEnforced (the default
 * for every new S3 bucket since April 2023): ACLs are disabled, the owner has FULL_CONTROL of
 * everything, and only the ACLs that say exactly that are accepted (`x-amz-acl: private` or
 * `bucket-owner-full-control`, or a policy document granting the owner FULL_CONTROL and nothing
 * else). Any other ACL is refused with S3's AccessControlListNotSupported (objects) or
 * InvalidBucketAclWithObjectOwnership (buckets), never stored and ignored: the store has no
 * ACLs to keep it in.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest, keyOf } from './gateway-request.js';
import { headerValue } from './sigv4-verifier.js';
import { readSmallBody } from './small-body.js';
import { parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** The owner every answer of this gateway names (ListBuckets, listings, uploads). */
export const GATEWAY_OWNER = { ID: 'partcopy', DisplayName: 'partcopy' };

/** Canned ACLs that grant the owner FULL_CONTROL and nobody anything: what ACLs-disabled accepts. */
const OWNER_ONLY_CANNED = new Set(['private', 'bucket-owner-full-control']);

const GRANT_HEADERS = [
  'x-amz-grant-full-control',
  'x-amz-grant-read',
  'x-amz-grant-read-acp',
  'x-amz-grant-write',
  'x-amz-grant-write-acp',
];

/** Operations whose request may carry `x-amz-acl` / `x-amz-grant-*` headers. */
const ACL_HEADER_OPERATIONS = new Set(['PutObject', 'CopyObject', 'CreateMultipartUpload', 'CreateBucket']);

/**
 * Refuses ACL headers other than the owner-only ones on a write (called for every request once
 * it is routed, before anything is read or written).
 */
export function checkAclHeaders(operation: string, headers: IncomingHttpHeaders): void {
  if (!ACL_HEADER_OPERATIONS.has(operation)) return;
  const bucket = operation === 'CreateBucket';
  const canned = headerValue(headers, 'x-amz-acl');
  if (canned !== undefined && !OWNER_ONLY_CANNED.has(canned.trim().toLowerCase())) throw aclRefused(bucket);
  if (GRANT_HEADERS.some((name) => headers[name] !== undefined)) throw aclRefused(bucket);
  const ownership = headerValue(headers, 'x-amz-object-ownership');
  if (bucket && ownership !== undefined && ownership !== 'BucketOwnerEnforced') {
    throw new GatewayError(
      'NotImplemented',
      `Object Ownership "${ownership}" enables ACLs, which this gateway does not implement; only BucketOwnerEnforced is served.`,
    );
  }
}

export async function getBucketAcl(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  sendXml(request, 'AccessControlPolicy', ownerOnlyPolicy());
}

export async function getObjectAcl(request: GatewayRequest): Promise<void> {
  const info = await request.client.headObject(objectRef(request));
  if (info.versionId) request.res.setHeader('x-amz-version-id', info.versionId);
  sendXml(request, 'AccessControlPolicy', ownerOnlyPolicy());
}

export async function putBucketAcl(request: GatewayRequest): Promise<void> {
  await checkPutAcl(request, true);
  await bucketMustExist(request);
  sendEmpty(request);
}

export async function putObjectAcl(request: GatewayRequest): Promise<void> {
  await checkPutAcl(request, false);
  const info = await request.client.headObject(objectRef(request));
  if (info.versionId) request.res.setHeader('x-amz-version-id', info.versionId);
  sendEmpty(request);
}

function ownerOnlyPolicy(): Record<string, unknown> {
  return {
    Owner: GATEWAY_OWNER,
    AccessControlList: {
      Grant: {
        Grantee: {
          '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
          '@_xsi:type': 'CanonicalUser',
          ...GATEWAY_OWNER,
        },
        Permission: 'FULL_CONTROL',
      },
    },
  };
}

// PutBucketAcl / PutObjectAcl: a canned ACL or grant headers, or an AccessControlPolicy body.
async function checkPutAcl(request: GatewayRequest, bucket: boolean): Promise<void> {
  const headers = request.req.headers;
  const canned = headerValue(headers, 'x-amz-acl');
  const granted = GRANT_HEADERS.some((name) => headers[name] !== undefined);
  const text = await readSmallBody(request, 64 * 1024);
  if (canned !== undefined || granted) {
    if (text.trim() !== '') {
      throw new GatewayError('UnexpectedContent', 'This request does not support content');
    }
    checkAclHeaders(bucket ? 'CreateBucket' : 'PutObject', headers);
    return;
  }
  if (text.trim() === '') {
    throw new GatewayError('MissingSecurityHeader', 'Your request was missing a required header', {
      MissingHeaderName: 'x-amz-acl',
    });
  }
  if (!grantsOwnerOnly(parseXmlBody(text, 'AccessControlPolicy'))) throw aclRefused(bucket);
}

// A policy document is acceptable when every grant is FULL_CONTROL to the gateway's owner.
function grantsOwnerOnly(policy: Record<string, unknown>): boolean {
  const list = policy.AccessControlList as { Grant?: unknown } | undefined;
  const grants = list?.Grant === undefined ? [] : [list.Grant].flat();
  return (
    grants.length > 0 &&
    grants.every((grant) => {
      const g = grant as { Grantee?: { ID?: unknown }; Permission?: unknown };
      return g.Grantee?.ID === GATEWAY_OWNER.ID && g.Permission === 'FULL_CONTROL';
    })
  );
}

function aclRefused(bucket: boolean): GatewayError {
  return bucket
    ? new GatewayError(
        'InvalidBucketAclWithObjectOwnership',
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
      )
    : new GatewayError('AccessControlListNotSupported', 'The bucket does not allow ACLs');
}

async function bucketMustExist(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
}

function objectRef(request: GatewayRequest) {
  const versionId = request.target.query.get('versionId');
  return {
    bucket: bucketOf(request),
    key: keyOf(request),
    ...(versionId === undefined ? {} : { versionId }),
    abortSignal: request.signal,
  };
}
