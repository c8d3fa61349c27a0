/**
 * Browser-based POST uploads through the gateway over memory and a folder, with forms made by the
 * AWS SDK's own createPresignedPost (SigV4 policy signatures): stored bytes and settings, the
 * success answers (204, 201 with a PostResponse, 303 to a redirect), `${filename}`, and S3's
 * refusals (a broken signature, an expired policy, a failed condition, a field the policy does
 * not name, content-length-range, an unsigned form on a gateway that is not anonymous), nothing
 * written by a refused upload.
 */
import {
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BackendName,
  type RunningGateway,
  randomBucket,
  startGateway,
} from './support/gateway-harness.js';
import { errorCode } from './support/raw-requests.js';
import { s3Failure } from './support/sdk-suite.js';

async function post(
  url: string,
  fields: Record<string, string>,
  file: string | Uint8Array,
  filename = 'upload.txt',
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file]), filename);
  const answer = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
  return { status: answer.status, headers: answer.headers, body: await answer.text() };
}

for (const backend of ['memory', 'fs'] satisfies BackendName[]) {
  describe(`POST uploads through the gateway (${backend})`, () => {
    let g: RunningGateway;
    let bucket: string;
    beforeAll(async () => {
      g = await startGateway(backend);
      bucket = randomBucket();
      await g.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    });
    afterAll(async () => {
      await g?.close();
    });

    it('stores a file posted with a signed policy, with its content type, metadata and tags', async () => {
      const { url, fields } = await createPresignedPost(g.s3, {
        Bucket: bucket,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's key variable, filled in by the gateway
        Key: 'posted/${filename}',
        Conditions: [
          ['starts-with', '$key', 'posted/'],
          ['content-length-range', 1, 1024],
          ['starts-with', '$Content-Type', 'text/'],
          ['eq', '$x-amz-meta-origin', 'browser'],
          [
            'eq',
            '$tagging',
            '<Tagging><TagSet><Tag><Key>via</Key><Value>post</Value></Tag></TagSet></Tagging>',
          ],
        ],
        Fields: {
          'Content-Type': 'text/plain',
          'x-amz-meta-origin': 'browser',
          tagging: '<Tagging><TagSet><Tag><Key>via</Key><Value>post</Value></Tag></TagSet></Tagging>',
        },
        Expires: 300,
      });
      const answer = await post(url, fields, 'hello from a form', 'note.txt');
      expect(answer.status).toBe(204);
      expect(answer.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
      const got = await g.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'posted/note.txt' }));
      expect(await got.Body?.transformToString()).toBe('hello from a form');
      expect(got.ContentType).toBe('text/plain');
      expect(got.Metadata).toEqual({ origin: 'browser' });
      expect(got.ETag).toBe(answer.headers.get('etag'));
      const tags = await g.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'posted/note.txt' }));
      expect(tags.TagSet).toEqual([{ Key: 'via', Value: 'post' }]);
    });

    it('reads fields sent as file parts (as Python requests sends them), and a SigV2 form with an unknown key is 403', async () => {
      const { url, fields } = await createPresignedPost(g.s3, {
        Bucket: bucket,
        Key: 'as-files.txt',
        Expires: 300,
      });
      // Every field a part with a file name, before the real file: still fields, as on S3.
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, new Blob([value]), name);
      form.append('file', new Blob(['sent as parts']), 'as-files.txt');
      const answer = await fetch(url, { method: 'POST', body: form });
      expect(answer.status).toBe(204);
      const got = await g.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'as-files.txt' }));
      expect(await got.Body?.transformToString()).toBe('sent as parts');
      // A SigV2 form (AWSAccessKeyId + signature) by a key the gateway does not know: refused, 403.
      const v2 = new FormData();
      for (const [name, value] of Object.entries({
        key: 'v2.txt',
        AWSAccessKeyId: 'AKID',
        signature: 'c2ln',
        policy: 'e30=',
      }))
        v2.append(name, new Blob([value]), name);
      v2.append('file', new Blob(['v2']), 'v2.txt');
      const refused = await fetch(url, { method: 'POST', body: v2 });
      expect(refused.status).toBe(403);
      expect(errorCode(await refused.text())).toBe('InvalidAccessKeyId');
    });

    it('answers success_action_status 201 with a PostResponse and success_action_redirect with a 303', async () => {
      const created = await createPresignedPost(g.s3, {
        Bucket: bucket,
        Key: 'created.bin',
        Conditions: [{ success_action_status: '201' }],
        Fields: { success_action_status: '201' },
      });
      const answer = await post(created.url, created.fields, 'x');
      expect(answer.status).toBe(201);
      expect(answer.body).toContain(`<Bucket>${bucket}</Bucket>`);
      expect(answer.body).toContain('<Key>created.bin</Key>');
      const redirected = await createPresignedPost(g.s3, {
        Bucket: bucket,
        Key: 'redirected.bin',
        Conditions: [{ success_action_redirect: 'http://example.invalid/done' }],
        Fields: { success_action_redirect: 'http://example.invalid/done' },
      });
      const moved = await post(redirected.url, redirected.fields, 'y');
      expect(moved.status).toBe(303);
      const location = new URL(moved.headers.get('location') ?? '');
      expect([location.host, location.searchParams.get('key'), location.searchParams.get('bucket')]).toEqual([
        'example.invalid',
        'redirected.bin',
        bucket,
      ]);
    });

    it('refuses a broken signature, an expired policy, a failed condition, an unnamed field and a size out of range', async () => {
      const make = (
        key: string,
        extra: Parameters<typeof createPresignedPost>[1] = { Bucket: bucket, Key: key },
      ) => createPresignedPost(g.s3, { ...extra, Bucket: bucket, Key: key });
      const signed = await make('refused-signature');
      const tampered = { ...signed.fields, 'X-Amz-Signature': '0'.repeat(64) };
      const badSignature = await post(signed.url, tampered, 'x');
      expect([badSignature.status, errorCode(badSignature.body)]).toEqual([403, 'SignatureDoesNotMatch']);

      const expired = await make('refused-expired', { Bucket: bucket, Key: 'refused-expired', Expires: -10 });
      const late = await post(expired.url, expired.fields, 'x');
      expect([late.status, errorCode(late.body)]).toEqual([403, 'AccessDenied']);
      expect(late.body).toContain('Policy expired');

      const prefixed = await make('other/refused-condition', {
        Bucket: bucket,
        Key: 'other/refused-condition',
        Conditions: [['starts-with', '$key', 'posted/']],
      });
      const condition = await post(prefixed.url, prefixed.fields, 'x');
      expect([condition.status, errorCode(condition.body)]).toEqual([403, 'AccessDenied']);
      expect(condition.body).toContain('Policy Condition failed');

      const plain = await make('refused-extra');
      const extra = await post(plain.url, { ...plain.fields, 'x-amz-meta-sneaky': 'yes' }, 'x');
      expect([extra.status, errorCode(extra.body)]).toEqual([403, 'AccessDenied']);
      expect(extra.body).toContain('Extra input fields: x-amz-meta-sneaky');

      const bounded = await make('refused-size', {
        Bucket: bucket,
        Key: 'refused-size',
        Conditions: [['content-length-range', 10, 20]],
      });
      const large = await post(bounded.url, bounded.fields, 'x'.repeat(21));
      expect([large.status, errorCode(large.body)]).toEqual([400, 'EntityTooLarge']);
      const small = await post(bounded.url, bounded.fields, 'x'.repeat(9));
      expect([small.status, errorCode(small.body)]).toEqual([400, 'EntityTooSmall']);

      const unsigned = await post(`${g.url}/${bucket}`, { key: 'refused-unsigned' }, 'x');
      expect([unsigned.status, errorCode(unsigned.body)]).toEqual([403, 'AccessDenied']);

      for (const key of [
        'refused-signature',
        'refused-expired',
        'other/refused-condition',
        'refused-extra',
        'refused-size',
        'refused-unsigned',
      ]) {
        expect(await s3Failure(g.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).toMatchObject(
          { status: 404 },
        );
      }
    });
  });
}

describe('POST uploads on an anonymous gateway', () => {
  let g: RunningGateway;
  beforeAll(async () => {
    g = await startGateway('memory', { anonymous: true });
    await g.s3.send(new CreateBucketCommand({ Bucket: 'open' }));
  });
  afterAll(async () => {
    await g?.close();
  });

  it('stores an unsigned form, and refuses a form without a key or without a file', async () => {
    const stored = await post(
      `${g.url}/open`,
      { key: 'anonymous.txt', 'Content-Type': 'text/plain' },
      'anon',
    );
    expect(stored.status).toBe(204);
    const got = await g.s3.send(new GetObjectCommand({ Bucket: 'open', Key: 'anonymous.txt' }));
    expect(await got.Body?.transformToString()).toBe('anon');
    const noKey = await post(`${g.url}/open`, {}, 'x');
    expect([noKey.status, errorCode(noKey.body)]).toEqual([400, 'InvalidArgument']);
    const form = new FormData();
    form.append('key', 'no-file');
    const noFile = await fetch(`${g.url}/open`, { method: 'POST', body: form });
    expect([noFile.status, errorCode(await noFile.text())]).toEqual([400, 'InvalidArgument']);
  });
});
