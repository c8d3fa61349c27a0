import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { ctx, errorCode, payload, provider, read, tempDir } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'versions';
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket, versioning: true }, ctx());
});
afterEach(() => root.cleanup());

describe('versioned buckets', () => {
  it('gives every put and completion a version id and reads old versions', async () => {
    const v1 = await p.putObject({ bucket, key: 'k', body: payload('one') }, ctx());
    const v2 = await p.putObject({ bucket, key: 'k', body: payload('two') }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket, key: 'k' }, ctx());
    const part = await p.uploadPart(
      { bucket, key: 'k', uploadId, partNumber: 1, body: payload('three') },
      ctx(),
    );
    const v3 = await p.completeMultipartUpload(
      { bucket, key: 'k', uploadId, parts: [{ partNumber: 1, etag: part.etag }] },
      ctx(),
    );
    const ids = [v1.versionId, v2.versionId, v3.versionId];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{30}$/);
    expect(decode(await read(p, bucket, 'k'))).toBe('three');
    expect(decode(await read(p, bucket, 'k', { versionId: v1.versionId }))).toBe('one');
    expect((await p.headObject({ bucket, key: 'k', versionId: v2.versionId! }, ctx())).versionId).toBe(
      v2.versionId,
    );
    expect((await p.headObject({ bucket, key: 'k' }, ctx())).versionId).toBe(v3.versionId);
  });

  it('deletes with a delete marker, then by version id', async () => {
    const v1 = await p.putObject({ bucket, key: 'k', body: payload('one') }, ctx());
    const marker = await p.deleteObject({ bucket, key: 'k' }, ctx());
    expect(marker.deleteMarker).toBe(true);
    expect(marker.versionId).toMatch(/^[0-9a-f]{30}$/);
    expect(await errorCode(() => p.headObject({ bucket, key: 'k' }, ctx()))).toBe('NoSuchKey');
    expect((await p.listObjects({ bucket }, ctx())).objects).toEqual([]);
    expect(decode(await read(p, bucket, 'k', { versionId: v1.versionId }))).toBe('one');
    // A version id naming a delete marker: 405 MethodNotAllowed for reads, carried as InvalidRequest.
    const readMarker = await p
      .headObject({ bucket, key: 'k', versionId: marker.versionId! }, ctx())
      .catch((e: unknown) => e);
    expect(readMarker).toMatchObject({
      code: 'InvalidRequest',
      status: 405,
      providerCode: 'MethodNotAllowed',
    });
    expect(await errorCode(() => p.deleteBucket({ bucket }, ctx()))).toBe('BucketNotEmpty');
    // Removing the marker brings the object back.
    expect(await p.deleteObject({ bucket, key: 'k', versionId: marker.versionId! }, ctx())).toEqual({
      versionId: marker.versionId,
      deleteMarker: true,
    });
    expect(decode(await read(p, bucket, 'k'))).toBe('one');
    expect(await p.deleteObject({ bucket, key: 'k', versionId: v1.versionId! }, ctx())).toEqual({
      versionId: v1.versionId,
    });
    expect(await errorCode(() => p.headObject({ bucket, key: 'k' }, ctx()))).toBe('NoSuchKey');
    await p.deleteBucket({ bucket }, ctx());
  });

  it('answers NoSuchVersion for unknown versions', async () => {
    await p.putObject({ bucket, key: 'k', body: payload('x') }, ctx());
    for (const versionId of ['0'.repeat(30), 'null', 'not-a-version']) {
      expect(await errorCode(() => p.getObject({ bucket, key: 'k', versionId }, ctx()))).toBe(
        'NoSuchVersion',
      );
    }
  });

  it('copies parts from an older version, pinned by version id', async () => {
    const v1 = await p.putObject({ bucket, key: 'src', body: payload('version one bytes') }, ctx());
    await p.putObject({ bucket, key: 'src', body: payload('version two') }, ctx());
    const marker = await p.deleteObject({ bucket, key: 'src' }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket, key: 'dest' }, ctx());
    const base = { bucket, key: 'dest', uploadId, partNumber: 1, conditions: {} };
    const copied = await p.uploadPartCopy(
      { ...base, source: { bucket, key: 'src', versionId: v1.versionId! }, range: { start: 8, end: 10 } },
      ctx(),
    );
    expect(copied.copySourceVersionId).toBe(v1.versionId);
    expect(await errorCode(() => p.uploadPartCopy({ ...base, source: { bucket, key: 'src' } }, ctx()))).toBe(
      'NoSuchKey',
    );
    expect(
      await errorCode(() =>
        p.uploadPartCopy({ ...base, source: { bucket, key: 'src', versionId: marker.versionId! } }, ctx()),
      ),
    ).toBe('InvalidRequest');
    expect(
      await errorCode(() =>
        p.uploadPartCopy({ ...base, source: { bucket, key: 'src', versionId: '1'.repeat(30) } }, ctx()),
      ),
    ).toBe('NoSuchVersion');
    await p.completeMultipartUpload(
      { bucket, key: 'dest', uploadId, parts: [{ partNumber: 1, etag: copied.copyPartResult.etag }] },
      ctx(),
    );
    expect(decode(await read(p, bucket, 'dest'))).toBe('one');
  });

  it('keeps versions apart across provider instances (ids sort in publication order)', async () => {
    const other = provider(root.dir);
    const written: string[] = [];
    for (let i = 0; i < 6; i++) {
      const writer = i % 2 === 0 ? p : other;
      written.push((await writer.putObject({ bucket, key: 'k', body: payload(`v${i}`) }, ctx())).versionId!);
    }
    expect([...written].sort()).toEqual(written);
    expect(decode(await read(other, bucket, 'k'))).toBe('v5');
    await p.deleteObject({ bucket, key: 'k', versionId: written[5]! }, ctx());
    expect(decode(await read(other, bucket, 'k'))).toBe('v4');
  });

  it('hides version ids in unversioned buckets but accepts "null"', async () => {
    await p.createBucket({ bucket: 'plain' }, ctx());
    const put = await p.putObject({ bucket: 'plain', key: 'k', body: payload('x') }, ctx());
    expect(put.versionId).toBeUndefined();
    expect(decode(await read(p, 'plain', 'k', { versionId: 'null' }))).toBe('x');
    expect(
      await errorCode(() => p.headObject({ bucket: 'plain', key: 'k', versionId: '0'.repeat(30) }, ctx())),
    ).toBe('NoSuchVersion');
    expect(await p.deleteObject({ bucket: 'plain', key: 'k' }, ctx())).toEqual({});
  });
});

describe('errors of a copy from a source version', () => {
  // Every error of the copy names the version it was about, as memory's do: a condition or a
  // range failing on one version must not read as if it were about the current object.
  it('carry sourceVersionId for a failed condition and a range past the end', async () => {
    const v1 = await p.putObject({ bucket, key: 'src', body: payload('0123456789') }, ctx());
    await p.putObject({ bucket, key: 'src', body: payload('newer') }, ctx());
    const { uploadId } = await p.createMultipartUpload({ bucket, key: 'dst' }, ctx());
    const source = { bucket, key: 'src', versionId: v1.versionId as string };
    const base = { bucket, key: 'dst', uploadId, partNumber: 1, source };
    const failed = await p
      .uploadPartCopy({ ...base, conditions: { ifMatch: ['"nope"'] } }, ctx())
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'PreconditionFailed', context: { sourceVersionId: v1.versionId } });
    const pastEnd = await p
      .uploadPartCopy({ ...base, conditions: {}, range: { start: 0, end: 10 } }, ctx())
      .catch((e: unknown) => e);
    expect(pastEnd).toMatchObject({ code: 'InvalidArgument', context: { sourceVersionId: v1.versionId } });
  });
});
