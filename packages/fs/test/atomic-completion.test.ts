import { readdir } from 'node:fs/promises';
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
  sameBytes,
  stageParts,
  tempDir,
  tree,
} from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
const bucket = 'atomic';

beforeEach(async () => {
  root = await tempDir();
  await provider(root.dir).createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

function staged(p: FsProvider, key: string, parts: Uint8Array[]) {
  return stageParts(p, bucket, key, parts);
}

const tmpFiles = () => readdir(`${root.dir}/${bucket}/tmp`);

describe('atomic completion', () => {
  it('an abort mid-assembly leaves the old object intact and the upload completable', async () => {
    const p = provider(root.dir);
    await p.putObject({ bucket, key: 'obj', body: payload('old bytes') }, ctx());
    const parts = [bytes(2 * 1024 * 1024, 1), bytes(2 * 1024 * 1024, 2), bytes(100, 3)];
    const { uploadId, listed } = await staged(p, 'obj', parts);
    const controller = new AbortController();
    const onProgress = (done: number) => {
      if (done >= 1024 * 1024) controller.abort(new Error('simulated crash'));
    };
    const code = await errorCode(() =>
      p.completeMultipartUpload(
        { bucket, key: 'obj', uploadId, parts: listed },
        { signal: controller.signal, onProgress },
      ),
    );
    expect(code).toBe('RequestAborted');
    expect(new TextDecoder().decode(await read(p, bucket, 'obj'))).toBe('old bytes');
    expect(await tmpFiles()).toEqual([]);
    expect((await p.listParts({ bucket, key: 'obj', uploadId }, ctx())).parts).toHaveLength(3);
    await p.completeMultipartUpload({ bucket, key: 'obj', uploadId, parts: listed }, ctx());
    expect(sameBytes(await read(p, bucket, 'obj'), concat(...parts))).toBe(true);
  });

  it('an injected fault after assembly or before publication changes nothing', async () => {
    let fail: 'assemble' | 'publish' | undefined = 'assemble';
    const p = provider(root.dir, {
      hooks: {
        afterAssemblingPart: ({ partNumber }) => {
          if (fail === 'assemble' && partNumber === 2) throw new Error('disk on fire');
        },
        beforePublish: () => {
          if (fail === 'publish') throw new Error('power cut');
        },
      },
    });
    await p.putObject({ bucket, key: 'obj', body: payload('old') }, ctx()).catch(() => undefined);
    fail = undefined;
    await p.putObject({ bucket, key: 'obj', body: payload('old') }, ctx());
    const { uploadId, listed } = await staged(p, 'obj', [bytes(1024, 1), bytes(1024, 2), bytes(1, 3)]);
    for (const point of ['assemble', 'publish'] as const) {
      fail = point;
      expect(
        await errorCode(() =>
          p.completeMultipartUpload({ bucket, key: 'obj', uploadId, parts: listed }, ctx()),
        ),
      ).toBe('InternalError');
      expect(new TextDecoder().decode(await read(p, bucket, 'obj'))).toBe('old');
      expect(await tmpFiles()).toEqual([]);
      expect(await readdir(`${root.dir}/${bucket}/trash`)).toEqual([]);
    }
    fail = undefined;
    await p.completeMultipartUpload({ bucket, key: 'obj', uploadId, parts: listed }, ctx());
    expect((await p.headObject({ bucket, key: 'obj' }, ctx())).size).toBe(2049);
  });

  it('readers see the old object or the new one, never a torn one', async () => {
    const p = provider(root.dir);
    const oldBytes = bytes(300_000, 9);
    await p.putObject({ bucket, key: 'live', body: payload(oldBytes) }, ctx());
    const parts = [bytes(200_000, 1), bytes(200_000, 2)];
    const { uploadId, listed } = await staged(p, 'live', parts);
    const completing = p.completeMultipartUpload({ bucket, key: 'live', uploadId, parts: listed }, ctx());
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const got = Buffer.from(await read(p, bucket, 'live'));
      seen.add(
        got.equals(Buffer.from(oldBytes))
          ? 'old'
          : got.equals(Buffer.from(concat(...parts)))
            ? 'new'
            : 'torn',
      );
    }
    await completing;
    seen.add(
      Buffer.from(await read(p, bucket, 'live')).equals(Buffer.from(concat(...parts))) ? 'new' : 'torn',
    );
    expect(seen.has('torn')).toBe(false);
  });

  it('concurrent completions of one key: each publishes whole, the last wins', async () => {
    const a = provider(root.dir);
    const b = provider(root.dir);
    const one = await staged(a, 'same', [bytes(5000, 1), bytes(10, 1)]);
    const two = await staged(b, 'same', [bytes(4000, 2), bytes(20, 2)]);
    await Promise.all([
      a.completeMultipartUpload({ bucket, key: 'same', ...one, parts: one.listed }, ctx()),
      b.completeMultipartUpload({ bucket, key: 'same', ...two, parts: two.listed }, ctx()),
      a.putObject({ bucket, key: 'same', body: payload(bytes(3000, 3)) }, ctx()),
    ]);
    const final = Buffer.from(await read(a, bucket, 'same'));
    const candidates = [
      concat(bytes(5000, 1), bytes(10, 1)),
      concat(bytes(4000, 2), bytes(20, 2)),
      bytes(3000, 3),
    ];
    expect(candidates.some((c) => final.equals(Buffer.from(c)))).toBe(true);
    const head = await a.headObject({ bucket, key: 'same' }, ctx());
    expect(head.size).toBe(final.length);
    // Unversioned: exactly one version's files remain.
    const files = (await tree(`${root.dir}/${bucket}/objects`)).filter((f) => !f.endsWith('/'));
    expect(files).toHaveLength(2);
  });

  it('complete racing abort: exactly one wins', async () => {
    const p = provider(root.dir);
    const { uploadId, listed } = await staged(p, 'duel', [bytes(1024), bytes(1)]);
    const results = await Promise.allSettled([
      p.completeMultipartUpload({ bucket, key: 'duel', uploadId, parts: listed }, ctx()),
      provider(root.dir).abortMultipartUpload({ bucket, key: 'duel', uploadId }, ctx()),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('NoSuchUpload');
    expect(await readdir(`${root.dir}/${bucket}/uploads`)).toEqual([]);
    expect(await tmpFiles()).toEqual([]);
  });
});
