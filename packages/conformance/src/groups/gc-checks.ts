/**
 * gc: the engine's garbage collector on this store. An abandoned upload older than the age is
 * aborted and a younger one kept; a dry run removes nothing; an upload that a session of the
 * caller's session store names is kept however old; bad input is refused before any request.
 * Ages are measured from a `now` the checks choose (the store's own initiation times), so no
 * check depends on how fast the store or the machine is.
 */
import {
  abortCopySession,
  collectGarbage,
  copyObject,
  MemorySessionStore,
  type MultipartUploadInfo,
  PartCopyError,
} from '@partcopy/core';
import { check, checkEqual, expectError } from '../assertions.js';
import type { CheckContext, UploadRef } from '../check-context.js';
import { putSource } from '../check-helpers.js';
import { defineChecks } from '../define-checks.js';

/** Far enough ahead that every upload of the check is older than an age of 0. */
const LATER = 24 * 60 * 60 * 1000;

async function uploadsOf(t: CheckContext): Promise<MultipartUploadInfo[]> {
  return (await t.client.listMultipartUploads({ bucket: t.bucket })).uploads;
}

async function initiatedOf(t: CheckContext, upload: UploadRef): Promise<Date> {
  const found = (await uploadsOf(t)).find((u) => u.uploadId === upload.uploadId);
  check(found !== undefined, 'listMultipartUploads: the upload is not listed');
  return found.initiated;
}

/**
 * A second upload whose initiation time (as the store records it) is later than the first's:
 * created again until the store's clock has moved past it (a store may keep whole seconds).
 */
async function laterUpload(t: CheckContext, first: Date): Promise<{ upload: UploadRef; initiated: Date }> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const upload = await t.createUpload(t.key('young'));
    const initiated = await initiatedOf(t, upload);
    if (initiated > first) return { upload, initiated };
    await t.client.abortMultipartUpload(upload);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the store's initiation times did not move past the first upload's");
}

async function isListed(t: CheckContext, upload: UploadRef): Promise<boolean> {
  return (await uploadsOf(t)).some((u) => u.uploadId === upload.uploadId);
}

export const gcChecks = defineChecks('gc', [
  {
    id: 'gc.old-removed-young-kept',
    title: 'an upload older than the age is aborted, a younger one is kept, both reported',
    requires: ['listMultipartUploads'],
    async run(t) {
      const old = await t.createUpload(t.key('old'));
      const { upload: young, initiated } = await laterUpload(t, await initiatedOf(t, old));
      // Measured from the young upload's initiation: it is 0 ms old, the old one older.
      const report = await collectGarbage({
        client: t.client,
        buckets: [t.bucket],
        olderThanMs: 0,
        now: initiated,
      });
      check(!(await isListed(t, old)), 'the old upload is gone from listMultipartUploads');
      await expectError(t.client.listParts(old), 'NoSuchUpload', 'listParts of the collected upload');
      check(await isListed(t, young), 'the young upload is still listed');
      const removed = report.items.find((i) => i.uploadId === old.uploadId);
      const kept = report.items.find((i) => i.uploadId === young.uploadId);
      checkEqual(removed?.action, 'removed', 'the old upload in the report');
      checkEqual(removed?.name, old.key, "the old upload's key in the report");
      checkEqual(kept?.action, 'kept', 'the young upload in the report');
      checkEqual(kept?.reason, 'younger than the age', 'why the young upload was kept');
      checkEqual(report.failed, 0, 'failures');
      await t.client.abortMultipartUpload(young);
    },
  },
  {
    id: 'gc.dry-run',
    title: 'a dry run reports what it would remove and removes nothing',
    requires: ['listMultipartUploads'],
    async run(t) {
      const upload = await t.createUpload(t.key('abandoned'));
      const now = new Date(Date.now() + LATER);
      const report = await collectGarbage({
        client: t.client,
        buckets: [t.bucket],
        olderThanMs: 0,
        now,
        dryRun: true,
      });
      checkEqual(report.dryRun, true, 'report.dryRun');
      const item = report.items.find((i) => i.uploadId === upload.uploadId);
      checkEqual(item?.action, 'would-remove', 'the upload in the report');
      check(await isListed(t, upload), 'the upload is still listed after the dry run');
      const parts = await t.client.listParts(upload);
      checkEqual(parts.uploadId, upload.uploadId, 'listParts still answers for the upload');
      checkEqual(report.removed, 1, 'uploads reported as to remove');
      const wet = await collectGarbage({ client: t.client, buckets: [t.bucket], olderThanMs: 0, now });
      checkEqual(wet.items.find((i) => i.uploadId === upload.uploadId)?.action, 'removed', 'then removed');
      check(!(await isListed(t, upload)), 'the upload is gone after the real run');
    },
  },
  {
    id: 'gc.session-upload-kept',
    title:
      "an interrupted resumable copy's upload is kept when its session store is given, and removed when not",
    // The engine pins the copy to the source's ETag.
    requires: ['listMultipartUploads', 'copySourceIfMatch'],
    async run(t) {
      const source = await putSource(t, 100);
      const key = t.key('copy');
      const sessions = new MemorySessionStore();
      const stop = new AbortController();
      const off = t.client.on((event) => {
        if (event.type === 'response' && event.operation === 'createMultipartUpload')
          stop.abort(new Error('interrupted after creating the upload'));
      });
      const interrupted = await copyObject({
        client: t.client,
        source: { bucket: source.bucket, key: source.key },
        destination: { bucket: t.bucket, key },
        partSize: source.bytes.length,
        session: { store: sessions, id: 'conformance-gc' },
        signal: stop.signal,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      off();
      check(
        PartCopyError.hasCode(interrupted, 'RequestAborted'),
        'the interrupted copy fails with RequestAborted',
      );
      const stray = await t.createUpload(t.key('stray'));
      const now = new Date(Date.now() + LATER);
      const report = await collectGarbage({
        client: t.client,
        buckets: [t.bucket],
        olderThanMs: 0,
        now,
        sessions,
      });
      const left = await uploadsOf(t);
      checkEqual(left.map((u) => u.key).join(','), key, "uploads left: only the session's");
      const kept = report.items.find((i) => i.name === key);
      checkEqual(kept?.action, 'kept', "the session's upload in the report");
      checkEqual(kept?.reason, 'session conformance-gc', 'why it was kept');
      checkEqual(
        report.items.find((i) => i.uploadId === stray.uploadId)?.action,
        'removed',
        'the stray upload',
      );
      const aborted = await abortCopySession({
        client: t.client,
        session: { store: sessions, id: 'conformance-gc' },
      });
      checkEqual(aborted.uploadWasGone, false, 'the session still had its upload');
      checkEqual((await uploadsOf(t)).length, 0, 'uploads left after aborting the session');
    },
  },
  {
    id: 'gc.bad-input',
    title: 'a negative age or no bucket is InvalidArgument, a missing bucket NoSuchBucket',
    requires: ['listMultipartUploads'],
    async run(t) {
      const client = t.client;
      await expectError(
        collectGarbage({ client, buckets: [t.bucket], olderThanMs: -1 }),
        'InvalidArgument',
        'age -1',
      );
      await expectError(
        collectGarbage({ client, buckets: [], olderThanMs: 0 }),
        'InvalidArgument',
        'no bucket',
      );
      await expectError(
        collectGarbage({ client, buckets: [t.missingBucketName()], olderThanMs: 0 }),
        'NoSuchBucket',
        'a missing bucket',
      );
    },
  },
]);
