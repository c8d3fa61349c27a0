/**
 * The low-level object commands a script or demo needs: mb, rb, put, get, head, ls, rm.
 */
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { collectBytes, type ListObjectsResult, type PartCopyEvent } from '@partcopy/core';
import { throwIfAborted } from '@partcopy/core/provider';
import { writeChunk } from '../cli-io.js';
import {
  type CommandContext,
  type CommandOutcome,
  type CommandSpec,
  OWNERSHIP_OPTIONS,
  SSE_CUSTOMER_OPTIONS,
} from '../command.js';
import { normaliseRange, ownershipInput, parseMetadata, sseCustomerInput } from '../option-values.js';
import { formatTable } from '../output.js';
import { EventProgress } from '../progress-bar.js';
import { formatBytes } from '../sizes.js';
import { parseObjectRef, parseUrl } from '../stores.js';
import { UsageError } from '../usage-error.js';

export const mbCommand: CommandSpec = {
  name: 'mb',
  summary: 'make a bucket',
  usage: 'URL [options]',
  description: [
    'Creates the bucket named by URL (scheme://bucket). For file:// it is a folder under the data folder.',
  ],
  positionals: { min: 1, max: 1 },
  options: {
    versioning: {
      type: 'boolean',
      description: 'create the bucket with versioning enabled (where the store can)',
    },
  },
  examples: ['partcopy mb file://demo', 'partcopy mb s3://my-bucket --versioning'],
  async run(ctx) {
    const ref = parseUrl(ctx.positional(0));
    const client = await ctx.stores.client(ref.scheme);
    await client.createBucket({
      bucket: ref.bucket,
      ...(ctx.flag('versioning') ? { versioning: true } : {}),
      abortSignal: ctx.signal,
    });
    return { result: { bucket: ref.bucket }, human: [`created bucket ${ref.scheme}://${ref.bucket}`] };
  },
};

export const rbCommand: CommandSpec = {
  name: 'rb',
  summary: 'remove an empty bucket',
  usage: 'URL [options]',
  positionals: { min: 1, max: 1 },
  options: {},
  examples: ['partcopy rb file://demo'],
  async run(ctx) {
    const ref = parseUrl(ctx.positional(0));
    const client = await ctx.stores.client(ref.scheme);
    await client.deleteBucket({ bucket: ref.bucket, abortSignal: ctx.signal });
    return { result: { bucket: ref.bucket }, human: [`removed bucket ${ref.scheme}://${ref.bucket}`] };
  },
};

export const putCommand: CommandSpec = {
  name: 'put',
  summary: 'upload a local file (or stdin) as an object',
  usage: 'LOCALFILE|- URL [options]',
  description: ['Uploads LOCALFILE (or standard input, with -) to the object URL in one PutObject.'],
  positionals: { min: 2, max: 2 },
  options: {
    'content-type': { type: 'string', value: 'TYPE', description: "the object's Content-Type" },
    'cache-control': { type: 'string', value: 'VALUE', description: "the object's Cache-Control" },
    metadata: {
      type: 'string',
      multiple: true,
      value: 'K=V,...',
      description: 'user metadata: key=value pairs or a JSON object',
    },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
  },
  examples: [
    'partcopy put ./video.mp4 file://demo/video.mp4',
    'echo hello | partcopy put - mem://demo/hello.txt',
  ],
  async run(ctx) {
    const local = ctx.positional(0);
    const ref = parseObjectRef(ctx.positional(1));
    const client = await ctx.stores.client(ref.scheme);
    const { body, contentLength, label } = await readLocalBody(ctx, local);
    const metadata = parseMetadata(ctx.list('metadata'), ctx.command);
    const bar = ctx.progress(`put ${label}`, contentLength);
    const tracker = new EventProgress(bar, eventsOf('putObject', ref.key));
    const off = ctx.stores.on(tracker.listener);
    try {
      const result = await client.putObject({
        bucket: ref.bucket,
        key: ref.key,
        body,
        contentLength,
        ...optional('contentType', ctx.string('content-type')),
        ...optional('cacheControl', ctx.string('cache-control')),
        ...optional('metadata', metadata),
        ...(await sseCustomerInput(ctx)),
        ...ownershipInput(ctx),
        abortSignal: ctx.signal,
      });
      bar.finish();
      return {
        result: { bucket: ref.bucket, key: ref.key, size: contentLength, ...result },
        human: [
          `uploaded ${label} to ${ctx.positional(1)} (${formatBytes(contentLength)}, ETag ${result.etag})`,
        ],
      };
    } finally {
      off();
      bar.finish();
    }
  },
};

export const getCommand: CommandSpec = {
  name: 'get',
  summary: 'download an object (or a range of it) to a local file or stdout',
  usage: 'URL LOCALFILE|- [options]',
  description: [
    'Downloads the object URL to LOCALFILE, written to a temporary file first and renamed when complete,',
    'or to standard output with - (then --json is refused: stdout carries the bytes).',
  ],
  positionals: { min: 2, max: 2 },
  options: {
    range: {
      type: 'string',
      value: 'bytes=A-B',
      description: 'only bytes A..B (inclusive); A-B also accepted',
    },
    'version-id': { type: 'string', value: 'ID', description: 'a version of the object' },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
  },
  examples: [
    'partcopy get file://demo/video.mp4 ./copy.mp4',
    'partcopy get file://demo/log.txt - --range 0-99',
  ],
  async run(ctx) {
    const ref = parseObjectRef(ctx.positional(0));
    const target = ctx.positional(1);
    if (target === '-' && ctx.json)
      throw new UsageError('--json cannot be used with "-": stdout carries the object\'s bytes', ctx.command);
    const client = await ctx.stores.client(ref.scheme);
    const range = ctx.string('range');
    const versionId = ctx.string('version-id');
    const object = await client.getObject({
      bucket: ref.bucket,
      key: ref.key,
      ...(range === undefined ? {} : { range: normaliseRange(range) }),
      ...optional('versionId', versionId),
      ...(await sseCustomerInput(ctx)),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    });
    const { body, ...info } = object;
    const bar = ctx.progress(`get ${ref.key}`, object.contentLength);
    try {
      if (target === '-') {
        let done = 0;
        for await (const chunk of body) {
          await writeChunk(ctx.io.stdout, chunk);
          done += chunk.length;
          bar.update(done);
        }
        return {};
      }
      const path = resolve(ctx.io.cwd, target);
      await downloadTo(path, body, (done) => bar.update(done), ctx.signal);
      return {
        result: { ...info, file: path },
        human: [`downloaded ${ctx.positional(0)} to ${target} (${formatBytes(object.contentLength)})`],
      };
    } finally {
      bar.finish();
    }
  },
};

