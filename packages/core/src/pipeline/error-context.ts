/**
 * The error-context layer: every failure of a facade call, validation and capability refusals
 * included, leaves the client as one `PartCopyError` that names the provider, the operation and
 * the objects involved. Context is added here and nowhere else.
 */
import {
  abortedError,
  type ErrorContext,
  type OperationName,
  PartCopyError,
  redactSecrets,
} from '../errors/part-copy-error.js';

/** The objects a call names, as far as they are known. */
export interface CallTarget {
  bucket?: string | undefined;
  key?: string | undefined;
  uploadId?: string | undefined;
  partNumber?: number | undefined;
  sourceBucket?: string | undefined;
  sourceKey?: string | undefined;
}

/** Any failure as a `PartCopyError`; never leaks a secret. */
export function toPartCopyError(
  raw: unknown,
  signal: AbortSignal | undefined,
  provider: string,
): PartCopyError {
  if (PartCopyError.isInstance(raw)) return raw;
  if (signal?.aborted) return abortedError(signal);
  const message = raw instanceof Error ? raw.message : String(raw);
  return new PartCopyError(
    'InternalError',
    `unexpected failure in provider ${provider}: ${redactSecrets(message)}`,
    {
      retryable: false,
      cause: raw,
    },
  );
}

/**
 * The context of a call, from its normalised target when normalisation got that far, else from
 * the raw input (only well-typed fields: the input may be what failed validation).
 */
export function errorContext(
  provider: string,
  operation: OperationName,
  target: CallTarget | undefined,
  input: object,
): ErrorContext {
  const raw = input as Partial<Record<string, unknown>>;
  const pick = (name: keyof CallTarget, type: 'string' | 'number'): unknown => {
    const value = target?.[name] ?? raw[name];
    if (type === 'number') return Number.isInteger(value) ? value : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const context: ErrorContext = { provider, operation };
  for (const name of ['bucket', 'key', 'uploadId', 'sourceBucket', 'sourceKey'] as const) {
    const value = pick(name, 'string');
    if (value !== undefined) context[name] = value as string;
  }
  const partNumber = pick('partNumber', 'number');
  if (partNumber !== undefined) context.partNumber = partNumber as number;
  return context;
}
