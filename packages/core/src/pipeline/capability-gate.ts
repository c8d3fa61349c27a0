/**
 * The capability-check layer: the one place where capability overrides are applied (the
 * client's `capabilities` option and the `PARTCOPY_CAPABILITIES_OFF` environment variable) and
 * where a request is refused with `Unsupported` because a bucket cannot do what it asks. Checks
 * are per bucket: a provider's `capabilitiesFor(bucket)` (S3 directory buckets have no SSE-C,
 * no versions) is consulted for every bucket a request names, source buckets included.
 */
import {
  CAPABILITIES_OFF_ENV,
  type Capabilities,
  type CapabilityOverrides,
  parseCapabilitiesOff,
  withOverrides,
} from '../contract/capabilities.js';
import type { Provider } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';

/** Where overrides come from; both layers are optional. */
export interface CapabilityOverrideSources {
  /** Flags and limits laid over the provider's, e.g. to switch off what an emulator lacks. */
  capabilities?: CapabilityOverrides | undefined;
  /**
   * Environment read for `PARTCOPY_CAPABILITIES_OFF` (a comma-separated list of flags to switch
   * off). Default `process.env`; pass `{}` to ignore the environment.
   */
  env?: Record<string, string | undefined> | undefined;
}

/**
 * The capabilities a client will enforce for a provider: the provider's own, then the explicit
 * overrides, then the flags the environment switches off (an operator's word wins). Used by `PartCopyClient` and the
 * conformance kit, so both decide from the same object.
 */
export function effectiveCapabilities(
  provider: Pick<Provider, 'capabilities'>,
  sources: CapabilityOverrideSources = {},
): Readonly<Capabilities> {
  return withOverrides(provider.capabilities, overridesFrom(provider.capabilities, sources));
}

function overridesFrom(base: Capabilities, sources: CapabilityOverrideSources): CapabilityOverrides {
  const env = sources.env ?? process.env;
  return { ...sources.capabilities, ...parseCapabilitiesOff(env[CAPABILITIES_OFF_ENV], base) };
}

/** Capability checks for one client. */
export class CapabilityGate {
  readonly capabilities: Readonly<Capabilities>;
  readonly #provider: Provider;
  readonly #overrides: CapabilityOverrides;
  readonly #perBucket = new Map<string, Readonly<Capabilities>>();

  constructor(provider: Provider, sources: CapabilityOverrideSources = {}) {
    this.#provider = provider;
    this.#overrides = overridesFrom(provider.capabilities, sources);
    this.capabilities = withOverrides(provider.capabilities, this.#overrides);
  }

  /** The capabilities of one bucket, overrides applied (cached: they do not change). */
  for(bucket: string | undefined): Readonly<Capabilities> {
    if (bucket === undefined || !this.#provider.capabilitiesFor) return this.capabilities;
    let found = this.#perBucket.get(bucket);
    if (!found) {
      const own = this.#provider.capabilitiesFor(bucket);
      found = own === this.#provider.capabilities ? this.capabilities : withOverrides(own, this.#overrides);
      this.#perBucket.set(bucket, found);
    }
    return found;
  }

  /** Refuses with `Unsupported` when `bucket` cannot do `what` (its `flag` is false). */
  require(bucket: string | undefined, flag: keyof Capabilities, what: string): void {
    if (this.for(bucket)[flag] !== false) return;
    const where = bucket !== undefined && this.#provider.capabilitiesFor ? ` in bucket ${bucket}` : '';
    throw new PartCopyError(
      'Unsupported',
      `${this.#provider.name} does not support ${what}${where} (capability ${String(flag)} is false)`,
    );
  }

  /**
   * Refuses with `Unsupported` unless `bucket` has `flag` set to true: for the optional features
   * whose absent flag means "no" (signed reads, staging from a URL).
   */
  requireOn(bucket: string, flag: keyof Capabilities, what: string): void {
    if (this.for(bucket)[flag] === true) return;
    const where = this.#provider.capabilitiesFor ? ` in bucket ${bucket}` : '';
    throw new PartCopyError(
      'Unsupported',
      `${this.#provider.name} does not support ${what}${where} (capability ${String(flag)} is not on)`,
    );
  }

  /** Refuses an operation the provider does not implement at all (an optional contract method). */
  unsupported(what: string): PartCopyError {
    return new PartCopyError('Unsupported', `${this.#provider.name} does not support ${what}`);
  }
}
