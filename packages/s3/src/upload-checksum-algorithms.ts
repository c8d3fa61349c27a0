/**
 * Which checksum algorithm each multipart upload was created with. S3 (and MinIO) refuse a part
 * whose checksum is of another algorithm than the upload's ("checksum missing, want SHA256, got
 * CRC32"), and the SDK checksums every part with CRC32 unless told otherwise. The contract's
 * UploadPartRequest does not carry the algorithm, so it is learnt: from CreateMultipartUpload for
 * uploads this instance created, otherwise from one ListParts (max-parts 1), which names it, once
 * per upload id and process. The store stays the source of truth: a second process finds the
 * algorithm the same way.
 */
import { type ChecksumAlgorithm, PartCopyError } from '@partcopy/core/provider';

const MAX_ENTRIES = 10_000;

/** A bounded cache from upload id to its algorithm (`null`: created without one). */
export class UploadChecksumAlgorithms {
  readonly #known = new Map<string, ChecksumAlgorithm | null>();

  /** Records what CreateMultipartUpload said. */
  remember(uploadId: string, algorithm: ChecksumAlgorithm | undefined): void {
    if (this.#known.size >= MAX_ENTRIES) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    this.#known.set(uploadId, algorithm ?? null);
  }

  forget(uploadId: string): void {
    this.#known.delete(uploadId);
  }

  /**
   * The upload's algorithm, asking `listParts` when this instance has not seen the upload. A
   * caller not allowed to list parts (AccessDenied) gets `undefined` (the SDK's default); any
   * other failure (NoSuchUpload, ...) is the answer UploadPart would have given, and is thrown.
   */
  async resolve(
    uploadId: string,
    listParts: () => Promise<ChecksumAlgorithm | undefined>,
  ): Promise<ChecksumAlgorithm | undefined> {
    const known = this.#known.get(uploadId);
    if (known !== undefined) return known ?? undefined;
    try {
      const algorithm = await listParts();
      this.remember(uploadId, algorithm);
      return algorithm;
    } catch (error) {
      if (PartCopyError.hasCode(error, 'AccessDenied')) return undefined;
      throw error;
    }
  }
}
