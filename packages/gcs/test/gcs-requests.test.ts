import { randomBytes } from 'node:crypto';
import { type CompletedPart, collectBytes, SseCustomerKey } from '@partcopy/core';
import { md5Etag, multipartEtag, type OperationContext, toPayload } from '@partcopy/core/provider';
import { beforeEach, describe, expect, it } from 'vitest';
import { GcsJsonApi } from '../src/gcs-json-api.js';
import {
  type ComposeTreeReport,
  createGcsProvider,
  type GcsProvider,
  type GcsProviderOptions,
} from '../src/index.js';
import { error, type RecordedRequest, RecordingGcs } from './support/recording-gcs.js';

// What fake-gcs-server ignores (generations, preconditions, per-source compose preconditions,
// the compose tree's shape) asserted on the exact JSON API requests the provider sends.

const BUCKET = 'bkt';

function ctx(signal: AbortSignal = new AbortController().signal): OperationContext {
  return { signal };
}

let gcs: RecordingGcs;
let reports: ComposeTreeReport[];

function provider(options: GcsProviderOptions = {}): GcsProvider {
  return createGcsProvider({
    apiEndpoint: 'http://gcs.test',
    projectId: 'p',
    fetch: gcs.fetch,
    minPartSize: 1,
    retries: 0,
    onComposeTree: (report) => reports.push(report),
    ...options,
  });
}

async function stageParts(
  p: GcsProvider,
  key: string,
  count: number,
): Promise<{ uploadId: string; parts: CompletedPart[]; bodies: Buffer[] }> {
  const { uploadId } = await p.createMultipartUpload(
    { bucket: BUCKET, key, contentType: 'text/plain', metadata: { m: 'v' } },
    ctx(),
  );
  const bodies = Array.from({ length: count }, (_, i) => Buffer.from(`part-${i + 1};`));
  const parts: CompletedPart[] = [];
  for (const [index, body] of bodies.entries()) {
    const { etag } = await p.uploadPart(
      { bucket: BUCKET, key, uploadId, partNumber: index + 1, body: toPayload(body) },
      ctx(),
    );
    parts.push({ partNumber: index + 1, etag });
  }
  return { uploadId, parts, bodies };
}

beforeEach(() => {
  gcs = new RecordingGcs();
  // Versioned, so answers carry the generations these tests check the pins against.
  gcs.addBucket(BUCKET, true);
  reports = [];
});

