import { describe, expect, it } from 'vitest';
import { requireServerEnv } from '../src/index.ts';
import { pingRedis } from '../src/net.ts';

describe('redis-server for the fleet', () => {
  it('answers PING on the loopback port the global set-up exported', async () => {
    const url = new URL(requireServerEnv('redis').PARTCOPY_REDIS_URL);
    expect(url.hostname).toBe('127.0.0.1');
    expect(await pingRedis(Number(url.port))).toBe(true);
  });

  it('is required loudly: a missing PARTCOPY_REDIS_URL names the server and how to start it', () => {
    expect(() => requireServerEnv('redis', {})).toThrow(/redis-server .*PARTCOPY_REDIS_URL is not set/);
  });

  it('a port with no server does not pass for one', async () => {
    expect(await pingRedis(1)).toBe(false);
  });
});
