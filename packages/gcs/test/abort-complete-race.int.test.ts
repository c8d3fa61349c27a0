// Defect 6 (issue 13): AbortMultipartUpload racing CompleteMultipartUpload of one upload on
// fake-gcs-server. Each interleaving is forced through the provider's injectable fetch, which
// runs the other call just before a chosen request of the first (no timing involved).
import { PartCopyError, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { FetchLike, GcsProvider } from '../src/index.js';
import { ctx, newBucket, serverProvider } from './support/gcs-server.js';

type Match = (method: string, url: URL) => boolean;

/** A fetch that runs `before` once, just before the first request matching `match`. */
function pauseAt(match: Match, before: () => Promise<void>): FetchLike {
  let pending: (() => Promise<void>) | undefined = before;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (pending && match(method, url)) {
      const once = pending;
      pending = undefined;
      await once();
    }
    return fetch(input, init);
  }) as FetchLike;
}

const firstDelete: Match = (method) => method === 'DELETE';
const uploadListing: Match = (method, url) =>
  method === 'GET' && (url.searchParams.get('prefix') ?? '').includes('uploads/');

async function staged(p: GcsProvider, bucket: string, key: string) {
  const up = await p.createMultipartUpload({ bucket, key }, ctx());
  const part = await p.uploadPart(
    { bucket, key, uploadId: up.uploadId, partNumber: 1, body: toPayload(`bytes of ${key}`) },
    ctx(),
  );
  return { uploadId: up.uploadId, parts: [{ partNumber: 1, etag: part.etag }] };
}

async function exists(p: GcsProvider, bucket: string, key: string): Promise<boolean> {
  return p.headObject({ bucket, key }, ctx()).then(
    () => true,
    (e: unknown) => {
      if (PartCopyError.hasCode(e, 'NoSuchKey')) return false;
      throw e;
    },
  );
}

describe('abort racing completion on fake-gcs-server', () => {
  it('a completion that finishes after the abort read the manifest makes the abort answer NoSuchUpload', async () => {
    const admin = serverProvider();
    const bucket = await newBucket(admin);
    const up = await staged(admin, bucket, 'k');
    let completed = false;
    const p = serverProvider({
      fetch: pauseAt(uploadListing, async () => {
        await admin.completeMultipartUpload({ bucket, key: 'k', ...up }, ctx());
        completed = true;
      }),
    });
    const error = await p
      .abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx())
      .catch((e: unknown) => e);
    expect(completed).toBe(true);
    expect(await exists(admin, bucket, 'k')).toBe(true);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
  });

  it('an abort between the completion’s compose and its clean-up answers NoSuchUpload', async () => {
    const admin = serverProvider();
    const bucket = await newBucket(admin);
    const up = await staged(admin, bucket, 'k');
    let abortAnswer: unknown = 'not run';
    const p = serverProvider({
      // The completion's first DELETE is its clean-up, after the compose published the object.
      fetch: pauseAt(firstDelete, async () => {
        abortAnswer = await admin
          .abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx())
          .then(
            () => 'success',
            (e: unknown) => e,
          );
      }),
    });
    await p.completeMultipartUpload({ bucket, key: 'k', ...up }, ctx()).catch(() => undefined);
    expect(await exists(admin, bucket, 'k')).toBe(true);
    expect(PartCopyError.hasCode(abortAnswer, 'NoSuchUpload')).toBe(true);
    expect((abortAnswer as PartCopyError).message).toMatch(/completed before the abort/);
  });

  it('an abort that ran before the compose makes the completion fail and leaves the key alone', async () => {
    const admin = serverProvider();
    const bucket = await newBucket(admin);
    const up = await staged(admin, bucket, 'k');
    const p = serverProvider({
      fetch: pauseAt(
        (method, url) => method === 'POST' && url.pathname.endsWith('/compose'),
        async () => {
          await admin.abortMultipartUpload({ bucket, key: 'k', uploadId: up.uploadId }, ctx());
        },
      ),
    });
    const error = await p
      .completeMultipartUpload({ bucket, key: 'k', ...up }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'NoSuchUpload')).toBe(true);
    expect(await exists(admin, bucket, 'k')).toBe(false);
  });

  it('20 free races: never both success while the object exists', async () => {
    const admin = serverProvider();
    const bucket = await newBucket(admin);
    for (let i = 0; i < 20; i++) {
      const key = `race-${i}`;
      const up = await staged(admin, bucket, key);
      const [complete, abort] = await Promise.allSettled([
        admin.completeMultipartUpload({ bucket, key, ...up }, ctx()),
        admin.abortMultipartUpload({ bucket, key, uploadId: up.uploadId }, ctx()),
      ]);
      const published = await exists(admin, bucket, key);
      const seen = `race ${i}: ${complete.status}/${abort.status}/${published}`;
      expect(abort.status === 'fulfilled' && published, seen).toBe(false);
    }
  });
});