describe('staging', () => {
  it('writes parts in Standard class under the reserved prefix, and a manifest with the settings', async () => {
    const p = provider();
    const { uploadId } = await stageParts(p, 'dest', 2);
    expect(gcs.names(BUCKET)).toEqual([
      `.partcopy/manifests/${uploadId}`,
      `.partcopy/uploads/${uploadId}/parts/00001`,
      `.partcopy/uploads/${uploadId}/parts/00002`,
    ]);
    expect(gcs.object(BUCKET, `.partcopy/uploads/${uploadId}/parts/00001`)?.storageClass).toBe('STANDARD');
    const manifest = JSON.parse(
      gcs.object(BUCKET, `.partcopy/manifests/${uploadId}`)?.data.toString() ?? '{}',
    );
    expect(manifest).toMatchObject({
      key: 'dest',
      uploadId,
      settings: { contentType: 'text/plain', metadata: { m: 'v' } },
    });
    // The manifest is created only if absent.
    const insert = gcs.requests.find((r) => r.segments[0] === 'upload');
    expect(insert?.query).toMatchObject({ uploadType: 'multipart', ifGenerationMatch: '0' });
  });

  it('sends contentMD5 as md5Hash and refuses a body that does not match it (BadDigest)', async () => {
    const p = provider();
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    const wrong = Buffer.from('0123456789abcdef').toString('base64');
    await expect(
      p.uploadPart(
        { bucket: BUCKET, key: 'dest', uploadId, partNumber: 1, body: toPayload('abc'), contentMD5: wrong },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'BadDigest' });
    const insert = gcs.requests.filter((r) => r.segments[0] === 'upload').at(-1);
    expect(insert?.headers['content-type']).toMatch(/^multipart\/related; boundary=/);
  });

  it('honours a custom staging prefix and hides it from listObjects', async () => {
    const p = provider({ stagingPrefix: 'tmp/pc/' });
    await p.putObject({ bucket: BUCKET, key: 'visible', body: toPayload('x') }, ctx());
    const { uploadId } = await stageParts(p, 'dest', 1);
    expect(gcs.names(BUCKET)).toContain(`tmp/pc/uploads/${uploadId}/parts/00001`);
    expect((await p.listObjects({ bucket: BUCKET }, ctx())).objects.map((o) => o.key)).toEqual(['visible']);
    await expect(
      p.putObject({ bucket: BUCKET, key: 'tmp/pc/x', body: toPayload('x') }, ctx()),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('storage classes', () => {
  it('refuses a class GCS does not have at createMultipartUpload, not at completion', async () => {
    const p = provider();
    await expect(
      p.createMultipartUpload({ bucket: BUCKET, key: 'd', storageClass: 'GLACIER' }, ctx()),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
    const { uploadId } = await p.createMultipartUpload(
      { bucket: BUCKET, key: 'd', storageClass: 'NEARLINE' },
      ctx(),
    );
    const { etag } = await p.uploadPart(
      { bucket: BUCKET, key: 'd', uploadId, partNumber: 1, body: toPayload('x') },
      ctx(),
    );
    // Parts are Standard; the completed object gets the requested class.
    expect(gcs.object(BUCKET, `.partcopy/uploads/${uploadId}/parts/00001`)?.storageClass).toBe('STANDARD');
    await p.completeMultipartUpload(
      { bucket: BUCKET, key: 'd', uploadId, parts: [{ partNumber: 1, etag }] },
      ctx(),
    );
    expect(gcs.object(BUCKET, 'd')?.storageClass).toBe('NEARLINE');
  });
});

describe('listObjects', () => {
  it('starts a listing after a key on the server (startOffset), without the key itself', async () => {
    const p = provider();
    for (const key of ['a', 'b', 'b/1', 'c'])
      await p.putObject({ bucket: BUCKET, key, body: toPayload(Buffer.from(key)) }, ctx());
    const listed = await p.listObjects({ bucket: BUCKET, startAfter: 'b' }, ctx());
    expect(listed.objects.map((o) => o.key)).toEqual(['b/1', 'c']);
    const list = gcs.requests.filter((r) => r.method === 'GET' && r.segments.at(-1) === 'o');
    expect(list.at(-1)?.query).toMatchObject({ startOffset: 'b' });
  });
});

describe('listParts and abort', () => {
  it('pages parts with one listing from the marker (startOffset), in ascending order', async () => {
    const p = provider();
    const { uploadId, parts } = await stageParts(p, 'dest', 5);
    const first = await p.listParts({ bucket: BUCKET, key: 'dest', uploadId, maxParts: 2 }, ctx());
    expect(first.parts.map((part) => part.partNumber)).toEqual([1, 2]);
    expect(first).toMatchObject({ isTruncated: true, nextPartNumberMarker: 2 });
    const next = await p.listParts(
      { bucket: BUCKET, key: 'dest', uploadId, maxParts: 10, partNumberMarker: 2 },
      ctx(),
    );
    expect(next.parts.map((part) => [part.partNumber, part.etag])).toEqual(
      parts.slice(2).map((part) => [part.partNumber, part.etag]),
    );
    expect(next.isTruncated).toBe(false);
    const list = gcs.requests.filter((r) => r.method === 'GET' && r.segments.at(-1) === 'o');
    expect(list.at(-1)?.query).toMatchObject({
      startOffset: `.partcopy/uploads/${uploadId}/parts/00003`,
      maxResults: '10',
    });
  });

  it('lists uploads in S3 key order (UTF-8 bytes, not UTF-16 units) and pages after a key marker', async () => {
    const p = provider();
    // UTF-8: U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80); UTF-16 says the opposite.
    for (const key of ['\u{1F600}', '\uFFFD', 'a'])
      await p.createMultipartUpload({ bucket: BUCKET, key }, ctx());
    const listed = await p.listMultipartUploads({ bucket: BUCKET }, ctx());
    expect(listed.uploads.map((u) => u.key)).toEqual(['a', '\uFFFD', '\u{1F600}']);
    const after = await p.listMultipartUploads({ bucket: BUCKET, keyMarker: '\uFFFD' }, ctx());
    expect(after.uploads.map((u) => u.key)).toEqual(['\u{1F600}']);
  });

  it('surfaces a retention policy or hold as InvalidObjectState and keeps the upload abortable', async () => {
    const p = provider();
    await p.putObject({ bucket: BUCKET, key: 'dest', body: toPayload('existing') }, ctx());
    const { uploadId } = await stageParts(p, 'dest', 3);
    gcs.hook = (r) =>
      r.method === 'DELETE' && r.segments.at(-1)?.endsWith('00002')
        ? error(
            403,
            'retentionPolicyNotMet',
            "Object '00002' is subject to bucket's retention policy or object retention and cannot be deleted",
          )
        : undefined;
    const failure = await p
      .abortMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId }, ctx())
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'InvalidObjectState', status: 403, uploadId });
    expect(String((failure as Error).message)).toMatch(
      /1 staged object\(s\).*retention policy or object hold.*abortMultipartUpload/,
    );
    expect(gcs.names(BUCKET)).toEqual([
      '.partcopy/manifests/' + uploadId,
      `.partcopy/uploads/${uploadId}/parts/00002`,
      'dest',
    ]);
    gcs.hook = undefined;
    await p.abortMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId }, ctx());
    expect(gcs.names(BUCKET)).toEqual(['dest']);
    expect(gcs.object(BUCKET, 'dest')?.data.toString()).toBe('existing');
  });
});

