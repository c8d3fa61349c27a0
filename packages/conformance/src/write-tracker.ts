/**
 * Records what a check wrote (buckets, uploads, object versions, delete markers) by watching the
 * provider's answers, so clean-up can remove exactly that: the contract has no way to list
 * versions, and a versioned bucket cannot be deleted while versions remain.
 */
import type { Provider } from '@partcopy/core';

export interface WrittenVersion {
  bucket: string;
  key: string;
  versionId: string;
}

export interface WrittenUpload {
  bucket: string;
  key: string;
  uploadId: string;
}

/** What one check wrote, in order. */
export class WriteLog {
  readonly buckets: string[] = [];
  readonly uploads: WrittenUpload[] = [];
  readonly versions: WrittenVersion[] = [];

  version(bucket: string, key: string, versionId: string | undefined): void {
    if (versionId !== undefined && versionId !== 'null') this.versions.push({ bucket, key, versionId });
  }
}

type Recorder = (
  log: WriteLog,
  request: Record<string, unknown>,
  result: Record<string, unknown> | undefined,
) => void;

const RECORDERS: Partial<Record<keyof Provider, Recorder>> = {
  createBucket: (log, req) => log.buckets.push(String(req.bucket)),
  createMultipartUpload: (log, req, res) =>
    log.uploads.push({ bucket: String(req.bucket), key: String(req.key), uploadId: String(res?.uploadId) }),
  putObject: (log, req, res) =>
    log.version(String(req.bucket), String(req.key), res?.versionId as string | undefined),
  copyObject: (log, req, res) =>
    log.version(String(req.bucket), String(req.key), res?.versionId as string | undefined),
  completeMultipartUpload: (log, req, res) =>
    log.version(String(req.bucket), String(req.key), res?.versionId as string | undefined),
  // A delete without a version id in a versioned bucket answers the delete marker's id.
  deleteObject: (log, req, res) => {
    if (req.versionId === undefined)
      log.version(String(req.bucket), String(req.key), res?.versionId as string | undefined);
  },
};

/**
 * Wraps a provider so every successful write is recorded in `log`. Calls, `this`, results and
 * errors pass through unchanged; the facade sees the same provider.
 */
export function trackWrites(provider: Provider, log: WriteLog): Provider {
  return new Proxy(provider, {
    get(target, property, _receiver) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const recorder = RECORDERS[property as keyof Provider];
      const method = value as (...args: unknown[]) => unknown;
      if (!recorder) return method.bind(target);
      return async (request: Record<string, unknown>, ctx: unknown) => {
        const result = (await method.call(target, request, ctx)) as Record<string, unknown> | undefined;
        recorder(log, request, result);
        return result;
      };
    },
  });
}
