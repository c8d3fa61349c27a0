/**
 * Property-based fuzzing of every facade method with mistyped and malformed values: whatever a
 * caller passes, a call resolves or fails with a PartCopyError, and input that is wrong is never
 * reported as InternalError (a TypeError from deep inside a provider, "getTime is not a
 * function", ...). The seed is fixed in CI and random elsewhere; it is printed, so any failure can
 * be replayed with PARTCOPY_FUZZ_SEED=<seed>.
 */
import { PartCopyClient, PartCopyError } from '@partcopy/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryProvider } from '../src/index.js';
import { pullProvider } from './pull-provider.js';

const FIXED_SEED = 20261129;
const randomSeed = Date.now() % 2 ** 31;
// PARTCOPY_FUZZ_SEED replays one seed. Otherwise CI runs the fixed seed (the same every run) and a
// fresh one (printed in the suite's title), elsewhere only a fresh one.
const seeds: number[] = process.env.PARTCOPY_FUZZ_SEED
  ? [Number(process.env.PARTCOPY_FUZZ_SEED)]
  : process.env.CI
    ? [FIXED_SEED, randomSeed]
    : [randomSeed];
const RUNS = Number(process.env.PARTCOPY_FUZZ_RUNS ?? 150);

/** Values of every JavaScript type, and the malformed strings and dates S3 refuses. */
const hostile = fc.oneof(
  fc.constantFrom(
    null,
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 60,
    '',
    'a\nb',
    'x\u0000y',
    '\ud800',
    true,
    false,
    [],
    [null],
    [1, 2],
    {},
    { start: 'a', end: null },
    Symbol('s'),
    2n,
    new Date(Number.NaN),
    new Date(0),
    () => 1,
    new Uint8Array(3),
    Object.create(null),
    { parts: null },
    { parts: [null] },
    { parts: [{ partNumber: '1', etag: 5 }] },
    { a: 1 },
    { 'bad name': 'v' },
    { k: 'line\nbreak' },
  ),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.anything({ maxDepth: 2 }),
);

type Method =
  | 'createBucket'
  | 'deleteBucket'
  | 'putBucketVersioning'
  | 'getBucketVersioning'
  | 'putBucketEncryption'
  | 'getBucketEncryption'
  | 'deleteBucketEncryption'
  | 'listObjectVersions'
  | 'listBuckets'
  | 'createMultipartUpload'
  | 'uploadPart'
  | 'uploadPartCopy'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
  | 'listParts'
  | 'listMultipartUploads'
  | 'headObject'
  | 'getObject'
  | 'putObject'
  | 'deleteObject'
  | 'listObjects'
  | 'copyObjectServerSide'
  | 'composeObjectNative'
  | 'discardComposeProgress'
  | 'presignGetObject'
  | 'uploadPartFromUrl';

const SETTINGS = [
  'contentType',
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
  'expires',
  'metadata',
  'storageClass',
  'tagging',
];
const SSE = ['sseCustomerAlgorithm', 'sseCustomerKey', 'sseCustomerKeyMD5'];
const OWNER = ['requestPayer', 'expectedBucketOwner'];
const CHECKSUMS = ['checksumCRC32', 'checksumCRC32C', 'checksumCRC64NVME', 'checksumSHA1', 'checksumSHA256'];
const ENCRYPTION = ['serverSideEncryption', 'sseKMSKeyId', 'sseKMSEncryptionContext', 'bucketKeyEnabled'];

