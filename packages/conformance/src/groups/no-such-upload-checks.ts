/**
 * no-such-upload: an upload id that was never issued, was aborted, or was completed names no
 * upload: every operation on it fails with `NoSuchUpload` (404), abort included (as S3).
 */
import type { CapabilityFlag } from '@partcopy/core';
import { expectError } from '../assertions.js';
import type { CheckContext, UploadRef } from '../check-context.js';
import { complete, copyPart, putSource } from '../check-helpers.js';
import type { CheckSpec } from '../define-checks.js';
import { defineChecks } from '../define-checks.js';
import { randomToken } from '../random-names.js';
import { randomData } from '../test-data.js';

type Scenario = 'bogus-id' | 'after-abort' | 'after-complete';

const SCENARIOS: Record<Scenario, { label: string; make: (t: CheckContext) => Promise<UploadRef> }> = {
  'bogus-id': {
    label: 'an upload id that was never issued',
    make: async (t) => ({ bucket: t.bucket, key: t.key('dest'), uploadId: `bogus-${randomToken(24)}` }),
  },
  'after-abort': {
    label: 'an aborted upload',
    make: async (t) => {
      const upload = await t.createUpload(t.key('dest'));
      await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(8) });
      await t.client.abortMultipartUpload(upload);
      return upload;
    },
  },
  'after-complete': {
    label: 'a completed upload',
    make: async (t) => {
      const upload = await t.createUpload(t.key('dest'));
      const part = await t.client.uploadPart({ ...upload, partNumber: 1, body: randomData(8) });
      await complete(t, upload, [{ partNumber: 1, etag: part.etag }]);
      return upload;
    },
  },
};

type Operation = 'upload-part' | 'upload-part-copy' | 'list-parts' | 'complete' | 'abort';

const OPERATIONS: Record<
  Operation,
  {
    name: string;
    requires: readonly CapabilityFlag[];
    call: (t: CheckContext, u: UploadRef) => Promise<unknown>;
  }
> = {
  'upload-part': {
    name: 'uploadPart',
    requires: [],
    call: (t, u) => t.client.uploadPart({ ...u, partNumber: 2, body: randomData(8) }),
  },
  'upload-part-copy': {
    name: 'uploadPartCopy',
    requires: [],
    call: async (t, u) => {
      const source = await putSource(t, 8);
      return copyPart(t, u, 2, { bucket: source.bucket, key: source.key });
    },
  },
  'list-parts': { name: 'listParts', requires: ['listParts'], call: (t, u) => t.client.listParts(u) },
  complete: {
    name: 'completeMultipartUpload',
    requires: [],
    call: (t, u) => complete(t, u, [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }]),
  },
  abort: { name: 'abortMultipartUpload', requires: [], call: (t, u) => t.client.abortMultipartUpload(u) },
};

function noSuchUpload<const Id extends `no-such-upload.${string}`>(
  id: Id,
  scenario: Scenario,
  operation: Operation,
): CheckSpec<Id> {
  const { label, make } = SCENARIOS[scenario];
  const op = OPERATIONS[operation];
  return {
    id,
    title: `${op.name} on ${label} → NoSuchUpload (404)`,
    requires: op.requires,
    async run(t) {
      const upload = await make(t);
      await expectError(op.call(t, upload), 'NoSuchUpload', `${op.name} on ${label}`, { status: true });
    },
  };
}

export const noSuchUploadChecks = defineChecks('no-such-upload', [
  noSuchUpload('no-such-upload.bogus-id-upload-part', 'bogus-id', 'upload-part'),
  noSuchUpload('no-such-upload.bogus-id-upload-part-copy', 'bogus-id', 'upload-part-copy'),
  noSuchUpload('no-such-upload.bogus-id-list-parts', 'bogus-id', 'list-parts'),
  noSuchUpload('no-such-upload.bogus-id-complete', 'bogus-id', 'complete'),
  noSuchUpload('no-such-upload.bogus-id-abort', 'bogus-id', 'abort'),
  noSuchUpload('no-such-upload.after-abort-upload-part', 'after-abort', 'upload-part'),
  noSuchUpload('no-such-upload.after-abort-upload-part-copy', 'after-abort', 'upload-part-copy'),
  noSuchUpload('no-such-upload.after-abort-list-parts', 'after-abort', 'list-parts'),
  noSuchUpload('no-such-upload.after-abort-complete', 'after-abort', 'complete'),
  noSuchUpload('no-such-upload.after-abort-abort', 'after-abort', 'abort'),
  noSuchUpload('no-such-upload.after-complete-upload-part', 'after-complete', 'upload-part'),
  noSuchUpload('no-such-upload.after-complete-upload-part-copy', 'after-complete', 'upload-part-copy'),
  noSuchUpload('no-such-upload.after-complete-list-parts', 'after-complete', 'list-parts'),
  noSuchUpload('no-such-upload.after-complete-complete', 'after-complete', 'complete'),
  noSuchUpload('no-such-upload.after-complete-abort', 'after-complete', 'abort'),
]);
