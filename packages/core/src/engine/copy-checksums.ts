/**
 * Verifying a copy by the checksums the store computes, without reading its bytes.
 *
 * Where the store computes a CRC over the bytes it copies (`capabilities.partCopyChecksums` /
 * `wholeObjectCopyChecksums`), the engine asks for one (an upload created with the algorithm and
 * the FULL_OBJECT type; copyObject with `checksumAlgorithm`), combines the parts' CRCs into the
 * whole object's, and holds it against the source's full-object CRC before completing: a part
 * that does not belong fails the copy before anything is written. The combined value is stated
 * at completion, so a store that checks it (S3) refuses a mismatch itself, and the completed
 * object's CRC is compared once more. A checksum merely carried over as metadata proves nothing,
 * so stores that do not compute them keep the ETag checks.
 */
import type { Capabilities, ChecksumAlgorithm } from '../contract/capabilities.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import type { Checksums } from '../contract/types.js';
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';
import { checksumField } from '../semantics/checksums/checksum-algorithms.js';
import {
  type CombinableChecksumAlgorithm,
  combineChecksums,
  isCombinableChecksum,
} from '../semantics/checksums/crc-combine.js';

/** CRCs in order of preference: CRC64NVME is S3's default and the strongest of the three. */
const PREFERRED: readonly CombinableChecksumAlgorithm[] = ['CRC64NVME', 'CRC32C', 'CRC32'];

/** A full-object checksum a copy must have, and where it comes from. */
export interface CopyChecksum {
  algorithm: CombinableChecksumAlgorithm;
  /** Base64, big-endian, as S3 and GCS carry it. */
  value: string;
  /** `source`: the source's own full-object CRC; `parts`: combined from the copied parts' CRCs. */
  source: 'source' | 'parts';
}

/** What a copy asks of the store's checksums, decided before anything is created. */
export interface ChecksumPlan {
  /**
   * The algorithm to ask the store for (upload created with it as FULL_OBJECT, or copyObject's
   * `checksumAlgorithm`); absent when the store computes its own without being asked (GCS).
   */
  request?: CombinableChecksumAlgorithm;
  /** The source's full-object CRC, when the copy is the whole source and it has one. */
  expected?: CopyChecksum;
}

/** The capabilities the checksum plan reads. */
export type ChecksumCapabilities = Pick<
  Capabilities,
  'checksumAlgorithms' | 'partCopyChecksums' | 'wholeObjectCopyChecksums'
>;

/**
 * The checksum plan of a copy, or undefined when the store computes no checksums for this kind
 * of copy (then the ETag checks apply).
 */
export function planCopyChecksum(
  capabilities: ChecksumCapabilities,
  head: ObjectInfo,
  kind: 'parts' | 'whole-object',
  sourceIsWhole: boolean,
): ChecksumPlan | undefined {
  const computes = kind === 'parts' ? capabilities.partCopyChecksums : capabilities.wholeObjectCopyChecksums;
  if (computes !== true) return undefined;
  const expected = sourceIsWhole ? sourceChecksum(head) : undefined;
  const offered = capabilities.checksumAlgorithms;
  const request =
    expected !== undefined && offered.includes(expected.algorithm)
      ? expected.algorithm
      : PREFERRED.find((algorithm) => offered.includes(algorithm));
  // A whole-object copy can only be checked against the source: without its CRC, asking the
  // store to compute one gains nothing.
  if (kind === 'whole-object' && expected === undefined) return undefined;
  return { ...(request === undefined ? {} : { request }), ...(expected === undefined ? {} : { expected }) };
}

/** The source's full-object CRC (FULL_OBJECT type), preferred algorithm first. */
export function sourceChecksum(head: ObjectInfo): CopyChecksum | undefined {
  if (head.checksumType !== 'FULL_OBJECT') return undefined;
  for (const algorithm of PREFERRED) {
    const value = head[checksumField(algorithm)];
    if (value !== undefined) return { algorithm, value, source: 'source' };
  }
  return undefined;
}

/**
 * The whole copy's CRC combined from its parts' CRCs (in part order, with their sizes), in the
 * plan's algorithm or the first one every part carries; undefined when a part lacks one (a part
 * copied before a resume, or a store that reported none).
 */
export function combinedPartChecksum(
  plan: ChecksumPlan,
  parts: ReadonlyArray<{ size: number; checksums?: Checksums | undefined }>,
): CopyChecksum | undefined {
  const candidates = plan.request ? [plan.request] : plan.expected ? [plan.expected.algorithm] : PREFERRED;
  for (const algorithm of candidates) {
    const field = checksumField(algorithm);
    const pieces = parts.map((part) => ({ checksum: part.checksums?.[field], size: part.size }));
    if (parts.length === 0 || pieces.some((piece) => piece.checksum === undefined)) continue;
    const value = combineChecksums(algorithm, pieces as Array<{ checksum: string; size: number }>);
    if (value !== undefined) return { algorithm, value, source: 'parts' };
  }
  return undefined;
}

/**
 * Before completion: the parts' combined CRC must equal the source's, or a part holds bytes that
 * are not the source's (`BadDigest`; the caller aborts the upload, so nothing is written).
 * Returns what the completed object must have.
 */
export function checkPartsAgainstSource(
  plan: ChecksumPlan,
  combined: CopyChecksum | undefined,
  context: ErrorContext,
): CopyChecksum | undefined {
  const expected = plan.expected;
  if (combined === undefined) return expected;
  if (expected === undefined || expected.algorithm !== combined.algorithm) return combined;
  if (expected.value === combined.value) return expected;
  throw checksumMismatch(
    context,
    `the parts the store copied combine to ${combined.algorithm} ${combined.value}, but the source's is ${expected.value}; the upload was aborted and nothing was written`,
  );
}

/** The completion's stated full-object checksum, for an upload created with the algorithm. */
export function statedChecksum(plan: ChecksumPlan, expected: CopyChecksum | undefined) {
  if (plan.request === undefined || expected === undefined || expected.algorithm !== plan.request) return {};
  return { [checksumField(expected.algorithm)]: expected.value, checksumType: 'FULL_OBJECT' as const };
}

/** The destination's full-object checksum of `algorithm`: from its HEAD, else from the completion. */
export function destinationChecksum(
  algorithm: ChecksumAlgorithm,
  head: ObjectInfo,
  reported: Checksums | undefined,
): string | undefined {
  if (!isCombinableChecksum(algorithm)) return undefined;
  const field = checksumField(algorithm);
  if (head[field] !== undefined) return head.checksumType === 'COMPOSITE' ? undefined : head[field];
  return reported?.[field];
}

/** A copy whose checksum is not the expected one: S3's `BadDigest`, not retryable. */
export function checksumMismatch(context: ErrorContext, why: string): PartCopyError {
  return new PartCopyError('BadDigest', `verification failed: ${why}`, { ...context, retryable: false });
}
