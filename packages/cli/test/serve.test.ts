/**
 * `partcopy serve s3` in-process: it prints its URL, answers an S3 client over memory: and a
 * folder, logs one JSON line per request without keys, and stops cleanly on interrupt.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketAclCommand,
  GetBucketOwnershipControlsCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { runCli } from '@partcopy/cli';
import { describe, expect, it, vi } from 'vitest';
import { Capture } from './cli-harness.js';

const KEY = 'SERVETESTKEY';
const SECRET = 'serve-test-secret';

async function serve(args: string[], env: Record<string, string> = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const interrupt = new AbortController();
  const cwd = await mkdtemp(join(tmpdir(), 'pc-serve-'));
  const exit = runCli(['serve', 's3', '--port', '0', ...args], {
    stdout,
    stderr,
    stdin: (async function* () {})(),
    env,
    cwd,
    signal: interrupt.signal,
  });
  await vi.waitFor(() => expect(stdout.text).toMatch(/serving S3 on http:\/\/127\.0\.0\.1:\d+/), {
    timeout: 10_000,
  });
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout.text)?.[1] as string;
  const s3 = new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
    maxAttempts: 1,
  });
  return {
    s3,
    stderr,
    cwd,
    stdoutText: () => stdout.text,
    async stop() {
      s3.destroy();
      interrupt.abort(new Error('interrupted by SIGINT'));
      const code = await exit;
      await rm(cwd, { recursive: true, force: true });
      return code;
    },
  };
}

describe('partcopy serve s3', () => {
  it('serves memory: with keys from the environment and logs requests without secrets', async () => {
    const s = await serve(['--backend', 'memory:'], {
      PARTCOPY_GATEWAY_ACCESS_KEY: KEY,
      PARTCOPY_GATEWAY_SECRET_KEY: SECRET,
    });
    await s.s3.send(new CreateBucketCommand({ Bucket: 'served' }));
    await s.s3.send(new PutObjectCommand({ Bucket: 'served', Key: 'k.txt', Body: 'hello gateway' }));
    const got = await s.s3.send(new GetObjectCommand({ Bucket: 'served', Key: 'k.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello gateway');
    const buckets = await s.s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toEqual(['served']);
    expect(await s.stop()).toBe(0);
    const log = s.stderr.lines.map((line) => JSON.parse(line) as { operation: string; status: number });
    expect(log.map((e) => e.operation)).toEqual(['CreateBucket', 'PutObject', 'GetObject', 'ListBuckets']);
    expect(s.stderr.text).not.toContain(SECRET);
    expect(s.stderr.text).not.toContain(KEY);
  });

  it('serves file://DIR: buckets are folders of DIR', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-serve-data-'));
    const s = await serve(['--backend', `file://${dir}`, '--access-key', KEY, '--secret-key', SECRET]);
    await s.s3.send(new CreateBucketCommand({ Bucket: 'folder-bucket' }));
    await s.s3.send(new PutObjectCommand({ Bucket: 'folder-bucket', Key: 'a/b.txt', Body: 'on disk' }));
    expect((await s.s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual([
      'folder-bucket',
    ]);
    expect(await readdir(dir)).toContain('folder-bucket');
    expect(await s.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it('--object-ownership ObjectWriter enables ACLs; --user-id and --display-name name the key', async () => {
    const s = await serve([
      '--backend',
      'memory:',
      '--access-key',
      KEY,
      '--secret-key',
      SECRET,
      '--object-ownership',
      'ObjectWriter',
      '--user-id',
      'served-user',
      '--display-name',
      'Served User',
    ]);
    await s.s3.send(new CreateBucketCommand({ Bucket: 'acl-bucket' }));
    const controls = await s.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'acl-bucket' }));
    expect(controls.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('ObjectWriter');
    const acl = await s.s3.send(new GetBucketAclCommand({ Bucket: 'acl-bucket' }));
    expect(acl.Owner).toEqual({ ID: 'served-user', DisplayName: 'Served User' });
    await s.s3.send(
      new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'open.txt', Body: 'for all', ACL: 'public-read' }),
    );
    await s.s3.send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'closed.txt', Body: 'mine' }));
    // Unsigned reads: the public-read object is served, the private one is AccessDenied.
    const base = /(http:\/\/127\.0\.0\.1:\d+)/.exec(s.stdoutText())?.[1] as string;
    expect(await (await fetch(`${base}/acl-bucket/open.txt`)).text()).toBe('for all');
    expect((await fetch(`${base}/acl-bucket/closed.txt`)).status).toBe(403);
    expect(await s.stop()).toBe(0);
  });

  it('refuses an unknown --object-ownership', async () => {
    const stderr = new Capture();
    const code = await runCli(
      ['serve', 's3', '--backend', 'memory:', '--anonymous', '--object-ownership', 'Everyone'],
      { stdout: new Capture(), stderr, stdin: (async function* () {})(), env: {}, cwd: tmpdir() },
    );
    expect(code).not.toBe(0);
    expect(stderr.text).toContain('--object-ownership must be one of');
  });

  it('refuses a --settings-cache that is not a number of milliseconds', async () => {
    const stderr = new Capture();
    const code = await runCli(
      ['serve', 's3', '--backend', 'memory:', '--anonymous', '--settings-cache', '1s'],
      { stdout: new Capture(), stderr, stdin: (async function* () {})(), env: {}, cwd: tmpdir() },
    );
    expect(code).not.toBe(0);
    expect(stderr.text).toContain('--settings-cache must be a number of milliseconds');
  });

  it('refuses to start without keys unless --anonymous', async () => {
    const stderr = new Capture();
    const code = await runCli(['serve', 's3', '--backend', 'memory:'], {
      stdout: new Capture(),
      stderr,
      stdin: (async function* () {})(),
      env: {},
      cwd: tmpdir(),
    });
    expect(code).not.toBe(0);
    expect(stderr.text).toContain('--anonymous');
  });
});
