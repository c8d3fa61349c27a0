/**
 * The source hint of UploadPartCopy: what the caller already knows of the source object (a
 * managed copy reads it once, then copies many parts). A provider may decide conditions and
 * ranges from it instead of reading the source's metadata again for every part, provided it pins
 * the copy to the hinted ETag (or version/generation), so a hint that is no longer true fails
 * with `PreconditionFailed` and never copies other bytes.
 */
import type { UploadPartCopyRequest } from '../contract/provider-contract.js';

/** What the caller knows of a copy source. */
export interface SourceHint {
  /** Bytes in the source. */
  size: number;
  /** The source's ETag (quoted, as S3 returns it). */
  etag: string;
  /** Needed to decide date conditions from the hint; without it a provider reads the source. */
  lastModified?: Date;
  /** The source's version id (GCS: generation), where the store has one. */
  versionId?: string;
}

/** The source's properties as far as a condition decision needs them. */
export interface HintedSource {
  size: number;
  etag: string;
  lastModified: Date;
  versionId?: string;
}

/**
 * The source properties a provider may use instead of a metadata read, or undefined when the
 * hint cannot stand in for one: no hint, a date condition without the hint's `lastModified`, a
 * hint of another version than the one requested, or an empty source (a zero-byte part copies no
 * byte the store could pin, so the provider reads the source to be sure it is still empty).
 */
export function usableSourceHint(
  request: Pick<UploadPartCopyRequest, 'sourceHint' | 'conditions' | 'source'>,
): HintedSource | undefined {
  const hint = request.sourceHint;
  if (hint === undefined || hint.size === 0) return undefined;
  const { ifModifiedSince, ifUnmodifiedSince } = request.conditions;
  const dated = ifModifiedSince !== undefined || ifUnmodifiedSince !== undefined;
  if (dated && hint.lastModified === undefined) return undefined;
  const requested = request.source.versionId;
  if (requested !== undefined && hint.versionId !== requested) return undefined;
  const out: HintedSource = {
    size: hint.size,
    etag: hint.etag,
    lastModified: hint.lastModified ?? new Date(0),
  };
  if (hint.versionId !== undefined) out.versionId = hint.versionId;
  return out;
}
