// A native compose with a resumeKey on Azurite, stopped after some of its blocks were staged, then
// called again with the same key: the second call lists the uncommitted blocks, stages only the
// missing ones (counted per request), commits the pieces' bytes and leaves no uncommitted block.
// Without a key, a second call stages every block again (the ids are new each call).
import { createHash } from 'node:crypto';
import { collectBytes, PartCopyError } from '@partcopy/core';
import type { ComposeObjectRequest } from '@partcopy/core/provider';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';
import { operationOf, requestCounter } from './request-counter.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('resumable native compose on Azurite', () => {
  it('stages only the blocks an interrupted call did not', async () => {
    const stop = new AbortController();
    let staged = 0;
    const counter = requestCounter();
    // Stops the call once 6 blocks were staged: the rest are refused before they are sent.
    const stopper = {
      create: (next: { sendRequest: (r: never) => Promise<unknown> }) => ({
        sendRequest: async (request: never) => {
          const response = await next.sendRequest(request);
          if (operationOf(request) === 'PutBlockFromURL' && ++staged === 6) stop.abort();
          return response;
        },
      }),
    };
    const provider = azuriteProvider({
      requestPolicies: [counter.factory, stopper as never],
      copyConcurrency: 1,
    });
    await withContainer(provider, async (bucket) => {
      const source = patternBytes(64 * 1024, 5);
      const put = await provider.putObject({ bucket, key: 'src', body: toPayload(source) }, ctx());
      const ranges = Array.from({ length: 20 }, (_, i) => ({ start: i * 3000, end: i * 3000 + 2999 }));
      const request: ComposeObjectRequest = {
        bucket,
        key: 'joined',
        settings: {},
        resumeKey: 'compose-test.k1',
        pieces: ranges.map((range) => ({
          source: { bucket, key: 'src' },
          range,
          etag: put.etag,
          size: range.end - range.start + 1,
          sourceSize: source.length,
        })),
      };
      const first = await provider.composeObject(request, ctx(stop.signal)).catch((e: unknown) => e);
      expect(PartCopyError.hasCode(first, 'RequestAborted')).toBe(true);
      const stagedFirst = counter.counts.get('PutBlockFromURL') ?? 0;
      expect(stagedFirst).toBeGreaterThanOrEqual(6);
      counter.reset();

      const second = await provider.composeObject(request, ctx());
      expect(second.stagedReused).toBe(stagedFirst);
      expect(second.requestsByKind).toMatchObject({
        putBlockFromUrl: 20 - stagedFirst,
        getBlockList: 1,
        putBlockList: 1,
      });
      expect(counter.counts.get('PutBlockFromURL')).toBe(20 - stagedFirst);
      const joined = Buffer.concat(ranges.map((r) => source.subarray(r.start, r.end + 1)));
      const got = await provider.getObject({ bucket, key: 'joined' }, ctx());
      expect(sha(await collectBytes(got.body))).toBe(sha(joined));
      const blob = provider.native.serviceClient.getContainerClient(bucket).getBlockBlobClient('joined');
      expect((await blob.getBlockList('uncommitted')).uncommittedBlocks ?? []).toEqual([]);

      // Without a key nothing is found again: every block is staged.
      const { resumeKey: _key, ...oneOff } = request;
      const again = await provider.composeObject({ ...oneOff, key: 'again' }, ctx());
      expect(again.requestsByKind).toMatchObject({ putBlockFromUrl: 20 });
      expect(again.stagedReused).toBeUndefined();
    });
  });
});
