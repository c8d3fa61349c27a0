import { type CapabilityOverrides, GiB, MiB, TiB } from '@partcopy/core/provider';

/** Size limits, S3's by default; tests lower `minPartSize` to use small parts. */
export interface FsLimits {
  /** Smallest part that is not the last one (S3: 5 MiB). */
  minPartSize: number;
  /** Largest part (S3: 5 GiB). */
  maxPartSize: number;
  /** Most parts and largest part number (S3: 10,000). */
  maxParts: number;
  /** Largest object (S3: 50 TB; here 5 TiB, far beyond any local use). */
  maxObjectSize: number;
}

/** The limits used when none are given. */
export const DEFAULT_FS_LIMITS: Readonly<FsLimits> = Object.freeze({
  minPartSize: 5 * MiB,
  maxPartSize: 5 * GiB,
  maxParts: 10_000,
  maxObjectSize: 5 * TiB,
});

/**
 * Fault-injection points for tests (crash simulation). A hook that throws makes the operation
 * fail at that point exactly as a crash or I/O error there would. Not for production use.
 */
export interface FsHooks {
  /** After each part has been appended to the temporary file of a completion. */
  afterAssemblingPart?(info: { bucket: string; key: string; partNumber: number }): void | Promise<void>;
  /** After a completion or put has its data ready and before it is published. */
  beforePublish?(info: {
    operation: 'completeMultipartUpload' | 'putObject';
    bucket: string;
    key: string;
  }): void | Promise<void>;
  /**
   * After a new version's record is in place (it is visible) and before the versions it replaces
   * are removed, with the key's lock held.
   */
  afterVersionRecord?(info: { bucket: string; key: string }): void | Promise<void>;
}

/** Options of {@link FsProvider}. */
export interface FsProviderOptions extends Partial<FsLimits> {
  /** The folder holding the buckets; created when missing. */
  root: string;
  /** Capability values layered over the provider's own (e.g. to switch a feature off). */
  capabilities?: CapabilityOverrides;
  /** Test-only fault injection. */
  hooks?: FsHooks;
}
