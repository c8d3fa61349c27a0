/**
 * THE mapping from S3 (and S3-compatible) errors to partcopy's closed codes: HTTP status first,
 * then the S3 error code. Unknown codes fall back to their status row, unknown statuses to their
 * class (4xx, 5xx). Every message is redacted by `PartCopyError` and never quotes a request.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
import {
  abortedError,
  type ErrorCode,
  type ErrorContext,
  isErrorCode,
  PartCopyError,
  redactSecrets,
} from '@partcopy/core/provider';
import { wasEmbeddedError } from './embedded-error.js';

/** The core code an S3 answer maps to, and whether repeating the request may succeed. */
export interface ErrorMapping {
  code: ErrorCode;
  retryable?: boolean;
}

/** How the S3 answers of one HTTP status map to core codes. */
export interface StatusRow {
  /** S3 error code → mapping, for codes that need more than the status says. */
  byCode: Readonly<Record<string, ErrorMapping>>;
  /** Any other code with this status. */
  otherwise: ErrorMapping;
}

/** The table. Codes whose name is already a core code map to themselves unless listed. */
export const S3_ERROR_MAP: Readonly<Record<number, StatusRow>> = {
  400: {
    byCode: {
      // The body does not match the digest sent with it, like S3's BadDigest for Content-MD5.
      XAmzContentSHA256Mismatch: { code: 'BadDigest' },
      InvalidEncryptionAlgorithmError: { code: 'InvalidArgument' },
      InvalidStorageClass: { code: 'InvalidArgument' },
      InvalidTag: { code: 'InvalidArgument' },
      MetadataTooLarge: { code: 'InvalidArgument' },
      TooManyParts: { code: 'InvalidArgument' },
      RequestTimeout: { code: 'RequestTimeout', retryable: true },
      ExpiredToken: { code: 'AccessDenied' },
      AuthorizationHeaderMalformed: { code: 'InvalidRequest' },
      // An embedded InternalError that an older SDK rewrote to 400: still S3's fault.
      InternalError: { code: 'InternalError', retryable: true },
    },
    otherwise: { code: 'InvalidRequest' },
  },
  401: { byCode: {}, otherwise: { code: 'AccessDenied' } },
  403: {
    byCode: {
      InvalidObjectState: { code: 'InvalidObjectState' },
      RequestTimeTooSkewed: { code: 'AccessDenied', retryable: true },
    },
    // SignatureDoesNotMatch, InvalidAccessKeyId, AllAccessDisabled, a HEAD's bodiless "Forbidden", ...
    otherwise: { code: 'AccessDenied' },
  },
  404: {
    byCode: {
      NoSuchBucket: { code: 'NoSuchBucket' },
      NoSuchKey: { code: 'NoSuchKey' },
      NoSuchUpload: { code: 'NoSuchUpload' },
      NoSuchVersion: { code: 'NoSuchVersion' },
    },
    // A HEAD's bodiless "NotFound": the provider asks HeadBucket which of bucket or key is missing.
    otherwise: { code: 'NoSuchKey' },
  },
  // A versionId naming a delete marker (HEAD/GET); UploadPartCopy turns it into InvalidRequest below.
  405: { byCode: {}, otherwise: { code: 'MethodNotAllowed' } },
  409: {
    byCode: {
      BucketAlreadyExists: { code: 'BucketAlreadyExists' },
      BucketAlreadyOwnedByYou: { code: 'BucketAlreadyOwnedByYou' },
      BucketNotEmpty: { code: 'BucketNotEmpty' },
      ConditionalRequestConflict: { code: 'ConditionalRequestConflict', retryable: true },
      // "A conflicting conditional operation is currently in progress against this resource."
      OperationAborted: { code: 'ConditionalRequestConflict', retryable: true },
    },
    otherwise: { code: 'ConditionalRequestConflict' },
  },
  411: { byCode: {}, otherwise: { code: 'MissingContentLength' } },
  412: { byCode: {}, otherwise: { code: 'PreconditionFailed' } },
  // S3 answers 304 only to GET/HEAD conditions partcopy never sends; treat like 412.
  304: { byCode: {}, otherwise: { code: 'PreconditionFailed' } },
  // PermanentRedirect: the bucket lives in another Region or needs another endpoint. Repeating
  // the request to the same endpoint cannot succeed; the configuration must change.
  301: { byCode: {}, otherwise: { code: 'InvalidRequest' } },
  // TemporaryRedirect: S3 still propagating a new bucket's DNS; a later request succeeds.
  307: { byCode: {}, otherwise: { code: 'ServiceUnavailable', retryable: true } },
  // A request the server gave up waiting for (proxies, gateways): sending it again may succeed.
  408: { byCode: {}, otherwise: { code: 'RequestTimeout', retryable: true } },
  416: { byCode: {}, otherwise: { code: 'InvalidRange' } },
  // Rate limiting as S3-compatible stores (R2, Ceph RGW, gateways) answer it; S3 says 503 SlowDown.
  429: { byCode: {}, otherwise: { code: 'SlowDown', retryable: true } },
  499: { byCode: {}, otherwise: { code: 'RequestAborted' } },
  500: { byCode: {}, otherwise: { code: 'InternalError', retryable: true } },
  501: { byCode: {}, otherwise: { code: 'NotImplemented' } },
  502: { byCode: {}, otherwise: { code: 'ServiceUnavailable', retryable: true } },
  503: {
    byCode: {
      SlowDown: { code: 'SlowDown', retryable: true },
      // MinIO's own names for S3's SlowDown ("please reduce your request rate"), answered when a
      // drive cannot serve the read or write in time: throttling, backed off as such.
      SlowDownRead: { code: 'SlowDown', retryable: true },
      SlowDownWrite: { code: 'SlowDown', retryable: true },
      // The SDK rewrites a 200-with-<Error> answer to 503; the code inside decides.
      InternalError: { code: 'InternalError', retryable: true },
    },
    otherwise: { code: 'ServiceUnavailable', retryable: true },
  },
  504: { byCode: {}, otherwise: { code: 'ServiceUnavailable', retryable: true } },
};

