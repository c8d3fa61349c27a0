/**
 * engine: the managed copy engine of @partcopy/core on this store. A copy in parts gives the
 * source's bytes and leaves no upload; a resumable copy interrupted after its first part is
 * finished from a second handle on the store (another process) copying only the missing parts;
 * aborting a session leaves nothing; a source changed before the resume fails it with
 * `PreconditionFailed` and cleans up (the pin holds across processes).
 */
import {
  abortCopySession,
  CopySessionError,
  copyObject,
  MemorySessionStore,
  type PartCopyClient,
  PartCopyError,
} from '@partcopy/core';
import { check, checkBytes, checkEqual, expectError } from '../assertions.js';
import type { CheckContext } from '../check-context.js';
import { putSource, type Source } from '../check-helpers.js';
import type { GateInput } from '../conformance-types.js';
import {
  defineChecks,
  RANGED_COPY_NEEDS,
  REOPEN_NEEDS,
  rangedCopyGate,
  reopenGate,
} from '../define-checks.js';
import { randomData } from '../test-data.js';

const bothGates = (input: GateInput): string | undefined => rangedCopyGate(input) ?? reopenGate(input);

/** A source of three parts: two of the store's smallest part size and a short last one. */
async function threePartSource(t: CheckContext): Promise<{ source: Source; partSize: number }> {
  const partSize = Math.max(1, t.capabilities.minPartSize);
  return { source: await putSource(t, 2 * partSize + 100), partSize };
}

/** Starts a resumable copy and interrupts it once part 1 is in the store; returns the session store. */
async function interruptedAfterPartOne(
  t: CheckContext,
  source: Source,
  partSize: number,
  destination: string,
) {
  const sessions = new MemorySessionStore();
  const stop = new AbortController();
  const off = t.client.on((event) => {
    if (event.type === 'response' && event.operation === 'uploadPartCopy' && event.partNumber === 1)
      stop.abort(new Error('interrupted after part 1'));
  });
  try {
    const error = await copyObject({
      client: t.client,
      source: { bucket: source.bucket, key: source.key },
      destination: { bucket: t.bucket, key: destination },
      partSize,
      concurrency: 1,
      session: { store: sessions, id: 'conformance' },
      signal: stop.signal,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    check(PartCopyError.hasCode(error, 'RequestAborted'), 'the interrupted copy fails with RequestAborted');
  } finally {
    off();
  }
  return sessions;
}

async function uploadsOf(t: CheckContext, client: PartCopyClient): Promise<number> {
  if (!t.capabilities.listMultipartUploads) return 0;
  return (await client.listMultipartUploads({ bucket: t.bucket })).uploads.length;
}

/** Counts the uploadPartCopy requests `client` sends while `body` runs. */
async function countingPartCopies<T>(
  client: PartCopyClient,
  body: () => Promise<T>,
): Promise<{ result: T; parts: number[] }> {
  const parts: number[] = [];
  const off = client.on((event) => {
    if (event.type === 'request' && event.operation === 'uploadPartCopy' && event.partNumber !== undefined)
      parts.push(event.partNumber);
  });
  try {
    return { result: await body(), parts };
  } finally {
    off();
  }
}

export const engineChecks = defineChecks('engine', [
  {
    id: 'engine.copy-in-parts',
    title: 'copyObject in parts gives the source bytes, checks the size and leaves no upload',
    // The engine pins every part to the source's ETag.
    requires: ['copySourceIfMatch'],
    gate: rangedCopyGate,
    needs: RANGED_COPY_NEEDS,
    async run(t) {
      const { source, partSize } = await threePartSource(t);
      const key = t.key('copy');
      const result = await copyObject({
        client: t.client,
        source: { bucket: source.bucket, key: source.key },
        destination: { bucket: t.bucket, key },
        partSize,
        concurrency: 2,
      });
      checkEqual(result.partsCount, 3, 'parts');
      checkEqual(result.size, source.bytes.length, 'size');
      check(result.verification.size, 'the size was verified');
      checkBytes(await t.read(key), source.bytes, 'the copy');
      checkEqual(await uploadsOf(t, t.client), 0, 'uploads left');
    },
  },
  {
    id: 'engine.resume-second-instance',
    title: 'an interrupted resumable copy is finished from a second handle, copying only the missing parts',
    requires: ['copySourceIfMatch', 'listParts'],
    gate: bothGates,
    needs: `${RANGED_COPY_NEEDS}; ${REOPEN_NEEDS}`,
    async run(t) {
      const { source, partSize } = await threePartSource(t);
      const key = t.key('copy');
      const sessions = await interruptedAfterPartOne(t, source, partSize, key);
      const other = await t.reopen();
      const { result, parts } = await countingPartCopies(other, () =>
        copyObject({
          client: other,
          source: { bucket: source.bucket, key: source.key },
          destination: { bucket: t.bucket, key },
          partSize,
          session: { store: sessions, id: 'conformance' },
        }),
      );
      checkEqual(result.session?.partsReused, 1, 'parts found already copied');
      checkEqual(parts.sort().join(','), '2,3', 'parts copied by the resume');
      checkBytes(await t.read(key), source.bytes, 'the resumed copy');
      checkEqual(await uploadsOf(t, other), 0, 'uploads left');
    },
  },
  {
    id: 'engine.abort-leaves-nothing',
    title: 'aborting an interrupted session leaves no upload and no object',
    // The engine pins every part to the source's ETag.
    requires: ['copySourceIfMatch'],
    gate: rangedCopyGate,
    needs: RANGED_COPY_NEEDS,
    async run(t) {
      const { source, partSize } = await threePartSource(t);
      const key = t.key('copy');
      const sessions = await interruptedAfterPartOne(t, source, partSize, key);
      const aborted = await abortCopySession({
        client: t.client,
        session: { store: sessions, id: 'conformance' },
      });
      checkEqual(aborted.uploadWasGone, false, 'the session still had its upload');
      checkEqual(await uploadsOf(t, t.client), 0, 'uploads left');
      await expectError(t.client.headObject({ bucket: t.bucket, key }), 'NoSuchKey', 'the destination');
      checkEqual((await sessions.list()).length, 0, 'sessions left');
    },
  },
  {
    id: 'engine.pin-holds',
    title: 'a source replaced before the resume fails it with PreconditionFailed and cleans up',
    // The engine pins every part to the source's ETag.
    requires: ['copySourceIfMatch'],
    gate: rangedCopyGate,
    needs: RANGED_COPY_NEEDS,
    async run(t) {
      const { source, partSize } = await threePartSource(t);
      const key = t.key('copy');
      const sessions = await interruptedAfterPartOne(t, source, partSize, key);
      await t.client.putObject({
        bucket: source.bucket,
        key: source.key,
        body: randomData(source.bytes.length),
      });
      const error = await copyObject({
        client: t.client,
        source: { bucket: source.bucket, key: source.key },
        destination: { bucket: t.bucket, key },
        partSize,
        session: { store: sessions, id: 'conformance' },
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      check(CopySessionError.isSessionError(error, 'source-changed'), 'the resume fails: source changed');
      checkEqual((error as PartCopyError).code, 'PreconditionFailed', 'error code');
      checkEqual(await uploadsOf(t, t.client), 0, 'uploads left');
      await expectError(t.client.headObject({ bucket: t.bucket, key }), 'NoSuchKey', 'the destination');
    },
  },
]);
