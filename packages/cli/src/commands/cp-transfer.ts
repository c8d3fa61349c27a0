import {
  type TransferObjectResult,
  type TransferStart,
  type TransferStrategy,
  transferObject,
} from '@partcopy/core';
import { parseByteRange } from '@partcopy/core/provider';
import type { CommandContext, OptionSpecs } from '../command.js';
import { normaliseRange } from '../option-values.js';
import { sessionStore, storeLabel } from '../session-folder.js';
import { formatBytes, parseSize } from '../sizes.js';
import type { parseObjectRef } from '../stores.js';
import { UsageError } from '../usage-error.js';
import { runOptions } from './cp-command.js';

type ObjectRef = ReturnType<typeof parseObjectRef>;

const STRATEGIES: readonly TransferStrategy[] = ['auto', 'server-pull', 'stream'];

export const STRATEGY_OPTION: OptionSpecs = {
  strategy: {
    type: 'string',
    value: 'S',
    description:
      'across stores: auto (default: server-side pull where the destination can fetch from a URL the source signs, else stream), server-pull, stream',
  },
};

/** Runs `cp SRC DST` when SRC and DST are on different stores. */
export async function runTransfer(ctx: CommandContext, source: ObjectRef, destination: ObjectRef) {
  const strategy = strategyOption(ctx);
  if (ctx.flag('unpinned'))
    throw new UsageError('--unpinned applies within one store; a transfer always pins its reads', 'cp');
  const [from, to] = await Promise.all([
    ctx.stores.client(source.scheme),
    ctx.stores.client(destination.scheme),
  ]);
  const resumable = ctx.flag('resume') || ctx.string('session-id') !== undefined;
  // Transfer sessions live with every other kind, in the one session folder.
  const store = resumable ? await sessionStore(ctx) : undefined;
  const rangeText = ctx.string('range');
  const partSizeText = ctx.string('part-size');
  const bar = ctx.progress('cp');
  const started = performance.now();
  const { concurrency, verify, signal } = runOptions(ctx);
  try {
    const result = await transferObject({
      source: {
        client: from,
        bucket: source.bucket,
        key: source.key,
        versionId: ctx.string('version-id'),
        label: storeLabel(ctx, source.scheme),
        range: rangeText === undefined ? undefined : rangeOption(rangeText),
      },
      destination: {
        client: to,
        bucket: destination.bucket,
        key: destination.key,
        label: storeLabel(ctx, destination.scheme),
      },
      strategy,
      partSize: partSizeText === undefined ? undefined : parseSize(partSizeText, '--part-size'),
      concurrency,
      verify,
      signal,
      ...(store ? { session: { store, id: ctx.string('session-id') } } : {}),
      onStart: (start) => announce(ctx, start),
      onProgress: (progress) => bar.update(progress.bytesDone, progress.bytesTotal),
      onCleanupFailed: (id, error) =>
        ctx.warn(
          `could not abort upload ${id} (${(error as Error).message}); run: partcopy uploads abort ${ctx.positional(1)} ${id}`,
        ),
    });
    bar.finish();
    return transferReport(result, ctx.positional(0), ctx.positional(1), performance.now() - started);
  } catch (error) {
    bar.finish();
    if (store && (error as { code?: string }).code === 'RequestAborted')
      ctx.warn(`transfer session kept in ${store.description}: run the same cp --resume again to finish it`);
    throw error;
  }
}

function strategyOption(ctx: CommandContext): TransferStrategy {
  const value = ctx.string('strategy') ?? 'auto';
  if (!STRATEGIES.includes(value as TransferStrategy))
    throw new UsageError(`--strategy must be ${STRATEGIES.join(', ')}, not "${value}"`, 'cp');
  return value as TransferStrategy;
}

function rangeOption(text: string) {
  try {
    return parseByteRange(normaliseRange(text), '--range');
  } catch (error) {
    throw new UsageError((error as Error).message, 'cp');
  }
}

function announce(ctx: CommandContext, start: TransferStart): void {
  if (ctx.quiet || ctx.json || !ctx.flag('verbose')) return;
  const parts =
    start.partsCount === 0
      ? ''
      : `, ${start.partsCount} parts of ${formatBytes(start.partSize)}, ${start.concurrency} in flight`;
  const reused =
    start.partsReused > 0
      ? `; session ${start.sessionId} resumed with ${start.partsReused} parts already there`
      : '';
  ctx.io.stderr.write(`partcopy: plan: ${start.strategy}${parts} (${start.reason})${reused}\n`);
}

/** The summary: what moved where, and how every byte moved (server-side vs through this process). */
export function transferReport(
  result: TransferObjectResult,
  source: string,
  destination: string,
  ms: number,
) {
  const seconds = ms / 1000;
  const parts = result.partsCount === 1 ? '1 part' : `${result.partsCount} parts`;
  const reused = result.session?.partsReused ? `, ${result.session.partsReused} reused from the session` : '';
  const checks = result.verification.checks.length > 0 ? ` + ${result.verification.checks.join(' + ')}` : '';
  const rate = seconds > 0 ? ` (${formatBytes(Math.round(result.size / seconds))}/s)` : '';
  return {
    result: { source, destination, ...result, durationMs: Math.round(ms) },
    human: [
      `transferred ${source} to ${destination}: ${formatBytes(result.size)} in ${parts}${reused}; strategy: ${result.strategy} (${result.reason})`,
      `bytes: ${formatBytes(result.bytesServerSide)} server-side, ${formatBytes(result.bytesClientStreamed)} through this process; verified: size${checks}; in ${seconds.toFixed(1)}s${rate}, ETag ${result.etag}`,
    ],
  };
}
