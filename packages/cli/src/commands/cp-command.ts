import {
  type ByteRange,
  type CopyObjectResult,
  type CopyStart,
  copyObject,
  DEFAULT_COPY_CONCURRENCY,
  PartCopyError,
  type VerifyMode,
} from '@partcopy/core';
import { parseByteRange } from '@partcopy/core/provider';
import type { CommandContext, CommandSpec, OptionSpecs } from '../command.js';
import { normaliseRange } from '../option-values.js';
import { EventProgress, type ProgressSink } from '../progress-bar.js';
import { SESSION_DIR_OPTION, sessionStore, storeLabel } from '../session-folder.js';
import { formatBytes, parsePositiveInteger, parseSize } from '../sizes.js';
import { parseObjectRef } from '../stores.js';
import { UsageError } from '../usage-error.js';
import { runTransfer, STRATEGY_OPTION } from './cp-transfer.js';
import { fleetCopy } from './fleet-copy.js';
import { QUEUE_OPTIONS } from './fleet-queue.js';

/** Options `cp` shares with `sessions resume`. */
export const RUN_OPTIONS: OptionSpecs = {
  concurrency: {
    type: 'string',
    value: 'N',
    description: `part copies in flight (default ${DEFAULT_COPY_CONCURRENCY})`,
  },
  verify: {
    type: 'string',
    value: 'MODE',
    description:
      'auto (default: size, and content from the store ETags where they are MD5s), read-back (also hash both sides), size-only',
  },
};

export const cpCommand: CommandSpec = {
  name: 'cp',
  summary: 'copy an object or a byte range of it, on the store, with the fastest plan the store offers',
  usage: 'SRC DST [options]',
  description: [
    "Copies the object SRC (or --range of it) to DST on the store's side. The plan is chosen from the store's",
    'capabilities and the size and printed first: one whole-object copy where the store has one, one part',
    'copy of the whole object where the store copies only whole objects (GCS), else ranged part copies',
    '(128 MiB parts for big objects, --concurrency at a time), each pinned to the source ETag read at the',
    'start. Then complete, and verify (size, and content from MD5 ETags where the store gives them).',
    'On a failure, Ctrl-C, SIGTERM or SIGHUP the upload is aborted: nothing is left behind.',
    'With --resume the copy keeps a session instead (in --session-dir): an interrupted copy is finished by',
    'running the same command again or `partcopy sessions resume ID`, copying only the parts the store lacks.',
    "Part sizes respect the store's limits.",
    'Across stores (s3:// to az://, gs:// to s3://, file:// to anything and back) the object is transferred:',
    'with --strategy auto (default) the destination pulls each part from a URL the source signs where it can',
    '(Azure Put Block From URL: no payload byte through this process), else ranged reads of the source, each',
    'pinned to its ETag, stream into part uploads with bounded memory. The report says how every byte moved.',
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
      description: "bytes per part: 64MiB, 5M, 1048576 (default: chosen for speed within the store's limits)",
    },
    ...RUN_OPTIONS,
    'version-id': { type: 'string', value: 'ID', description: 'copy this version of SRC' },
    unpinned: {
      type: 'boolean',
      description:
        'do not pin parts to the source ETag (for stores without copySourceIfMatch; a concurrent change can then mix versions)',
    },
    resume: {
      type: 'boolean',
      description:
        'keep a session so an interrupted copy can be resumed (running this command again resumes it)',
    },
    'session-id': {
      type: 'string',
      value: 'ID',
      description: 'name the session (default: derived from the copy)',
    },
    ...SESSION_DIR_OPTION,
    ...STRATEGY_OPTION,
    ...QUEUE_OPTIONS,
  },
  examples: [
    'partcopy cp file://demo/video.mp4 file://demo/video-copy.mp4',
    'partcopy cp s3://logs/big.log s3://logs/first-gib.log --range bytes=0-1073741823 --part-size 64MiB --concurrency 8',
    'partcopy cp s3://media/6g.bin s3://media/6g-copy.bin --resume',
    'partcopy cp s3://media/6g.bin az://archive/6g.bin --resume',
    'partcopy cp gs://logs/day.log file://backup/day.log --strategy stream',
    'partcopy cp s3://media/6g.bin s3://media/6g-copy.bin --queue redis://127.0.0.1:6379',
  ],
  async run(ctx) {
    // With a fleet, the parts run on `partcopy worker` processes; this one follows.
    if (ctx.string('queue') !== undefined) return fleetCopy(ctx);
    const source = parseObjectRef(ctx.positional(0));
    const destination = parseObjectRef(ctx.positional(1));
    if (source.scheme !== destination.scheme) return runTransfer(ctx, source, destination);
    if (ctx.string('strategy') !== undefined)
      throw new UsageError(
        '--strategy applies across stores; within one store the copy stays on the server',
        'cp',
      );
    const rangeText = ctx.string('range');
    const partSizeText = ctx.string('part-size');
    const client = await ctx.stores.client(source.scheme);
    const resumable = ctx.flag('resume') || ctx.string('session-id') !== undefined;
    const store = resumable ? await sessionStore(ctx) : undefined;
    const watch = new CopyWatch(ctx, ctx.positional(1));
    try {
      const result = await copyObject({
        client,
        source: { bucket: source.bucket, key: source.key, versionId: ctx.string('version-id') },
        destination: { bucket: destination.bucket, key: destination.key },
        range: rangeText === undefined ? undefined : parseRangeOption(rangeText),
        partSize: partSizeText === undefined ? undefined : parseSize(partSizeText, '--part-size'),
        pinSource: !ctx.flag('unpinned'),
        ...runOptions(ctx),
        ...(store
          ? { session: { store, id: ctx.string('session-id'), storeLabel: storeLabel(ctx, source.scheme) } }
          : {}),
        onStart: watch.onStart,
        onCleanupFailed: watch.onCleanupFailed,
      });
      return watch.outcome(result, { source: ctx.positional(0), destination: ctx.positional(1) });
    } catch (error) {
      watch.failed(error, resumable ? store?.description : undefined);
      throw error;
    } finally {
      watch.close();
    }
  },
};

