/**
 * S3 can answer CopyObject, UploadPartCopy and CompleteMultipartUpload with `200 OK` and an
 * `<Error>` body (the error happened after the status line was sent). The SDK's
 * `throw200ExceptionsMiddleware` rewrites such answers to 503 so they deserialize as errors; older
 * SDK versions rewrote them to 400, which made an embedded `InternalError` non-retryable. This
 * module remembers the status the server really sent, per response, so the error map can say
 * "returned inside a 200 response" and the provider can retry those errors itself.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html (Special errors)
 */

const originalStatus = new WeakMap<object, number>();

/** True when the response an SDK error carries (`$response`) was really a 2xx answer. */
export function wasEmbeddedError(response: unknown): boolean {
  if (typeof response !== 'object' || response === null) return false;
  const status = originalStatus.get(response);
  return status !== undefined && status >= 200 && status < 300;
}

interface RawResult {
  response?: unknown;
}
type Next = (args: unknown) => Promise<RawResult>;
interface CommandWithStack {
  middlewareStack: {
    addRelativeTo(middleware: unknown, options: Record<string, unknown>): void;
  };
}

// Sits between the SDK's throw200 middleware and the wire, so it sees the status as sent.
const recordStatus = (next: Next) => async (args: unknown) => {
  const result = await next(args);
  const response = result.response as { statusCode?: unknown } | undefined;
  if (typeof response === 'object' && response !== null && typeof response.statusCode === 'number') {
    originalStatus.set(response, response.statusCode);
  }
  return result;
};

/**
 * Adds the status recorder to one command (not to the client, which may be the caller's).
 * Only for commands that carry the SDK's throw200 middleware: UploadPartCopy, CompleteMultipartUpload.
 */
export function recordEmbeddedErrors<C>(command: C): C {
  (command as unknown as CommandWithStack).middlewareStack.addRelativeTo(recordStatus, {
    relation: 'after',
    toMiddleware: 'throw200ExceptionsMiddleware',
    name: 'partcopyRecordStatusMiddleware',
    override: true,
  });
  return command;
}
