/**
 * The multipart commands, mirroring `aws s3api`: --bucket/--key/--upload-id flags on the store
 * named by --store. upload-part-copy passes every flag of S3's UploadPartCopy to the facade.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ChecksumAlgorithm, ChecksumType, UploadPartCopyInput } from '@partcopy/core';
import {
  type CommandContext,
  type CommandSpec,
  type OptionSpecs,
  OWNERSHIP_OPTIONS,
  SSE_CUSTOMER_OPTIONS,
  STORE_OPTION,
} from '../command.js';
import {
  normaliseRange,
  ownershipInput,
  parseMetadata,
  parsePartsList,
  readMultipartUpload,
  readSseKey,
  sseCustomerInput,
} from '../option-values.js';
import { formatTable } from '../output.js';
import { EventProgress } from '../progress-bar.js';
import { parsePositiveInteger } from '../sizes.js';
import { UsageError } from '../usage-error.js';
import { eventsOf, optional } from './object-commands.js';

const TARGET_OPTIONS: OptionSpecs = {
  bucket: { type: 'string', value: 'BUCKET', required: true, description: 'the destination bucket' },
  key: { type: 'string', value: 'KEY', required: true, description: 'the destination key' },
};

const UPLOAD_OPTIONS: OptionSpecs = {
  ...TARGET_OPTIONS,
  'upload-id': { type: 'string', value: 'ID', required: true, description: 'the multipart upload' },
};

function uploadRef(ctx: CommandContext): { bucket: string; key: string; uploadId: string } {
  return { bucket: ctx.required('bucket'), key: ctx.required('key'), uploadId: ctx.required('upload-id') };
}

export const createMultipartUploadCommand: CommandSpec = {
  name: 'create-multipart-upload',
  summary: 'start a multipart upload (CreateMultipartUpload)',
  usage: '--bucket BUCKET --key KEY [options]',
  positionals: { min: 0, max: 0 },
  options: {
    ...TARGET_OPTIONS,
    'content-type': { type: 'string', value: 'TYPE', description: 'Content-Type of the completed object' },
    'cache-control': { type: 'string', value: 'VALUE', description: 'Cache-Control of the completed object' },
    'content-disposition': {
      type: 'string',
      value: 'VALUE',
      description: 'Content-Disposition of the completed object',
    },
    'content-encoding': {
      type: 'string',
      value: 'VALUE',
      description: 'Content-Encoding of the completed object',
    },
    'content-language': {
      type: 'string',
      value: 'VALUE',
      description: 'Content-Language of the completed object',
    },
    metadata: {
      type: 'string',
      multiple: true,
      value: 'K=V,...',
      description: 'user metadata: key=value pairs or a JSON object',
    },
    'storage-class': { type: 'string', value: 'CLASS', description: 'storage class of the completed object' },
    'checksum-algorithm': {
      type: 'string',
      value: 'ALG',
      description: 'CRC32, CRC32C, CRC64NVME, SHA1 or SHA256',
    },
    'checksum-type': { type: 'string', value: 'TYPE', description: 'COMPOSITE or FULL_OBJECT' },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
    ...STORE_OPTION,
  },
  examples: ['partcopy create-multipart-upload --bucket demo --key big.bin --json'],
  async run(ctx) {
    const client = await ctx.storeClient();
    const result = await client.createMultipartUpload({
      bucket: ctx.required('bucket'),
      key: ctx.required('key'),
      ...optional('contentType', ctx.string('content-type')),
      ...optional('cacheControl', ctx.string('cache-control')),
      ...optional('contentDisposition', ctx.string('content-disposition')),
      ...optional('contentEncoding', ctx.string('content-encoding')),
      ...optional('contentLanguage', ctx.string('content-language')),
      ...optional('metadata', parseMetadata(ctx.list('metadata'), ctx.command)),
      ...optional('storageClass', ctx.string('storage-class')),
      ...optional('checksumAlgorithm', ctx.string('checksum-algorithm') as ChecksumAlgorithm | undefined),
      ...optional('checksumType', ctx.string('checksum-type') as ChecksumType | undefined),
      ...(await sseCustomerInput(ctx)),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    });
    return { result };
  },
};

export const uploadPartCopyCommand: CommandSpec = {
  name: 'upload-part-copy',
  summary: 'make one part out of bytes of an existing object (UploadPartCopy)',
  usage: '--bucket B --key K --upload-id ID --part-number N --copy-source SRCBUCKET/SRCKEY [options]',
  description: [
    'S3 UploadPartCopy on any store: part N of the upload becomes the source object (or --copy-source-range of it).',
    'The source lives in the same store. Every flag of `aws s3api upload-part-copy` is accepted and passed on.',
  ],
  positionals: { min: 0, max: 0 },
  options: {
    ...UPLOAD_OPTIONS,
    'part-number': {
      type: 'string',
      value: 'N',
      required: true,
      description: 'the part to write (1..10000 on S3)',
    },
    'copy-source': {
      type: 'string',
      value: 'SOURCE',
      required: true,
      description: 'bucket/key (key URL-encoded), optionally ?versionId=V, or an access-point ARN',
    },
    'copy-source-range': {
      type: 'string',
      value: 'bytes=A-B',
      description: 'bytes A..B of the source, inclusive (default: all)',
    },
    'copy-source-if-match': {
      type: 'string',
      multiple: true,
      value: 'ETAG',
      description: 'copy only if the source ETag is this',
    },
    'copy-source-if-none-match': {
      type: 'string',
      multiple: true,
      value: 'ETAG',
      description: 'copy only if the source ETag is not this',
    },
    'copy-source-if-modified-since': {
      type: 'string',
      value: 'DATE',
      description: 'copy only if changed since (HTTP-date or ISO 8601)',
    },
    'copy-source-if-unmodified-since': {
      type: 'string',
      value: 'DATE',
      description: 'copy only if unchanged since (HTTP-date or ISO 8601)',
    },
    ...SSE_CUSTOMER_OPTIONS,
    'copy-source-sse-customer-algorithm': {
      type: 'string',
      value: 'AES256',
      description: 'SSE-C algorithm of the source',
    },
    'copy-source-sse-customer-key': {
      type: 'string',
      value: 'KEY',
      description: 'SSE-C key of the source (base64, or fileb://PATH)',
    },
    'copy-source-sse-customer-key-md5': {
      type: 'string',
      value: 'MD5',
      description: 'base64 MD5 of the source key',
    },
    ...OWNERSHIP_OPTIONS,
    'expected-source-bucket-owner': {
      type: 'string',
      value: 'ACCOUNT',
      description: 'fail unless the source bucket belongs to this account',
    },
    ...STORE_OPTION,
  },
  examples: [
    'partcopy upload-part-copy --bucket demo --key joined.bin --upload-id "$ID" --part-number 1 \\\n' +
      '    --copy-source demo/a.bin --copy-source-range bytes=0-5242879 --copy-source-if-match "$ETAG" --json',
  ],
  async run(ctx) {
    const client = await ctx.storeClient();
    const input = await uploadPartCopyInput(ctx);
    const bar = ctx.progress(`part ${input.partNumber}`);
    const tracker = new EventProgress(bar, eventsOf('uploadPartCopy', input.key));
    const off = ctx.stores.on(tracker.listener);
    try {
      const result = await client.uploadPartCopy(input);
      return { result };
    } finally {
      off();
      bar.finish();
    }
  },
};

/** Every upload-part-copy flag as the facade's S3-shaped input. */
export async function uploadPartCopyInput(ctx: CommandContext): Promise<UploadPartCopyInput> {
  const range = ctx.string('copy-source-range');
  const sourceKey = await readSseKey(ctx, 'copy-source-sse-customer-key');
  return {
    ...uploadRef(ctx),
    partNumber: parsePositiveInteger(ctx.required('part-number'), '--part-number'),
    copySource: ctx.required('copy-source'),
    ...optional('copySourceRange', range === undefined ? undefined : normaliseRange(range)),
    ...optional('copySourceIfMatch', ctx.list('copy-source-if-match')),
    ...optional('copySourceIfNoneMatch', ctx.list('copy-source-if-none-match')),
    ...optional('copySourceIfModifiedSince', ctx.string('copy-source-if-modified-since')),
    ...optional('copySourceIfUnmodifiedSince', ctx.string('copy-source-if-unmodified-since')),
    ...(await sseCustomerInput(ctx)),
    ...optional('copySourceSSECustomerAlgorithm', ctx.string('copy-source-sse-customer-algorithm')),
    ...optional('copySourceSSECustomerKey', sourceKey),
    ...optional('copySourceSSECustomerKeyMD5', ctx.string('copy-source-sse-customer-key-md5')),
    ...ownershipInput(ctx),
    ...optional('expectedSourceBucketOwner', ctx.string('expected-source-bucket-owner')),
    abortSignal: ctx.signal,
  };
}

