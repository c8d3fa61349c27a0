/**
 * Presigned reads on GCS: a V4 signed URL (`File#getSignedUrl` of @google-cloud/storage, signed
 * with the client's service-account key, or through IAM signBlob) for one object, pinned to its
 * generation when one is given (the `generation` query parameter is part of what is signed), valid
 * for the caller's lifetime (at most 7 days, GCS's limit). The range is not signed: the fetching
 * server asks for it with a Range header. Credentials that cannot sign (user ADC without a key,
 * the emulator's anonymous client) fail with `Unsupported`, before anything is created by a
 * transfer. The URL carries the signature: returned to the caller, never put into a message.
 */
import {
  type OperationContext,
  PartCopyError,
  type PresignedRead,
  type PresignGetObjectRequest,
} from '@partcopy/core/provider';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import type { GcsRuntime } from './gcs-runtime.js';

/** GCS's longest V4 signed URL lifetime: 7 days. https://cloud.google.com/storage/docs/access-control/signed-urls */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;

export async function presignGetObject(
  rt: GcsRuntime,
  request: PresignGetObjectRequest,
  ctx: OperationContext,
): Promise<PresignedRead> {
  const context = {
    provider: GCS_PROVIDER_NAME,
    operation: 'getObject' as const,
    bucket: request.bucket,
    key: request.key,
  };
  if (ctx.signal.aborted) throw new PartCopyError('RequestAborted', 'the presign was aborted', context);
  if (request.expiresInSeconds > MAX_SIGNED_URL_SECONDS) {
    throw new PartCopyError(
      'InvalidArgument',
      `a GCS signed URL lives at most ${MAX_SIGNED_URL_SECONDS} seconds (7 days), asked ${request.expiresInSeconds}`,
      context,
    );
  }
  // A version id is a generation: decimal digits. Anything else names no version.
  if (request.versionId !== undefined && !/^\d+$/.test(request.versionId))
    throw new PartCopyError('NoSuchVersion', `${request.versionId} is not a GCS generation`, context);
  const expiresAt = new Date(Date.now() + request.expiresInSeconds * 1000);
  const file = rt.storage.bucket(request.bucket).file(request.key);
  try {
    const [url] = await file.getSignedUrl({
      version: 'v4',
      action: 'read',
      expires: expiresAt,
      ...(request.versionId === undefined ? {} : { queryParams: { generation: request.versionId } }),
    });
    return {
      url,
      expiresAt,
      ...(request.versionId === undefined ? {} : { pinnedVersion: request.versionId }),
    };
  } catch (cause) {
    // The library's message names the missing credential, never a key: safe to quote (redacted anyway).
    throw new PartCopyError(
      'Unsupported',
      `GCS cannot sign a read URL with these credentials (a service-account key or IAM signBlob is needed): ${(cause as Error).message}`,
      { ...context, cause },
    );
  }
}
