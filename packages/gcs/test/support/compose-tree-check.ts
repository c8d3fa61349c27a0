import { createHash, randomBytes } from 'node:crypto';
import { type CompletedPart, collectBytes } from '@partcopy/core';
import { mapWithConcurrency, multipartEtag, toPayload } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import type { ComposeTreeReport } from '../../src/index.js';
import { ctx, newBucket, serverProvider } from './gcs-server.js';

// Completion of a multipart upload of `count` tiny parts (minimum lowered to 1 byte) on
// fake-gcs-server, checked byte for byte, with the compose tree's depth and call count bounded.
// Shared by the default tier (a few parts) and the scale tier (1,024 and 10,000 parts).
const PART_SIZE = 16;

function ceilLog32(n: number): number {
  let depth = 0;
  for (let capacity = 1; capacity < n; capacity *= 32) depth++;
  return depth;
}

/** Registers one test per part count; `timeout` in ms (the scale tier needs minutes). */
export function describeComposeTree(title: string, counts: readonly number[], timeout?: number): void {
  describe(title, () => {
    for (const count of counts) {
      it(`completes ${count} part(s) byte for byte with a shallow tree`, { timeout }, async () => {
        const reports: ComposeTreeReport[] = [];
        const provider = serverProvider({ minPartSize: 1, onComposeTree: (report) => reports.push(report) });
        const bucket = await newBucket(provider);
        const { uploadId } = await provider.createMultipartUpload({ bucket, key: 'big' }, ctx());
        const bodies = Array.from({ length: count }, () => randomBytes(PART_SIZE));
        const stagingStarted = Date.now();
        const parts: CompletedPart[] = await mapWithConcurrency(
          bodies,
          32,
          async (body, index) => {
            const { etag } = await provider.uploadPart(
              { bucket, key: 'big', uploadId, partNumber: index + 1, body: toPayload(body) },
              ctx(),
            );
            return { partNumber: index + 1, etag };
          },
          new AbortController().signal,
        );
        const stagingMs = Date.now() - stagingStarted;
        const completeStarted = Date.now();
        const done = await provider.completeMultipartUpload({ bucket, key: 'big', uploadId, parts }, ctx());
        const completeMs = Date.now() - completeStarted;

        const stored = Buffer.from(
          await collectBytes((await provider.getObject({ bucket, key: 'big' }, ctx())).body),
        );
        const expected = Buffer.concat(bodies);
        expect(stored.length).toBe(expected.length);
        expect(stored.equals(expected)).toBe(true);
        expect(done.etag).toBe(multipartEtag(parts.map((part) => part.etag)));

        expect(reports).toHaveLength(1);
        const report = reports[0] as ComposeTreeReport;
        const depth = Math.max(1, ceilLog32(count));
        expect(report.depth).toBe(depth);
        // One part still needs one call to publish it: the bound's +depth covers it.
        expect(report.calls).toBeLessThanOrEqual(Math.ceil((count - 1) / 31) + depth);
        expect(report.callsPerLevel.reduce((a, b) => a + b, 0)).toBe(report.calls);
        for (const [level, calls] of report.callsPerLevel.entries()) {
          if (calls > 1) expect(report.maxConcurrentPerLevel[level]).toBeGreaterThan(1);
        }
        const sha = createHash('sha256').update(stored).digest('hex').slice(0, 16);
        console.log(
          `[gcs compose] parts=${count} depth=${report.depth} (ceil(log32 N)=${ceilLog32(count)}) calls=${report.calls} ` +
            `(bound ${Math.ceil((count - 1) / 31) + depth}) perLevel=[${report.callsPerLevel.join(',')}] ` +
            `maxConcurrent=[${report.maxConcurrentPerLevel.join(',')}] composeMs=${report.durationMs} ` +
            `completeMs=${completeMs} stagingMs=${stagingMs} bytes=${stored.length} sha256=${sha}…`,
        );
        const leftovers = await provider.native.api.json<{ items?: unknown[] }>('GET', `/b/${bucket}/o`, {
          query: { prefix: provider.names.prefix, versions: true },
          signal: new AbortController().signal,
        });
        expect(leftovers.items ?? []).toEqual([]);
      });
    }
  });
}