/** Errors raised before any answer arrived (sockets, DNS, timeouts). */
const NETWORK_ERRORS: Readonly<Record<string, ErrorMapping>> = {
  TimeoutError: { code: 'RequestTimeout', retryable: true },
  ETIMEDOUT: { code: 'RequestTimeout', retryable: true },
  ECONNRESET: { code: 'ServiceUnavailable', retryable: true },
  ECONNREFUSED: { code: 'ServiceUnavailable', retryable: true },
  EPIPE: { code: 'ServiceUnavailable', retryable: true },
  ENOTFOUND: { code: 'ServiceUnavailable', retryable: true },
  EAI_AGAIN: { code: 'ServiceUnavailable', retryable: true },
};

/** Looks up an S3 answer in {@link S3_ERROR_MAP}: status row first, then the code. */
export function lookupS3Error(status: number | undefined, s3Code: string | undefined): ErrorMapping {
  if (status === undefined) {
    const network = s3Code === undefined ? undefined : NETWORK_ERRORS[s3Code];
    if (network) return network;
    // Other Node system errors (E...) are transient socket trouble; anything else failed inside
    // the client (configuration, endpoint rules, serialization) and will not heal by retrying.
    if (s3Code !== undefined && /^E[A-Z]+$/.test(s3Code))
      return { code: 'ServiceUnavailable', retryable: true };
    return { code: 'InternalError', retryable: false };
  }
  const row = S3_ERROR_MAP[status];
  if (row) {
    const byCode = s3Code === undefined ? undefined : row.byCode[s3Code];
    if (byCode) return byCode;
    // A code that is already a core code with the status S3 gives it (e.g. InvalidPart at 400).
    if (s3Code !== undefined && isErrorCode(s3Code)) return { code: s3Code };
    return row.otherwise;
  }
  if (status >= 500) return { code: 'InternalError', retryable: true };
  if (status >= 400) return { code: 'InvalidRequest' };
  return { code: 'InternalError', retryable: true };
}

