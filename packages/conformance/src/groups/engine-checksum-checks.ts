/**
 * engine (checksums): where the store computes checksums over the bytes it copies
 * (`partCopyChecksums`, `wholeObjectCopyChecksums`), the engine verifies a copy by them with no
 * byte read, the checksum it reports is the one computed here over the source's bytes, and a
 * store that lies about a part or about the copy fails the copy with `BadDigest` leaving no
 * upload and no object behind.
 */
import { type ChecksumAlgorithm, copyObject, PartCopyError } from '@partcopy/core';
import { checksumField, checksumOf } from '@partcopy/core/provider';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { putSource, type Source } from '../check-helpers.js';
import type { GateInput } from '../conformance-types.js';
import { defineChecks, RANGED_COPY_NEEDS, rangedCopyGate } from '../define-checks.js';
import { randomData } from '../test-data.js';

const CRCS: readonly ChecksumAlgorithm[] = ['CRC64NVME', 'CRC32C', 'CRC32'];

const partsGate = (input: GateInput): string | undefined =>
  input.capabilities.partCopyChecksums === true
    ? rangedCopyGate(input)
    : 'partCopyChecksums is off: the store computes no checksums for copied parts';

const wholeGate = ({ capabilities }: GateInput): string | undefined =>
  capabilities.wholeObjectCopy && capabilities.wholeObjectCopyChecksums === true
    ? undefined
    : 'wholeObjectCopy or wholeObjectCopyChecksums is off';

/** A source written with a CRC where the store takes one (as S3's SDKs do by default). */
async function checksummedSource(t: CheckContext, size: number): Promise<Source> {
  const algorithm = CRCS.find((crc) => t.capabilities.checksumAlgorithms.includes(crc));
  const bytes = randomData(size);
  if (algorithm === undefined) return putSource(t, size, { bytes });
  const key = t.key('source');
  const put = await t.client.putObject({ bucket: t.bucket, key, body: bytes, checksumAlgorithm: algorithm });
  return {
    bucket: t.bucket,
    key,
    bytes,
    etag: put.etag,
    ...(put.versionId ? { versionId: put.versionId } : {}),
  };
}

/** The same checksum with its first byte changed (same width, so it still parses). */
function corrupted(value: string): string {
  const bytes = Buffer.from(value, 'base64');
  bytes[0] = (bytes[0] as number) ^ 0xff;
  return bytes.toString('base64');
}

/** Every CRC field of `result` corrupted. */
function lieAbout<T extends object>(result: T): T {
  const out = { ...result } as Record<string, unknown>;
  for (const algorithm of CRCS) {
    const field = checksumField(algorithm);
    if (typeof out[field] === 'string') out[field] = corrupted(out[field] as string);
  }
  return out as T;
}

async function uploadsLeft(t: CheckContext): Promise<number> {
  if (!t.capabilities.listMultipartUploads) return 0;
  return (await t.client.listMultipartUploads({ bucket: t.bucket })).uploads.length;
}

