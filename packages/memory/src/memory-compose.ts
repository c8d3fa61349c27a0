/**
 * Native compose in the store: every piece is resolved and checked against its pin in one
 * synchronous step (stored byte arrays are immutable, so the versions checked are exactly the
 * bytes joined, whatever writes the sources meanwhile); the bytes are joined in bounded steps; the
 * destination conditions are checked again and the object published in one synchronous step.
 * Nothing but the result is ever created, so a failure leaves nothing behind.
 */
import type {
  ComposeObjectRequest,
  ComposeObjectResult,
  ErrorContext,
  OperationContext,
} from '@partcopy/core/provider';
import { contentEtag, PartCopyError } from '@partcopy/core/provider';
import { concatenate } from './memory-bytes.js';
import { type MemoryEnv, operationContext } from './memory-env.js';
import { checkAborted } from './memory-errors.js';
import { copySettings } from './memory-settings.js';
import {
  nextVersionId,
  publishVersion,
  requireBucket,
  resolveObject,
  writtenVersionId,
} from './memory-versions.js';
import { checkWriteConditions } from './memory-write-conditions.js';

/** Makes `request.key` the concatenation of the pieces. */
export async function composeObject(
  env: MemoryEnv,
  request: ComposeObjectRequest,
  ctx: OperationContext,
): Promise<ComposeObjectResult> {
  const context: ErrorContext = operationContext('composeObject', {
    bucket: request.bucket,
    key: request.key,
  });
  checkAborted(ctx.signal, context);
  const destination = requireBucket(env.store, request.bucket, context);
  const views = request.pieces.map((piece) => {
    const pieceContext = { ...context, sourceBucket: piece.source.bucket, sourceKey: piece.source.key };
    const bucket = requireBucket(env.store, piece.source.bucket, pieceContext);
    const stored = resolveObject(
      bucket,
      piece.source.key,
      piece.source.versionId,
      'copy-source',
      pieceContext,
    );
    if (stored.etag !== piece.etag) {
      throw new PartCopyError(
        'PreconditionFailed',
        `${piece.source.bucket}/${piece.source.key} changed since the compose was planned`,
        pieceContext,
      );
    }
    const start = piece.range?.start ?? 0;
    return stored.data.subarray(start, start + piece.size);
  });
  const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
  checkWriteConditions(destination, request.key, conditions, 'before', context);
  const data = await concatenate(views, ctx.signal, context);
  checkWriteConditions(destination, request.key, conditions, 'publish', context);
  const object = {
    kind: 'object' as const,
    versionId: nextVersionId(env.store, destination),
    data,
    etag: contentEtag(data, undefined),
    lastModified: env.store.now(),
    settings: copySettings(request.settings),
    checksums: {},
  };
  publishVersion(destination, request.key, object);
  ctx.onProgress?.(data.length, data.length);
  const versionId = writtenVersionId(destination, object);
  return {
    etag: object.etag,
    ...(versionId === undefined ? {} : { versionId }),
    size: data.length,
    bytesServerSide: data.length,
    bytesClientStreamed: 0,
    requests: 1,
    groups: [
      {
        strategy: 'in-store',
        firstPiece: 0,
        pieces: request.pieces.length,
        bytes: data.length,
        transfer: 'server-side',
      },
    ],
  };
}
