/**
 * `partcopy sessions list|resume|abort`: the sessions `cp --resume`, `compose --resume` and a
 * `cp --resume` across stores left behind, all kinds in one folder: listing them, finishing one
 * (by its kind: only what the store lacks is written) or removing one with its upload.
 */
import {
  abortSession,
  type ComposePlanSummary,
  listSessions,
  nativeComposeStaged,
  readSession,
  resumeCompose,
  resumeCopy,
  resumeTransfer,
  type SessionRecord,
  type SessionSummary,
} from '@partcopy/core';
import type { CommandContext, CommandSpec } from '../command.js';
import { formatTable } from '../output.js';
import { SESSION_DIR_OPTION, schemeOfLabel, sessionStore, storeLabel } from '../session-folder.js';
import { formatBytes, formatDuration } from '../sizes.js';
import { composeOutcome } from './compose-command.js';
import { CopyWatch, RUN_OPTIONS, runOptions } from './cp-command.js';
import { transferReport } from './cp-transfer.js';

export const sessionsListCommand: CommandSpec = {
  name: 'sessions list',
  summary: 'list the sessions kept by cp --resume and compose --resume (every kind)',
  usage: '[options]',
  description: [
    'Lists the sessions in --session-dir, every kind (copy, compose, transfer): id, kind, state, source(s),',
    "destination, parts done/total (the store's part list, where its store can be opened), size and age.",
    'A native compose (Azure blocks, GCS compose) has no parts: it shows the units its compose staged in the',
    'store so far (Azure blocks, GCS staging objects and composites) and its pieces.',
  ],
  positionals: { min: 0, max: 0 },
  options: { ...SESSION_DIR_OPTION },
  examples: ['partcopy sessions list', 'partcopy sessions list --json'],
  async run(ctx) {
    const store = await sessionStore(ctx);
    const now = Date.now();
    const sessions: Array<Record<string, unknown>> = [];
    const rows: string[][] = [];
    for (const entry of await listSessions(store)) {
      const { record, summary } = entry;
      if (!record || !summary) {
        sessions.push({ id: entry.id, problem: entry.problem?.problem, message: entry.problem?.message });
        rows.push([entry.id, '?', 'unreadable', '', '', '', '', entry.problem?.message ?? '']);
        continue;
      }
      const partsDone = await partsDoneOf(ctx, summary);
      const staged = await stagedOf(ctx, record, summary);
      const ageMs = Math.max(0, now - Date.parse(summary.createdAt));
      sessions.push({
        ...record,
        partsDone: partsDone ?? null,
        partsTotal: summary.partsTotal,
        ...(staged === undefined ? {} : staged),
        ageMs,
      });
      rows.push([
        summary.id,
        summary.kind,
        summary.state,
        sourcesText(summary),
        `-> ${where(summary.destination)}`,
        staged !== undefined
          ? `${staged.stagedUnits ?? '?'} staged/${staged.piecesTotal} pieces`
          : summary.partsTotal === 0
            ? '-'
            : `${partsDone ?? '?'}/${summary.partsTotal} parts`,
        formatBytes(summary.totalSize),
        formatDuration(ageMs / 1000),
      ]);
    }
    return {
      result: { folder: store.folder, sessions },
      human: rows.length > 0 ? formatTable(rows) : [`no sessions in ${store.folder}`],
    };
  },
};

export const sessionsResumeCommand: CommandSpec = {
  name: 'sessions resume',
  summary: 'finish a session of any kind: write what the store lacks, complete, verify',
  usage: 'ID [options]',
  description: [
    "Resumes the session ID on the store(s) it names, by its kind (copy, compose, transfer). The store's part",
    'list (or staged blocks) says what is done; every source must still have the ETag it had (else the session',
    'is aborted and the run fails with PreconditionFailed). Interrupting the resume keeps the session again.',
  ],
  positionals: { min: 1, max: 1 },
  options: { ...RUN_OPTIONS, ...SESSION_DIR_OPTION },
  examples: [
    'partcopy sessions resume cp-1f2e3d4c5b6a79880a1b2c3d',
    'partcopy sessions resume compose-9a8b7c6d5e4f',
  ],
  async run(ctx) {
    const id = ctx.positional(0);
    const store = await sessionStore(ctx);
    const text = await store.read(id);
    // No record, or a copy record (also an unreadable one): the copy engine says what is wrong.
    const record = text === undefined ? undefined : await readSession(store, id).catch(() => undefined);
    if (record?.kind === 'compose') return resumeComposeSession(ctx, store, record);
    if (record?.kind === 'transfer') return resumeTransferSession(ctx, store, record);
    return resumeCopySession(ctx, store, id, text);
  },
};

