// Issue 13, defect 3: one lost answer to createMultipartUpload (the request reached the server,
// the connection dropped before the answer) used to fail the copy and leave the upload and its
// manifest behind, which the caller never learnt the id of. A proxy in front of fake-gcs-server
// loses exactly that answer; the copy must fail cleanly and leave no upload and no staging object.
import { randomBytes } from 'node:crypto';
import { copyObject, MemorySessionStore, PartCopyClient } from '@partcopy/core';
import { startAnswerDroppingProxy } from '@partcopy/test-servers';
import { describe, expect, it } from 'vitest';
import { gcsServer, newBucket, serverProvider } from './support/gcs-server.js';

describe('a lost createMultipartUpload answer on GCS', () => {
  it('fails the copy cleanly: no upload, no manifest, no staging object, no destination', async () => {
    const direct = serverProvider();
    const bucket = await newBucket(direct);
    const source = randomBytes(3000);
    await new PartCopyClient(direct).putObject({ bucket, key: 'src', body: source });
    // The manifest insert is the upload's creation: its answer is lost.
    const proxy = await startAnswerDroppingProxy(
      gcsServer().endpoint,
      (r) => r.method === 'POST' && r.url.startsWith('/upload/') && r.body.includes('.partcopy/manifests/'),
    );
    try {
      const client = new PartCopyClient(serverProvider({ apiEndpoint: proxy.url }));
      const error = await copyObject({
        client,
        source: { bucket, key: 'src' },
        destination: { bucket, key: 'dst' },
        partSize: source.length, // one part: an upload, not a whole-object rewrite
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(proxy.dropped).toEqual([200]);
      expect(error).toMatchObject({ name: 'PartCopyError', operation: 'createMultipartUpload' });
    } finally {
      await proxy.close();
    }
    const check = new PartCopyClient(direct);
    expect((await check.listMultipartUploads({ bucket })).uploads).toEqual([]);
    const staged = await direct.native.api.json<{ items?: unknown[] }>('GET', `/b/${bucket}/o`, {
      query: { prefix: direct.names.prefix },
      signal: new AbortController().signal,
    });
    expect(staged.items ?? []).toEqual([]);
    await expect(check.headObject({ bucket, key: 'dst' })).rejects.toMatchObject({ code: 'NoSuchKey' });
  });

  it('with a session, the resume adopts the upload the lost answer named and ends with identical bytes', async () => {
    const direct = serverProvider();
    const bucket = await newBucket(direct);
    const source = randomBytes(3000);
    const check = new PartCopyClient(direct);
    await check.putObject({ bucket, key: 'src', body: source });
    const sessions = new MemorySessionStore();
    const proxy = await startAnswerDroppingProxy(
      gcsServer().endpoint,
      (r) => r.method === 'POST' && r.url.startsWith('/upload/') && r.body.includes('.partcopy/manifests/'),
    );
    const request = {
      source: { bucket, key: 'src' },
      destination: { bucket, key: 'dst' },
      partSize: source.length,
      session: { store: sessions, id: 'lost-answer' },
    };
    try {
      const error = await copyObject({
        ...request,
        client: new PartCopyClient(serverProvider({ apiEndpoint: proxy.url })),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(proxy.dropped).toEqual([200]);
      // The failure may pass (a reset is retryable): the session stays, in state `creating`.
      expect(error).toMatchObject({ operation: 'createMultipartUpload', retryable: true });
    } finally {
      await proxy.close();
    }
    const [orphan] = (await check.listMultipartUploads({ bucket })).uploads;
    expect(orphan?.key).toBe('dst');
    const result = await copyObject({ ...request, client: check });
    expect(result.uploadId).toBe(orphan?.uploadId);
    expect(Buffer.from(await (await check.getObject({ bucket, key: 'dst' })).body.bytes())).toEqual(source);
    expect((await check.listMultipartUploads({ bucket })).uploads).toEqual([]);
    expect(await sessions.list()).toEqual([]);
  });
});
