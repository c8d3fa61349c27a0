import { inspect } from 'node:util';
import { PartCopyError } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { gcsErrorCode, toPartCopyError } from '../src/gcs-error-map.js';
import { GcsHttpError } from '../src/gcs-json-api.js';

describe('GCS error map', () => {
  const cases: Array<[number, string | undefined, string, string, object?]> = [
    [404, 'notFound', 'No such object: b/k', 'NoSuchKey'],
    [404, 'notFound', 'The specified bucket does not exist.', 'NoSuchBucket'],
    [404, 'notFound', 'Not Found', 'NoSuchUpload', { notFound: 'NoSuchUpload' }],
    [412, 'conditionNotMet', 'Precondition Failed', 'PreconditionFailed'],
    [416, 'InvalidRange', 'The requested range cannot be satisfied.', 'InvalidRange'],
    [
      409,
      'conflict',
      'Your previous request to create the named bucket succeeded and you already own it.',
      'BucketAlreadyOwnedByYou',
    ],
    [409, 'conflict', 'The bucket you tried to delete is not empty.', 'BucketNotEmpty'],
    [
      409,
      'conflict',
      'Sorry, that name is not available.',
      'BucketAlreadyExists',
      { conflict: 'BucketAlreadyExists' },
    ],
    [403, 'retentionPolicyNotMet', 'Object is subject to bucket retention policy', 'InvalidObjectState'],
    [
      403,
      'forbidden',
      "Object 'x' is under active Event-Based hold and cannot be deleted",
      'InvalidObjectState',
    ],
    [403, 'forbidden', 'Access denied.', 'AccessDenied'],
    [
      400,
      'resourceIsEncryptedWithCustomerEncryptionKey',
      'The target object is encrypted by a customer-supplied encryption key.',
      'InvalidRequest',
    ],
    [400, 'invalid', 'Provided MD5 hash "x" doesn\'t match calculated MD5 hash "y".', 'BadDigest'],
    [429, 'rateLimitExceeded', 'slow down', 'SlowDown'],
    [503, 'backendError', 'try again', 'ServiceUnavailable'],
    [500, 'internalError', 'Error running compose', 'InternalError'],
  ];
  for (const [status, reason, message, code, meaning] of cases) {
    it(`maps ${status} ${reason ?? ''} "${message}" to ${code}`, () => {
      expect(gcsErrorCode(new GcsHttpError(status, reason, message), meaning).code).toBe(code);
    });
  }

  it('keeps context, status, provider code and retryability, and never leaks a key', () => {
    const error = toPartCopyError(
      new GcsHttpError(503, 'backendError', 'x-goog-encryption-key: c2VjcmV0LWtleS1ieXRlcw== rejected'),
      { operation: 'uploadPart', bucket: 'b', key: 'k', uploadId: 'u', partNumber: 3 },
    );
    expect(PartCopyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'ServiceUnavailable',
      status: 503,
      retryable: true,
      providerCode: 'backendError',
      provider: 'gcs',
      partNumber: 3,
    });
    expect(error.message).not.toContain('c2VjcmV0');
  });

  it('keeps an echoed key or token out of the cause, its inspection and the JSON', () => {
    const error = toPartCopyError(
      new GcsHttpError(
        400,
        'invalid',
        'x-goog-encryption-key: c2VjcmV0LWtleS1ieXRlcw== and Authorization: Bearer ya29.TOKENVALUE refused',
      ),
      { operation: 'uploadPartCopy' },
    );
    const shown = [
      error.message,
      String(error.cause),
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
      JSON.stringify(error.cause),
    ].join('\n');
    expect(shown).not.toContain('c2VjcmV0');
    expect(shown).not.toContain('TOKENVALUE');
  });

  it('turns network failures into retryable ServiceUnavailable (as S3 and Azure) and aborts into RequestAborted', () => {
    expect(toPartCopyError(new TypeError('fetch failed'), {})).toMatchObject({
      code: 'ServiceUnavailable',
      retryable: true,
    });
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toPartCopyError(new TypeError('fetch failed', { cause: reset }), {})).toMatchObject({
      code: 'ServiceUnavailable',
      retryable: true,
      providerCode: 'ECONNRESET',
    });
    const socket = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    expect(toPartCopyError(new TypeError('terminated', { cause: socket }), {})).toMatchObject({
      code: 'ServiceUnavailable',
      retryable: true,
    });
    expect(toPartCopyError(new DOMException('timed out', 'TimeoutError'), {})).toMatchObject({
      code: 'RequestTimeout',
      retryable: true,
    });
    const controller = new AbortController();
    controller.abort();
    expect(
      toPartCopyError(new DOMException('aborted', 'AbortError'), {}, {}, controller.signal),
    ).toMatchObject({ code: 'RequestAborted' });
  });

  it('turns failures inside the process (no answer, no socket trouble) into non-retryable InternalError', () => {
    expect(toPartCopyError(new RangeError('bad offset'), {})).toMatchObject({
      code: 'InternalError',
      retryable: false,
    });
    expect(toPartCopyError(new TypeError('Cannot read properties of undefined'), {})).toMatchObject({
      code: 'InternalError',
      retryable: false,
    });
  });
});
