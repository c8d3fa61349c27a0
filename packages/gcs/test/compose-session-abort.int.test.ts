/**
 * Aborting a native compose session on fake-gcs-server removes what its compose staged: a compose
 * of ranged pieces (each streamed into a staging object named from the session's key) is
 * interrupted once some staging objects exist, which keeps them and the session; the session's
 * listing counts them; `abortSession` deletes every one (all generations), and nothing of the
 * compose is left under the staging prefix, the destination never written.
 */
import { randomBytes } from 'node:crypto';
import {
  abortSession,
  composeObject,
  listSessions,
  MemorySessionStore,
  nativeComposeStaged,
  PartCopyClient,
  PartCopyError,
} from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import type { GcsProvider } from '../src/index.js';
import { newBucket, serverProvider } from './support/gcs-server.js';

async function leftovers(provider: GcsProvider, bucket: string): Promise<string[]> {
  const listed = await provider.native.api.json<{ items?: Array<{ name: string }> }>(
    'GET',
    `/b/${bucket}/o`,
    {
      query: { prefix: provider.names.prefix, versions: true },
      signal: new AbortController().signal,
    },
  );
  return (listed.items ?? []).map((o) => o.name);
}

describe('aborting a native compose session on GCS (fake-gcs-server)', () => {
  it('removes every staging object its compose wrote, and the session', async () => {
    const provider = serverProvider();
    const client = new PartCopyClient(provider, { env: {}, retry: false });
    const bucket = await newBucket(provider);
    for (let i = 0; i < 12; i++)
      await client.putObject({ bucket, key: `seg-${i}`, body: randomBytes(300 + i) });
    // Stops the compose once 5 staging objects were written (counted by their uploads' answers).
    const stop = new AbortController();
    let staged = 0;
    const api = provider.native.api;
    const original = api.upload.bind(api);
    api.upload = (async (...args: Parameters<typeof api.upload>) => {
      const answer = await original(...args);
      if (++staged === 5) stop.abort(new Error('stopped'));
      return answer;
    }) as typeof api.upload;
    const store = new MemorySessionStore();
    const session = { store, id: 'compose-abort-gcs' };
    const error = await composeObject({
      client,
      destination: { bucket, key: 'joined' },
      sources: Array.from({ length: 12 }, (_, i) => ({
        bucket,
        key: `seg-${i}`,
        range: { start: 1, end: 200 },
      })),
      session,
      concurrency: 1,
      signal: stop.signal,
    }).catch((e: unknown) => e);
    api.upload = original;
    expect(PartCopyError.hasCode(error, 'RequestAborted')).toBe(true);
    expect(staged).toBeGreaterThan(0);
    const before = await leftovers(provider, bucket);
    expect(before.length).toBeGreaterThanOrEqual(5);

    const [entry] = await listSessions(store);
    expect(entry?.summary?.strategy).toBe('native');
    expect(await nativeComposeStaged(client, entry?.record as never)).toBe(before.length);

    const aborted = await abortSession({ client, session });
    expect(aborted.staged).toEqual({ removed: before.length, left: 0 });
    expect(await leftovers(provider, bucket)).toEqual([]);
    expect(await listSessions(store)).toEqual([]);
    await expect(client.headObject({ bucket, key: 'joined' })).rejects.toMatchObject({ code: 'NoSuchKey' });
  });
});
