/**
 * server-pull: the optional primitives of a server-side pull. `presignGetObject` (capability
 * `presignedReads`) signs a URL that any HTTP client reads without credentials, a range of it
 * included, until the expiry asked for; `uploadPartFromUrl` (capability `uploadPartFromUrl`) makes
 * a part of bytes the store fetches from such a URL, on the server, pinned to the source's ETag,
 * and answers `NoSuchUpload` for an unknown upload. Pulls are checked from the store's own signed
 * URLs: the one kind of URL every such store can reach (Azurite reads only from itself).
 */
import type { PresignGetObjectRequest, Provider, UploadPartFromUrlRequest } from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { complete, putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';

const SIZE = 3000;
const PULL = ['presignedReads', 'uploadPartFromUrl'] as const;

function presign(t: CheckContext, request: Omit<PresignGetObjectRequest, 'expiresInSeconds'>, seconds = 300) {
  const provider = t.client.provider as Provider & Required<Pick<Provider, 'presignGetObject'>>;
  return provider.presignGetObject(
    { ...request, expiresInSeconds: seconds },
    { signal: new AbortController().signal },
  );
}

function pull(t: CheckContext, request: UploadPartFromUrlRequest) {
  const provider = t.client.provider as Provider & Required<Pick<Provider, 'uploadPartFromUrl'>>;
  return provider.uploadPartFromUrl(request, { signal: new AbortController().signal });
}

export const serverPullChecks = defineChecks('server-pull', [
  {
    id: 'server-pull.presigned-read-serves-range',
    title: 'a presigned URL reads the object, and a Range of it, without credentials',
    requires: ['presignedReads'],
    async run(t) {
      const source = await putSource(t, SIZE);
      const signed = await presign(t, { bucket: source.bucket, key: source.key });
      const whole = await fetch(signed.url);
      checkEqual(whole.status, 200, 'GET of the presigned URL');
      checkBytes(new Uint8Array(await whole.arrayBuffer()), source.bytes, 'bytes of the presigned URL');
      const ranged = await fetch(signed.url, { headers: { range: 'bytes=100-1099' } });
      checkEqual(ranged.status, 206, 'ranged GET of the presigned URL');
      checkBytes(
        new Uint8Array(await ranged.arrayBuffer()),
        source.bytes.subarray(100, 1100),
        'bytes of the range',
      );
    },
  },
  {
    id: 'server-pull.presigned-read-expiry',
    title: 'expiresAt is the lifetime asked for, counted from the signature',
    requires: ['presignedReads'],
    async run(t) {
      const source = await putSource(t, 10);
      const before = Date.now();
      const signed = await presign(t, { bucket: source.bucket, key: source.key }, 900);
      const expires = signed.expiresAt.getTime();
      check(
        expires >= before + 899_000 && expires <= Date.now() + 901_000,
        `expiresAt ${signed.expiresAt.toISOString()} is not 900 s after the signature`,
      );
    },
  },
  {
    id: 'server-pull.part-from-url',
    title: 'uploadPartFromUrl makes a part of a range of a presigned URL, on the server',
    requires: PULL,
    async run(t) {
      const source = await putSource(t, SIZE);
      const signed = await presign(t, { bucket: source.bucket, key: source.key });
      const upload = await t.createUpload(t.key('pulled'));
      const range = { start: 7, end: 2506 };
      const part = await pull(t, {
        ...upload,
        partNumber: 1,
        sourceUrl: signed.url,
        range,
        sourceIfMatch: source.etag,
      });
      checkEqual(part.transfer, 'server-side', 'transfer');
      checkEqual(part.bytesCopied, 2500, 'bytesCopied');
      await complete(t, upload, [{ partNumber: 1, etag: part.etag }]);
      checkBytes(
        await t.read(upload.key, { bucket: upload.bucket }),
        source.bytes.subarray(7, 2507),
        'the pulled part',
      );
    },
  },
  {
    id: 'server-pull.part-from-url-pinned',
    title: 'a source replaced after signing fails the pull with PreconditionFailed (sourceIfMatch)',
    requires: PULL,
    async run(t) {
      const source = await putSource(t, SIZE);
      const signed = await presign(t, { bucket: source.bucket, key: source.key });
      await putSource(t, SIZE, { key: source.key });
      const upload = await t.createUpload(t.key('pinned'));
      await expectError(
        pull(t, {
          ...upload,
          partNumber: 1,
          sourceUrl: signed.url,
          range: { start: 0, end: SIZE - 1 },
          sourceIfMatch: source.etag,
        }),
        'PreconditionFailed',
        'pull of a replaced source',
      );
      await t.client.abortMultipartUpload(upload);
    },
  },
  {
    id: 'server-pull.part-from-url-no-such-upload',
    title: 'uploadPartFromUrl into an unknown upload id: NoSuchUpload',
    requires: PULL,
    async run(t) {
      const source = await putSource(t, 10);
      const signed = await presign(t, { bucket: source.bucket, key: source.key });
      const upload = await t.createUpload(t.key('gone'));
      await t.client.abortMultipartUpload(upload);
      const error = await expectError(
        pull(t, { ...upload, partNumber: 1, sourceUrl: signed.url, range: { start: 0, end: 9 } }),
        'NoSuchUpload',
        'pull into an aborted upload',
      );
      const signature = new URL(signed.url).search;
      check(
        signature.length < 20 || !error.message.includes(signature.slice(1)),
        'the error message quotes the signed URL',
      );
    },
  },
]);
