/**
 * Buckets are containers, listed with List Containers. Azure deletes a container with everything in it, so S3's
 * `BucketNotEmpty` is checked first; in-progress uploads (staging blobs) do not count and are
 * discarded with the container, as the contract allows.
 */
import {
  type CreateBucketRequest,
  type DeleteBucketRequest,
  type ListBucketsResult,
  type OperationContext,
  PartCopyError,
  unsupported,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, contextOf } from './azure-runtime.js';
import { isReservedKey } from './staging-names.js';

export async function createBucket(
  rt: AzureRuntime,
  request: CreateBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = contextOf('createBucket', { bucket: request.bucket });
  if (request.versioning)
    throw unsupported('versioned buckets (blob versioning is an account setting)', context);
  await azureCall(ctx.signal, context, () =>
    rt.service.getContainerClient(request.bucket).create({ abortSignal: ctx.signal }),
  );
}

/** Every container of the account; Azure records no creation time, so its Last-Modified stands in. */
export async function listBuckets(rt: AzureRuntime, ctx: OperationContext): Promise<ListBucketsResult> {
  const context = contextOf('listBuckets', {});
  return azureCall(ctx.signal, context, async () => {
    const buckets: ListBucketsResult['buckets'] = [];
    for await (const item of rt.service.listContainers({ abortSignal: ctx.signal })) {
      buckets.push({ name: item.name, creationDate: item.properties.lastModified });
    }
    return { buckets };
  });
}

export async function deleteBucket(
  rt: AzureRuntime,
  request: DeleteBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = contextOf('deleteBucket', { bucket: request.bucket });
  const container = rt.service.getContainerClient(request.bucket);
  const holdsObjects = await azureCall(ctx.signal, context, async () => {
    for await (const item of container.listBlobsFlat({ abortSignal: ctx.signal })) {
      if (!isReservedKey(item.name)) return true;
    }
    return false;
  });
  if (holdsObjects)
    throw new PartCopyError('BucketNotEmpty', 'The bucket you tried to delete is not empty', context);
  await azureCall(ctx.signal, context, () => container.delete({ abortSignal: ctx.signal }));
}
