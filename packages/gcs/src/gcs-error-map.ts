import { type ErrorCode, type ErrorContext, PartCopyError } from '@partcopy/core/provider';
import { GcsHttpError } from './gcs-json-api.js';

/** Provider name used in errors. */
export const GCS_PROVIDER_NAME = 'gcs';

/** What a GCS answer means for the object a request was about, when the status alone is ambiguous. */
export interface NotFoundMeaning {
  /** Code for a 404 about the object (`NoSuchKey`, `NoSuchUpload`, `NoSuchVersion`, ...). */
  notFound?: ErrorCode;
  /** Code for a 409 (bucket creation, bucket deletion). */
  conflict?: ErrorCode;
}

interface Rule {
  status: number;
  /** `errors[0].reason` of the JSON body; absent matches any. */
  reason?: string | RegExp;
  /** Matched against the message when the reason alone does not decide. */
  message?: RegExp;
  code: ErrorCode | ((meaning: NotFoundMeaning) => ErrorCode);
  retryable?: boolean;
}

/**
 * THE error table: HTTP status first, then GCS's reason (and message where GCS reuses a reason),
 * first match wins. Sources: https://cloud.google.com/storage/docs/json_api/v1/status-codes and
 * https://cloud.google.com/storage/docs/encryption/customer-supplied-keys (CSEK errors).
 */
const RULES: readonly Rule[] = [
  // Customer-supplied keys: S3 answers a missing SSE-C key with 400 InvalidRequest and a wrong
  // one with 403 AccessDenied.
  { status: 400, reason: 'resourceIsEncryptedWithCustomerEncryptionKey', code: 'InvalidRequest' },
  { status: 400, reason: 'resourceNotEncryptedWithCustomerEncryptionKey', code: 'InvalidRequest' },
  { status: 400, reason: 'customerEncryptionKeySha256IsInvalid', code: 'AccessDenied' },
  { status: 400, message: /encryption key.*(incorrect|does not match)/i, code: 'AccessDenied' },
  // An md5Hash sent with an upload that does not match the bytes (S3: BadDigest).
  { status: 400, message: /md5|hash.*(match|mismatch)/i, code: 'BadDigest' },
  { status: 400, reason: 'invalidStorageClass', code: 'InvalidArgument' },
  {
    status: 400,
    reason: /^(invalid|invalidArgument|badRequest|required|invalidParameter)$/,
    code: 'InvalidArgument',
  },
  { status: 400, code: 'InvalidRequest' },
  { status: 401, code: 'AccessDenied' },
  // Retention policies and holds block deletion and overwrite; S3's object-lock analogue is a
  // state error, so say so instead of a bare AccessDenied.
  { status: 403, reason: 'retentionPolicyNotMet', code: 'InvalidObjectState' },
  {
    status: 403,
    message: /under active (event-based|temporary) hold|retention polic|object retention/i,
    code: 'InvalidObjectState',
  },
  { status: 403, code: 'AccessDenied' },
  // Only GCS's own sentence: object names appear in other 404 messages and may say anything.
  { status: 404, message: /^The specified bucket does not exist/i, code: 'NoSuchBucket' },
  { status: 404, code: (meaning) => meaning.notFound ?? 'NoSuchKey' },
  { status: 408, code: 'RequestTimeout' },
  { status: 409, message: /already own/i, code: 'BucketAlreadyOwnedByYou' },
  { status: 409, message: /not empty/i, code: 'BucketNotEmpty' },
  { status: 409, code: (meaning) => meaning.conflict ?? 'ConditionalRequestConflict' },
  { status: 411, code: 'MissingContentLength' },
  { status: 412, code: 'PreconditionFailed' },
  { status: 413, code: 'EntityTooLarge' },
  { status: 416, code: 'InvalidRange' },
  { status: 429, code: 'SlowDown', retryable: true },
  { status: 500, code: 'InternalError', retryable: true },
  { status: 501, code: 'NotImplemented' },
  { status: 502, code: 'ServiceUnavailable', retryable: true },
  { status: 503, code: 'ServiceUnavailable', retryable: true },
  { status: 504, code: 'ServiceUnavailable', retryable: true },
];

