/**
 * Discarding what an aborted compose session staged: the uncommitted blocks a resumable native
 * compose (compose.ts) put on the destination name, recognised by their ids (derived from the
 * session's key; other writers' blocks have other ids).
 *
 * Azure has no call that deletes an uncommitted block: a commit of the blob discards every one.
 * - The destination does not exist: commit an empty block list with If-None-Match `*` (so a blob
 *   another writer created meanwhile is never replaced), then delete that empty blob with If-Match
 *   its ETag (and the version the commit made, where the account keeps versions). For that moment
 *   an empty blob is visible at the name; the commit also discards other writers' uncommitted
 *   blocks of the name, as the compose's own commit would have.
 * - The destination exists: a commit would change its ETag and properties, which an abort must not;
 *   the blocks are left (counted, with the reason) until the next commit of the name or Azure's
 *   7-day clean-up.
 */
import {
  type DiscardComposeProgressRequest,
  type DiscardComposeProgressResult,
  type OperationContext,
  PartCopyError,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, blockBlob, contextOf, hasAzureCode } from './azure-runtime.js';
import { isResumableBlockId } from './block-ids.js';
import { assertUserKey } from './staging-names.js';

type Blob = ReturnType<typeof blockBlob>;

const EXISTING =
  'the destination exists: Azure drops uncommitted blocks only when the blob is committed again, which would change it; ' +
  'they go at the next commit of the key or after 7 days';
const RACED =
  'another writer created the destination meanwhile; its commit discards the blocks or Azure does after 7 days';

/** The provider's discardComposeProgress. */
export async function discardComposeProgress(
  rt: AzureRuntime,
  request: DiscardComposeProgressRequest,
  ctx: OperationContext,
): Promise<DiscardComposeProgressResult> {
  const context = contextOf('discardComposeProgress', { bucket: request.bucket, key: request.key });
  assertUserKey(request.key, context);
  const target = blockBlob(rt, request.bucket, request.key, context);
  const call = <T>(fn: () => Promise<T>) => azureCall(ctx.signal, context, fn);
  const ours = await stagedBlocks(target, request.resumeKey, ctx.signal, context);
  if (ours === 0) return { removed: 0, left: 0, requests: 1 };
  const exists = await call(() => target.exists({ abortSignal: ctx.signal }));
  if (exists) return { removed: 0, left: ours, leftReason: EXISTING, requests: 2 };
  if (request.dryRun) return { removed: ours, left: 0, requests: 2 };
  let committed: { etag?: string; versionId?: string };
  try {
    committed = await call(() =>
      target.commitBlockList([], { conditions: { ifNoneMatch: '*' }, abortSignal: ctx.signal }),
    );
  } catch (error) {
    if (!raced(error)) throw error;
    return { removed: 0, left: ours, leftReason: RACED, requests: 3 };
  }
  const requests = 4 + (await removeEmpty(target, committed, ctx.signal, context));
  return { removed: ours, left: 0, requests };
}

// The destination's uncommitted blocks this compose staged; none when nothing is staged at the name.
async function stagedBlocks(
  target: Blob,
  resumeKey: string,
  signal: AbortSignal,
  context: ReturnType<typeof contextOf>,
): Promise<number> {
  try {
    const list = await azureCall(signal, context, () =>
      target.getBlockList('uncommitted', { abortSignal: signal }),
    );
    return (list.uncommittedBlocks ?? []).filter((b) => isResumableBlockId(b.name, resumeKey)).length;
  } catch (error) {
    if (hasAzureCode(error, 'BlobNotFound') || PartCopyError.hasCode(error, 'NoSuchKey')) return 0;
    throw error;
  }
}

// Deletes the empty blob the commit made, only if it is still ours, and its version; returns the
// extra requests (the version's delete).
async function removeEmpty(
  target: Blob,
  committed: { etag?: string; versionId?: string },
  signal: AbortSignal,
  context: ReturnType<typeof contextOf>,
): Promise<number> {
  try {
    await azureCall(signal, context, () =>
      target.delete({ conditions: { ifMatch: committed.etag ?? '*' }, abortSignal: signal }),
    );
  } catch (error) {
    // Another writer replaced it meanwhile: that blob is theirs, and our blocks are gone anyway.
    if (!raced(error) && !hasAzureCode(error, 'BlobNotFound')) throw error;
    return 0;
  }
  if (committed.versionId === undefined) return 0;
  await azureCall(signal, context, () =>
    target.withVersion(committed.versionId as string).deleteIfExists({ abortSignal: signal }),
  );
  return 1;
}

function raced(error: unknown): boolean {
  return (
    hasAzureCode(error, 'BlobAlreadyExists') ||
    hasAzureCode(error, 'ConditionNotMet') ||
    PartCopyError.hasCode(error, 'PreconditionFailed')
  );
}
