/**
 * A transfer is a session: a real `partcopy cp --resume` process moving an object between two
 * stores is SIGKILLed after a seeded number of part uploads, and the same command run again
 * finishes it from the parts the destination already holds. Per destination kind: fs, MinIO,
 * Azurite and fake-gcs-server. Checked: identical bytes, no part the destination listed is
 * uploaded again, every other part uploaded exactly once, and no upload or session left; into
 * Azure, the resumed result reports the same checks as an unresumed transfer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';
import { bundleChild, crashSeed, readLog, runChild, seededRandom } from './crash/crash-harness.js';

const MiB = 1024 * 1024;
const PARTS = 5;
const source = patternBytes((PARTS - 1) * 5 * MiB + 4321, 31);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

interface TransferJson {
  session?: { resumed: boolean; partsReused: number };
  strategy: string;
  verification: { checks: string[] };
}

const serverEnv = () => ({
  PARTCOPY_S3_ENDPOINT: required('PARTCOPY_MINIO_ENDPOINT'),
  AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
  AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
  AZURE_STORAGE_CONNECTION_STRING: required('PARTCOPY_AZURITE_CONNECTION_STRING'),
  PARTCOPY_GCS_ENDPOINT: required('PARTCOPY_GCS_ENDPOINT'),
  PARTCOPY_GCS_PROJECT: required('PARTCOPY_GCS_PROJECT'),
  PARTCOPY_CAPABILITIES_OFF: 'uploadPartFromForeignUrl',
});

// Destination kind, and the store the source lives in (MinIO, or fs for the MinIO destination).
const cases = [
  { to: 'file', from: 's3' },
  { to: 's3', from: 'file' },
  { to: 'az', from: 's3' },
  { to: 'gs', from: 's3' },
];

let child: string;
let dir: string;
let env: Record<string, string>;
const bucket = `pc-trx-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-transfer-crash-'));
  child = await bundleChild(dir);
  env = serverEnv();
  await writeFile(join(dir, 'source.bin'), source);
  for (const scheme of ['file', 's3', 'az', 'gs']) {
    const made = await runChild(child, ['mb', `${scheme}://${bucket}`], dir, env);
    expect(made.code, made.stderr).toBe(0);
  }
  for (const scheme of ['s3', 'file']) {
    const put = await runChild(child, ['put', 'source.bin', `${scheme}://${bucket}/src`], dir, env);
    expect(put.code, put.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  for (const scheme of ['file', 's3', 'az', 'gs']) {
    await runChild(child, ['uploads', 'abort', `${scheme}://${bucket}`, '--all'], dir, env);
    const listed = await runChild(child, ['ls', `${scheme}://${bucket}`, '--json'], dir, env);
    if (listed.code === 0)
      for (const object of (JSON.parse(listed.stdout) as { objects: Array<{ key: string }> }).objects)
        await runChild(child, ['rm', `${scheme}://${bucket}/${object.key}`], dir, env);
    await runChild(child, ['rb', `${scheme}://${bucket}`], dir, env);
  }
  await rm(dir, { recursive: true, force: true });
}, 180_000);

describe.each(cases)('a transfer from $from:// to $to:// killed with SIGKILL', ({ from, to }) => {
  it('resumes from the parts already uploaded and ends with identical bytes', async () => {
    const seed = crashSeed(`transfer to ${to}`);
    // One part at a time: HEAD of the source (call 1), create (2), then a read and an upload per
    // part. Killed right after upload number `done` (1 .. PARTS - 1) was answered.
    const done = 1 + Math.floor(seededRandom(seed)() * (PARTS - 1));
    const log = join(dir, `transfer-${to}.log`);
    const args = [
      'cp',
      `${from}://${bucket}/src`,
      `${to}://${bucket}/dst-${from}`,
      '--resume',
      '--part-size',
      '5MiB',
      '--concurrency',
      '1',
    ];
    const killed = await runChild(child, args, dir, {
      ...env,
      CRASH_LOG: log,
      CRASH_RUN: '0',
      CRASH_AT: String(2 + 2 * done),
      CRASH_PHASE: 'after',
    });
    const context = `[${to} seed ${seed}: killed after ${done} uploads]\n${killed.stderr}`;
    expect(killed.signal, context).toBe('SIGKILL');
    const resumed = await runChild(child, [...args, '--json'], dir, {
      ...env,
      CRASH_LOG: log,
      CRASH_RUN: '1',
    });
    expect(resumed.code, `${context}\n${resumed.stderr}`).toBe(0);
    const result = JSON.parse(resumed.stdout) as TransferJson;
    expect(result.strategy).toBe('stream');
    expect(result.session, context).toMatchObject({ resumed: true, partsReused: done });

    const entries = await readLog(log);
    const uploads = (run: string) =>
      entries
        .filter((e) => e.run === run && e.method === 'uploadPart' && e.event === 'request')
        .map((e) => e.part);
    const listed = entries
      .filter((e) => e.run === '1' && e.method === 'listParts' && e.event === 'response')
      .flatMap((e) => e.listed ?? []);
    expect(listed.sort(), context).toEqual(uploads('0').sort());
    expect(
      uploads('1').filter((part) => listed.includes(part as number)),
      context,
    ).toEqual([]);
    expect([...uploads('0'), ...uploads('1')].sort(), context).toEqual(
      Array.from({ length: PARTS }, (_, i) => i + 1),
    );

    const out = join(dir, `dst-${to}.out`);
    const got = await runChild(child, ['get', `${to}://${bucket}/dst-${from}`, out], dir, env);
    expect(got.code, got.stderr).toBe(0);
    expect(Buffer.compare(await readFile(out), Buffer.from(source)), context).toBe(0);
    const left = await runChild(child, ['uploads', 'list', `${to}://${bucket}`, '--json'], dir, env);
    expect(JSON.parse(left.stdout)).toMatchObject({ uploads: [] });
    expect(
      (await readdir(join(dir, '.partcopy-sessions')).catch(() => [] as string[])).filter((f) =>
        f.endsWith('.json'),
      ),
    ).toEqual([]);

    // Into Azure and S3, the resumed transfer is verified as much as one run in a single process,
    // though the process that completed sent only some of the parts. Azure: every block checked
    // against its MD5 on arrival and in the completion's copy (check block-md5). S3 (MinIO): every
    // part's CRC32 checked by the store on arrival, the earlier process's as ListParts lists them
    // (check part-crc32).
    if (to === 'az' || to === 's3') {
      const whole = await runChild(
        child,
        ['cp', `${from}://${bucket}/src`, `${to}://${bucket}/whole-${from}`, ...args.slice(4), '--json'],
        dir,
        env,
      );
      expect(whole.code, whole.stderr).toBe(0);
      const unresumed = (JSON.parse(whole.stdout) as TransferJson).verification.checks;
      expect(unresumed).toContain(to === 'az' ? 'block-md5' : 'part-crc32');
      expect(result.verification.checks, context).toEqual(unresumed);
    }
  }, 300_000);
});
