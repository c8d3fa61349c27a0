// copyObject on the exact JSON API requests (a recording in-memory GCS): one metadata read and
// objects.rewrite rounds pinned to the source's generation, no upload and no media download (no
// payload byte through this process), the token loop, and the destination precondition.
import { randomBytes } from 'node:crypto';
import { type OperationContext, type ServerSideCopyRequest, toPayload } from '@partcopy/core/provider';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGcsProvider, type GcsProvider } from '../src/index.js';
import { RecordingGcs } from './support/recording-gcs.js';

const BUCKET = 'bkt';
const ctx = (): OperationContext => ({ signal: new AbortController().signal });

let gcs: RecordingGcs;

function provider(): GcsProvider {
  return createGcsProvider({ apiEndpoint: 'http://gcs.test', projectId: 'p', fetch: gcs.fetch, retries: 0 });
}

function copyRequest(overrides: Partial<ServerSideCopyRequest> = {}): ServerSideCopyRequest {
  return {
    bucket: BUCKET,
    key: 'copy',
    source: { bucket: BUCKET, key: 'source' },
    conditions: {},
    metadataDirective: 'COPY',
    settings: {},
    ...overrides,
  };
}

async function putSource(p: GcsProvider, size: number) {
  const body = randomBytes(size);
  const put = await p.putObject(
    { bucket: BUCKET, key: 'source', body: toPayload(body), contentType: 'text/x-src', metadata: { m: 'v' } },
    ctx(),
  );
  gcs.requests.length = 0;
  return { body, put };
}

beforeEach(() => {
  gcs = new RecordingGcs();
  // Versioned, so answers carry the generations these tests check the pins against.
  gcs.addBucket(BUCKET, true);
});

describe('copyObject on GCS', () => {
  it('reads the source once and rewrites it pinned to its generation; no payload byte is sent or received', async () => {
    const p = provider();
    const { body, put } = await putSource(p, 1024 * 1024);
    const result = await p.copyObject(copyRequest(), ctx());
    expect(
      gcs.requests.map(
        (r) => `${r.method} ${r.segments.at(-1) === 'source' ? 'source' : (r.segments[6] ?? r.segments[0])}`,
      ),
    ).toEqual(['GET source', 'POST rewriteTo']);
    const [read, rewrite] = gcs.requests;
    expect(read?.query.alt).toBeUndefined(); // metadata, not media
    expect(gcs.requests.some((r) => r.segments[0] === 'upload')).toBe(false);
    expect(rewrite?.query).toMatchObject({
      sourceGeneration: put.versionId,
      ifSourceGenerationMatch: put.versionId,
      ifSourceMetagenerationMatch: '1',
    });
    expect(rewrite?.query.ifGenerationMatch).toBeUndefined();
    // COPY: the source's settings travel in the (small) JSON body, never its bytes.
    expect(rewrite?.json).toEqual({ contentType: 'text/x-src', metadata: { m: 'v' } });
    expect(JSON.stringify(rewrite?.json).length).toBeLessThan(1024);
    expect(result).toMatchObject({
      transfer: 'server-side',
      bytesCopied: body.length,
      copySourceVersionId: put.versionId,
    });
    expect(gcs.object(BUCKET, 'copy')?.data.equals(body)).toBe(true);
  });

  it('continues the rewrite with its token, every round pinned', async () => {
    const p = provider();
    await putSource(p, 4096);
    let first = true;
    gcs.hook = (request) => {
      if (request.segments[6] !== 'rewriteTo' || !first) return undefined;
      first = false;
      return Response.json({
        done: false,
        rewriteToken: 'token-1',
        totalBytesRewritten: '2048',
        objectSize: '4096',
      });
    };
    const progress: number[] = [];
    await p.copyObject(copyRequest(), { ...ctx(), onProgress: (done) => progress.push(done) });
    const rounds = gcs.requests.filter((r) => r.segments[6] === 'rewriteTo');
    expect(rounds.map((r) => r.query.rewriteToken)).toEqual([undefined, 'token-1']);
    for (const round of rounds) expect(round.query.ifSourceGenerationMatch).toBeDefined();
    expect(progress).toEqual([2048, 4096]);
  });

  it('reports the token of each round, and a resumed copy starts from the token it is given', async () => {
    const p = provider();
    await putSource(p, 4096);
    let round = 0;
    gcs.hook = (request) => {
      if (request.segments[6] !== 'rewriteTo' || round++ > 0) return undefined;
      return Response.json({
        done: false,
        rewriteToken: 'token-1',
        totalBytesRewritten: '2048',
        objectSize: '4096',
      });
    };
    const tokens: string[] = [];
    await p.copyObject(copyRequest({ resumeToken: 'token-0' }), {
      ...ctx(),
      onResumeToken: (t) => tokens.push(t),
    });
    const rounds = gcs.requests.filter((r) => r.segments[6] === 'rewriteTo');
    expect(rounds.map((r) => r.query.rewriteToken)).toEqual(['token-0', 'token-1']);
    expect(tokens).toEqual(['token-1']);
  });

  it('a resumed token GCS refuses (400) starts the rewrite over, still pinned', async () => {
    const p = provider();
    const { body } = await putSource(p, 4096);
    gcs.hook = (request) =>
      request.segments[6] === 'rewriteTo' && request.query.rewriteToken === 'stale'
        ? Response.json({ error: { code: 400, message: 'Invalid rewrite token' } }, { status: 400 })
        : undefined;
    await p.copyObject(copyRequest({ resumeToken: 'stale' }), ctx());
    const rounds = gcs.requests.filter((r) => r.segments[6] === 'rewriteTo');
    expect(rounds.map((r) => r.query.rewriteToken)).toEqual(['stale', undefined]);
    for (const r of rounds) expect(r.query.ifSourceGenerationMatch).toBeDefined();
    expect(gcs.object(BUCKET, 'copy')?.data.equals(body)).toBe(true);
  });

  it('REPLACE sends exactly the given settings; ifNoneMatch "*" becomes ifGenerationMatch=0', async () => {
    const p = provider();
    await putSource(p, 10);
    await p.copyObject(
      copyRequest({
        metadataDirective: 'REPLACE',
        settings: { contentType: 'text/plain' },
        ifNoneMatch: '*',
      }),
      ctx(),
    );
    const rewrite = gcs.requests.find((r) => r.segments[6] === 'rewriteTo');
    expect(rewrite?.json).toEqual({ contentType: 'text/plain' });
    expect(rewrite?.query.ifGenerationMatch).toBe('0');
  });
});