describe('uploadPartCopy requests', () => {
  it('rewrites a whole source pinned to the generation and metageneration it checked', async () => {
    const p = provider();
    const put = await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload(randomBytes(64)) }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    const result = await p.uploadPartCopy(
      {
        bucket: BUCKET,
        key: 'dest',
        uploadId,
        partNumber: 7,
        source: { bucket: BUCKET, key: 'src' },
        conditions: { ifMatch: [put.etag] },
      },
      ctx(),
    );
    const rewrite = gcs.requests.find((r) => r.segments.includes('rewriteTo')) as RecordedRequest;
    expect(rewrite.segments.slice(-1)[0]).toBe(`.partcopy/uploads/${uploadId}/parts/00007`);
    expect(rewrite.query).toMatchObject({
      sourceGeneration: put.versionId,
      ifSourceGenerationMatch: put.versionId,
      ifSourceMetagenerationMatch: '1',
    });
    expect(rewrite.json).toMatchObject({ storageClass: 'STANDARD' });
    expect(result).toMatchObject({
      transfer: 'server-side',
      bytesCopied: 64,
      copySourceVersionId: put.versionId,
      copyPartResult: { etag: put.etag },
    });
  });

  it('continues a rewrite with its token, and refuses an answer it could never finish', async () => {
    const p = provider();
    await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload(randomBytes(64)) }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    const copy = (partNumber: number) =>
      p.uploadPartCopy(
        {
          bucket: BUCKET,
          key: 'dest',
          uploadId,
          partNumber,
          source: { bucket: BUCKET, key: 'src' },
          conditions: {},
        },
        ctx(),
      );
    const rewrites = () => gcs.requests.filter((r) => r.segments.includes('rewriteTo'));
    let answers = [{ done: false, rewriteToken: 'token-1', totalBytesRewritten: '32', objectSize: '64' }];
    gcs.hook = (r) => {
      const next = r.segments.includes('rewriteTo') ? answers.shift() : undefined;
      return next && Response.json(next);
    };
    await expect(copy(1)).resolves.toMatchObject({ transfer: 'server-side', bytesCopied: 64 });
    expect(rewrites().map((r) => r.query.rewriteToken)).toEqual([undefined, 'token-1']);
    // Not done and no token: one request, then a retryable error instead of restarting forever.
    answers = [{ done: false }] as typeof answers;
    await expect(copy(2)).rejects.toMatchObject({ code: 'InternalError', retryable: true });
    expect(rewrites()).toHaveLength(3);
  });

  it('streams a sub-range with a ranged read pinned to the same generation', async () => {
    const p = provider();
    const body = randomBytes(1000);
    const put = await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload(body) }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    const progress: number[] = [];
    const result = await p.uploadPartCopy(
      {
        bucket: BUCKET,
        key: 'dest',
        uploadId,
        partNumber: 1,
        source: { bucket: BUCKET, key: 'src' },
        range: { start: 10, end: 509 },
        conditions: {},
      },
      { signal: new AbortController().signal, onProgress: (done) => progress.push(done) },
    );
    const read = gcs.requests.find((r) => r.query.alt === 'media') as RecordedRequest;
    expect(read.query).toMatchObject({
      generation: put.versionId,
      ifGenerationMatch: put.versionId,
      ifMetagenerationMatch: '1',
    });
    expect(read.headers.range).toBe('bytes=10-509');
    expect(result).toMatchObject({
      transfer: 'client-streamed',
      bytesCopied: 500,
      copyPartResult: { etag: md5Etag(body.subarray(10, 510)) },
    });
    expect(progress.at(-1)).toBe(500);
    expect(
      gcs.object(BUCKET, `.partcopy/uploads/${uploadId}/parts/00001`)?.data.equals(body.subarray(10, 510)),
    ).toBe(true);
  });

  it('fails with PreconditionFailed when the source changes between the check and the copy', async () => {
    const p = provider();
    await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload('one') }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    gcs.hook = async (r) => {
      if (r.segments.includes('rewriteTo') || r.query.alt === 'media') {
        gcs.hook = undefined;
        await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload('two!') }, ctx());
      }
      return undefined;
    };
    const base = {
      bucket: BUCKET,
      key: 'dest',
      uploadId,
      partNumber: 1,
      source: { bucket: BUCKET, key: 'src' },
      conditions: {},
    };
    await expect(p.uploadPartCopy(base, ctx())).rejects.toMatchObject({ code: 'PreconditionFailed' });
    gcs.hook = async (r) => {
      if (r.query.alt === 'media') {
        gcs.hook = undefined;
        await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload('three') }, ctx());
      }
      return undefined;
    };
    await expect(p.uploadPartCopy({ ...base, range: { start: 0, end: 1 } }, ctx())).rejects.toMatchObject({
      code: 'PreconditionFailed',
    });
  });

  it('decides S3 source conditions before copying', async () => {
    const p = provider();
    const put = await p.putObject({ bucket: BUCKET, key: 'src', body: toPayload('abc') }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    const base = {
      bucket: BUCKET,
      key: 'dest',
      uploadId,
      partNumber: 1,
      source: { bucket: BUCKET, key: 'src' },
    };
    await expect(
      p.uploadPartCopy({ ...base, conditions: { ifMatch: ['"nope"'] } }, ctx()),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    await expect(
      p.uploadPartCopy({ ...base, conditions: { ifNoneMatch: [put.etag] } }, ctx()),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    const future = new Date(Date.now() + 3_600_000);
    await expect(
      p.uploadPartCopy({ ...base, conditions: { ifModifiedSince: future } }, ctx()),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    // If-Match true wins over If-Unmodified-Since false, as in S3.
    const past = new Date(Date.now() - 3_600_000);
    await expect(
      p.uploadPartCopy({ ...base, conditions: { ifMatch: [put.etag], ifUnmodifiedSince: past } }, ctx()),
    ).resolves.toMatchObject({
      transfer: 'server-side',
    });
    expect(gcs.requests.filter((r) => r.segments.includes('rewriteTo'))).toHaveLength(1);
  });

  it('answers NoSuchUpload, NoSuchKey and NoSuchBucket like S3', async () => {
    const p = provider();
    const { uploadId } = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest' }, ctx());
    const base = { bucket: BUCKET, key: 'dest', uploadId, partNumber: 1, conditions: {} };
    await expect(
      p.uploadPartCopy({ ...base, source: { bucket: BUCKET, key: 'missing' } }, ctx()),
    ).rejects.toMatchObject({ code: 'NoSuchKey' });
    await expect(
      p.uploadPartCopy({ ...base, source: { bucket: 'nobucket', key: 'x' } }, ctx()),
    ).rejects.toMatchObject({ code: 'NoSuchBucket' });
    await expect(
      p.uploadPartCopy({ ...base, uploadId: 'x'.repeat(32), source: { bucket: BUCKET, key: 'x' } }, ctx()),
    ).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
    await expect(
      p.uploadPartCopy({ ...base, key: 'other-key', source: { bucket: BUCKET, key: 'x' } }, ctx()),
    ).rejects.toMatchObject({
      code: 'NoSuchUpload',
    });
  });
});

describe('completion requests', () => {
  it('composes 33 parts in two levels with every source pinned and guarded', async () => {
    const p = provider();
    const { uploadId, parts, bodies } = await stageParts(p, 'dest', 33);
    const done = await p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx());
    const composes = gcs.composeRequests();
    expect(composes).toHaveLength(2);
    const [first, last] = composes as [RecordedRequest, RecordedRequest];
    // Level 1: the least work that leaves 32 objects: parts 1 and 2 into one intermediate.
    const firstSources = (
      first.json as {
        sourceObjects: Array<{
          name: string;
          generation: string;
          objectPreconditions: { ifGenerationMatch: string };
        }>;
      }
    ).sourceObjects;
    expect(firstSources.map((s) => s.name.slice(-5))).toEqual(['00001', '00002']);
    expect(first.segments.at(-2)).toMatch(
      new RegExp(`^\\.partcopy/uploads/${uploadId}/compose/[0-9a-f]+/1-00000$`),
    );
    expect(first.query.ifGenerationMatch).toBe('0');
    for (const source of firstSources) {
      expect(source.generation).toMatch(/^\d+$/);
      expect(source.objectPreconditions.ifGenerationMatch).toBe(source.generation);
    }
    // Level 2: the intermediate then parts 3..33, into the destination with its settings.
    const lastBody = last.json as {
      sourceObjects: Array<{
        name: string;
        generation: string;
        objectPreconditions: { ifGenerationMatch: string };
      }>;
      destination: Record<string, unknown>;
    };
    expect(lastBody.sourceObjects).toHaveLength(32);
    expect(
      lastBody.sourceObjects.every((s) => s.objectPreconditions.ifGenerationMatch === s.generation),
    ).toBe(true);
    expect(last.segments.at(-2)).toBe('dest');
    expect(last.query.ifGenerationMatch).toBeUndefined();
    expect(lastBody.destination).toMatchObject({
      contentType: 'text/plain',
      metadata: { m: 'v', 'partcopy-etag': expect.any(String), 'partcopy-etag-crc32c': expect.any(String) },
    });
    expect(done.etag).toBe(multipartEtag(parts.map((part) => part.etag)));
    expect(gcs.object(BUCKET, 'dest')?.data.equals(Buffer.concat(bodies))).toBe(true);
    // GCS composites have no MD5; the ETag comes from the recorded metadata, bound to the CRC32C.
    expect(gcs.object(BUCKET, 'dest')?.md5Hash).toBeUndefined();
    expect((await p.headObject({ bucket: BUCKET, key: 'dest' }, ctx())).etag).toBe(done.etag);
    expect(gcs.names(BUCKET)).toEqual(['dest']);
    expect(reports[0]).toMatchObject({ parts: 33, depth: 2, calls: 2, callsPerLevel: [1, 1] });
  });

  it('runs the calls of a level concurrently, within the configured bound', async () => {
    const p = provider({ composeConcurrency: 4 });
    const { uploadId, parts } = await stageParts(p, 'dest', 200);
    gcs.composeDelayMs = 5;
    await p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx());
    expect(gcs.maxInFlightCompose).toBe(4);
    expect(reports[0]).toMatchObject({
      parts: 200,
      depth: 2,
      calls: 7,
      callsPerLevel: [6, 1],
      maxConcurrentPerLevel: [4, 1],
    });
  });

  it('maps If-None-Match: * to ifGenerationMatch=0 and If-Match to the generation it matched', async () => {
    const p = provider();
    let staged = await stageParts(p, 'dest', 1);
    await p.completeMultipartUpload(
      { bucket: BUCKET, key: 'dest', uploadId: staged.uploadId, parts: staged.parts, ifNoneMatch: '*' },
      ctx(),
    );
    expect(gcs.composeRequests().at(-1)?.query.ifGenerationMatch).toBe('0');
    const current = await p.headObject({ bucket: BUCKET, key: 'dest' }, ctx());

    staged = await stageParts(p, 'dest', 1);
    await expect(
      p.completeMultipartUpload(
        { bucket: BUCKET, key: 'dest', uploadId: staged.uploadId, parts: staged.parts, ifNoneMatch: '*' },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    await expect(
      p.completeMultipartUpload(
        { bucket: BUCKET, key: 'dest', uploadId: staged.uploadId, parts: staged.parts, ifMatch: '"other"' },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    await p.completeMultipartUpload(
      { bucket: BUCKET, key: 'dest', uploadId: staged.uploadId, parts: staged.parts, ifMatch: current.etag },
      ctx(),
    );
    expect(gcs.composeRequests().at(-1)?.query.ifGenerationMatch).toBe(current.versionId);
  });

  it('applies S3 rules before any compose: order, missing part, wrong ETag, EntityTooSmall', async () => {
    const p = provider({ minPartSize: 8 });
    const { uploadId, parts } = await stageParts(p, 'dest', 3);
    const complete = (list: CompletedPart[]) =>
      p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts: list }, ctx());
    await expect(complete([parts[1] as CompletedPart, parts[0] as CompletedPart])).rejects.toMatchObject({
      code: 'InvalidPartOrder',
    });
    await expect(complete([...parts, { partNumber: 4, etag: '"x"' }])).rejects.toMatchObject({
      code: 'InvalidPart',
    });
    await expect(complete([{ partNumber: 1, etag: '"0123"' }])).rejects.toMatchObject({
      code: 'InvalidPart',
    });
    await expect(complete([])).rejects.toMatchObject({ code: 'MalformedXML' });
    const tiny = provider({ minPartSize: 100 });
    await expect(
      tiny.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx()),
    ).rejects.toMatchObject({
      code: 'EntityTooSmall',
    });
    expect(gcs.composeRequests()).toHaveLength(0);
  });

  it('leaves the destination and the parts intact when a compose fails mid-tree, and completes on retry', async () => {
    const p = provider();
    await p.putObject({ bucket: BUCKET, key: 'dest', body: toPayload('old object') }, ctx());
    const { uploadId, parts, bodies } = await stageParts(p, 'dest', 100);
    let composes = 0;
    gcs.hook = (r) => {
      if (r.segments.at(-1) === 'compose' && ++composes === 2) return error(503, 'backendError', 'injected');
      return undefined;
    };
    await expect(
      p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx()),
    ).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      retryable: true,
    });
    expect(gcs.object(BUCKET, 'dest')?.data.toString()).toBe('old object');
    const left = gcs.names(BUCKET).filter((n) => n.startsWith('.partcopy/uploads/'));
    expect(left).toHaveLength(100);
    expect(left.every((n) => n.includes('/parts/'))).toBe(true);
    gcs.hook = undefined;
    await p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx());
    expect(gcs.object(BUCKET, 'dest')?.data.equals(Buffer.concat(bodies))).toBe(true);
    expect(gcs.names(BUCKET)).toEqual(['dest']);
  });

  it('answers InvalidPart when a part is replaced during completion (per-source precondition)', async () => {
    const p = provider();
    const { uploadId, parts } = await stageParts(p, 'dest', 2);
    gcs.hook = async (r) => {
      if (r.segments.at(-1) === 'compose') {
        gcs.hook = undefined;
        await p.uploadPart(
          { bucket: BUCKET, key: 'dest', uploadId, partNumber: 2, body: toPayload('changed') },
          ctx(),
        );
      }
      return undefined;
    };
    await expect(
      p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx()),
    ).rejects.toMatchObject({ code: 'InvalidPart' });
    expect(gcs.object(BUCKET, 'dest')).toBeUndefined();
  });
});

