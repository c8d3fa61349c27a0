import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  tempDir,
} from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
const bucket = 'shared';

beforeEach(async () => {
  root = await tempDir();
  await provider(root.dir).createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

describe('upload state lives on disk', () => {
  it('a second instance lists, completes and aborts uploads started by the first', async () => {
    const first = provider(root.dir);
    const second = provider(root.dir);
    const { uploadId } = await first.createMultipartUpload(
      { bucket, key: 'k', contentType: 'text/plain' },
      ctx(),
    );
    const p1 = await first.uploadPart(
      { bucket, key: 'k', uploadId, partNumber: 1, body: payload(bytes(1024, 1)) },
      ctx(),
    );
    const p2 = await second.uploadPart(
      { bucket, key: 'k', uploadId, partNumber: 2, body: payload(bytes(10, 2)) },
      ctx(),
    );
    expect((await second.listMultipartUploads({ bucket }, ctx())).uploads.map((u) => u.uploadId)).toEqual([
      uploadId,
    ]);
    expect((await second.listParts({ bucket, key: 'k', uploadId }, ctx())).parts.map((p) => p.etag)).toEqual([
      p1.etag,
      p2.etag,
    ]);
    await second.completeMultipartUpload(
      {
        bucket,
        key: 'k',
        uploadId,
        parts: [
          { partNumber: 1, etag: p1.etag },
          { partNumber: 2, etag: p2.etag },
        ],
      },
      ctx(),
    );
    expect(await read(first, bucket, 'k')).toEqual(concat(bytes(1024, 1), bytes(10, 2)));
    expect((await first.headObject({ bucket, key: 'k' }, ctx())).contentType).toBe('text/plain');

    const other = await first.createMultipartUpload({ bucket, key: 'k2' }, ctx());
    await second.abortMultipartUpload({ bucket, key: 'k2', uploadId: other.uploadId }, ctx());
    expect(
      await errorCode(() => first.listParts({ bucket, key: 'k2', uploadId: other.uploadId }, ctx())),
    ).toBe('NoSuchUpload');
  });

  it('a real child process continues and completes an upload', async () => {
    const p = provider(root.dir);
    const { uploadId } = await p.createMultipartUpload({ bucket, key: 'child' }, ctx());
    const part1 = await p.uploadPart(
      { bucket, key: 'child', uploadId, partNumber: 1, body: payload(bytes(1024, 7)) },
      ctx(),
    );
    const script = childScript(`
      const [uploadId, etag1] = args;
      const p = new FsProvider({ root, minPartSize: 1024 });
      const part2 = await p.uploadPart({ bucket: 'shared', key: 'child', uploadId, partNumber: 2, body: bodyOf('from the child') }, c);
      const done = await p.completeMultipartUpload({ bucket: 'shared', key: 'child', uploadId,
        parts: [{ partNumber: 1, etag: etag1 }, { partNumber: 2, etag: part2.etag }] }, c);
      process.stdout.write(done.etag);
    `);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, childArgs(script, root.dir, uploadId, part1.etag), {
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(stdout).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect((await p.headObject({ bucket, key: 'child' }, ctx())).etag).toBe(stdout);
    expect(await read(p, bucket, 'child')).toEqual(
      concat(bytes(1024, 7), new TextEncoder().encode('from the child')),
    );
  });
});
