/**
 * A third-party-style partcopy provider: objects and multipart uploads in one SQLite file
 * (node:sqlite). It uses only @partcopy/core's public contract and shared S3-semantics helpers,
 * which is all a plugin for another store needs; `test/conformance.test.ts` proves it with the
 * published conformance kit.
 */
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import * as core from '@partcopy/core/provider';
import {
  type ObjectSettings,
  type OperationContext,
  PartCopyError,
  type Provider,
  SPEC_VERSION,
} from '@partcopy/core/provider';
import { sqliteCapabilities } from './sqlite-capabilities.js';
import { openDatabase, transaction } from './sqlite-schema.js';

export interface SqliteProviderOptions {
  /** Database file (shared by every process using the store), or `:memory:`. */
  path: string;
  /** Smallest non-last part; lower it in tests. Default 5 MiB, as S3. */
  minPartSize?: number;
}

interface ObjectRow {
  etag: string;
  size: number;
  modified: number;
  settings: string;
  parts: number | null;
}

const CHUNK = 1024 * 1024;

export class SqliteProvider implements Provider {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'sqlite';
  readonly capabilities: core.Capabilities;
  readonly #db: DatabaseSync;

  constructor(options: SqliteProviderOptions) {
    this.#db = openDatabase(options.path);
    this.capabilities = sqliteCapabilities(options.minPartSize);
  }

  async createBucket(request: core.CreateBucketRequest, ctx: OperationContext): Promise<void> {
    core.throwIfAborted(ctx.signal);
    const inserted = this.#db
      .prepare('INSERT OR IGNORE INTO buckets VALUES (?, ?)')
      .run(request.bucket, Date.now());
    if (inserted.changes === 0)
      throw new PartCopyError('BucketAlreadyOwnedByYou', `bucket ${request.bucket} already exists`);
  }