/**
 * UploadPartCopy answers as S3 does where servers differ: a range past the end is 400
 * InvalidArgument (MinIO: 416 InvalidRange), a source version that is a delete marker is 400
 * InvalidRequest (MinIO, and S3's own HEAD: 405 MethodNotAllowed).
 */
function copyAdjustment(operation: string | undefined, mapping: ErrorMapping): ErrorMapping {
  if (operation !== 'uploadPartCopy') return mapping;
  if (mapping.code === 'InvalidRange') return { code: 'InvalidArgument' };
  if (mapping.code === 'MethodNotAllowed') return { code: 'InvalidRequest' };
  return mapping;
}

/** What the SDK's errors look like, read defensively. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: unknown;
}

/** Context for a mapped error; `signal` tells an abort apart from a network failure. */
export interface S3ErrorContext extends ErrorContext {
  signal?: AbortSignal;
}

/**
 * Maps anything the SDK threw into a {@link PartCopyError}. Operation-specific adjustments keep
 * S3's answers for UploadPartCopy: servers that answer a copy range past the end with 416
 * `InvalidRange` become S3's `InvalidArgument`.
 */
export function mapS3Error(error: unknown, context: S3ErrorContext): PartCopyError {
  const { signal, ...where } = context;
  if (PartCopyError.isInstance(error)) return error.withContext(where);
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  if (signal?.aborted || sdk.name === 'AbortError') return abortedError(signal, where);

  const status = sdk.$metadata?.httpStatusCode;
  const s3Code =
    sdk.Code ??
    (typeof sdk.code === 'string' ? sdk.code : undefined) ??
    (sdk.name !== 'Error' ? sdk.name : undefined);
  const embedded = wasEmbeddedError(sdk.$response);
  const mapping = copyAdjustment(where.operation, lookupS3Error(status, s3Code));
  // The status of a rewritten 200-with-<Error> or of a remapped range is not the code's own.
  const ownStatus = embedded || mapping.code !== lookupS3Error(status, s3Code).code ? undefined : status;

  const detail =
    typeof sdk.message === 'string' && sdk.message !== '' ? sdk.message : (s3Code ?? 'unknown error');
  const origin = embedded ? ', returned inside a 200 response' : '';
  const message = `${where.operation ?? 'request'} failed: ${s3Code ?? 'error'} (HTTP ${status ?? 'none'}${origin}): ${detail}`;
  const mapped = new PartCopyError(mapping.code, message, {
    ...where,
    status: ownStatus,
    retryable: mapping.retryable,
    providerCode: s3Code,
    cause: sanitizedCause(sdk, s3Code, status),
  });
  if (embedded) embeddedErrors.add(mapped);
  return mapped;
}

const embeddedErrors = new WeakSet<PartCopyError>();

/** True when S3 sent this error inside a 200 answer (UploadPartCopy, CompleteMultipartUpload). */
export function isEmbeddedError(error: unknown): boolean {
  return PartCopyError.isInstance(error) && embeddedErrors.has(error);
}

/**
 * The SDK error as a cause, minus anything that could hold a secret: a server may echo request
 * headers (SSE-C keys) in its message, so the cause carries the redacted message, the code and
 * the request metadata, never the SDK object itself.
 */
function sanitizedCause(sdk: SdkErrorShape, s3Code: string | undefined, status: number | undefined): Error {
  const cause = new Error(redactSecrets(typeof sdk.message === 'string' ? sdk.message : ''));
  cause.name = s3Code ?? 'S3Error';
  const metadata = sdk.$metadata as Record<string, unknown> | undefined;
  Object.assign(cause, {
    $metadata: {
      httpStatusCode: status,
      requestId: metadata?.requestId,
      extendedRequestId: metadata?.extendedRequestId,
    },
  });
  return cause;
}
