/**
 * Turns check definitions into the injected runner's tests. The capabilities are read from one
 * probe provider first, because a skipped test's title must carry its reason when it is
 * registered.
 */
import type { Capabilities, Provider } from '@partcopy/core';
import { type SuitePlan, withHarness } from './check-context.js';
import type { CheckDefinition, ConformanceOptions, GroupName } from './conformance-types.js';
import { checkBucketPrefix, DEFAULT_BUCKET_PREFIX } from './random-names.js';
import { planCapabilities, SkipRules } from './skip-rules.js';

/** Default per-check timeout handed to the runner. */
export const DEFAULT_TIMEOUT_MS = 60_000;
const SLOW_FACTOR = 4;

/** The title of a check's test. */
export function checkTitle(check: CheckDefinition): string {
  return `${check.id}: ${check.title}`;
}

/**
 * Registers `groups` (each in its own `describe`) inside `describe(title)`. Returns what the
 * runner's `describe` returned; its callback returns a promise only when `createProvider` does.
 */
export function registerSuite(
  title: string,
  options: ConformanceOptions,
  groups: ReadonlyArray<readonly [GroupName, readonly CheckDefinition[]]>,
  allChecks: readonly CheckDefinition[],
): unknown {
  checkOptions(options);
  return options.runner.describe(title, () => {
    const probed = probeProvider(options);
    if (isPromise(probed)) return probed.then((p) => registerGroups(options, groups, allChecks, p));
    registerGroups(options, groups, allChecks, probed);
    return undefined;
  });
}

function checkOptions(options: ConformanceOptions): void {
  if (!options || typeof options !== 'object') throw new TypeError('runConformance needs an options object');
  if (typeof options.name !== 'string' || !options.name)
    throw new TypeError('options.name must be a non-empty string');
  if (typeof options.runner?.describe !== 'function' || typeof options.runner?.it !== 'function') {
    throw new TypeError("options.runner must carry the test runner's describe and it");
  }
  if (typeof options.createProvider !== 'function')
    throw new TypeError('options.createProvider must be a function');
  checkBucketPrefix(options.bucketPrefix ?? DEFAULT_BUCKET_PREFIX);
}

interface Probe {
  name: string;
  capabilities: Readonly<Capabilities>;
  canCreateBuckets: boolean;
}

/** Creates one provider to read its name and capabilities, then closes it. */
function probeProvider(options: ConformanceOptions): Probe | Promise<Probe> {
  const created = options.createProvider();
  const read = (provider: Provider): Probe => {
    const probe = {
      name: provider.name,
      capabilities: provider.capabilities,
      canCreateBuckets: typeof provider.createBucket === 'function',
    };
    try {
      void Promise.resolve(provider.close?.()).catch(() => undefined);
    } catch {
      // A probe that fails to close changes nothing the checks rely on.
    }
    return probe;
  };
  return isPromise(created) ? created.then(read) : read(created);
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function registerGroups(
  options: ConformanceOptions,
  groups: ReadonlyArray<readonly [GroupName, readonly CheckDefinition[]]>,
  allChecks: readonly CheckDefinition[],
  probe: Probe,
): void {
  if (!probe.canCreateBuckets && !options.createBucket) {
    throw new TypeError(
      `${probe.name} cannot create buckets: pass the createBucket (and destroyBucket) options`,
    );
  }
  const capabilityPlan = planCapabilities(probe.capabilities, options);
  const rules = new SkipRules(options, allChecks, capabilityPlan, probe.name);
  const plan: SuitePlan = {
    options,
    capabilityOverrides: capabilityPlan.overrides,
    capabilities: capabilityPlan.capabilities,
    bucketPrefix: options.bucketPrefix ?? DEFAULT_BUCKET_PREFIX,
  };
  const { describe, it } = options.runner;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const [group, checks] of groups) {
    describe(group, () => {
      for (const check of checks) {
        const reason = rules.reasonFor(check);
        if (reason === undefined) {
          it(
            checkTitle(check),
            () => withHarness(plan, check.run),
            check.slow ? timeout * SLOW_FACTOR : timeout,
          );
        } else {
          registerSkipped(options, check, reason);
        }
      }
    });
  }
}

/** A switched-off check: `it.skip` when the runner has it, else a passing test titled SKIPPED. */
function registerSkipped(options: ConformanceOptions, check: CheckDefinition, reason: string): void {
  const { it } = options.runner;
  const title = `${checkTitle(check)} [skipped: ${reason}]`;
  if (typeof it.skip === 'function') it.skip(title, () => undefined);
  else it(`SKIPPED: ${title}`, async () => undefined);
}
