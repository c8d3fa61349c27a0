/**
 * The per-check harness: a fresh provider, a `PartCopyClient` over it, a fresh random bucket,
 * random keys, and clean-up of everything the check wrote. Nothing is shared between checks.
 */
import {
  type ByteRangeInput,
  type Capabilities,
  type CapabilityOverrides,
  type CreateMultipartUploadInput,
  PartCopyClient,
  PartCopyError,
  type Provider,
  type PutObjectInput,
  type PutObjectResult,
} from '@partcopy/core';
import { type Interceptor, wrapProvider } from '@partcopy/core/testing';
import type { ConformanceOptions, ConformanceTolerances } from './conformance-types.js';
import { randomBucketName, randomKey } from './random-names.js';
import { trackWrites, WriteLog } from './write-tracker.js';

/** Everything decided once per suite, before any check runs. */
export interface SuitePlan {
  options: ConformanceOptions;
  /** Overrides every client gets: clientOptions.capabilities, options.capabilities, env switches. */
  capabilityOverrides: CapabilityOverrides;
  /** The provider's capabilities with the overrides applied. */
  capabilities: Readonly<Capabilities>;
  bucketPrefix: string;
}

/** An upload a check started. */
export interface UploadRef {
  bucket: string;
  key: string;
  uploadId: string;
}

/** What a check receives. */
export interface CheckContext {
  /** The facade over this check's fresh provider: every check goes through it. */
  readonly client: PartCopyClient;
  /** The provider itself (for its name; call it through `client`). */
  readonly provider: Provider;
  /** Effective capabilities (provider's, with the suite's overrides). */
  readonly capabilities: Readonly<Capabilities>;
  readonly tolerate: ConformanceTolerances;
  /** A fresh, empty, unversioned bucket made for this check. */
  readonly bucket: string;
  /** True when the suite has `reopenProvider`. */
  readonly canReopen: boolean;
  /** A random key under a readable label. */
  key(label?: string): string;
  /** Another fresh bucket (removed after the check). */
  newBucket(options?: { versioning?: boolean }): Promise<string>;
  /** A random bucket name that is never created. */
  missingBucketName(): string;
  /** A client over a second, independent handle on the same store (`reopenProvider`). */
  reopen(): Promise<PartCopyClient>;
  /**
   * A client over this check's provider with `intercept` around every provider call: a store
   * that lies, for checks of what the engine does about it.
   */
  intercepted(intercept: Interceptor): PartCopyClient;
  /** Puts an object (default bucket: {@link bucket}). */
  put(key: string, body: Uint8Array, extra?: Partial<PutObjectInput>): Promise<PutObjectResult>;
  /** Reads an object (or a range of it) whole. */
  read(
    key: string,
    extra?: { bucket?: string; range?: ByteRangeInput; versionId?: string; sseCustomerKey?: string },
  ): Promise<Uint8Array>;
  /** Starts a multipart upload (default bucket: {@link bucket}). */
  createUpload(key: string, extra?: Partial<CreateMultipartUploadInput>): Promise<UploadRef>;
}

/** Runs `body` with a fresh harness and cleans up afterwards; a clean-up failure fails the check. */
export async function withHarness(plan: SuitePlan, body: (t: CheckContext) => Promise<void>): Promise<void> {
  const harness = await Harness.open(plan);
  let failure: unknown;
  try {
    await body(harness);
  } catch (error) {
    failure = error;
  }
  const cleanupErrors = await harness.cleanup();
  if (failure !== undefined) throw failure;
  if (cleanupErrors.length > 0) {
    throw new AggregateError(
      cleanupErrors,
      `clean-up after the check failed: ${cleanupErrors.map(String).join('; ')}`,
    );
  }
}

class Harness implements CheckContext {
  readonly #plan: SuitePlan;
  readonly #log = new WriteLog();
  readonly #buckets: string[] = [];
  readonly #closers: Array<() => Promise<void>> = [];
  readonly provider: Provider;
  readonly client: PartCopyClient;
  bucket = '';

  private constructor(plan: SuitePlan, provider: Provider) {
    this.#plan = plan;
    this.provider = provider;
    this.client = this.#clientFor(provider);
    this.#closers.push(async () => provider.close?.());
  }

  static async open(plan: SuitePlan): Promise<Harness> {
    const harness = new Harness(plan, await plan.options.createProvider());
    try {
      harness.bucket = await harness.newBucket();
    } catch (error) {
      await harness.cleanup();
      throw error;
    }
    return harness;
  }

  get capabilities(): Readonly<Capabilities> {
    return this.client.capabilities;
  }

  get tolerate(): ConformanceTolerances {
    return this.#plan.options.tolerate ?? {};
  }

  get canReopen(): boolean {
    return this.#plan.options.reopenProvider !== undefined;
  }

  key(label = 'key'): string {
    return randomKey(label);
  }

