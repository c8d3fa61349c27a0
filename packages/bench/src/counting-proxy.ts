// A TCP proxy on 127.0.0.1 between a client and one server: counts every byte both ways (heads,
// bodies, framing) and the HTTP requests the client sends. What passes here is what passed
// through the client process; a server-side copy should show headers and small XML only.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { RequestCounter } from './request-counter.ts';

export interface ProxyCounts {
  /** Bytes from client to server. */
  sent: number;
  /** Bytes from server to client. */
  received: number;
  requests: number;
}

export interface CountingProxy {
  /** `http://127.0.0.1:PORT` (plus `path`), to give the client instead of the server. */
  url(path?: string): string;
  counts(): ProxyCounts;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: URL): Promise<CountingProxy> {
  let sent = 0;
  let received = 0;
  let requestBase = 0;
  const counters: RequestCounter[] = [];
  const totalRequests = () => counters.reduce((n, c) => n + c.requests, 0);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    const requests = new RequestCounter();
    counters.push(requests);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      requests.push(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: (path = '') => `http://127.0.0.1:${port}${path}`,
    counts: () => ({ sent, received, requests: totalRequests() - requestBase }),
    reset: () => {
      sent = 0;
      received = 0;
      requestBase = totalRequests();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
