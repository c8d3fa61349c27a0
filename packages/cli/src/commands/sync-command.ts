/**
 * `partcopy sync SRC_PREFIX DST_PREFIX --queue redis://...`: every object under a prefix (or in
 * a manifest) copied by the fleet's workers, one job per object, objects the destination already
 * holds skipped; prints the report of copied, skipped and failed objects.
 */
import { createReadStream } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { PartCopyError } from '@partcopy/core';
import type { BulkReport } from '@partcopy/fleet';
import type { CommandSpec } from '../command.js';
import { formatBytes } from '../sizes.js';
import { parseUrl } from '../stores.js';
import { loadFleet, QUEUE_OPTIONS, requireQueue } from './fleet-queue.js';

export const syncCommand: CommandSpec = {
  name: 'sync',
  summary: 'copy every object under a prefix with a fleet of workers, skipping those already there',
  usage: 'SRC_PREFIX DST_PREFIX --queue redis://HOST:PORT [options]',
  description: [
    'Lists SRC_PREFIX page by page (or reads --manifest) and enqueues one job per object; `partcopy worker`',
    'processes copy them on the store. An object whose destination has the same size and ETag (or that a',
    'worker copied from the same source version) is skipped. Ends with copied / skipped / failed counts;',
    'exit code 1 when any object failed. Ctrl-C cancels the objects not yet copied. Across stores (s3:// to',
    'az://) each object is transferred: pulled by the destination server where it can, else streamed by a worker.',
  ],
  positionals: { min: 2, max: 2 },
  options: {
    ...QUEUE_OPTIONS,
    manifest: {
      type: 'string',
      value: 'FILE',
      description: 'copy the source keys listed in FILE (one per line) instead of listing',
    },
  },
  examples: ['partcopy sync s3://logs/2026/ s3://archive/2026/ --queue redis://127.0.0.1:6379'],
  async run(ctx) {
    const source = parseUrl(ctx.positional(0));
    const destination = parseUrl(ctx.positional(1));
    if (source.scheme !== destination.scheme) {
      throw new PartCopyError(
        'Unsupported',
        `sync copies within one store; ${source.scheme}:// to ${destination.scheme}:// is not supported`,
      );
    }
    const manifestFile = ctx.string('manifest');
    const { FleetClient } = await loadFleet();
    const fleet = new FleetClient(requireQueue(ctx));
    try {
      const id = await fleet.submitBulk({
        client: await ctx.stores.client(source.scheme),
        store: source.scheme,
        destinationStore: destination.scheme,
        source: { bucket: source.bucket, prefix: source.key },
        destination: { bucket: destination.bucket, prefix: destination.key },
        manifest:
          manifestFile === undefined
            ? undefined
            : readLines(isAbsolute(manifestFile) ? manifestFile : join(ctx.io.cwd, manifestFile)),
      });
      const bar = ctx.progress('sync');
      let cancelling: Promise<unknown> | undefined;
      const cancel = () => {
        cancelling = fleet.cancelBulk(id).catch(() => {});
      };
      ctx.signal.addEventListener('abort', cancel, { once: true });
      let report: BulkReport;
      try {
        report = await fleet.waitForBulk(id, {
          onProgress: (r) =>
            bar.update(r.copied + r.skipped + r.failed, r.listingDone ? r.listed : undefined),
        });
      } finally {
        ctx.signal.removeEventListener('abort', cancel);
        await cancelling;
        bar.finish();
      }
      const line =
        `${report.copied} copied (${formatBytes(report.copiedBytes)}: ${formatBytes(report.serverSideBytes)} server-side, ` +
        `${formatBytes(report.clientBytes)} through workers), ${report.skipped} skipped, ${report.failed} failed of ${report.listed} objects`;
      if (report.failed > 0) {
        const first = report.failures[0];
        throw new PartCopyError(
          'InternalError',
          `sync ${id}: ${line}; first failure: ${first?.key}: ${first?.error}`,
        );
      }
      return { result: { ...report, failures: report.failures }, human: [`sync ${id}: ${line}`] };
    } finally {
      await fleet.close();
    }
  },
};

async function* readLines(file: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
}
