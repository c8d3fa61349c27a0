import { abortedError, type ErrorContext, PartCopyError } from '@partcopy/core/provider';

/** Node's error shape for failed file system calls. */
type SystemError = Error & { code?: string };

/** True for "that path does not exist" (a missing file, or a folder on the way missing). */
export function isNotFound(error: unknown): boolean {
  const code = (error as SystemError | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** True when a path is already taken (exclusive create, rename onto a non-empty folder). */
export function isAlreadyExists(error: unknown): boolean {
  const code = (error as SystemError | undefined)?.code;
  return code === 'EEXIST' || code === 'ENOTEMPTY';
}

/**
 * The one mapping from anything thrown inside this provider to a {@link PartCopyError}: our own
 * errors get the operation's context, an abort becomes `RequestAborted`, and file system
 * failures (disk full, permissions, ...) become `InternalError` carrying the errno code, with the
 * path-free message so no local detail beyond the code leaks into logs.
 */
export function toPartCopyError(error: unknown, context: ErrorContext, signal?: AbortSignal): PartCopyError {
  if (PartCopyError.isInstance(error)) return error.withContext(context);
  if (signal?.aborted || (error as SystemError | undefined)?.name === 'AbortError')
    return abortedError(signal, context);
  const code = (error as SystemError | undefined)?.code;
  const retryable = code === 'EBUSY' || code === 'EAGAIN' || code === 'EMFILE' || code === 'ENFILE';
  return new PartCopyError('InternalError', `local file system error${code ? ` (${code})` : ''}`, {
    ...context,
    retryable,
    ...(code === undefined ? {} : { providerCode: code }),
    cause: error,
  });
}
