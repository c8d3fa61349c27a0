/** Test helper: the PartCopyError a synchronous call throws (fails the test when it throws none). */
import { PartCopyError } from '../errors/part-copy-error.js';

/** Runs `fn`; returns the PartCopyError it threw, rethrows anything else, fails if it returned. */
export function thrownPartCopyError(fn: () => unknown): PartCopyError {
  try {
    fn();
  } catch (error) {
    if (PartCopyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a PartCopyError, but the call returned');
}