export const uploadPartCommand: CommandSpec = {
  name: 'upload-part',
  summary: 'upload one part from a local file (UploadPart)',
  usage: '--bucket B --key K --upload-id ID --part-number N --body LOCALFILE [options]',
  positionals: { min: 0, max: 0 },
  options: {
    ...UPLOAD_OPTIONS,
    'part-number': { type: 'string', value: 'N', required: true, description: 'the part to write' },
    body: { type: 'string', value: 'LOCALFILE', required: true, description: "the part's bytes" },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
    ...STORE_OPTION,
  },
  examples: [
    'partcopy upload-part --bucket demo --key joined.bin --upload-id "$ID" --part-number 2 --body ./tail.bin',
  ],
  async run(ctx) {
    const client = await ctx.storeClient();
    const path = resolve(ctx.io.cwd, ctx.required('body'));
    const size = await stat(path).then(
      (info) => info.size,
      (error: NodeJS.ErrnoException) => {
        throw new UsageError(`--body: cannot read ${path} (${error.code ?? 'error'})`, ctx.command);
      },
    );
    const result = await client.uploadPart({
      ...uploadRef(ctx),
      partNumber: parsePositiveInteger(ctx.required('part-number'), '--part-number'),
      body: createReadStream(path, { signal: ctx.signal }),
      contentLength: size,
      ...(await sseCustomerInput(ctx)),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    });
    return { result };
  },
};

