/**
 * Object Lock questions, answered as S3 answers them for a bucket created without Object Lock.
 * Every bucket the gateway serves is one: CreateBucket with Object Lock is NotImplemented and the
 * store contract has no lock state. So GetObjectLockConfiguration is 404
 * ObjectLockConfigurationNotFoundError, and retention and legal holds (read or set) are 400
 * InvalidRequest, once the bucket is known to exist. Setting a lock configuration stays
 * NotImplemented: S3 allows it on a versioned bucket, and the gateway could not keep it.
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

async function refuseWithoutLock(request: GatewayRequest): Promise<void> {
  await requireBucket(request);
  throw new GatewayError('InvalidRequest', 'Bucket is missing Object Lock Configuration');
}

// NoSuchBucket comes first, as on S3 (the contract has no HeadBucket: one listed key answers it).
async function requireBucket(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
}
