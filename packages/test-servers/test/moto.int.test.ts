import { describe, expect, it } from 'vitest';
import { requireServerEnv } from '../src/index.ts';
import { s3Client, uploadPartCopyRoundTrip } from './s3-smoke.ts';

describe('second S3 implementation (PARTCOPY_S3ALT_*)', () => {
  const env = requireServerEnv('s3alt');
  const client = s3Client(
    env.PARTCOPY_S3ALT_ENDPOINT,
    env.PARTCOPY_S3ALT_ACCESS_KEY,
    env.PARTCOPY_S3ALT_SECRET_KEY,
  );

  it('names itself', () => {
    expect(env.PARTCOPY_S3ALT_NAME).toBe('moto');
  });

  it('puts, reads a range and builds an object from ranged UploadPartCopy parts', async () => {
    await uploadPartCopyRoundTrip(client);
  });
});
