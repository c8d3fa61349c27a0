/**
 * Aborting a native compose session on Azurite: the compose staged uncommitted blocks on the
 * destination name (ids derived from the session's key) and was interrupted, which keeps them and
 * the session.
 * - Destination absent: `abortSession` discards every staged block (empty commit with
 *   If-None-Match `*`, then a conditional delete): no uncommitted block and no blob remain.
 * - Destination present: its bytes, ETag and metadata stay exactly as they were; the blocks Azure
 *   cannot drop without a commit are reported as left, with the reason.
 */
import { createHash } from 'node:crypto';
import {
  abortSession,
  collectBytes,
  composeObject,
  listSessions,
  MemorySessionStore,
  nativeComposeStaged,
  PartCopyClient,
  PartCopyError,
} from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { AzureProvider } from '../src/index.js';
import { azuriteProvider, ctx, patternBytes, withContainer } from './azurite-setup.js';
import { operationOf } from './request-counter.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A provider whose compose stops once `after` blocks were staged, and its stop signal. */
function stoppingProvider(after: number): { provider: AzureProvider; stop: AbortController } {
  const stop = new AbortController();
  let staged = 0;
  const stopper = {
    create: (next: { sendRequest: (r: never) => Promise<unknown> }) => ({
      sendRequest: async (request: never) => {
        const response = await next.sendRequest(request);
        if (operationOf(request) === 'PutBlockFromURL' && ++staged === after) stop.abort();
        return response;
      },
    }),
  };
  return { provider: azuriteProvider({ requestPolicies: [stopper as never], copyConcurrency: 1 }), stop };
}

async function uncommitted(provider: AzureProvider, bucket: string, key: string): Promise<number> {
  const blob = provider.native.serviceClient.getContainerClient(bucket).getBlockBlobClient(key);
  try {
    return ((await blob.getBlockList('uncommitted')).uncommittedBlocks ?? []).length;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return 0;
    throw error;
  }
}

/** Runs a native compose session of 12 ranged pieces of `src` into `key`, stopped after 5 blocks. */
async function interruptedCompose(bucket: string, key: string) {
  const { provider, stop } = stoppingProvider(5);
  const client = new PartCopyClient(provider, { env: {}, retry: false });
  await provider.putObject({ bucket, key: 'src', body: toPayload(patternBytes(40_000, 3)) }, ctx());
  const store = new MemorySessionStore();
  const session = { store, id: 'compose-abort-azure' };
  const error = await composeObject({
    client,
    destination: { bucket, key },
    sources: Array.from({ length: 12 }, (_, i) => ({
      bucket,
      key: 'src',
      range: { start: i * 3000, end: i * 3000 + 2999 },
    })),
    session,
    concurrency: 1,
    signal: stop.signal,
  }).catch((e: unknown) => e);
  expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
  const plain = new PartCopyClient(azuriteProvider(), { env: {} });
  return { provider, client: plain, store, session };
}

describe('aborting a native compose session on Azurite', () => {
  it('discards every staged block of an absent destination', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const run = await interruptedCompose(bucket, 'joined');
      const stagedBefore = await uncommitted(provider, bucket, 'joined');
      expect(stagedBefore).toBeGreaterThanOrEqual(5);
      const [entry] = await listSessions(run.store);
      expect(await nativeComposeStaged(run.client, entry?.record as never)).toBe(stagedBefore);

      const aborted = await abortSession({ client: run.client, session: run.session });
      expect(aborted.staged).toEqual({ removed: stagedBefore, left: 0 });
      expect(await uncommitted(provider, bucket, 'joined')).toBe(0);
      await expect(run.client.headObject({ bucket, key: 'joined' })).rejects.toMatchObject({
        code: 'NoSuchKey',
      });
      expect((await run.client.listObjects({ bucket })).objects.map((o) => o.key)).toEqual(['src']);
      expect(await listSessions(run.store)).toEqual([]);
    });
  });

  it('leaves an existing destination untouched and reports the blocks it cannot drop', async () => {
    const provider = azuriteProvider();
    await withContainer(provider, async (bucket) => {
      const body = patternBytes(5000, 9);
      const put = await provider.putObject(
        { bucket, key: 'joined', body: toPayload(body), metadata: { keep: 'me' } },
        ctx(),
      );
      const run = await interruptedCompose(bucket, 'joined');
      const stagedBefore = await uncommitted(provider, bucket, 'joined');
      expect(stagedBefore).toBeGreaterThanOrEqual(5);

      const aborted = await abortSession({ client: run.client, session: run.session });
      expect(aborted.staged).toMatchObject({ removed: 0, left: stagedBefore });
      expect(aborted.staged?.leftReason).toMatch(/destination exists/);
      const head = await run.client.headObject({ bucket, key: 'joined' });
      expect(head.etag).toBe(put.etag);
      expect(head.metadata).toEqual({ keep: 'me' });
      const got = await run.client.getObject({ bucket, key: 'joined' });
      expect(sha(await collectBytes(got.body))).toBe(sha(body));
      expect(await listSessions(run.store)).toEqual([]);
    });
  });
});