/** Every field of every method's input, from the input types (client/inputs.ts). */
const FIELDS: Record<Method, string[]> = {
  createBucket: ['bucket', 'versioning', 'abortSignal'],
  deleteBucket: ['bucket', 'abortSignal'],
  putBucketVersioning: ['bucket', 'status', 'abortSignal'],
  getBucketVersioning: ['bucket', 'abortSignal'],
  putBucketEncryption: ['bucket', 'encryption', 'abortSignal'],
  getBucketEncryption: ['bucket', 'abortSignal'],
  deleteBucketEncryption: ['bucket', 'abortSignal'],
  listBuckets: ['abortSignal'],
  listObjectVersions: [
    'bucket',
    'prefix',
    'delimiter',
    'keyMarker',
    'versionIdMarker',
    'maxKeys',
    'abortSignal',
  ],
  createMultipartUpload: [
    'bucket',
    'key',
    'checksumAlgorithm',
    'checksumType',
    ...SETTINGS,
    ...SSE,
    ...OWNER,
    ...ENCRYPTION,
  ],
  uploadPart: [
    'bucket',
    'key',
    'uploadId',
    'partNumber',
    'body',
    'contentLength',
    'contentMD5',
    'checksumAlgorithm',
    'onProgress',
    ...CHECKSUMS,
    ...SSE,
    ...OWNER,
  ],
  uploadPartCopy: [
    'bucket',
    'key',
    'uploadId',
    'partNumber',
    'copySource',
    'copySourceRange',
    'copySourceIfMatch',
    'copySourceIfNoneMatch',
    'copySourceIfModifiedSince',
    'copySourceIfUnmodifiedSince',
    'copySourceSSECustomerAlgorithm',
    'copySourceSSECustomerKey',
    'copySourceSSECustomerKeyMD5',
    'expectedSourceBucketOwner',
    'copySourceHint',
    'onProgress',
    ...SSE,
    ...OWNER,
  ],
  completeMultipartUpload: [
    'bucket',
    'key',
    'uploadId',
    'multipartUpload',
    'parts',
    'ifMatch',
    'ifNoneMatch',
    'checksumType',
    'mpObjectSize',
    ...CHECKSUMS,
    ...SSE,
    ...OWNER,
  ],
  abortMultipartUpload: ['bucket', 'key', 'uploadId', ...OWNER],
  listParts: ['bucket', 'key', 'uploadId', 'maxParts', 'partNumberMarker', ...SSE, ...OWNER],
  listMultipartUploads: ['bucket', 'prefix', 'keyMarker', 'uploadIdMarker', 'maxUploads', ...OWNER],
  headObject: ['bucket', 'key', 'versionId', ...SSE, ...OWNER],
  getObject: ['bucket', 'key', 'versionId', 'range', ...SSE, ...OWNER],
  putObject: [
    'bucket',
    'key',
    'body',
    'checksumAlgorithm',
    'contentLength',
    'contentMD5',
    'ifMatch',
    'ifNoneMatch',
    'onProgress',
    ...SETTINGS,
    ...SSE,
    ...OWNER,
    ...ENCRYPTION,
    ...CHECKSUMS,
  ],
  deleteObject: ['bucket', 'key', 'versionId', 'ifMatch', 'ifMatchLastModifiedTime', 'ifMatchSize', ...OWNER],
  listObjects: ['bucket', 'prefix', 'continuationToken', 'maxKeys'],
  copyObjectServerSide: [
    'bucket',
    'key',
    'copySource',
    'metadataDirective',
    'copySourceIfMatch',
    'copySourceIfNoneMatch',
    'copySourceIfModifiedSince',
    'copySourceIfUnmodifiedSince',
    'copySourceSSECustomerAlgorithm',
    'copySourceSSECustomerKey',
    'copySourceSSECustomerKeyMD5',
    'expectedSourceBucketOwner',
    'ifMatch',
    'ifNoneMatch',
    'copySourceHint',
    'abortSignal',
    ...SETTINGS,
    ...SSE,
    ...OWNER,
    ...ENCRYPTION,
  ],
  composeObjectNative: [
    'bucket',
    'key',
    'pieces',
    'settings',
    'ifMatch',
    'ifNoneMatch',
    'abortSignal',
    'onProgress',
  ],
  discardComposeProgress: ['bucket', 'key', 'resumeKey', 'dryRun', 'abortSignal'],
  presignGetObject: ['bucket', 'key', 'versionId', 'range', 'expiresInSeconds', 'abortSignal'],
  uploadPartFromUrl: [
    'bucket',
    'key',
    'uploadId',
    'partNumber',
    'sourceUrl',
    'range',
    'sourceIfMatch',
    'abortSignal',
  ],
};

let client: PartCopyClient;
let uploadId: string;
let partEtag: string;
let sourceEtag: string;
let signedUrl: string;

