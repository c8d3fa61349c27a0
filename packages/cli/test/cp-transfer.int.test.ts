/**
 * `partcopy cp` across schemes against the real servers: s3:// to az://, gs:// to s3://,
 * file:// to az:// and back, az:// to az:// (a server-side pull on Azurite), each byte for byte,
 * with the strategy and the byte report in the JSON result.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes } from './cli-harness.js';

const MiB = 1024 * 1024;
const data = patternBytes(9 * MiB + 77, 23);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

let h: CliHarness;
const bucket = `pc-cpx-${randomBytes(4).toString('hex')}`;
const url = (scheme: string, key = '') => `${scheme}://${bucket}/${key}`;
const SCHEMES = ['s3', 'az', 'gs', 'file'];

beforeAll(async () => {
  h = await CliHarness.create();
  h.env = {
    PARTCOPY_S3_ENDPOINT: required('PARTCOPY_MINIO_ENDPOINT'),
    AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
    AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
    AZURE_STORAGE_CONNECTION_STRING: required('PARTCOPY_AZURITE_CONNECTION_STRING'),
    PARTCOPY_GCS_ENDPOINT: required('PARTCOPY_GCS_ENDPOINT'),
    PARTCOPY_GCS_PROJECT: required('PARTCOPY_GCS_PROJECT'),
    // Azurite reads only from itself (see packages/azure/README.md).
    PARTCOPY_CAPABILITIES_OFF: 'uploadPartFromForeignUrl',
  };
  await writeFile(join(h.cwd, 'data.bin'), data);
  for (const scheme of SCHEMES) await h.ok(['mb', url(scheme)]);
  await h.ok(['put', 'data.bin', url('s3', 'src.bin')]);
}, 120_000);

afterAll(async () => {
  for (const scheme of SCHEMES) {
    await h.run(['uploads', 'abort', url(scheme), '--all']);
    const listed = await h.run(['ls', url(scheme), '--json']);
    if (listed.code === 0)
      for (const object of listed.json<{ objects: Array<{ key: string }> }>().objects)
        await h.run(['rm', url(scheme, object.key)]);
    await h.run(['rb', url(scheme)]);
  }
  await h.dispose();
}, 120_000);

async function same(target: string): Promise<void> {
  const got = await h.ok(['get', target, '-']);
  expect(Buffer.compare(got.stdoutBytes, Buffer.from(data)), target).toBe(0);
}

describe('cp across schemes', () => {
  it.each([
    ['s3', 'az', 'stream'],
    ['az', 'gs', 'stream'],
    ['gs', 's3', 'stream'],
    ['s3', 'file', 'stream'],
    ['file', 'az', 'stream'],
  ])('%s:// to %s:// (%s)', async (from, to, strategy) => {
    const source = from === 's3' ? url('s3', 'src.bin') : url(from, 'hop.bin');
    if (from !== 's3') await h.ok(['cp', url('s3', 'src.bin'), source]);
    const run = await h.ok(['cp', source, url(to, `from-${from}.bin`), '--part-size', '5MiB', '--json']);
    const result = run.json<Record<string, number | string>>();
    expect(result).toMatchObject({
      strategy,
      size: data.length,
      bytesServerSide: 0,
      bytesClientStreamed: data.length,
      partsCount: 2,
    });
    await same(url(to, `from-${from}.bin`));
  });

  it('into MinIO checks parts after the first answer by the CRC32 MinIO stored, without an MD5', async () => {
    // One part in flight: part 1 is hashed both ways; MinIO answers its CRC32, so part 2 is not MD5'd.
    const args = ['--part-size', '5MiB', '--concurrency', '1', '--json'];
    const run = await h.ok(['cp', url('file', 'from-s3.bin'), url('s3', 'crc.bin'), ...args]);
    const result = run.json<{ partsCount: number; verification: { checks: string[] } }>();
    expect(result.partsCount).toBe(2);
    expect(result.verification.checks).toEqual(['part-crc32', 'multipart-etag']);
    await same(url('s3', 'crc.bin'));
  });

  it('az:// to another Azure remote pulls on the server: no payload byte through the client', async () => {
    // A second Azure store as a named remote (Azurite serves it too: it reads only from itself).
    h.env.PARTCOPY_CONFIG = join(h.cwd, 'config.json');
    await h.ok([
      'config',
      'add',
      'azb',
      'az',
      `connectionString=${required('PARTCOPY_AZURITE_CONNECTION_STRING')}`,
    ]);
    await h.ok(['cp', url('s3', 'src.bin'), url('az', 'pull-src.bin')]);
    const run = await h.ok(['cp', url('az', 'pull-src.bin'), url('azb', 'pulled.bin'), '--json']);
    expect(run.json()).toMatchObject({
      strategy: 'server-pull',
      bytesClientStreamed: 0,
      bytesServerSide: data.length,
    });
    await same(url('az', 'pulled.bin'));
  });

  it('prints the byte report for people', async () => {
    const run = await h.ok(['cp', url('s3', 'src.bin'), url('gs', 'human.bin'), '--strategy', 'stream']);
    expect(run.stdout).toMatch(
      /^transferred s3:\/\/.* to gs:\/\/.*: 9(\.\d+)? MiB in 1 part; strategy: stream \(streamed through this process, as asked/m,
    );
    expect(run.stdout).toMatch(/bytes: 0 B server-side, 9(\.\d+)? MiB through this process; verified: size/);
  });

  it('refuses a server-side pull into a store that cannot fetch from a URL', async () => {
    const run = await h.run([
      'cp',
      url('s3', 'src.bin'),
      url('gs', 'never.bin'),
      '--strategy',
      'server-pull',
    ]);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('cannot stage a part from a URL');
    const listed = await h.ok(['uploads', 'list', url('gs'), '--json']);
    expect(JSON.stringify(listed.json())).not.toContain('never.bin');
  });
});
