import { GiB, MiB, PartCopyClient, PartCopyError } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { directoryBucketLocation, isDirectoryBucket } from '../src/directory-bucket.js';
import {
  createS3Provider,
  DIRECTORY_BUCKET_CAPABILITIES,
  S3_CAPABILITIES,
  S3Provider,
  s3ProviderFactory,
} from '../src/index.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('capabilities', () => {
  it('declares native ranged copy and the documented S3 limits', () => {
    expect(S3_CAPABILITIES).toMatchObject({
      rangedCopy: 'native',
      clientStreamedRanges: false,
      minPartSize: 5 * MiB,
      maxPartSize: 5 * GiB,
      maxParts: 10_000,
      maxObjectSize: 10_000 * 5 * GiB,
      copySourceIfMatch: true,
      versionedSources: true,
      sseCustomerKey: true,
    });
  });

  it('layers option overrides, then PARTCOPY_CAPABILITIES_OFF (applied by the client)', () => {
    const provider = new S3Provider({
      endpoint: 'http://127.0.0.1:1',
      credentials,
      capabilities: { copySourceIfMatch: false, maxParts: 1000 },
    });
    const client = new PartCopyClient(provider, {
      env: { PARTCOPY_CAPABILITIES_OFF: 'versionedSources, sseCustomerKey' },
    });
    expect(provider.capabilities.versionedSources).toBe(true);
    expect(client.capabilities).toMatchObject({
      copySourceIfMatch: false,
      maxParts: 1000,
      versionedSources: false,
      sseCustomerKey: false,
      copySourceIfNoneMatch: true,
    });
    expect(Object.isFrozen(client.capabilities)).toBe(true);
  });

  it('rejects an unknown flag in PARTCOPY_CAPABILITIES_OFF', () => {
    expect(
      () =>
        new PartCopyClient(new S3Provider({ credentials }), {
          env: { PARTCOPY_CAPABILITIES_OFF: 'copySourceIfMatc' },
        }),
    ).toThrow(PartCopyError);
  });

  it('gives the injected client back as the escape hatch and leaves it open on close', async () => {
    const first = createS3Provider({ endpoint: 'http://127.0.0.1:1', credentials });
    const second = createS3Provider({ client: first.native });
    expect(second.native).toBe(first.native);
    await second.close();
    expect(await second.native.config.forcePathStyle).toBe(true);
  });

  it('registers the s3 scheme', async () => {
    expect(s3ProviderFactory.schemes).toEqual(['s3']);
    const provider = await s3ProviderFactory.create({ endpoint: 'http://127.0.0.1:1', credentials }, {});
    expect(provider.name).toBe('s3');
    expect(provider.specVersion).toBe(1);
  });
});

