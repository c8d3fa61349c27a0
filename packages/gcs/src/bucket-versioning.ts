/**
 * Whether a bucket keeps versions, read once per bucket (and provider) from the bucket's
 * metadata. S3 reports no version id for objects of a bucket that never had versioning; GCS
 * gives every object a generation, which partcopy reports as the version id only where the
 * bucket is versioned (`versioning.enabled`), so answers match S3's. The generation still pins
 * every copy inside the provider; the engine pins by ETag.
 *
 * A caller that may not read bucket metadata (no `storage.buckets.get`) keeps getting the
 * generation as the version id: without knowing, hiding a real version id would be worse.
 */
import { bucketPath, GcsHttpError, type GcsJsonApi } from './gcs-json-api.js';

export class BucketVersioning {
  readonly #known = new Map<string, Promise<boolean>>();

  constructor(private readonly api: GcsJsonApi) {}

  /** True when the bucket keeps versions (or when its metadata cannot be read). */
  enabled(bucket: string, signal: AbortSignal): Promise<boolean> {
    const known = this.#known.get(bucket);
    if (known) return known;
    const lookup = this.#read(bucket, signal);
    this.#known.set(bucket, lookup);
    // A failed lookup (aborted, bucket missing) is not remembered.
    lookup.catch(() => this.#known.delete(bucket));
    return lookup;
  }

  /** What createBucket just set. */
  remember(bucket: string, enabled: boolean): void {
    this.#known.set(bucket, Promise.resolve(enabled));
  }

  forget(bucket: string): void {
    this.#known.delete(bucket);
  }

  async #read(bucket: string, signal: AbortSignal): Promise<boolean> {
    try {
      const resource = await this.api.json<{ versioning?: { enabled?: boolean } }>(
        'GET',
        bucketPath(bucket),
        {
          query: { fields: 'versioning' },
          signal,
          idempotent: true,
        },
      );
      return resource.versioning?.enabled === true;
    } catch (error) {
      if (error instanceof GcsHttpError && error.status === 403) return true;
      throw error;
    }
  }
}

/**
 * `result` without `field` unless the bucket keeps versions. A version id the caller asked for
 * is the caller's own and is left alone by the callers of this function.
 */
export async function versionIdIfVersioned<T extends object>(
  versioning: BucketVersioning,
  bucket: string,
  signal: AbortSignal,
  result: T,
  field: 'versionId' | 'copySourceVersionId' = 'versionId',
): Promise<T> {
  if (!(field in result) || (await versioning.enabled(bucket, signal))) return result;
  const { [field]: _dropped, ...rest } = result as Record<string, unknown>;
  return rest as T;
}
