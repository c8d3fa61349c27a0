/**
 * The public shapes of the conformance kit: the injected test runner, the options a provider's
 * test file passes, and the check definitions the groups are made of.
 */
import type {
  Capabilities,
  CapabilityFlag,
  CapabilityOverrides,
  PartCopyClient,
  PartCopyClientOptions,
  Provider,
} from '@partcopy/core';
import type { CheckContext } from './check-context.js';

/** A test body as the kit hands it to the runner. */
export type TestBody = () => Promise<void>;

/**
 * The runner's `it`/`test`. Called as `it(title, body, timeoutMs)`: vitest and jest read the number
 * as the test's timeout, node:test and mocha ignore a third argument. `it.skip(title, body)` is
 * used for switched-off checks when present.
 */
export interface ConformanceIt {
  (title: string, body: TestBody, timeoutMs?: number): unknown;
  skip?: (title: string, body: () => void) => unknown;
}

/**
 * The test runner, injected so the kit never imports one: pass vitest's or node:test's
 * `describe` and `it` (`import { describe, it } from 'vitest'`). `describe` callbacks return a
 * promise when `createProvider` is async (the kit reads the capabilities before registering
 * checks): vitest, node:test and mocha-with-async-suites accept that.
 */
export interface ConformanceRunner {
  describe: (title: string, body: () => void | Promise<void>) => unknown;
  it: ConformanceIt;
  /**
   * Accepted for symmetry with other kits; not needed: every check sets up and cleans up its own
   * provider and buckets inside its test body (in `finally`).
   */
  beforeEach?: (body: () => void | Promise<void>) => unknown;
  afterEach?: (body: () => void | Promise<void>) => unknown;
}

/** The groups of checks, in the order they run. */
export const GROUP_NAMES = [
  'lifecycle',
  'ranges',
  'conditions',
  'part-numbers',
  'no-such-upload',
  'missing-source',
  'completion',
  'listing',
  'abort',
  'awkward-keys',
  'versioned-sources',
  'bucket-versioning',
  'delete-conditions',
  'concurrency',
  'large-parts',
  'sse-c',
  'sse-kms',
  'abort-signal',
  'source-hint',
  'engine',
  'store',
  'whole-object-copy',
  'gc',
  'compose',
  'server-pull',
] as const;

export type GroupName = (typeof GROUP_NAMES)[number];

/** Answers some real servers give that differ from S3's, accepted only when asked for. */
export interface ConformanceTolerances {
  /**
   * Accept `InvalidRange` (416) as well as S3's `InvalidArgument` (400) for a copy range past the
   * end of the source (MinIO answers 416). Default false: emulating providers must answer
   * `InvalidArgument` naming the source size, as S3 does.
   */
  rangePastEndInvalidRange?: boolean;
  /**
   * Accept `InvalidRequest` as well as `AccessDenied` when the wrong SSE-C key is given for a copy
   * source. Default false (S3 answers 403 AccessDenied).
   */
  sseWrongKeyInvalidRequest?: boolean;
}

/** Options of {@link runConformance} and of each group function. */
export interface ConformanceOptions<Id extends string = string> {
  /** Suite title, e.g. `memory` or `s3 (MinIO)`. */
  name: string;
  /** The test runner's `describe` and `it` (vitest, node:test, jest, mocha). */
  runner: ConformanceRunner;
  /** A FRESH provider; called once per check (and once up front to read the capabilities). */
  createProvider: () => Provider | Promise<Provider>;
  /**
   * A second, independent handle on the same store, as another process would have. Checks that
   * state must live in the store use it; they are reported as skipped when it is absent.
   */
  reopenProvider?: (provider: Provider) => Provider | Promise<Provider>;
  /** Creates a test bucket. Default: `client.createBucket({ bucket, versioning })`. */
  createBucket?: (client: PartCopyClient, name: string, options: { versioning: boolean }) => Promise<void>;
  /**
   * Removes a test bucket after a check. Default: abort its uploads, delete its objects (and the
   * versions the check wrote), delete the bucket.
   */
  destroyBucket?: (client: PartCopyClient, name: string) => Promise<void>;
  /**
   * Prefix of the random bucket names (`${prefix}${random}`): lowercase letters, digits and
   * single hyphens, at most 40 characters, so names stay valid for S3, Azure containers and GCS.
   * Default `pc-conf-`.
   */
  bucketPrefix?: string;
  /** Capability overrides layered over the provider's (e.g. `{ copySourceIfMatch: false }`). */
  capabilities?: CapabilityOverrides;
  /** Switch off single checks or whole groups, each WITH a reason shown in the skipped test's title. */
  skip?: Partial<Record<Id | GroupName, string>>;
  /** Run only these groups; the checks of the others are reported as skipped. */
  groups?: readonly GroupName[];
  /** Per-check timeout in ms handed to the runner (default 60 000; large-parts checks get 4×). */
  timeoutMs?: number;
  /** Options for every `PartCopyClient` the kit creates (retry, events, capability overrides). */
  clientOptions?: PartCopyClientOptions;
  /** Server answers that differ from S3 but are accepted (default: none). */
  tolerate?: ConformanceTolerances;
  /** Environment to read `PARTCOPY_CONFORMANCE_SKIP` and `PARTCOPY_CAPABILITIES_OFF` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** What decides whether a check can run, besides capability flags. */
export interface GateInput {
  capabilities: Readonly<Capabilities>;
  options: ConformanceOptions;
}

/** One check: a single S3 behaviour, asserted through the `PartCopyClient` facade. */
export interface CheckDefinition<Id extends string = string> {
  /** Stable id, `group.name`, e.g. `ranges.past-end`. Used in skip lists and titles. */
  readonly id: Id;
  readonly group: GroupName;
  /** What is checked, in one line. */
  readonly title: string;
  /** Boolean capabilities that must be true; the check is reported as skipped otherwise. */
  readonly requires: readonly CapabilityFlag[];
  /** Further conditions; returns the reason to skip, or undefined to run. */
  readonly gate?: (input: GateInput) => string | undefined;
  /** The gate's requirement in words, for {@link listChecks} (e.g. `reopenProvider option`). */
  readonly needs?: string;
  /** Moves many bytes: gets a longer timeout. */
  readonly slow?: boolean;
  /** The check itself; throws (node:assert) on failure. */
  readonly run: (t: CheckContext) => Promise<void>;
}

/** A check as {@link listChecks} describes it, for documentation. */
export interface CheckSummary {
  id: string;
  group: GroupName;
  title: string;
  requiredCapabilities: readonly CapabilityFlag[];
  /** Other requirements in words (e.g. `reopenProvider`), when the check has them. */
  otherRequirements?: string;
}
