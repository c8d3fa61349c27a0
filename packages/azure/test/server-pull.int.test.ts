/**
 * The server-side pull on Azurite: Put Block From URL of parts from a SAS URL the source signs.
 * Azurite reads only from itself, so the pull is proven Azure to Azure across two containers: the
 * bytes are identical, no payload byte passes through the client (a counting proxy between the
 * client and Azurite), and the captured requests carry the SAS (read-only, one blob, expiring)
 * and the part's range, while no message or event ever contains the signature.
 */
import { createHash } from 'node:crypto';
import type { RequestPolicy, RequestPolicyFactory, WebResource } from '@azure/storage-blob';
import {
  collectBytes,
  PartCopyClient,
  PartCopyError,
  type PartCopyEvent,
  transferObject,
} from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { azuriteOptions, ctx, patternBytes, withContainer } from './azurite-setup.js';
import { startByteCountingProxy } from './byte-counting-proxy.js';

const MiB = 1024 * 1024;
const PULL_OVERRIDES = { versionedSources: false, uploadPartFromForeignUrl: false } as const;
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Captured {
  url: string;
  copySource?: string;
  sourceRange?: string;
  sourceIfMatch?: string;
}

function capture(into: Captured[]): RequestPolicyFactory {
  return {
    create(next: RequestPolicy): RequestPolicy {
      return {
        sendRequest(request: WebResource) {
          const copySource = request.headers.get('x-ms-copy-source');
          if (copySource !== undefined)
            into.push({
              url: request.url,
              copySource,
              ...(request.headers.get('x-ms-source-range')
                ? { sourceRange: request.headers.get('x-ms-source-range') }
                : {}),
              ...(request.headers.get('x-ms-source-if-match')
                ? { sourceIfMatch: request.headers.get('x-ms-source-if-match') }
                : {}),
            } as Captured);
          return next.sendRequest(request);
        },
      };
    },
  };
}

function azurite(extra = {}) {
  return createAzureProvider({ ...azuriteOptions(), capabilities: PULL_OVERRIDES, ...extra });
}

