import { randomBytes } from 'node:crypto';

/** Default reserved prefix for staging objects. Keys under it are refused for user objects. */
export const DEFAULT_STAGING_PREFIX = '.partcopy/';

const UPLOAD_ID = /^[A-Za-z0-9_-]{16,128}$/;
const PART_DIGITS = 5;

/**
 * Where an upload's temporary objects live, derived from the upload id alone so that any
 * process holding the id can find them:
 *
 * - `<prefix>manifests/<uploadId>`: the manifest (key, settings, initiation time). Manifests sit
 *   apart from the parts so one listing finds every upload of a bucket.
 * - `<prefix>uploads/<uploadId>/parts/00001`: part 1 (five digits, so names sort by number).
 * - `<prefix>uploads/<uploadId>/compose/<attempt>/<level>-<index>`: intermediate composites of
 *   one completion attempt.
 */
export class StagingNames {
  constructor(readonly prefix: string = DEFAULT_STAGING_PREFIX) {}

  /**
   * A new upload id: 24 random bytes, base64url (no `/`, safe in object names), starting with a
   * letter or digit. One in 32 base64url strings starts with `-` or `_`, and one starting with `-`
   * reads as an option to command-line tools (`aws s3api upload-part --upload-id -x...` fails).
   */
  static newUploadId(): string {
    for (;;) {
      const id = randomBytes(24).toString('base64url');
      if (/^[A-Za-z0-9]/.test(id)) return id;
    }
  }

  /** Is this string shaped like an upload id we issue? Others cannot name an upload. */
  static isUploadId(value: string): boolean {
    return UPLOAD_ID.test(value);
  }

  get manifestsPrefix(): string {
    return `${this.prefix}manifests/`;
  }

  manifest(uploadId: string): string {
    return `${this.manifestsPrefix}${uploadId}`;
  }

  /** Everything an upload staged except its manifest. */
  uploadPrefix(uploadId: string): string {
    return `${this.prefix}uploads/${uploadId}/`;
  }

  partsPrefix(uploadId: string): string {
    return `${this.uploadPrefix(uploadId)}parts/`;
  }

  part(uploadId: string, partNumber: number): string {
    return `${this.partsPrefix(uploadId)}${String(partNumber).padStart(PART_DIGITS, '0')}`;
  }

  /** The part number of a part object's name, or undefined for any other name. */
  partNumberOf(uploadId: string, name: string): number | undefined {
    const prefix = this.partsPrefix(uploadId);
    if (!name.startsWith(prefix)) return undefined;
    const digits = name.slice(prefix.length);
    return /^\d+$/.test(digits) ? Number(digits) : undefined;
  }

  intermediate(uploadId: string, attempt: string, level: number, index: number): string {
    return `${this.uploadPrefix(uploadId)}compose/${attempt}/${level}-${String(index).padStart(PART_DIGITS, '0')}`;
  }

  /** Is this key inside the reserved prefix (hidden from listings, refused for writes)? */
  isReserved(key: string): boolean {
    return key.startsWith(this.prefix);
  }
}
