import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CompleteMultipartUploadRequest,
  type CompleteMultipartUploadResult,
  type CreateMultipartUploadRequest,
  type CreateMultipartUploadResult,
  checkCompletedObjectSize,
  checkCompletionChecksumType,
  checkListedPartChecksums,
  checkStatedObjectChecksum,
  checksumEntry,
  checksumField,
  compositeChecksum,
  defaultChecksumType,
  type ErrorContext,
  type ListMultipartUploadsRequest,
  type ListMultipartUploadsResult,
  type ListPartsRequest,
  type ListPartsResult,
  listUploadsPage,
  multipartEtag,
  type OperationContext,
  PartCopyError,
  planCompletion,
  resolveUploadChecksum,
  sseCustomerResult,
  takeListPage,
} from '@partcopy/core/provider';
import { fsyncDir, readJson, removeQuietly, writeJsonAtomic } from './atomic-write.js';
import { copyRange, type SinkResult, withSink } from './data-sink.js';
import { isRealFolder, READ_NO_FOLLOW } from './entry-guard.js';
import { isNotFound } from './fs-errors.js';
import type { FsLayout } from './fs-layout.js';
import type { FsHooks, FsLimits } from './fs-options.js';
import { isUploadId, newUploadId, randomToken } from './ids.js';
import { listDir, type ObjectStore, type VersionFields } from './object-store.js';
import { lastModifiedNow, type PartRecord, storedSse, storeSettings, type UploadRecord } from './records.js';

/** An upload found on disk. */
export interface LoadedUpload {
  dir: string;
  record: UploadRecord;
}

const PART_RECORD = /^part-(\d{5})\.json$/;
const PART_DATA = /^part-\d{5}-[0-9a-f]{16}\.data$/;

/**
 * Multipart uploads kept entirely on disk (`BUCKET/uploads/UPLOADID/`), so any process with the
 * same root can continue, list, complete or abort them. Removal is always "rename the folder into
 * trash, then delete it": whoever renames first wins, so an abort and a completion racing each
 * other cannot both succeed.
 */
export class MultipartStore {
  readonly #layout: FsLayout;
  readonly #objects: ObjectStore;
  readonly #limits: FsLimits;
  readonly #hooks: FsHooks;

  constructor(layout: FsLayout, objects: ObjectStore, limits: FsLimits, hooks: FsHooks) {
    this.#layout = layout;
    this.#objects = objects;
    this.#limits = limits;
    this.#hooks = hooks;
  }