describe('server-side pull on Azurite (Put Block From URL of a SAS URL)', () => {
  it('pulls 12 MiB + 5 bytes across two containers with no payload byte through the client', async () => {
    const direct = azurite();
    const endpoint = new URL(azuriteOptions().url as string);
    const proxy = await startByteCountingProxy(endpoint);
    const captured: Captured[] = [];
    const proxied = azurite({ url: proxy.url(endpoint.pathname), requestPolicies: [capture(captured)] });
    const client = new PartCopyClient(proxied);
    const events: PartCopyEvent[] = [];
    client.on((event) => void events.push(event));
    try {
      await withContainer(direct, async (from) => {
        await withContainer(direct, async (to) => {
          const size = 12 * MiB + 5;
          const data = patternBytes(size, 12);
          await direct.putObject({ bucket: from, key: 'src.bin', body: toPayload(data) }, ctx());
          const before = proxy.counts();
          const started = Date.now();
          const result = await transferObject({
            source: { client, bucket: from, key: 'src.bin' },
            destination: { client, bucket: to, key: 'dst.bin' },
            strategy: 'server-pull',
            partSize: 5 * MiB,
            presignExpiresInSeconds: 600,
          });
          const after = proxy.counts();
          expect(result.strategy).toBe('server-pull');
          expect(result.transfer).toBe('server-side');
          expect(result.bytesServerSide).toBe(size);
          expect(result.bytesClientStreamed).toBe(0);
          // Requests and answers only: far below the 12 MiB moved.
          const traffic = after.sent - before.sent + (after.received - before.received);
          expect(traffic).toBeLessThan(256 * 1024);
          const copy = await direct.getObject({ bucket: to, key: 'dst.bin' }, ctx());
          expect(sha(await collectBytes(copy.body))).toBe(sha(data));

          // The captured Put Block From URL requests: one per part, each with its range, a
          // read-only SAS scoped to the one blob that expires within the asked lifetime.
          // (Completion copies the staged blocks into the destination by Put Block From URL too.)
          const pulls = captured.filter((c) =>
            new URL(c.copySource as string).pathname.endsWith(`/${from}/src.bin`),
          );
          expect(pulls).toHaveLength(3);
          const ranges = pulls.map((c) => c.sourceRange).sort();
          expect(ranges).toEqual(
            [
              `bytes=0-${5 * MiB - 1}`,
              `bytes=${5 * MiB}-${10 * MiB - 1}`,
              `bytes=${10 * MiB}-${size - 1}`,
            ].sort(),
          );
          for (const request of pulls) {
            const url = new URL(request.copySource as string);
            expect(url.pathname.endsWith(`/${from}/src.bin`)).toBe(true);
            expect(url.searchParams.get('sp')).toBe('r');
            expect(url.searchParams.get('sr')).toBe('b');
            const expires = Date.parse(url.searchParams.get('se') as string);
            expect(expires).toBeGreaterThan(started);
            expect(expires).toBeLessThanOrEqual(Date.now() + 600_000 + 1000);
            expect(url.searchParams.get('sig')).toBeTruthy();
            expect(request.sourceIfMatch).toBe(result.sourceEtag);
          }
          // No event of the client names the signature.
          const signature = new URL(pulls[0]?.copySource as string).searchParams.get('sig') as string;
          expect(JSON.stringify(events)).not.toContain(signature);
          expect(JSON.stringify(events)).not.toContain(encodeURIComponent(signature));
        });
      });
    } finally {
      await proxy.close();
    }
  });

  it('auto pulls between two Azure stores and streams from a store that cannot sign', async () => {
    const provider = azurite();
    const client = new PartCopyClient(provider);
    await withContainer(provider, async (bucket) => {
      await provider.putObject({ bucket, key: 'a', body: toPayload(patternBytes(1000, 3)) }, ctx());
      const pulled = await transferObject({
        source: { client, bucket, key: 'a' },
        destination: { client, bucket, key: 'b' },
      });
      expect(pulled.strategy).toBe('server-pull');
      expect(pulled.reason).toMatch(/no payload byte/);
    });
  });

  it('a pinned pull of a replaced source fails with PreconditionFailed; errors never show the SAS', async () => {
    const provider = azurite();
    await withContainer(provider, async (bucket) => {
      const first = await provider.putObject(
        { bucket, key: 'src', body: toPayload(patternBytes(2000, 1)) },
        ctx(),
      );
      const upload = await provider.createMultipartUpload({ bucket, key: 'dst' }, ctx());
      const signed = await provider.presignGetObject({ bucket, key: 'src', expiresInSeconds: 60 }, ctx());
      const signature = new URL(signed.url).searchParams.get('sig') as string;
      expect(signature.length).toBeGreaterThan(10);
      await provider.putObject({ bucket, key: 'src', body: toPayload(patternBytes(2000, 2)) }, ctx());
      const changed = await provider
        .uploadPartFromUrl(
          {
            bucket,
            key: 'dst',
            uploadId: upload.uploadId,
            partNumber: 1,
            sourceUrl: signed.url,
            range: { start: 0, end: 1999 },
            sourceIfMatch: first.etag,
          },
          ctx(),
        )
        .catch((error: unknown) => error);
      expect(PartCopyError.hasCode(changed, 'PreconditionFailed')).toBe(true);
      // A URL to a blob that does not exist: the error quotes nothing secret.
      const missing = signed.url.replace('/src?', '/nope?');
      const gone = await provider
        .uploadPartFromUrl(
          {
            bucket,
            key: 'dst',
            uploadId: upload.uploadId,
            partNumber: 1,
            sourceUrl: missing,
            range: { start: 0, end: 9 },
          },
          ctx(),
        )
        .catch((error: unknown) => error);
      expect(PartCopyError.isInstance(gone)).toBe(true);
      for (const text of [
        String(gone),
        (gone as Error).message,
        JSON.stringify(gone),
        String((gone as Error).stack),
      ]) {
        expect(text).not.toContain(signature);
        expect(text).not.toContain(encodeURIComponent(signature));
      }
      await provider.abortMultipartUpload({ bucket, key: 'dst', uploadId: upload.uploadId }, ctx());
    });
  });
});
