/**
 * Discarding what an aborted compose session staged: the folder of its resumable native compose
 * (`<prefix>compose/<attempt>/`, the attempt derived from the session's key: compose.ts), every
 * staging object and intermediate composite in it, every generation. The destination is never
 * touched: a compose writes it only with its final call.
 */
import type {
  DiscardComposeProgressRequest,
  DiscardComposeProgressResult,
  OperationContext,
} from '@partcopy/core/provider';
import { PartCopyError } from '@partcopy/core/provider';
import { composeStagingPrefix, resumableAttempt } from './compose.js';
import { toPartCopyError } from './gcs-error-map.js';
import { type GcsRuntime, runGcs } from './gcs-runtime.js';

/** The provider's discardComposeProgress. */
export async function discardComposeProgress(
  rt: GcsRuntime,
  request: DiscardComposeProgressRequest,
  ctx: OperationContext,
): Promise<DiscardComposeProgressResult> {
  const context = { bucket: request.bucket, key: request.key };
  return runGcs('discardComposeProgress', context, ctx, { notFound: 'NoSuchBucket' }, async () => {
    const folder = `${composeStagingPrefix(rt, resumableAttempt(request.resumeKey))}/`;
    const staged = await rt.store.listAll(request.bucket, folder, ctx.signal, { versions: true });
    if (request.dryRun || staged.length === 0) return { removed: staged.length, left: 0, requests: 1 };
    const failures = await rt.store.deleteAll(request.bucket, staged, ctx.signal);
    if (failures.length > 0) {
      const mapped = toPartCopyError(failures[0], { operation: 'discardComposeProgress', ...context });
      throw new PartCopyError(
        mapped.code,
        `${failures.length} of ${staged.length} staged object(s) under ${folder} could not be deleted (${mapped.code}); abort the session again once that is resolved`,
        { ...context, operation: 'discardComposeProgress', cause: failures[0], retryable: mapped.retryable },
      );
    }
    return { removed: staged.length, left: 0, requests: 1 + staged.length };
  });
}
