/**
 * Native compose on Azure: every piece is staged into uncommitted blocks of the destination blob
 * with Put Block From URL (no minimum block size, so zero payload bytes pass through this process
 * for any piece sizes), pieces over `maxCopyBlockSize` split into several blocks, each block
 * pinned with `x-ms-source-if-match` to the piece's ETag; then one Put Block List with the
 * destination conditions publishes the whole result at once (readers see the old blob or the new).
 *
 * The block list is checked against Azure's limit (50,000 committed blocks) before anything is
 * staged. A compose that fails or is aborted before the commit leaves uncommitted blocks on the
 * destination name: invisible to readers and listings, discarded at the next commit of that name
 * or by Azure after a week (the same as a failed whole-object copy); nothing else is created.
 *
 * With a `resumeKey` (a compose session) the block ids derive from the key, and those blocks are
 * the compose's progress: the call lists the destination's uncommitted blocks first and stages
 * only the blocks missing (or of another size), so a compose killed mid-staging and resumed stages
 * no block twice, then commits with the destination conditions as usual.
 */
import {
  type ComposeObjectRequest,
  type ComposeObjectResult,
  type ComposePieceRequest,
  mapWithConcurrency,
  type OperationContext,
  PartCopyError,
  quoteEtag,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, blockBlob, contextOf, hasAzureCode } from './azure-runtime.js';
import { destinationBlockIds, resumableBlockIds } from './block-ids.js';
import { copyBlocksFromUrl } from './copy-blocks.js';
import { storableSettings, writeOptions } from './object-settings.js';
import { splitRange } from './part-list.js';
import { assertUserKey } from './staging-names.js';
import { azureWriteConditions, checkWriteConditions, publicationError } from './write-conditions.js';

/** Most blocks a committed block blob may have. https://learn.microsoft.com/rest/api/storageservices/put-block-list */
export const MAX_COMMITTED_BLOCKS = 50_000;

interface Staged {
  piece: ComposePieceRequest;
  blocks: Array<{ offset: number; count: number }>;
  ids: string[];
}

/** The provider's composeObject. */
export async function composeObject(
  rt: AzureRuntime,
  request: ComposeObjectRequest,
  ctx: OperationContext,
): Promise<ComposeObjectResult> {
  const context = contextOf('composeObject', { bucket: request.bucket, key: request.key });
  assertUserKey(request.key, context);
  const staged = blockPlan(rt, request);
  const blockCount = staged.reduce((sum, s) => sum + s.ids.length, 0);
  if (blockCount > MAX_COMMITTED_BLOCKS) {
    throw new PartCopyError(
      'InvalidArgument',
      `the compose needs ${blockCount} blocks; an Azure block blob holds at most ${MAX_COMMITTED_BLOCKS} (raise maxCopyBlockSize or join fewer pieces)`,
      context,
    );
  }
  const target = blockBlob(rt, request.bucket, request.key, context);
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  await checkWriteConditions(target, conditions, ctx.signal, context);
  const settings = storableSettings(request.settings, context);
  const total = request.pieces.reduce((sum, p) => sum + p.size, 0);
  const already =
    request.resumeKey === undefined
      ? new Map<string, number>()
      : await uncommittedBlocks(target, ctx, context);
  const missing = missingBlocks(staged, already);
  const reused = blockCount - missing.reduce((sum, s) => sum + s.ids.length, 0);
  let done = total - missing.reduce((sum, s) => sum + s.blocks.reduce((n, b) => n + b.count, 0), 0);
  ctx.onProgress?.(done, total);
  await mapWithConcurrency(
    missing,
    rt.options.copyConcurrency,
    async (s, _index, signal) => {
      const sourceContext = {
        ...context,
        sourceBucket: s.piece.source.bucket,
        sourceKey: s.piece.source.key,
      };
      const blob = blockBlob(rt, s.piece.source.bucket, s.piece.source.key, sourceContext);
      const { versionId } = s.piece.source;
      let reported = 0;
      await copyBlocksFromUrl(
        rt,
        {
          target,
          source: versionId === undefined ? blob : blob.withVersion(versionId),
          versionId,
          sourceEtag: s.piece.etag,
          pieces: s.blocks,
          ids: s.ids,
          total: s.piece.size,
        },
        {
          signal,
          onProgress: (bytes) => {
            done += bytes - reported;
            reported = bytes;
            ctx.onProgress?.(done, total);
          },
        },
        sourceContext,
      );
    },
    ctx.signal,
  );
  const conditional = request.ifMatch !== undefined || request.ifNoneMatch !== undefined;
  const committed = await commit(target, staged, settings, conditions, ctx, context);
  const putBlockFromUrl = blockCount - reused;
  const listed = request.resumeKey === undefined ? 0 : 1;
  return {
    etag: quoteEtag(committed.etag ?? ''),
    ...(committed.versionId === undefined ? {} : { versionId: committed.versionId }),
    size: total,
    bytesServerSide: total,
    bytesClientStreamed: 0,
    // Put Block From URL per block and one Put Block List, plus the destination read that decides
    // If-Match / If-None-Match up front (source access is signed here, or by a cached bearer token).
    requests: putBlockFromUrl + 1 + listed + (conditional ? 1 : 0),
    requestsByKind: {
      putBlockFromUrl,
      putBlockList: 1,
      ...(listed ? { getBlockList: listed } : {}),
      ...(conditional ? { getProperties: 1 } : {}),
    },
    ...(request.resumeKey === undefined ? {} : { stagedReused: reused }),
    groups: [
      {
        strategy: 'put-block-from-url',
        firstPiece: 0,
        pieces: request.pieces.length,
        bytes: total,
        transfer: 'server-side',
      },
    ],
  };
}

