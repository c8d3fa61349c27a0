/**
 * Bucket policies: the gateway enforces none (its only rule is the SigV4 keys it is given), so a
 * bucket has no policy, as S3 answers a bucket without one: GetBucketPolicy is
 * NoSuchBucketPolicy, GetBucketPolicyStatus says public only where the bucket's ACL is (ACLs
 * enabled), DeleteBucketPolicy succeeds. Storing
 * a policy it would not enforce would mislead, so PutBucketPolicy is NotImplemented.
 */
import { bucketAccess } from './access-control.js';
import { isPublic } from './acl-model.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { sendEmpty, sendXml } from './xml-response.js';

export async function getBucketPolicy(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  throw new GatewayError('NoSuchBucketPolicy', 'The bucket policy does not exist', {
    BucketName: bucketOf(request),
  });
}

/** Public when the bucket's ACL (ACLs enabled) grants AllUsers or AuthenticatedUsers anything. */
export async function getBucketPolicyStatus(request: GatewayRequest): Promise<void> {
  const access = request.access ?? (await bucketAccess(request, bucketOf(request)));
  const open = access.aclsEnabled && isPublic(access.acl.grants);
  sendXml(request, 'PolicyStatus', { IsPublic: String(open) });
}

export async function deleteBucketPolicy(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  sendEmpty(request, 204);
}

export async function putBucketPolicy(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  throw new GatewayError(
    'NotImplemented',
    'Bucket policies are not implemented by this gateway: access is decided by its SigV4 keys alone.',
  );
}

async function bucketMustExist(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
}
