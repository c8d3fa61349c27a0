/**
 * A memory provider that can also do a server-side pull, for facade tests: it signs read URLs
 * (`https://memory.test/object?sig=<secret>`) and stages a part from such a URL with its
 * own UploadPartCopy. `fail` lets a test make the pull fail the way a store would, quoting the URL.
 */
import { randomBytes } from 'node:crypto';
import type {
  OperationContext,
  PresignedRead,
  PresignGetObjectRequest,
  Provider,
  UploadPartFromUrlRequest,
  UploadPartFromUrlResult,
} from '@partcopy/core/provider';
import { PartCopyError } from '@partcopy/core/provider';
import type { MemoryProvider } from '../src/index.js';

export interface PullProvider extends Provider {
  /** The provider-level pull calls, in order, with their requests. */
  pulls: { method: string; request: unknown }[];
  /** Called before each uploadPartFromUrl; throw from it to fail that attempt. */
  fail?: ((request: UploadPartFromUrlRequest, attempt: number) => void) | undefined;
}

// Shared by every pull provider, so one can fetch what another signed (two clients, one store).
const signed = new Map<string, PresignGetObjectRequest>();

export function pullProvider(inner: MemoryProvider): PullProvider {
  const pulls: { method: string; request: unknown }[] = [];
  let attempts = 0;
  const extra = {
    pulls,
    fail: undefined as PullProvider['fail'],
    capabilities: { ...inner.capabilities, presignedReads: true, uploadPartFromUrl: true },
    async presignGetObject(request: PresignGetObjectRequest): Promise<PresignedRead> {
      pulls.push({ method: 'presignGetObject', request });
      const sig = randomBytes(12).toString('hex');
      signed.set(sig, request);
      // The signature alone names the read: any bucket or key, even one no URL can spell.
      return {
        url: `https://memory.test/object?sig=${sig}`,
        expiresAt: new Date(Date.now() + request.expiresInSeconds * 1000),
      };
    },
    async uploadPartFromUrl(
      request: UploadPartFromUrlRequest,
      ctx: OperationContext,
    ): Promise<UploadPartFromUrlResult> {
      pulls.push({ method: 'uploadPartFromUrl', request });
      extra.fail?.(request, ++attempts);
      const read = signed.get(new URL(request.sourceUrl).searchParams.get('sig') ?? '');
      if (!read) throw new PartCopyError('AccessDenied', 'the URL is not signed by this store');
      const { source, range } = { source: read, range: request.range };
      const copied = await inner.uploadPartCopy(
        {
          bucket: request.bucket,
          key: request.key,
          uploadId: request.uploadId,
          partNumber: request.partNumber,
          source: {
            bucket: source.bucket,
            key: source.key,
            ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
          },
          range,
          conditions: request.sourceIfMatch === undefined ? {} : { ifMatch: [request.sourceIfMatch] },
        },
        ctx,
      );
      return { etag: copied.copyPartResult.etag, bytesCopied: copied.bytesCopied, transfer: 'server-side' };
    },
  };
  // The memory provider keeps private state: its own methods run on it, not on the proxy.
  return new Proxy(inner, {
    get(target, property) {
      if (property in extra) return extra[property as keyof typeof extra];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_target, property, value) {
      if (property !== 'fail') return false;
      extra.fail = value as PullProvider['fail'];
      return true;
    },
  }) as unknown as PullProvider;
}
