/**
 * sse-kms: server-side encryption with store-managed keys (SSE-S3 `AES256`, SSE-KMS `aws:kms`)
 * as S3 answers it. A write that asks for it is answered with the method (and, for KMS, a key
 * id), and so is every later read of the object; an upload created with it answers it on every
 * part, part copy and completion; a whole-object copy is encrypted as its request says. The
 * bytes read back are the bytes written. With `sseKms` off the request is refused before
 * anything is written.
 */
import type { EncryptionResult } from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import { complete, copyPart, putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';
import { anyOffGate } from '../switched-off.js';
import { concatBytes, randomData } from '../test-data.js';

const REQUIRES = ['sseKms'] as const;

function checkMethod(result: EncryptionResult, method: string, what: string): void {
  checkEqual(result.serverSideEncryption, method, `${what}: serverSideEncryption`);
}

export const sseKmsChecks = defineChecks('sse-kms', [
  {
    id: 'sse-kms.switched-off-refused',
    title: 'with sseKms off, serverSideEncryption → Unsupported, nothing written',
    gate: anyOffGate(['sseKms']),
    needs: 'sseKms off',
    async run(t) {
      const target = t.key('dest');
      await expectError(
        t.client.putObject({
          bucket: t.bucket,
          key: target,
          body: randomData(8),
          serverSideEncryption: 'AES256',
        }),
        'Unsupported',
        'putObject with serverSideEncryption',
      );
      await expectError(
        t.client.headObject({ bucket: t.bucket, key: target }),
        'NoSuchKey',
        'nothing written',
      );
      await expectError(
        t.client.createMultipartUpload({ bucket: t.bucket, key: target, serverSideEncryption: 'aws:kms' }),
        'Unsupported',
        'createMultipartUpload with serverSideEncryption',
      );
    },
  },
  {
    id: 'sse-kms.put-and-read',
    title:
      'putObject with AES256 or aws:kms answers the method (and a KMS key id); head and get answer it too',
    requires: REQUIRES,
    async run(t) {
      for (const method of ['AES256', 'aws:kms'] as const) {
        const key = t.key(`put-${method.replace(':', '-')}`);
        const bytes = randomData(100);
        const put = await t.put(key, bytes, { serverSideEncryption: method });
        checkMethod(put, method, `putObject ${method}`);
        const head = await t.client.headObject({ bucket: t.bucket, key });
        checkMethod(head, method, `headObject of the ${method} object`);
        if (method === 'aws:kms') {
          check(
            typeof put.sseKMSKeyId === 'string' && put.sseKMSKeyId !== '',
            'putObject aws:kms: sseKMSKeyId',
          );
          checkEqual(head.sseKMSKeyId, put.sseKMSKeyId, 'headObject: the key id putObject answered');
        }
        const got = await t.client.getObject({ bucket: t.bucket, key });
        checkMethod(got, method, `getObject of the ${method} object`);
        checkBytes(await got.body.bytes(), bytes, `bytes of the ${method} object`);
      }
    },
  },
  {
    id: 'sse-kms.upload',
    title:
      'an upload created with AES256 answers it on create, uploadPart, uploadPartCopy and complete; the object reads back',
    requires: REQUIRES,
    async run(t) {
      const plain = await putSource(t, 40);
      const upload = await t.createUpload(t.key('dest'), { serverSideEncryption: 'AES256' });
      const first = randomData(Math.max(1, t.capabilities.minPartSize));
      const p1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: first });
      checkMethod(p1, 'AES256', 'uploadPart');
      const p2 = await copyPart(t, upload, 2, { bucket: plain.bucket, key: plain.key });
      checkMethod(p2, 'AES256', 'uploadPartCopy');
      const done = await complete(t, upload, [
        { partNumber: 1, etag: p1.etag },
        { partNumber: 2, etag: p2.copyPartResult.etag },
      ]);
      checkMethod(done, 'AES256', 'completeMultipartUpload');
      checkMethod(await t.client.headObject({ bucket: t.bucket, key: upload.key }), 'AES256', 'headObject');
      checkBytes(await t.read(upload.key), concatBytes(first, plain.bytes), 'completed object');
    },
  },
  {
    id: 'sse-kms.copy-object',
    title: 'copyObject with AES256 from an unencrypted source answers AES256 and so does the copy',
    requires: [...REQUIRES, 'wholeObjectCopy'],
    async run(t) {
      const plain = await putSource(t, 40);
      const target = t.key('copy');
      const copied = await t.client.copyObjectServerSide({
        bucket: t.bucket,
        key: target,
        copySource: { bucket: plain.bucket, key: plain.key },
        serverSideEncryption: 'AES256',
      });
      checkMethod(copied, 'AES256', 'copyObject');
      checkMethod(
        await t.client.headObject({ bucket: t.bucket, key: target }),
        'AES256',
        'headObject of the copy',
      );
      checkBytes(await t.read(target), plain.bytes, 'copied bytes');
    },
  },
]);
