/**
 * aws-cli v2, boto3 and rclone against the gateway over one backend: uploads and downloads
 * (multipart), `s3api upload-part-copy` with ranges and conditions, boto3's multipart copy,
 * presigned URLs and errors, rclone copy / sync / server-side copy. The gateway's request log
 * shows that copies were answered with UploadPartCopy or CopyObject (server-side), not by
 * moving bytes through the client.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_KEY,
  type BackendName,
  patternBytes,
  type RunningGateway,
  randomBucket,
  SECRET_KEY,
  startGateway,
} from './gateway-harness.js';
import {
  awsEnv,
  type ClientResult,
  findRealClients,
  type RealClients,
  rcloneEnv,
  runClient,
} from './real-clients.js';

const MiB = 1024 * 1024;
const BOTO3_SCRIPT = fileURLToPath(new URL('../clients/boto3_checks.py', import.meta.url));

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** A client run that must have succeeded; its output is in the failure message. */
function ok(result: ClientResult): ClientResult {
  if (result.code !== 0)
    throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

export function realClientsSuite(backend: BackendName): void {
  // Each test runs several real client processes (aws-cli and boto3 start slowly): on a loaded
  // 2-core machine one took 214 s, so a test's time limit is generous; its outcome never
  // depends on it.
  describe(`real S3 clients through the gateway (${backend})`, { timeout: 600_000 }, () => {
    let clients: RealClients;
    let g: RunningGateway;
    let home: string;
    let bucket: string;
    let aws: (...args: string[]) => ReturnType<typeof runClient>;

    beforeAll(async () => {
      clients = await findRealClients();
      g = await startGateway(backend);
      home = await mkdtemp(join(tmpdir(), 'pc-gw-clients-'));
      bucket = randomBucket('gwc-');
      const env = awsEnv(ACCESS_KEY, SECRET_KEY, home);
      aws = (...args) => runClient(clients.aws, ['--endpoint-url', g.url, ...args], env);
      const made = await aws('s3', 'mb', `s3://${bucket}`);
      expect(made.stderr).toBe('');
    });
    afterAll(async () => {
      await g?.close();
      if (home) await rm(home, { recursive: true, force: true });
    });

    it('aws s3 cp uploads and downloads a 40 MiB file in parts, and copies it server-side', async () => {
      const data = patternBytes(40 * MiB, 21);
      const local = join(home, 'big.bin');
      await writeFile(local, data);
      ok(await aws('s3', 'cp', local, `s3://${bucket}/aws/big.bin`));
      expect(g.log.filter((e) => e.operation === 'UploadPart').length).toBe(5);
      const back = join(home, 'back.bin');
      ok(await aws('s3', 'cp', `s3://${bucket}/aws/big.bin`, back));
      expect(sha256(await readFile(back))).toBe(sha256(data));
      const before = g.log.length;
      ok(await aws('s3', 'cp', `s3://${bucket}/aws/big.bin`, `s3://${bucket}/aws/copy.bin`));
      const copyOps = g.log.slice(before).map((e) => e.operation);
      // aws-cli copies objects over its multipart threshold with UploadPartCopy.
      expect(copyOps).toContain('UploadPartCopy');
      expect(copyOps).not.toContain('GetObject');
      const listed = await aws('s3', 'ls', `s3://${bucket}/aws/`);
      expect(listed.stdout).toMatch(/41943040 big\.bin/);
      expect(listed.stdout).toMatch(/41943040 copy\.bin/);
    });

    it('aws s3api upload-part-copy takes ranges and copy-source conditions', async () => {
      const data = patternBytes(6 * MiB, 22);
      await writeFile(join(home, 'src.bin'), data);
      ok(await aws('s3', 'cp', join(home, 'src.bin'), `s3://${bucket}/api/src.bin`));
      const head = JSON.parse(
        (await aws('s3api', 'head-object', '--bucket', bucket, '--key', 'api/src.bin')).stdout,
      ) as { ETag: string };
      const upload = JSON.parse(
        (await aws('s3api', 'create-multipart-upload', '--bucket', bucket, '--key', 'api/dst.bin')).stdout,
      ) as { UploadId: string };
      const part = (n: number, ...extra: string[]) =>
        aws(
          's3api',
          'upload-part-copy',
          '--bucket',
          bucket,
          '--key',
          'api/dst.bin',
          '--upload-id',
          upload.UploadId,
          '--part-number',
          String(n),
          '--copy-source',
          `${bucket}/api/src.bin`,
          ...extra,
        );
      const refused = await part(1, '--copy-source-if-match', '"0000"');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('PreconditionFailed');
      const open = await part(1, '--copy-source-range', 'bytes=5-');
      expect(open.stderr).toContain('InvalidArgument');
      const p1 = await part(
        1,
        '--copy-source-range',
        `bytes=0-${5 * MiB - 1}`,
        '--copy-source-if-match',
        head.ETag,
      );
      const p2 = await part(
        2,
        '--copy-source-range',
        `bytes=${5 * MiB}-${6 * MiB - 1}`,
        '--copy-source-if-unmodified-since',
        new Date(Date.now() + 60_000).toUTCString(),
      );
      expect([p1.code, p2.code]).toEqual([0, 0]);
      const etags = [p1, p2].map(
        (p) => (JSON.parse(p.stdout) as { CopyPartResult: { ETag: string } }).CopyPartResult.ETag,
      );
      await writeFile(
        join(home, 'parts.json'),
        JSON.stringify({ Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }),
      );
      const done = await aws(
        's3api',
        'complete-multipart-upload',
        '--bucket',
        bucket,
        '--key',
        'api/dst.bin',
        '--upload-id',
        upload.UploadId,
        '--multipart-upload',
        `file://${join(home, 'parts.json')}`,
      );
      ok(done);
      ok(await aws('s3', 'cp', `s3://${bucket}/api/dst.bin`, join(home, 'dst.bin')));
      expect(sha256(await readFile(join(home, 'dst.bin')))).toBe(sha256(data));
    });

    it('boto3: multipart copy, presigned URLs and errors', async () => {
      const result = await runClient(
        clients.python,
        [BOTO3_SCRIPT, g.url, bucket, ACCESS_KEY, SECRET_KEY],
        awsEnv(ACCESS_KEY, SECRET_KEY, home),
      );
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        listedParts: [
          [1, 5 * MiB],
          [2, 5 * MiB],
          [3, 4],
        ],
        multipartCopyMatches: true,
        copyIfMatchFails: ['PreconditionFailed', 412],
        copyRangePastEnd: ['InvalidArgument', 400],
        partAfterAbort: ['NoSuchUpload', 404],
        missingKey: ['NoSuchKey', 404],
        missingBucket: ['NoSuchBucket', 404],
        invalidRange: ['InvalidRange', 416],
        unknownOperation: ['NotImplemented', 501],
        bucketPolicy: ['NoSuchBucketPolicy', 404],
        objectAcl: [['partcopy', 'FULL_CONTROL']],
        publicReadPut: ['AccessControlListNotSupported', 400],
        headRange: [206, 10, 'bytes 0-9'],
        presignedGet: [206, true],
        presignedPut: 200,
        presignedPutStored: 'put through a presigned URL',
        presignedWrongSecret: [403, 'SignatureDoesNotMatch'],
      });
    });

    it('rclone copies, syncs and copies server-side (multipart, UploadPartCopy)', async () => {
      const env = rcloneEnv(g.url, ACCESS_KEY, SECRET_KEY, home);
      const rclone = (...args: string[]) =>
        runClient(
          clients.rclone,
          ['--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', '--s3-copy-cutoff', '5M', ...args],
          env,
        );
      const dir = join(home, 'tree');
      await mkdir(join(dir, 'sub'), { recursive: true });
      const big = patternBytes(12 * MiB, 23);
      await writeFile(join(dir, 'big.bin'), big);
      await writeFile(join(dir, 'a.txt'), 'alpha');
      await writeFile(join(dir, 'sub', 'b.txt'), 'beta');
      ok(await rclone('copy', dir, `gw:${bucket}/rc`));
      ok(await rclone('check', dir, `gw:${bucket}/rc`));
      await unlink(join(dir, 'a.txt'));
      await writeFile(join(dir, 'sub', 'b.txt'), 'beta, changed');
      ok(await rclone('sync', dir, `gw:${bucket}/rc`));
      const listed = await rclone('lsf', '-R', `gw:${bucket}/rc`);
      expect(
        listed.stdout
          .split('\n')
          .filter((l) => l !== '')
          .sort(),
      ).toEqual(['big.bin', 'sub/', 'sub/b.txt']);
      const before = g.log.length;
      const copied = await rclone('copyto', `gw:${bucket}/rc/big.bin`, `gw:${bucket}/rc-copy/big.bin`);
      ok(copied);
      const ops = g.log.slice(before).map((e) => e.operation);
      expect(ops).toContain('UploadPartCopy');
      expect(ops).not.toContain('GetObject');
      const back = await rclone('cat', `gw:${bucket}/rc-copy/big.bin`);
      ok(back);
      const got = await g.client.getObject({ bucket, key: 'rc-copy/big.bin' });
      expect(sha256(await got.body.bytes())).toBe(sha256(big));
    });
  });
}
