/**
 * Proves the kit can fail: providers broken on purpose (each a small wrapper over the memory
 * provider) must fail exactly the checks that assert the broken MUST, while the unbroken provider
 * passes them. The kit runs here under a recording runner of our own.
 */
import { PartCopyError, type Provider } from '@partcopy/core';
import {
  type ListObjectVersionsRequest,
  type PutBucketVersioningRequest,
  type ServerSideCopyRequest,
  type UploadPartCopyRequest,
  unquoteEtag,
} from '@partcopy/core/provider';
import { createMemoryProvider, MemoryStore } from '@partcopy/memory';
import { describe, expect, it } from 'vitest';
import { type GroupName, listChecks, runConformance } from '../src/index.js';
import { idOf, RecordingRunner, type TestOutcome } from './recording-runner.js';

const MIN_PART = 1024;

type Patch = (inner: Provider) => Partial<Record<keyof Provider, unknown>>;

/** A memory provider with some methods replaced. */
function patched(patch: Patch, store = new MemoryStore()): Provider {
  const inner = createMemoryProvider({ store, minPartSize: MIN_PART });
  const overrides = patch(inner);
  return new Proxy(inner, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof Provider];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function runKit(
  groups: GroupName[] | undefined,
  createProvider: () => Provider,
  extra: { reopenProvider?: (p: Provider) => Provider } = {},
): Promise<Map<string, TestOutcome>> {
  const recorder = new RecordingRunner();
  runConformance({
    name: 'under test',
    runner: recorder.runner,
    createProvider,
    env: {},
    ...(groups ? { groups } : {}),
    ...extra,
  });
  const outcomes = await recorder.run();
  return new Map(outcomes.map((o) => [idOf(o.title), o]));
}

function statusOf(outcomes: Map<string, TestOutcome>, id: string): string | undefined {
  return outcomes.get(id)?.status;
}

function failureMessage(outcomes: Map<string, TestOutcome>, id: string): string {
  const error = outcomes.get(id)?.error;
  return error instanceof Error ? error.message : String(error);
}

const unquoted = <T extends { etag: string }>(value: T): T => ({ ...value, etag: unquoteEtag(value.etag) });

interface Scenario {
  name: string;
  groups: GroupName[];
  patch: Patch;
  mustFail: string[];
  mustPass: string[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'copies whole objects ignoring the source conditions and the size limit',
    groups: ['whole-object-copy'],
    patch: (inner) => ({
      capabilities: { ...inner.capabilities, maxWholeObjectCopySize: 1024 },
      copyObject: (request: ServerSideCopyRequest, ctx: never) =>
        createMemoryProvider({ store: (inner as unknown as { store: MemoryStore }).store }).copyObject(
          { ...request, conditions: {} },
          ctx,
        ),
    }),
    mustFail: [
      'whole-object-copy.if-match-false',
      'whole-object-copy.if-none-match-false',
      'whole-object-copy.stale-pin',
      'whole-object-copy.over-limit',
    ],
    mustPass: [
      'whole-object-copy.bytes',
      'whole-object-copy.if-match',
      'whole-object-copy.missing-source-key',
    ],
  },
  {
    name: 'ignores copySourceIfMatch',
    groups: ['conditions'],
    patch: (inner) => ({
      uploadPartCopy: (request: UploadPartCopyRequest, ctx: never) => {
        const { ifMatch: _ignored, ...conditions } = request.conditions;
        return inner.uploadPartCopy({ ...request, conditions }, ctx);
      },
    }),
    mustFail: ['conditions.if-match-false', 'conditions.if-match-list-miss'],
    mustPass: [
      'conditions.if-match-quoted',
      'conditions.if-none-match-false',
      'conditions.if-modified-since-false',
    ],
  },
  {
    name: 'returns unquoted ETags',
    groups: ['lifecycle'],
    patch: (inner) => ({
      uploadPart: async (r: never, c: never) => unquoted(await inner.uploadPart(r, c)),
      putObject: async (r: never, c: never) => unquoted(await inner.putObject(r, c)),
    }),
    mustFail: ['lifecycle.etags-quoted', 'lifecycle.part-etag-md5', 'lifecycle.upload-and-copy'],
    mustPass: ['lifecycle.whole-source-copy', 'lifecycle.object-settings'],
  },
  {
    name: 'clamps a copy range reaching past the end of the source',
    groups: ['ranges'],
    patch: (inner) => ({
      uploadPartCopy: async (request: UploadPartCopyRequest, ctx: never) => {
        if (!request.range) return inner.uploadPartCopy(request, ctx);
        const head = await inner.headObject({ bucket: request.source.bucket, key: request.source.key }, ctx);
        const end = Math.min(request.range.end, head.size - 1);
        return inner.uploadPartCopy(
          { ...request, range: { start: Math.min(request.range.start, end), end } },
          ctx,
        );
      },
    }),
    mustFail: ['ranges.past-end', 'ranges.start-past-end'],
    mustPass: ['ranges.first-byte', 'ranges.last-byte', 'ranges.malformed-suffix'],
  },
  {
    // The message echoes the range (which contains the size's digits) but never names the size.
    name: 'answers a range past the end without naming the source size',
    groups: ['ranges'],
    patch: (inner) => ({
      uploadPartCopy: async (request: UploadPartCopyRequest, ctx: never) => {
        try {
          return await inner.uploadPartCopy(request, ctx);
        } catch (error) {
          if (!PartCopyError.hasCode(error, 'InvalidArgument') || !request.range) throw error;
          const { start, end } = request.range;
          throw new PartCopyError('InvalidArgument', `the range bytes=${start}-${end} is not valid`);
        }
      },
    }),
    mustFail: ['ranges.past-end', 'ranges.start-past-end'],
    mustPass: ['ranges.first-byte', 'ranges.last-byte', 'ranges.malformed-suffix'],
  },
  {
    name: 'answers NoSuchKey for unknown uploads',
    groups: ['no-such-upload'],
    patch: (inner) => {
      const remap = (call: (r: never, c: never) => Promise<unknown>) => async (r: never, c: never) => {
        try {
          return await call(r, c);
        } catch (error) {
          if (PartCopyError.hasCode(error, 'NoSuchUpload'))
            throw new PartCopyError('NoSuchKey', error.message);
          throw error;
        }
      };
      return {
        uploadPart: remap(inner.uploadPart.bind(inner)),
        abortMultipartUpload: remap(inner.abortMultipartUpload.bind(inner)),
      };
    },
    mustFail: [
      'no-such-upload.bogus-id-upload-part',
      'no-such-upload.after-abort-abort',
      'no-such-upload.after-complete-upload-part',
    ],
    mustPass: ['no-such-upload.bogus-id-complete', 'no-such-upload.after-abort-list-parts'],
  },
  {
    name: 'reports client-streamed copies while claiming native ranged copy',
    groups: ['lifecycle'],
    patch: (inner) => ({
      uploadPartCopy: async (r: never, c: never) => ({
        ...(await inner.uploadPartCopy(r, c)),
        transfer: 'client-streamed',
      }),
    }),
    mustFail: ['lifecycle.transfer-mode'],
    mustPass: ['lifecycle.whole-source-copy'],
  },
  {
    name: 'completes parts listed out of order',
    groups: ['completion'],
    patch: (inner) => ({
      completeMultipartUpload: (request: { parts: Array<{ partNumber: number }> }, ctx: never) =>
        inner.completeMultipartUpload(
          { ...request, parts: [...request.parts].sort((a, b) => a.partNumber - b.partNumber) } as never,
          ctx,
        ),
    }),
    mustFail: ['completion.out-of-order'],
    mustPass: ['completion.wrong-etag', 'completion.duplicate-part'],
  },
  {
    name: 'does nothing on abort',
    groups: ['abort', 'no-such-upload'],
    patch: () => ({ abortMultipartUpload: async () => undefined }),
    mustFail: [
      'abort.leaves-nothing',
      'no-such-upload.after-abort-upload-part',
      'no-such-upload.bogus-id-abort',
    ],
    mustPass: ['abort.existing-object-untouched', 'no-such-upload.bogus-id-upload-part'],
  },
  {
    // The facade refuses a signal that has already fired, so only a signal firing once the
    // provider is called shows whether the provider honours ctx.signal.
    name: 'ignores ctx.signal',
    groups: ['abort-signal'],
    patch: (inner) => {
      const unaborted = { signal: new AbortController().signal };
      return {
        uploadPartCopy: (request: never) => inner.uploadPartCopy(request, unaborted),
        uploadPart: (request: never) => inner.uploadPart(request, unaborted),
      };
    },
    mustFail: ['abort-signal.upload-part-copy-in-provider'],
    mustPass: ['abort-signal.upload-part-copy', 'abort-signal.upload-part'],
  },
  {
    name: 'puts the SSE-C source key in its error messages',
    groups: ['sse-c'],
    patch: (inner) => ({
      uploadPartCopy: async (request: UploadPartCopyRequest, ctx: never) => {
        try {
          return await inner.uploadPartCopy(request, ctx);
        } catch (error) {
          if (!PartCopyError.isInstance(error)) throw error;
          const leaked = request.sourceSseCustomer?.keyBase64() ?? 'none';
          throw new PartCopyError(error.code, `${error.message} (source key ${leaked})`);
        }
      },
    }),
    mustFail: ['sse-c.copy-wrong-source-key'],
    mustPass: ['sse-c.copy-with-source-key', 'sse-c.copy-without-source-key'],
  },
  {
    name: 'pages versions by key marker only, skipping the rest of a key after its version-id marker',
    groups: ['bucket-versioning'],
    patch: (inner) => ({
      listObjectVersions: (request: ListObjectVersionsRequest, ctx: never) => {
        const { versionIdMarker: _dropped, ...rest } = request;
        return (inner.listObjectVersions as NonNullable<Provider['listObjectVersions']>)(rest, ctx);
      },
    }),
    mustFail: ['bucket-versioning.list-paging'],
    mustPass: ['bucket-versioning.list-order-and-markers', 'bucket-versioning.states'],
  },
  {
    name: 'keeps versioning enabled when asked to suspend it',
    groups: ['bucket-versioning'],
    patch: (inner) => ({
      putBucketVersioning: (request: PutBucketVersioningRequest, ctx: never) =>
        (inner.putBucketVersioning as NonNullable<Provider['putBucketVersioning']>)(
          { ...request, status: 'Enabled' },
          ctx,
        ),
    }),
    mustFail: ['bucket-versioning.states', 'bucket-versioning.suspended-null-version'],
    mustPass: ['bucket-versioning.list-order-and-markers', 'bucket-versioning.enable-keeps-null-version'],
  },
];

describe('the kit fails providers that break a MUST', () => {
  for (const scenario of SCENARIOS) {
    it(`a provider that ${scenario.name}`, async () => {
      const outcomes = await runKit(scenario.groups, () => patched(scenario.patch));
      for (const id of scenario.mustFail) {
        expect(statusOf(outcomes, id), `${id} must fail`).toBe('failed');
      }
      for (const id of scenario.mustPass) {
        expect(statusOf(outcomes, id), `${id} must pass: ${failureMessage(outcomes, id)}`).toBe('passed');
      }
    });
  }

  it('a provider that keeps upload state in the instance fails the cross-instance checks', async () => {
    const outcomes = await runKit(['listing', 'abort'], () => patched(() => ({})), {
      reopenProvider: () => patched(() => ({})), // a fresh store: another "process" sees nothing
    });
    expect(statusOf(outcomes, 'listing.cross-instance-complete')).toBe('failed');
    expect(statusOf(outcomes, 'abort.cross-instance')).toBe('failed');
    expect(statusOf(outcomes, 'abort.existing-object-untouched')).toBe('passed');
  });

  it('the unbroken memory provider passes every check under the recording runner', async () => {
    const outcomes = await runKit(undefined, () => patched(() => ({})), {
      reopenProvider: (p) => patched(() => ({}), (p as unknown as { store: MemoryStore }).store),
    });
    const failed = [...outcomes.values()].filter((o) => o.status === 'failed');
    expect(failed.map((o) => `${o.title}: ${String(o.error)}`)).toEqual([]);
    // Only the checks for features memory has are not applicable (their gates say why).
    const skipped = [...outcomes.entries()].filter(([, o]) => o.status === 'skipped').map(([id]) => id);
    expect(skipped.sort()).toEqual([
      'bucket-versioning.switched-off-refused',
      'conditions.switched-off-refused',
      'delete-conditions.switched-off-refused',
      'lifecycle.sub-range-unsupported',
      // Memory signs no URLs and fetches none: the server-pull primitives are absent.
      'server-pull.part-from-url',
      'server-pull.part-from-url-no-such-upload',
      'server-pull.part-from-url-pinned',
      'server-pull.presigned-read-expiry',
      'server-pull.presigned-read-serves-range',
      'sse-c.switched-off-refused',
      'sse-kms.switched-off-refused',
      'versioned-sources.switched-off-refused',
      'whole-object-copy.conditions-switched-off-refused',
      'whole-object-copy.over-limit',
      'whole-object-copy.switched-off-refused',
    ]);
    expect(outcomes.size).toBe(listChecks().length);
  });
});