describe('customer-supplied keys (SSE-C)', () => {
  const key = SseCustomerKey.from('AES256', randomBytes(32));

  it('sends x-goog-encryption-* on every data request and needs the key again at completion', async () => {
    const p = provider();
    await p.putObject(
      { bucket: BUCKET, key: 'src', body: toPayload('secret bytes'), sseCustomer: key },
      ctx(),
    );
    const upload = await p.createMultipartUpload({ bucket: BUCKET, key: 'dest', sseCustomer: key }, ctx());
    expect(upload).toMatchObject({ sseCustomerAlgorithm: 'AES256', sseCustomerKeyMD5: key.keyMD5 });
    const part = await p.uploadPartCopy(
      {
        bucket: BUCKET,
        key: 'dest',
        uploadId: upload.uploadId,
        partNumber: 1,
        source: { bucket: BUCKET, key: 'src' },
        conditions: {},
        sseCustomer: key,
        sourceSseCustomer: key,
      },
      ctx(),
    );
    const rewrite = gcs.requests.find((r) => r.segments.includes('rewriteTo')) as RecordedRequest;
    expect(rewrite.headers).toMatchObject({
      'x-goog-encryption-algorithm': 'AES256',
      'x-goog-encryption-key': key.keyBase64(),
      'x-goog-encryption-key-sha256': key.keySHA256(),
      'x-goog-copy-source-encryption-algorithm': 'AES256',
      'x-goog-copy-source-encryption-key': key.keyBase64(),
      'x-goog-copy-source-encryption-key-sha256': key.keySHA256(),
    });
    // Parts must carry the upload's key, as S3 requires.
    await expect(
      p.uploadPart(
        { bucket: BUCKET, key: 'dest', uploadId: upload.uploadId, partNumber: 2, body: toPayload('x') },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
    const other = SseCustomerKey.from('AES256', randomBytes(32));
    await expect(
      p.uploadPartCopy(
        {
          bucket: BUCKET,
          key: 'dest',
          uploadId: upload.uploadId,
          partNumber: 2,
          source: { bucket: BUCKET, key: 'src' },
          conditions: {},
          sseCustomer: other,
          sourceSseCustomer: key,
        },
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
    const parts = [{ partNumber: 1, etag: part.copyPartResult.etag }];
    const failure = await p
      .completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId: upload.uploadId, parts }, ctx())
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'InvalidRequest' });
    expect(String((failure as Error).message)).not.toContain(key.keyBase64());
    await p.completeMultipartUpload(
      { bucket: BUCKET, key: 'dest', uploadId: upload.uploadId, parts, sseCustomer: key },
      ctx(),
    );
    expect(gcs.composeRequests().at(-1)?.headers['x-goog-encryption-key-sha256']).toBe(key.keySHA256());
    // The manifest records only the key's SHA-256.
    expect(gcs.requests.some((r) => JSON.stringify(r.json ?? '').includes(key.keyBase64()))).toBe(false);
  });
});

