import { randomBytes, randomUUID } from 'node:crypto';
import { Storage } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { requireServerEnv } from '../src/index.ts';

describe('fake-gcs-server', () => {
  const env = requireServerEnv('gcs');
  const storage = new Storage({
    apiEndpoint: env.PARTCOPY_GCS_ENDPOINT,
    projectId: env.PARTCOPY_GCS_PROJECT,
  });

  it('uploads two objects and composes them', async () => {
    const [bucket] = await storage.createBucket(`smoke-${randomUUID().slice(0, 8)}`);
    const a = randomBytes(300 * 1024);
    const b = randomBytes(100 * 1024);
    await bucket.file('a').save(a, { resumable: false });
    // A resumable upload follows the Location header the server returns, so this also checks
    // that the server advertises its own host:port.
    await bucket.file('b').save(b, { resumable: true });

    const [ranged] = await bucket.file('a').download({ start: 10, end: 19 });
    expect(ranged.equals(a.subarray(10, 20))).toBe(true);

    await bucket.combine([bucket.file('a'), bucket.file('b')], bucket.file('ab'));
    const [got] = await bucket.file('ab').download();
    expect(got.equals(Buffer.concat([a, b]))).toBe(true);
  });
});
