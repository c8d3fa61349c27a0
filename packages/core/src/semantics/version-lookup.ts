/**
 * S3's answers when the object version a request names cannot be used, for providers that keep
 * versions themselves.
 */
import { type ErrorContext, PartCopyError } from '../errors/part-copy-error.js';

/** How a looked-up version will be used: S3 refuses a delete marker differently for each. */
export type VersionUse = 'read' | 'copy-source';

/**
 * The error for a version lookup that found no object. `found` says what was there: nothing, or
 * a delete marker; `explicitVersion` whether the request named a version id. As S3:
 * - No version id, and no key or a current delete marker: `NoSuchKey` (404).
 * - A version id that does not exist: `NoSuchVersion` (404).
 * - A version id naming a delete marker: for a copy source `InvalidRequest` (400); for a read S3
 *   answers 405 MethodNotAllowed, which partcopy's closed set carries as `InvalidRequest` with
 *   status 405 and providerCode `MethodNotAllowed`.
 */
export function unusableVersionError(
  found: 'none' | 'deleteMarker',
  explicitVersion: boolean,
  use: VersionUse,
  context: ErrorContext = {},
): PartCopyError {
  if (!explicitVersion) return new PartCopyError('NoSuchKey', 'The specified key does not exist.', context);
  if (found === 'none')
    return new PartCopyError('NoSuchVersion', 'The specified version does not exist.', context);
  if (use === 'copy-source') {
    return new PartCopyError(
      'InvalidRequest',
      'The source of a copy request may not specifically refer to a delete marker by version id.',
      context,
    );
  }
  return new PartCopyError('InvalidRequest', 'The specified method is not allowed against a delete marker.', {
    ...context,
    status: 405,
    providerCode: 'MethodNotAllowed',
  });
}
