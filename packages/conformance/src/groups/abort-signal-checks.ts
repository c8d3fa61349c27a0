/**
 * abort-signal: a call given an already-aborted AbortSignal fails with `RequestAborted` and
 * changes nothing (no part, no object, the upload still usable). The facade refuses a signal
 * that has already fired before any provider call, so one check fires the signal as the provider
 * is called: only a provider that honours `ctx.signal` passes it.
 */
import { checkBytes, expectError } from '../assertions.js';
import { checkNoParts, complete, copyPart, putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';
import { randomData } from '../test-data.js';

function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('conformance: aborted before the call'));
  return controller.signal;
}

export const abortSignalChecks = defineChecks('abort-signal', [
  {
    id: 'abort-signal.upload-part-copy',
    title: 'uploadPartCopy with an aborted signal → RequestAborted, no part created',
    async run(t) {
      const source = await putSource(t, 32);
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        copyPart(t, upload, 1, { bucket: source.bucket, key: source.key }, { abortSignal: abortedSignal() }),
        'RequestAborted',
        'uploadPartCopy with an aborted signal',
      );
      await checkNoParts(t, upload, 'aborted uploadPartCopy');
      const part = await copyPart(t, upload, 1, { bucket: source.bucket, key: source.key });
      await complete(t, upload, [{ partNumber: 1, etag: part.copyPartResult.etag }]);
      checkBytes(await t.read(upload.key), source.bytes, 'object after the aborted call and a normal one');
    },
  },
  {
    id: 'abort-signal.upload-part-copy-in-provider',
    title: 'uploadPartCopy whose signal fires as the provider is called → RequestAborted, no part created',
    async run(t) {
      const source = await putSource(t, 32);
      const upload = await t.createUpload(t.key('dest'));
      const controller = new AbortController();
      // The facade emits `request` synchronously just before it calls the provider.
      const off = t.client.on((event) => {
        if (event.type === 'request' && event.operation === 'uploadPartCopy')
          controller.abort(new Error('conformance: aborted as the provider is called'));
      });
      try {
        await expectError(
          copyPart(
            t,
            upload,
            1,
            { bucket: source.bucket, key: source.key },
            { abortSignal: controller.signal },
          ),
          'RequestAborted',
          'uploadPartCopy whose signal fired once the provider had it',
        );
      } finally {
        off();
      }
      await checkNoParts(t, upload, 'uploadPartCopy aborted in the provider');
    },
  },
  {
    id: 'abort-signal.upload-part',
    title: 'uploadPart with an aborted signal → RequestAborted, no part created',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      await expectError(
        t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(16), abortSignal: abortedSignal() }),
        'RequestAborted',
        'uploadPart with an aborted signal',
      );
      await checkNoParts(t, upload, 'aborted uploadPart');
    },
  },
  {
    id: 'abort-signal.complete',
    title:
      'completeMultipartUpload with an aborted signal → RequestAborted; nothing published, the upload still completes',
    async run(t) {
      const upload = await t.createUpload(t.key('dest'));
      const bytes = randomData(16);
      const part = await t.client.uploadPart({ ...upload, partNumber: 1, body: bytes });
      await expectError(
        t.client.completeMultipartUpload({
          ...upload,
          parts: [{ partNumber: 1, etag: part.etag }],
          abortSignal: abortedSignal(),
        }),
        'RequestAborted',
        'completeMultipartUpload with an aborted signal',
      );
      await expectError(
        t.client.headObject({ bucket: t.bucket, key: upload.key }),
        'NoSuchKey',
        'headObject after the aborted completion',
      );
      await complete(t, upload, [{ partNumber: 1, etag: part.etag }]);
      checkBytes(await t.read(upload.key), bytes, 'object completed after the aborted call');
    },
  },
]);
