import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDefaultRegistry } from '@partcopy/cli';
import type { UploadPartCopyRequest } from '@partcopy/core/provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes, smallPartsFsFactory } from './cli-harness.js';
import { recordingFactory } from './recording-factory.js';

const key1 = Buffer.alloc(32, 1);
const key2 = Buffer.alloc(32, 2);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');

describe('partcopy upload-part-copy: every flag reaches the provider', () => {
  let h: CliHarness;
  const recording = recordingFactory('rec');
  beforeEach(async () => {
    recording.calls.length = 0;
    h = await CliHarness.create(createDefaultRegistry().register(recording));
  });
  afterEach(() => h.dispose());

  it('normalises each S3 flag into the provider request and prints the S3-shaped result', async () => {
    await writeFile(join(h.cwd, 'source.key'), key2);
    const run = await h.ok([
      'upload-part-copy',
      '--store',
      'rec',
      '--bucket',
      'dst',
      '--key',
      'out/joined.bin',
      '--upload-id',
      'U-1',
      '--part-number',
      '7',
      '--copy-source',
      'src/dir/a%20b.bin?versionId=V9',
      '--copy-source-range',
      'bytes=5-14',
      '--copy-source-if-match',
      '"e1"',
      '--copy-source-if-match',
      '"e2"',
      '--copy-source-if-none-match',
      '"e3"',
      '--copy-source-if-modified-since',
      'Sun, 06 Nov 1994 08:49:37 GMT',
      '--copy-source-if-unmodified-since',
      '2030-01-01T00:00:00Z',
      '--sse-customer-algorithm',
      'AES256',
      '--sse-customer-key',
      key1.toString('base64'),
      '--sse-customer-key-md5',
      md5(key1),
      '--copy-source-sse-customer-algorithm',
      'AES256',
      '--copy-source-sse-customer-key',
      'fileb://source.key',
      '--copy-source-sse-customer-key-md5',
      md5(key2),
      '--request-payer',
      'requester',
      '--expected-bucket-owner',
      '111122223333',
      '--expected-source-bucket-owner',
      '444455556666',
      '--json',
    ]);
    expect(recording.calls.map((c) => c.method)).toEqual(['uploadPartCopy']);
    const request = recording.calls[0]?.request as UploadPartCopyRequest;
    expect(request).toMatchObject({
      bucket: 'dst',
      key: 'out/joined.bin',
      uploadId: 'U-1',
      partNumber: 7,
      source: { bucket: 'src', key: 'dir/a b.bin', versionId: 'V9' },
      range: { start: 5, end: 14 },
      requestPayer: 'requester',
      expectedBucketOwner: '111122223333',
      expectedSourceBucketOwner: '444455556666',
    });
    expect(request.conditions.ifMatch).toEqual(['"e1"', '"e2"']);
    expect(request.conditions.ifNoneMatch).toEqual(['"e3"']);
    expect(request.conditions.ifModifiedSince?.toISOString()).toBe('1994-11-06T08:49:37.000Z');
    expect(request.conditions.ifUnmodifiedSince?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(request.sseCustomer?.keyMD5).toBe(md5(key1));
    expect(request.sourceSseCustomer?.keyMD5).toBe(md5(key2));
    expect(run.json()).toEqual({
      copySourceVersionId: 'v1',
      copyPartResult: { etag: '"part-etag"', lastModified: '2026-01-02T03:04:05.000Z' },
      transfer: 'server-side',
      bytesCopied: 10,
      requestCharged: 'requester',
    });
    // No key material in what the CLI printed.
    expect(run.stdout + run.stderr).not.toContain(key1.toString('base64'));
  });

  it('accepts the a-b range shorthand and prints name: value lines for people', async () => {
    const run = await h.ok(
      [
        'upload-part-copy',
        '--bucket',
        'd',
        '--key',
        'k',
        '--upload-id',
        'u',
        '--part-number',
        '1',
        '--copy-source',
        's/k',
        '--copy-source-range',
        '0-9',
      ],
      { env: { PARTCOPY_STORE: 'rec' } },
    );
    expect((recording.calls[0]?.request as UploadPartCopyRequest | undefined)?.range).toEqual({
      start: 0,
      end: 9,
    });
    expect(run.stdout.split('\n')).toContain('copyPartResult.etag: "part-etag"');
    expect(run.stdout.split('\n')).toContain('copyPartResult.lastModified: 2026-01-02T03:04:05.000Z');
  });

  it('names every missing required flag (exit 2) and calls nothing', async () => {
    const run = await h.run(['upload-part-copy', '--store', 'rec', '--bucket', 'd']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing required options --key, --upload-id, --part-number, --copy-source');
    expect(run.stderr).toContain('partcopy upload-part-copy --help');
    expect(recording.calls).toEqual([]);
  });

  it('rejects a malformed range with InvalidArgument before the provider (exit 1)', async () => {
    const run = await h.run([
      'upload-part-copy',
      '--store',
      'rec',
      '--bucket',
      'd',
      '--key',
      'k',
      '--upload-id',
      'u',
      '--part-number',
      '1',
      '--copy-source',
      's/k',
      '--copy-source-range',
      'bytes=9-',
      '--json',
    ]);
    expect(run.code).toBe(1);
    expect(run.errorJson().error).toMatchObject({ code: 'InvalidArgument', status: 400, exitCode: 1 });
    expect(recording.calls).toEqual([]);
  });
});

describe('the multipart commands on the file store', () => {
  let h: CliHarness;
  const a = patternBytes(3000, 3);
  const b = patternBytes(2000, 4);

  beforeEach(async () => {
    h = await CliHarness.create(createDefaultRegistry().register(smallPartsFsFactory));
    await writeFile(join(h.cwd, 'a.bin'), a);
    await writeFile(join(h.cwd, 'b.bin'), b);
    await h.ok(['mb', 'file://demo']);
    await h.ok(['put', 'a.bin', 'file://demo/a.bin']);
    await h.ok(['put', 'b.bin', 'file://demo/b.bin']);
  });
  afterEach(() => h.dispose());

  const upload = (id: string) => ['--bucket', 'demo', '--key', 'joined.bin', '--upload-id', id];

  async function createUpload(): Promise<string> {
    const run = await h.ok([
      'create-multipart-upload',
      '--bucket',
      'demo',
      '--key',
      'joined.bin',
      '--content-type',
      'application/x-test',
      '--json',
    ]);
    const result = run.json<{ uploadId: string; bucket: string; key: string }>();
    expect(result).toMatchObject({ bucket: 'demo', key: 'joined.bin' });
    return result.uploadId;
  }

  it('splices ranges of two objects into one: create, upload-part-copy, list-parts, complete', async () => {
    const id = await createUpload();
    const etagA = (await h.ok(['head', 'file://demo/a.bin', '--json'])).json<{ etag: string }>().etag;
    const p1 = await h.ok([
      'upload-part-copy',
      ...upload(id),
      '--part-number',
      '1',
      '--copy-source',
      'demo/a.bin',
      '--copy-source-range',
      'bytes=0-1999',
      '--copy-source-if-match',
      etagA,
      '--json',
    ]);
    const p2 = await h.ok([
      'upload-part-copy',
      ...upload(id),
      '--part-number',
      '2',
      '--copy-source',
      'demo/b.bin',
      '--json',
    ]);
    const e1 = p1.json<{ copyPartResult: { etag: string } }>().copyPartResult.etag;
    const e2 = p2.json<{ copyPartResult: { etag: string } }>().copyPartResult.etag;
    expect(p1.json()).toMatchObject({ transfer: 'server-side', bytesCopied: 2000 });

    const parts = (await h.ok(['list-parts', ...upload(id), '--json'])).json<{
      parts: Array<{ partNumber: number; size: number; etag: string }>;
    }>();
    expect(parts.parts.map((p) => [p.partNumber, p.size, p.etag])).toEqual([
      [1, 2000, e1],
      [2, 2000, e2],
    ]);
    const human = await h.ok(['list-parts', ...upload(id)]);
    expect(human.stdout).toMatch(/^PART\s+SIZE\s+ETAG\s+LAST MODIFIED\n1\s+2000\s+"/);

    const done = await h.ok(['complete-multipart-upload', ...upload(id), '--parts', `${e1},${e2}`, '--json']);
    expect(done.json()).toMatchObject({ bucket: 'demo', key: 'joined.bin' });
    const bytes = (await h.ok(['get', 'file://demo/joined.bin', '-'])).stdoutBytes;
    expect(Buffer.compare(bytes, Buffer.concat([a.subarray(0, 2000), b]))).toBe(0);
    expect((await h.ok(['head', 'file://demo/joined.bin', '--json'])).json()).toMatchObject({
      contentType: 'application/x-test',
      size: 4000,
    });
  });

  it('completes from S3 JSON (--multipart-upload file://parts.json, PascalCase as aws-cli writes it)', async () => {
    const id = await createUpload();
    const p1 = await h.ok([
      'upload-part-copy',
      ...upload(id),
      '--part-number',
      '1',
      '--copy-source',
      'demo/a.bin',
      '--json',
    ]);
    const etag = p1.json<{ copyPartResult: { etag: string } }>().copyPartResult.etag;
    await writeFile(join(h.cwd, 'parts.json'), JSON.stringify({ Parts: [{ PartNumber: 1, ETag: etag }] }));
    await h.ok(['complete-multipart-upload', ...upload(id), '--multipart-upload', 'file://parts.json']);
    expect((await h.ok(['get', 'file://demo/joined.bin', '-'])).stdoutBytes).toEqual(Buffer.from(a));
  });

  it('exits 4 when the source condition fails, 3 for an unknown upload', async () => {
    const id = await createUpload();
    const stale = await h.run([
      'upload-part-copy',
      ...upload(id),
      '--part-number',
      '1',
      '--copy-source',
      'demo/a.bin',
      '--copy-source-if-match',
      '"00000000000000000000000000000000"',
    ]);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(
      /^partcopy: PreconditionFailed: .*(?<!\(\d{3}\))\n {2}during uploadPartCopy of demo\/joined\.bin part 1 upload /,
    );
    const unknown = await h.run([
      'upload-part-copy',
      ...upload('nope'),
      '--part-number',
      '1',
      '--copy-source',
      'demo/a.bin',
      '--json',
    ]);
    expect(unknown.code).toBe(3);
    expect(unknown.errorJson().error).toMatchObject({
      code: 'NoSuchUpload',
      status: 404,
      exitCode: 3,
      operation: 'uploadPartCopy',
    });
  });

  it('aborts an upload (abort-multipart-upload) so that its id is gone', async () => {
    const id = await createUpload();
    await h.ok(['upload-part-copy', ...upload(id), '--part-number', '1', '--copy-source', 'demo/a.bin']);
    const aborted = await h.ok(['abort-multipart-upload', ...upload(id)]);
    expect(aborted.stdout).toBe(`aborted upload ${id} of demo/joined.bin\n`);
    expect((await h.run(['list-parts', ...upload(id)])).code).toBe(3);
  });

  it('uploads a part from a file (upload-part) and mixes it with a part copy', async () => {
    const id = await createUpload();
    const p1 = await h.ok([
      'upload-part-copy',
      ...upload(id),
      '--part-number',
      '1',
      '--copy-source',
      'demo/a.bin',
      '--json',
    ]);
    const p2 = await h.ok(['upload-part', ...upload(id), '--part-number', '2', '--body', 'b.bin', '--json']);
    const e1 = p1.json<{ copyPartResult: { etag: string } }>().copyPartResult.etag;
    const e2 = p2.json<{ etag: string }>().etag;
    await h.ok(['complete-multipart-upload', ...upload(id), '--parts', `1=${e1}`, '--parts', `2=${e2}`]);
    expect((await h.ok(['get', 'file://demo/joined.bin', '-'])).stdoutBytes).toEqual(Buffer.concat([a, b]));
  });
});
