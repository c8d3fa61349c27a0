import {
  type ErrorCode,
  type ErrorContext,
  mapWithConcurrency,
  PartCopyError,
} from '@partcopy/core/provider';
import { GCS_PROVIDER_NAME } from './gcs-error-map.js';
import { bucketPath, GcsHttpError, type GcsJsonApi, objectPath } from './gcs-json-api.js';
import type { GcsObject, GcsObjectList, GcsObjectSettings } from './gcs-object-resource.js';
import { multipartUploadBody } from './gcs-upload-body.js';

export interface GetOptions {
  generation?: string;
  headers?: Record<string, string>;
  /** Code for a missing object when the bucket exists. */
  missing: ErrorCode;
  context: ErrorContext;
}

export interface InsertOptions {
  resource: GcsObjectSettings & { name: string; md5Hash?: string };
  chunks: AsyncIterable<Uint8Array>;
  length: number;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  onBytes?: (done: number) => void;
}

/** Object-level JSON API calls shared by the provider's operations. */
export class GcsObjectStore {
  constructor(
    readonly api: GcsJsonApi,
    readonly deleteConcurrency: number,
  ) {}

  /** An object's resource. 404 becomes `NoSuchBucket` or `options.missing`. */
  async get(bucket: string, name: string, signal: AbortSignal, options: GetOptions): Promise<GcsObject> {
    try {
      return await this.api.json<GcsObject>('GET', objectPath(bucket, name), {
        query: { generation: options.generation, projection: 'noAcl' },
        headers: options.headers ?? {},
        signal,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof GcsHttpError && error.status === 404) {
        throw await this.notFound(bucket, signal, options.missing, options.context, error);
      }
      throw error;
    }
  }

  /** The object, or undefined when it (or the bucket) does not exist. */
  async find(
    bucket: string,
    name: string,
    signal: AbortSignal,
    headers: Record<string, string> = {},
  ): Promise<GcsObject | undefined> {
    try {
      return await this.api.json<GcsObject>('GET', objectPath(bucket, name), {
        query: { projection: 'noAcl' },
        headers,
        signal,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof GcsHttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** The error for a 404: `NoSuchBucket` when the bucket is missing, else `code`. */
  async notFound(
    bucket: string,
    signal: AbortSignal,
    code: ErrorCode,
    context: ErrorContext,
    cause?: unknown,
  ): Promise<PartCopyError> {
    const exists = await this.bucketExists(bucket, signal);
    const full = { provider: GCS_PROVIDER_NAME, ...context, bucket, cause };
    if (!exists)
      return new PartCopyError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, full);
    const what: Partial<Record<ErrorCode, string>> = {
      NoSuchUpload:
        'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      NoSuchKey: 'The specified key does not exist.',
      NoSuchVersion: 'The specified version does not exist.',
    };
    return new PartCopyError(code, what[code] ?? `not found (${code})`, full);
  }

  async bucketExists(bucket: string, signal: AbortSignal): Promise<boolean> {
    try {
      await this.api.json('GET', bucketPath(bucket), { query: { fields: 'name' }, signal, idempotent: true });
      return true;
    } catch (error) {
      if (error instanceof GcsHttpError && error.status === 404) return false;
      throw error;
    }
  }

  /** One page of a listing. */
  listPage(
    bucket: string,
    query: {
      prefix?: string;
      pageToken?: string;
      maxResults?: number;
      startOffset?: string;
      delimiter?: string;
      versions?: boolean;
    },
    signal: AbortSignal,
  ): Promise<GcsObjectList> {
    return this.api.json<GcsObjectList>('GET', `${bucketPath(bucket)}/o`, {
      query: { ...query, projection: 'noAcl' },
      signal,
      idempotent: true,
    });
  }

  /** Every object under a prefix (all pages). */
  async listAll(
    bucket: string,
    prefix: string,
    signal: AbortSignal,
    options: { versions?: boolean; startOffset?: string } = {},
  ): Promise<GcsObject[]> {
    const objects: GcsObject[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.listPage(bucket, { prefix, pageToken, maxResults: 1000, ...options }, signal);
      objects.push(...(page.items ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return objects;
  }

  /**
   * Uploads an object in one streamed request without hashing the bytes: for a caller that checks
   * their MD5 itself against the stored one (the part ETag).
   */
  async insertUnhashed(bucket: string, signal: AbortSignal, options: InsertOptions): Promise<GcsObject> {
    const body = multipartUploadBody({ ...options, hash: false });
    return await this.api.upload<GcsObject>(`${bucketPath(bucket)}/o`, body.stream, body.headers, {
      query: { uploadType: 'multipart', projection: 'noAcl', ...options.query },
      headers: options.headers ?? {},
      signal,
    });
  }

  /** Uploads an object in one streamed request and returns its resource and the bytes' MD5 (hex). */
  async insert(
    bucket: string,
    signal: AbortSignal,
    options: InsertOptions,
  ): Promise<{ object: GcsObject; md5: string }> {
    const body = multipartUploadBody({
      resource: options.resource,
      chunks: options.chunks,
      length: options.length,
      ...(options.onBytes ? { onBytes: options.onBytes } : {}),
    });
    const object = await this.api.upload<GcsObject>(`${bucketPath(bucket)}/o`, body.stream, body.headers, {
      query: { uploadType: 'multipart', projection: 'noAcl', ...options.query },
      headers: options.headers ?? {},
      signal,
    });
    return { object, md5: body.md5() };
  }

  /** Deletes one generation of an object; a missing one is fine. */
  async delete(
    bucket: string,
    name: string,
    generation: string | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      await this.api.json('DELETE', objectPath(bucket, name), {
        query: { generation },
        signal,
        idempotent: generation !== undefined,
      });
    } catch (error) {
      if (error instanceof GcsHttpError && error.status === 404) return;
      throw error;
    }
  }

  /**
   * Deletes objects (each listed generation, so a versioned bucket keeps no noncurrent copy),
   * concurrently. Every deletion is attempted; the failures are returned, not thrown, so the
   * caller can say how many objects a retention policy or hold kept.
   */
  async deleteAll(bucket: string, objects: readonly GcsObject[], signal: AbortSignal): Promise<unknown[]> {
    const failures: unknown[] = [];
    await mapWithConcurrency(
      objects,
      this.deleteConcurrency,
      async (object) => {
        try {
          await this.delete(bucket, object.name, object.generation, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          failures.push(error);
        }
      },
      signal,
    );
    return failures;
  }
}