export const completeMultipartUploadCommand: CommandSpec = {
  name: 'complete-multipart-upload',
  summary: 'publish the object from its parts (CompleteMultipartUpload)',
  usage:
    '--bucket B --key K --upload-id ID (--parts ETAG1,ETAG2,... | --multipart-upload FILE.json) [options]',
  description: [
    '--parts lists part ETags in order (parts 1, 2, ...) or as N=ETAG pairs.',
    '--multipart-upload takes S3\'s JSON, {"Parts":[{"PartNumber":1,"ETag":"..."}]}, inline, from file://PATH or a path.',
  ],
  positionals: { min: 0, max: 0 },
  options: {
    ...UPLOAD_OPTIONS,
    parts: {
      type: 'string',
      multiple: true,
      value: 'ETAGS',
      description: 'part ETags in order, comma-separated, or N=ETAG pairs',
    },
    'multipart-upload': { type: 'string', value: 'JSON|FILE', description: "the parts in S3's JSON shape" },
    'if-match': {
      type: 'string',
      value: 'ETAG',
      description: 'complete only if the current object has this ETag',
    },
    'if-none-match': {
      type: 'string',
      value: '*',
      description: 'complete only if no object exists at the key',
    },
    'mp-object-size': { type: 'string', value: 'BYTES', description: 'fail unless the object has this size' },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
    ...STORE_OPTION,
  },
  examples: [
    'partcopy complete-multipart-upload --bucket demo --key joined.bin --upload-id "$ID" --parts "$E1,$E2"',
    'partcopy complete-multipart-upload --bucket demo --key joined.bin --upload-id "$ID" --multipart-upload file://parts.json',
  ],
  async run(ctx) {
    const partsList = ctx.list('parts');
    const document = ctx.string('multipart-upload');
    if ((partsList === undefined) === (document === undefined)) {
      throw new UsageError('give the parts with exactly one of --parts and --multipart-upload', ctx.command);
    }
    const parts = partsList
      ? parsePartsList(partsList, ctx.command)
      : await readMultipartUpload(ctx, document as string);
    const size = ctx.string('mp-object-size');
    const client = await ctx.storeClient();
    const result = await client.completeMultipartUpload({
      ...uploadRef(ctx),
      multipartUpload: { parts },
      ...optional('ifMatch', ctx.string('if-match')),
      ...optional('ifNoneMatch', ctx.string('if-none-match')),
      ...optional(
        'mpObjectSize',
        size === undefined ? undefined : parsePositiveInteger(size, '--mp-object-size'),
      ),
      ...(await sseCustomerInput(ctx)),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    });
    return { result };
  },
};

