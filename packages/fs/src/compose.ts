/**
 * Native compose on local files, in the store: every distinct source version is opened once and
 * checked against its pin (the record's ETag); its data file is immutable, so the bytes joined are
 * exactly the version checked, whatever writers do meanwhile. The pieces are copied chunk by chunk
 * into one temporary file (never more than two chunks in memory) that computes the new ETag, and
 * the result is published like any write: one rename under the key lock, destination conditions
 * re-checked. A failure or an abort removes the temporary file: nothing is left behind.
 */
import {
  type ComposeObjectRequest,
  type ComposeObjectResult,
  type ComposePieceRequest,
  type ErrorContext,
  type OperationContext,
  PartCopyError,
} from '@partcopy/core/provider';
import { copyRange, TempSink } from './data-sink.js';
import type { FsLayout } from './fs-layout.js';
import type { ObjectStore, PinnedObject } from './object-store.js';
import { storeSettings } from './records.js';

export interface ComposeDeps {
  layout: FsLayout;
  objects: ObjectStore;
}

/** Makes `request.key` the concatenation of the pieces. */
export async function composeObject(
  deps: ComposeDeps,
  request: ComposeObjectRequest,
  ctx: OperationContext,
): Promise<ComposeObjectResult> {
  const { bucket, key } = request;
  const context: ErrorContext = { bucket, key };
  await deps.layout.requireBucket(bucket);
  const opened = new Map<string, PinnedObject>();
  try {
    for (const piece of request.pieces) await openPiece(deps, opened, piece, context);
    const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
    await deps.objects.checkConditions(bucket, key, conditions);
    const total = request.pieces.reduce((sum, p) => sum + p.size, 0);
    const sink = await TempSink.create(deps.layout.tmpDir(bucket), { signal: ctx.signal, total });
    let data: Awaited<ReturnType<TempSink['finish']>>;
    try {
      for (const piece of request.pieces) {
        const pinned = opened.get(identity(piece)) as PinnedObject;
        await copyRange(pinned.handle, piece.range?.start ?? 0, piece.size, sink);
        ctx.onProgress?.(sink.size, total);
      }
      data = await sink.finish();
    } catch (error) {
      await sink.discard();
      throw error;
    }
    const state = await deps.objects.versioning(bucket);
    const published = await deps.objects.publish(
      bucket,
      key,
      { size: data.size, etag: data.etag, settings: storeSettings(request.settings) },
      { state, dataTemp: data.path, conditions, signal: ctx.signal },
    );
    return {
      etag: data.etag,
      ...(state === 'Enabled' ? { versionId: published.versionId } : {}),
      size: data.size,
      bytesServerSide: data.size,
      bytesClientStreamed: 0,
      requests: 1,
      groups: [
        {
          strategy: 'in-store',
          firstPiece: 0,
          pieces: request.pieces.length,
          bytes: data.size,
          transfer: 'server-side',
        },
      ],
    };
  } finally {
    for (const pinned of opened.values()) await pinned.handle.close().catch(() => undefined);
  }
}

async function openPiece(
  deps: ComposeDeps,
  opened: Map<string, PinnedObject>,
  piece: ComposePieceRequest,
  context: ErrorContext,
): Promise<void> {
  const id = identity(piece);
  if (opened.has(id)) return;
  const { bucket, key, versionId } = piece.source;
  await deps.layout.requireBucket(bucket);
  const state = await deps.objects.versioning(bucket);
  const pinned = await deps.objects.openPinned(bucket, key, versionId, state, 'copy-source');
  opened.set(id, pinned);
  if (pinned.record.etag !== piece.etag) {
    throw new PartCopyError('PreconditionFailed', `${bucket}/${key} changed since the compose was planned`, {
      ...context,
      sourceBucket: bucket,
      sourceKey: key,
    });
  }
}

function identity(piece: ComposePieceRequest): string {
  return JSON.stringify([piece.source.bucket, piece.source.key, piece.source.versionId ?? null]);
}