  async create(request: CreateMultipartUploadRequest): Promise<CreateMultipartUploadResult> {
    const { bucket, key } = request;
    await this.#layout.requireBucket(bucket);
    this.#layout.keyDir(bucket, key); // refuses keys that cannot be stored before anything is written
    const uploadId = newUploadId();
    const record: UploadRecord = {
      format: 1,
      uploadId,
      key,
      initiated: new Date().toISOString(),
      settings: storeSettings(request),
      ...storedSse(request.sseCustomer?.keyMD5),
      ...resolveUploadChecksum(request, { bucket, key }),
    };
    const dir = this.#layout.uploadDir(bucket, uploadId);
    await mkdir(dir); // fails rather than reuse a folder, however unlikely a clash of 128 random bits
    await fsyncDir(this.#layout.uploadsDir(bucket)); // the upload must survive a crash once its id is returned
    await writeJsonAtomic(this.#layout.tmpDir(bucket), join(dir, 'upload.json'), record);
    const result: CreateMultipartUploadResult = {
      bucket,
      key,
      uploadId,
      ...sseCustomerResult(record.sseCustomerKeyMD5),
    };
    if (record.checksumAlgorithm) result.checksumAlgorithm = record.checksumAlgorithm;
    if (record.checksumType) result.checksumType = record.checksumType;
    return result;
  }

  /** The upload, or `NoSuchUpload` when the id is malformed, unknown, finished or for another key. */
  async load(bucket: string, key: string, uploadId: string): Promise<LoadedUpload> {
    await this.#layout.requireBucket(bucket);
    const dir = this.#layout.uploadDir(bucket, uploadId);
    if (!(await isRealFolder(dir))) throw noSuchUpload({ bucket, key, uploadId }); // a link is refused
    const record = await readJson<UploadRecord>(join(dir, 'upload.json'));
    if (!record || record.key !== key) throw noSuchUpload({ bucket, key, uploadId });
    return { dir, record };
  }

  /**
   * Moves a finished temporary file in as part `partNumber`, replacing a previous part of that
   * number: the data file first, then the part record (the switch), then the old data.
   */
  async storePart(
    bucket: string,
    upload: LoadedUpload,
    partNumber: number,
    data: SinkResult,
  ): Promise<PartRecord> {
    const context = { bucket, key: upload.record.key, uploadId: upload.record.uploadId, partNumber };
    const number = String(partNumber).padStart(5, '0');
    const dataFile = `part-${number}-${randomToken()}.data`;
    const recordFile = join(upload.dir, `part-${number}.json`);
    await moveIntoUpload(data.path, join(upload.dir, dataFile), context);
    const previous = await readJson<PartRecord>(recordFile);
    const record: PartRecord = {
      format: 1,
      partNumber,
      etag: data.etag,
      size: data.size,
      lastModified: lastModifiedNow(),
      dataFile,
    };
    if (data.checksum !== undefined && upload.record.checksumAlgorithm) {
      record.checksums = checksumEntry(upload.record.checksumAlgorithm, data.checksum);
    }
    try {
      await writeJsonAtomic(this.#layout.tmpDir(bucket), recordFile, record);
    } catch (error) {
      await removeQuietly(join(upload.dir, dataFile));
      throw isNotFound(error) ? noSuchUpload(context) : error;
    }
    if (previous && PART_DATA.test(previous.dataFile))
      await unlink(join(upload.dir, previous.dataFile)).catch(() => undefined);
    return record;
  }

  async listParts(request: ListPartsRequest): Promise<ListPartsResult> {
    const { bucket, key, uploadId } = request;
    const upload = await this.load(bucket, key, uploadId);
    const marker = request.partNumberMarker ?? 0;
    const all = [...(await readParts(upload.dir)).values()].filter((p) => p.partNumber > marker);
    const { page, isTruncated } = takeListPage(all, request.maxParts);
    const result: ListPartsResult = {
      bucket,
      key,
      uploadId,
      isTruncated,
      parts: page.map((p) => ({
        partNumber: p.partNumber,
        etag: p.etag,
        size: p.size,
        lastModified: new Date(p.lastModified),
        ...p.checksums,
      })),
    };
    if (result.isTruncated) result.nextPartNumberMarker = page.at(-1)?.partNumber ?? marker;
    if (upload.record.checksumAlgorithm) result.checksumAlgorithm = upload.record.checksumAlgorithm;
    if (upload.record.checksumType) result.checksumType = upload.record.checksumType;
    return result;
  }

  async listUploads(request: ListMultipartUploadsRequest): Promise<ListMultipartUploadsResult> {
    const { bucket } = request;
    await this.#layout.requireBucket(bucket);
    const listed = (await this.#readUploads(bucket)).map((u) => ({
      key: u.key,
      uploadId: u.uploadId,
      initiated: new Date(u.initiated),
      ...(u.settings.storageClass ? { storageClass: u.settings.storageClass } : {}),
      ...(u.checksumAlgorithm ? { checksumAlgorithm: u.checksumAlgorithm } : {}),
    }));
    // A marker upload that ended between two pages resumes at the marker key's greater ids.
    return { bucket, ...listUploadsPage(listed, request) };
  }

  /** Discards the upload and every staged file; `NoSuchUpload` if it is already gone. */
  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    const upload = await this.load(bucket, key, uploadId);
    const claimed = await this.#claim(bucket, upload, { bucket, key, uploadId });
    await removeQuietly(claimed);
  }

