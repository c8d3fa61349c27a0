/**
 * One error class for every provider, with a closed set of codes named after S3's.
 *
 * Providers map their SDK's errors into these codes in one table each; the facade wraps
 * anything else as `InternalError`. `PartCopyError.isInstance` recognises errors by a
 * `Symbol.for` marker so the check survives two copies of this package in one process.
 */

import { safeCause } from './safe-cause.js';
import { redactSecrets } from './secret-patterns.js';

export { redactSecrets };

/** Every code a partcopy operation can fail with. S3 names, plus `Unsupported`. */
export const ERROR_CODES = {
  AccessDenied: 403,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  ConditionalRequestConflict: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidObjectState: 403,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  KeyTooLongError: 400,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestAborted: 499,
  RequestTimeout: 400,
  ServiceUnavailable: 503,
  SlowDown: 503,
  Unsupported: 501,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The multipart/object operations partcopy exposes, used as error and event context. */
export type OperationName =
  | 'createBucket'
  | 'deleteBucket'
  | 'createMultipartUpload'
  | 'uploadPart'
  | 'uploadPartCopy'
  | 'copyObject'
  | 'composeObject'
  | 'discardComposeProgress'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
  | 'listParts'
  | 'listMultipartUploads'
  | 'headObject'
  | 'getObject'
  | 'putObject'
  | 'deleteObject'
  | 'listObjects'
  | 'putBucketVersioning'
  | 'getBucketVersioning'
  | 'listObjectVersions'
  | 'listBuckets'
  | 'putBucketEncryption'
  | 'getBucketEncryption'
  | 'deleteBucketEncryption'
  | 'presignGetObject'
  | 'uploadPartFromUrl'
  | 'collectStoreGarbage'
  | 'resolve';

/** Where an error happened. Never holds a secret: no keys, tokens or signed URLs. */
export interface ErrorContext {
  provider?: string;
  operation?: OperationName;
  bucket?: string;
  key?: string;
  uploadId?: string;
  partNumber?: number;
  sourceBucket?: string;
  sourceKey?: string;
  sourceVersionId?: string;
}

export interface PartCopyErrorOptions extends ErrorContext {
  /** HTTP status; defaults to the code's usual S3 status. */
  status?: number;
  /** Whether repeating the same request may succeed. Defaults by code. */
  retryable?: boolean;
  /** The provider's own error code (e.g. Azure's `BlobNotFound`), for diagnostics. */
  providerCode?: string;
  cause?: unknown;
}

const MARKER = Symbol.for('partcopy.error');

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
]);

export class PartCopyError extends Error {
  /** Marker read by {@link PartCopyError.isInstance}; survives duplicate package copies. */
  readonly [MARKER] = true;
  override readonly name = 'PartCopyError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly providerCode: string | undefined;
  readonly context: Readonly<ErrorContext>;

  constructor(code: ErrorCode, message: string, options: PartCopyErrorOptions = {}) {
    const { status, retryable, providerCode, cause, ...context } = options;
    super(redactSecrets(message), cause === undefined ? undefined : { cause: safeCause(cause) });
    this.code = code;
    this.status = status ?? ERROR_CODES[code];
    this.retryable = retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.providerCode = providerCode;
    this.context = Object.freeze(dropUndefined(context));
  }

  get provider(): string | undefined {
    return this.context.provider;
  }
  get operation(): OperationName | undefined {
    return this.context.operation;
  }
  get bucket(): string | undefined {
    return this.context.bucket;
  }
  get key(): string | undefined {
    return this.context.key;
  }
  get uploadId(): string | undefined {
    return this.context.uploadId;
  }
  get partNumber(): number | undefined {
    return this.context.partNumber;
  }

  /** True for any partcopy error, even one created by another copy of this package. */
  static isInstance(value: unknown): value is PartCopyError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** True when `value` is a partcopy error with the given code. */
  static hasCode(value: unknown, code: ErrorCode): value is PartCopyError {
    return PartCopyError.isInstance(value) && value.code === code;
  }

  /** A copy of this error with more context filled in (existing fields win). */
  withContext(context: ErrorContext): PartCopyError {
    const merged = new PartCopyError(this.code, this.message, {
      ...context,
      ...this.context,
      status: this.status,
      retryable: this.retryable,
      providerCode: this.providerCode,
      cause: this.cause,
    });
    merged.stack = this.stack;
    return merged;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      retryable: this.retryable,
      providerCode: this.providerCode,
      message: this.message,
      ...this.context,
    };
  }
}

/** Is this an error code partcopy knows? */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** Shorthand for the error every provider throws for what it cannot do. */
export function unsupported(what: string, context: ErrorContext = {}): PartCopyError {
  return new PartCopyError(
    'Unsupported',
    `${context.provider ?? 'this provider'} does not support ${what}`,
    context,
  );
}

/** The error to throw when an AbortSignal fired. */
export function abortedError(signal: AbortSignal | undefined, context: ErrorContext = {}): PartCopyError {
  const reason: unknown = signal?.reason;
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted';
  return new PartCopyError('RequestAborted', `the operation was aborted (${why})`, {
    ...context,
    retryable: false,
    cause: reason,
  });
}

/** Throws {@link abortedError} when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, context: ErrorContext = {}): void {
  if (signal?.aborted) throw abortedError(signal, context);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A value as an error message shows it, for any value a caller may pass: strings quoted (so `"2"`
 * is not mistaken for 2), objects named by kind. Never throws (`String()` does for objects
 * without a prototype) and never prints an object's contents, which may hold a secret.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value === null || value === undefined) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : value.toISOString();
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
