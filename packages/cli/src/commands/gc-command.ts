/**
 * `partcopy gc BUCKET... --older-than AGE [--dry-run]`: removes what interrupted copies and
 * crashed writers left in buckets (abandoned multipart uploads, staging objects of no upload,
 * temporary files), older than an age. Uploads of the sessions in --session-dir are kept:
 * `sessions resume` or `sessions abort` finishes those.
 */
import {
  collectGarbage,
  type GarbageCollectionReport,
  type GarbageItem,
  PartCopyError,
} from '@partcopy/core';
import type { CommandContext, CommandSpec } from '../command.js';
import { formatTable } from '../output.js';
import { SESSION_DIR_OPTION, sessionStore } from '../session-folder.js';
import { formatBytes, formatDuration } from '../sizes.js';
import { parseUrl } from '../stores.js';
import { UsageError } from '../usage-error.js';

const AGE_UNITS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const AGE_PATTERN = /^(\d+(?:\.\d+)?)([smhdw])$/;

export const gcCommand: CommandSpec = {
  name: 'gc',
  summary: 'remove abandoned uploads and staging leftovers older than an age',
  usage: 'URL... --older-than AGE [--dry-run] [options]',
  description: [
    'Aborts the multipart uploads of each bucket (scheme://bucket) initiated more than AGE ago, and removes the',
    "store's own leftovers last changed more than AGE ago: staging objects no upload names (gs://), temporary",
    'files of crashed writers (file://). Uploads of the sessions in --session-dir (copy, compose and transfer; also',
    'one killed while creating its upload) are kept, however old.',
    'AGE is a number with a unit: 90s, 30m, 36h, 7d, 2w (0s takes everything, live uploads of other processes too).',
    'With --dry-run nothing is removed: the report lists what would be. Exits 1 when a removal failed.',
  ],
  positionals: { min: 1, max: 100 },
  options: {
    'older-than': { type: 'string', value: 'AGE', description: 'only what is at least this old (e.g. 7d)' },
    'dry-run': { type: 'boolean', description: 'list what would be removed, remove nothing' },
    ...SESSION_DIR_OPTION,
  },
  examples: [
    'partcopy gc s3://my-bucket --older-than 7d --dry-run',
    'partcopy gc file://demo gs://media --older-than 36h --json',
  ],
  async run(ctx) {
    const olderThanMs = parseAge(ctx.required('older-than'), ctx.command);
    const dryRun = ctx.flag('dry-run');
    const sessions = await sessionStore(ctx);
    const progress = ctx.progress(dryRun ? 'gc (dry run)' : 'gc');
    const reports: Array<GarbageCollectionReport & { store: string }> = [];
    try {
      for (const [scheme, buckets] of bucketsByScheme(ctx)) {
        const client = await ctx.stores.client(scheme);
        const report = await collectGarbage({
          client,
          buckets,
          olderThanMs,
          dryRun,
          sessions,
          signal: ctx.signal,
          onProgress: (p) => progress.update(p.removed + p.kept + p.failed),
        });
        reports.push({ ...report, store: scheme });
      }
    } finally {
      progress.finish();
    }
    const failed = reports.flatMap((r) => r.items.filter((i) => i.action === 'failed'));
    if (failed.length > 0) throw failure(ctx, failed);
    return { result: { dryRun, olderThanMs, reports }, human: humanReport(reports, dryRun) };
  },
};

/** `7d`, `36h`, `90m`, `30s`, `2w` in milliseconds. */
export function parseAge(text: string, command: string): number {
  const match = AGE_PATTERN.exec(text.trim());
  const ms = match ? Number(match[1]) * (AGE_UNITS[match[2] as string] as number) : Number.NaN;
  if (!Number.isSafeInteger(Math.round(ms)) || ms < 0)
    throw new UsageError(`--older-than: "${text}" is not an age (examples: 90s, 30m, 36h, 7d, 2w)`, command);
  return Math.round(ms);
}

// Buckets grouped by store (one client per scheme), in the order given.
function bucketsByScheme(ctx: CommandContext): Map<string, string[]> {
  const byScheme = new Map<string, string[]>();
  for (const text of ctx.positionals) {
    const ref = parseUrl(text);
    if (ref.key) throw new UsageError(`gc takes buckets (scheme://bucket), not keys: ${text}`, ctx.command);
    byScheme.set(ref.scheme, [...(byScheme.get(ref.scheme) ?? []), ref.bucket]);
  }
  return byScheme;
}

function humanReport(reports: Array<GarbageCollectionReport & { store: string }>, dryRun: boolean): string[] {
  const rows = reports.flatMap((report) =>
    report.items.map((item) => [
      item.action,
      item.kind,
      `${report.store}://${item.bucket}`,
      item.name,
      item.uploadId ?? '',
      formatDuration(item.ageMs / 1000),
      item.bytes === undefined ? '' : formatBytes(item.bytes),
      item.reason ?? '',
    ]),
  );
  const removed = reports.reduce((sum, r) => sum + r.removed, 0);
  const kept = reports.reduce((sum, r) => sum + r.kept, 0);
  const bytes = reports.reduce((sum, r) => sum + r.bytesRemoved, 0);
  const summary = `${dryRun ? 'would remove' : 'removed'} ${removed} item(s) (${formatBytes(bytes)} known), kept ${kept}`;
  return [...formatTable(rows), summary];
}

// Every failed removal is named on stderr; the command fails with the first one's code.
function failure(ctx: CommandContext, failed: GarbageItem[]): PartCopyError {
  for (const item of failed)
    ctx.warn(`could not remove ${item.kind} ${item.bucket}/${item.name}: ${item.reason}`);
  const first = failed[0]?.error;
  return new PartCopyError(
    first?.code ?? 'InternalError',
    `${failed.length} removal(s) failed (listed above); the rest of the collection ran. Run gc again once the cause is fixed`,
    { cause: first, retryable: false },
  );
}