  /**
   * S3's CompleteMultipartUpload. Checks everything first (completion rules, part checksums,
   * size, destination conditions), assembles the parts into a temporary file and fsyncs it, then
   * claims the upload and publishes the object with one rename under the key lock. A failure
   * before the claim leaves the upload as it was; a failure after it (a destination condition
   * that stopped holding, a full disk) puts the upload back, so it can be completed again.
   */
  async complete(
    request: CompleteMultipartUploadRequest,
    ctx: OperationContext,
  ): Promise<CompleteMultipartUploadResult> {
    const { bucket, key, uploadId } = request;
    const context = { bucket, key, uploadId };
    const upload = await this.load(bucket, key, uploadId);
    checkCompletionChecksumType(upload.record.checksumType, request.checksumType, context);
    const plan = await this.#plan(request, upload, context);
    checkListedPartChecksums(upload.record, request.parts, plan, context);
    const size = plan.reduce((sum, part) => sum + part.size, 0);
    checkCompletedObjectSize(size, this.#limits.maxObjectSize, request.mpObjectSize, context);
    const conditions = { ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch };
    await this.#objects.checkConditions(bucket, key, conditions);
    const state = await this.#objects.versioning(bucket);
    const assembled = await this.#assemble(bucket, upload, plan, size, ctx);
    const fields = this.#objectFields(upload.record, plan, assembled, size);
    try {
      checkStatedObjectChecksum(upload.record.checksumAlgorithm, request, fields.checksums ?? {}, context);
    } catch (error) {
      await removeQuietly(assembled.path);
      throw error;
    }
    let claimed: string;
    try {
      claimed = await this.#claim(bucket, upload, context);
    } catch (error) {
      await removeQuietly(assembled.path);
      throw error;
    }
    try {
      await this.#hooks.beforePublish?.({ operation: 'completeMultipartUpload', bucket, key });
      const published = await this.#objects.publish(bucket, key, fields, {
        state,
        dataTemp: assembled.path,
        conditions,
        signal: ctx.signal,
      });
      await removeQuietly(claimed);
      return completionResult(bucket, key, published.versionId, state === 'Enabled', fields);
    } catch (error) {
      await removeQuietly(assembled.path);
      await rename(claimed, upload.dir); // the upload is back and can be completed again
      throw error;
    }
  }

  // planCompletion on the parts on disk. An abort racing this call removes the parts, which would
  // look like InvalidPart: answer NoSuchUpload when the upload itself is gone.
  async #plan(
    request: CompleteMultipartUploadRequest,
    upload: LoadedUpload,
    context: ErrorContext,
  ): Promise<PartRecord[]> {
    try {
      return planCompletion(
        request.parts,
        await readParts(upload.dir),
        { minPartSize: this.#limits.minPartSize },
        context,
      );
    } catch (error) {
      if (PartCopyError.hasCode(error, 'InvalidPart') && !(await readJson(join(upload.dir, 'upload.json'))))
        throw noSuchUpload(context);
      throw error;
    }
  }

  async #assemble(
    bucket: string,
    upload: LoadedUpload,
    plan: PartRecord[],
    size: number,
    ctx: OperationContext,
  ): Promise<SinkResult> {
    const algorithm = upload.record.checksumAlgorithm;
    const fullObject = upload.record.checksumType === 'FULL_OBJECT' ? algorithm : undefined;
    const options = {
      signal: ctx.signal,
      checksumAlgorithm: fullObject,
      onProgress: ctx.onProgress,
      total: size,
    };
    return withSink(this.#layout.tmpDir(bucket), options, async (sink) => {
      for (const part of plan) {
        const handle = await this.#openPart(bucket, upload, part);
        try {
          await copyRange(handle, 0, part.size, sink);
        } finally {
          await handle.close();
        }
        await this.#hooks.afterAssemblingPart?.({
          bucket,
          key: upload.record.key,
          partNumber: part.partNumber,
        });
      }
    });
  }

  async #openPart(bucket: string, upload: LoadedUpload, part: PartRecord) {
    const context = {
      bucket,
      key: upload.record.key,
      uploadId: upload.record.uploadId,
      partNumber: part.partNumber,
    };
    if (!PART_DATA.test(part.dataFile))
      throw new PartCopyError('InternalError', 'a part record names an unexpected file', context);
    try {
      return await open(join(upload.dir, part.dataFile), READ_NO_FOLLOW);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // Aborted meanwhile, or this part number re-uploaded so the listed ETag is stale.
      if (!(await readJson(join(upload.dir, 'upload.json')))) throw noSuchUpload(context);
      throw new PartCopyError(
        'InvalidPart',
        `part ${part.partNumber} was replaced while the upload was being completed`,
        context,
      );
    }
  }

  #objectFields(
    record: UploadRecord,
    plan: PartRecord[],
    assembled: SinkResult,
    size: number,
  ): VersionFields {
    const fields: VersionFields = {
      etag: multipartEtag(plan.map((p) => p.etag)),
      size,
      partsCount: plan.length,
      parts: plan.map((part) => ({ size: part.size, ...part.checksums })),
      settings: record.settings,
      ...storedSse(record.sseCustomerKeyMD5),
    };
    const algorithm = record.checksumAlgorithm;
    if (algorithm) {
      const field = checksumField(algorithm);
      const value =
        record.checksumType === 'FULL_OBJECT'
          ? assembled.checksum
          : compositeChecksum(
              algorithm,
              plan.map((p) => p.checksums?.[field] ?? ''),
            );
      if (value !== undefined) fields.checksums = { [field]: value };
      fields.checksumType = record.checksumType ?? defaultChecksumType(algorithm);
    }
    return fields;
  }

  // Renames the upload folder into the bucket's trash: the one atomic step that ends an upload.
  async #claim(bucket: string, upload: LoadedUpload, context: ErrorContext): Promise<string> {
    const claimed = join(this.#layout.trashDir(bucket), `${upload.record.uploadId}-${randomToken()}`);
    try {
      await rename(upload.dir, claimed);
      return claimed;
    } catch (error) {
      if (isNotFound(error)) throw noSuchUpload(context);
      throw error;
    }
  }

  async #readUploads(bucket: string): Promise<UploadRecord[]> {
    const dir = this.#layout.uploadsDir(bucket);
    const records: UploadRecord[] = [];
    for (const name of await listDir(dir)) {
      // Only folders named like our ids are uploads; a link among them is refused, never read.
      if (!isUploadId(name) || !(await isRealFolder(join(dir, name)))) continue;
      const record = await readJson<UploadRecord>(join(dir, name, 'upload.json')).catch(unlessUnsafe);
      if (record && record.uploadId === name) records.push(record);
    }
    return records;
  }
}

