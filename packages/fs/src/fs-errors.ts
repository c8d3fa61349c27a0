import { isAbsolute, relative, sep } from 'node:path';
import { abortedError, type ErrorContext, PartCopyError } from '@partcopy/core/provider';

/** Node's error shape for failed file system calls. */
type SystemError = Error & { code?: string; path?: string };

/** True for "that path does not exist". */
export function isNotFound(error: unknown): boolean {
  // ENOTDIR (a file or link where a folder should be) is NOT "missing": treating it so made the key
  // lock spin forever (issue 13). It is reported as an unsafe entry instead.
  return (error as SystemError | undefined)?.code === 'ENOENT';
}

/** True when a path is already taken (exclusive create, rename onto a non-empty folder). */
export function isAlreadyExists(error: unknown): boolean {
  const code = (error as SystemError | undefined)?.code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}

/** A key rewritten so often that a reader never found a version still there: retry later. */
export function retryLater(bucket: string | undefined, key: string): PartCopyError {
  return new PartCopyError(
    'SlowDown',
    'the key is being rewritten too often to read a stable version; retry',
    {
      bucket,
      key,
    },
  );
}

/**
 * Something the store did not create stands where it keeps its own folder or file: a symbolic
 * link, a file instead of a folder, a folder instead of a file. The store never follows or
 * replaces it; {@link toPartCopyError} turns this into a non-retryable `InternalError`.
 */
export class UnsafeEntryError extends Error {
  readonly path: string;
  readonly found: string;
  readonly expected: 'folder' | 'file';

  constructor(path: string, found: string, expected: 'folder' | 'file') {
    super(`${found} where the store expects a ${expected}`);
    this.name = 'UnsafeEntryError';
    this.path = path;
    this.found = found;
    this.expected = expected;
  }
}

/**
 * The one mapping from anything thrown inside this provider to a {@link PartCopyError}: our own
 * errors get the operation's context, an abort becomes `RequestAborted`, an entry the store will
 * not use (a link, a file where a folder belongs) becomes a non-retryable `InternalError` naming
 * the path relative to `root`, and other file system failures (disk full, permissions, ...)
 * become `InternalError` carrying the errno code, with a path-free message.
 */
export function toPartCopyError(
  error: unknown,
  context: ErrorContext,
  signal?: AbortSignal,
  root?: string,
): PartCopyError {
  if (PartCopyError.isInstance(error)) return error.withContext(context);
  if (signal?.aborted || (error as SystemError | undefined)?.name === 'AbortError')
    return abortedError(signal, context);
  const unsafe = unsafeEntry(error, root);
  if (unsafe) return unsafeEntryError(unsafe, context, error);
  const code = (error as SystemError | undefined)?.code;
  // Only errno failures are the file system's; anything else is a fault in this provider, and
  // saying "file system error" would send the reader looking at the disk (issue 13, defect 5).
  if (typeof code !== 'string') return unexpectedError(error, context);
  const retryable = code === 'EBUSY' || code === 'EAGAIN' || code === 'EMFILE' || code === 'ENFILE';
  return new PartCopyError('InternalError', `local file system error (${code})`, {
    ...context,
    retryable,
    providerCode: code,
    cause: error,
  });
}

// The error's class only (a message can quote stored data, e.g. JSON.parse's); the cause keeps it.
function unexpectedError(error: unknown, context: ErrorContext): PartCopyError {
  const name = error instanceof Error ? error.name : typeof error;
  return new PartCopyError(
    'InternalError',
    `unexpected error in the fs provider (${name}), not a file system failure`,
    {
      ...context,
      retryable: false,
      cause: error,
    },
  );
}

interface UnsafeEntry {
  where: string;
  description: string;
  providerCode: 'ELOOP' | 'ENOTDIR';
}

// Our own check, or the kernel's: ELOOP from an O_NOFOLLOW open of a link, ENOTDIR when a file
// or a link to one stands on a path where a folder belongs.
function unsafeEntry(error: unknown, root: string | undefined): UnsafeEntry | undefined {
  if (error instanceof UnsafeEntryError) {
    return {
      where: shown(error.path, root),
      description: `is a ${error.found} where the store keeps its own ${error.expected}`,
      providerCode: error.found === 'symbolic link' ? 'ELOOP' : 'ENOTDIR',
    };
  }
  const { code, path } = (error ?? {}) as SystemError;
  if (typeof path !== 'string') return undefined;
  if (code === 'ELOOP')
    return { where: shown(path, root), description: 'is a symbolic link', providerCode: 'ELOOP' };
  if (code === 'ENOTDIR') {
    return {
      where: shown(path, root),
      description: 'passes through a file or symbolic link where the store keeps a folder',
      providerCode: 'ENOTDIR',
    };
  }
  return undefined;
}

function unsafeEntryError(entry: UnsafeEntry, context: ErrorContext, cause: unknown): PartCopyError {
  return new PartCopyError(
    'InternalError',
    `"${entry.where}" in the fs store's root ${entry.description}; the store never follows links ` +
      `or uses entries it did not create (see the @partcopy/fs README, "What the store trusts"): ` +
      'move it away to use this bucket or key again',
    { ...context, retryable: false, providerCode: entry.providerCode, cause },
  );
}

// The path relative to the root (never the absolute path: local detail stays out of logs).
function shown(path: string, root: string | undefined): string {
  if (root === undefined) return '(a path inside the root)';
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return '(a path outside the root)';
  return rel.split(sep).join('/');
}
