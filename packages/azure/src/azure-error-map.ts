/**
 * THE Azure error table: every failure of an Azure call becomes a PartCopyError here, HTTP status
 * first, then Azure's error code (`x-ms-error-code`, which HEAD responses carry only as a header).
 * The SDK's own error is never attached as `cause`: its request holds the copy-source URL, whose
 * SAS must not reach a log. A sanitised summary is attached instead.
 */
import {
  abortedError,
  type ErrorCode,
  type ErrorContext,
  isErrorCode,
  PartCopyError,
  redactSecrets,
} from '@partcopy/core/provider';

/** One row: Azure status and code to core code, and whether a retry may succeed. */
export interface AzureErrorRow {
  status: number;
  /** Azure error code; `*` matches any code with that status. */
  azureCode: string;
  code: ErrorCode;
  retryable: boolean;
}

/** The table, most specific rows first. Documented in the package README. */
export const AZURE_ERROR_TABLE: readonly AzureErrorRow[] = [
  { status: 400, azureCode: 'InvalidBlockList', code: 'InvalidPart', retryable: false },
  { status: 400, azureCode: 'InvalidBlobOrBlock', code: 'InvalidRequest', retryable: false },
  { status: 400, azureCode: 'InvalidBlockId', code: 'InvalidArgument', retryable: false },
  { status: 400, azureCode: 'Md5Mismatch', code: 'BadDigest', retryable: false },
  { status: 400, azureCode: 'InvalidMd5', code: 'InvalidDigest', retryable: false },
  { status: 400, azureCode: 'Crc64Mismatch', code: 'BadDigest', retryable: false },
  { status: 400, azureCode: 'InvalidResourceName', code: 'InvalidBucketName', retryable: false },
  { status: 400, azureCode: 'OutOfRangeInput', code: 'InvalidArgument', retryable: false },
  { status: 400, azureCode: 'InvalidMetadata', code: 'InvalidArgument', retryable: false },
  { status: 400, azureCode: 'InvalidHeaderValue', code: 'InvalidArgument', retryable: false },
  { status: 400, azureCode: 'InvalidQueryParameterValue', code: 'InvalidArgument', retryable: false },
  { status: 400, azureCode: 'InvalidTag', code: 'InvalidArgument', retryable: false },
  { status: 400, azureCode: 'RequestBodyTooLarge', code: 'EntityTooLarge', retryable: false },
  { status: 400, azureCode: 'BlockCountExceedsLimit', code: 'EntityTooLarge', retryable: false },
  { status: 400, azureCode: 'BlockListTooLong', code: 'EntityTooLarge', retryable: false },
  { status: 400, azureCode: 'MissingRequiredHeader', code: 'InvalidRequest', retryable: false },
  { status: 400, azureCode: '*', code: 'InvalidRequest', retryable: false },
  { status: 401, azureCode: '*', code: 'AccessDenied', retryable: false },
  // Put Block From URL reports a source it could not read as 403 CannotVerifyCopySource, with the
  // source's own status in the message; a source we checked a moment ago that is now gone or
  // changed is reported by status below when Azure passes it through.
  { status: 403, azureCode: 'CannotVerifyCopySource', code: 'AccessDenied', retryable: false },
  { status: 403, azureCode: '*', code: 'AccessDenied', retryable: false },
  { status: 404, azureCode: 'ContainerNotFound', code: 'NoSuchBucket', retryable: false },
  { status: 404, azureCode: 'BlobNotFound', code: 'NoSuchKey', retryable: false },
  { status: 404, azureCode: 'CannotVerifyCopySource', code: 'NoSuchKey', retryable: false },
  { status: 404, azureCode: '*', code: 'NoSuchKey', retryable: false },
  { status: 409, azureCode: 'ContainerAlreadyExists', code: 'BucketAlreadyOwnedByYou', retryable: false },
  { status: 409, azureCode: 'ContainerBeingDeleted', code: 'ConditionalRequestConflict', retryable: true },
  // Azure answers a failed If-None-Match: * on a write with 409; S3 answers 412.
  { status: 409, azureCode: 'BlobAlreadyExists', code: 'PreconditionFailed', retryable: false },
  { status: 409, azureCode: 'BlobArchived', code: 'InvalidObjectState', retryable: false },
  { status: 409, azureCode: 'BlobBeingRehydrated', code: 'InvalidObjectState', retryable: false },
  { status: 409, azureCode: 'BlockCountExceedsLimit', code: 'EntityTooLarge', retryable: false },
  { status: 409, azureCode: 'LeaseIdMissing', code: 'AccessDenied', retryable: false },
  { status: 409, azureCode: 'LeaseAlreadyPresent', code: 'AccessDenied', retryable: false },
  { status: 409, azureCode: '*', code: 'ConditionalRequestConflict', retryable: false },
  { status: 411, azureCode: '*', code: 'MissingContentLength', retryable: false },
  { status: 412, azureCode: '*', code: 'PreconditionFailed', retryable: false },
  { status: 413, azureCode: '*', code: 'EntityTooLarge', retryable: false },
  { status: 416, azureCode: '*', code: 'InvalidRange', retryable: false },
  { status: 500, azureCode: 'OperationTimedOut', code: 'RequestTimeout', retryable: true },
  { status: 500, azureCode: '*', code: 'InternalError', retryable: true },
  { status: 501, azureCode: '*', code: 'NotImplemented', retryable: false },
  // Gateways in front of the service; S3 and GCS adapters answer these the same way.
  { status: 502, azureCode: '*', code: 'ServiceUnavailable', retryable: true },
  { status: 503, azureCode: 'ServerBusy', code: 'SlowDown', retryable: true },
  { status: 503, azureCode: '*', code: 'ServiceUnavailable', retryable: true },
  { status: 504, azureCode: '*', code: 'ServiceUnavailable', retryable: true },
];