/** Blocks per piece (split at `maxCopyBlockSize`) and their ids, in the result's order. */
function blockPlan(rt: AzureRuntime, request: ComposeObjectRequest): Staged[] {
  const staged = request.pieces.map((piece) => ({
    piece,
    blocks: splitRange(piece.range?.start ?? 0, piece.size, rt.options.maxCopyBlockSize),
    ids: [] as string[],
  }));
  const count = staged.reduce((sum, s) => sum + s.blocks.length, 0);
  const ids =
    request.resumeKey === undefined
      ? destinationBlockIds(count)
      : resumableBlockIds(count, request.resumeKey);
  let next = 0;
  for (const s of staged) {
    s.ids = ids.slice(next, next + s.blocks.length);
    next += s.blocks.length;
  }
  return staged;
}

// The destination's uncommitted blocks by id, with their sizes; none when the blob does not exist.
async function uncommittedBlocks(
  target: ReturnType<typeof blockBlob>,
  ctx: OperationContext,
  context: ReturnType<typeof contextOf>,
): Promise<Map<string, number>> {
  try {
    const list = await azureCall(ctx.signal, context, () =>
      target.getBlockList('uncommitted', { abortSignal: ctx.signal }),
    );
    return new Map((list.uncommittedBlocks ?? []).map((b) => [b.name, b.size]));
  } catch (error) {
    if (hasAzureCode(error, 'BlobNotFound') || PartCopyError.hasCode(error, 'NoSuchKey')) return new Map();
    throw error;
  }
}

// Each piece with only the blocks not already staged at their size; pieces left with none drop out.
function missingBlocks(staged: readonly Staged[], already: ReadonlyMap<string, number>): Staged[] {
  if (already.size === 0) return [...staged];
  return staged
    .map((s) => {
      const keep = s.ids.map((id, i) => already.get(id) !== s.blocks[i]?.count);
      return {
        piece: s.piece,
        blocks: s.blocks.filter((_, i) => keep[i]),
        ids: s.ids.filter((_, i) => keep[i]),
      };
    })
    .filter((s) => s.ids.length > 0);
}

async function commit(
  target: ReturnType<typeof blockBlob>,
  staged: readonly Staged[],
  settings: ReturnType<typeof storableSettings>,
  conditions: { ifMatch?: string | undefined; ifNoneMatch?: string | undefined },
  ctx: OperationContext,
  context: ReturnType<typeof contextOf>,
) {
  try {
    return await azureCall(ctx.signal, context, () =>
      target.commitBlockList(
        staged.flatMap((s) => s.ids),
        {
          ...writeOptions(settings, context),
          conditions: azureWriteConditions(conditions),
          abortSignal: ctx.signal,
        },
      ),
    );
  } catch (error) {
    // Another writer committed the key meanwhile, which discards uncommitted blocks: S3's race.
    if (hasAzureCode(error, 'InvalidBlockList')) {
      throw new PartCopyError(
        'ConditionalRequestConflict',
        'another writer committed the destination key during the compose; retry',
        { ...context, retryable: true, cause: error },
      );
    }
    throw publicationError(error, conditions, context);
  }
}
