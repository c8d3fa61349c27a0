/**
 * Streamed uploads over node:http: the body is pulled no further ahead of a slow server than the
 * socket's buffers reach, answers come back as a fetch Response, and a failing body as fetch's
 * TypeError with the body's error as its cause. (The RSS figures that motivated the transport,
 * fetch against node:http on fake-gcs-server, are measured, not asserted: see the README.)
 */
import { PartCopyError } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { streamingUpload } from '../src/streaming-upload.js';
import { listen } from './support/local-http-server.js';

const MiB = 1024 * 1024;
function counted(total: number, seen: { bytes: number }) {
  const chunk = new Uint8Array(MiB);
  return ReadableStream.from(
    (async function* () {
      for (let sent = 0; sent < total; sent += MiB) {
        seen.bytes += MiB;
        yield chunk;
      }
    })(),
  );
}

describe('streamingUpload', () => {
  it('pulls the body only as fast as the server reads it', async () => {
    const seen = { bytes: 0 };
    let ahead = 0;
    // A server that reads slowly: the body pulled beyond what it has read is what the client holds.
    const url = await listen(async (req, res) => {
      let read = 0;
      for await (const chunk of req) {
        read += (chunk as Buffer).length;
        ahead = Math.max(ahead, seen.bytes - read);
        if (read % MiB < (chunk as Buffer).length) await new Promise((resolve) => setTimeout(resolve, 3));
      }
      res.end(String(read));
    });
    const answer = await streamingUpload(url, {
      method: 'POST',
      body: counted(128 * MiB, seen),
      headers: { 'content-length': String(128 * MiB) },
      duplex: 'half',
    } as RequestInit);
    expect(await answer.text()).toBe(String(128 * MiB));
    expect(ahead).toBeLessThan(16 * MiB);
  });

  it('returns the answer as a Response, and a failing body as fetch failed with its cause', async () => {
    const url = await listen(async (req, res) => {
      let bytes = 0;
      for await (const chunk of req) bytes += (chunk as Buffer).length;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
    });
    const ok = await streamingUpload(url, {
      method: 'POST',
      body: counted(3 * MiB, { bytes: 0 }),
      duplex: 'half',
    } as RequestInit);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ bytes: 3 * MiB });
    const broken = ReadableStream.from(
      (async function* () {
        yield new Uint8Array(10);
        throw new PartCopyError('IncompleteBody', 'the body ended early');
      })(),
    );
    const error = await streamingUpload(url, {
      method: 'POST',
      body: broken,
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(PartCopyError.hasCode((error as TypeError).cause, 'IncompleteBody')).toBe(true);
  });
});