/** What the table needs from an SDK error. */
interface AzureErrorShape {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  details?: { errorCode?: string };
  response?: { headers?: { get?: (name: string) => string | undefined } };
}

/** Azure's error code of an SDK error (body code, or the `x-ms-error-code` header). */
export function azureErrorCode(error: unknown): string | undefined {
  const e = error as AzureErrorShape | undefined;
  const header = e?.response?.headers?.get?.('x-ms-error-code');
  return (
    header ??
    e?.details?.errorCode ??
    (typeof e?.code === 'string' && /^[A-Z][a-z]/.test(e.code) ? e.code : undefined)
  );
}

/** Looks a status and code up in the table. */
export function lookupAzureError(status: number, azureCode: string | undefined): AzureErrorRow | undefined {
  return (
    AZURE_ERROR_TABLE.find((row) => row.status === status && row.azureCode === azureCode) ??
    AZURE_ERROR_TABLE.find((row) => row.status === status && row.azureCode === '*')
  );
}

/**
 * Maps anything an Azure call threw into a PartCopyError with `context`. PartCopyErrors pass
 * through (with the context added); aborts become `RequestAborted`; transport failures are
 * retryable `ServiceUnavailable`.
 */
export function mapAzureError(error: unknown, context: ErrorContext, signal?: AbortSignal): PartCopyError {
  if (PartCopyError.isInstance(error)) return error.withContext(context);
  // A request body's own check (Content-MD5, length) failed while the SDK was sending it: the
  // SDK rethrows it as a RestError with the same message and code and no status, and that code
  // (BadDigest...) is the answer, not a transport failure.
  const sent = error as { statusCode?: unknown; code?: unknown; message?: string } | undefined;
  if (sent?.statusCode === undefined && isErrorCode(sent?.code)) {
    return new PartCopyError(sent.code, firstLine(sent.message) || sent.code, {
      ...context,
      retryable: false,
    });
  }
  const e = (error ?? {}) as AzureErrorShape;
  if (e.name === 'AbortError' || signal?.aborted) return abortedError(signal, context);
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const azureCode = azureErrorCode(error);
  const message = firstLine(e.message) || azureCode || 'Azure request failed';
  const cause = sanitisedCause(e, azureCode);
  if (status === undefined) {
    const mapping = withoutResponse(e);
    return new PartCopyError(mapping.code, `Azure request failed before a response: ${message}`, {
      ...context,
      retryable: mapping.retryable,
      providerCode: typeof e.code === 'string' ? e.code : undefined,
      cause,
    });
  }
  const row = lookupAzureError(status, azureCode);
  const code = row?.code ?? (status >= 500 ? 'InternalError' : 'InvalidRequest');
  return new PartCopyError(code, `${azureCode ?? `HTTP ${status}`}: ${message}`, {
    ...context,
    status: code === 'PreconditionFailed' ? 412 : status,
    retryable: row?.retryable ?? status >= 500,
    providerCode: azureCode,
    cause,
  });
}

/** Credential failures of `@azure/identity` (getToken for a bearer copy source). */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
]);

/**
 * A failure with no HTTP answer: socket trouble (Node `E...` codes, the SDK's
 * `REQUEST_SEND_ERROR`, timeouts) may heal on retry; a credential that yields no token is
 * `AccessDenied`; anything else failed inside this process (configuration, a body stream) and
 * will not heal by repeating it.
 */
function withoutResponse(e: AzureErrorShape): { code: ErrorCode; retryable: boolean } {
  const code = typeof e.code === 'string' ? e.code : '';
  if (e.name === 'TimeoutError' || code === 'ETIMEDOUT') return { code: 'RequestTimeout', retryable: true };
  if (code === 'REQUEST_SEND_ERROR' || /^E[A-Z]+$/.test(code))
    return { code: 'ServiceUnavailable', retryable: true };
  // A response that arrived cut short parses badly; the request itself may well succeed again.
  if (code === 'PARSE_ERROR') return { code: 'InternalError', retryable: true };
  if (e.name !== undefined && CREDENTIAL_ERRORS.has(e.name))
    return { code: 'AccessDenied', retryable: false };
  return { code: 'InternalError', retryable: false };
}

function firstLine(text: string | undefined): string {
  return redactSecrets((text ?? '').split('\n')[0]?.trim() ?? '');
}

function sanitisedCause(e: AzureErrorShape, azureCode: string | undefined): Error {
  const summary = new Error(redactSecrets(e.message ?? ''));
  summary.name = `Azure${e.name ?? 'Error'}`;
  Object.assign(summary, { statusCode: e.statusCode, azureCode });
  return summary;
}
