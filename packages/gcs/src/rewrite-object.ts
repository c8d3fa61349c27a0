/**
 * objects.rewrite to completion: GCS copies on the server in rounds, each answer carrying a
 * `rewriteToken` to continue with (large objects, or another location or storage class). The
 * source is pinned to one generation and metageneration on every round.
 */
import { PartCopyError } from '@partcopy/core/provider';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { GcsHttpError, objectPath } from './gcs-json-api.js';
import type { GcsObject, GcsObjectSettings } from './gcs-object-resource.js';
import type { GcsObjectStore } from './gcs-object-store.js';

interface RewriteResponse {
  done: boolean;
  rewriteToken?: string;
  totalBytesRewritten?: string;
  objectSize?: string;
  resource?: GcsObject;
}

export interface Rewrite {
  source: GcsObject;
  bucket: string;
  name: string;
  /** The destination's resource: its settings and metadata. */
  resource: GcsObjectSettings;
  /** Destination precondition (`0`: must not exist); absent for none. */
  ifGenerationMatch?: string | undefined;
  headers: Record<string, string>;
  signal: AbortSignal;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** A token of an interrupted rewrite of the same source and destination, to continue it. */
  resumeToken?: string | undefined;
  /** Receives the token after each unfinished round (kept by the caller to resume). */
  onToken?: ((token: string) => void) | undefined;
}

/**
 * Runs objects.rewrite until done; returns the new object. A resumed token GCS refuses (400: it
 * expired, or it belongs to another source generation or settings) starts the rewrite over.
 */
export async function rewriteObject(store: GcsObjectStore, rewrite: Rewrite): Promise<GcsObject> {
  if (rewrite.resumeToken === undefined) return rewriteRounds(store, rewrite, undefined);
  try {
    return await rewriteRounds(store, rewrite, rewrite.resumeToken);
  } catch (error) {
    if (!(error instanceof GcsHttpError) || error.status !== 400 || rewrite.signal.aborted) throw error;
    return rewriteRounds(store, rewrite, undefined);
  }
}

async function rewriteRounds(
  store: GcsObjectStore,
  rewrite: Rewrite,
  resumeToken: string | undefined,
): Promise<GcsObject> {
  const { source } = rewrite;
  const path = `${objectPath(source.bucket, source.name)}/rewriteTo${objectPath(rewrite.bucket, rewrite.name)}`;
  const size = Number(source.size);
  let token = resumeToken;
  for (;;) {
    const answer = await store.api.json<RewriteResponse>('POST', path, {
      query: {
        sourceGeneration: source.generation,
        ifSourceGenerationMatch: source.generation,
        ifSourceMetagenerationMatch: source.metageneration,
        ifGenerationMatch: rewrite.ifGenerationMatch,
        rewriteToken: token,
        projection: 'noAcl',
      },
      headers: rewrite.headers,
      json: rewrite.resource,
      signal: rewrite.signal,
      // Pinned to a source generation; with a destination precondition a repeat cannot write twice,
      // without one it writes the same bytes again.
      idempotent: true,
    });
    rewrite.onProgress?.(Number(answer.totalBytesRewritten ?? 0), size);
    if (answer.done && answer.resource) return answer.resource;
    // An answer that is neither finished nor continuable would restart the copy forever.
    if (answer.done || !answer.rewriteToken) {
      throw new PartCopyError(
        'InternalError',
        `GCS answered a rewrite with done=${answer.done} and ${answer.resource ? 'a' : 'no'} resource and ${answer.rewriteToken ? 'a' : 'no'} rewrite token`,
        { provider: GCS_PROVIDER_NAME, retryable: true },
      );
    }
    token = answer.rewriteToken;
    rewrite.onToken?.(token);
  }
}
