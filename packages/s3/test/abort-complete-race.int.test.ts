// Defect 6 (issue 13): AbortMultipartUpload racing CompleteMultipartUpload on one upload, on
// MinIO. MinIO serialises the two, but answers 204 to aborting an upload that no longer exists,
// so an abort that lost to a completion said "gone" while the upload's object was published.
// Each interleaving is forced with an SDK middleware (no timing involved).
import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { PartCopyError, toPayload } from '@partcopy/core/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Provider } from '../src/index.js';
import { destroyBucket, freshBucket } from './support/buckets.js';
import { minioProvider } from './support/servers.js';

const ctx = () => ({ signal: AbortSignal.timeout(60_000) });
const strict = { compatibility: { checkUploadBeforeAbort: true } } as const;

/** Runs `before` once, just before the client's next AbortMultipartUpload request is sent. */
function beforeAbortRequest(client: S3Client, before: () => Promise<void>): void {
  let pending: (() => Promise<void>) | undefined = before;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === AbortMultipartUploadCommand.name && pending) {
        const once = pending;
        pending = undefined;
        await once();
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'partcopyBeforeAbort' },
  );
}

async function stagedUpload(p: S3Provider, bucket: string, key: string, parts = 1) {
  const up = await p.createMultipartUpload({ bucket, key }, ctx());
  const listed = [];
  for (let n = 1; n <= parts; n++) {
    const body = n < parts ? Buffer.alloc(5 * 1024 * 1024, n) : Buffer.from(`last part of ${key}`);
    const part = await p.uploadPart(
      { bucket, key, uploadId: up.uploadId, partNumber: n, body: toPayload(body) },
      ctx(),
    );
    listed.push({ partNumber: n, etag: part.etag });
  }
  return { uploadId: up.uploadId, parts: listed };
}

async function exists(p: S3Provider, bucket: string, key: string): Promise<boolean> {
  return p.headObject({ bucket, key }, ctx()).then(
    () => true,
    (error: unknown) => {
      if (PartCopyError.hasCode(error, 'NoSuchKey')) return false;
      throw error;
    },
  );
}

describe('abort racing completion on MinIO (checkUploadBeforeAbort)', () => {
  const admin = minioProvider();
  let bucket: string;
  beforeAll(async () => {
    bucket = await freshBucket(admin);
  });
  afterAll(async () => {
    await destroyBucket(admin, bucket);
  });

  it('an abort after the completion answers NoSuchUpload', async () => {
    const p = minioProvider(strict);
    const up = await stagedUpload(p, bucket, 'after');
    await p.completeMultipartUpload({ bucket, key: 'after', ...up }, ctx());
    const error = await p
      .abortMultipartUpload({ bucket, key: 'after', uploadId: up.uploadId }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
  });

  it("is on by default for an endpoint that is not Amazon's, and off when set to false", async () => {
    const byDefault = minioProvider();
    const up = await stagedUpload(byDefault, bucket, 'default');
    await byDefault.completeMultipartUpload({ bucket, key: 'default', ...up }, ctx());
    const error = await byDefault
      .abortMultipartUpload({ bucket, key: 'default', uploadId: up.uploadId }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
    // Turned off, MinIO's own answer (204) is passed on: the lie the default prevents.
    const off = minioProvider({ compatibility: { checkUploadBeforeAbort: false } });
    const again = await stagedUpload(off, bucket, 'off');
    await off.completeMultipartUpload({ bucket, key: 'off', ...again }, ctx());
    await expect(
      off.abortMultipartUpload({ bucket, key: 'off', uploadId: again.uploadId }, ctx()),
    ).resolves.toBeUndefined();
  });

  it.each([1, 2])(
    'a completion that lands between the abort’s check and its request (%i part(s)) makes the abort answer NoSuchUpload',
    async (parts) => {
      const key = `between-${parts}`;
      const p = minioProvider(strict);
      const up = await stagedUpload(p, bucket, key, parts);
      // The old object at the key must not confuse the check.
      await admin.putObject({ bucket, key, body: toPayload('old') }, ctx());
      let completed = false;
      beforeAbortRequest(p.native, async () => {
        await admin.completeMultipartUpload({ bucket, key, ...up }, ctx());
        completed = true;
      });
      const error = await p
        .abortMultipartUpload({ bucket, key, uploadId: up.uploadId }, ctx())
        .catch((e: unknown) => e);
      expect(completed).toBe(true);
      expect(await exists(admin, bucket, key)).toBe(true);
      expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
      expect((error as PartCopyError).message).toMatch(/completed before the abort/);
    },
  );

  it('an abort whose request wins makes the completion fail and leaves the old object', async () => {
    const p = minioProvider(strict);
    const up = await stagedUpload(p, bucket, 'abort-wins');
    await p.abortMultipartUpload({ bucket, key: 'abort-wins', uploadId: up.uploadId }, ctx());
    const error = await p
      .completeMultipartUpload({ bucket, key: 'abort-wins', ...up }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
    expect(await exists(admin, bucket, 'abort-wins')).toBe(false);
  });

  it('20 free races: never both success while the object exists', async () => {
    const p = minioProvider(strict);
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const key = `race-${i}`;
      const up = await stagedUpload(p, bucket, key);
      const [complete, abort] = await Promise.allSettled([
        p.completeMultipartUpload({ bucket, key, ...up }, ctx()),
        p.abortMultipartUpload({ bucket, key, uploadId: up.uploadId }, ctx()),
      ]);
      const published = await exists(admin, bucket, key);
      outcomes.push(`${complete.status}/${abort.status}/${published}`);
      // Whatever the interleaving: exactly one wins, and the answers agree with the key.
      expect(complete.status === 'fulfilled', `race ${i}: ${outcomes.at(-1)}`).toBe(published);
      expect(abort.status === 'fulfilled', `race ${i}: ${outcomes.at(-1)}`).toBe(!published);
    }
  });
});
