/**
 * Buckets: create (versioned on request, in the client's project), list (the project's), and delete, which refuses a
 * bucket holding user objects and discards in-progress uploads' staging objects first, as the
 * contract allows.
 */
import {
  type CreateBucketRequest,
  type DeleteBucketRequest,
  type ListBucketsResult,
  type OperationContext,
  PartCopyError,
} from '@partcopy/core/provider';
import { bucketPath } from './gcs-json-api.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';

export async function createBucket(
  rt: GcsRuntime,
  request: CreateBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  await runGcs(
    'createBucket',
    { bucket: request.bucket },
    ctx,
    { conflict: 'BucketAlreadyExists' },
    async () => {
      const project = await projectId(rt);
      await rt.api.json('POST', '/b', {
        query: { project },
        json: { name: request.bucket, ...(request.versioning ? { versioning: { enabled: true } } : {}) },
        signal: ctx.signal,
      });
      rt.versioning.remember(request.bucket, request.versioning === true);
    },
  );
}

/** Deletes the bucket when it holds no objects; in-progress uploads' staging objects are discarded. */
export async function deleteBucket(
  rt: GcsRuntime,
  request: DeleteBucketRequest,
  ctx: OperationContext,
): Promise<void> {
  const context = { bucket: request.bucket };
  await runGcs(
    'deleteBucket',
    context,
    ctx,
    { notFound: 'NoSuchBucket', conflict: 'BucketNotEmpty' },
    async () => {
      const all = await rt.store.listAll(request.bucket, '', ctx.signal, { versions: true });
      if (all.some((object) => !rt.names.isReserved(object.name))) {
        throw new PartCopyError('BucketNotEmpty', 'The bucket you tried to delete is not empty', context);
      }
      const failures = await rt.store.deleteAll(request.bucket, all, ctx.signal);
      if (failures.length > 0) throw failures[0];
      await rt.api.json('DELETE', bucketPath(request.bucket), {
        signal: ctx.signal,
        idempotent: true,
      });
      rt.versioning.forget(request.bucket);
    },
  );
}

/** Every bucket of the client's project, page after page. */
export async function listBuckets(rt: GcsRuntime, ctx: OperationContext): Promise<ListBucketsResult> {
  return runGcs('listBuckets', {}, ctx, {}, async () => {
    const project = await projectId(rt);
    const buckets: ListBucketsResult['buckets'] = [];
    let pageToken: string | undefined;
    do {
      const page = await rt.api.json<BucketPage>('GET', '/b', {
        query: { project, pageToken },
        signal: ctx.signal,
        idempotent: true,
      });
      for (const item of page.items ?? []) {
        buckets.push({
          name: item.name,
          ...(item.timeCreated ? { creationDate: new Date(item.timeCreated) } : {}),
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return { buckets };
  });
}

interface BucketPage {
  items?: Array<{ name: string; timeCreated?: string }>;
  nextPageToken?: string;
}

async function projectId(rt: GcsRuntime): Promise<string> {
  const storage = rt.storage;
  if (storage.projectId && storage.projectId !== '{{projectId}}') return storage.projectId;
  return storage.getProjectId();
}
