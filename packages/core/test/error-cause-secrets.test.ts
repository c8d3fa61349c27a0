// The cause chain a user logs (console.error, util.inspect) carries no signed URL or SAS: provider
// errors keep the request they failed on, and Node prints every cause with its fields.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PartCopyError } from '../src/index.js';

const SAS = 'sv=2024-08-04&se=2026-12-01T00%3A00%3A00Z&sr=b&sp=r&sig=SASSIGNATURE0123456789%3D';
const SIGNED =
  'https://minio.example/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDSECRETCRED&X-Amz-Signature=abcdefSIGNATURE';

/** Shaped like Azure's RestError from a Put Block From URL: the request holds the source's SAS. */
class RestErrorLike extends Error {
  override name = 'RestError';
  code = 'CannotVerifyCopySource';
  statusCode = 403;
  request = {
    url: 'https://acct.blob.core.windows.net/c/staging?comp=block&blockid=QQ',
    headers: { 'x-ms-copy-source': `https://src.blob.core.windows.net/c/k?${SAS}` },
  };
  details = { errorCode: 'CannotVerifyCopySource', message: `source https://src/c/k?${SAS} failed` };
}

function logged(error: unknown): string {
  return inspect(error, { depth: 20 });
}

describe('PartCopyError causes carry no secret', () => {
  it('an Azure-style error with the SAS in its request and details: nothing of the SAS is printed', () => {
    const raw = new RestErrorLike(`copy of https://src.blob.core.windows.net/c/k?${SAS} failed`);
    expect(logged(raw)).toContain('SASSIGNATURE');
    const error = new PartCopyError('AccessDenied', 'uploadPartFromUrl failed', { cause: raw });
    const text = logged(error);
    expect(text).not.toContain('SASSIGNATURE');
    expect(text).toContain('sig=REDACTED');
    expect(text).toContain('CannotVerifyCopySource');
    // What the CLI reads from the cause (the answered status, the class) is kept.
    const cause = error.cause as RestErrorLike;
    expect(cause).toBeInstanceOf(RestErrorLike);
    expect(cause.statusCode).toBe(403);
    expect(cause.request).toBeUndefined();
  });

  it('a fetch error whose message and nested cause quote a presigned URL; an S3-style $metadata is kept', () => {
    const inner = new Error(`connect ECONNRESET while reading ${SIGNED}`);
    const outer = Object.assign(new TypeError(`fetch failed: ${SIGNED}`, { cause: inner }), {
      $metadata: { httpStatusCode: 500, requestId: 'r1' },
      $response: { headers: { location: SIGNED } },
    });
    const error = new PartCopyError('InternalError', 'getObject failed', { cause: outer });
    const text = `${logged(error)}\n${String((error.cause as Error).stack)}`;
    expect(text).not.toContain('SIGNATURE');
    expect(text).not.toContain('AKIDSECRETCRED');
    expect((error.cause as { $metadata: unknown }).$metadata).toEqual({
      httpStatusCode: 500,
      requestId: 'r1',
    });
    expect((error.cause as { $response?: unknown }).$response).toBeUndefined();
    expect(((error.cause as Error).cause as Error).message).toContain('ECONNRESET');
  });

  it('withContext and a string or object cause stay redacted', () => {
    const error = new PartCopyError('InternalError', 'x', { cause: `bad ${SIGNED}` }).withContext({
      bucket: 'b',
    });
    expect(logged(error)).not.toContain('SIGNATURE');
    const objectCause = new PartCopyError('InternalError', 'x', { cause: { url: SIGNED, nested: { a: 1 } } });
    expect(logged(objectCause)).not.toContain('SIGNATURE');
  });
});
