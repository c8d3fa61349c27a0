// Found by the fault matrix (issue 13): a completion whose clean-up was cut short (a part
// deleted, its answer lost) left the manifest with some parts gone, so every retry of the
// completion answered InvalidPart although the object was published, and the staged objects
// stayed. The retry now finishes the clean-up and answers NoSuchUpload, as for any completed
// upload (the conformance kit's no-such-upload.after-complete-complete).
import { collectBytes } from '@partcopy/core';
import { PartCopyError, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../src/index.js';
import { ctx, newBucket, serverProvider } from './support/gcs-server.js';

/** A fetch whose first DELETE reaches the server but whose answer is lost. */
function loseFirstDeleteAnswer(): FetchLike {
  let lost = false;
  return (async (url: string, init: RequestInit) => {
    const response = await fetch(url, init);
    if (!lost && init.method === 'DELETE') {
      lost = true;
      throw new TypeError('fetch failed (answer lost by the test)');
    }
    return response;
  }) as FetchLike;
}

describe('a completion repeated after its clean-up was cut short', () => {
  it('answers NoSuchUpload naming the published object, and leaves nothing staged', async () => {
    const admin = serverProvider();
    const bucket = await newBucket(admin);
    const p = serverProvider({ fetch: loseFirstDeleteAnswer() });
    const up = await p.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const parts = [];
    for (const [i, text] of ['a'.repeat(5 * 1024 * 1024), 'tail'].entries()) {
      const part = await p.uploadPart({ ...up, partNumber: i + 1, body: toPayload(text) }, ctx());
      parts.push({ partNumber: i + 1, etag: part.etag });
    }
    const first = await p.completeMultipartUpload({ ...up, parts }, ctx()).catch((e: unknown) => e);
    expect(PartCopyError.isInstance(first)).toBe(true);
    const again = await p.completeMultipartUpload({ ...up, parts }, ctx()).catch((e: unknown) => e);
    const head = await admin.headObject({ bucket, key: 'k' }, ctx());
    expect(PartCopyError.hasCode(again, 'NoSuchUpload')).toBe(true);
    expect((again as PartCopyError).message).toContain(head.etag);
    const bytes = await collectBytes((await admin.getObject({ bucket, key: 'k' }, ctx())).body);
    expect(bytes.length).toBe(5 * 1024 * 1024 + 4);
    expect((await admin.listMultipartUploads({ bucket }, ctx())).uploads).toEqual([]);
    const staged = await admin.native.api.json<{ items?: unknown[] }>('GET', `/b/${bucket}/o`, {
      query: { prefix: '.partcopy/', versions: 'true' },
      signal: ctx().signal,
    });
    expect(staged.items ?? []).toEqual([]);
  });

  it('a completion of an upload that was aborted still answers NoSuchUpload', async () => {
    const p = serverProvider();
    const bucket = await newBucket(p);
    const up = await p.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const part = await p.uploadPart({ ...up, partNumber: 1, body: toPayload('x') }, ctx());
    await p.abortMultipartUpload(up, ctx());
    const error = await p
      .completeMultipartUpload({ ...up, parts: [{ partNumber: 1, etag: part.etag }] }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
  });
});
