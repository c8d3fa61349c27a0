import { type ByteRange, copyObject, DEFAULT_COPY_CONCURRENCY, PartCopyError } from '@partcopy/core';
import { parseByteRange } from '@partcopy/core/provider';
import type { CommandSpec } from '../command.js';
import { normaliseRange } from '../option-values.js';
import { EventProgress } from '../progress-bar.js';
import { formatBytes, parsePositiveInteger, parseSize } from '../sizes.js';
import { parseObjectRef } from '../stores.js';
import { UsageError } from '../usage-error.js';

export const cpCommand: CommandSpec = {
  name: 'cp',
  summary: 'copy an object or a byte range of it, on the store, through part copies',
  usage: 'SRC DST [options]',
  description: [
    'Copies the object SRC (or --range of it) to DST without the bytes passing through this machine',
    '(where the store can): create a multipart upload, copy parts of --part-size with --concurrency',
    'part copies at a time, each pinned to the source ETag read at the start (copySourceIfMatch), then',
    'complete and check the result. On any failure or Ctrl-C the upload is aborted: nothing is left behind.',
    "SRC and DST must be on the same store (same scheme). Part sizes respect the store's limits.",
  ],
  positionals: { min: 2, max: 2 },
  options: {
    range: {
      type: 'string',
      value: 'bytes=A-B',
      description: 'copy only bytes A..B of SRC (inclusive); A-B also accepted',
    },
    'part-size': {
      type: 'string',
      value: 'SIZE',
      description: "bytes per part: 8MiB, 5M, 1048576 (default 8 MiB, grown to fit the store's part limit)",
    },
    concurrency: {
      type: 'string',
      value: 'N',
      description: `part copies in flight (default ${DEFAULT_COPY_CONCURRENCY})`,
    },
    'version-id': { type: 'string', value: 'ID', description: 'copy this version of SRC' },
    unpinned: {
      type: 'boolean',
      description:
        'do not pin parts to the source ETag (for stores without copySourceIfMatch; a concurrent change can then mix versions)',
    },
  },
  examples: [
    'partcopy cp file://demo/video.mp4 file://demo/video-copy.mp4',
    'partcopy cp s3://logs/big.log s3://logs/first-gib.log --range bytes=0-1073741823 --part-size 64MiB --concurrency 8',
  ],
  async run(ctx) {
    const source = parseObjectRef(ctx.positional(0));
    const destination = parseObjectRef(ctx.positional(1));
    if (source.scheme !== destination.scheme) {
      throw new PartCopyError(
        'Unsupported',
        `cp copies within one store; ${source.scheme}:// to ${destination.scheme}:// would stream every byte (cross-store transfer is not implemented yet)`,
      );
    }
    const rangeText = ctx.string('range');
    const partSizeText = ctx.string('part-size');
    const concurrencyText = ctx.string('concurrency');
    const versionId = ctx.string('version-id');
    const range = rangeText === undefined ? undefined : parseRangeOption(rangeText);
    const client = await ctx.stores.client(source.scheme);
    let uploadId: string | undefined;
    const bar = ctx.progress('cp');
    const tracker = new EventProgress(
      bar,
      (e) => e.operation === 'uploadPartCopy' && uploadId !== undefined && e.uploadId === uploadId,
    );
    const off = ctx.stores.on(tracker.listener);
    const started = performance.now();
    try {
      const result = await copyObject({
        client,
        source: { bucket: source.bucket, key: source.key, versionId },
        destination: { bucket: destination.bucket, key: destination.key },
        range,
        partSize: partSizeText === undefined ? undefined : parseSize(partSizeText, '--part-size'),
        concurrency:
          concurrencyText === undefined ? undefined : parsePositiveInteger(concurrencyText, '--concurrency'),
        pinSource: !ctx.flag('unpinned'),
        signal: ctx.signal,
        onStart: (start) => {
          uploadId = start.uploadId;
          bar.update(0, start.plan.totalSize);
        },
        onCleanupFailed: (id, error) =>
          ctx.warn(
            `could not abort upload ${id} (${(error as Error).message}); run: partcopy uploads abort ${destination.scheme}://${destination.bucket}/${destination.key} ${id}`,
          ),
      });
      bar.finish();
      const seconds = (performance.now() - started) / 1000;
      const parts = result.partsCount === 1 ? '1 part' : `${result.partsCount} parts`;
      return {
        result: {
          source: ctx.positional(0),
          destination: ctx.positional(1),
          ...result,
          durationMs: Math.round(seconds * 1000),
        },
        human: [
          `copied ${ctx.positional(0)} to ${ctx.positional(1)}: ${formatBytes(result.size)} in ${parts} (${result.transfer}) in ${seconds.toFixed(1)}s, ETag ${result.etag}`,
        ],
      };
    } finally {
      off();
      bar.finish();
    }
  },
};

function parseRangeOption(text: string): ByteRange {
  try {
    return parseByteRange(normaliseRange(text), '--range');
  } catch (error) {
    throw new UsageError((error as Error).message, 'cp');
  }
}
