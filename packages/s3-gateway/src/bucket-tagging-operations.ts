/**
 * Bucket tags: the store contract has none, so a bucket has no tag set, as S3 answers a bucket
 * without one: GetBucketTagging is NoSuchTagSet, DeleteBucketTagging succeeds. PutBucketTagging
 * is NotImplemented (there is nowhere to keep the tags).
 */
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { sendEmpty } from './xml-response.js';

export async function getBucketTagging(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  throw new GatewayError('NoSuchTagSet', 'The TagSet does not exist', { BucketName: bucketOf(request) });
}

export async function deleteBucketTagging(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  sendEmpty(request, 204);
}

export async function putBucketTagging(request: GatewayRequest): Promise<void> {
  await bucketMustExist(request);
  throw new GatewayError(
    'NotImplemented',
    'Bucket tags are not implemented by this gateway: the store keeps none.',
  );
}

async function bucketMustExist(request: GatewayRequest): Promise<void> {
  await request.client.listObjects({ bucket: bucketOf(request), maxKeys: 1, abortSignal: request.signal });
}