describe('directory buckets', () => {
  const bucket = 'media--use1-az4--x-s3';

  it('recognises names and zones', () => {
    expect(isDirectoryBucket(bucket)).toBe(true);
    expect(isDirectoryBucket('media-x-s3')).toBe(false);
    expect(directoryBucketLocation(bucket)).toEqual({
      zoneId: 'use1-az4',
      type: 'AvailabilityZone',
      dataRedundancy: 'SingleAvailabilityZone',
    });
    expect(directoryBucketLocation('logs--usw2-lax1-az1--x-s3')?.type).toBe('LocalZone');
  });

  it('reports no versioning and no SSE-C for directory buckets', () => {
    const provider = new S3Provider({ region: 'us-east-1', credentials });
    expect(provider.capabilitiesFor(bucket)).toBe(provider.directoryBucketCapabilities);
    expect(provider.capabilitiesFor('plain-bucket')).toBe(provider.capabilities);
    expect(DIRECTORY_BUCKET_CAPABILITIES).toMatchObject({
      versionedSources: false,
      versionedBuckets: false,
      sseCustomerKey: false,
      requestPayer: false,
      multipartEtag: false,
    });
  });

  // The PartCopyClient's capability gate checks capabilitiesFor(bucket) of every bucket a request
  // names (the provider no longer guards each call itself).
  it('refuses SSE-C, versions and versioning on a directory bucket before any request', async () => {
    let sent = 0;
    const provider = new S3Provider({
      region: 'us-east-1',
      credentials,
      clientConfig: {
        requestHandler: {
          handle: async () => {
            sent++;
            throw new Error('no request expected');
          },
        },
      },
    });
    const client = new PartCopyClient(provider, { env: {} });
    const sseKey = Buffer.alloc(32).toString('base64');
    const copy = { bucket: 'general', key: 'k', uploadId: 'U', partNumber: 1 };
    const attempts = [
      client.createMultipartUpload({ bucket, key: 'k', sseCustomerKey: sseKey }),
      client.createBucket({ bucket, versioning: true }),
      client.uploadPartCopy({ ...copy, copySource: { bucket, key: 's', versionId: 'v1' } }),
      client.uploadPartCopy({ ...copy, copySource: { bucket, key: 's' }, copySourceSSECustomerKey: sseKey }),
      client.headObject({ bucket, key: 'k', sseCustomerKey: sseKey }),
    ];
    for (const attempt of attempts) {
      const error = await attempt.catch((e: unknown) => e);
      expect(PartCopyError.hasCode(error, 'Unsupported')).toBe(true);
      expect((error as PartCopyError).message).toContain(bucket);
    }
    expect(sent).toBe(0);
  });

  it('addresses a directory bucket virtual-hosted at its zonal endpoint for UploadPartCopy', async () => {
    const seen: Array<{ hostname: string; path: string; headers: Record<string, string> }> = [];
    const provider = new S3Provider({
      region: 'us-east-1',
      credentials,
      clientConfig: {
        maxAttempts: 1,
        requestHandler: {
          handle: async (request: { hostname: string; path: string; headers: Record<string, string> }) => {
            seen.push({ hostname: request.hostname, path: request.path, headers: request.headers });
            return {
              response: {
                statusCode: 200,
                headers: {},
                body: new TextEncoder().encode('<CopyPartResult><ETag>"e"</ETag></CopyPartResult>'),
              },
            };
          },
        },
      },
    });
    await provider.uploadPartCopy(
      {
        bucket,
        key: 'dest key',
        uploadId: 'U',
        partNumber: 1,
        source: { bucket, key: 'src' },
        range: { start: 0, end: 9 },
        conditions: {},
      },
      { signal: new AbortController().signal },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]?.hostname).toBe(`${bucket}.s3express-use1-az4.us-east-1.amazonaws.com`);
    expect(seen[0]?.path).toBe('/dest%20key');
    // IAM (SigV4) signing, not a CreateSession token: UploadPartCopy requires it.
    expect(seen[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    expect(seen[0]?.headers['x-amz-s3session-token']).toBeUndefined();
  });

  it('creates a directory bucket with its zone in CreateBucketConfiguration', async () => {
    const seen: Array<{ method: string; hostname: string; query: Record<string, unknown>; body: string }> =
      [];
    const provider = new S3Provider({
      region: 'us-east-1',
      credentials,
      clientConfig: {
        maxAttempts: 1,
        requestHandler: {
          handle: async (request: {
            method: string;
            hostname: string;
            query: Record<string, unknown>;
            body?: unknown;
          }) => {
            seen.push({
              method: request.method,
              hostname: request.hostname,
              query: request.query,
              body: typeof request.body === 'string' ? request.body : '',
            });
            // HeadBucket on a directory bucket first asks CreateSession for zonal credentials.
            if ('session' in request.query) {
              const xml =
                '<CreateSessionResult><Credentials><SessionToken>T</SessionToken><SecretAccessKey>S</SecretAccessKey>' +
                '<AccessKeyId>A</AccessKeyId><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></CreateSessionResult>';
              return { response: { statusCode: 200, headers: {}, body: new TextEncoder().encode(xml) } };
            }
            // HeadBucket: the bucket does not exist yet.
            const status = request.method === 'HEAD' ? 404 : 200;
            return { response: { statusCode: status, headers: {}, body: new Uint8Array() } };
          },
        },
      },
    });
    await provider.createBucket({ bucket }, { signal: new AbortController().signal });
    const create = seen.find((r) => r.method === 'PUT');
    // Bucket management goes to the regional control endpoint, not the zonal one.
    expect(create?.hostname).toBe('s3express-control.us-east-1.amazonaws.com');
    expect(create?.body).toContain('<Location><Type>AvailabilityZone</Type><Name>use1-az4</Name></Location>');
    expect(create?.body).toContain(
      '<Bucket><DataRedundancy>SingleAvailabilityZone</DataRedundancy><Type>Directory</Type></Bucket>',
    );
  });
});

describe('store-computed copy checksums by endpoint', () => {
  const flags = (provider: S3Provider) => ({
    part: provider.capabilities.partCopyChecksums,
    whole: provider.capabilities.wholeObjectCopyChecksums,
    directory: provider.directoryBucketCapabilities.partCopyChecksums,
  });

  it('on for Amazon S3 (no endpoint, or an amazonaws.com one)', () => {
    const on = { part: true, whole: true, directory: true };
    expect(flags(new S3Provider({ region: 'eu-west-1', credentials }))).toEqual(on);
    expect(
      flags(
        new S3Provider({ endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', credentials }),
      ),
    ).toEqual(on);
  });

  it('off for any other endpoint (MinIO refuses part copies with checksums, moto reports wrong ones)', () => {
    const off = { part: false, whole: false, directory: false };
    expect(flags(new S3Provider({ endpoint: 'http://127.0.0.1:9000', credentials }))).toEqual(off);
    expect(flags(new S3Provider({ endpoint: 'https://evil-amazonaws.com.example', credentials }))).toEqual(
      off,
    );
    const injected = new S3Provider({ endpoint: 'http://127.0.0.1:9000', credentials }).native;
    expect(flags(new S3Provider({ client: injected }))).toEqual(off);
  });

  it('the capabilities option turns them back on for a server that computes them', () => {
    const provider = new S3Provider({
      endpoint: 'http://127.0.0.1:9000',
      credentials,
      capabilities: { wholeObjectCopyChecksums: true },
    });
    expect(flags(provider)).toEqual({ part: false, whole: true, directory: false });
  });
});
