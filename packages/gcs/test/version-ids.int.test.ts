// Defect 8 (issue 13): GCS reported every object's generation as its version id, also in a
// bucket that never had versioning, where S3 reports none. Version ids now appear only where the
// bucket keeps versions, as on S3.
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { GcsProvider } from '../src/index.js';
import { ctx, newBucket, serverProvider } from './support/gcs-server.js';

const BODY = 'x'.repeat(64);

/** Every answer that can carry a version id, for one bucket. */
async function answers(p: GcsProvider, bucket: string) {
  const put = await p.putObject({ bucket, key: 'src', body: toPayload(BODY) }, ctx());
  const head = await p.headObject({ bucket, key: 'src' }, ctx());
  const get = await p.getObject({ bucket, key: 'src' }, ctx());
  for await (const _ of get.body) {
    // drain
  }
  const up = await p.createMultipartUpload({ bucket, key: 'dst' }, ctx());
  const copied = await p.uploadPartCopy(
    {
      ...up,
      partNumber: 1,
      source: { bucket, key: 'src' },
      range: { start: 0, end: BODY.length - 1 },
      conditions: {},
    },
    ctx(),
  );
  const done = await p.completeMultipartUpload(
    { ...up, parts: [{ partNumber: 1, etag: copied.copyPartResult.etag }] },
    ctx(),
  );
  const whole = await p.copyObject(
    {
      bucket,
      key: 'whole',
      source: { bucket, key: 'src' },
      conditions: {},
      settings: {},
      metadataDirective: 'COPY',
    },
    ctx(),
  );
  return {
    put: put.versionId,
    head: head.versionId,
    get: get.versionId,
    copySource: copied.copySourceVersionId,
    complete: done.versionId,
    wholeVersion: whole.versionId,
    wholeCopySource: whole.copySourceVersionId,
  };
}

describe('version ids on fake-gcs-server', () => {
  it('an unversioned bucket reports no version id anywhere (a fresh provider reads the bucket’s metadata)', async () => {
    const bucket = await newBucket(serverProvider());
    // Not the provider that created the bucket: it must learn the setting from the bucket.
    const seen = await answers(serverProvider(), bucket);
    expect(seen).toEqual({
      put: undefined,
      head: undefined,
      get: undefined,
      copySource: undefined,
      complete: undefined,
      wholeVersion: undefined,
      wholeCopySource: undefined,
    });
  });

  it('a versioned bucket reports the generation as the version id everywhere', async () => {
    const bucket = await newBucket(serverProvider(), true);
    const seen = await answers(serverProvider(), bucket);
    for (const [field, value] of Object.entries(seen)) expect(value, field).toMatch(/^\d+$/);
    expect(seen.head).toBe(seen.put);
    expect(seen.copySource).toBe(seen.put);
  });

  it('a version id the caller asked for is answered in an unversioned bucket too', async () => {
    const p = serverProvider();
    const bucket = await newBucket(p);
    await p.putObject({ bucket, key: 'k', body: toPayload(BODY) }, ctx());
    const generation = (
      await p.native.api.json<{ generation: string }>('GET', `/b/${bucket}/o/k`, {
        signal: ctx().signal,
      })
    ).generation;
    const head = await p.headObject({ bucket, key: 'k', versionId: generation }, ctx());
    expect(head.versionId).toBe(generation);
  });
});