/** `--concurrency`, `--verify` and the interrupt signal, for `cp` and `sessions resume`. */
export function runOptions(ctx: CommandContext): {
  concurrency: number | undefined;
  verify: VerifyMode | undefined;
  signal: AbortSignal;
} {
  const concurrencyText = ctx.string('concurrency');
  const verify = ctx.string('verify');
  if (verify !== undefined && !['auto', 'read-back', 'size-only'].includes(verify)) {
    throw new UsageError(`--verify must be auto, read-back or size-only, not "${verify}"`, ctx.command);
  }
  return {
    concurrency:
      concurrencyText === undefined ? undefined : parsePositiveInteger(concurrencyText, '--concurrency'),
    verify: verify as VerifyMode | undefined,
    signal: ctx.signal,
  };
}

/**
 * What a running copy shows: the plan on stderr as it starts, a progress bar, the summary, and,
 * when it stops, what was left and how to finish it.
 */
export class CopyWatch {
  readonly #ctx: CommandContext;
  readonly #destinationUrl: string;
  readonly #bar: ProgressSink;
  readonly #off: () => void;
  readonly #started = performance.now();
  #uploadId: string | undefined;
  #sessionId: string | undefined;
  #reused = 0;

  constructor(ctx: CommandContext, destinationUrl: string) {
    this.#ctx = ctx;
    this.#destinationUrl = destinationUrl;
    this.#bar = ctx.progress('cp');
    const bar = this.#bar;
    const shifted: ProgressSink = {
      update: (done, total) => bar.update(done + this.#reused, total),
      finish: () => bar.finish(),
    };
    const tracker = new EventProgress(
      shifted,
      (e) =>
        e.operation === 'uploadPartCopy' && this.#uploadId !== undefined && e.uploadId === this.#uploadId,
    );
    this.#off = ctx.stores.on(tracker.listener);
  }

  readonly onStart = (start: CopyStart): void => {
    this.#uploadId = start.uploadId;
    this.#sessionId = start.sessionId;
    const { plan } = start;
    this.#reused = start.bytesReused;
    this.#bar.update(this.#reused, plan.totalSize);
    // The plan is in the summary line and the JSON result; as the copy starts, only with --verbose
    // (stderr is the progress bar's, and scripts read it for errors).
    if (this.#ctx.quiet || this.#ctx.json || !this.#ctx.flag('verbose')) return;
    const parts =
      plan.parts.length === 0
        ? ''
        : `, ${plan.parts.length === 1 ? '1 part' : `${plan.parts.length} parts`} of ${formatBytes(plan.partSize)}, ${plan.concurrency} in flight`;
    const session = start.sessionId
      ? `; session ${start.sessionId}${start.partsReused > 0 ? ` resumed with ${start.partsReused} parts already copied` : ''}`
      : '';
    this.#ctx.io.stderr.write(`partcopy: plan: ${plan.strategy}${parts} (${plan.reason})${session}\n`);
  };

  readonly onCleanupFailed = (id: string, error: unknown): void =>
    this.#ctx.warn(
      `could not abort upload ${id} (${(error as Error).message}); run: partcopy uploads abort ${this.#destinationUrl} ${id}`,
    );

  /** After a failure: say where the session is, when one was kept. */
  failed(error: unknown, sessionsWhere: string | undefined): void {
    this.#bar.finish();
    const kept =
      sessionsWhere !== undefined &&
      this.#sessionId !== undefined &&
      PartCopyError.isInstance(error) &&
      (error.code === 'RequestAborted' || error.retryable);
    if (!kept) return;
    this.#ctx.warn(
      `session ${this.#sessionId} kept (${sessionsWhere}): finish it with \`partcopy sessions resume ${this.#sessionId}\` (or the same cp --resume), or remove it and its upload with \`partcopy sessions abort ${this.#sessionId}\``,
    );
  }

  outcome(result: CopyObjectResult, names: { source: string; destination: string }) {
    this.#bar.finish();
    const seconds = (performance.now() - this.#started) / 1000;
    const parts = result.partsCount === 1 ? '1 part' : `${result.partsCount} parts`;
    const how = result.strategy === 'whole-object' ? 'one whole-object copy' : parts;
    const reused = result.session?.partsReused
      ? `, ${result.session.partsReused} reused from the session`
      : '';
    const plan =
      result.partsCount > 0
        ? `${result.strategy}, parts of ${formatBytes(result.partSize)}, ${result.plan.concurrency} in flight`
        : result.strategy;
    const verified =
      result.verification.content === 'none' ? 'size' : `size + ${result.verification.content}`;
    return {
      result: { ...names, ...result, durationMs: Math.round(seconds * 1000) },
      human: [
        `copied ${names.source} to ${names.destination}: ${formatBytes(result.size)} in ${how} (${result.transfer})${reused}; plan: ${plan}; verified: ${verified}; in ${seconds.toFixed(1)}s, ETag ${result.etag}`,
      ],
    };
  }

  close(): void {
    this.#off();
    this.#bar.finish();
  }
}

function parseRangeOption(text: string): ByteRange {
  try {
    return parseByteRange(normaliseRange(text), '--range');
  } catch (error) {
    throw new UsageError((error as Error).message, 'cp');
  }
}