/** A valid input for each method, against the store prepared in beforeAll. */
function validInput(method: Method): Record<string, unknown> {
  const upload = { bucket: 'b', key: 'dst', uploadId };
  const inputs: Record<Method, Record<string, unknown>> = {
    createBucket: { bucket: 'fresh' },
    deleteBucket: { bucket: 'empty' },
    putBucketVersioning: { bucket: 'b', status: 'Suspended' },
    getBucketVersioning: { bucket: 'b' },
    putBucketEncryption: { bucket: 'b', encryption: { serverSideEncryption: 'aws:kms', sseKMSKeyId: 'k' } },
    getBucketEncryption: { bucket: 'b' },
    deleteBucketEncryption: { bucket: 'b' },
    listBuckets: {},
    listObjectVersions: { bucket: 'b', keyMarker: 'a', versionIdMarker: 'null', maxKeys: 5 },
    createMultipartUpload: { bucket: 'b', key: 'other' },
    uploadPart: { ...upload, partNumber: 2, body: 'x' },
    uploadPartCopy: { ...upload, partNumber: 3, copySource: 'b/src', copySourceRange: 'bytes=0-3' },
    completeMultipartUpload: {
      ...upload,
      key: 'never',
      multipartUpload: { parts: [{ partNumber: 1, etag: partEtag }] },
    },
    abortMultipartUpload: { ...upload, key: 'never' },
    listParts: { ...upload },
    listMultipartUploads: { bucket: 'b' },
    headObject: { bucket: 'b', key: 'src' },
    getObject: { bucket: 'b', key: 'src', range: 'bytes=0-1' },
    putObject: { bucket: 'b', key: 'written', body: 'hello' },
    deleteObject: { bucket: 'b', key: 'gone' },
    listObjects: { bucket: 'b' },
    copyObjectServerSide: { bucket: 'b', key: 'copied', copySource: 'b/src' },
    composeObjectNative: {
      bucket: 'b',
      key: 'joined',
      settings: {},
      pieces: [{ source: { bucket: 'b', key: 'src' }, etag: sourceEtag, size: 12, sourceSize: 12 }],
    },
    // The memory store composes in one call and stages nothing: Unsupported, a typed error.
    discardComposeProgress: { bucket: 'b', key: 'joined', resumeKey: 'compose-x.1' },
    presignGetObject: { bucket: 'b', key: 'src', range: 'bytes=0-3', expiresInSeconds: 60 },
    uploadPartFromUrl: { ...upload, partNumber: 4, sourceUrl: signedUrl, range: 'bytes=0-3' },
  };
  return inputs[method];
}

/** Drains a body so a successful getObject is really exercised. */
async function call(method: Method, input: Record<string, unknown>): Promise<void> {
  const result = await (client[method] as (i: unknown) => Promise<unknown>).call(client, input);
  if (method === 'getObject') await (result as { body: { bytes(): Promise<Uint8Array> } }).body.bytes();
}

beforeAll(async () => {
  // A memory store that can also pull, so the server-side pull's two methods are fuzzed too.
  client = new PartCopyClient(pullProvider(createMemoryProvider({ minPartSize: 1 })), {
    env: {},
    retry: false,
  });
  await client.createBucket({ bucket: 'b' });
  await client.createBucket({ bucket: 'empty' });
  ({ etag: sourceEtag } = await client.putObject({ bucket: 'b', key: 'src', body: 'source bytes' }));
  ({ uploadId } = await client.createMultipartUpload({ bucket: 'b', key: 'dst' }));
  ({ etag: partEtag } = await client.uploadPart({
    bucket: 'b',
    key: 'dst',
    uploadId,
    partNumber: 1,
    body: 'p1',
  }));
  ({ url: signedUrl } = await client.presignGetObject({ bucket: 'b', key: 'src', expiresInSeconds: 600 }));
});

it('fuzzes every public facade method that takes input', () => {
  const methods = Object.getOwnPropertyNames(PartCopyClient.prototype).filter(
    (name) => !['constructor', 'capabilitiesFor', 'on', 'metrics', 'close'].includes(name),
  );
  expect(methods.filter((name) => !(name in FIELDS))).toEqual([]);
});

describe.each(seeds.map((seed) => ({ seed })))(
  'facade fuzzing (seed $seed; replay with PARTCOPY_FUZZ_SEED=$seed)',
  ({ seed }) => {
    for (const method of Object.keys(FIELDS) as Method[]) {
      it(`${method}: any value in any field gives a result or a PartCopyError that is not InternalError`, async () => {
        const field = fc.constantFrom(...FIELDS[method]);
        const mutation = fc.array(fc.tuple(field, hostile), { minLength: 1, maxLength: 3 });
        await fc.assert(
          fc.asyncProperty(mutation, async (changes) => {
            const input = { ...validInput(method) };
            for (const [name, value] of changes) input[name] = value;
            try {
              await call(method, input);
            } catch (error) {
              if (!PartCopyError.isInstance(error)) {
                throw new Error(
                  `${method} threw a raw ${(error as Error)?.name}: ${(error as Error)?.message}`,
                );
              }
              if (error.code === 'InternalError') {
                throw new Error(`${method}: bad input reported as InternalError: ${error.message}`);
              }
            }
          }),
          { seed, numRuns: RUNS, endOnFailure: true },
        );
      });
    }

    it('names the field in an InvalidArgument for a mistyped value', async () => {
      const input = { ...validInput('uploadPartCopy'), copySourceIfModifiedSince: null };
      const error = await client.uploadPartCopy(input as never).catch((e) => e);
      expect(PartCopyError.hasCode(error, 'InvalidArgument')).toBe(true);
      expect(error.message).toContain('copySourceIfModifiedSince');
    });
  },
);
