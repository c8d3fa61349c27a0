// What the provider puts on the wire, checked on the requests themselves (no emulator checks
// block id shapes, SAS scope, source-condition headers or bearer source authorisation).

import { inspect } from 'node:util';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { MiB, PartCopyError } from '@partcopy/core';
import type { OperationContext } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { fakeAzure, SOURCE_ETAG, SOURCE_SIZE, STAGING_COMMITTED_ETAG } from './fake-azure-transport.js';
import {
  BLOCK_ID_RAW_LENGTH,
  createAzureProvider,
  decodePartBlockId,
  newUploadIdForTests,
} from './provider-helpers.js';

const ACCOUNT = 'acct';
// A made-up key of the right shape; never a real one.
const FAKE_KEY = Buffer.alloc(64, 7).toString('base64');
const ENDPOINT = `https://${ACCOUNT}.blob.core.windows.net`;
const ctx = (): OperationContext => ({ signal: new AbortController().signal });

function copyRequest(uploadId: string, extra: Record<string, unknown> = {}) {
  return {
    bucket: 'dest',
    key: 'dst',
    uploadId,
    partNumber: 3,
    source: { bucket: 'src-container', key: 'dir/source blob' },
    range: { start: 5, end: 12 * MiB + 4 },
    conditions: {},
    ...extra,
  };
}