function matches(rule: Rule, error: GcsHttpError): boolean {
  if (rule.status !== error.status) return false;
  if (rule.reason !== undefined) {
    const reason = error.reason ?? '';
    if (typeof rule.reason === 'string' ? rule.reason !== reason : !rule.reason.test(reason)) return false;
  }
  return rule.message === undefined || rule.message.test(error.message);
}

/** The partcopy code for a GCS error answer. */
export function gcsErrorCode(
  error: GcsHttpError,
  meaning: NotFoundMeaning = {},
): { code: ErrorCode; retryable?: boolean } {
  const rule = RULES.find((candidate) => matches(candidate, error));
  if (!rule)
    return { code: error.status >= 500 ? 'InternalError' : 'InvalidRequest', retryable: error.status >= 500 };
  const code = typeof rule.code === 'function' ? rule.code(meaning) : rule.code;
  return rule.retryable === undefined ? { code } : { code, retryable: rule.retryable };
}

/**
 * Turns anything thrown while talking to GCS into a {@link PartCopyError} with the operation's
 * context. Partcopy errors keep their code; a fired signal gives `RequestAborted`; failures
 * without an answer are mapped as a network failure: retryable `ServiceUnavailable`.
 */
export function toPartCopyError(
  error: unknown,
  context: ErrorContext,
  meaning: NotFoundMeaning = {},
  signal?: AbortSignal,
): PartCopyError {
  const full: ErrorContext = { provider: GCS_PROVIDER_NAME, ...context };
  if (PartCopyError.isInstance(error)) return error.withContext(full);
  if (error instanceof GcsHttpError) {
    const { code, retryable } = gcsErrorCode(error, meaning);
    const why = error.reason ? `${error.reason}: ${error.message}` : error.message;
    return new PartCopyError(code, `GCS answered ${error.status} (${why})`, {
      ...full,
      status: error.status,
      providerCode: error.reason,
      cause: error,
      ...(retryable === undefined ? {} : { retryable }),
    });
  }
  if (signal?.aborted) {
    return new PartCopyError('RequestAborted', 'the operation was aborted', {
      ...full,
      retryable: false,
      cause: signal.reason,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const { code, retryable } = withoutAnswer(error);
  return new PartCopyError(code, `request to GCS failed before an answer: ${message}`, {
    ...full,
    retryable,
    ...(systemCode(error) === undefined ? {} : { providerCode: systemCode(error) }),
    cause: error,
  });
}

/**
 * A failure with no HTTP answer, as the S3 and Azure providers map it: timeouts are retryable
 * `RequestTimeout`; socket trouble (fetch's "fetch failed" / "terminated" TypeErrors, Node `E...`
 * and undici `UND_ERR_...` codes) is retryable `ServiceUnavailable`; anything else failed inside
 * this process (a bug, a body stream, configuration) and is `InternalError`, which a retry will
 * not heal.
 */
function withoutAnswer(error: unknown): { code: ErrorCode; retryable: boolean } {
  const code = systemCode(error) ?? '';
  if ((error instanceof Error && error.name === 'TimeoutError') || TIMEOUT_CODES.has(code))
    return { code: 'RequestTimeout', retryable: true };
  if (/^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return { code: 'ServiceUnavailable', retryable: true };
  if (error instanceof TypeError && /^(fetch failed|terminated)$/.test(error.message))
    return { code: 'ServiceUnavailable', retryable: true };
  return { code: 'InternalError', retryable: false };
}

const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The Node or undici error code of a failure, or of its cause (fetch wraps socket errors). */
function systemCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/** True for a GCS answer with this status. */
export function isStatus(error: unknown, status: number): error is GcsHttpError {
  return error instanceof GcsHttpError && error.status === status;
}
