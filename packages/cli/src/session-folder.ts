/**
 * Where the CLI keeps sessions and how it names a store in them: every session (cp --resume,
 * compose --resume, a cp across stores with --resume) is a file in one folder, `--session-dir`,
 * else `$PARTCOPY_SESSION_DIR`, else `./.partcopy-sessions` (outside the file store's data folder,
 * which holds buckets only). The previous release kept compose sessions in `DIR/compose` and
 * transfer sessions in `DIR/transfers`: those records are moved into DIR when the folder is opened
 * (a rename each; one whose lock is held, or whose id DIR already has, stays where it is and is
 * named in a warning). The store label starts with the URL scheme, so `sessions resume ID` knows
 * which store to open, followed by what tells two stores of one kind apart (the data folder, the
 * endpoint); no secret ever goes into it.
 */
import { readdir, rename, rmdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FileSessionStore } from '@partcopy/core';
import type { CommandContext, OptionSpecs } from './command.js';
import { UsageError } from './usage-error.js';

export const SESSION_DIR_ENV = 'PARTCOPY_SESSION_DIR';
export const DEFAULT_SESSION_DIR = '.partcopy-sessions';

export const SESSION_DIR_OPTION: OptionSpecs = {
  'session-dir': {
    type: 'string',
    value: 'DIR',
    description: `folder of sessions, every kind (default $${SESSION_DIR_ENV}, else ./${DEFAULT_SESSION_DIR})`,
  },
};

/** The previous release's folders of compose and transfer sessions, inside the session folder. */
const LEGACY_SUBFOLDERS = ['compose', 'transfers'];

/** The session folder of this command, with the previous release's records moved into it. */
export async function sessionStore(ctx: CommandContext): Promise<FileSessionStore> {
  const dir = ctx.string('session-dir') ?? (ctx.io.env[SESSION_DIR_ENV] || DEFAULT_SESSION_DIR);
  const folder = resolve(ctx.io.cwd, dir);
  for (const name of LEGACY_SUBFOLDERS) await adoptLegacyRecords(ctx, folder, name);
  return new FileSessionStore(folder);
}

async function adoptLegacyRecords(ctx: CommandContext, folder: string, name: string): Promise<void> {
  const legacy = join(folder, name);
  const files = await readdir(legacy).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const id = file.slice(0, -'.json'.length);
    const held = files.includes(`${id}.lock`);
    const taken = await exists(join(folder, file));
    if (held || taken) {
      ctx.warn(
        `session ${id} stays in ${legacy} (${held ? 'a run holds its lock' : `${folder} has a session of that id`}); run this again once it is free`,
      );
      continue;
    }
    // Another process opening the folder at the same time may have moved it first.
    await rename(join(legacy, file), join(folder, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  // Removed once empty; a folder still holding something stays.
  await rmdir(legacy).catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** `file /abs/data-dir`, `s3 http://127.0.0.1:9000`, `gs`, ...: the scheme, then what distinguishes the store. */
export function storeLabel(ctx: CommandContext, scheme: string): string {
  const env = ctx.io.env;
  const where =
    scheme === 'file'
      ? ctx.stores.dataDir
      : scheme === 's3'
        ? env.PARTCOPY_S3_ENDPOINT || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL
        : scheme === 'gs'
          ? env.PARTCOPY_GCS_ENDPOINT || env.STORAGE_EMULATOR_HOST
          : undefined;
  return where ? `${scheme} ${where}` : scheme;
}

/** The scheme a session's store label starts with. */
export function schemeOfLabel(label: string | undefined, id: string): string {
  const scheme = label?.split(' ')[0];
  if (!scheme)
    throw new UsageError(
      `session ${id} does not name its store; resume it from the application that made it`,
    );
  return scheme;
}
