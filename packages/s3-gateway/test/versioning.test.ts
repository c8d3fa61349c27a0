/**
 * Bucket versioning through the gateway, with @aws-sdk/client-s3 and raw requests: S3's answers
 * for PutBucketVersioning / GetBucketVersioning, ListObjectVersions, reads and deletes by version,
 * delete markers and their headers, and DeleteObjects with version ids, on memory (the store that
 * keeps S3's versioning semantics) and on a folder (fs, which keeps the same); and NotImplemented
 * on a store that keeps versions but has no versioning operations (a folder with them switched
 * off).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createFsProvider } from '@partcopy/fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, randomBucket, startGateway } from './support/gateway-harness.js';
import { errorCode, send } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

async function text(s3: S3Client, bucket: string, key: string, versionId?: string): Promise<string> {
  const got = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
  return (await got.Body?.transformToString()) ?? '';
}

/** The headers and status of a failed SDK call. */
async function failureHeaders(
  promise: Promise<unknown>,
): Promise<{ status: number | undefined; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { $response?: { statusCode?: number; headers?: Record<string, string> } };
    return { status: e.$response?.statusCode, headers: e.$response?.headers ?? {} };
  }
  throw new Error('expected the call to fail');
}

describe.each(['memory', 'fs'] as const)('bucket versioning through the gateway (%s)', (backend) => {
  let g: RunningGateway;
  let s3: S3Client;

  beforeAll(async () => {
    // Anonymous requests allowed too, for the hand-written documents below.
    g = await startGateway(backend, { anonymous: true });
    s3 = g.s3;
  });
  afterAll(async () => {
    await g?.close();
  });

  async function newBucket(status?: 'Enabled' | 'Suspended'): Promise<string> {
    const bucket = randomBucket();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    if (status) {
      await s3.send(
        new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }),
      );
    }
    return bucket;
  }

  it('keeps the versioning state: none, then Enabled and Suspended as put', async () => {
    const bucket = await newBucket();
    const fresh = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(fresh.Status).toBeUndefined();
    for (const status of ['Enabled', 'Suspended', 'Enabled'] as const) {
      await s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: { Status: status, MFADelete: 'Disabled' },
        }),
      );
      expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe(status);
    }
    expect(await s3Failure(s3.send(new GetBucketVersioningCommand({ Bucket: 'gw-missing-bucket' })))).toEqual(
      {
        code: 'NoSuchBucket',
        status: 404,
      },
    );
  });

  it('refuses a versioning document without a valid Status with MalformedXML, and MFA delete with NotImplemented', async () => {
    const bucket = await newBucket();
    const put = (body: string) => send(g.url, { method: 'PUT', path: `/${bucket}?versioning`, body });
    const bad = await put('<VersioningConfiguration><Status>On</Status></VersioningConfiguration>');
    expect([bad.status, errorCode(bad.body)]).toEqual([400, 'MalformedXML']);
    const mfa = await put(
      '<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>',
    );
    expect([mfa.status, errorCode(mfa.body)]).toEqual([501, 'NotImplemented']);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
  });

  it('adds versions while enabled, keeps the earlier object as "null", reads and deletes by version', async () => {
    const bucket = await newBucket();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'plain' }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'two' }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      ['k', v2.VersionId, true, 3],
      ['k', v1.VersionId, false, 3],
      ['k', 'null', false, 5],
    ]);
    expect(await text(s3, bucket, 'k', 'null')).toBe('plain');
    expect(await text(s3, bucket, 'k', v1.VersionId)).toBe('one');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' }));
    expect(head.VersionId).toBe(v2.VersionId);
    const removed = await s3.send(
      new DeleteObjectCommand({ Bucket: bucket, Key: 'k', VersionId: v2.VersionId }),
    );
    expect([removed.VersionId, removed.DeleteMarker]).toEqual([v2.VersionId, undefined]);
    expect(await text(s3, bucket, 'k')).toBe('one');
    expect(
      await s3Failure(
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k', VersionId: 'nosuchversion' })),
      ),
    ).toEqual({ code: 'NoSuchVersion', status: 404 });
  });

  it('answers reads behind a delete marker with its headers: 404 for the key, 405 MethodNotAllowed for its version', async () => {
    const bucket = await newBucket('Enabled');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'gone', Body: 'x' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'gone' }));
    expect(marker.DeleteMarker).toBe(true);
    expect(marker.VersionId).toBeDefined();
    const head = await failureHeaders(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'gone' })));
    expect([head.status, head.headers['x-amz-delete-marker'], head.headers['x-amz-version-id']]).toEqual([
      404,
      'true',
      marker.VersionId,
    ]);
    const byVersion = s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'gone', VersionId: marker.VersionId }),
    );
    expect(await s3Failure(byVersion)).toEqual({ code: 'MethodNotAllowed', status: 405 });
    const again = await failureHeaders(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'gone', VersionId: marker.VersionId })),
    );
    expect([again.status, again.headers['x-amz-delete-marker']]).toEqual([405, 'true']);
    // A key that never existed has no delete marker to report.
    const never = await failureHeaders(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'never' })));
    expect([never.status, never.headers['x-amz-delete-marker']]).toEqual([404, undefined]);
  });

  it('while suspended, writes the "null" version without a VersionId and deletes with a "null" delete marker', async () => {
    const bucket = await newBucket('Enabled');
    const kept = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 's', Body: 'kept' }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 's', Body: 'null one' }));
    expect(put.VersionId).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 's', Body: 'null two' }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 's' }));
    expect([deleted.DeleteMarker, deleted.VersionId]).toEqual([true, 'null']);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[kept.VersionId, false]]);
    expect(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest])).toEqual([['s', 'null', true]]);
  });

  it('pages versions with NextKeyMarker and NextVersionIdMarker, rolls up common prefixes, and refuses a version marker alone', async () => {
    const bucket = await newBucket('Enabled');
    for (const key of ['a', 'a', 'a', 'b', 'd/1', 'd/2']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    }
    const first = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 2, Delimiter: '/' }),
    );
    expect(first.Versions?.map((v) => v.Key)).toEqual(['a', 'a']);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextKeyMarker).toBe('a');
    expect(first.NextVersionIdMarker).toBe(first.Versions?.[1]?.VersionId);
    const rest = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Delimiter: '/',
        KeyMarker: first.NextKeyMarker,
        VersionIdMarker: first.NextVersionIdMarker,
      }),
    );
    expect(rest.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['d/']);
    expect([rest.IsTruncated, rest.KeyMarker, rest.VersionIdMarker]).toEqual([
      false,
      'a',
      first.NextVersionIdMarker,
    ]);
    expect(
      await s3Failure(s3.send(new ListObjectVersionsCommand({ Bucket: bucket, VersionIdMarker: 'x' }))),
    ).toEqual({ code: 'InvalidArgument', status: 400 });
  });

  it('lists Version and DeleteMarker elements interleaved in key and version order, newest first, as S3 does', async () => {
    const bucket = await newBucket('Enabled');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'one' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a', Body: 'two' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'b' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'three' }));
    const listed = await send(g.url, { method: 'GET', path: `/${bucket}?versions` });
    expect(listed.status).toBe(200);
    const order = [...listed.body.matchAll(/<(Version|DeleteMarker)><Key>([^<]*)<\/Key>/g)].map(
      (m) => `${m[2]}:${m[1]}`,
    );
    expect(order).toEqual(['a:Version', 'a:DeleteMarker', 'a:Version', 'b:DeleteMarker', 'c:Version']);
  });

  it("deletes versions and delete markers with DeleteObjects, answering S3's Deleted entries", async () => {
    const bucket = await newBucket('Enabled');
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'm', Body: '1' }));
    const made = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'm' }, { Key: 'new' }] } }),
    );
    const markers = made.Deleted?.map((d) => [d.Key, d.DeleteMarker, typeof d.DeleteMarkerVersionId]);
    expect(markers).toEqual([
      ['m', true, 'string'],
      ['new', true, 'string'],
    ]);
    const markerOfM = made.Deleted?.[0]?.DeleteMarkerVersionId as string;
    const removed = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: {
          Objects: [
            { Key: 'm', VersionId: v1.VersionId },
            { Key: 'm', VersionId: markerOfM },
          ],
        },
      }),
    );
    expect(removed.Deleted?.map((d) => [d.VersionId, d.DeleteMarker ?? false])).toEqual([
      [v1.VersionId, false],
      [markerOfM, true],
    ]);
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'm' }));
    expect([listed.Versions, listed.DeleteMarkers]).toEqual([undefined, undefined]);
  });
});

