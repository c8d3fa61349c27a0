// A TCP proxy on 127.0.0.1 that counts every byte between a client and a server, both ways:
// headers, bodies and framing. Put between the provider and Azurite, it shows how many bytes
// passed through the client process.
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ByteCountingProxy {
  url: (path: string) => string;
  /** Bytes the client sent (requests) and received (responses). */
  counts: () => { sent: number; received: number };
  close: () => Promise<void>;
}

export async function startByteCountingProxy(target: URL): Promise<ByteCountingProxy> {
  let sent = 0;
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
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
    url: (path) => `http://127.0.0.1:${port}${path}`,
    counts: () => ({ sent, received }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
