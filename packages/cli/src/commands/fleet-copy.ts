/**
 * `cp SRC DST --queue redis://...`: the copy planned here, its parts run by the fleet's workers;
 * this process follows the aggregated progress until the completion. Ctrl-C cancels the session
 * (a worker aborts its upload).
 */
import { PartCopyError } from '@partcopy/core';
import type { FleetProgress } from '@partcopy/fleet';
import type { CommandContext, CommandOutcome } from '../command.js';
import { formatBytes, parsePositiveInteger, parseSize } from '../sizes.js';
import { parseObjectRef } from '../stores.js';
import { UsageError } from '../usage-error.js';
import { loadFleet, requireQueue } from './fleet-queue.js';

export async function fleetCopy(ctx: CommandContext): Promise<CommandOutcome> {
  const source = parseObjectRef(ctx.positional(0));
  const destination = parseObjectRef(ctx.positional(1));
  if (source.scheme !== destination.scheme) {
    throw new PartCopyError(
      'Unsupported',
      `cp --queue copies within one store; ${source.scheme}:// to ${destination.scheme}:// is not supported`,
    );
  }
  for (const option of ['range', 'resume', 'session-id', 'unpinned', 'version-id']) {
    if (ctx.values[option] !== undefined)
      throw new UsageError(`--${option} cannot be used with --queue`, ctx.command);
  }
  const { FleetClient } = await loadFleet();
  const fleet = new FleetClient(requireQueue(ctx));
  try {
    const partSizeText = ctx.string('part-size');
    const concurrencyText = ctx.string('concurrency');
    const id = await fleet.submitCopy({
      client: await ctx.stores.client(source.scheme),
      store: source.scheme,
      source: { bucket: source.bucket, key: source.key },
      destination: { bucket: destination.bucket, key: destination.key },
      partSize: partSizeText === undefined ? undefined : parseSize(partSizeText, '--part-size'),
      workers:
        concurrencyText === undefined ? undefined : parsePositiveInteger(concurrencyText, '--concurrency'),
    });
    if (!ctx.quiet && !ctx.json) ctx.io.stderr.write(`partcopy: fleet session ${id} submitted\n`);
    const bar = ctx.progress('cp');
    let cancelling: Promise<unknown> | undefined;
    const cancel = () => {
      cancelling = fleet.cancel(id).catch(() => {});
    };
    ctx.signal.addEventListener('abort', cancel, { once: true });
    let last: FleetProgress;
    try {
      last = await fleet.waitForSession(id, { onProgress: (p) => bar.update(p.bytesDone, p.totalBytes) });
    } finally {
      ctx.signal.removeEventListener('abort', cancel);
      // The cancel finishes before the connection closes.
      await cancelling;
      bar.finish();
    }
    if (last.state !== 'completed') {
      throw new PartCopyError(
        'InternalError',
        `fleet session ${id} ${last.state}: ${last.error ?? 'no reason recorded'}`,
      );
    }
    const seconds = ((last.finishedAt?.getTime() ?? Date.now()) - last.startedAt.getTime()) / 1000;
    return {
      result: {
        sessionId: id,
        bucket: destination.bucket,
        key: destination.key,
        etag: last.etag,
        size: last.totalBytes,
        partsCount: last.partsCount,
        serverSideBytes: last.serverSideBytes,
        clientBytes: last.clientBytes,
        seconds,
      },
      human: [
        `copied ${ctx.positional(0)} -> ${ctx.positional(1)} (${formatBytes(last.totalBytes)}, ${last.partsCount} parts by the fleet, ` +
          `${formatBytes(last.serverSideBytes)} server-side, ${formatBytes(last.clientBytes)} through workers, ${seconds.toFixed(1)} s)`,
      ],
    };
  } finally {
    await fleet.close();
  }
}