  missingBucketName(): string {
    return randomBucketName(this.#plan.bucketPrefix);
  }

  async newBucket(options: { versioning?: boolean } = {}): Promise<string> {
    const name = randomBucketName(this.#plan.bucketPrefix);
    const versioning = options.versioning ?? false;
    this.#buckets.push(name);
    const create = this.#plan.options.createBucket;
    if (create) await create(this.client, name, { versioning });
    else await this.client.createBucket({ bucket: name, versioning });
    return name;
  }

  async reopen(): Promise<PartCopyClient> {
    const reopen = this.#plan.options.reopenProvider;
    if (!reopen) throw new TypeError('this check needs the reopenProvider option');
    const second = await reopen(this.provider);
    this.#closers.push(async () => second.close?.());
    return this.#clientFor(second);
  }

  intercepted(intercept: Interceptor): PartCopyClient {
    return this.#clientFor(wrapProvider(this.provider, intercept));
  }

  put(key: string, body: Uint8Array, extra: Partial<PutObjectInput> = {}): Promise<PutObjectResult> {
    return this.client.putObject({ bucket: this.bucket, key, body, ...extra });
  }

  async read(
    key: string,
    extra: { bucket?: string; range?: ByteRangeInput; versionId?: string; sseCustomerKey?: string } = {},
  ): Promise<Uint8Array> {
    const { bucket = this.bucket, ...rest } = extra;
    const result = await this.client.getObject({ bucket, key, ...rest });
    return result.body.bytes();
  }

  async createUpload(key: string, extra: Partial<CreateMultipartUploadInput> = {}): Promise<UploadRef> {
    const bucket = extra.bucket ?? this.bucket;
    const created = await this.client.createMultipartUpload({ ...extra, bucket, key });
    return { bucket, key, uploadId: created.uploadId };
  }

  #clientFor(provider: Provider): PartCopyClient {
    const { clientOptions = {} } = this.#plan.options;
    return new PartCopyClient(trackWrites(provider, this.#log), {
      ...clientOptions,
      // The kit planned with the same layers (to name who switched a flag off); the client
      // applies them itself, the environment included, from the same sources.
      capabilities: this.#plan.capabilityOverrides,
      env: this.#plan.options.env ?? process.env,
    });
  }

  /** Removes every bucket the check made, newest first, then closes the providers. */
  async cleanup(): Promise<unknown[]> {
    const errors: unknown[] = [];
    const buckets = [...new Set([...this.#buckets, ...this.#log.buckets])].reverse();
    for (const name of buckets) {
      try {
        const destroy = this.#plan.options.destroyBucket;
        if (destroy) await destroy(this.client, name);
        else await destroyBucketDefault(this.client, name, this.#log);
      } catch (error) {
        errors.push(error);
      }
    }
    for (const close of this.#closers.reverse()) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}

const GONE = ['NoSuchBucket', 'NoSuchKey', 'NoSuchVersion', 'NoSuchUpload'] as const;

async function ignoreGone(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!GONE.some((code) => PartCopyError.hasCode(error, code))) throw error;
  }
}

/**
 * Default bucket removal: abort its uploads (listed, plus the ones the check started), delete
 * the versions and delete markers the check wrote, delete every listed object, delete the
 * bucket. A bucket the check already deleted is fine.
 */
export async function destroyBucketDefault(
  client: PartCopyClient,
  bucket: string,
  log: WriteLog,
): Promise<void> {
  const caps = client.capabilities;
  try {
    if (caps.listMultipartUploads) {
      for (const upload of await listAllUploads(client, bucket)) {
        await ignoreGone(client.abortMultipartUpload({ bucket, key: upload.key, uploadId: upload.uploadId }));
      }
    }
    for (const upload of log.uploads.filter((u) => u.bucket === bucket)) {
      await ignoreGone(client.abortMultipartUpload(upload));
    }
    // Where the store lists versions, every version and delete marker goes by its id (the `null`
    // ones of a suspended bucket included, which no write reported).
    const here = client.capabilitiesFor(bucket);
    if (here.listObjectVersions && here.versionedSources) await deleteListedVersions(client, bucket);
    const deleted = new Set<unknown>();
    for (let round = 0; round < 10; round++) {
      // Versions first: in a versioned bucket, deleting a listed key adds a delete marker,
      // which the next round removes by its version id.
      const versions = caps.versionedSources
        ? log.versions.filter((v) => v.bucket === bucket && !deleted.has(v))
        : [];
      for (const version of versions.reverse()) {
        deleted.add(version);
        await ignoreGone(client.deleteObject(version));
      }
      const listed = await client.listObjects({ bucket });
      if (listed.objects.length === 0) break;
      for (const object of listed.objects) await ignoreGone(client.deleteObject({ bucket, key: object.key }));
    }
    if (caps.deleteBucket) await client.deleteBucket({ bucket });
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchBucket')) throw error;
  }
}

async function deleteListedVersions(client: PartCopyClient, bucket: string): Promise<void> {
  for (let page = 0; page < 100; page++) {
    const listed = await client.listObjectVersions({ bucket });
    const entries = [...listed.versions, ...listed.deleteMarkers];
    if (entries.length === 0) return;
    for (const { key, versionId } of entries)
      await ignoreGone(client.deleteObject({ bucket, key, versionId }));
  }
}

async function listAllUploads(
  client: PartCopyClient,
  bucket: string,
): Promise<Array<{ key: string; uploadId: string }>> {
  const out: Array<{ key: string; uploadId: string }> = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (let page = 0; page < 100; page++) {
    const listed = await client.listMultipartUploads({
      bucket,
      ...(keyMarker === undefined ? {} : { keyMarker }),
      ...(uploadIdMarker === undefined ? {} : { uploadIdMarker }),
    });
    out.push(...listed.uploads);
    if (!listed.isTruncated) break;
    keyMarker = listed.nextKeyMarker;
    uploadIdMarker = listed.nextUploadIdMarker;
  }
  return out;
}