describe.each(['memory', 'fs'] as const)('conditional deletes through the gateway (%s)', (backend) => {
  let g: RunningGateway;

  beforeAll(async () => {
    g = await startGateway(backend);
  });
  afterAll(async () => {
    await g?.close();
  });

  it('decides If-Match, x-amz-if-match-size and DeleteObjects entry conditions, answering PreconditionFailed', async () => {
    const bucket = randomBucket();
    await g.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { ETag } = await g.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'four' }));
    expect(
      await s3Failure(g.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'c', IfMatch: '"bad"' }))),
    ).toEqual({ code: 'PreconditionFailed', status: 412 });
    expect(
      await s3Failure(g.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'c', IfMatchSize: 5 }))),
    ).toEqual({ code: 'PreconditionFailed', status: 412 });
    const refused = await g.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'c', ETag: '"bad"' }] } }),
    );
    expect(refused.Errors?.map((e) => [e.Key, e.Code])).toEqual([['c', 'PreconditionFailed']]);
    expect(await text(g.s3, bucket, 'c')).toBe('four');
    const deleted = await g.s3.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'c', ETag, Size: 4 }] } }),
    );
    expect([deleted.Deleted?.map((d) => d.Key), deleted.Errors]).toEqual([['c'], undefined]);
    expect(await s3Failure(g.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'c' })))).toEqual({
      code: 'NoSuchKey',
      status: 404,
    });
  });
});

