// The proof that a whole-object copy happens on the server: a 64 MiB object copied with
// copyObject, verified by SHA-256, while a proxy counts every byte between provider and Azurite.
import { createHash } from 'node:crypto';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { createAzureProvider } from '../src/index.js';
import { azuriteOptions, azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';
import { startByteCountingProxy } from './byte-counting-proxy.js';
import { requestCounter } from './request-counter.js';

const MiB = 1024 * 1024;

async function sha256Of(body: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk);
  return hash.digest('hex');
}

describe('whole-object copy on Azurite', () => {
  it('copies a 64 MiB object with no payload byte through the client', async () => {
    const direct = azuriteProvider();
    const endpoint = new URL(azuriteOptions().url as string);
    const proxy = await startByteCountingProxy(endpoint);
    const counter = requestCounter();
    const proxied = createAzureProvider({
      ...azuriteOptions(),
      url: proxy.url(endpoint.pathname),
      requestPolicies: [counter.factory],
    });
    try {
      await withContainer(direct, async (bucket) => {
        const size = 64 * MiB + 12_345;
        const source = patternBytes(size, 65);
        await direct.putObject({ bucket, key: 'big-source', body: toPayload(source) }, ctx());
        const started = performance.now();
        const result = await proxied.copyObject!(
          {
            bucket,
            key: 'big-copy',
            source: { bucket, key: 'big-source' },
            conditions: {},
            metadataDirective: 'COPY',
            settings: {},
          },
          ctx(),
        );
        const ms = performance.now() - started;
        const wire = proxy.counts();
        console.info(
          `[azure] 64 MiB copyObject: ${ms.toFixed(0)} ms, ${counter.total()} requests ` +
            `(${JSON.stringify(Object.fromEntries(counter.counts))}); client wire bytes sent ${wire.sent}, received ${wire.received}`,
        );
        expect(result.transfer).toBe('server-side');
        expect(result.bytesCopied).toBe(size);
        // Headers and small XML answers only: far below one payload chunk, let alone 64 MiB.
        expect(wire.sent + wire.received).toBeLessThan(64 * 1024);
        const copied = await direct.getObject({ bucket, key: 'big-copy' }, ctx());
        expect(copied.contentLength).toBe(size);
        expect(await sha256Of(copied.body)).toBe(createHash('sha256').update(source).digest('hex'));
      });
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
