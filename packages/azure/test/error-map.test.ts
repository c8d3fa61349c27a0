import { AnonymousCredential, BlobClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { sourceAuthMode } from '../src/azure-config.js';
import { AZURE_ERROR_TABLE, lookupAzureError, mapAzureError } from '../src/azure-error-map.js';
import { sourceAccess } from '../src/source-authorization.js';

const sdkError = (statusCode: number, code: string | undefined, message = 'boom') =>
  Object.assign(new Error(message), { name: 'RestError', statusCode, code, details: { errorCode: code } });

describe('azure error table', () => {
  it.each([
    [404, 'ContainerNotFound', 'NoSuchBucket'],
    [404, 'BlobNotFound', 'NoSuchKey'],
    [412, 'SourceConditionNotMet', 'PreconditionFailed'],
    [412, 'ConditionNotMet', 'PreconditionFailed'],
    [409, 'BlobAlreadyExists', 'PreconditionFailed'],
    [409, 'ContainerAlreadyExists', 'BucketAlreadyOwnedByYou'],
    [400, 'InvalidBlockList', 'InvalidPart'],
    [400, 'Md5Mismatch', 'BadDigest'],
    [403, 'AuthorizationFailure', 'AccessDenied'],
    [416, 'InvalidRange', 'InvalidRange'],
    [503, 'ServerBusy', 'SlowDown'],
    [500, 'OperationTimedOut', 'RequestTimeout'],
  ])('%i %s is %s', (status, code, expected) => {
    expect(mapAzureError(sdkError(status, code), { provider: 'azure' }).code).toBe(expected);
  });

  it('marks server-side failures retryable and client errors not', () => {
    expect(mapAzureError(sdkError(503, 'ServerBusy'), {}).retryable).toBe(true);
    expect(mapAzureError(sdkError(500, 'InternalError'), {}).retryable).toBe(true);
    expect(mapAzureError(sdkError(404, 'BlobNotFound'), {}).retryable).toBe(false);
  });

  it('answers gateway failures like the S3 and GCS adapters: retryable ServiceUnavailable', () => {
    for (const status of [502, 504]) {
      expect(mapAzureError(sdkError(status, undefined), {})).toMatchObject({
        code: 'ServiceUnavailable',
        retryable: true,
      });
    }
  });

  it('retries only transport failures among errors without an answer', () => {
    const failures: Array<[Error, string, boolean]> = [
      [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ServiceUnavailable', true],
      [
        Object.assign(new Error('send failed'), { name: 'RestError', code: 'REQUEST_SEND_ERROR' }),
        'ServiceUnavailable',
        true,
      ],
      [Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), 'RequestTimeout', true],
      [
        Object.assign(new Error('no managed identity'), { name: 'CredentialUnavailableError' }),
        'AccessDenied',
        false,
      ],
      // A failure inside this process (configuration, a caller's body stream) will not heal.
      [new TypeError('body.getReader is not a function'), 'InternalError', false],
    ];
    for (const [error, code, retryable] of failures) {
      expect(mapAzureError(error, {})).toMatchObject({ code, retryable });
    }
  });

  it('has a catch-all row for every status it lists', () => {
    const statuses = new Set(AZURE_ERROR_TABLE.map((row) => row.status));
    for (const status of statuses) expect(lookupAzureError(status, 'SomethingNew')).toBeDefined();
  });

  it('turns aborts and transport failures into RequestAborted and retryable ServiceUnavailable', () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      mapAzureError(Object.assign(new Error('x'), { name: 'AbortError' }), {}, controller.signal).code,
    ).toBe('RequestAborted');
    const network = mapAzureError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      {},
    );
    expect([network.code, network.retryable]).toEqual(['ServiceUnavailable', true]);
  });

  it("keeps the code of a request body's own check the SDK rethrew without a status (BadDigest)", () => {
    // @azure/core-rest-pipeline rethrows a body stream's error as RestError(message, { code }).
    const rethrown = Object.assign(
      new Error('The Content-MD5 you specified did not match what we received.'),
      {
        name: 'RestError',
        code: 'BadDigest',
      },
    );
    const mapped = mapAzureError(rethrown, {});
    expect([mapped.code, mapped.status, mapped.retryable]).toEqual(['BadDigest', 400, false]);
    const transport = mapAzureError(
      Object.assign(new Error('socket'), { name: 'RestError', code: 'REQUEST_SEND_ERROR' }),
      {},
    );
    expect(transport.code).toBe('ServiceUnavailable');
  });

  it('redacts SAS parameters from messages and keeps the raw SDK error out of the cause', () => {
    const raw = Object.assign(sdkError(403, 'AuthenticationFailed', 'bad https://a/b?sv=1&sig=SECRETSIG'), {
      request: { url: 'https://a/b?sig=SECRETSIG' },
    });
    const mapped = mapAzureError(raw, {});
    expect(JSON.stringify(mapped) + String(mapped.cause) + mapped.message).not.toContain('SECRETSIG');
    expect(mapped.cause).not.toBe(raw);
  });
});

