import { PartCopyClient, PartCopyError } from '@partcopy/core';
import type { ServerSideCopyRequest } from '@partcopy/core/provider';
import { recordingProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const answer = { etag: '"e"', transfer: 'server-side', bytesCopied: 3 };
const base = { bucket: 'dst', key: 'copy', copySource: 'src/dir/a%20b' };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return PartCopyError.isInstance(error) ? error.code : `not a PartCopyError: ${String(error)}`;
  }
  return undefined;
}

function lastRequest(provider: ReturnType<typeof recordingProvider>): ServerSideCopyRequest {
  return provider.calls.at(-1)?.request as ServerSideCopyRequest;
}

describe('PartCopyClient.copyObjectServerSide', () => {
  it('normalises S3 input: the source, its conditions, COPY by default with only the storage class read', async () => {
    const provider = recordingProvider({}, () => answer);
    const result = await new PartCopyClient(provider).copyObjectServerSide({
      ...base,
      copySource: '/src/dir/a%20b?versionId=v1',
      copySourceIfMatch: 'etag1',
      copySourceIfUnmodifiedSince: 'Sun, 06 Nov 1994 08:49:37 GMT',
      contentType: 'text/ignored',
      storageClass: 'STANDARD_IA',
      ifNoneMatch: '*',
      sseCustomerKey: Buffer.alloc(32, 1).toString('base64'),
      copySourceSSECustomerKey: Buffer.alloc(32, 2),
    });
    expect(result.etag).toBe('"e"');
    const request = lastRequest(provider);
    expect(provider.calls.map((c) => c.method)).toEqual(['copyObject']);
    expect(request.source).toEqual({ bucket: 'src', key: 'dir/a b', versionId: 'v1' });
    expect(request.conditions.ifMatch).toEqual(['etag1']);
    expect(request.conditions.ifUnmodifiedSince?.toISOString()).toBe('1994-11-06T08:49:37.000Z');
    expect(request.metadataDirective).toBe('COPY');
    expect(request.settings).toEqual({ storageClass: 'STANDARD_IA' });
    expect(request.ifNoneMatch).toBe('*');
    expect(request.sseCustomer?.keyMD5).toMatch(/==$/);
    expect(request.sourceSseCustomer?.keyBytes()[0]).toBe(2);
  });

  it('REPLACE passes every setting given, and nothing else', async () => {
    const provider = recordingProvider({}, () => answer);
    await new PartCopyClient(provider).copyObjectServerSide({
      ...base,
      metadataDirective: 'REPLACE',
      contentType: 'text/plain',
      metadata: { a: 'b' },
    });
    expect(lastRequest(provider).settings).toEqual({ contentType: 'text/plain', metadata: { a: 'b' } });
  });

  it('refuses with Unsupported when wholeObjectCopy is off, or the provider has no copyObject', async () => {
    const off = recordingProvider({ wholeObjectCopy: false }, () => answer);
    expect(await codeOf(new PartCopyClient(off).copyObjectServerSide(base))).toBe('Unsupported');
    expect(off.calls).toEqual([]);
    const missing = recordingProvider({}, () => answer);
    delete (missing as { copyObject?: unknown }).copyObject;
    expect(await codeOf(new PartCopyClient(missing).copyObjectServerSide(base))).toBe('Unsupported');
  });

  it('refuses destination conditions when wholeObjectCopyConditions is off', async () => {
    const provider = recordingProvider({ wholeObjectCopyConditions: false }, () => answer);
    const client = new PartCopyClient(provider);
    expect(await codeOf(client.copyObjectServerSide({ ...base, ifMatch: '"x"' }))).toBe('Unsupported');
    expect(await codeOf(client.copyObjectServerSide({ ...base, ifNoneMatch: '*' }))).toBe('Unsupported');
    expect(provider.calls).toEqual([]);
  });

  it('refuses a hinted size over maxWholeObjectCopySize with InvalidRequest before the provider', async () => {
    const provider = recordingProvider({ maxWholeObjectCopySize: 100 }, () => answer);
    const client = new PartCopyClient(provider);
    const over = client.copyObjectServerSide({ ...base, copySourceHint: { size: 101, etag: '"e"' } });
    expect(await codeOf(over)).toBe('InvalidRequest');
    expect(provider.calls).toEqual([]);
    await client.copyObjectServerSide({ ...base, copySourceHint: { size: 100, etag: '"e"' } });
    expect(lastRequest(provider).sourceHint).toEqual({ size: 100, etag: '"e"' });
  });

  it('refuses a copy onto itself that changes nothing (S3 InvalidRequest), allows one that does', async () => {
    const provider = recordingProvider({}, () => answer);
    const client = new PartCopyClient(provider);
    const self = { bucket: 'b', key: 'k', copySource: 'b/k' };
    expect(await codeOf(client.copyObjectServerSide(self))).toBe('InvalidRequest');
    expect(provider.calls).toEqual([]);
    await client.copyObjectServerSide({ ...self, metadataDirective: 'REPLACE' });
    await client.copyObjectServerSide({ ...self, copySource: 'b/k?versionId=v1' });
    expect(provider.calls).toHaveLength(2);
  });

  it('rejects an unknown metadataDirective with InvalidArgument', async () => {
    const provider = recordingProvider({}, () => answer);
    const bad = { ...base, metadataDirective: 'MERGE' as 'COPY' };
    expect(await codeOf(new PartCopyClient(provider).copyObjectServerSide(bad))).toBe('InvalidArgument');
  });

  it('names the operation copyObject in errors and events', async () => {
    const provider = recordingProvider({}, () => {
      throw new PartCopyError('NoSuchKey', 'gone');
    });
    const operations: string[] = [];
    const client = new PartCopyClient(provider, { onEvent: (e) => operations.push(e.operation) });
    const error = await client.copyObjectServerSide(base).catch((e: unknown) => e);
    expect(PartCopyError.isInstance(error) && error.operation).toBe('copyObject');
    expect(new Set(operations)).toEqual(new Set(['copyObject']));
  });
});
