/**
 * How Put Block From URL is allowed to read a copy source:
 * - shared key: a SAS minted per source, read-only (`sp=r`), scoped to the one blob (`sr=b`,
 *   or `sr=bv` with the version id when a version is copied), expiring after the configured
 *   lifetime, HTTPS-only when the endpoint is HTTPS;
 * - TokenCredential: the source URL without a SAS and `x-ms-copy-source-authorization: Bearer`;
 * - a client URL that already carries a SAS: the source URL inherits it and is used as it is;
 * - anonymous: the plain URL (works for public containers only).
 * The URLs returned here contain secrets: they go into request headers only, never into
 * messages (errors pass through `redactSecrets`).
 */
import {
  type BlobClient,
  BlobSASPermissions,
  generateBlobSASQueryParameters,
  type HttpAuthorization,
  SASProtocol,
  type StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { PartCopyError } from '@partcopy/core/provider';
import type { SourceAuthMode, TokenCredential } from './azure-config.js';

/** What a copy request needs to read its source. */
export interface SourceAccess {
  url: string;
  authorization?: HttpAuthorization;
}

export interface SourceAccessContext {
  mode: SourceAuthMode;
  credential: unknown;
  sasLifetimeMs: number;
  audience: string | string[];
  signal: AbortSignal;
  /** Clock, for tests. */
  now?: () => Date;
}

/** The URL (and authorisation) for reading `blob`, which may be a version client. */
export async function sourceAccess(
  blob: BlobClient,
  versionId: string | undefined,
  ctx: SourceAccessContext,
): Promise<SourceAccess> {
  switch (ctx.mode) {
    case 'shared-key':
      return { url: appendQuery(blob.url, scopedSas(blob, versionId, ctx)) };
    case 'bearer': {
      const token = await (ctx.credential as TokenCredential).getToken(ctx.audience, {
        abortSignal: ctx.signal,
      });
      if (!token)
        throw new PartCopyError('AccessDenied', 'the TokenCredential returned no token for the copy source', {
          retryable: false,
        });
      return { url: blob.url, authorization: { scheme: 'Bearer', value: token.token } };
    }
    default:
      return { url: blob.url };
  }
}

function scopedSas(blob: BlobClient, versionId: string | undefined, ctx: SourceAccessContext): string {
  const now = ctx.now?.() ?? new Date();
  return generateBlobSASQueryParameters(
    {
      containerName: blob.containerName,
      blobName: blob.name,
      versionId,
      permissions: BlobSASPermissions.parse('r'),
      expiresOn: new Date(now.getTime() + ctx.sasLifetimeMs),
      protocol: blob.url.startsWith('https:') ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    },
    ctx.credential as StorageSharedKeyCredential,
  ).toString();
}

function appendQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