describe('source authorisation mode', () => {
  it('follows the credential, then a SAS in the URL', () => {
    const key = Buffer.alloc(64, 1).toString('base64');
    expect(sourceAuthMode(new StorageSharedKeyCredential('a', key), 'https://a.blob.core.windows.net')).toBe(
      'shared-key',
    );
    expect(sourceAuthMode({ getToken: async () => null }, 'https://a.blob.core.windows.net')).toBe('bearer');
    expect(sourceAuthMode(new AnonymousCredential(), 'https://a.blob.core.windows.net?sv=1&sig=x')).toBe(
      'sas',
    );
    expect(sourceAuthMode(new AnonymousCredential(), 'https://a.blob.core.windows.net')).toBe('anonymous');
  });
});

describe('bearer source authorisation', () => {
  it('answers AccessDenied when the TokenCredential yields no token', async () => {
    const blob = new BlobClient('https://a.blob.core.windows.net/c/b');
    await expect(
      sourceAccess(blob, undefined, {
        mode: 'bearer',
        credential: { getToken: async () => null },
        sasLifetimeMs: 60_000,
        audience: 'https://storage.azure.com/.default',
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ code: 'AccessDenied', retryable: false });
  });
});

describe('mapped errors keep no secret in their cause', () => {
  it('a RestError of Put Block From URL whose request holds the source SAS prints no signature', async () => {
    const { RestError } = await import('@azure/storage-blob');
    const { inspect } = await import('node:util');
    const sas = 'sv=2024-08-04&sr=b&sp=r&sig=SOURCESASSIGNATURE%3D';
    const raw = new RestError('This request is not authorized to perform this operation.', {
      code: 'CannotVerifyCopySource',
      statusCode: 403,
      request: {
        url: 'https://acct.blob.core.windows.net/c/staging?comp=block',
        headers: { 'x-ms-copy-source': `https://src.blob.core.windows.net/c/k?${sas}` },
      } as never,
    });
    // RestError's own inspect redacts, but the request it keeps still holds the SAS.
    expect(JSON.stringify(raw.request)).toContain('SOURCESASSIGNATURE');
    const mapped = mapAzureError(raw, { provider: 'azure', operation: 'uploadPartFromUrl' });
    expect(inspect(mapped, { depth: 20 })).not.toContain('SOURCESASSIGNATURE');
    expect(JSON.stringify(mapped)).not.toContain('SOURCESASSIGNATURE');
    expect(JSON.stringify(mapped.cause, Object.getOwnPropertyNames(mapped.cause))).not.toContain(
      'SOURCESASSIGNATURE',
    );
    expect((mapped.cause as { request?: unknown }).request).toBeUndefined();
    expect((mapped.cause as { statusCode?: number }).statusCode).toBe(403);
  });
});
