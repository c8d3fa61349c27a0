/**
 * A plain HTTP server on 127.0.0.1 that records every request the SDK sends (method, raw path,
 * headers, body) and answers with whatever the test scripts. It proves what reaches the wire,
 * which no emulator checks.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Provider, type S3ProviderOptions } from '../../src/index.js';

export interface RecordedRequest {
  method: string;
  /** The raw request target, exactly as sent (percent-encoding kept). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to test aborts). */
  delayMs?: number;
  /** Send the headers and `body`, then never finish (to test aborts while streaming). */
  stall?: boolean;
}

export type Script = (request: RecordedRequest, index: number) => ScriptedAnswer;

export interface RecordingServer {
  endpoint: string;
  requests: RecordedRequest[];
  /** Replaces the answer script. */
  answer(script: Script): void;
  close(): Promise<void>;
}

/** Starts a recording server answering `200` with an empty body until told otherwise. */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let script: Script = () => ({});
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = script(recorded, requests.length - 1);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/xml', ...answer.headers });
        if (answer.stall) res.write(answer.body ?? '');
        else res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      script = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A provider talking to the recording server, with the SDK's own retries off. */
export function recordingProvider(server: RecordingServer, options: S3ProviderOptions = {}): S3Provider {
  return new S3Provider({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    clientConfig: { maxAttempts: 1 },
    ...options,
  });
}

/** An operation context with a fresh signal. */
export function opContext(signal: AbortSignal = new AbortController().signal) {
  return { signal };
}

/** S3's XML error document. */
export function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>REQ1</RequestId></Error>`;
}

/** A CopyPartResult document. */
export function copyPartXml(etag: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CopyPartResult><ETag>${etag}</ETag><LastModified>2026-03-04T05:06:07.000Z</LastModified>${extra}</CopyPartResult>`;
}
