// An HTTP proxy on 127.0.0.1 that loses answers on purpose: every request goes to the server,
// but for a request the predicate picks, the proxy waits for the server's whole answer and then
// destroys the client's connection instead of passing it on. The server acted; the client only
// sees a reset, as when a connection drops between the server's answer and the client.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the predicate sees it: method, path with query, and the whole body. */
export interface ProxiedRequest {
  method: string;
  url: string;
  body: Buffer;
}

export interface AnswerDroppingProxy {
  /** `http://127.0.0.1:PORT`: point the client's endpoint here. */
  readonly url: string;
  /** Answers lost so far (the server's status of each). */
  readonly dropped: number[];
  close(): Promise<void>;
}

/**
 * Starts the proxy in front of `target` (an http origin). `drop` decides per request whether its
 * answer is lost; it is asked for every request until it says yes `times` times (default once).
 */
export async function startAnswerDroppingProxy(
  target: string,
  drop: (request: ProxiedRequest) => boolean,
  times = 1,
): Promise<AnswerDroppingProxy> {
  const origin = new URL(target);
  const dropped: number[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const lose = dropped.length < times && drop({ method: req.method ?? 'GET', url: req.url ?? '/', body });
    const upstream = http.request(
      {
        host: origin.hostname,
        port: origin.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        if (!lose) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        answer.resume();
        answer.on('end', () => {
          dropped.push(answer.statusCode ?? 0);
          req.socket.destroy();
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
