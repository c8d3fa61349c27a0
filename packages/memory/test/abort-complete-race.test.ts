// Defect 6 (issue 13) on memory: an abort racing a completion of the same upload. The answers
// must agree with the key whatever the interleaving: exactly one of the two succeeds.
import { describe, expect, it } from 'vitest';
import { ctx, newBucket, newProvider, payload } from './helpers.js';

describe('abort racing completion on memory', () => {
  it('20 races: exactly one wins, and the answers agree with the key', async () => {
    const provider = newProvider();
    const bucket = await newBucket(provider);
    for (let i = 0; i < 20; i++) {
      const key = `k${i}`;
      const up = await provider.createMultipartUpload({ bucket, key }, ctx());
      const part = await provider.uploadPart({ ...up, partNumber: 1, body: payload(`bytes ${i}`) }, ctx());
      // Alternate who starts first, so both orders of the first await are exercised.
      const complete = () =>
        provider.completeMultipartUpload({ ...up, parts: [{ partNumber: 1, etag: part.etag }] }, ctx());
      const abort = () => provider.abortMultipartUpload(up, ctx());
      const [c, a] =
        i % 2 === 0
          ? await Promise.allSettled([complete(), abort()])
          : await Promise.allSettled([abort(), complete()]).then(([x, y]) => [y, x]);
      const published = await provider.headObject({ bucket, key }, ctx()).then(
        () => true,
        () => false,
      );
      const seen = `race ${i}: ${c?.status}/${a?.status}/${published}`;
      expect(c?.status === 'fulfilled', seen).toBe(published);
      expect(a?.status === 'fulfilled', seen).toBe(!published);
    }
  });
});