type Store = Awaited<ReturnType<typeof sessionStore>>;

async function resumeCopySession(ctx: CommandContext, store: Store, id: string, text: string | undefined) {
  const scheme = text === undefined ? 'file' : schemeOfLabel(labelOf(text), id);
  const client = await ctx.stores.client(scheme);
  const watch = new CopyWatch(ctx, `${scheme}://`);
  try {
    const result = await resumeCopy({
      client,
      session: { store, id, storeLabel: storeLabel(ctx, scheme) },
      ...runOptions(ctx),
      onStart: watch.onStart,
      onCleanupFailed: watch.onCleanupFailed,
    });
    return watch.outcome(result, {
      source: `session ${id}`,
      destination: `${scheme}://${result.bucket}/${result.key}`,
    });
  } catch (error) {
    watch.failed(error, store.description);
    throw error;
  } finally {
    watch.close();
  }
}

async function resumeComposeSession(ctx: CommandContext, store: Store, record: SessionRecord) {
  if (record.kind !== 'compose') throw new Error('internal: not a compose session');
  const scheme = schemeOfLabel(record.store, record.id);
  const client = await ctx.stores.client(scheme);
  const { concurrency, signal } = runOptions(ctx);
  const bar = ctx.progress('compose');
  let plan: ComposePlanSummary | undefined;
  try {
    const result = await resumeCompose({
      client,
      session: { store, id: record.id, storeLabel: storeLabel(ctx, scheme) },
      concurrency,
      signal,
      onPlan: (summary) => {
        plan = summary;
      },
      onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal),
    });
    return composeOutcome(`${scheme}://${result.bucket}/${result.key}`, result, plan);
  } catch (error) {
    if ((error as { code?: string }).code === 'RequestAborted')
      ctx.warn(
        `compose session ${record.id} kept in ${store.description}: run sessions resume ${record.id} again`,
      );
    throw error;
  } finally {
    bar.finish();
  }
}

async function resumeTransferSession(ctx: CommandContext, store: Store, record: SessionRecord) {
  if (record.kind !== 'transfer') throw new Error('internal: not a transfer session');
  const fromScheme = schemeOfLabel(record.source.label, record.id);
  const toScheme = schemeOfLabel(record.destination.label, record.id);
  const [source, destination] = await Promise.all([
    ctx.stores.client(fromScheme),
    ctx.stores.client(toScheme),
  ]);
  const bar = ctx.progress('cp');
  const started = performance.now();
  try {
    const result = await resumeTransfer({
      source,
      destination,
      session: { store, id: record.id },
      ...runOptions(ctx),
      onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal),
    });
    const s = record.source;
    const d = record.destination;
    return transferReport(
      result,
      `${fromScheme}://${s.bucket}/${s.key}`,
      `${toScheme}://${d.bucket}/${d.key}`,
      performance.now() - started,
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'RequestAborted')
      ctx.warn(
        `transfer session ${record.id} kept in ${store.description}: run sessions resume ${record.id} again`,
      );
    throw error;
  } finally {
    bar.finish();
  }
}

