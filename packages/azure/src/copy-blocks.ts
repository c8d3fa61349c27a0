/**
 * Put Block From URL of byte ranges of one source blob into blocks of a target blob: the one
 * server-side copy loop of the provider, used by uploadPartCopy (source → staging blob) and by
 * completion (staging blob → destination). Every block is pinned with `x-ms-source-if-match` to
 * the ETag the caller decided on, so a source replaced meanwhile fails with 412 instead of mixing
 * two versions; blocks run `copyConcurrency` at a time and the first failure stops the others.
 */
import type { BlobClient, BlockBlobClient } from '@azure/storage-blob';
import { type ErrorContext, mapWithConcurrency, type OperationContext } from '@partcopy/core/provider';
import { type AzureRuntime, azureCall } from './azure-runtime.js';
import { sourceAccess } from './source-authorization.js';
import { withSourceConditions } from './source-conditions-policy.js';

export interface BlockCopy {
  /** The blob whose uncommitted blocks are written. */
  target: BlockBlobClient;
  /** The blob read (a version client when `versionId` is set). */
  source: BlobClient;
  versionId?: string | undefined;
  /** The source ETag every block is pinned to. */
  sourceEtag: string;
  /** Source byte ranges, one per block, and the block id of each. */
  pieces: ReadonlyArray<{ offset: number; count: number }>;
  ids: readonly string[];
  /** The MD5 of each piece where known: the store then checks the bytes it copied. */
  md5s?: ReadonlyArray<Uint8Array> | undefined;
  /** Total bytes, for progress. */
  total: number;
}

/** Copies every piece of `copy` on the server; progress is reported as blocks finish. */
export async function copyBlocksFromUrl(
  rt: AzureRuntime,
  copy: BlockCopy,
  ctx: OperationContext,
  context: ErrorContext,
): Promise<void> {
  const access = await azureCall(ctx.signal, context, () =>
    sourceAccess(copy.source, copy.versionId, {
      mode: rt.sourceAuth,
      credential: rt.credential,
      sasLifetimeMs: rt.options.sourceSasLifetimeMs,
      audience: rt.options.audience,
      signal: ctx.signal,
    }),
  );
  let done = 0;
  await mapWithConcurrency(
    copy.pieces,
    rt.options.copyConcurrency,
    async (piece, index, signal) => {
      await azureCall(signal, context, () =>
        withSourceConditions({ 'x-ms-source-if-match': copy.sourceEtag }, () =>
          copy.target.stageBlockFromURL(copy.ids[index] as string, access.url, piece.offset, piece.count, {
            abortSignal: signal,
            sourceAuthorization: access.authorization,
            ...(copy.md5s === undefined ? {} : { sourceContentMD5: copy.md5s[index] }),
          }),
        ),
      );
      done += piece.count;
      ctx.onProgress?.(done, copy.total);
    },
    ctx.signal,
  );
}