describe('bucket versioning through the gateway (a folder with its versioning operations switched off)', () => {
  let g: RunningGateway;
  let bucket: string;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'partcopy-gw-fs-'));
    const off = { bucketVersioning: false, listObjectVersions: false };
    g = await startGateway(createFsProvider({ root, capabilities: off }));
    bucket = randomBucket();
    await g.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await g?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers PutBucketVersioning, GetBucketVersioning and ListObjectVersions with NotImplemented', async () => {
    const put = g.s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect(await s3Failure(put)).toEqual({ code: 'NotImplemented', status: 501 });
    expect(await s3Failure(g.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))).toEqual({
      code: 'NotImplemented',
      status: 501,
    });
    expect(await s3Failure(g.s3.send(new ListObjectVersionsCommand({ Bucket: bucket })))).toEqual({
      code: 'NotImplemented',
      status: 501,
    });
  });
});

describe('delete-marker headers on a folder cost a listing only where markers can exist', () => {
  let g: RunningGateway;
  let root: string;
  const listings: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'partcopy-gw-fs-'));
    const provider = createFsProvider({ root });
    const list = provider.listObjectVersions.bind(provider);
    provider.listObjectVersions = (request, ctx) => {
      listings.push(request.bucket);
      return list(request, ctx);
    };
    g = await startGateway(provider);
  });
  afterAll(async () => {
    await g?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers a missing key of a bucket never versioned without listing versions; a versioned one is listed', async () => {
    const plain = randomBucket();
    const versioned = randomBucket();
    for (const bucket of [plain, versioned]) await g.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await g.s3.send(
      new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const bucket of [plain, versioned]) {
      await g.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));
      await g.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
    }
    const plainHead = await failureHeaders(g.s3.send(new HeadObjectCommand({ Bucket: plain, Key: 'k' })));
    expect([plainHead.status, plainHead.headers['x-amz-delete-marker']]).toEqual([404, undefined]);
    expect(listings).toEqual([]);
    const markedHead = await failureHeaders(
      g.s3.send(new HeadObjectCommand({ Bucket: versioned, Key: 'k' })),
    );
    expect([markedHead.status, markedHead.headers['x-amz-delete-marker']]).toEqual([404, 'true']);
    expect(listings).toEqual([versioned]);
  });
});
