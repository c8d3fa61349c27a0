// A streamed UploadPart body that fails after its request has already failed must not become an
// uncaught exception: the SDK pipes the body into the request without an error listener, so a
// body that errors once nobody reads it (a transfer's source read cut short while the upload's
// answer was a 503) used to crash the process. The 20-run fault matrix found it on MinIO.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PartCopyClient, PartCopyError } from '@partcopy/core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createS3Provider } from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret-key' };
let server: http.Server;
let endpoint: string;

const LIST_PARTS = `<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>`;
const SLOW_DOWN = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`;

beforeAll(async () => {
  // Answers ListParts (the upload's checksum algorithm) and refuses every UploadPart at once,
  // before reading its body, as a store under load does.
  server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(LIST_PARTS);
      return;
    }
    if (req.url?.includes('partNumber=2')) {
      // Part 2 is read to its end before the answer, as a store does.
      req.resume();
      req.on('end', () => res.writeHead(200, { etag: '"0123456789abcdef0123456789abcdef"' }).end());
      return;
    }
    res.writeHead(503, { 'content-type': 'application/xml', connection: 'close' }).end(SLOW_DOWN);
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function uncaughtDuring(): { errors: unknown[]; stop: () => void } {
  const errors: unknown[] = [];
  const listener = (error: unknown) => errors.push(error);
  process.on('uncaughtException', listener);
  return { errors, stop: () => process.off('uncaughtException', listener) };
}

it('a body that ends short after its UploadPart was refused fails the call, never the process', async () => {
  const client = new PartCopyClient(createS3Provider({ endpoint, credentials, forcePathStyle: true }), {
    env: {},
    retry: { maxAttempts: 1, baseDelayMs: 1 },
  });
  let requestSettled!: () => void;
  const settled = new Promise<void>((resolve) => {
    requestSettled = resolve;
  });
  let bodyDone!: () => void;
  const bodyFinished = new Promise<void>((resolve) => {
    bodyDone = resolve;
  });
  async function* shortBody() {
    try {
      yield new Uint8Array(64 * 1024);
      await settled; // ends 64 KiB into a 1 MiB part, after the answer arrived
    } finally {
      bodyDone();
    }
  }
  const uncaught = uncaughtDuring();
  const warn = vi.spyOn(console, 'warn');
  try {
    const error = await client
      .uploadPart({
        bucket: 'b',
        key: 'k',
        uploadId: 'u',
        partNumber: 1,
        body: shortBody(),
        contentLength: 1024 * 1024,
      })
      .catch((e: unknown) => e);
    requestSettled();
    expect(PartCopyError.isInstance(error)).toBe(true);
    await bodyFinished;
    // The body's error, if nobody handles it, is emitted on a later tick.
    for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught.errors).toEqual([]);
    // The SDK's own console line about a "non-retryable streaming request" is not printed: the
    // pipeline is the retry owner.
    expect(warn).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
    uncaught.stop();
  }
});

it('a body that ends short while its UploadPart is being sent fails the call with IncompleteBody', async () => {
  const client = new PartCopyClient(createS3Provider({ endpoint, credentials, forcePathStyle: true }), {
    env: {},
    retry: { maxAttempts: 1, baseDelayMs: 1 },
  });
  async function* shortBody() {
    yield new Uint8Array(64 * 1024);
  }
  // Before, the request waited for bytes that never came: the call hung until the test's timeout.
  const error = await client
    .uploadPart({
      bucket: 'b',
      key: 'k',
      uploadId: 'u',
      partNumber: 2,
      body: shortBody(),
      contentLength: 1024 * 1024,
    })
    .catch((e: unknown) => e);
  expect(PartCopyError.isInstance(error) && error.code).toBe('IncompleteBody');
  expect((error as Error).message).toContain('65536 of 1048576');
});
