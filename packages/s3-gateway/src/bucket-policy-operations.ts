/**
 * Bucket policies: the gateway enforces none (its only rule is the SigV4 keys it is given), so a
 * bucket has no policy, as S3 answers a bucket without one: GetBucketPolicy is
 * NoSuchBucketPolicy, GetBucketPolicyStatus says not public, DeleteBucketPolicy succeeds. Storing
 * a policy it would not enforce would mislead, so PutBucketPolicy is NotImplemented.
 */
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { sendEmpty, sendXml } from './xml-response.js';

export async function getBucketPolicy(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  throw new GatewayError('NoSuchBucketPolicy', 'The bucket policy does not exist', {
    BucketName: bucketOf(request),
  });
}

export async function getBucketPolicyStatus(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  sendXml(request, 'PolicyStatus', { IsPublic: 'false' });
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
