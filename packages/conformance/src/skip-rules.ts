/**
 * Decides, for each check, whether it runs or is reported as skipped and why. Sources, in order:
 * `PARTCOPY_CONFORMANCE_SKIP`, the `skip` option, the `groups` option, capability flags (naming
 * who switched a flag off), then the check's own gate. Unknown ids and names throw, so a typo
 * never leaves a check silently on.
 */
import {
  CAPABILITIES_OFF_ENV,
  type Capabilities,
  type CapabilityFlag,
  type CapabilityOverrides,
  effectiveCapabilities,
  parseCapabilitiesOff,
} from '@partcopy/core';
import type { CheckDefinition, ConformanceOptions, GroupName } from './conformance-types.js';
import { GROUP_NAMES } from './conformance-types.js';

/** Comma list of check ids or group names to skip, each optionally `id=reason`. */
export const CONFORMANCE_SKIP_ENV = 'PARTCOPY_CONFORMANCE_SKIP';

/**
 * Parses `PARTCOPY_CONFORMANCE_SKIP` (e.g. `ranges.past-end=MinIO answers 416,sse-c`) into
 * id-or-group → reason. Throws a TypeError naming an unknown entry.
 */
export function parseSkipEnv(value: string | undefined, knownIds: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const equals = entry.indexOf('=');
    const name = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    const reason = equals < 0 ? '' : entry.slice(equals + 1).trim();
    checkKnown(name, knownIds, CONFORMANCE_SKIP_ENV);
    out.set(name, `${CONFORMANCE_SKIP_ENV}${reason ? `: ${reason}` : ' (no reason given)'}`);
  }
  return out;
}

function checkKnown(name: string, knownIds: ReadonlySet<string>, source: string): void {
  if (!knownIds.has(name) && !(GROUP_NAMES as readonly string[]).includes(name)) {
    throw new TypeError(
      `${source}: "${name}" is neither a conformance check id nor a group name (see listChecks())`,
    );
  }
}

/** Where each capability override came from, so a skip names who switched a flag off. */
export interface CapabilityPlan {
  overrides: CapabilityOverrides;
  capabilities: Readonly<Capabilities>;
  origin: Partial<Record<CapabilityFlag, string>>;
}

/** Layers clientOptions.capabilities, options.capabilities and `PARTCOPY_CAPABILITIES_OFF` over the provider's. */
export function planCapabilities(
  provider: Readonly<Capabilities>,
  options: ConformanceOptions,
): CapabilityPlan {
  const env = options.env ?? process.env;
  const layers: Array<[string, CapabilityOverrides]> = [
    ['clientOptions.capabilities', options.clientOptions?.capabilities ?? {}],
    ['the capabilities option', options.capabilities ?? {}],
    [CAPABILITIES_OFF_ENV, parseCapabilitiesOff(env[CAPABILITIES_OFF_ENV], provider)],
  ];
  const origin: Partial<Record<CapabilityFlag, string>> = {};
  let overrides: CapabilityOverrides = {};
  for (const [source, layer] of layers) {
    overrides = { ...overrides, ...layer };
    for (const [name, value] of Object.entries(layer)) {
      if (value === false) origin[name as CapabilityFlag] = source;
    }
  }
  // What the client will enforce, computed by the client's own function from the same layers.
  const capabilities = effectiveCapabilities({ capabilities: provider }, { capabilities: overrides, env });
  return { overrides, capabilities, origin };
}

/** Skip decisions for one suite. */
export class SkipRules {
  readonly #envSkips: Map<string, string>;
  readonly #optionSkips: Map<string, string>;
  readonly #groups: ReadonlySet<GroupName> | undefined;
  readonly #capabilities: CapabilityPlan;
  readonly #options: ConformanceOptions;
  readonly #providerName: string;

  constructor(
    options: ConformanceOptions,
    checks: readonly CheckDefinition[],
    capabilities: CapabilityPlan,
    providerName: string,
  ) {
    const knownIds = new Set(checks.map((c) => c.id));
    this.#options = options;
    this.#providerName = providerName;
    this.#capabilities = capabilities;
    this.#envSkips = parseSkipEnv((options.env ?? process.env)[CONFORMANCE_SKIP_ENV], knownIds);
    this.#optionSkips = new Map();
    for (const [name, reason] of Object.entries(options.skip ?? {})) {
      checkKnown(name, knownIds, 'skip option');
      if (typeof reason !== 'string' || reason.trim() === '') {
        throw new TypeError(`skip option: "${name}" needs a reason (why is it switched off?)`);
      }
      this.#optionSkips.set(name, reason.trim());
    }
    if (options.groups) {
      for (const group of options.groups) checkKnown(group, new Set(), 'groups option');
      this.#groups = new Set(options.groups);
    }
  }

  /** The reason to skip `check`, or undefined when it runs. */
  reasonFor(check: CheckDefinition): string | undefined {
    const listed = this.#envSkips.get(check.id) ?? this.#envSkips.get(check.group);
    if (listed) return listed;
    const option = this.#optionSkips.get(check.id) ?? this.#optionSkips.get(check.group);
    if (option) return option;
    if (this.#groups && !this.#groups.has(check.group))
      return `group ${check.group} not selected (groups option)`;
    const caps = this.#capabilities.capabilities;
    for (const flag of check.requires) {
      if (caps[flag] !== true) {
        const origin = this.#capabilities.origin[flag];
        return origin
          ? `capability ${flag} switched off by ${origin}`
          : `${this.#providerName} declares capability ${flag}: false`;
      }
    }
    return check.gate?.({ capabilities: caps, options: this.#options });
  }
}
