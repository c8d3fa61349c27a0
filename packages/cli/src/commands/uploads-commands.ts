/**
 * `partcopy uploads list|abort`: the in-progress multipart uploads of a bucket, and clearing them
 * (the leftovers of interrupted copies on stores that keep them).
 */
import { type MultipartUploadInfo, type PartCopyClient, PartCopyError } from '@partcopy/core';
import type { CommandContext, CommandSpec } from '../command.js';
import { formatTable } from '../output.js';
import { parseUrl } from '../stores.js';
import { UsageError } from '../usage-error.js';
import { optional } from './object-commands.js';

export const uploadsListCommand: CommandSpec = {
  name: 'uploads list',
  summary: 'list in-progress multipart uploads of a bucket',
  usage: 'URL [options]',
  description: ["Lists the uploads of scheme://bucket, or of the keys starting with the URL's key part."],
  positionals: { min: 1, max: 1 },
  options: {},
  examples: ['partcopy uploads list file://demo', 'partcopy uploads list s3://my-bucket/videos/ --json'],
  async run(ctx) {
    const ref = parseUrl(ctx.positional(0));
    const client = await ctx.stores.client(ref.scheme);
    const uploads = await listAllUploads(client, ref.bucket, ref.key, ctx.signal);
    const rows = uploads.map((u) => [u.initiated.toISOString(), u.uploadId, u.key]);
    return { result: { bucket: ref.bucket, prefix: ref.key, uploads }, human: formatTable(rows) };
  },
};

export const uploadsAbortCommand: CommandSpec = {
  name: 'uploads abort',
  summary: 'abort in-progress uploads: by id, or all of them with --all',
  usage: 'URL [UPLOAD_ID...] [--all] [options]',
  description: [
    'Aborts the named uploads of the bucket (URL may name the key, or just the bucket: the key is then looked up),',
    "or with --all every upload of the bucket (or of the URL's key, when it names one).",
  ],
  positionals: { min: 1, max: 1000 },
  options: {
    all: { type: 'boolean', description: 'abort every in-progress upload under URL' },
  },
  examples: [
    'partcopy uploads abort file://demo/big.bin 2b5f...',
    'partcopy uploads abort s3://my-bucket --all',
  ],
  async run(ctx) {
    const ref = parseUrl(ctx.positional(0));
    const ids = ctx.positionals.slice(1);
    const all = ctx.flag('all');
    if (all === ids.length > 0) throw new UsageError('name upload ids or give --all (not both)', ctx.command);
    const client = await ctx.stores.client(ref.scheme);
    const targets = await uploadsToAbort(ctx, client, ref, ids);
    const aborted: Array<{ key: string; uploadId: string }> = [];
    for (const target of targets) {
      await client.abortMultipartUpload({ bucket: ref.bucket, ...target, abortSignal: ctx.signal });
      aborted.push(target);
    }
    const human = aborted.map((u) => `aborted upload ${u.uploadId} of ${u.key}`);
    return {
      result: { bucket: ref.bucket, aborted },
      human: human.length > 0 ? human : ['no uploads to abort'],
    };
  },
};

/** Every page of ListMultipartUploads. */
export async function listAllUploads(
  client: PartCopyClient,
  bucket: string,
  prefix: string,
  signal: AbortSignal,
): Promise<MultipartUploadInfo[]> {
  const uploads: MultipartUploadInfo[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await client.listMultipartUploads({
      bucket,
      ...optional('prefix', prefix || undefined),
      ...optional('keyMarker', keyMarker),
      ...optional('uploadIdMarker', uploadIdMarker),
      abortSignal: signal,
    });
    uploads.push(...page.uploads);
    if (!page.isTruncated || (page.nextKeyMarker === undefined && page.nextUploadIdMarker === undefined))
      return uploads;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker;
  }
}

async function uploadsToAbort(
  ctx: CommandContext,
  client: PartCopyClient,
  ref: { bucket: string; key: string },
  ids: string[],
): Promise<Array<{ key: string; uploadId: string }>> {
  // A key and ids: abort directly, no listing needed (works where listing is unsupported).
  if (ref.key && ids.length > 0) return ids.map((uploadId) => ({ key: ref.key, uploadId }));
  const listed = await listAllUploads(client, ref.bucket, ref.key, ctx.signal);
  // With --all and a key, only that key's uploads: the prefix alone would also match `key2`.
  const scoped = ref.key ? listed.filter((u) => u.key === ref.key) : listed;
  if (ids.length === 0) return scoped.map(({ key, uploadId }) => ({ key, uploadId }));
  return ids.map((uploadId) => {
    const found = scoped.find((u) => u.uploadId === uploadId);
    if (!found) {
      throw new PartCopyError(
        'NoSuchUpload',
        `no in-progress upload ${uploadId} in ${ref.bucket}${ref.key ? ` for ${ref.key}` : ''}`,
        {
          bucket: ref.bucket,
          uploadId,
          operation: 'listMultipartUploads',
        },
      );
    }
    return { key: found.key, uploadId };
  });
}
