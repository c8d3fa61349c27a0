/**
 * The GCS provider's own leftovers under the staging prefix, for garbage collection: staging
 * objects (parts, compose intermediates) of an upload whose manifest is gone (a clean-up that
 * died half-way), and manifests that name no readable upload. Both are invisible to
 * `listMultipartUploads`, so no abort could ever reach them. Whatever belongs to an upload that
 * is still listed stays: aborting the upload removes it. Native compose folders
 * (`<prefix>compose/<attempt>/`) are garbage once old: a compose deletes its own when it ends, so
 * what stays is a crashed compose's, or an aborted or long-abandoned compose session's (a session
 * resumed after the collection writes those objects again).
 */
import {
  type OperationContext,
  PartCopyError,
  type StoreGarbageItem,
  type StoreGarbageRequest,
  type StoreGarbageResult,
} from '@partcopy/core/provider';
import { toPartCopyError } from './gcs-error-map.js';
import type { GcsObject } from './gcs-object-resource.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';

export async function collectStagingGarbage(
  rt: GcsRuntime,
  request: StoreGarbageRequest,
  ctx: OperationContext,
): Promise<StoreGarbageResult> {
  const context = { bucket: request.bucket };
  return runGcs('collectStoreGarbage', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
    const live = new Set((await rt.manifests.list(request.bucket, ctx.signal)).map((m) => m.uploadId));
    const objects = await rt.store.listAll(request.bucket, rt.names.prefix, ctx.signal);
    const garbage = objects
      .map((object) => ({ object, kind: kindOf(rt, object.name, live) }))
      .filter(
        (entry): entry is { object: GcsObject; kind: string } =>
          entry.kind !== undefined && new Date(entry.object.updated) < request.olderThan,
      );
    if (!request.dryRun) {
      const failures = await rt.store.deleteAll(
        request.bucket,
        garbage.map((g) => g.object),
        ctx.signal,
      );
      if (failures.length > 0) throw deletionFailed(failures, garbage.length, context);
    }
    return { items: garbage.map(({ object, kind }) => itemOf(object, kind)) };
  });
}

/** Why a name under the prefix is garbage, or undefined when it is not (or is not ours). */
function kindOf(rt: GcsRuntime, name: string, live: ReadonlySet<string>): string | undefined {
  const { names } = rt;
  if (name.startsWith(names.manifestsPrefix)) {
    return live.has(name.slice(names.manifestsPrefix.length)) ? undefined : 'unreadable-manifest';
  }
  if (name.startsWith(`${names.prefix}compose/`)) return 'compose-staging';
  const uploads = `${names.prefix}uploads/`;
  if (!name.startsWith(uploads)) return undefined;
  const uploadId = name.slice(uploads.length).split('/')[0] ?? '';
  return live.has(uploadId) ? undefined : 'staging-object';
}

function itemOf(object: GcsObject, kind: string): StoreGarbageItem {
  const bytes = Number(object.size);
  return {
    kind,
    name: object.name,
    lastModified: new Date(object.updated),
    ...(Number.isSafeInteger(bytes) ? { bytes } : {}),
  };
}

function deletionFailed(failures: unknown[], total: number, context: { bucket: string }): PartCopyError {
  const first = toPartCopyError(failures[0], { operation: 'collectStoreGarbage', ...context });
  const reason =
    first.code === 'InvalidObjectState'
      ? 'a retention policy or object hold on the bucket blocks their deletion'
      : `${first.code}: ${first.message}`;
  return new PartCopyError(
    first.code,
    `${failures.length} of ${total} staging leftover(s) could not be deleted (${reason}); run the collection again once that is resolved`,
    { ...context, cause: failures[0], status: first.status, retryable: first.retryable },
  );
}
