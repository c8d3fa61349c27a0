/**
 * Where the CLI keeps copy sessions and how it names a store in them: sessions are files in
 * `--session-dir`, else `$PARTCOPY_SESSION_DIR`, else `./.partcopy-sessions` (outside the file
 * store's data folder, which holds buckets only). The store label starts with the URL scheme, so
 * `sessions resume ID` knows which store to open, followed by what tells two stores of one kind
 * apart (the data folder, the endpoint); no secret ever goes into it.
 */
import { resolve } from 'node:path';
import { FileSessionStore } from '@partcopy/core';
import type { CommandContext, OptionSpecs } from './command.js';
import { UsageError } from './usage-error.js';

export const SESSION_DIR_ENV = 'PARTCOPY_SESSION_DIR';
export const DEFAULT_SESSION_DIR = '.partcopy-sessions';

export const SESSION_DIR_OPTION: OptionSpecs = {
  'session-dir': {
    type: 'string',
    value: 'DIR',
    description: `folder of copy sessions (default $${SESSION_DIR_ENV}, else ./${DEFAULT_SESSION_DIR})`,
  },
};

export function sessionStore(ctx: CommandContext): FileSessionStore {
  const dir = ctx.string('session-dir') ?? (ctx.io.env[SESSION_DIR_ENV] || DEFAULT_SESSION_DIR);
  return new FileSessionStore(resolve(ctx.io.cwd, dir));
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