describe('outgoing Put Block From URL requests', () => {
  it('with a shared key: canonical equal-length block ids, a read-only single-blob SAS, the pinned source ETag', async () => {
    const fake = fakeAzure();
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential: new StorageSharedKeyCredential(ACCOUNT, FAKE_KEY),
      pipelineOptions: { httpClient: fake.httpClient },
      maxCopyBlockSize: 5 * MiB,
      sourceSasLifetimeMs: 10 * 60_000,
    });
    const before = Date.now();
    const result = await provider.uploadPartCopy(copyRequest(newUploadIdForTests()), ctx());
    expect(result.bytesCopied).toBe(12 * MiB);
    const copies = fake.copies();
    expect(copies).toHaveLength(3);
    const ids = copies.map((c) => c.url.searchParams.get('blockid') as string);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(id, 'base64').toString('base64')).toBe(id);
      expect(Buffer.from(id, 'base64')).toHaveLength(BLOCK_ID_RAW_LENGTH);
      expect(BLOCK_ID_RAW_LENGTH).toBeLessThanOrEqual(64);
    }
    expect(new Set(ids.map((id) => id.length)).size).toBe(1);
    expect(ids.map((id) => decodePartBlockId(id))).toMatchObject([
      { partNumber: 3, index: 0, count: 3 },
      { partNumber: 3, index: 1, count: 3 },
      { partNumber: 3, index: 2, count: 3 },
    ]);
    expect(copies.map((c) => c.headers['x-ms-source-range']).sort()).toEqual(
      [
        `bytes=5-${5 * MiB + 4}`,
        `bytes=${5 * MiB + 5}-${10 * MiB + 4}`,
        `bytes=${10 * MiB + 5}-${12 * MiB + 4}`,
      ].sort(),
    );
    for (const copy of copies) {
      expect(copy.headers['x-ms-source-if-match']).toBe(SOURCE_ETAG);
      expect(copy.headers['x-ms-copy-source-authorization']).toBeUndefined();
      const source = new URL(copy.headers['x-ms-copy-source'] as string);
      expect(decodeURIComponent(source.pathname)).toBe('/src-container/dir/source blob');
      const sas = source.searchParams;
      expect(sas.get('sr')).toBe('b');
      expect(sas.get('sp')).toBe('r');
      expect(sas.get('spr')).toBe('https');
      expect(sas.get('sig')).toBeTruthy();
      const expiry = Date.parse(sas.get('se') as string);
      expect(expiry).toBeGreaterThanOrEqual(before + 10 * 60_000 - 1000);
      expect(expiry).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 1000);
    }
  });

  it('scopes the SAS to the version when a versionId is copied', async () => {
    const fake = fakeAzure();
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential: new StorageSharedKeyCredential(ACCOUNT, FAKE_KEY),
      pipelineOptions: { httpClient: fake.httpClient },
    });
    const versionId = '2026-11-21T08:00:00.0000000Z';
    const result = await provider.uploadPartCopy(
      copyRequest(newUploadIdForTests(), { source: { bucket: 'src-container', key: 'k', versionId } }),
      ctx(),
    );
    expect(result.copySourceVersionId).toBe(versionId);
    const source = new URL(fake.copies()[0]?.headers['x-ms-copy-source'] as string);
    expect(source.searchParams.get('versionid')).toBe(versionId);
    expect(source.searchParams.get('sr')).toBe('bv');
    expect(source.searchParams.get('sp')).toBe('r');
    const head = fake.requests.find((r) => r.method === 'HEAD' && r.url.pathname.endsWith('/k'));
    expect(head?.url.searchParams.get('versionid')).toBe(versionId);
  });

  it('with a TokenCredential: bearer source authorisation and no SAS', async () => {
    const fake = fakeAzure();
    const scopes: unknown[] = [];
    const credential = {
      async getToken(scope: string | string[]) {
        scopes.push(scope);
        return { token: 'test-token-not-a-secret', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential,
      pipelineOptions: { httpClient: fake.httpClient },
    });
    expect(provider.native.sourceAuth).toBe('bearer');
    await provider.uploadPartCopy(copyRequest(newUploadIdForTests()), ctx());
    const [copy] = fake.copies();
    expect(copy?.headers['x-ms-copy-source-authorization']).toBe('Bearer test-token-not-a-secret');
    expect(new URL(copy?.headers['x-ms-copy-source'] as string).search).toBe('');
    expect(copy?.headers['x-ms-source-if-match']).toBe(SOURCE_ETAG);
    expect(scopes).toContain('https://storage.azure.com/.default');
  });

  it('with a SAS client URL: the source URL carries that SAS as it is', async () => {
    const fake = fakeAzure();
    const sas = 'sv=2025-01-05&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00%3A00%3A00Z&sig=c2lnbmF0dXJl';
    const provider = createAzureProvider({
      url: `${ENDPOINT}?${sas}`,
      pipelineOptions: { httpClient: fake.httpClient },
    });
    expect(provider.native.sourceAuth).toBe('sas');
    await provider.uploadPartCopy(copyRequest(newUploadIdForTests()), ctx());
    const source = new URL(fake.copies()[0]?.headers['x-ms-copy-source'] as string);
    expect(source.searchParams.get('sig')).toBe('c2lnbmF0dXJl');
    expect(source.searchParams.get('srt')).toBe('sco');
  });

  it('never lets a bearer source token reach an error message, its JSON or its cause', async () => {
    const fake = fakeAzure();
    const token = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJwYXJ0Y29weSJ9.TOPSECRETBEARER';
    const credential = {
      async getToken() {
        return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential,
      pipelineOptions: { httpClient: fake.httpClient, retryOptions: { maxTries: 1 } },
    });
    // A server echoing the copy-source authorisation header in its message.
    fake.failCopies(
      403,
      'CannotVerifyCopySource',
      `Source refused x-ms-copy-source-authorization: Bearer ${token}`,
    );
    const error = await provider.uploadPartCopy(copyRequest(newUploadIdForTests()), ctx()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(fake.copies()[0]?.headers['x-ms-copy-source-authorization']).toBe(`Bearer ${token}`);
    expect((error as PartCopyError).code).toBe('AccessDenied');
    const text = [
      String(error),
      JSON.stringify(error),
      String((error as Error).cause),
      inspect(error, { depth: 5 }),
    ].join('\n');
    expect(text).not.toContain('TOPSECRETBEARER');
  });

  it('never lets a SAS reach an error message, its JSON or its cause', async () => {
    const fake = fakeAzure();
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential: new StorageSharedKeyCredential(ACCOUNT, FAKE_KEY),
      pipelineOptions: { httpClient: fake.httpClient, retryOptions: { maxTries: 1 } },
    });
    fake.failCopies(
      403,
      'CannotVerifyCopySource',
      'Could not read https://acct.blob.core.windows.net/src?sv=1&sig=TOPSECRETSIG&se=x',
    );
    const error = await provider.uploadPartCopy(copyRequest(newUploadIdForTests()), ctx()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(PartCopyError.isInstance(error)).toBe(true);
    const copySource = String(fake.copies()[0]?.headers['x-ms-copy-source'] ?? '');
    const sig = /sig=([^&]+)/.exec(copySource)?.[1] ?? 'no-sig-found';
    expect(sig).not.toBe('no-sig-found');
    const text = [
      String(error),
      JSON.stringify(error),
      String((error as Error).cause),
      (error as Error).stack,
    ].join('\n');
    expect(text).not.toContain('TOPSECRETSIG');
    expect(text).not.toContain(sig);
    expect(text).not.toContain(decodeURIComponent(sig));
    expect((error as PartCopyError).code).toBe('AccessDenied');
    expect((error as PartCopyError).providerCode).toBe('CannotVerifyCopySource');
  });

  it('decides S3 source conditions before copying: a failed If-None-Match sends no copy', async () => {
    const fake = fakeAzure();
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential: new StorageSharedKeyCredential(ACCOUNT, FAKE_KEY),
      pipelineOptions: { httpClient: fake.httpClient },
    });
    await expect(
      provider.uploadPartCopy(
        copyRequest(newUploadIdForTests(), { conditions: { ifNoneMatch: [SOURCE_ETAG] } }),
        ctx(),
      ),
    ).rejects.toMatchObject({ code: 'PreconditionFailed' });
    await expect(
      provider.uploadPartCopy(
        copyRequest(newUploadIdForTests(), { range: { start: 0, end: SOURCE_SIZE } }),
        ctx(),
      ),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: `Range specified is not valid for source object of size: ${SOURCE_SIZE}`,
    });
    expect(fake.copies()).toHaveLength(0);
  });

  it('completion copies the committed staging blob pinned to its new ETag with a SAS scoped to it', async () => {
    const fake = fakeAzure();
    const provider = createAzureProvider({
      url: ENDPOINT,
      credential: new StorageSharedKeyCredential(ACCOUNT, FAKE_KEY),
      pipelineOptions: { httpClient: fake.httpClient },
      maxCopyBlockSize: 4 * MiB,
    });
    const uploadId = newUploadIdForTests();
    const part = await provider.uploadPartCopy(copyRequest(uploadId, { partNumber: 1 }), ctx());
    const before = fake.copies().length;
    await provider.completeMultipartUpload(
      { bucket: 'dest', key: 'dst', uploadId, parts: [{ partNumber: 1, etag: part.copyPartResult.etag }] },
      ctx(),
    );
    const publishCopies = fake.copies().slice(before);
    expect(publishCopies).toHaveLength(3);
    for (const copy of publishCopies) {
      expect(decodeURIComponent(copy.url.pathname)).toBe('/dest/dst');
      expect(copy.headers['x-ms-source-if-match']).toBe(STAGING_COMMITTED_ETAG);
      const source = new URL(copy.headers['x-ms-copy-source'] as string);
      expect(decodeURIComponent(source.pathname)).toBe(`/dest/.partcopy/uploads/${uploadId}`);
      expect([source.searchParams.get('sr'), source.searchParams.get('sp')]).toEqual(['b', 'r']);
      expect(copy.url.searchParams.get('blockid')).toHaveLength(64);
    }
    const ranges = publishCopies.map((c) => c.headers['x-ms-source-range']).sort();
    expect(ranges).toEqual(
      [
        `bytes=0-${4 * MiB - 1}`,
        `bytes=${4 * MiB}-${8 * MiB - 1}`,
        `bytes=${8 * MiB}-${12 * MiB - 1}`,
      ].sort(),
    );
    const commit = fake.requests.filter(
      (r) => r.method === 'PUT' && r.url.searchParams.get('comp') === 'blocklist',
    );
    expect(commit.map((r) => decodeURIComponent(r.url.pathname))).toEqual([
      `/dest/.partcopy/uploads/${uploadId}`,
      '/dest/dst',
    ]);
    expect(commit[0]?.headers['if-match']).toBe('"0xSTAGING"');
  });
});