  async deleteBucket(request: core.DeleteBucketRequest, ctx: OperationContext): Promise<void> {
    core.throwIfAborted(ctx.signal);
    this.#requireBucket(request.bucket);
    transaction(this.#db, () => {
      const count = this.#db
        .prepare('SELECT count(*) AS n FROM objects WHERE bucket = ?')
        .get(request.bucket) as { n: number };
      if (count.n > 0) throw new PartCopyError('BucketNotEmpty', `bucket ${request.bucket} is not empty`);
      this.#db
        .prepare('DELETE FROM parts WHERE upload_id IN (SELECT id FROM uploads WHERE bucket = ?)')
        .run(request.bucket);
      this.#db.prepare('DELETE FROM uploads WHERE bucket = ?').run(request.bucket);
      this.#db.prepare('DELETE FROM buckets WHERE name = ?').run(request.bucket);
    });
  }

  async createMultipartUpload(
    request: core.CreateMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<core.CreateMultipartUploadResult> {
    core.throwIfAborted(ctx.signal);
    this.#requireBucket(request.bucket);
    const uploadId = randomUUID();
    this.#db
      .prepare('INSERT INTO uploads VALUES (?, ?, ?, ?, ?)')
      .run(uploadId, request.bucket, request.key, Date.now(), JSON.stringify(settingsOf(request)));
    return { bucket: request.bucket, key: request.key, uploadId };
  }

  async uploadPart(request: core.UploadPartRequest, ctx: OperationContext): Promise<core.UploadPartResult> {
    this.#requireUpload(request);
    const data = await core.collectBytes(request.body);
    core.throwIfAborted(ctx.signal);
    this.#requireUpload(request); // the upload may have been completed or aborted meanwhile
    const etag = core.md5Etag(data);
    this.#db
      .prepare('INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?, ?, ?)')
      .run(request.uploadId, request.partNumber, data, etag, data.length, Date.now());
    ctx.onProgress?.(data.length, data.length);
    return { etag };
  }

  async uploadPartCopy(
    request: core.UploadPartCopyRequest,
    ctx: OperationContext,
  ): Promise<core.UploadPartCopyResult> {
    core.throwIfAborted(ctx.signal);
    this.#requireUpload(request);
    const { source } = request;
    const row = this.#head(source.bucket, source.key);
    core.evaluateCopySourceConditions(request.conditions, {
      etag: row.etag,
      lastModified: new Date(row.modified),
    });
    const range = core.resolveCopyRange(request.range, row.size);
    const start = range ? range.start : 0;
    const length = core.copyLength(range);
    // The copy happens inside SQLite (substr on the blob) and is pinned to the ETag the
    // conditions were decided on: a source replaced since then copies nothing.
    const copied = this.#db
      .prepare(
        `INSERT OR REPLACE INTO parts SELECT ?, ?, substr(data, ?, ?), '"' || md5hex(substr(data, ?, ?)) || '"', ?, ?
         FROM objects WHERE bucket = ? AND key = ? AND etag = ?`,
      )
      .run(
        request.uploadId,
        request.partNumber,
        start + 1,
        length,
        start + 1,
        length,
        length,
        Date.now(),
        source.bucket,
        source.key,
        row.etag,
      );
    if (copied.changes === 0)
      throw new PartCopyError('PreconditionFailed', 'the source changed while the part was being copied');
    const part = this.#db
      .prepare('SELECT etag, modified FROM parts WHERE upload_id = ? AND part_number = ?')
      .get(request.uploadId, request.partNumber) as {
      etag: string;
      modified: number;
    };
    ctx.onProgress?.(length, length);
    return {
      copyPartResult: { etag: part.etag, lastModified: new Date(part.modified) },
      transfer: 'server-side',
      bytesCopied: length,
    };
  }

  async completeMultipartUpload(
    request: core.CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<core.CompleteMultipartUploadResult> {
    core.throwIfAborted(ctx.signal);
    return transaction(this.#db, () => {
      const upload = this.#requireUpload(request);
      const stored = this.#db
        .prepare('SELECT part_number AS partNumber, etag, size FROM parts WHERE upload_id = ?')
        .all(request.uploadId) as unknown as core.StoredPart[];
      const plan = core.planCompletion(request.parts, stored, this.capabilities);
      this.#checkDestination(request);
      const data = Buffer.concat(plan.map((p) => this.#partData(request.uploadId, p.partNumber)));
      const etag = core.multipartEtag(plan.map((p) => p.etag));
      this.#db
        .prepare('INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(request.bucket, request.key, data, etag, data.length, Date.now(), upload.settings, plan.length);
      this.#deleteUpload(request.uploadId);
      return { bucket: request.bucket, key: request.key, etag };
    });
  }

  async abortMultipartUpload(request: core.UploadRef, ctx: OperationContext): Promise<void> {
    core.throwIfAborted(ctx.signal);
    transaction(this.#db, () => {
      this.#requireUpload(request);
      this.#deleteUpload(request.uploadId);
    });
  }

  async listParts(request: core.ListPartsRequest, ctx: OperationContext): Promise<core.ListPartsResult> {
    core.throwIfAborted(ctx.signal);
    this.#requireUpload(request);
    const max = request.maxParts ?? 1000;
    const rows = this.#db
      .prepare(
        'SELECT part_number AS partNumber, etag, size, modified FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?',
      )
      .all(request.uploadId, request.partNumberMarker ?? 0, max + 1) as Array<{
      partNumber: number;
      etag: string;
      size: number;
      modified: number;
    }>;
    const page = rows.slice(0, max);
    const result: core.ListPartsResult = {
      bucket: request.bucket,
      key: request.key,
      uploadId: request.uploadId,
      parts: page.map((r) => ({
        partNumber: r.partNumber,
        etag: r.etag,
        size: r.size,
        lastModified: new Date(r.modified),
      })),
      isTruncated: rows.length > max,
    };
    if (result.isTruncated) result.nextPartNumberMarker = page.at(-1)?.partNumber as number;
    return result;
  }

  async listMultipartUploads(
    request: core.ListMultipartUploadsRequest,
    ctx: OperationContext,
  ): Promise<core.ListMultipartUploadsResult> {
    core.throwIfAborted(ctx.signal);
    this.#requireBucket(request.bucket);
    // SQL narrows to the bucket and prefix; the order and the markers are S3's, from core (a
    // marker upload that ended between two pages resumes at the marker key's greater ids).
    const rows = this.#db
      .prepare(`SELECT key, id, initiated FROM uploads WHERE bucket = ? AND key LIKE ? ESCAPE '\\'`)
      .all(request.bucket, `${likePrefix(request.prefix ?? '')}%`) as Array<{
      key: string;
      id: string;
      initiated: number;
    }>;
    const uploads = rows.map((r) => ({ key: r.key, uploadId: r.id, initiated: new Date(r.initiated) }));
    return { bucket: request.bucket, ...core.listUploadsPage(uploads, request) };
  }

  async headObject(request: core.HeadObjectRequest, ctx: OperationContext): Promise<core.ObjectInfo> {
    core.throwIfAborted(ctx.signal);
    return objectInfo(request.bucket, request.key, this.#head(request.bucket, request.key));
  }

  async getObject(request: core.GetObjectRequest, ctx: OperationContext): Promise<core.GetObjectResult> {
    const info = await this.headObject(request, ctx);
    if (request.range && request.range.start >= info.size) {
      throw new PartCopyError(
        'InvalidRange',
        `The requested range is not satisfiable (object size ${info.size})`,
      );
    }
    const range = request.range
      ? { start: request.range.start, end: Math.min(request.range.end, info.size - 1) }
      : undefined;
    const start = range?.start ?? 0;
    const length = range ? core.rangeLength(range) : info.size;
    const result: core.GetObjectResult = {
      ...info,
      body: this.#stream(request.bucket, request.key, info.etag, start, length, ctx.signal),
      contentLength: length,
    };
    if (range) result.range = range;
    return result;
  }

  async putObject(request: core.PutObjectRequest, ctx: OperationContext): Promise<core.PutObjectResult> {
    this.#requireBucket(request.bucket);
    const data = await core.collectBytes(request.body);
    core.throwIfAborted(ctx.signal);
    const etag = core.md5Etag(data);
    transaction(this.#db, () => {
      this.#checkDestination(request);
      this.#db
        .prepare('INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?, ?, ?, NULL)')
        .run(
          request.bucket,
          request.key,
          data,
          etag,
          data.length,
          Date.now(),
          JSON.stringify(settingsOf(request)),
        );
    });
    return { etag };
  }

  async deleteObject(
    request: core.DeleteObjectRequest,
    ctx: OperationContext,
  ): Promise<core.DeleteObjectResult> {
    core.throwIfAborted(ctx.signal);
    this.#requireBucket(request.bucket);
    this.#db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?').run(request.bucket, request.key);
    return {};
  }

  async listObjects(
    request: core.ListObjectsRequest,
    ctx: OperationContext,
  ): Promise<core.ListObjectsResult> {
    core.throwIfAborted(ctx.signal);
    this.#requireBucket(request.bucket);
    const max = request.maxKeys ?? 1000;
    const rows = this.#db
      .prepare(
        `SELECT key, size, etag, modified FROM objects WHERE bucket = ? AND key LIKE ? ESCAPE '\\' AND key > ? ORDER BY key LIMIT ?`,
      )
      .all(
        request.bucket,
        `${likePrefix(request.prefix ?? '')}%`,
        request.continuationToken ?? '',
        max + 1,
      ) as Array<{ key: string; size: number; etag: string; modified: number }>;
    const page = rows.slice(0, max);
    const result: core.ListObjectsResult = {
      objects: page.map((r) => ({
        key: r.key,
        size: r.size,
        etag: r.etag,
        lastModified: new Date(r.modified),
      })),
      isTruncated: rows.length > max,
    };
    if (result.isTruncated) result.nextContinuationToken = page.at(-1)?.key as string;
    return result;
  }

  async close(): Promise<void> {
    this.#db.close();
  }

  // ----- helpers -------------------------------------------------------------------------------

  #requireBucket(bucket: string): void {
    if (!this.#db.prepare('SELECT 1 FROM buckets WHERE name = ?').get(bucket)) {
      throw new PartCopyError('NoSuchBucket', 'The specified bucket does not exist', { bucket });
    }
  }

  #requireUpload(ref: core.UploadRef): { settings: string } {
    const row = this.#db
      .prepare('SELECT settings FROM uploads WHERE id = ? AND bucket = ? AND key = ?')
      .get(ref.uploadId, ref.bucket, ref.key);
    if (!row)
      throw new PartCopyError('NoSuchUpload', 'The specified multipart upload does not exist', {
        uploadId: ref.uploadId,
      });
    return row as { settings: string };
  }

  #head(bucket: string, key: string): ObjectRow {
    this.#requireBucket(bucket);
    const row = this.#db
      .prepare('SELECT etag, size, modified, settings, parts FROM objects WHERE bucket = ? AND key = ?')
      .get(bucket, key);
    if (!row) throw new PartCopyError('NoSuchKey', 'The specified key does not exist', { bucket, key });
    return row as unknown as ObjectRow;
  }

  #checkDestination(request: { bucket: string; key: string; ifMatch?: string; ifNoneMatch?: string }): void {
    if (request.ifMatch === undefined && request.ifNoneMatch === undefined) return;
    const row = this.#db
      .prepare('SELECT etag FROM objects WHERE bucket = ? AND key = ?')
      .get(request.bucket, request.key) as { etag: string } | undefined;
    // S3's rules (If-None-Match `*` or an ETag, If-Match), as the core decides them: checked in
    // the transaction that writes the row, so no other writer comes between.
    core.evaluateWriteConditions(
      row,
      { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch },
      'before',
      { bucket: request.bucket, key: request.key },
    );
  }

  #partData(uploadId: string, partNumber: number): Uint8Array {
    return (
      this.#db
        .prepare('SELECT data FROM parts WHERE upload_id = ? AND part_number = ?')
        .get(uploadId, partNumber) as { data: Uint8Array }
    ).data;
  }

  #deleteUpload(uploadId: string): void {
    this.#db.prepare('DELETE FROM parts WHERE upload_id = ?').run(uploadId);
    this.#db.prepare('DELETE FROM uploads WHERE id = ?').run(uploadId);
  }

  // Reads in 1 MiB slices, each pinned to the ETag served, so a body never mixes two objects.
  async *#stream(
    bucket: string,
    key: string,
    etag: string,
    start: number,
    length: number,
    signal: AbortSignal,
  ): AsyncGenerator<Uint8Array> {
    const slice = this.#db.prepare(
      'SELECT substr(data, ?, ?) AS chunk FROM objects WHERE bucket = ? AND key = ? AND etag = ?',
    );
    for (let offset = 0; offset < length; offset += CHUNK) {
      core.throwIfAborted(signal);
      const row = slice.get(start + offset + 1, Math.min(CHUNK, length - offset), bucket, key, etag) as
        | { chunk: Uint8Array }
        | undefined;
      if (!row) throw new PartCopyError('PreconditionFailed', 'the object changed while it was being read');
      yield row.chunk;
    }
  }
}

/** The settings a put or copy stores with the object. */
const SETTING_NAMES = [
  'contentType',
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
  'metadata',
  'expires',
] as const satisfies ReadonlyArray<keyof ObjectSettings>;

function settingsOf(request: ObjectSettings): ObjectSettings {
  const picked = Object.fromEntries(SETTING_NAMES.map((name) => [name, request[name]]));
  // Stored as JSON: `expires` becomes an ISO string, made a Date again by objectInfo.
  return JSON.parse(JSON.stringify(picked));
}

function objectInfo(bucket: string, key: string, row: ObjectRow): core.ObjectInfo {
  const { expires, ...settings } = JSON.parse(row.settings) as ObjectSettings & { expires?: string };
  const info: core.ObjectInfo = {
    ...settings,
    ...(expires === undefined ? {} : { expires: new Date(expires) }),
    bucket,
    key,
    etag: row.etag,
    size: row.size,
    lastModified: new Date(row.modified),
  };
  if (row.parts !== null) info.partsCount = row.parts;
  return info;
}

function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}
