/**
 * Object Lock questions, answered as S3 answers them for a bucket created without Object Lock.
 * Every bucket the gateway serves is one: CreateBucket with Object Lock is NotImplemented and the
 * store contract has no lock state. So GetObjectLockConfiguration is 404
 * ObjectLockConfigurationNotFoundError, and retention and legal holds (read or set) are 400
 * InvalidRequest, once the bucket is known to exist. Setting a lock configuration needs
 * versioning Enabled (else 409 InvalidBucketState, as S3); on a versioned bucket S3 would keep it,
 * which the gateway cannot, so that is NotImplemented.
 */
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import type { Route } from './operation-routes.js';

/** The route of an Object Lock request this file answers, or undefined for any other request. */
export function objectLockRoute(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
): Route | undefined {
  if (bucket === undefined) return undefined;
  if (key === undefined && method === 'GET' && query.has('object-lock')) {
    return { operation: 'GetObjectLockConfiguration', handle: getObjectLockConfiguration };
  }
  if (key === undefined && method === 'PUT' && query.has('object-lock')) {
    return { operation: 'PutObjectLockConfiguration', handle: putObjectLockConfiguration };
  }
  if (key === undefined || (method !== 'GET' && method !== 'PUT')) return undefined;
  const verb = method === 'GET' ? 'Get' : 'Put';
  if (query.has('retention')) return { operation: `${verb}ObjectRetention`, handle: refuseWithoutLock };
  if (query.has('legal-hold')) return { operation: `${verb}ObjectLegalHold`, handle: refuseWithoutLock };
  return undefined;
}

async function getObjectLockConfiguration(request: GatewayRequest): Promise<void> {
  await requireBucket(request);
  throw new GatewayError(
    'ObjectLockConfigurationNotFoundError',
    'Object Lock configuration does not exist for this bucket',
    { BucketName: bucketOf(request) },
  );
}

async function putObjectLockConfiguration(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  const capabilities = request.client.capabilitiesFor(bucket);
  const versioned = capabilities.bucketVersioning
    ? (await request.client.getBucketVersioning({ bucket, abortSignal: request.signal })).status
    : undefined;
  // Enabled, or a store that keeps versions without saying for which bucket: it might be.
  const unknowable = !capabilities.bucketVersioning && capabilities.versionedBuckets;
  if (versioned === 'Enabled' || unknowable) {
    throw new GatewayError('NotImplemented', 'Object Lock is not implemented by this gateway.');
  }
  // A store that keeps no versioning state has no bucket with versioning Enabled.
  if (versioned === undefined) await requireBucket(request);
  throw new GatewayError(
    'InvalidBucketState',
    "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
    { BucketName: bucket },
  );
}

async function refuseWithoutLock(request: GatewayRequest): Promise<void> {
  await requireBucket(request);
  throw new GatewayError('InvalidRequest', 'Bucket is missing Object Lock Configuration');
}

// NoSuchBucket comes first, as on S3 (the contract has no HeadBucket: one listed key answers it).
async function requireBucket(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
}
