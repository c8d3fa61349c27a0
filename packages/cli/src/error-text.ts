/**
 * How a failure reads on the terminal: one line that says what failed, why, and what to do.
 *
 * "Answered" versus "local": a `PartCopyError` always carries a `status` (the S3 status of its
 * code, defaulted by the library), so the status alone cannot tell whether a server said it.
 * The providers keep what the server answered on the error's `cause` (S3:
 * `$metadata.httpStatusCode`, Azure: `statusCode`, GCS: `status`); a failure with no such cause
 * (validation, Ctrl-C, a missing package, a refused connection, the local stores) was decided in
 * this process, and its line shows no HTTP status at all.
 */
import type { PartCopyError } from '@partcopy/core';

/** The HTTP status a server answered with, found on the error's causes; undefined when none answered. */
export function answeredStatus(error: unknown): number | undefined {
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  for (let depth = 0; depth < 5 && typeof cause === 'object' && cause !== null; depth++) {
    const shape = cause as {
      $metadata?: { httpStatusCode?: unknown };
      statusCode?: unknown;
      status?: unknown;
      cause?: unknown;
    };
    for (const value of [shape.$metadata?.httpStatusCode, shape.statusCode, shape.status]) {
      if (typeof value === 'number' && value >= 100 && value < 600) return value;
    }
    cause = shape.cause;
  }
  return undefined;
}

/** What the CLI knows about the store an error came from, for hints (`could not connect to ...`). */
export interface ErrorSetting {
  /** The endpoint the store was opened with, when one was given. */
  endpoint?: string | undefined;
}

/** The text after `partcopy: ` for an operation's error: code, why, the store's own code, and a hint. */
export function operationErrorText(error: PartCopyError, setting: ErrorSetting = {}): string {
  const status = answeredStatus(error);
  const hint = hintFor(error, setting);
  const why = hint?.replaces ? hint.text : describeWhy(error);
  const storeCode = status !== undefined ? ownStoreCode(error) : undefined;
  const answered =
    status === undefined ? '' : ` (${storeCode ? `${storeCode}, ` : ''}HTTP ${status} from the store)`;
  const advice = hint && !hint.replaces ? `; ${hint.text}` : '';
  return `${error.code}: ${why}${answered}${advice}`;
}

/** The hint alone, for `--json`. */
export function errorHint(error: PartCopyError, setting: ErrorSetting = {}): string | undefined {
  return hintFor(error, setting)?.text;
}

interface Hint {
  text: string;
  /** The hint says it all: it stands in place of the provider's message. */
  replaces?: boolean;
}

function hintFor(error: PartCopyError, setting: ErrorSetting): Hint | undefined {
  const text = `${error.providerCode ?? ''} ${error.message}`;
  if (/Region is missing|region.*(not|must be) (set|specified)/i.test(text))
    return {
      text: 'no region: pass --region or set AWS_REGION, or give the profile or remote a region',
      replaces: true,
    };
  if (/Unable to detect a Project Id/i.test(text))
    return {
      text: 'no Google Cloud project: set GOOGLE_CLOUD_PROJECT, use credentials that name one (GOOGLE_APPLICATION_CREDENTIALS with project_id), or give the remote project=...',
      replaces: true,
    };
  if (/Could not load the default credentials/i.test(text))
    return {
      text: 'no Google credentials: run "gcloud auth application-default login", set GOOGLE_APPLICATION_CREDENTIALS to a key file, or set STORAGE_EMULATOR_HOST for an emulator',
      replaces: true,
    };
  if (/CredentialsProviderError|Could not load credentials/i.test(text))
    return {
      text: 'Unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile, or add a remote with "partcopy config add"',
      replaces: true,
    };
  if (/ECONNREFUSED/.test(text))
    return {
      text: `could not connect to ${setting.endpoint ?? addressIn(error.message) ?? 'the store'}: is the server running?`,
      replaces: true,
    };
  if (/ENOTFOUND|EAI_AGAIN/.test(text))
    return {
      text: `could not resolve ${hostIn(error.message) ?? setting.endpoint ?? 'the store'}: check --endpoint-url and the network`,
      replaces: true,
    };
  if (/self[- ]signed|unable to verify|CERT_|certificate/i.test(text))
    return { text: `${cleanDetail(error)}: pass --ca-bundle FILE, or --no-verify-ssl to skip the check` };
  if (/InvalidAccessKeyId|SignatureDoesNotMatch|AuthenticationFailed|invalid_grant/.test(text))
    return { text: 'check the access key and secret (or the profile / remote that supplies them)' };
  if (error.code === 'AccessDenied')
    return { text: 'check the credentials and that they may do this on this bucket' };
  if (error.code === 'NoSuchBucket') return { text: 'check the bucket name, or create it with partcopy mb' };
  return undefined;
}

// Code-specific words for an answer that carried no message (S3's HEAD 404 has no body).
const DEFAULT_WHY: Partial<Record<string, string>> = {
  NoSuchKey: 'the object does not exist',
  NoSuchBucket: 'the bucket does not exist',
  NoSuchUpload: 'the upload does not exist (completed, aborted or never started)',
  NoSuchVersion: 'the version does not exist',
  AccessDenied: 'access denied',
  PreconditionFailed: 'a condition did not hold',
  InvalidRange: 'the range is outside the object',
};

function describeWhy(error: PartCopyError): string {
  const detail = cleanDetail(error);
  return detail || DEFAULT_WHY[error.code] || error.code;
}

// Provider messages carry the SDK's wording: `headObject failed: NotFound (HTTP 404): UnknownError`
// (S3), `Azure request failed before a response: ...`. The CLI shows the status itself and never
// an SDK class name, so those parts go.
function cleanDetail(error: PartCopyError): string {
  let text = error.message;
  const s3 = /^\w+ failed: \S+ \(HTTP [^)]*\): ([\s\S]*)$/.exec(text);
  if (s3) text = s3[1] as string;
  text = text.replace(/^Azure request failed before a response: /, '');
  text = text.replace(/^request to GCS failed before an answer: /, '');
  text = text.replace(/\b[A-Z][A-Za-z]*(?:Error|Exception)\b:?\s*/g, (match) =>
    match.startsWith('KeyTooLongError') ? match : '',
  );
  // One line: SDK messages may span several.
  text = text.replace(/\s*\n\s*/g, ' ').trim();
  if (/^(?:Unknown|UnknownError|error|null|undefined)?$/i.test(text) || text === error.providerCode)
    return '';
  return text;
}

// The provider's own code, shown next to the status when it adds something: not the partcopy
// code again, not an SDK class name, not a Node errno.
function ownStoreCode(error: PartCopyError): string | undefined {
  const code = error.providerCode;
  if (!code || code === error.code) return undefined;
  if (/(?:Error|Exception)$/.test(code) || /^Unknown/.test(code) || /^E[A-Z]+$/.test(code)) return undefined;
  return code;
}

function addressIn(message: string): string | undefined {
  return /ECONNREFUSED\s+(\S+)/.exec(message)?.[1];
}

function hostIn(message: string): string | undefined {
  return /(?:ENOTFOUND|EAI_AGAIN)\s+([\w.-]+)/.exec(message)?.[1];
}
