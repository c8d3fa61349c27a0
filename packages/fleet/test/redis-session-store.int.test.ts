/**
 * The engine's resumable sessions kept in Redis: a copy stopped on one machine is resumed from
 * another (here: another client and store instance over the same Redis), and a second run of
 * a session that is running gets the engine's `locked` error.
 */
import { randomBytes } from 'node:crypto';
import { CopySessionError, copyObject, PartCopyClient, resumeCopy } from '@partcopy/core';
import { createMemoryProvider } from '@partcopy/memory';
import { requireServerEnv } from '@partcopy/test-servers';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../src/index.js';

describe('RedisSessionStore', () => {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const queue = `rs${Math.random().toString(36).slice(2, 10)}`;
  const here = new Redis(redisUrl);
  const there = new Redis(redisUrl);
  afterAll(() => {
    here.disconnect();
    there.disconnect();
  });

  it('keeps records and gives a session to one run at a time', async () => {
    const a = new RedisSessionStore(here, { queue });
    const b = new RedisSessionStore(there, { queue });
    await a.write('s1', '{"x":1}');
    expect(await b.read('s1')).toBe('{"x":1}');
    expect(await b.list()).toEqual(['s1']);
    const lock = await a.lock('s1');
    await expect(b.lock('s1')).rejects.toSatisfy((e) => CopySessionError.isSessionError(e, 'locked'));
    await lock.release();
    await (await b.lock('s1')).release();
    await b.remove('s1');
    expect(await a.read('s1')).toBeUndefined();
  });

  it('resumes on another machine a copy stopped after its first part', async () => {
    const client = new PartCopyClient(createMemoryProvider({ minPartSize: 1024 }));
    await client.createBucket({ bucket: 'rs' });
    const source = randomBytes(8 * 1024);
    await client.putObject({ bucket: 'rs', key: 'src', body: source });
    const stop = new AbortController();
    await expect(
      copyObject({
        client,
        source: { bucket: 'rs', key: 'src' },
        destination: { bucket: 'rs', key: 'dst' },
        partSize: 1024,
        concurrency: 1,
        session: { store: new RedisSessionStore(here, { queue }), id: 'copy1' },
        signal: stop.signal,
        onPart: () => stop.abort(),
      }),
    ).rejects.toMatchObject({ code: 'RequestAborted' });
    const result = await resumeCopy({
      client,
      session: { store: new RedisSessionStore(there, { queue }), id: 'copy1' },
    });
    expect(result.session?.partsReused).toBeGreaterThanOrEqual(1);
    const copy = await (await client.getObject({ bucket: 'rs', key: 'dst' })).body.bytes();
    expect(Buffer.from(copy).equals(source)).toBe(true);
    expect(await new RedisSessionStore(there, { queue }).list()).toEqual([]);
  });
});
