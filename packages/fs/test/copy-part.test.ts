import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import {
  bytes,
  childArgs,
  childScript,
  concat,
  ctx,
  errorCode,
  payload,
  provider,
  read,
  sameBytes,
  tempDir,
} from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;
const bucket = 'copies';
const source = { bucket, key: 'src' };
const srcBytes = bytes(10_000, 4);

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket }, ctx());
  await p.putObject({ bucket, key: 'src', body: payload(srcBytes) }, ctx());
});
afterEach(() => root.cleanup());

async function newUpload(key = 'dest') {
  return (await p.createMultipartUpload({ bucket, key }, ctx())).uploadId;
}

function copyRequest(uploadId: string, extra: Partial<UploadPartCopyRequest> = {}): UploadPartCopyRequest {
  return { bucket, key: 'dest', uploadId, partNumber: 1, source, conditions: {}, ...extra };
}

describe('uploadPartCopy', () => {
  it('copies a range on the server with the MD5 ETag of the copied bytes', async () => {
    const uploadId = await newUpload();
    const progress: number[] = [];
    const result = await p.uploadPartCopy(
      copyRequest(uploadId, { range: { start: 100, end: 1123 } }),
      ctx({ onProgress: (done) => progress.push(done) }),
    );
    const expected = srcBytes.subarray(100, 1124);
    expect(result.transfer).toBe('server-side');
    expect(result.bytesCopied).toBe(1024);
    expect(result.copyPartResult.etag).toBe(`"${createHash('md5').update(expected).digest('hex')}"`);
    expect(result.copyPartResult.lastModified).toBeInstanceOf(Date);
    expect(result.copySourceVersionId).toBeUndefined();
    expect(progress.at(-1)).toBe(1024);
    const whole = await p.uploadPartCopy(copyRequest(uploadId, { partNumber: 2 }), ctx());
    expect(whole.bytesCopied).toBe(10_000);
    await p.completeMultipartUpload(
      {
        bucket,
        key: 'dest',
        uploadId,
        parts: [
          { partNumber: 1, etag: result.copyPartResult.etag },
          { partNumber: 2, etag: whole.copyPartResult.etag },
        ],
      },
      ctx(),
    );
    expect(await read(p, bucket, 'dest')).toEqual(concat(expected, srcBytes));
  });

  it('checks in S3 order: upload, then source bucket and key, then conditions, then range', async () => {
    const uploadId = await newUpload();
    const bogus = copyRequest('0'.repeat(32), {
      source: { bucket: 'missing-bucket', key: 'x' },
      range: { start: 0, end: 99_999 },
    });
    expect(await errorCode(() => p.uploadPartCopy(bogus, ctx()))).toBe('NoSuchUpload');
    expect(await errorCode(() => p.uploadPartCopy(copyRequest(uploadId, { key: 'other' }), ctx()))).toBe(
      'NoSuchUpload',
    );
    const noBucket = copyRequest(uploadId, {
      source: { bucket: 'missing-bucket', key: 'x' },
      conditions: { ifMatch: ['"x"'] },
    });
    expect(await errorCode(() => p.uploadPartCopy(noBucket, ctx()))).toBe('NoSuchBucket');
    const noKey = copyRequest(uploadId, {
      source: { bucket, key: 'nope' },
      conditions: { ifMatch: ['"x"'] },
    });
    expect(await errorCode(() => p.uploadPartCopy(noKey, ctx()))).toBe('NoSuchKey');
    const failed = copyRequest(uploadId, {
      conditions: { ifMatch: ['"x"'] },
      range: { start: 0, end: 99_999 },
    });
    expect(await errorCode(() => p.uploadPartCopy(failed, ctx()))).toBe('PreconditionFailed');
    const pastEnd = copyRequest(uploadId, { range: { start: 0, end: 10_000 } });
    const error = (await p.uploadPartCopy(pastEnd, ctx()).catch((e: unknown) => e)) as Error & {
      code: string;
    };
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toContain('10000');
    expect((await p.listParts({ bucket, key: 'dest', uploadId }, ctx())).parts).toEqual([]);
  });

  it('decides the four source conditions as S3 does', async () => {
    const uploadId = await newUpload();
    const { etag, lastModified } = await p.headObject(source, ctx());
    const past = new Date(lastModified.getTime() - 3_600_000);
    const future = new Date(lastModified.getTime() + 3_600_000);
    const cases: Array<[UploadPartCopyRequest['conditions'], boolean]> = [
      [{ ifMatch: [etag] }, true],
      [{ ifMatch: ['"other"', etag.slice(1, -1)] }, true],
      [{ ifMatch: ['"other"'] }, false],
      [{ ifNoneMatch: [etag] }, false],
      [{ ifNoneMatch: ['"other"'] }, true],
      [{ ifModifiedSince: past }, true],
      [{ ifModifiedSince: future }, false],
      [{ ifUnmodifiedSince: future }, true],
      [{ ifUnmodifiedSince: past }, false],
      [{ ifMatch: [etag], ifUnmodifiedSince: past }, true],
      [{ ifNoneMatch: [etag], ifModifiedSince: past }, false],
    ];
    for (const [conditions, copies] of cases) {
      const attempt = () => p.uploadPartCopy(copyRequest(uploadId, { conditions }), ctx());
      if (copies) expect((await attempt()).bytesCopied).toBe(10_000);
      else expect(await errorCode(attempt)).toBe('PreconditionFailed');
    }
  });

  it('stays pinned to the version its conditions were decided on while the source is replaced', async () => {
    const big = bytes(4 * 1024 * 1024, 1);
    await p.putObject({ bucket, key: 'moving', body: payload(big) }, ctx());
    const { etag } = await p.headObject({ bucket, key: 'moving' }, ctx());
    const uploadId = await newUpload();
    // Another process replaces the source in the middle of the copy; execFileSync blocks this
    // process until it has, so the replacement certainly lands between two chunks of the copy.
    const replace = childScript(
      `await new FsProvider({ root }).putObject({ bucket: '${bucket}', key: 'moving', body: bodyOf('replacement') }, c);`,
    );
    let replacedMidCopy = false;
    const onProgress = (done: number) => {
      if (done >= 1024 * 1024 && done < big.length && !replacedMidCopy) {
        execFileSync(process.execPath, childArgs(replace, root.dir), {
          env: { ...process.env, NODE_OPTIONS: '' },
        });
        replacedMidCopy = true;
      }
    };
    const request = copyRequest(uploadId, {
      source: { bucket, key: 'moving' },
      conditions: { ifMatch: [etag] },
    });
    const result = await p.uploadPartCopy(request, ctx({ onProgress }));
    expect(replacedMidCopy).toBe(true);
    expect(result.copyPartResult.etag).toBe(etag);
    await p.completeMultipartUpload(
      { bucket, key: 'dest', uploadId, parts: [{ partNumber: 1, etag: result.copyPartResult.etag }] },
      ctx(),
    );
    expect(sameBytes(await read(p, bucket, 'dest'), big)).toBe(true);
    expect(new TextDecoder().decode(await read(p, bucket, 'moving'))).toBe('replacement');
  });

  it('stops with RequestAborted mid-copy and stages nothing', async () => {
    await p.putObject({ bucket, key: 'large', body: payload(bytes(5 * 1024 * 1024)) }, ctx());
    const uploadId = await newUpload();
    const controller = new AbortController();
    const onProgress = (done: number) => {
      if (done >= 2 * 1024 * 1024) controller.abort(new Error('enough'));
    };
    const request = copyRequest(uploadId, { source: { bucket, key: 'large' } });
    expect(await errorCode(() => p.uploadPartCopy(request, { signal: controller.signal, onProgress }))).toBe(
      'RequestAborted',
    );
    expect((await p.listParts({ bucket, key: 'dest', uploadId }, ctx())).parts).toEqual([]);
    expect(await readdir(`${root.dir}/${bucket}/tmp`)).toEqual([]);
  });

  it('an upload aborted by another process while a part copy runs gets no part (NoSuchUpload)', async () => {
    await p.putObject({ bucket, key: 'large', body: payload(bytes(3 * 1024 * 1024)) }, ctx());
    const uploadId = await newUpload();
    const abort = childScript(
      `await new FsProvider({ root }).abortMultipartUpload({ bucket: '${bucket}', key: 'dest', uploadId: args[0] }, c);`,
    );
    let aborted = false;
    const onProgress = (done: number) => {
      if (done >= 1024 * 1024 && !aborted) {
        execFileSync(process.execPath, childArgs(abort, root.dir, uploadId), {
          env: { ...process.env, NODE_OPTIONS: '' },
        });
        aborted = true;
      }
    };
    const request = copyRequest(uploadId, { source: { bucket, key: 'large' } });
    expect(await errorCode(() => p.uploadPartCopy(request, ctx({ onProgress })))).toBe('NoSuchUpload');
    expect(aborted).toBe(true);
    expect(await readdir(`${root.dir}/${bucket}/uploads`)).toEqual([]);
    expect(await readdir(`${root.dir}/${bucket}/tmp`)).toEqual([]);
  });

  it('refuses copies larger than maxPartSize with InvalidRequest', async () => {
    const small = provider(root.dir, { maxPartSize: 4096 });
    const uploadId = await newUpload();
    expect(await errorCode(() => small.uploadPartCopy(copyRequest(uploadId), ctx()))).toBe('InvalidRequest');
    expect(
      (await small.uploadPartCopy(copyRequest(uploadId, { range: { start: 0, end: 4095 } }), ctx()))
        .bytesCopied,
    ).toBe(4096);
  });

  it('copies an empty source into an empty part', async () => {
    await p.putObject({ bucket, key: 'empty', body: payload(new Uint8Array()) }, ctx());
    const uploadId = await newUpload();
    const result = await p.uploadPartCopy(copyRequest(uploadId, { source: { bucket, key: 'empty' } }), ctx());
    expect(result.bytesCopied).toBe(0);
    expect(result.copyPartResult.etag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
  });

  it('computes the upload checksum of copied parts', async () => {
    const { uploadId } = await p.createMultipartUpload(
      { bucket, key: 'dest', checksumAlgorithm: 'SHA256' },
      ctx(),
    );
    const result = await p.uploadPartCopy(copyRequest(uploadId, { range: { start: 0, end: 99 } }), ctx());
    expect(result.copyPartResult.checksumSHA256).toBe(
      createHash('sha256').update(srcBytes.subarray(0, 100)).digest('base64'),
    );
  });
});
