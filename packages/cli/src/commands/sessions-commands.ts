/**
 * `partcopy sessions list|resume|abort`: the resumable copies `cp --resume` left behind, finishing
 * them (only the parts the store lacks are copied) or removing them with their uploads.
 */
import { abortCopySession, listCopySessions, resumeCopy } from '@partcopy/core';
import type { CommandSpec } from '../command.js';
import { SESSION_DIR_OPTION, schemeOfLabel, sessionStore, storeLabel } from '../copy-sessions.js';
import { formatTable } from '../output.js';
import { formatBytes } from '../sizes.js';
import { CopyWatch, RUN_OPTIONS, runOptions } from './cp-command.js';

export const sessionsListCommand: CommandSpec = {
  name: 'sessions list',
  summary: 'list the copy sessions kept by cp --resume',
  usage: '[options]',
  description: ['Lists the sessions in --session-dir: id, state, size, parts, source and destination.'],
  positionals: { min: 0, max: 0 },
  options: { ...SESSION_DIR_OPTION },
  examples: ['partcopy sessions list', 'partcopy sessions list --json'],
  async run(ctx) {
    const store = sessionStore(ctx);
    const entries = await listCopySessions(store);
    const sessions = entries.map((entry) =>
      entry.record
        ? { ...entry.record }
        : { id: entry.id, problem: entry.problem?.problem, message: entry.problem?.message },
    );
    const rows = entries.map((entry) => {
      const r = entry.record;
      if (!r) return [entry.id, 'unreadable', '', '', entry.problem?.message ?? ''];
      return [
        entry.id,
        r.state,
        formatBytes(r.plan.totalSize),
        `${r.plan.partsCount} parts`,
        `${r.source.bucket}/${r.source.key} -> ${r.destination.bucket}/${r.destination.key} (${r.store ?? r.provider})`,
      ];
    });
    return {
      result: { folder: store.folder, sessions },
      human: rows.length > 0 ? formatTable(rows) : [`no sessions in ${store.folder}`],
    };
  },
};

export const sessionsResumeCommand: CommandSpec = {
  name: 'sessions resume',
  summary: 'finish a copy session: copy the parts the store lacks, complete, verify',
  usage: 'ID [options]',
  description: [
    "Resumes the session ID on the store it names. The store's part list says what is done; the source must",
    'still have the ETag and size it had (else the session is aborted and the copy fails with PreconditionFailed).',
    'Interrupting the resume keeps the session again.',
  ],
  positionals: { min: 1, max: 1 },
  options: { ...RUN_OPTIONS, ...SESSION_DIR_OPTION },
  examples: ['partcopy sessions resume cp-1f2e3d4c5b6a79880a1b2c3d'],
  async run(ctx) {
    const id = ctx.positional(0);
    const store = sessionStore(ctx);
    const scheme = await schemeOf(store, id);
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
  },
};

export const sessionsAbortCommand: CommandSpec = {
  name: 'sessions abort',
  summary: 'abort a copy session: its upload and every part copied, then its record',
  usage: 'ID [options]',
  description: [
    'Aborts the upload of session ID (also for a record that cannot be resumed) and removes the session.',
  ],
  positionals: { min: 1, max: 1 },
  options: { ...SESSION_DIR_OPTION },
  examples: ['partcopy sessions abort cp-1f2e3d4c5b6a79880a1b2c3d'],
  async run(ctx) {
    const id = ctx.positional(0);
    const store = sessionStore(ctx);
    const scheme = await schemeOf(store, id);
    const client = await ctx.stores.client(scheme);
    const result = await abortCopySession({ client, session: { store, id } });
    const upload = result.uploadId
      ? result.uploadWasGone
        ? `; its upload ${result.uploadId} was already gone`
        : `; aborted upload ${result.uploadId}`
      : '';
    return { result, human: [`removed session ${id}${upload}`] };
  },
};

// The record names its store by label (`file /data`, `s3 http://...`); a record that cannot be
// parsed still usually names it, which is what lets `abort` clean up after a corrupt record.
async function schemeOf(store: ReturnType<typeof sessionStore>, id: string): Promise<string> {
  const text = await store.read(id);
  let label: string | undefined;
  try {
    label = text === undefined ? undefined : ((JSON.parse(text) as { store?: string }).store ?? undefined);
  } catch {
    label = undefined;
  }
  // No record: resumeCopy / abortCopySession say so with their not-found error.
  return text === undefined ? 'file' : schemeOfLabel(label, id);
}
