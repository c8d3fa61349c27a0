/**
 * S3's flexible-checksum rules for a multipart upload, for emulating providers: what
 * CreateMultipartUpload accepts, and what CompleteMultipartUpload checks about part and object
 * checksums. Each helper throws S3's answer as a {@link PartCopyError}; the store keeps the
 * values and computes the checksums itself.
 */
import type { ChecksumAlgorithm } from '../../contract/capabilities.js';
import type { CompletedPart } from '../../contract/provider-contract.js';
import type { Checksums, ChecksumType } from '../../contract/types.js';
import { type ErrorContext, PartCopyError } from '../../errors/part-copy-error.js';
import { checksumField, defaultChecksumType, isValidChecksumPair } from './checksum-algorithms.js';

/** The checksum settings of an upload, as a store records them. */
export interface UploadChecksumSettings {
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
}

/**
 * CreateMultipartUpload: the settings S3 gives an upload. No algorithm: none (and a type alone is
 * `InvalidRequest`). An algorithm without a type gets S3's default type; a pair S3 refuses
 * (SHA full-object, CRC64NVME composite) is `InvalidRequest`.
 */
export function resolveUploadChecksum(
  request: UploadChecksumSettings,
  context: ErrorContext = {},
): UploadChecksumSettings {
  const { checksumAlgorithm: algorithm, checksumType: type } = request;
  if (algorithm === undefined) {
    if (type === undefined) return {};
    throw new PartCopyError(
      'InvalidRequest',
      'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.',
      context,
    );
  }
  const resolved = type ?? defaultChecksumType(algorithm);
  if (!isValidChecksumPair(algorithm, resolved)) {
    throw new PartCopyError(
      'InvalidRequest',
      `The ${resolved} checksum type cannot be used with the ${algorithm} checksum algorithm.`,
      context,
    );
  }
  return { checksumAlgorithm: algorithm, checksumType: resolved };
}

/**
 * CompleteMultipartUpload may not name another checksum type than the upload was created with
 * (`InvalidRequest`); naming none is fine.
 */
export function checkCompletionChecksumType(
  uploadType: ChecksumType | undefined,
  requestType: ChecksumType | undefined,
  context: ErrorContext = {},
): void {
  if (requestType === undefined || requestType === uploadType) return;
  throw new PartCopyError(
    'InvalidRequest',
    `The upload was created using the ${uploadType ?? 'no'} checksum mode. The complete request must use the same checksum mode.`,
    context,
  );
}

/**
 * The part checksums in a completion list, against the stored parts (`stored[i]` is the part
 * `listed[i]` names, as `planCompletion` returns them). A COMPOSITE upload needs every part's
 * checksum (`InvalidRequest` when one is missing); for any upload with an algorithm a stated
 * checksum must equal the stored part's (`InvalidPart`).
 */
export function checkListedPartChecksums(
  upload: UploadChecksumSettings,
  listed: readonly CompletedPart[],
  stored: readonly { checksums?: Checksums | undefined }[],
  context: ErrorContext = {},
): void {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return;
  const field = checksumField(algorithm);
  listed.forEach((part, index) => {
    const stated = part[field];
    const partContext = { ...context, partNumber: part.partNumber };
    if (stated === undefined && upload.checksumType === 'COMPOSITE') {
      throw new PartCopyError(
        'InvalidRequest',
        `The upload was created using a ${algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
        partContext,
      );
    }
    if (stated !== undefined && stated !== stored[index]?.checksums?.[field]) {
      throw new PartCopyError(
        'InvalidPart',
        `One or more of the specified parts could not be found or its checksum did not match (part ${part.partNumber})`,
        partContext,
      );
    }
  });
}

/**
 * A whole-object checksum the caller stated with the completion (`stated`, the request's
 * checksum fields) must equal the one computed (`actual`, the object's); the `-N` suffix of a
 * composite checksum may be left out. A mismatch is S3's `BadDigest`.
 */
export function checkStatedObjectChecksum(
  algorithm: ChecksumAlgorithm | undefined,
  stated: Checksums,
  actual: Checksums,
  context: ErrorContext = {},
): void {
  if (algorithm === undefined) return;
  const field = checksumField(algorithm);
  const want = stated[field];
  const have = actual[field];
  if (want === undefined || want === have || want === have?.replace(/-\d+$/, '')) return;
  throw new PartCopyError(
    'BadDigest',
    `The ${algorithm} you specified did not match the calculated checksum.`,
    context,
  );
}
