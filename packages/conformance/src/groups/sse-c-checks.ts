/**
 * sse-c: customer-provided keys as S3 enforces them. Copying from an SSE-C source needs the key it
 * was written with (none: `InvalidRequest` 400; another key: `AccessDenied` 403); a destination
 * upload created with a key takes it on every part and is read back with it. No error or event
 * ever contains the key.
 */
import { randomBytes } from 'node:crypto';
import type { ErrorCode, PartCopyEvent } from '@partcopy/core';
import { check, checkBytes, checkNoSecret, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { checkNoParts, complete, copyPart, putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';
import { anyOffGate } from '../switched-off.js';
import { concatBytes, randomData } from '../test-data.js';

const REQUIRES = ['sseCustomerKey'] as const;

/** A fresh AES-256 key and the texts it must never appear as. */
function newKey(): { base64: string; secrets: string[] } {
  const bytes = randomBytes(32);
  return { base64: bytes.toString('base64'), secrets: [bytes.toString('base64'), bytes.toString('hex')] };
}

/** A source written with an SSE-C key. */
async function encryptedSource(t: CheckContext) {
  const key = newKey();
  const source = { bucket: t.bucket, key: t.key('source'), bytes: randomData(64) };
  await t.client.putObject({
    bucket: source.bucket,
    key: source.key,
    body: source.bytes,
    sseCustomerAlgorithm: 'AES256',
    sseCustomerKey: key.base64,
  });
  return { source, key };
}

function wrongKeyCodes(t: CheckContext): ErrorCode[] {
  return t.tolerate.sseWrongKeyInvalidRequest ? ['AccessDenied', 'InvalidRequest'] : ['AccessDenied'];
}

export const sseCChecks = defineChecks('sse-c', [
  {
    id: 'sse-c.switched-off-refused',
    title:
      'with sseCustomerKey off, SSE-C keys → Unsupported (never written unencrypted), no key in the error',
    gate: anyOffGate(['sseCustomerKey']),
    needs: 'sseCustomerKey off',
    async run(t) {
      const key = newKey();
      const target = t.key('dest');
      const refused = await expectError(
        t.client.putObject({
          bucket: t.bucket,
          key: target,
          body: randomData(8),
          sseCustomerKey: key.base64,
        }),
        'Unsupported',
        'putObject with an SSE-C key',
      );
      checkNoSecret(refused, key.secrets, 'refused putObject');
      await expectError(
        t.client.headObject({ bucket: t.bucket, key: target }),
        'NoSuchKey',
        'nothing written',
      );
      await expectError(
        t.client.createMultipartUpload({ bucket: t.bucket, key: target, sseCustomerKey: key.base64 }),
        'Unsupported',
        'createMultipartUpload with an SSE-C key',
      );
      const source = await putSource(t, 8);
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(
          t,
          upload,
          1,
          { bucket: source.bucket, key: source.key },
          { copySourceSSECustomerKey: key.base64 },
        ),
        'Unsupported',
        'uploadPartCopy with a source SSE-C key',
      );
    },
  },
  {
    id: 'sse-c.copy-with-source-key',
    title: 'a source written with a key copies when copySourceSSECustomerKey is that key',
    requires: REQUIRES,
    async run(t) {
      const { source, key } = await encryptedSource(t);
      const upload = await t.createUpload(t.key('dest'));
      const part = await copyPart(
        t,
        upload,
        1,
        { bucket: source.bucket, key: source.key },
        {
          copySourceSSECustomerAlgorithm: 'AES256',
          copySourceSSECustomerKey: key.base64,
        },
      );
      await complete(t, upload, [{ partNumber: 1, etag: part.copyPartResult.etag }]);
      checkBytes(await t.read(upload.key), source.bytes, 'object copied from the encrypted source');
    },
  },
  {
    id: 'sse-c.copy-without-source-key',
    title: 'copying an SSE-C source without its key → InvalidRequest (400), no part, no key in the error',
    requires: REQUIRES,
    async run(t) {
      const { source, key } = await encryptedSource(t);
      const upload = await t.createUpload(t.key('dest'));
      const error = await expectError(
        copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }),
        'InvalidRequest',
        'copy from an SSE-C source without the key',
        { status: true },
      );
      checkNoSecret(error, key.secrets, 'copy without the source key');
      await checkNoParts(t, upload, 'copy without the source key');
    },
  },
  {
    id: 'sse-c.copy-wrong-source-key',
    title: 'copying an SSE-C source with another key → AccessDenied (403), no part, neither key in the error',
    requires: REQUIRES,
    async run(t) {
      const { source, key } = await encryptedSource(t);
      const wrong = newKey();
      const upload = await t.createUpload(t.key('dest'));
      const error = await expectError(
        copyPart(
          t,
          upload,
          1,
          { bucket: source.bucket, key: source.key },
          { copySourceSSECustomerKey: wrong.base64 },
        ),
        wrongKeyCodes(t),
        'copy from an SSE-C source with the wrong key',
        { status: true },
      );
      checkNoSecret(error, [...key.secrets, ...wrong.secrets], 'copy with the wrong source key');
      await checkNoParts(t, upload, 'copy with the wrong source key');
    },
  },
  {
    id: 'sse-c.destination-key',
    title:
      'an upload created with a key takes it on uploadPart, uploadPartCopy and complete; the object reads back only with it',
    requires: REQUIRES,
    async run(t) {
      const key = newKey();
      const sse = { sseCustomerAlgorithm: 'AES256', sseCustomerKey: key.base64 } as const;
      const plain = await putSource(t, 30);
      const upload = await t.createUpload(t.key('dest'), sse);
      const first = randomData(Math.max(1, t.capabilities.minPartSize));
      const p1 = await t.client.uploadPart({ ...upload, partNumber: 1, body: first, ...sse });
      const p2 = await copyPart(t, upload, 2, { bucket: plain.bucket, key: plain.key }, sse);
      await t.client.completeMultipartUpload({
        ...upload,
        ...sse,
        parts: [
          { partNumber: 1, etag: p1.etag },
          { partNumber: 2, etag: p2.copyPartResult.etag },
        ],
      });
      checkBytes(
        await t.read(upload.key, { sseCustomerKey: key.base64 }),
        concatBytes(first, plain.bytes),
        'object read with its key',
      );
      const missing = await expectError(
        t.read(upload.key),
        'InvalidRequest',
        'reading the SSE-C object without its key',
      );
      checkNoSecret(missing, key.secrets, 'read without the key');
      const wrong = newKey();
      const denied = await expectError(
        t.read(upload.key, { sseCustomerKey: wrong.base64 }),
        wrongKeyCodes(t),
        'reading with another key',
      );
      checkNoSecret(denied, [...key.secrets, ...wrong.secrets], 'read with the wrong key');
    },
  },
  {
    id: 'sse-c.part-without-upload-key',
    title: 'a part copied into an upload created with a key, without that key → InvalidRequest (400)',
    requires: REQUIRES,
    async run(t) {
      const key = newKey();
      const plain = await putSource(t, 30);
      const upload = await t.createUpload(t.key('dest'), {
        sseCustomerAlgorithm: 'AES256',
        sseCustomerKey: key.base64,
      });
      const error = await expectError(
        copyPart(t, upload, 1, { bucket: plain.bucket, key: plain.key }),
        'InvalidRequest',
        'uploadPartCopy without the upload key',
      );
      checkNoSecret(error, key.secrets, 'part without the upload key');
    },
  },
  {
    id: 'sse-c.no-key-in-events',
    title: 'no event the client emits (requests, responses, errors) contains the key',
    requires: REQUIRES,
    async run(t) {
      const events: PartCopyEvent[] = [];
      const stop = t.client.on((event) => events.push(event));
      try {
        const { source, key } = await encryptedSource(t);
        const wrong = newKey();
        const upload = await t.createUpload(t.key('dest'));
        await copyPart(
          t,
          upload,
          1,
          { bucket: source.bucket, key: source.key },
          { copySourceSSECustomerKey: key.base64 },
        );
        await copyPart(
          t,
          upload,
          2,
          { bucket: source.bucket, key: source.key },
          { copySourceSSECustomerKey: wrong.base64 },
        ).catch(() => undefined);
        check(events.length > 0, 'the client emitted no events');
        const text = JSON.stringify(events);
        for (const secret of [...key.secrets, ...wrong.secrets])
          check(!text.includes(secret), 'an event contains the SSE-C key');
      } finally {
        stop();
      }
    },
  },
]);
