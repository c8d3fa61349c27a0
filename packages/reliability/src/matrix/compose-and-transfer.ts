/**
 * The compose and transfer cells: the engine's composeObject of two objects (5 MiB + 3 MiB + 77
 * bytes) into one, and transferObject of an 11 MiB object to another key, both made resumable
 * with a file session and repeated with the same session until they complete (a repeat resumes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { composeObject, FileSessionStore, transferObject } from '@partcopy/core';
import type { MatrixOperation, RunContext } from './operation.ts';
import { untilDone } from './rounds.ts';

const ROUNDS = 6;

export const managedCompose: MatrixOperation = {
  name: 'compose',
  async run(ctx: RunContext) {
    const a = randomBytes(5 * 1024 * 1024);
    const b = randomBytes(3 * 1024 * 1024 + 77);
    await ctx.direct.putObject({ bucket: ctx.bucket, key: 'a', body: a });
    await ctx.direct.putObject({ bucket: ctx.bucket, key: 'b', body: b });
    const session = { store: new FileSessionStore(join(ctx.workDir, 'sessions')), id: `compose-${ctx.seed}` };
    const done = await untilDone(ROUNDS, async () => {
      await composeObject({
        client: ctx.client,
        destination: { bucket: ctx.bucket, key: 'dst' },
        sources: [
          { bucket: ctx.bucket, key: 'a' },
          { bucket: ctx.bucket, key: 'b' },
        ],
        session,
      });
    });
    const expected = createHash('sha256').update(a).update(b).digest('hex');
    return { ...done, identical: await sameBytes(ctx, 'dst', expected), keys: ['a', 'b', 'dst'] };
  },
};

export const managedTransfer: MatrixOperation = {
  name: 'transfer',
  async run(ctx: RunContext) {
    const bytes = randomBytes(11 * 1024 * 1024 + 123);
    await ctx.direct.putObject({ bucket: ctx.bucket, key: 'src', body: bytes });
    const session = {
      store: new FileSessionStore(join(ctx.workDir, 'sessions')),
      id: `transfer-${ctx.seed}`,
    };
    const done = await untilDone(ROUNDS, async () => {
      await transferObject({
        source: { client: ctx.client, bucket: ctx.bucket, key: 'src' },
        destination: { client: ctx.client, bucket: ctx.bucket, key: 'dst' },
        partSize: 5 * 1024 * 1024,
        session,
      });
    });
    const expected = createHash('sha256').update(bytes).digest('hex');
    return { ...done, identical: await sameBytes(ctx, 'dst', expected), keys: ['src', 'dst'] };
  },
};

export async function sameBytes(ctx: RunContext, key: string, expected: string): Promise<boolean> {
  try {
    const got = await ctx.direct.getObject({ bucket: ctx.bucket, key });
    const hash = createHash('sha256');
    for await (const chunk of got.body) hash.update(chunk);
    return hash.digest('hex') === expected;
  } catch {
    return false;
  }
}