// A damaged upload record leaves the upload out of listings; a link in its place fails the listing.
function unlessUnsafe(error: unknown): undefined {
  const code = (error as { code?: string }).code;
  if (code === 'ELOOP' || code === 'ENOTDIR') throw error;
  return undefined;
}

/** The upload's part records by number, ascending. */
async function readParts(dir: string): Promise<Map<number, PartRecord>> {
  const parts: PartRecord[] = [];
  for (const name of (await listDir(dir)).sort()) {
    if (!PART_RECORD.test(name)) continue;
    const record = await readJson<PartRecord>(join(dir, name));
    if (record) parts.push(record);
  }
  return new Map(parts.map((p) => [p.partNumber, p]));
}

async function moveIntoUpload(temp: string, dest: string, context: ErrorContext): Promise<void> {
  try {
    await rename(temp, dest);
  } catch (error) {
    await removeQuietly(temp);
    throw isNotFound(error) ? noSuchUpload(context) : error;
  }
}

function completionResult(
  bucket: string,
  key: string,
  versionId: string,
  showVersionId: boolean,
  fields: VersionFields,
): CompleteMultipartUploadResult {
  const result: CompleteMultipartUploadResult = {
    bucket,
    key,
    etag: fields.etag as string,
    ...fields.checksums,
    ...sseCustomerResult(fields.sseCustomerKeyMD5),
  };
  if (showVersionId) result.versionId = versionId;
  if (fields.checksumType) result.checksumType = fields.checksumType;
  return result;
}

function noSuchUpload(context: ErrorContext): PartCopyError {
  return new PartCopyError(
    'NoSuchUpload',
    'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    context,
  );
}