export const headCommand: CommandSpec = {
  name: 'head',
  summary: "show an object's metadata (HeadObject)",
  usage: 'URL [options]',
  positionals: { min: 1, max: 1 },
  options: {
    'version-id': { type: 'string', value: 'ID', description: 'a version of the object' },
    ...SSE_CUSTOMER_OPTIONS,
    ...OWNERSHIP_OPTIONS,
  },
  examples: ['partcopy head file://demo/video.mp4 --json'],
  async run(ctx) {
    const ref = parseObjectRef(ctx.positional(0));
    const client = await ctx.stores.client(ref.scheme);
    const result = await client.headObject({
      bucket: ref.bucket,
      key: ref.key,
      ...optional('versionId', ctx.string('version-id')),
      ...(await sseCustomerInput(ctx)),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    });
    return { result };
  },
};

export const lsCommand: CommandSpec = {
  name: 'ls',
  summary: 'list the objects of a bucket (under a prefix)',
  usage: 'URL [options]',
  description: ["Lists every object of scheme://bucket, or those whose key starts with the URL's key part."],
  positionals: { min: 1, max: 1 },
  options: {},
  examples: ['partcopy ls file://demo', 'partcopy ls file://demo/logs/ --json'],
  async run(ctx) {
    const ref = parseUrl(ctx.positional(0));
    const client = await ctx.stores.client(ref.scheme);
    const objects: ListObjectsResult['objects'] = [];
    let continuationToken: string | undefined;
    do {
      const page = await client.listObjects({
        bucket: ref.bucket,
        ...optional('prefix', ref.key || undefined),
        ...optional('continuationToken', continuationToken),
        abortSignal: ctx.signal,
      });
      objects.push(...page.objects);
      continuationToken = page.isTruncated ? page.nextContinuationToken : undefined;
    } while (continuationToken);
    const rows = objects.map((o) => [o.lastModified.toISOString(), String(o.size).padStart(12), o.key]);
    return { result: { bucket: ref.bucket, prefix: ref.key, objects }, human: formatTable(rows) };
  },
};

export const rmCommand: CommandSpec = {
  name: 'rm',
  summary: 'delete an object (DeleteObject)',
  usage: 'URL [options]',
  positionals: { min: 1, max: 1 },
  options: {
    'version-id': { type: 'string', value: 'ID', description: 'delete this version' },
    ...OWNERSHIP_OPTIONS,
  },
  examples: ['partcopy rm file://demo/video.mp4'],
  async run(ctx): Promise<CommandOutcome> {
    const ref = parseObjectRef(ctx.positional(0));
    const client = await ctx.stores.client(ref.scheme);
    const result = await client.deleteObject({
      bucket: ref.bucket,
      key: ref.key,
      ...optional('versionId', ctx.string('version-id')),
      ...ownershipInput(ctx),
      abortSignal: ctx.signal,
    });
    return {
      result: { bucket: ref.bucket, key: ref.key, ...result },
      human: [`deleted ${ctx.positional(0)}`],
    };
  },
};

/** `{ [name]: value }` when the value is defined, `{}` otherwise: keeps undefined out of requests. */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

async function readLocalBody(
  ctx: CommandContext,
  local: string,
): Promise<{ body: Uint8Array | AsyncIterable<Uint8Array>; contentLength: number; label: string }> {
  if (local === '-') {
    // The store needs the length up front, so standard input is read whole.
    const bytes = await collectBytes(toBytes(ctx.io.stdin));
    return { body: bytes, contentLength: bytes.length, label: 'stdin' };
  }
  const path = resolve(ctx.io.cwd, local);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${local} is not a file`, ctx.command);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read ${local} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      ctx.command,
    );
  }
  return {
    body: createReadStream(path, { signal: ctx.signal }),
    contentLength: size,
    label: basename(local),
  };
}

async function* toBytes(source: AsyncIterable<Uint8Array | string>): AsyncIterable<Uint8Array> {
  for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

// Written beside the target and renamed at the end, so an interrupted download never leaves a
// truncated file under the name asked for.
async function downloadTo(
  path: string,
  body: AsyncIterable<Uint8Array>,
  onBytes: (done: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.partcopy-${process.pid}-${Date.now()}`);
  const file = await open(temp, 'wx');
  let done = 0;
  try {
    for await (const chunk of body) {
      throwIfAborted(signal);
      await file.write(chunk);
      done += chunk.length;
      onBytes(done);
    }
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/** Events of one key's calls of one operation, for a progress bar. */
export function eventsOf(
  operation: PartCopyEvent['operation'],
  key: string,
): (event: PartCopyEvent) => boolean {
  return (event) => event.operation === operation && event.key === key;
}
