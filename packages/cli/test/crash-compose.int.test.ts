/**
 * Real `partcopy compose --multipart --resume` processes SIGKILLed at seeded random provider calls
 * on MinIO (5 MiB part minimum: large pieces are UploadPartCopy, small ones joined through the
 * process with UploadPart), then the same command again: the pieces' bytes, never a torn
 * destination, no part written twice or written although listed, no upload or session left.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';
import { type ComposeCrash, composeThroughKills, type Kill, sha256 } from './crash/compose-crash.js';
import { bundleChild, crashSeed, runChild, seededRandom } from './crash/crash-harness.js';

const MiB = 1024 * 1024;
const objects: Record<string, Uint8Array> = {
  big1: patternBytes(5 * MiB + 1234, 1),
  big2: patternBytes(6 * MiB, 2),
  small1: patternBytes(100 * 1024, 3),
  small2: patternBytes(50 * 1024, 4),
};
const pieces: Array<{ key: string; range?: [number, number] }> = [
  { key: 'big1' },
  { key: 'small1' },
  { key: 'small2' },
  { key: 'big2', range: [1000, 5 * MiB + 999] },
  { key: 'small1', range: [10, 99] },
  { key: 'big2' },
];

function expected(): Buffer {
  return Buffer.concat(
    pieces.map((p) => {
      const bytes = Buffer.from(objects[p.key] as Uint8Array);
      return p.range ? bytes.subarray(p.range[0], p.range[1] + 1) : bytes;
    }),
  );
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

const bucket = `pc-crash-compose-${randomBytes(4).toString('hex')}`;
let child: string;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-crash-compose-s3-'));
  child = await bundleChild(dir);
  env = {
    PARTCOPY_S3_ENDPOINT: required('PARTCOPY_MINIO_ENDPOINT'),
    AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
  };
  expect((await runChild(child, ['mb', `s3://${bucket}`], dir, env)).code).toBe(0);
  for (const [key, bytes] of Object.entries(objects)) {
    await writeFile(join(dir, `${key}.bin`), bytes);
    const run = await runChild(child, ['put', `${key}.bin`, `s3://${bucket}/${key}`], dir, env);
    expect(run.code, run.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await runChild(child, ['uploads', 'abort', `s3://${bucket}`, '--all'], dir, env);
  const listed = await runChild(child, ['ls', `s3://${bucket}`, '--json'], dir, env);
  if (listed.code === 0) {
    for (const object of (JSON.parse(listed.stdout) as { objects: Array<{ key: string }> }).objects)
      await runChild(child, ['rm', `s3://${bucket}/${object.key}`], dir, env);
  }
  await runChild(child, ['rb', `s3://${bucket}`], dir, env);
  await rm(dir, { recursive: true, force: true });
});

const crash = (): ComposeCrash => ({
  child,
  cwd: dir,
  env,
  args: (key) => [
    'compose',
    `s3://${bucket}/${key}`,
    ...pieces.map((p) => `s3://${bucket}/${p.key}${p.range ? `[${p.range[0]}-${p.range[1]}]` : ''}`),
    '--multipart',
    '--resume',
    '--session-dir',
    'sessions',
    '--concurrency',
    '2',
  ],
  want: sha256(expected()),
  bytesOf: async (key) => {
    const out = join(dir, `${key}.out`);
    const run = await runChild(child, ['get', `s3://${bucket}/${key}`, out], dir, env);
    if (run.code === 3) return undefined;
    expect(run.code, run.stderr).toBe(0);
    return readFile(out);
  },
});

describe('compose --multipart --resume killed at random points on MinIO', () => {
  it('SIGKILL at seeded calls and at the completion, then the same command: identical bytes, nothing left', async () => {
    const seed = crashSeed('compose minio');
    const random = seededRandom(seed);
    // Two kills at any call (a clean compose makes about 12), then one each right after the
    // create and right after the completion (a lost answer the resume must recognise).
    const trials: Kill[][] = [0, 1].map(() =>
      [0, 1].map(() => ({ at: 1 + Math.floor(random() * 10), phase: random() < 0.5 ? 'after' : 'before' })),
    );
    trials.push([{ at: 1, method: 'createMultipartUpload', phase: 'after' }]);
    trials.push([{ at: 1, method: 'completeMultipartUpload', phase: 'after' }]);
    let kills = 0;
    const methods = new Set<string>();
    const torn: string[] = [];
    for (const [trial, plan] of trials.entries()) {
      const runs = await composeThroughKills(
        crash(),
        `dst-${trial}`,
        plan,
        `compose minio seed ${seed} trial ${trial}`,
      );
      kills += runs.kills;
      torn.push(...runs.torn);
      for (const m of runs.methods) methods.add(m);
    }
    console.log(`[crash compose minio] ${kills} kills`);
    expect(torn).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(2);
    expect([...methods].sort()).toEqual(['uploadPart', 'uploadPartCopy']);
    const uploads = await runChild(child, ['uploads', 'list', `s3://${bucket}`, '--json'], dir, env);
    expect(JSON.parse(uploads.stdout)).toMatchObject({ uploads: [] });
    expect(
      (await readdir(join(dir, 'sessions')).catch(() => [] as string[])).filter((f) => f.endsWith('.json')),
    ).toEqual([]);
  }, 600_000);
});
