import { type ErrorCode, type ErrorContext, PartCopyError, throwIfAborted } from '@partcopy/core/provider';

/** The provider name used in errors. */
export const MEMORY_PROVIDER_NAME = 'memory';

/** A {@link PartCopyError} carrying the operation's context. */
export function memoryError(
  code: ErrorCode,
  message: string,
  context: ErrorContext,
  extra: { providerCode?: string; status?: number } = {},
): PartCopyError {
  return new PartCopyError(code, message, { ...context, ...extra });
}

/** Stops with `RequestAborted` (with context) when the caller's signal has fired. */
export function checkAborted(signal: AbortSignal, context: ErrorContext): void {
  throwIfAborted(signal, context);
}
