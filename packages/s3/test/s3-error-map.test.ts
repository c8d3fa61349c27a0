import { PartCopyError } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { lookupS3Error, mapS3Error } from '../src/s3-error-map.js';

function sdkError(name: string, status: number | undefined, message = 'm') {
  return Object.assign(new Error(message), { name, Code: name, $metadata: { httpStatusCode: status } });
}

describe('S3 error map: status first, then code', () => {
  it.each([
    [404, 'NoSuchBucket', 'NoSuchBucket', false],
    [404, 'NoSuchKey', 'NoSuchKey', false],
    [404, 'NoSuchUpload', 'NoSuchUpload', false],
    [404, 'NoSuchVersion', 'NoSuchVersion', false],
    [404, 'NotFound', 'NoSuchKey', false],
    [403, 'AccessDenied', 'AccessDenied', false],
    [403, 'SignatureDoesNotMatch', 'AccessDenied', false],
    [403, 'InvalidObjectState', 'InvalidObjectState', false],
    [412, 'PreconditionFailed', 'PreconditionFailed', false],
    [409, 'BucketAlreadyOwnedByYou', 'BucketAlreadyOwnedByYou', false],
    [409, 'BucketNotEmpty', 'BucketNotEmpty', false],
    [409, 'ConditionalRequestConflict', 'ConditionalRequestConflict', true],
    [409, 'OperationAborted', 'ConditionalRequestConflict', true],
    [400, 'InvalidPart', 'InvalidPart', false],
    [400, 'InvalidPartOrder', 'InvalidPartOrder', false],
    [400, 'EntityTooSmall', 'EntityTooSmall', false],
    [400, 'InvalidArgument', 'InvalidArgument', false],
    [400, 'BadDigest', 'BadDigest', false],
    [400, 'XAmzContentSHA256Mismatch', 'BadDigest', false],
    [400, 'RequestTimeout', 'RequestTimeout', true],
    [400, 'SomethingNew', 'InvalidRequest', false],
    [416, 'InvalidRange', 'InvalidRange', false],
    [405, 'MethodNotAllowed', 'MethodNotAllowed', false],
    [411, 'MissingContentLength', 'MissingContentLength', false],
    [500, 'InternalError', 'InternalError', true],
    [500, 'WeirdFault', 'InternalError', true],
    [503, 'SlowDown', 'SlowDown', true],
    // MinIO: "Resource requested is unreadable, please reduce your request rate".
    [503, 'SlowDownRead', 'SlowDown', true],
    [503, 'SlowDownWrite', 'SlowDown', true],
    [503, 'ServiceUnavailable', 'ServiceUnavailable', true],
    [501, 'NotImplemented', 'NotImplemented', false],
    [418, 'Teapot', 'InvalidRequest', false],
    [408, 'RequestTimeout', 'RequestTimeout', true],
    [429, 'TooManyRequests', 'SlowDown', true],
    [429, 'SlowDown', 'SlowDown', true],
    [301, 'PermanentRedirect', 'InvalidRequest', false],
    [307, 'TemporaryRedirect', 'ServiceUnavailable', true],
    [599, 'Odd', 'InternalError', true],
  ] as const)('HTTP %i %s → %s (retryable %s)', (status, s3Code, code, retryable) => {
    const error = mapS3Error(sdkError(s3Code, status), { operation: 'headObject' });
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.providerCode).toBe(s3Code);
  });

  it('maps network failures without a status as retryable', () => {
    expect(lookupS3Error(undefined, 'ECONNREFUSED')).toEqual({ code: 'ServiceUnavailable', retryable: true });
    expect(lookupS3Error(undefined, 'TimeoutError')).toEqual({ code: 'RequestTimeout', retryable: true });
    expect(lookupS3Error(undefined, 'EHOSTUNREACH')).toEqual({ code: 'ServiceUnavailable', retryable: true });
    // A failure inside the client (e.g. endpoint rules refusing a configuration) is not retried.
    expect(lookupS3Error(undefined, 'TypeError')).toEqual({ code: 'InternalError', retryable: false });
  });

  it('maps an abort to RequestAborted', () => {
    const controller = new AbortController();
    controller.abort();
    const error = mapS3Error(Object.assign(new Error('aborted'), { name: 'AbortError' }), {
      operation: 'uploadPartCopy',
      signal: controller.signal,
    });
    expect(error.code).toBe('RequestAborted');
  });

  it('makes a copy range past the end S3 InvalidArgument, keeping the server code', () => {
    const error = mapS3Error(sdkError('InvalidRange', 416), { operation: 'uploadPartCopy' });
    expect(error.code).toBe('InvalidArgument');
    expect(error.status).toBe(400);
    expect(error.providerCode).toBe('InvalidRange');
  });

  it('makes a delete-marker source version S3 InvalidRequest for UploadPartCopy', () => {
    const error = mapS3Error(sdkError('MethodNotAllowed', 405), { operation: 'uploadPartCopy' });
    expect(error.code).toBe('InvalidRequest');
    expect(error.status).toBe(400);
  });

  it('passes partcopy errors through, adding context', () => {
    const original = new PartCopyError('NoSuchKey', 'gone');
    const mapped = mapS3Error(original, { provider: 's3', operation: 'headObject', bucket: 'b' });
    expect(mapped.code).toBe('NoSuchKey');
    expect(mapped.context).toMatchObject({ provider: 's3', bucket: 'b' });
  });

  it('redacts signatures and keys from messages and causes', () => {
    const raw = sdkError(
      'AccessDenied',
      403,
      'denied for https://h/b/k?X-Amz-Signature=abcdef123&X-Amz-Credential=AKID x-amz-server-side-encryption-customer-key: c2VjcmV0',
    );
    const error = mapS3Error(raw, { operation: 'getObject' });
    const shown = `${error.message} ${String(error.cause)} ${JSON.stringify(error)}`;
    expect(shown).not.toContain('abcdef123');
    expect(shown).not.toContain('AKID');
    expect(shown).not.toContain('c2VjcmV0');
  });
});
