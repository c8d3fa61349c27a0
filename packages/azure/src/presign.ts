/**
 * Presigned reads on Azure: a service SAS minted for one blob (and version), read-only (`sp=r`),
 * expiring after the caller's lifetime, HTTPS-only when the endpoint is HTTPS. Any server (another
 * Azure account's Put Block From URL, or any HTTP client) can read the blob with it. Only a shared
 * key can mint one: other credentials get `Unsupported` (`capabilities.presignedReads` is false).
 * The URL carries the SAS: it is returned to the caller and never put into a message.
 */
import {
  type OperationContext,
  type PresignedRead,
  type PresignGetObjectRequest,
  unsupported,
} from '@partcopy/core/provider';
import { type AzureRuntime, azureCall, blockBlob, contextOf } from './azure-runtime.js';
import { sourceAccess } from './source-authorization.js';

export async function presignGetObject(
  rt: AzureRuntime,
  request: PresignGetObjectRequest,
  ctx: OperationContext,
): Promise<PresignedRead> {
  const context = contextOf('getObject', {
    bucket: request.bucket,
    key: request.key,
  });
  if (rt.sourceAuth !== 'shared-key') {
    throw unsupported(
      'presigned reads without a shared key (a SAS can only be minted with the account key)',
      context,
    );
  }
  const blob = blockBlob(rt, request.bucket, request.key, context);
  const lifetimeMs = request.expiresInSeconds * 1000;
  const issued = Date.now();
  const access = await azureCall(ctx.signal, context, () =>
    sourceAccess(
      request.versionId === undefined ? blob : blob.withVersion(request.versionId),
      request.versionId,
      {
        mode: 'shared-key',
        credential: rt.credential,
        sasLifetimeMs: lifetimeMs,
        audience: rt.options.audience,
        signal: ctx.signal,
        now: () => new Date(issued),
      },
    ),
  );
  return {
    url: access.url,
    expiresAt: new Date(issued + lifetimeMs),
    ...(request.versionId === undefined ? {} : { pinnedVersion: request.versionId }),
  };
}
