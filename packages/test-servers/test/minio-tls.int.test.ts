import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { describe, expect, it } from 'vitest';
import { requireServerEnv } from '../src/index.ts';
import { s3Client, uploadPartCopyRoundTrip } from './s3-smoke.ts';

describe('MinIO over TLS', () => {
  const env = requireServerEnv('minio-tls');
  const client = s3Client(
    env.PARTCOPY_MINIO_TLS_ENDPOINT,
    env.PARTCOPY_MINIO_ACCESS_KEY,
    env.PARTCOPY_MINIO_SECRET_KEY,
    { requestHandler: { httpsAgent: new Agent({ ca: readFileSync(env.PARTCOPY_MINIO_TLS_CA_FILE) }) } },
  );

  it('serves https with a certificate trusted through PARTCOPY_MINIO_TLS_CA_FILE', async () => {
    expect(env.PARTCOPY_MINIO_TLS_ENDPOINT).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await uploadPartCopyRoundTrip(client);
  });

  it('copies ranges of an SSE-C object into an SSE-C multipart upload', async () => {
    // 32 bytes of key material; the SDK base64-encodes it and adds the MD5 header.
    await uploadPartCopyRoundTrip(client, {
      SSECustomerAlgorithm: 'AES256',
      SSECustomerKey: 'partcopy-smoke-test-key-32-bytes',
    });
  });
});
