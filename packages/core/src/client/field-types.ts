/**
 * The type of every optional field of the facade's input, checked once before anything else:
 * JavaScript callers (and TypeScript callers with `as`) can pass anything, and a value of the
 * wrong type must be refused as `InvalidArgument` naming the field, never reach a provider as a
 * raw TypeError. Header-bound strings also refuse control characters (S3 answers InvalidArgument;
 * Node would throw ERR_INVALID_CHAR).
 */

import { PartCopyError } from '../errors/part-copy-error.js';
import { CHECKSUM_ALGORITHMS } from '../semantics/checksums/checksum-algorithms.js';

/** What a field may hold (when present: `undefined` is always allowed). */
export type FieldType =
  | 'string' // any string
  | 'header' // a string that travels as an HTTP header value: no control characters
  | 'boolean'
  | 'count' // a non-negative safe integer
  | 'date' // a valid Date
  | 'date-text' // a valid Date, or a string (parsed later, with its own message)
  | 'etags' // a string or a non-empty list of strings
  | 'function'
  | 'signal' // an AbortSignal
  | 'metadata' // a record of HTTP-token names to header-safe strings
  | 'tags' // a record of strings to strings
  | 'sse-key' // a base64 string or bytes
  | 'checksum-algorithm'
  | 'checksum-type'
  | 'object'; // a plain object (its own fields are checked where it is used)

export type FieldTypes = Readonly<Record<string, FieldType>>;

// RFC 9110 token characters: what S3 accepts in x-amz-meta-* names.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Control characters other than tab: header values cannot carry them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Refuses the first field of `input` whose value is not of its declared type. */
export function checkFieldTypes(input: object, types: FieldTypes): void {
  const record = input as Record<string, unknown>;
  for (const [field, type] of Object.entries(types)) {
    const value = record[field];
    if (value === undefined) continue;
    const problem = problemOf(value, type);
    if (problem) throw new PartCopyError('InvalidArgument', `${field} ${problem}`);
  }
}

function problemOf(value: unknown, type: FieldType): string | undefined {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'header':
      return headerProblem(value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'count':
      return Number.isSafeInteger(value) && (value as number) >= 0
        ? undefined
        : 'must be a non-negative integer';
    case 'date':
      return validDate(value) ? undefined : 'must be a valid Date';
    case 'date-text':
      return validDate(value) || typeof value === 'string'
        ? undefined
        : 'must be a Date or an HTTP-date string';
    case 'etags':
      return etagsProblem(value);
    case 'function':
      return typeof value === 'function' ? undefined : 'must be a function';
    case 'signal':
      return value instanceof AbortSignal ? undefined : 'must be an AbortSignal';
    case 'metadata':
      return recordProblem(
        value,
        (name) => TOKEN.test(name),
        'an HTTP token (letters, digits, -_.!#$%&*+^`|~)',
      );
    case 'tags':
      return recordProblem(value, (name) => name.length > 0, 'a non-empty string');
    case 'sse-key':
      return typeof value === 'string' || value instanceof Uint8Array
        ? undefined
        : 'must be a base64 string or bytes';
    case 'checksum-algorithm':
      return (CHECKSUM_ALGORITHMS as readonly unknown[]).includes(value)
        ? undefined
        : `must be one of ${CHECKSUM_ALGORITHMS.join(', ')}`;
    case 'checksum-type':
      return value === 'COMPOSITE' || value === 'FULL_OBJECT'
        ? undefined
        : 'must be COMPOSITE or FULL_OBJECT';
    case 'object':
      return isPlainObject(value) ? undefined : 'must be an object';
  }
}

function headerProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  return CONTROL.test(value) ? 'must not contain control characters (line breaks, NUL, ...)' : undefined;
}

function etagsProblem(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return 'must name at least one ETag';
  return list.every((etag) => typeof etag === 'string' && etag.length > 0)
    ? undefined
    : 'must be an ETag string or a list of ETag strings';
}

