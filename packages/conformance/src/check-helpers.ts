/**
 * Steps many checks share: writing a source, copying parts, completing, reading back. Each goes
 * through the `PartCopyClient` facade, so its validation is part of what is checked.
 */
import type {
  ByteRangeInput,
  CompletedPartInput,
  PartCopyClient,
  UploadPartCopyInput,
  UploadPartCopyResult,
} from '@partcopy/core';
import { encodeCopySourceKey } from '@partcopy/core/provider';
import { check, checkBytes, checkEqual } from './assertions.js';
import type { CheckContext, UploadRef } from './check-context.js';
import { randomData } from './test-data.js';

/** S3's string form of a copy source: `bucket/encoded-key[?versionId=V]`. */
export function copySourceString(bucket: string, key: string, versionId?: string): string {
  const base = `${bucket}/${encodeCopySourceKey(key)}`;
  return versionId === undefined ? base : `${base}?versionId=${versionId}`;
}

/** An object written for a check to copy from. */
export interface Source {
  bucket: string;
  key: string;
  bytes: Uint8Array;
  etag: string;
  versionId?: string;
}

/** Puts `size` random bytes at a random key (or `key`) of the check's bucket (or `bucket`). */
export async function putSource(
  t: CheckContext,
  size: number,
  options: { key?: string; bucket?: string; bytes?: Uint8Array } = {},
): Promise<Source> {
  const bucket = options.bucket ?? t.bucket;
  const key = options.key ?? t.key('source');
  const bytes = options.bytes ?? randomData(size);
  const put = await t.client.putObject({ bucket, key, body: bytes });
  const source: Source = { bucket, key, bytes, etag: put.etag };
  if (put.versionId !== undefined) source.versionId = put.versionId;
  return source;
}

/** Copies bytes of `source` (string or structured) into part `partNumber`. */
export function copyPart(
  t: CheckContext,
  upload: UploadRef,
  partNumber: number,
  source: UploadPartCopyInput['copySource'],
  extra: Partial<UploadPartCopyInput> & { copySourceRange?: ByteRangeInput } = {},
  client: PartCopyClient = t.client,
): Promise<UploadPartCopyResult> {
  return client.uploadPartCopy({ ...upload, partNumber, copySource: source, ...extra });
}

/** Completes an upload with the given parts. */
export function complete(
  t: CheckContext,
  upload: UploadRef,
  parts: readonly CompletedPartInput[],
  client: PartCopyClient = t.client,
) {
  return client.completeMultipartUpload({ ...upload, multipartUpload: { parts: [...parts] } });
}

/** Reads the object at the upload's key and compares it with `expected`. */
export async function checkObjectBytes(
  t: CheckContext,
  at: { bucket: string; key: string },
  expected: Uint8Array,
  what: string,
) {
  const actual = await t.read(at.key, { bucket: at.bucket });
  checkBytes(actual, expected, what);
}

/** Copies one part (range or whole) as the only part, completes, and returns the object's bytes. */
export async function copyAsSinglePart(
  t: CheckContext,
  source: UploadPartCopyInput['copySource'],
  range?: ByteRangeInput,
): Promise<{ bytes: Uint8Array; result: UploadPartCopyResult }> {
  const upload = await t.createUpload(t.key('dest'));
  const result = await copyPart(t, upload, 1, source, range === undefined ? {} : { copySourceRange: range });
  await complete(t, upload, [{ partNumber: 1, etag: result.copyPartResult.etag }]);
  return { bytes: await t.read(upload.key, { bucket: upload.bucket }), result };
}

/** When the provider can list parts, checks the upload has none (a refused request created nothing). */
export async function checkNoParts(t: CheckContext, upload: UploadRef, what: string): Promise<void> {
  if (!t.capabilities.listParts) return;
  const listed = await t.client.listParts(upload);
  checkEqual(listed.parts.length, 0, `${what}: parts listed after the refused request`);
}

/** When the provider can list parts, checks exactly these part numbers exist. */
export async function checkPartNumbers(
  t: CheckContext,
  upload: UploadRef,
  expected: readonly number[],
  what: string,
) {
  if (!t.capabilities.listParts) return;
  const listed = await t.client.listParts(upload);
  const numbers = listed.parts.map((p) => p.partNumber);
  check(
    numbers.length === expected.length && numbers.every((n, i) => n === expected[i]),
    `${what}: expected parts [${expected.join(', ')}], listed [${numbers.join(', ')}]`,
  );
}

/** Size of every part but the last in multi-part checks: the provider's minimum (at least 1). */
export function partSize(t: CheckContext): number {
  return Math.max(1, t.capabilities.minPartSize);
}
