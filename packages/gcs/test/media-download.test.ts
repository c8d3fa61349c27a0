/**
 * Media downloads over node:http: the body is the response stream (Node chunks, read only as the
 * caller pulls), the request carries the headers given, an error answer's text is readable, a
 * network failure is fetch's TypeError with the cause, and an abort stops the body. Through
 * GcsJsonApi, a 503 is retried and a 404 becomes a GcsHttpError. (The CPU figures that motivated
 * the transport are measured, not asserted: see the core README's transfer section.)
 */
import { describe, expect, it } from 'vitest';
import { GcsHttpError, GcsJsonApi } from '../src/gcs-json-api.js';
import { mediaOverHttp } from '../src/media-download.js';
import { listen, stopListening } from './support/local-http-server.js';

const MiB = 1024 * 1024;
const signal = () => new AbortController().signal;

describe('mediaOverHttp', () => {
  it('answers status, headers and the body as Node chunks, with the request headers sent', async () => {
    let range: string | undefined;
    const url = await listen((req, res) => {
      range = req.headers.range;
      res.writeHead(206, { 'x-goog-generation': '7', 'content-length': String(4 * MiB) });
      res.end(Buffer.alloc(4 * MiB, 1));
    });
    const answer = await mediaOverHttp(`${url}/o`, {
      headers: { range: 'bytes=0-4194303' },
      signal: signal(),
    });
    expect(range).toBe('bytes=0-4194303');
    expect(answer.status).toBe(206);
    expect(answer.headers.get('x-goog-generation')).toBe('7');
    let bytes = 0;
    for await (const chunk of answer.body) {
      expect(Buffer.isBuffer(chunk)).toBe(true);
      bytes += chunk.length;
    }
    expect(bytes).toBe(4 * MiB);
  });

  it('reports a refused connection as fetch does: TypeError with the cause', async () => {
    const url = await listen(() => {});
    stopListening();
    const failure = await mediaOverHttp(`${url}/o`, { headers: {}, signal: signal() }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe('fetch failed');
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
  });

  it('stops the body when the signal fires', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-length': String(64 * MiB) });
      res.write(Buffer.alloc(MiB));
      // The rest never comes: only the abort can end the read.
    });
    const controller = new AbortController();
    const answer = await mediaOverHttp(`${url}/o`, { headers: {}, signal: controller.signal });
    const read = (async () => {
      for await (const _chunk of answer.body) controller.abort();
    })();
    // The response stream fails (Node: "aborted"); getObject maps that to RequestAborted.
    await expect(read).rejects.toThrow(/abort/i);
  });
});

describe('GcsJsonApi.stream over node:http', () => {
  const api = (endpoint: string) =>
    new GcsJsonApi({
      endpoint,
      fetch: () => Promise.reject(new Error('fetch must not be called for media')),
      download: mediaOverHttp,
      auth: async () => ({ authorization: 'Bearer t' }),
      retries: 2,
    });

  it('retries a 503 and hands back the body of the answer that succeeded, with the auth header', async () => {
    const seen: Array<string | undefined> = [];
    const url = await listen((req, res) => {
      seen.push(req.headers.authorization);
      if (seen.length === 1) {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"busy","errors":[{"reason":"backendError"}]}}');
        return;
      }
      res.end('the bytes');
    });
    const answer = await api(url).stream('/b/b/o/k', { signal: signal() });
    expect(await answer.text()).toBe('the bytes');
    expect(seen).toEqual(['Bearer t', 'Bearer t']);
  });

  it('turns an error answer into a GcsHttpError with its status and reason', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"No such object: b/k","errors":[{"reason":"notFound"}]}}');
    });
    const failure = await api(url)
      .stream('/b/b/o/k', { signal: signal() })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GcsHttpError);
    expect(failure).toMatchObject({ status: 404, reason: 'notFound', message: 'No such object: b/k' });
  });
});
