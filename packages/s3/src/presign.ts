/**
 * Presigned reads on S3: a SigV4 query-signed GetObject URL (@aws-sdk/s3-request-presigner) for
 * one object (one version, when given), valid for the caller's lifetime (at most 7 days, S3's
 * limit). The range is not signed: the server that fetches asks for its range with a `Range`
 * header, which a signed range would have to match byte for byte. The presigner is an optional
 * peer dependency, loaded on first use with a clear error when it is missing. The URL carries the
 * signature: it is returned to the caller and never put into a message.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  type OperationContext,
  PartCopyError,
  type PresignedRead,
  type PresignGetObjectRequest,
  throwIfAborted,
} from '@partcopy/core/provider';
import { compact } from './s3-fields.js';
import { contextOf, type S3Runtime } from './s3-runtime.js';

/** S3's longest presigned URL lifetime (SigV4): 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

type Presigner = typeof import('@aws-sdk/s3-request-presigner');

let presigner: Promise<Presigner> | undefined;

export async function presignGetObject(
  rt: S3Runtime,
  request: PresignGetObjectRequest,
  ctx: OperationContext,
): Promise<PresignedRead> {
  const context = contextOf(rt, 'getObject', { bucket: request.bucket, key: request.key });
  throwIfAborted(ctx.signal, context);
  if (request.expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new PartCopyError(
      'InvalidArgument',
      `a presigned S3 URL lives at most ${MAX_PRESIGN_SECONDS} seconds (7 days), asked ${request.expiresInSeconds}`,
      context,
    );
  }
  const { getSignedUrl } = await loadPresigner(context);
  const issued = Date.now();
  const command = new GetObjectCommand(
    compact({ Bucket: request.bucket, Key: request.key, VersionId: request.versionId }),
  );
  const url = await getSignedUrl(rt.client, command, { expiresIn: request.expiresInSeconds });
  return {
    url,
    expiresAt: new Date(issued + request.expiresInSeconds * 1000),
    ...(request.versionId === undefined ? {} : { pinnedVersion: request.versionId }),
  };
}

function loadPresigner(context: ReturnType<typeof contextOf>): Promise<Presigner> {
  presigner ??= import('@aws-sdk/s3-request-presigner').catch((cause: unknown) => {
    presigner = undefined;
    throw new PartCopyError(
      'Unsupported',
      'presigned reads need the optional package @aws-sdk/s3-request-presigner: install it beside @aws-sdk/client-s3',
      { ...context, cause },
    );
  });
  return presigner;
}