function recordProblem(
  value: unknown,
  nameOk: (name: string) => boolean,
  nameRule: string,
): string | undefined {
  if (!isPlainObject(value)) return 'must be an object of strings';
  for (const [name, entry] of Object.entries(value)) {
    if (!nameOk(name)) return `name ${JSON.stringify(name)} must be ${nameRule}`;
    const problem = headerProblem(entry);
    if (problem) return `value of ${JSON.stringify(name)} ${problem}`;
  }
  return undefined;
}

function validDate(value: unknown): boolean {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// ----- the fields of each input, by the shapes they share (client/inputs.ts) ----------------

export const CALL: FieldTypes = { abortSignal: 'signal' };
export const PROGRESS: FieldTypes = { onProgress: 'function' };
export const SSE_CUSTOMER: FieldTypes = {
  sseCustomerAlgorithm: 'string',
  sseCustomerKey: 'sse-key',
  sseCustomerKeyMD5: 'string',
};
export const OWNERSHIP: FieldTypes = { requestPayer: 'string', expectedBucketOwner: 'string' };
export const OBJECT_SETTINGS: FieldTypes = {
  contentType: 'header',
  contentEncoding: 'header',
  contentDisposition: 'header',
  contentLanguage: 'header',
  cacheControl: 'header',
  expires: 'date',
  metadata: 'metadata',
  storageClass: 'header',
  tagging: 'tags',
};
export const ENCRYPTION: FieldTypes = {
  serverSideEncryption: 'header',
  sseKMSKeyId: 'header',
  sseKMSEncryptionContext: 'header',
  bucketKeyEnabled: 'boolean',
};
export const CHECKSUMS: FieldTypes = {
  checksumCRC32: 'string',
  checksumCRC32C: 'string',
  checksumCRC64NVME: 'string',
  checksumSHA1: 'string',
  checksumSHA256: 'string',
};
export const COPY_SOURCE: FieldTypes = {
  copySourceIfMatch: 'etags',
  copySourceIfNoneMatch: 'etags',
  copySourceIfModifiedSince: 'date-text',
  copySourceIfUnmodifiedSince: 'date-text',
  copySourceSSECustomerAlgorithm: 'string',
  copySourceSSECustomerKey: 'sse-key',
  copySourceSSECustomerKeyMD5: 'string',
  expectedSourceBucketOwner: 'string',
  copySourceHint: 'object',
};

/** The optional fields of each facade method's input (required ones are checked where normalised). */
export const INPUT_FIELDS = {
  createBucket: { ...CALL, versioning: 'boolean' },
  listBuckets: CALL,
  deleteBucket: CALL,
  putBucketVersioning: CALL,
  getBucketVersioning: CALL,
  putBucketEncryption: CALL,
  getBucketEncryption: CALL,
  deleteBucketEncryption: CALL,
  listObjectVersions: {
    ...CALL,
    prefix: 'string',
    delimiter: 'string',
    keyMarker: 'string',
    versionIdMarker: 'string',
    maxKeys: 'count',
  },
  createMultipartUpload: {
    ...CALL,
    ...OBJECT_SETTINGS,
    ...SSE_CUSTOMER,
    ...OWNERSHIP,
    ...ENCRYPTION,
    checksumAlgorithm: 'checksum-algorithm',
    checksumType: 'checksum-type',
  },
  uploadPart: {
    ...CALL,
    ...PROGRESS,
    ...SSE_CUSTOMER,
    ...OWNERSHIP,
    ...CHECKSUMS,
    checksumAlgorithm: 'checksum-algorithm',
    contentLength: 'count',
    contentMD5: 'string',
    md5CheckedByCaller: 'boolean',
  },
  uploadPartCopy: { ...CALL, ...PROGRESS, ...SSE_CUSTOMER, ...OWNERSHIP, ...COPY_SOURCE },
  completeMultipartUpload: {
    ...CALL,
    ...SSE_CUSTOMER,
    ...OWNERSHIP,
    ...CHECKSUMS,
    multipartUpload: 'object',
    ifMatch: 'string',
    ifNoneMatch: 'string',
    checksumType: 'checksum-type',
    mpObjectSize: 'count',
  },
  abortMultipartUpload: { ...CALL, ...OWNERSHIP },
  listParts: { ...CALL, ...OWNERSHIP, ...SSE_CUSTOMER, maxParts: 'count', partNumberMarker: 'count' },
  listMultipartUploads: {
    ...CALL,
    ...OWNERSHIP,
    prefix: 'string',
    keyMarker: 'string',
    uploadIdMarker: 'string',
    maxUploads: 'count',
  },
  headObject: { ...CALL, ...SSE_CUSTOMER, ...OWNERSHIP, versionId: 'string' },
  getObject: { ...CALL, ...SSE_CUSTOMER, ...OWNERSHIP, versionId: 'string' },
  putObject: {
    ...CALL,
    ...PROGRESS,
    ...OBJECT_SETTINGS,
    ...SSE_CUSTOMER,
    ...OWNERSHIP,
    ...ENCRYPTION,
    ...CHECKSUMS,
    checksumAlgorithm: 'checksum-algorithm',
    contentLength: 'count',
    contentMD5: 'string',
    ifMatch: 'string',
    ifNoneMatch: 'string',
  },
  copyObject: {
    ...CALL,
    ...OBJECT_SETTINGS,
    ...SSE_CUSTOMER,
    ...OWNERSHIP,
    ...ENCRYPTION,
    ...COPY_SOURCE,
    metadataDirective: 'string',
    ifMatch: 'string',
    ifNoneMatch: 'string',
    checksumAlgorithm: 'checksum-algorithm',
    resumeToken: 'string',
    onResumeToken: 'function',
  },
  composeObject: {
    ...CALL,
    ...PROGRESS,
    ifMatch: 'string',
    ifNoneMatch: 'string',
    settings: 'object',
    resumeKey: 'string',
  },
  discardComposeProgress: { ...CALL, resumeKey: 'string', dryRun: 'boolean' },
  deleteObject: {
    ...CALL,
    ...OWNERSHIP,
    versionId: 'string',
    ifMatch: 'header',
    ifMatchLastModifiedTime: 'date',
    ifMatchSize: 'count',
  },
  listObjects: {
    ...CALL,
    prefix: 'string',
    continuationToken: 'string',
    maxKeys: 'count',
    startAfter: 'string',
  },
  presignGetObject: { ...CALL, versionId: 'string' },
  uploadPartFromUrl: { ...CALL, sourceIfMatch: 'header' },
} as const satisfies Record<string, FieldTypes>;

/** A facade method whose input fields are typed above. */
export type FacadeOperation = keyof typeof INPUT_FIELDS;

/**
 * The pieces of a native compose, each checked as the field types above check a call's fields:
 * an object with a `source` ({bucket, key, versionId?}), a header-safe `etag`, counts `size` and
 * `sourceSize`, and an optional `range` of counts. The message names the piece.
 */
export function checkComposePieces(pieces: unknown): void {
  if (!Array.isArray(pieces) || pieces.length === 0) {
    throw new PartCopyError(
      'InvalidArgument',
      'pieces must be a non-empty list (composeObject needs at least one piece)',
    );
  }
  pieces.forEach((piece: unknown, index) => {
    const name = `pieces[${index}]`;
    if (!isPlainObject(piece)) throw new PartCopyError('InvalidArgument', `${name} must be an object`);
    const { source, range } = piece as { source?: unknown; range?: unknown };
    if (!isPlainObject(source))
      throw new PartCopyError('InvalidArgument', `${name}.source must be an object`);
    checkFieldTypes(source as object, { bucket: 'string', key: 'string', versionId: 'string' });
    if (
      typeof (source as { bucket?: unknown }).bucket !== 'string' ||
      typeof (source as { key?: unknown }).key !== 'string'
    )
      throw new PartCopyError('InvalidArgument', `${name}.source needs a bucket and a key`);
    checkFieldTypes(piece as object, { etag: 'header', size: 'count', sourceSize: 'count' });
    for (const field of ['etag', 'size', 'sourceSize'] as const) {
      if ((piece as Record<string, unknown>)[field] === undefined)
        throw new PartCopyError('InvalidArgument', `${name}.${field} is required`);
    }
    if (range !== undefined) {
      if (!isPlainObject(range))
        throw new PartCopyError('InvalidArgument', `${name}.range must be an object`);
      checkFieldTypes(range as object, { start: 'count', end: 'count' });
    }
  });
}