export const listPartsCommand: CommandSpec = {
  name: 'list-parts',
  summary: 'list the parts of an upload (ListParts)',
  usage: '--bucket B --key K --upload-id ID [options]',
  description: ['Lists every part (following pages) unless --max-parts asks for one page.'],
  positionals: { min: 0, max: 0 },
  options: {
    ...UPLOAD_OPTIONS,
    'max-parts': { type: 'string', value: 'N', description: 'one page of at most N parts' },
    'part-number-marker': { type: 'string', value: 'N', description: 'start after part N' },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
    ...STORE_OPTION,
  },
  examples: ['partcopy list-parts --bucket demo --key joined.bin --upload-id "$ID"'],
  async run(ctx) {
    const client = await ctx.storeClient();
    const maxParts = ctx.string('max-parts');
    const marker = ctx.string('part-number-marker');
    const base = {
      ...uploadRef(ctx),
      ...(await sseCustomerInput(ctx)),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    };
    let page = await client.listParts({
      ...base,
      ...optional(
        'maxParts',
        maxParts === undefined ? undefined : parsePositiveInteger(maxParts, '--max-parts'),
      ),
      ...optional('partNumberMarker', marker === undefined ? undefined : Number(marker)),
    });
    const result = { ...page, parts: [...page.parts] };
    while (maxParts === undefined && page.isTruncated && page.nextPartNumberMarker !== undefined) {
      page = await client.listParts({ ...base, partNumberMarker: page.nextPartNumberMarker });
      result.parts.push(...page.parts);
      result.isTruncated = page.isTruncated;
      result.nextPartNumberMarker = page.nextPartNumberMarker;
    }
    const rows = result.parts.map((p) => [
      String(p.partNumber),
      String(p.size),
      p.etag,
      p.lastModified.toISOString(),
    ]);
    return { result, human: formatTable([['PART', 'SIZE', 'ETAG', 'LAST MODIFIED'], ...rows]) };
  },
};

export const abortMultipartUploadCommand: CommandSpec = {
  name: 'abort-multipart-upload',
  summary: 'discard an upload and its parts (AbortMultipartUpload)',
  usage: '--bucket B --key K --upload-id ID [options]',
  positionals: { min: 0, max: 0 },
  options: { ...UPLOAD_OPTIONS, ...OWNERSHIP_OPTIONS, ...STORE_OPTION },
  examples: ['partcopy abort-multipart-upload --bucket demo --key joined.bin --upload-id "$ID"'],
  async run(ctx) {
    const client = await ctx.storeClient();
    const ref = uploadRef(ctx);
    await client.abortMultipartUpload({ ...ref, ...ownershipInput(ctx), abortSignal: ctx.signal });
    return { result: {}, human: [`aborted upload ${ref.uploadId} of ${ref.bucket}/${ref.key}`] };
  },
};
