/**
 * S3's flexible-checksum algorithms and types: which result field carries each algorithm, the
 * type S3 picks when none is named, and which algorithm and type pairs S3 accepts.
 */
import type { ChecksumAlgorithm } from '../../contract/capabilities.js';
import type { Checksums, ChecksumType } from '../../contract/types.js';

/** Every flexible-checksum algorithm of specVersion 1, in S3's order. */
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = Object.freeze([
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
]);

/** The field of {@link Checksums} that carries an algorithm's value (`checksumCRC32`, ...). */
export type ChecksumField<A extends ChecksumAlgorithm = ChecksumAlgorithm> = `checksum${A}` & keyof Checksums;

/** The field of {@link Checksums} that carries `algorithm`'s value, e.g. `checksumCRC32C`. */
export function checksumField<A extends ChecksumAlgorithm>(algorithm: A): ChecksumField<A> {
  return `checksum${algorithm}` as ChecksumField<A>;
}

/**
 * `{ checksumX: value }` for one algorithm, to spread into a result; `{}` when either is absent
 * (an upload created without a checksum algorithm).
 */
export function checksumEntry(
  algorithm: ChecksumAlgorithm | undefined,
  value: string | undefined,
): Checksums {
  if (algorithm === undefined || value === undefined) return {};
  return { [checksumField(algorithm)]: value };
}

/** The checksum type S3 uses when CreateMultipartUpload names an algorithm but no type. */
export function defaultChecksumType(algorithm: ChecksumAlgorithm): ChecksumType {
  return algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
}

/**
 * Whether S3 accepts an algorithm with a type: CRC64NVME is full-object only, SHA1 and SHA256
 * composite only, CRC32 and CRC32C either.
 */
export function isValidChecksumPair(algorithm: ChecksumAlgorithm, type: ChecksumType): boolean {
  if (algorithm === 'CRC64NVME') return type === 'FULL_OBJECT';
  if (algorithm === 'SHA1' || algorithm === 'SHA256') return type === 'COMPOSITE';
  return true;
}

/**
 * The checksum type S3 reports for an object (HEAD's `x-amz-checksum-type`): the upload's type for
 * an object completed from parts; FULL_OBJECT for any other object that has a checksum (its
 * checksum is over all its bytes); none without a checksum.
 */
export function objectChecksumType(
  checksums: Checksums | undefined,
  uploadType: ChecksumType | undefined,
  partsCount: number | undefined,
): ChecksumType | undefined {
  if (partsCount !== undefined) return uploadType;
  const any = CHECKSUM_ALGORITHMS.some((algorithm) => checksums?.[checksumField(algorithm)] !== undefined);
  return any ? (uploadType ?? 'FULL_OBJECT') : undefined;
}