export const sessionsAbortCommand: CommandSpec = {
  name: 'sessions abort',
  summary: 'abort a session of any kind: its upload and every part written, then its record',
  usage: 'ID [options]',
  description: [
    'Aborts the upload of session ID on its destination store (also for a record that cannot be resumed, and',
    'for one killed while creating its upload) and removes the session. A native compose has no upload: what it',
    'staged is removed (GCS staging objects; Azure uncommitted blocks, unless the destination exists: Azure',
    'drops them only at a commit that would change it, so they stay until the next write of the key or a week).',
  ],
  positionals: { min: 1, max: 1 },
  options: { ...SESSION_DIR_OPTION },
  examples: ['partcopy sessions abort cp-1f2e3d4c5b6a79880a1b2c3d'],
  async run(ctx) {
    const id = ctx.positional(0);
    const store = await sessionStore(ctx);
    const text = await store.read(id);
    // No record: abortSession says so with its not-found error.
    const scheme = text === undefined ? 'file' : schemeOfLabel(labelOf(text), id);
    const client = await ctx.stores.client(scheme);
    const result = await abortSession({ client, session: { store, id } });
    const upload = result.uploadId
      ? result.uploadWasGone
        ? `; its upload ${result.uploadId} was already gone`
        : `; aborted upload ${result.uploadId}`
      : '';
    const { staged } = result;
    const human = [
      `removed session ${id}${upload}${staged ? `; removed ${staged.removed} staged unit(s)` : ''}`,
    ];
    if (staged && staged.left > 0)
      human.push(`left ${staged.left} staged unit(s): ${staged.leftReason ?? ''}`);
    return { result, human };
  },
};

// The label of the store holding the session's upload (the destination's): copy and compose
// records name one store, a transfer names both. Read leniently, so that `abort` still finds the
// store of a record that cannot be parsed as a session.
function labelOf(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as {
      kind?: string;
      format?: string;
      store?: string;
      destination?: { label?: string };
    };
    const transfer = value.kind === 'transfer' || value.format === 'partcopy.transfer-session';
    return transfer ? value.destination?.label : value.store;
  } catch {
    return undefined;
  }
}

// A native compose's progress: units its compose staged in the store (undefined when the store cannot
// be opened or asked here) and the pieces it joins; undefined for any other session.
async function stagedOf(
  ctx: CommandContext,
  record: SessionRecord,
  summary: SessionSummary,
): Promise<{ stagedUnits?: number; piecesTotal: number } | undefined> {
  if (summary.kind !== 'compose' || summary.strategy !== 'native') return undefined;
  const piecesTotal = summary.sources.length;
  if (summary.destination.store === undefined) return { piecesTotal };
  try {
    const client = await ctx.stores.client(schemeOfLabel(summary.destination.store, summary.id));
    const stagedUnits = await nativeComposeStaged(client, record, ctx.signal);
    return stagedUnits === undefined ? { piecesTotal } : { stagedUnits, piecesTotal };
  } catch {
    return { piecesTotal };
  }
}

// Parts the store lists for the session's upload; undefined when it has none yet or the store
// cannot be opened or asked here (no credentials, another machine's folder).
async function partsDoneOf(ctx: CommandContext, summary: SessionSummary): Promise<number | undefined> {
  const { uploadId, destination } = summary;
  if (uploadId === undefined || destination.store === undefined) return undefined;
  try {
    const client = await ctx.stores.client(schemeOfLabel(destination.store, summary.id));
    let count = 0;
    let partNumberMarker: number | undefined;
    for (;;) {
      const page = await client.listParts({
        bucket: destination.bucket,
        key: destination.key,
        uploadId,
        ...(partNumberMarker === undefined ? {} : { partNumberMarker }),
        abortSignal: ctx.signal,
      });
      count += page.parts.length;
      if (!page.isTruncated || page.nextPartNumberMarker === undefined) return count;
      partNumberMarker = page.nextPartNumberMarker;
    }
  } catch {
    return undefined;
  }
}

function sourcesText(summary: SessionSummary): string {
  const [first] = summary.sources;
  if (first === undefined) return '';
  const more = summary.sources.length > 1 ? ` (+${summary.sources.length - 1} more)` : '';
  return `${where(first)}${more}`;
}

function where(place: { provider: string; store?: string; bucket: string; key: string }): string {
  const scheme = place.store?.split(' ')[0] ?? place.provider;
  return `${scheme}://${place.bucket}/${place.key}`;
}
