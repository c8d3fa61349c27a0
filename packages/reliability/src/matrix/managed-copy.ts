/**
 * The managed copy cell: the engine's copyObject of an 11 MiB object inside one bucket, made
 * resumable with a file session; a failed round is resumed (or started again when it left no
 * session) until it completes or the rounds run out. Odd seeds copy in 5 MiB ranged parts,
 * even seeds let the planner choose (a whole-object copy on every store here).
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { copyObject, FileSessionStore, resumeCopy } from '@partcopy/core';
import type { MatrixOperation, RunContext, RunOutcome } from './operation.ts';

const SIZE = 11 * 1024 * 1024 + 123;
const PART_SIZE = 5 * 1024 * 1024;
const ROUNDS = 6;

export const managedCopy: MatrixOperation = {
  name: 'managed copy',
  async run(ctx: RunContext): Promise<RunOutcome> {
    const bytes = randomBytes(SIZE);
    const expected = createHash('sha256').update(bytes).digest('hex');
    await ctx.direct.putObject({ bucket: ctx.bucket, key: 'src', body: bytes });
    const store = new FileSessionStore(join(ctx.workDir, 'sessions'));
    const session = { store, id: `fault-${ctx.seed}` };
    const errors: string[] = [];
    let completed = false;
    let rounds = 0;
    while (!completed && rounds < ROUNDS) {
      rounds++;
      try {
        if ((await store.read(session.id)) !== undefined) {
          await resumeCopy({ client: ctx.client, session });
        } else {
          await copyObject({
            client: ctx.client,
            source: { bucket: ctx.bucket, key: 'src' },
            destination: { bucket: ctx.bucket, key: 'dst' },
            partSize: ctx.seed % 2 === 1 ? PART_SIZE : undefined,
            session,
          });
        }
        completed = true;
      } catch (error) {
        errors.push(describe(error));
      }
    }
    const identical = await sameBytes(ctx, expected);
    return { completed, identical, rounds, errors, keys: ['src', 'dst'] };
  },
};

async function sameBytes(ctx: RunContext, expected: string): Promise<boolean> {
  try {
    const got = await ctx.direct.getObject({ bucket: ctx.bucket, key: 'dst' });
    const hash = createHash('sha256');
    for await (const chunk of got.body) hash.update(chunk);
    return hash.digest('hex') === expected;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `${e.code ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0]}`;
}
