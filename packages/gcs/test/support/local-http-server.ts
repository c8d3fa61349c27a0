/**
 * One plain node:http server on a free loopback port per test, for request-level tests of the
 * node:http paths (media downloads, streaming uploads); closed after each test.
 */
import { createServer, type Server } from 'node:http';
import { afterEach } from 'vitest';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Starts the test's server with `handler`; its base URL, `http://127.0.0.1:PORT`. */
export async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** Stops the test's server accepting connections: the next request to it is refused. */
export function stopListening(): void {
  server?.close();
}
