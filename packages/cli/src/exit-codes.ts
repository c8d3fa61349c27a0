import { type ErrorCode, PartCopyError } from '@partcopy/core';
import { UsageError } from './usage-error.js';

/**
 * The process exit codes of `partcopy`. Scripts can tell "not there" and "changed under me"
 * apart from other failures without parsing messages.
 */
export const EXIT_CODES = {
  /** The command did what it was asked. */
  ok: 0,
  /** The operation failed (any `PartCopyError` without a more specific code below, or a bug). */
  failed: 1,
  /** The command line was wrong: unknown command or option, missing or malformed value. */
  usage: 2,
  /** A bucket, object, version or upload does not exist (`NoSuchBucket`, `NoSuchKey`, `NoSuchVersion`, `NoSuchUpload`). */
  notFound: 3,
  /** A condition did not hold (`PreconditionFailed`, `ConditionalRequestConflict`): e.g. the source changed during `cp`. */
  preconditionFailed: 4,
  /** The store cannot do what was asked (`Unsupported`, `NotImplemented`), or its provider package is not installed. */
  unsupported: 5,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM; any upload the command started was aborted. */
  interrupted: 130,
} as const;

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  NoSuchBucket: EXIT_CODES.notFound,
  NoSuchKey: EXIT_CODES.notFound,
  NoSuchVersion: EXIT_CODES.notFound,
  NoSuchUpload: EXIT_CODES.notFound,
  PreconditionFailed: EXIT_CODES.preconditionFailed,
  ConditionalRequestConflict: EXIT_CODES.preconditionFailed,
  Unsupported: EXIT_CODES.unsupported,
  NotImplemented: EXIT_CODES.unsupported,
};

/** The exit code for a command that failed with `error`; `interrupted` wins once the user interrupted. */
export function exitCodeFor(error: unknown, interrupted: boolean): number {
  if (interrupted) return EXIT_CODES.interrupted;
  if (error instanceof UsageError) return EXIT_CODES.usage;
  if (PartCopyError.isInstance(error)) return BY_CODE[error.code] ?? EXIT_CODES.failed;
  return EXIT_CODES.failed;
}
