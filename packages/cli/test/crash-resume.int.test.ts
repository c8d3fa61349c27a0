/**
 * Real `partcopy` processes killed with SIGKILL at seeded random provider calls while copying on
 * MinIO (S3's UploadPartCopy), Azurite (Put Block From URL) and fake-gcs-server (ranges streamed
 * through the client, staged as objects), resumed by the same `cp --resume`: identical bytes, no upload or
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

const stores = [
  {
    scheme: 's3',
    label: 'minio',
    env: () => ({
      PARTCOPY_S3_ENDPOINT: required('PARTCOPY_MINIO_ENDPOINT'),
      AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
      AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
    }),
  },
  {
    scheme: 'az',
    label: 'azurite',
    env: () => ({ AZURE_STORAGE_CONNECTION_STRING: required('PARTCOPY_AZURITE_CONNECTION_STRING') }),
  },
  {
    scheme: 'gs',
    label: 'fake-gcs-server',
    env: () => ({
      PARTCOPY_GCS_ENDPOINT: required('PARTCOPY_GCS_ENDPOINT'),
      PARTCOPY_GCS_PROJECT: required('PARTCOPY_GCS_PROJECT'),
    }),
  },
];

let child: string;
let childDir: string;

beforeAll(async () => {
  childDir = await mkdtemp(join(tmpdir(), 'partcopy-crash-child-'));
  child = await bundleChild(childDir);
}, 180_000);

afterAll(async () => {
  await rm(childDir, { recursive: true, force: true });
});

describe.each(stores)('crash and resume with real processes on $label', ({ scheme, label, env: envOf }) => {
  let dir: string;
  let env: Record<string, string>;
  const bucket = `pc-crash-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `partcopy-crash-${scheme}-`));
    env = envOf();
    await writeFile(join(dir, 'source.bin'), source);
    for (const args of [
      ['mb', `${scheme}://${bucket}`],
      ['put', 'source.bin', `${scheme}://${bucket}/src`],
    ]) {
      const run = await runChild(child, args, dir, env);
      expect(run.code, run.stderr).toBe(0);
    }
  }, 180_000);

  afterAll(async () => {
    await runChild(child, ['uploads', 'abort', `${scheme}://${bucket}`, '--all'], dir, env);
    const listed = await runChild(child, ['ls', `${scheme}://${bucket}`, '--json'], dir, env);
    if (listed.code === 0) {
      for (const object of (JSON.parse(listed.stdout) as { objects: Array<{ key: string }> }).objects)
        await runChild(child, ['rm', `${scheme}://${bucket}/${object.key}`], dir, env);
    }
    await runChild(child, ['rb', `${scheme}://${bucket}`], dir, env);
    await rm(dir, { recursive: true, force: true });
  });

  it('SIGKILL at random points, then the same cp --resume: identical bytes, no part copied twice', async () => {
    const seed = crashSeed(label);
    const outcome = await runCrashScenario({
      label,
      child,
      cwd: dir,
      env,
      bucketUrl: `${scheme}://${bucket}/`,
      cpOptions: ['--part-size', '5MiB', '--concurrency', '2'],
      parts: 7,
      callsPerCopy: 11,
      trials: 3,
      seed,
      bytesOf: async (key) => {
        const out = join(dir, `${key}.out`);
        const run = await runChild(child, ['get', `${scheme}://${bucket}/${key}`, out], dir, env);
        expect(run.code, run.stderr).toBe(0);
        return readFile(out);
      },
    });
    console.log(
      `[crash ${label}] ${outcome.kills} kills, ${outcome.resumedParts} parts found already copied on resume`,
    );
    expect(outcome.kills).toBeGreaterThan(0);
    expect(outcome.resumedParts).toBeGreaterThan(0);
  }, 600_000);
});
