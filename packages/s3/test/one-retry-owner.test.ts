// The PartCopyClient is the one retry owner: its attempts are the only ones, and each is an event.
// Before the call pipeline, one headObject against a refused port made 9 connections (facade 3 x
// SDK 3) of which 3 were visible as events.
import net from 'node:net';
import { PartCopyClient, PartCopyError } from '@partcopy/core';
import { afterEach, expect, it } from 'vitest';
import { createS3Provider } from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret-key' };
const originalConnect = net.Socket.prototype.connect;

afterEach(() => {
  net.Socket.prototype.connect = originalConnect;
});

async function refusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

it('a headObject against a refused port connects once per attempt, and every attempt is an event', async () => {
  let connections = 0;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    connections++;
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof originalConnect;
  const endpoint = `http://127.0.0.1:${await refusedPort()}`;
  const requests: number[] = [];
  const client = new PartCopyClient(createS3Provider({ endpoint, credentials }), {
    env: {},
    retry: { maxAttempts: 3, baseDelayMs: 1 },
    onEvent: (event) => {
      if (event.type === 'request') requests.push(event.attempt);
    },
  });
  const error = await client.headObject({ bucket: 'b', key: 'k' }).catch((e: unknown) => e);
  expect(PartCopyError.isInstance(error)).toBe(true);
  expect(requests).toEqual([1, 2, 3]);
  expect(connections).toBe(3);
});
