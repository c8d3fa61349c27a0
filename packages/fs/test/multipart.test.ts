import { createHash } from 'node:crypto';
import { checksumOf, multipartEtag } from '@partcopy/core/provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import {
  bytes,
  concat,
  ctx,
  errorCode,
  payload,
  provider,
  read,
  stageParts,
  tempDir,
  tree,
} from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'mpb';

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

function upload(key: string, parts: Uint8Array[]) {
  return stageParts(p, bucket, key, parts, { contentType: 'text/x-mp', metadata: { a: '1' } });
}

describe('multipart uploads', () => {
  it('completes with the multipart ETag, settings, parts count, and nothing staged left', async () => {
    const before = await tree(`${root.dir}/${bucket}`);
    const parts = [bytes(1024, 1), bytes(2048, 2), bytes(7, 3)];
    const { uploadId, listed } = await upload('obj', parts);
    const done = await p.completeMultipartUpload({ bucket, key: 'obj', uploadId, parts: listed }, ctx());
    expect(done.etag).toBe(multipartEtag(parts.map((b) => createHash('md5').update(b).digest('hex'))));
    expect(done.etag).toMatch(/-3"$/);
    expect(await read(p, bucket, 'obj')).toEqual(concat(...parts));
    const head = await p.headObject({ bucket, key: 'obj' }, ctx());
    expect(head).toMatchObject({
      size: 3079,
      partsCount: 3,
      contentType: 'text/x-mp',
      metadata: { a: '1' },
      etag: done.etag,
    });
    expect(await errorCode(() => p.listParts({ bucket, key: 'obj', uploadId }, ctx()))).toBe('NoSuchUpload');
    expect(
      await errorCode(() =>
        p.completeMultipartUpload({ bucket, key: 'obj', uploadId, parts: listed }, ctx()),
      ),
    ).toBe('NoSuchUpload');
    const after = (await tree(`${root.dir}/${bucket}`)).filter((path) => !path.startsWith('objects/'));
    expect(after).toEqual(before.filter((path) => !path.startsWith('objects/')));
  });

  it('records each part’s size, in part order, with the completed object', async () => {
    const parts = [bytes(1024, 1), bytes(2048, 2), bytes(7, 3)];
    const { uploadId, listed } = await upload('parts', parts);
    await p.completeMultipartUpload({ bucket, key: 'parts', uploadId, parts: listed }, ctx());
    const head = await p.headObject({ bucket, key: 'parts' }, ctx());
    expect(head.parts?.map((part) => part.size)).toEqual([1024, 2048, 7]);
  });

  it('leaves the key invisible until completion', async () => {
    const { uploadId, listed } = await upload('hidden', [bytes(1024), bytes(1)]);
    expect((await p.listObjects({ bucket }, ctx())).objects).toEqual([]);
    expect(await errorCode(() => p.headObject({ bucket, key: 'hidden' }, ctx()))).toBe('NoSuchKey');
    await p.completeMultipartUpload({ bucket, key: 'hidden', uploadId, parts: listed }, ctx());
    expect((await p.listObjects({ bucket }, ctx())).objects.map((o) => o.key)).toEqual(['hidden']);
  });

  it('abort removes every staged file: the tree equals the one before create', async () => {
    await p.putObject({ bucket, key: 'keep', body: payload('old') }, ctx());
    const before = await tree(root.dir);
    const { uploadId } = await upload('keep', [bytes(1024), bytes(2000), bytes(5)]);
    await p.uploadPart({ bucket, key: 'keep', uploadId, partNumber: 2, body: payload(bytes(3000)) }, ctx());
    await p.abortMultipartUpload({ bucket, key: 'keep', uploadId }, ctx());
    expect(await tree(root.dir)).toEqual(before);
    expect(new TextDecoder().decode(await read(p, bucket, 'keep'))).toBe('old');
    expect(await errorCode(() => p.abortMultipartUpload({ bucket, key: 'keep', uploadId }, ctx()))).toBe(
      'NoSuchUpload',
    );
    expect(
      await errorCode(() =>
        p.uploadPart({ bucket, key: 'keep', uploadId, partNumber: 1, body: payload('x') }, ctx()),
      ),
    ).toBe('NoSuchUpload');
  });

  it('applies S3 completion rules before changing anything', async () => {
    const { uploadId, listed } = await upload('rules', [bytes(1024), bytes(100), bytes(1024)]);
    const ref = { bucket, key: 'rules', uploadId };
    expect(await errorCode(() => p.completeMultipartUpload({ ...ref, parts: [] }, ctx()))).toBe(
      'MalformedXML',
    );
    expect(
      await errorCode(() => p.completeMultipartUpload({ ...ref, parts: [listed[1]!, listed[0]!] }, ctx())),
    ).toBe('InvalidPartOrder');
    expect(
      await errorCode(() =>
        p.completeMultipartUpload({ ...ref, parts: [{ partNumber: 1, etag: '"deadbeef"' }] }, ctx()),
      ),
    ).toBe('InvalidPart');
    expect(
      await errorCode(() =>
        p.completeMultipartUpload({ ...ref, parts: [{ ...listed[0]!, partNumber: 9 }] }, ctx()),
      ),
    ).toBe('InvalidPart');
    expect(await errorCode(() => p.completeMultipartUpload({ ...ref, parts: listed }, ctx()))).toBe(
      'EntityTooSmall',
    );
    expect(
      await errorCode(() =>
        p.completeMultipartUpload({ ...ref, parts: [listed[0]!], mpObjectSize: 5 }, ctx()),
      ),
    ).toBe('InvalidRequest');
    expect(await errorCode(() => p.headObject({ bucket, key: 'rules' }, ctx()))).toBe('NoSuchKey');
    // Parts not listed are left out; the small part may be last.
    await p.completeMultipartUpload({ ...ref, parts: [listed[0]!, listed[1]!] }, ctx());
    expect((await p.headObject({ bucket, key: 'rules' }, ctx())).size).toBe(1124);
  });

  it('replaces a part re-uploaded with the same number (new ETag, old bytes gone)', async () => {
    const { uploadId, listed } = await upload('again', [bytes(1024, 1)]);
    const second = await p.uploadPart(
      { bucket, key: 'again', uploadId, partNumber: 1, body: payload(bytes(1024, 2)) },
      ctx(),
    );
    expect(second.etag).not.toBe(listed[0]!.etag);
    expect(
      await errorCode(() =>
        p.completeMultipartUpload({ bucket, key: 'again', uploadId, parts: listed }, ctx()),
      ),
    ).toBe('InvalidPart');
    const parts = await p.listParts({ bucket, key: 'again', uploadId }, ctx());
    expect(parts.parts).toHaveLength(1);
    const dataFiles = (await tree(`${root.dir}/${bucket}/uploads/${uploadId}`)).filter((f) =>
      f.includes('.data'),
    );
    expect(dataFiles).toHaveLength(1);
    await p.completeMultipartUpload(
      { bucket, key: 'again', uploadId, parts: [{ partNumber: 1, etag: second.etag }] },
      ctx(),
    );
    expect(await read(p, bucket, 'again')).toEqual(bytes(1024, 2));
  });

  it('paginates listParts', async () => {
    const { uploadId } = await upload(
      'many',
      Array.from({ length: 7 }, (_, i) => bytes(10, i)),
    );
    const numbers: number[] = [];
    let marker: number | undefined;
    for (;;) {
      const page = await p.listParts(
        { bucket, key: 'many', uploadId, maxParts: 3, ...(marker ? { partNumberMarker: marker } : {}) },
        ctx(),
      );
      numbers.push(...page.parts.map((part) => part.partNumber));
      expect(page.parts.every((part) => part.size === 10 && /^"[0-9a-f]{32}"$/.test(part.etag))).toBe(true);
      if (!page.isTruncated) break;
      marker = page.nextPartNumberMarker;
    }
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await errorCode(() => p.listParts({ bucket, key: 'other-key', uploadId }, ctx()))).toBe(
      'NoSuchUpload',
    );
  });

  it('lists uploads by key then initiation, paginated with key and upload id markers', async () => {
    const made: Array<{ key: string; uploadId: string }> = [];
    for (const key of ['b', 'a', 'b', 'c', 'a/x']) {
      const { uploadId } = await p.createMultipartUpload({ bucket, key }, ctx());
      made.push({ key, uploadId });
      await new Promise((resolve) => setTimeout(resolve, 3)); // distinct initiation times
    }
    const all = await p.listMultipartUploads({ bucket }, ctx());
    expect(all.uploads.map((u) => u.key)).toEqual(['a', 'a/x', 'b', 'b', 'c']);
    const bs = made.filter((m) => m.key === 'b').map((m) => m.uploadId);
    expect(all.uploads.filter((u) => u.key === 'b').map((u) => u.uploadId)).toEqual(bs);
    const seen: string[] = [];
    let markers: { keyMarker?: string; uploadIdMarker?: string } = {};
    for (;;) {
      const page = await p.listMultipartUploads({ bucket, maxUploads: 2, ...markers }, ctx());
      seen.push(...page.uploads.map((u) => u.uploadId));
      if (!page.isTruncated) break;
      markers = { keyMarker: page.nextKeyMarker!, uploadIdMarker: page.nextUploadIdMarker! };
    }
    expect(seen).toEqual(all.uploads.map((u) => u.uploadId));
    expect((await p.listMultipartUploads({ bucket, prefix: 'a' }, ctx())).uploads.map((u) => u.key)).toEqual([
      'a',
      'a/x',
    ]);
    expect(
      (await p.listMultipartUploads({ bucket, keyMarker: 'b' }, ctx())).uploads.map((u) => u.key),
    ).toEqual(['c']);
  });

  it('honours destination conditions on completion and keeps the upload completable', async () => {
    await p.putObject({ bucket, key: 'dest', body: payload('existing') }, ctx());
    const { uploadId, listed } = await upload('dest', [bytes(50)]);
    const ref = { bucket, key: 'dest', uploadId, parts: listed };
    expect(await errorCode(() => p.completeMultipartUpload({ ...ref, ifNoneMatch: '*' }, ctx()))).toBe(
      'PreconditionFailed',
    );
    expect(await errorCode(() => p.completeMultipartUpload({ ...ref, ifMatch: '"0000"' }, ctx()))).toBe(
      'PreconditionFailed',
    );
    const current = await p.headObject({ bucket, key: 'dest' }, ctx());
    await p.completeMultipartUpload({ ...ref, ifMatch: current.etag }, ctx());
    expect(await read(p, bucket, 'dest')).toEqual(bytes(50));
  });

  it('computes part and object checksums (composite and full object)', async () => {
    for (const [algorithm, checksumType] of [
      ['CRC32', 'COMPOSITE'],
      ['CRC32C', 'FULL_OBJECT'],
      ['SHA256', undefined],
      ['SHA1', 'COMPOSITE'],
      ['CRC64NVME', 'FULL_OBJECT'],
    ] as const) {
      const key = `sum-${algorithm}`;
      const created = await p.createMultipartUpload(
        { bucket, key, checksumAlgorithm: algorithm, ...(checksumType ? { checksumType } : {}) },
        ctx(),
      );
      expect(created.checksumAlgorithm).toBe(algorithm);
      const field = `checksum${algorithm}` as const;
      const one = await p.uploadPart(
        { bucket, key, uploadId: created.uploadId, partNumber: 1, body: payload(bytes(1024, 1)) },
        ctx(),
      );
      const two = await p.uploadPart(
        { bucket, key, uploadId: created.uploadId, partNumber: 2, body: payload(bytes(10, 2)) },
        ctx(),
      );
      expect(one[field]).toMatch(/^[A-Za-z0-9+/]+=*$/);
      const parts = [
        { partNumber: 1, etag: one.etag, [field]: one[field] },
        { partNumber: 2, etag: two.etag, [field]: two[field] },
      ];
      const ref = { bucket, key, uploadId: created.uploadId };
      // COMPOSITE completions must state every part's checksum; FULL_OBJECT ones may leave them out.
      const unstated = [parts[0]!, { partNumber: 2, etag: two.etag }];
      if ((checksumType ?? 'COMPOSITE') === 'COMPOSITE') {
        expect(await errorCode(() => p.completeMultipartUpload({ ...ref, parts: unstated }, ctx()))).toBe(
          'InvalidRequest',
        );
      }
      const otherType = checksumType === 'FULL_OBJECT' ? 'COMPOSITE' : 'FULL_OBJECT';
      expect(
        await errorCode(() => p.completeMultipartUpload({ ...ref, parts, checksumType: otherType }, ctx())),
      ).toBe('InvalidRequest');
      expect(
        await errorCode(() => p.completeMultipartUpload({ ...ref, parts, [field]: 'AAAAAA==' }, ctx())),
      ).toBe('BadDigest');
      const bad = [{ ...parts[0]!, [field]: 'AAAAAA==' }, parts[1]!];
      expect(
        await errorCode(() =>
          p.completeMultipartUpload({ bucket, key, uploadId: created.uploadId, parts: bad }, ctx()),
        ),
      ).toBe('InvalidPart');
      const done = await p.completeMultipartUpload({ bucket, key, uploadId: created.uploadId, parts }, ctx());
      expect(done.checksumType).toBe(checksumType ?? 'COMPOSITE');
      if (done.checksumType === 'COMPOSITE') expect(done[field]).toMatch(/-2$/);
      else expect(done[field]).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect((await p.headObject({ bucket, key }, ctx()))[field]).toBe(done[field]);
    }
    // CRC32 of the full object, checked against zlib.
    const { crc32 } = await import('node:zlib');
    const created = await p.createMultipartUpload(
      { bucket, key: 'full', checksumAlgorithm: 'CRC32', checksumType: 'FULL_OBJECT' },
      ctx(),
    );
    const a = await p.uploadPart(
      { bucket, key: 'full', uploadId: created.uploadId, partNumber: 1, body: payload(bytes(1024, 5)) },
      ctx(),
    );
    const b = await p.uploadPart(
      { bucket, key: 'full', uploadId: created.uploadId, partNumber: 2, body: payload(bytes(99, 6)) },
      ctx(),
    );
    const done = await p.completeMultipartUpload(
      {
        bucket,
        key: 'full',
        uploadId: created.uploadId,
        parts: [
          { partNumber: 1, etag: a.etag },
          { partNumber: 2, etag: b.etag },
        ],
      },
      ctx(),
    );
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32(concat(bytes(1024, 5), bytes(99, 6))));
    expect(done.checksumCRC32).toBe(expected.toString('base64'));
    expect(
      await errorCode(() =>
        p.createMultipartUpload(
          { bucket, key: 'x', checksumAlgorithm: 'SHA256', checksumType: 'FULL_OBJECT' },
          ctx(),
        ),
      ),
    ).toBe('InvalidRequest');
  });

  it('computes CRC64NVME: full-object by default, the CRC of all the bytes; composite refused', async () => {
    const created = await p.createMultipartUpload(
      { bucket, key: 'nvme', checksumAlgorithm: 'CRC64NVME' },
      ctx(),
    );
    expect(created).toMatchObject({ checksumAlgorithm: 'CRC64NVME', checksumType: 'FULL_OBJECT' });
    const ref = { bucket, key: 'nvme', uploadId: created.uploadId };
    const one = await p.uploadPart({ ...ref, partNumber: 1, body: payload(bytes(1024, 7)) }, ctx());
    const two = await p.uploadPart({ ...ref, partNumber: 2, body: payload(bytes(333, 8)) }, ctx());
    // The CRC catalogue vectors are checked in core; here the store must apply it to the right bytes.
    expect(one.checksumCRC64NVME).toBe(checksumOf('CRC64NVME', bytes(1024, 7)));
    const done = await p.completeMultipartUpload(
      {
        ...ref,
        parts: [
          { partNumber: 1, etag: one.etag },
          { partNumber: 2, etag: two.etag },
        ],
      },
      ctx(),
    );
    const whole = checksumOf('CRC64NVME', concat(bytes(1024, 7), bytes(333, 8)));
    expect(done).toMatchObject({ checksumType: 'FULL_OBJECT', checksumCRC64NVME: whole });
    expect((await p.headObject({ bucket, key: 'nvme' }, ctx())).checksumCRC64NVME).toBe(whole);
    expect(
      await errorCode(() =>
        p.createMultipartUpload(
          { bucket, key: 'x', checksumAlgorithm: 'CRC64NVME', checksumType: 'COMPOSITE' },
          ctx(),
        ),
      ),
    ).toBe('InvalidRequest');
  });

  it('rejects parts over maxPartSize with EntityTooLarge', async () => {
    const small = provider(root.dir, { maxPartSize: 2048 });
    const { uploadId } = await small.createMultipartUpload({ bucket, key: 'big' }, ctx());
    expect(
      await errorCode(() =>
        small.uploadPart({ bucket, key: 'big', uploadId, partNumber: 1, body: payload(bytes(2049)) }, ctx()),
      ),
    ).toBe('EntityTooLarge');
    expect(small.capabilities.maxPartSize).toBe(2048);
  });
});
