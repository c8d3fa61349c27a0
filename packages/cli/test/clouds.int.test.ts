import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture, CliHarness, patternBytes } from './cli-harness.js';

// The CLI against the real servers the test-servers package runs (MinIO, Azurite,
// fake-gcs-server), through the provider packages it imports on first use of their scheme.
const MiB = 1024 * 1024;
const data = patternBytes(11 * MiB + 123, 17);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

const stores = [
  {
    scheme: 's3',
    env: () => ({
      PARTCOPY_S3_ENDPOINT: required('PARTCOPY_MINIO_ENDPOINT'),
      AWS_ACCESS_KEY_ID: required('PARTCOPY_MINIO_ACCESS_KEY'),
      AWS_SECRET_ACCESS_KEY: required('PARTCOPY_MINIO_SECRET_KEY'),
    }),
  },
  {
    scheme: 'az',
    env: () => ({ AZURE_STORAGE_CONNECTION_STRING: required('PARTCOPY_AZURITE_CONNECTION_STRING') }),
  },
  {
    scheme: 'gs',
    env: () => ({
      PARTCOPY_GCS_ENDPOINT: required('PARTCOPY_GCS_ENDPOINT'),
      PARTCOPY_GCS_PROJECT: required('PARTCOPY_GCS_PROJECT'),
    }),
  },
];

describe.each(stores)('partcopy on $scheme://', ({ scheme, env }) => {
  let h: CliHarness;
  const bucket = `pc-cli-${randomBytes(4).toString('hex')}`;
  const url = (key = '') => `${scheme}://${bucket}/${key}`;

  beforeAll(async () => {
    h = await CliHarness.create();
    h.env = env();
    await writeFile(join(h.cwd, 'data.bin'), data);
    await h.ok(['mb', url()]);
    await h.ok(['put', 'data.bin', url('src.bin')]);
  });

  afterAll(async () => {
    await h.run(['uploads', 'abort', url(), '--all']);
    const listed = await h.run(['ls', url(), '--json']);
    if (listed.code === 0) {
      for (const object of listed.json<{ objects: Array<{ key: string }> }>().objects)
        await h.run(['rm', url(object.key)]);
    }
    await h.run(['rb', url()]);
    await h.dispose();
  });

  it('cp copies the whole object in 5 MiB parts, byte for byte, and leaves no upload', async () => {
    const run = await h.ok(['cp', url('src.bin'), url('copy.bin'), '--part-size', '5MiB', '--json']);
    expect(run.json()).toMatchObject({ size: data.length, partsCount: 3, partSize: 5 * MiB });
    expect(Buffer.compare((await h.ok(['get', url('copy.bin'), '-'])).stdoutBytes, Buffer.from(data))).toBe(
      0,
    );
    expect((await h.ok(['uploads', 'list', url(), '--json'])).json()).toMatchObject({ uploads: [] });
  });

  it('cp copies a byte range', async () => {
    const run = await h.ok([
      'cp',
      url('src.bin'),
      url('range.bin'),
      '--range',
      `bytes=1000-${1000 + 6 * MiB - 1}`,
      '--part-size',
      '5MiB',
      '--json',
    ]);
    expect(run.json()).toMatchObject({ size: 6 * MiB, partsCount: 2 });
    const copy = (await h.ok(['get', url('range.bin'), '-'])).stdoutBytes;
    expect(Buffer.compare(copy, Buffer.from(data.subarray(1000, 1000 + 6 * MiB)))).toBe(0);
  });

  it('an interrupt after the first part aborts the upload (exit 130) and leaves nothing', async () => {
    const interrupt = new AbortController();
    const stderr = new Capture();
    const write = stderr.write.bind(stderr);
    stderr.write = (chunk) => {
      if (/uploadPartCopy \S+ part 1: response/.test(String(chunk)))
        interrupt.abort(new Error('interrupted by SIGINT'));
      return write(chunk);
    };
    const run = await h.run(
      ['cp', url('src.bin'), url('stopped.bin'), '--part-size', '5MiB', '--concurrency', '1', '--verbose'],
      {
        stderr,
        signal: interrupt.signal,
      },
    );
    expect(interrupt.signal.aborted).toBe(true);
    expect(run.code).toBe(130);
    expect(stderr.text).toMatch(/abortMultipartUpload \S+: response/);
    expect((await h.ok(['uploads', 'list', url(), '--json'])).json()).toMatchObject({ uploads: [] });
    expect((await h.run(['head', url('stopped.bin')])).code).toBe(3);
  });
});
