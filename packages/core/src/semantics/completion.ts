import type { CompletedPart } from '../contract/provider-contract.js';
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';
import { unquoteEtag } from './etag.js';

/** A part as a provider stored it. */
export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
}

export interface CompletionRules {
  /** Smallest size of every part but the last (`capabilities.minPartSize`). */
  minPartSize: number;
}

/**
 * The CompleteMultipartUpload rules that read only the caller's list (no stored parts): at least
 * one part (`MalformedXML`), part numbers strictly ascending (`InvalidPartOrder`). The first step
 * of {@link planCompletion}; providers that delegate the rest to a store call it alone.
 */
export function checkCompletionPartOrder(parts: readonly CompletedPart[], context: ErrorContext = {}): void {
  if (parts.length === 0) {
    throw new PartCopyError(
      'MalformedXML',
      'You must specify at least one part to complete a multipart upload',
      context,
    );
  }
  for (let i = 1; i < parts.length; i++) {
    if ((parts[i] as CompletedPart).partNumber <= (parts[i - 1] as CompletedPart).partNumber) {
      throw new PartCopyError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        context,
      );
    }
  }
}

/**
 * Applies S3's CompleteMultipartUpload rules to the caller's part list and returns the stored
 * parts to assemble, in order. Emulating providers call this before they change anything.
 *
 * - No parts: `MalformedXML` (S3 rejects an empty part list).
 * - Part numbers not strictly ascending: `InvalidPartOrder`.
 * - A listed part that was never uploaded, or whose ETag differs: `InvalidPart`.
 * - A part other than the last smaller than `minPartSize`: `EntityTooSmall`.
 *
 * Parts uploaded but not listed are left out of the object (and discarded by the provider).
 */
export function planCompletion<P extends StoredPart>(
  requested: readonly CompletedPart[],
  stored: ReadonlyMap<number, P> | readonly P[],
  rules: CompletionRules,
  context: ErrorContext = {},
): P[] {
  checkCompletionPartOrder(requested, context);
  const byNumber =
    stored instanceof Map ? stored : new Map((stored as readonly P[]).map((p) => [p.partNumber, p]));
  const plan = requested.map((wanted) => {
    const part = byNumber.get(wanted.partNumber);
    if (!part || unquoteEtag(part.etag) !== unquoteEtag(wanted.etag)) {
      throw new PartCopyError(
        'InvalidPart',
        `One or more of the specified parts could not be found or its entity tag did not match (part ${wanted.partNumber})`,
        { ...context, partNumber: wanted.partNumber },
      );
    }
    return part;
  });
  plan.forEach((part, index) => {
    if (index < plan.length - 1 && part.size < rules.minPartSize) {
      throw new PartCopyError(
        'EntityTooSmall',
        `Your proposed upload is smaller than the minimum allowed size: part ${part.partNumber} is ${part.size} bytes, the minimum for all parts but the last is ${rules.minPartSize}`,
        { ...context, partNumber: part.partNumber },
      );
    }
  });
  return plan;
}
