// Defect 6 (issue 13) on fs: an abort racing a completion of the same upload. fs guarantees one
// winner (ending an upload renames its folder into trash/ first); these races check the
// answers agree with the key whatever the interleaving.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ctx, provider, stageParts, tempDir, text } from './helpers.js';

let root: { dir: string; cleanup: () => Promise<void> };
const bucket = 'race';

beforeEach(async () => {
  root = await tempDir();
  await provider(root.dir).createBucket({ bucket }, ctx());
});
afterEach(() => root.cleanup());

describe('abort racing completion on fs', () => {
  it('20 races (two providers on one root): exactly one wins, and the answers agree with the key', async () => {
    const a = provider(root.dir);
    const b = provider(root.dir);
    for (let i = 0; i < 20; i++) {
      const key = `k${i}`;
      const { uploadId, listed } = await stageParts(a, bucket, key, [text(`bytes ${i}`)]);
      const [complete, abort] = await Promise.allSettled([
        a.completeMultipartUpload({ bucket, key, uploadId, parts: listed }, ctx()),
        b.abortMultipartUpload({ bucket, key, uploadId }, ctx()),
      ]);
      const published = await a.headObject({ bucket, key }, ctx()).then(
        () => true,
        () => false,
      );
      const seen = `race ${i}: ${complete.status}/${abort.status}/${published}`;
      expect(complete.status === 'fulfilled', seen).toBe(published);
      expect(abort.status === 'fulfilled', seen).toBe(!published);
    }
  });
});
