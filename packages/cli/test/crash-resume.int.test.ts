/**
 * Real `partcopy` processes killed with SIGKILL at seeded random provider calls while copying on
 * MinIO (S3's UploadPartCopy), resumed by the same `cp --resume`: identical bytes, no upload or
 * session left, and no part the store already held is requested again.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';
import { bundleChild, crashSeed, runChild } from './crash/crash-harness.js';
import { runCrashScenario } from './crash/crash-scenario.js';

const MiB = 1024 * 1024;
const source = patternBytes(6 * 5 * MiB + 4321, 9);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

let dir: string;
let child: string;
let env: Record<string, string>;
const bucket = `pc-crash-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-crash-s3-'));
  child = await bundleChild(dir);
  env = {
    PARTCOPY_S3_ENDPOINT: required('PARTCOPY_MINIO_ENDPOINT'),
    AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
  };
  await writeFile(join(dir, 'source.bin'), source);
  for (const args of [
    ['mb', `s3://${bucket}`],
    ['put', 'source.bin', `s3://${bucket}/src`],
  ]) {
    const run = await runChild(child, args, dir, env);
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

describe('crash and resume with real processes on MinIO', () => {
  it('SIGKILL at random points, then the same cp --resume: identical bytes, no part copied twice', async () => {
    const seed = crashSeed('minio');
    const outcome = await runCrashScenario({
      label: 'minio',
      child,
      cwd: dir,
      env,
      bucketUrl: `s3://${bucket}/`,
      cpOptions: ['--part-size', '5MiB', '--concurrency', '2'],
      callsPerCopy: 11,
      trials: 4,
      seed,
      bytesOf: async (key) => {
        const out = join(dir, `${key}.out`);
        const run = await runChild(child, ['get', `s3://${bucket}/${key}`, out], dir, env);
        expect(run.code, run.stderr).toBe(0);
        return readFile(out);
      },
    });
    console.log(
      `[crash minio] ${outcome.kills} kills, ${outcome.resumedParts} parts found already copied on resume`,
    );
    expect(outcome.kills).toBeGreaterThan(0);
  }, 600_000);
});