describe('cancellation', () => {
  it('aborts an in-flight request with RequestAborted (the SDK takes no AbortSignal; fetch does)', async () => {
    const p = provider();
    const controller = new AbortController();
    gcs.hook = (r) =>
      new Promise((_, reject) => {
        if (r.method === 'GET') {
          setTimeout(() => controller.abort(new Error('user gave up')), 5);
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        }
      });
    await expect(p.headObject({ bucket: BUCKET, key: 'x' }, ctx(controller.signal))).rejects.toMatchObject({
      code: 'RequestAborted',
    });
  });

  it('stops waiting for a token (the auth client takes no signal) when the signal fires', async () => {
    let fetches = 0;
    const api = new GcsJsonApi({
      endpoint: 'http://gcs.test',
      fetch: async () => {
        fetches++;
        return new Response('{}');
      },
      auth: () => new Promise(() => {}),
      retries: 0,
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user gave up')), 5);
    await expect(api.json('GET', '/b/bkt/o/x', { signal: controller.signal })).rejects.toMatchObject({
      code: 'RequestAborted',
    });
    expect(fetches).toBe(0);
  });

  it('stops a compose tree between calls when the signal fires', async () => {
    const p = provider({ composeConcurrency: 1 });
    const { uploadId, parts } = await stageParts(p, 'dest', 100);
    const controller = new AbortController();
    let composes = 0;
    gcs.hook = (r) => {
      if (r.segments.at(-1) === 'compose' && ++composes === 2) controller.abort();
      return undefined;
    };
    await expect(
      p.completeMultipartUpload({ bucket: BUCKET, key: 'dest', uploadId, parts }, ctx(controller.signal)),
    ).rejects.toMatchObject({
      code: 'RequestAborted',
    });
    expect(composes).toBeLessThanOrEqual(3);
    expect(gcs.object(BUCKET, 'dest')).toBeUndefined();
  });

  it('streams getObject bodies without buffering and reads them back', async () => {
    const p = provider();
    const body = randomBytes(5000);
    await p.putObject({ bucket: BUCKET, key: 'o', body: toPayload(body) }, ctx());
    const got = await p.getObject({ bucket: BUCKET, key: 'o', range: { start: 100, end: 99_999 } }, ctx());
    expect(got.range).toEqual({ start: 100, end: 4999 });
    expect(Buffer.from(await collectBytes(got.body)).equals(body.subarray(100))).toBe(true);
  });
});