/** The reported checksum must be the one computed here over `bytes`. */
function checkReported(
  verification: { checksum?: { algorithm: ChecksumAlgorithm; value: string }; bytesRead: number },
  bytes: Uint8Array,
): void {
  const reported = verification.checksum;
  check(reported !== undefined, 'the verification names the checksum compared');
  checkEqual(
    reported?.value,
    checksumOf(reported?.algorithm ?? 'CRC32C', bytes),
    `the copy's ${reported?.algorithm}`,
  );
  checkEqual(verification.bytesRead, 0, 'bytes read to verify');
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

export const engineChecksumChecks = defineChecks('engine', [
  {
    id: 'engine.checksum-parts',
    title: 'a copy in parts is verified by the CRCs the store computed, with no byte read',
    requires: ['copySourceIfMatch'],
    gate: partsGate,
    needs: `partCopyChecksums; ${RANGED_COPY_NEEDS}`,
    async run(t) {
      const partSize = Math.max(1, t.capabilities.minPartSize);
      const source = await checksummedSource(t, 2 * partSize + 100);
      const key = t.key('copy');
      const result = await copyObject({
        client: t.client,
        source: { bucket: source.bucket, key: source.key },
        destination: { bucket: t.bucket, key },
        partSize,
      });
      checkEqual(result.partsCount, 3, 'parts');
      const head = await t.client.headObject({ bucket: source.bucket, key: source.key });
      const sourceHasCrc = head.checksumType === 'FULL_OBJECT';
      checkEqual(
        result.verification.content,
        sourceHasCrc ? 'source-checksum' : 'part-checksums',
        'verified by',
      );
      checkReported(result.verification, source.bytes);
      checkBytes(await t.read(key), source.bytes, 'the copy');
    },
  },
  {
    id: 'engine.checksum-range',
    title: "a range copy is verified by its parts' combined CRC, which is the range's",
    requires: ['copySourceIfMatch'],
    gate: partsGate,
    needs: `partCopyChecksums; ${RANGED_COPY_NEEDS}`,
    async run(t) {
      const partSize = Math.max(1, t.capabilities.minPartSize);
      const source = await checksummedSource(t, 3 * partSize);
      const key = t.key('copy');
      const range = { start: 50, end: 2 * partSize + 49 };
      const result = await copyObject({
        client: t.client,
        source: { bucket: source.bucket, key: source.key },
        destination: { bucket: t.bucket, key },
        range,
        partSize,
      });
      const bytes = source.bytes.subarray(range.start, range.end + 1);
      checkEqual(result.verification.content, 'part-checksums', 'verified by');
      checkReported(result.verification, bytes);
      checkBytes(await t.read(key), bytes, 'the copy');
    },
  },
  {
    id: 'engine.checksum-whole-object',
    title: "a whole-object copy is verified by the store's CRC of the copy against the source's",
    requires: ['copySourceIfMatch'],
    gate: wholeGate,
    needs: 'wholeObjectCopy, wholeObjectCopyChecksums',
    async run(t) {
      const source = await checksummedSource(t, 64 * 1024);
      const key = t.key('copy');
      const result = await copyObject({
        client: t.client,
        source: { bucket: source.bucket, key: source.key },
        destination: { bucket: t.bucket, key },
      });
      checkEqual(result.strategy, 'whole-object', 'strategy');
      checkEqual(result.verification.content, 'source-checksum', 'verified by');
      checkReported(result.verification, source.bytes);
    },
  },
  {
    id: 'engine.checksum-lying-part',
    title: 'a part whose CRC is not the source bytes fails the copy with BadDigest and leaves nothing',
    requires: ['copySourceIfMatch'],
    gate: partsGate,
    needs: `partCopyChecksums; ${RANGED_COPY_NEEDS}`,
    async run(t) {
      const partSize = Math.max(1, t.capabilities.minPartSize);
      const source = await checksummedSource(t, 2 * partSize + 100);
      const key = t.key('copy');
      const liar = t.intercepted(async (method, request, _ctx, next) => {
        const result = (await next()) as { copyPartResult?: object };
        if (method !== 'uploadPartCopy' || (request as { partNumber: number }).partNumber !== 2)
          return result;
        return { ...result, copyPartResult: lieAbout(result.copyPartResult ?? {}) };
      });
      const error = await failure(
        copyObject({
          client: liar,
          source: { bucket: source.bucket, key: source.key },
          destination: { bucket: t.bucket, key },
          partSize,
        }),
      );
      check(
        PartCopyError.hasCode(error, 'BadDigest'),
        `the copy fails with BadDigest (got ${String(error)})`,
      );
      checkEqual(await uploadsLeft(t), 0, 'uploads left');
      await expectError(t.client.headObject({ bucket: t.bucket, key }), 'NoSuchKey', 'the destination');
    },
  },
  {
    id: 'engine.checksum-lying-copy',
    title: 'a whole-object copy whose CRC differs from the source fails with BadDigest and is removed',
    requires: ['copySourceIfMatch'],
    gate: wholeGate,
    needs: 'wholeObjectCopy, wholeObjectCopyChecksums',
    async run(t) {
      const source = await checksummedSource(t, 64 * 1024);
      const key = t.key('copy');
      const liar = t.intercepted(async (method, request, _ctx, next) => {
        const result = await next();
        const named = request as { bucket: string; key: string };
        if (method !== 'headObject' || named.key !== key) return result;
        return lieAbout(result as object);
      });
      const error = await failure(
        copyObject({
          client: liar,
          source: { bucket: source.bucket, key: source.key },
          destination: { bucket: t.bucket, key },
        }),
      );
      check(
        PartCopyError.hasCode(error, 'BadDigest'),
        `the copy fails with BadDigest (got ${String(error)})`,
      );
      await expectError(t.client.headObject({ bucket: t.bucket, key }), 'NoSuchKey', 'the destination');
    },
  },
]);
