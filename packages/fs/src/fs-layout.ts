import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PartCopyError } from '@partcopy/core/provider';
import { assertBucketName } from './bucket-name.js';
import { ensureRealFolder, isRealFolder } from './entry-guard.js';
import { isNotFound } from './fs-errors.js';
import { isUploadId } from './ids.js';
import { encodeKey } from './key-encoding.js';
import { isVersionStem } from './version-files.js';

/**
 * Where everything lives under the root folder (see README "Layout on disk"):
 *
 * ```
 * ROOT/
 *   .partcopy-tmp/                   staging for creating and deleting whole buckets
 *   BUCKET/                          one folder per bucket (name checked against S3's rules)
 *     bucket.json                    { versioning, status }
 *     objects/KEYNAME/               one folder per key, KEYNAME from key-encoding.ts
 *       STEM.json                    version record: real key, ETag, size, settings, SSE-C key MD5...
 *       STEM.data                    the version's bytes, never modified after publication
 *                                    (STEM: VERSIONID, or ORDER-null for the null version;
 *                                    see version-files.ts)
 *       lock                         held for a few milliseconds while a version is published
 *     uploads/UPLOADID/              one folder per multipart upload
 *       upload.json                  key, settings, SSE-C key MD5, checksum algorithm
 *       part-00001.json              part record: ETag, size, checksum, data file name
 *       part-00001-TOKEN.data        part bytes
 *     tmp/                           temporary files, renamed into place when complete
 *     trash/                         uploads and buckets being removed
 * ```
 *
 * Every path is built from a checked bucket name, an encoded key name or a checked id, and is
 * asserted to stay inside the root. That string check cannot see symbolic links: the folders are
 * also checked on disk (entry-guard.ts) so that no link inside the root is ever followed.
 */
export class FsLayout {
  /** Absolute root folder. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Root-level staging folder (bucket names cannot start with a dot, so it never clashes). */
  get stagingDir(): string {
    return join(this.root, '.partcopy-tmp');
  }

  bucketDir(bucket: string): string {
    assertBucketName(bucket);
    return this.#inside(join(this.root, bucket));
  }

  bucketConfigFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'bucket.json');
  }

  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }

  keyDir(bucket: string, key: string): string {
    return this.#inside(join(this.objectsDir(bucket), encodeKey(key)));
  }

  /** A version's record file, by its stem (version-files.ts); the stem must already be checked. */
  versionRecordFile(keyDir: string, stem: string): string {
    return join(keyDir, `${checkedStem(stem)}.json`);
  }

  versionDataFile(keyDir: string, stem: string): string {
    return join(keyDir, `${checkedStem(stem)}.data`);
  }

  uploadsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'uploads');
  }

  /** The upload's folder, or `NoSuchUpload` for anything that is not an id we issue. */
  uploadDir(bucket: string, uploadId: string): string {
    if (typeof uploadId !== 'string' || !isUploadId(uploadId)) {
      throw new PartCopyError(
        'NoSuchUpload',
        'The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
        { bucket, uploadId: String(uploadId).slice(0, 80) },
      );
    }
    return this.#inside(join(this.uploadsDir(bucket), uploadId));
  }

  tmpDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'tmp');
  }

  trashDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'trash');
  }

  /**
   * Checks the bucket exists (`NoSuchBucket` otherwise) and that its working folders exist, so a
   * folder made by hand under the root works as an (unversioned) bucket too. The bucket and its
   * working folders must be real folders: a symbolic link (or a file) there is refused, so no
   * operation on the bucket can reach outside the root.
   */
  async requireBucket(bucket: string): Promise<string> {
    const dir = this.bucketDir(bucket);
    if (!(await isRealFolder(dir))) throw notFoundBucket(bucket);
    for (const sub of ['objects', 'uploads', 'tmp', 'trash']) await ensureDir(join(dir, sub), bucket);
    return dir;
  }

  /** The root staging folder, created when missing; refused when it is a link or a file. */
  async requireStagingDir(): Promise<string> {
    await mkdir(this.root, { recursive: true }); // the root itself is trusted (see README)
    await ensureRealFolder(this.stagingDir);
    return this.stagingDir;
  }

  #inside(path: string): string {
    const rel = relative(this.root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
      throw new PartCopyError('InvalidArgument', 'refusing a path outside the storage root');
    }
    return path;
  }
}

/**
 * Makes sure a real folder is at `dir`, creating it inside an existing parent. Never recursive: a
 * bucket deleted meanwhile (renamed away) must answer NoSuchBucket, not be recreated by a late
 * writer. A link or file in its place is refused.
 */
export async function ensureDir(dir: string, bucket: string): Promise<void> {
  try {
    await ensureRealFolder(dir);
  } catch (error) {
    if (isNotFound(error)) throw notFoundBucket(bucket);
    throw error;
  }
}

function checkedStem(stem: string): string {
  if (!isVersionStem(stem)) throw new PartCopyError('InternalError', 'unexpected version file name');
  return stem;
}

function notFoundBucket(bucket: string): PartCopyError {
  return new PartCopyError('NoSuchBucket', 'The specified bucket does not exist', { bucket });
}
