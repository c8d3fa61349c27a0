// copyObject on the exact requests the SDK sends (an in-process fake endpoint, which answers every
// HEAD as the source): one HEAD of the source, Put Block From URL blocks each pinned to the ETag that HEAD saw and carrying no body,
// then one Put Block List. No payload byte leaves this process.
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { MiB } from '@partcopy/core';
import type { OperationContext, ServerSideCopyRequest } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { fakeAzure, SOURCE_ETAG, SOURCE_SIZE } from './fake-azure-transport.js';
import { createAzureProvider } from './provider-helpers.js';

const ACCOUNT = 'acct';
// A made-up key of the right shape; never a real one.
const FAKE_KEY = Buffer.alloc(64, 7).toString('base64');
const ctx = (): OperationContext => ({ signal: new AbortController().signal });

const request: ServerSideCopyRequest = {
  bucket: 'dest',
  key: 'copy',
  source: { bucket: 'src-container', key: 'dir/source blob' },
  conditions: {},
  metadataDirective: 'REPLACE',
  settings: { contentType: 'text/plain' },
};

describe('copyObject on Azure, on the wire', () => {
  it('copies 20 MiB with Put Block From URL blocks (empty bodies, pinned) and one Put Block List', async () => {
    const fake = fakeAzure();
    const provider = createAzureProvider({
      url: `https://${ACCOUNT}.blob.core.windows.net`,
      credential: new StorageSharedKeyCredential(ACCOUNT, FAKE_KEY),
      pipelineOptions: { httpClient: fake.httpClient },
      maxCopyBlockSize: 8 * MiB,
    });
    const result = await provider.copyObject(request, ctx());
    expect(result).toMatchObject({
      etag: '"0xDESTINATION"',
      transfer: 'server-side',
      bytesCopied: SOURCE_SIZE,
    });
    const copies = fake.copies();
    expect(copies).toHaveLength(3);
    for (const copy of copies) {
      expect(copy.method).toBe('PUT');
      expect(copy.headers['content-length'] ?? '0').toBe('0');
      expect(copy.headers['x-ms-source-if-match']).toBe(SOURCE_ETAG);
      expect(new URL(copy.headers['x-ms-copy-source'] as string).searchParams.get('sp')).toBe('r');
    }
    const list = fake.requests.filter((r) => r.url.searchParams.get('comp') === 'blocklist');
    expect(list).toHaveLength(1);
    expect(list[0]?.headers['x-ms-blob-content-type']).toBe('text/plain');
    // Every request but the block list (a small XML list of block ids) has an empty body.
    const bodies = fake.requests
      .filter((r) => r !== list[0])
      .map((r) => Number(r.headers['content-length'] ?? 0));
    expect(bodies.every((n) => n === 0)).toBe(true);
    expect(Number(list[0]?.headers['content-length'])).toBeLessThan(1024);
  });
});
