/**
 * The kit's own behaviour: how checks are registered and skipped (always with a reason in the
 * title, never dropped), option and environment parsing, check ids and bucket names.
 */
import { createMemoryProvider } from '@partcopy/memory';
import { describe, expect, it } from 'vitest';
import {
  GROUP_NAMES,
  listChecks,
  parseSkipEnv,
  type RunConformanceOptions,
  rangesGroup,
  runConformance,
} from '../src/index.js';
import { checkBucketPrefix, randomBucketName } from '../src/random-names.js';
import { idOf, RecordingRunner } from './recording-runner.js';

function register(options: Partial<RunConformanceOptions> = {}, runner = new RecordingRunner()) {
  runConformance({
    name: 'memory',
    runner: runner.runner,
    createProvider: () => createMemoryProvider({ minPartSize: 1024 }),
    env: {},
    ...options,
  });
  return runner;
}

async function registered(options: Partial<RunConformanceOptions> = {}, runner?: RecordingRunner) {
  const tests = await register(options, runner).collected();
  return new Map(tests.map((test) => [idOf(test.title), test]));
}

describe('registration', () => {
  it('registers every check once, each group in its own describe, with a timeout', async () => {
    const tests = await registered();
    expect([...tests.keys()].sort()).toEqual(
      listChecks()
        .map((c) => c.id)
        .sort(),
    );
    const sample = tests.get('ranges.past-end');
    expect(sample?.path).toBe('partcopy conformance: memory > ranges > ' + sample?.title);
    expect(sample?.timeoutMs).toBe(60_000);
    expect(tests.get('large-parts.exact-min-size')?.timeoutMs).toBe(240_000);
  });

  it('reports a capability-gated check as skipped with the reason in its title', async () => {
    const tests = await registered();
    const gated = tests.get('lifecycle.sub-range-unsupported');
    expect(gated?.skipped).toBe(true);
    expect(gated?.title).toContain('[skipped: the provider copies sub-ranges');
  });

  it('names who switched a capability off: provider, option or PARTCOPY_CAPABILITIES_OFF', async () => {
    const byProvider = await registered({
      createProvider: () => createMemoryProvider({ capabilities: { sseCustomerKey: false } }),
    });
    expect(byProvider.get('sse-c.copy-with-source-key')?.title).toContain(
      '[skipped: memory declares capability sseCustomerKey: false]',
    );
    const byOption = await registered({ capabilities: { copySourceIfMatch: false } });
    expect(byOption.get('conditions.if-match-false')?.title).toContain(
      'capability copySourceIfMatch switched off by the capabilities option',
    );
    expect(byOption.get('conditions.if-none-match-false')?.skipped).toBe(false);
    const byEnv = await registered({ env: { PARTCOPY_CAPABILITIES_OFF: 'listParts,versionedSources' } });
    expect(byEnv.get('listing.parts-ascending')?.title).toContain(
      'switched off by PARTCOPY_CAPABILITIES_OFF',
    );
    expect(byEnv.get('versioned-sources.older-version-string')?.skipped).toBe(true);
  });

  it('skips by option and by PARTCOPY_CONFORMANCE_SKIP (ids and groups), with reasons', async () => {
    const tests = await registered({
      skip: { 'ranges.past-end': 'this server answers 416', concurrency: 'single-threaded emulator' },
      env: { PARTCOPY_CONFORMANCE_SKIP: 'sse-c=no TLS, conditions.if-match-star' },
    });
    expect(tests.get('ranges.past-end')?.title).toContain('[skipped: this server answers 416]');
    expect(tests.get('concurrency.parallel-mixed')?.title).toContain('[skipped: single-threaded emulator]');
    expect(tests.get('sse-c.destination-key')?.title).toContain(
      '[skipped: PARTCOPY_CONFORMANCE_SKIP: no TLS]',
    );
    expect(tests.get('conditions.if-match-star')?.title).toContain(
      'PARTCOPY_CONFORMANCE_SKIP (no reason given)',
    );
    expect(tests.get('ranges.first-byte')?.skipped).toBe(false);
  });

  it('reports groups left out by the groups option as skipped', async () => {
    const tests = await registered({ groups: ['ranges'] });
    expect(tests.get('ranges.first-byte')?.skipped).toBe(false);
    expect(tests.get('lifecycle.whole-source-copy')?.title).toContain(
      '[skipped: group lifecycle not selected (groups option)]',
    );
    expect(tests.size).toBe(listChecks().length);
  });

  it('registers a passing "SKIPPED: …" test when the runner has no it.skip', async () => {
    const runner = new RecordingRunner({ withSkip: false });
    const tests = await registered({ groups: ['ranges'] }, runner);
    const skipped = tests.get('lifecycle.whole-source-copy');
    expect(skipped?.skipped).toBe(false);
    expect(skipped?.title).toMatch(
      /^SKIPPED: lifecycle\.whole-source-copy: .* \[skipped: group lifecycle not selected/,
    );
    await expect(Promise.resolve(skipped?.body())).resolves.toBeUndefined();
  });

  it('refuses unknown ids, empty reasons and unknown groups (a typo never leaves a check on)', () => {
    expect(() => register({ skip: { 'ranges.nope': 'x' } as never })).toThrow(
      /neither a conformance check id nor a group/,
    );
    expect(() => register({ skip: { 'ranges.past-end': ' ' } })).toThrow(/needs a reason/);
    expect(() => register({ groups: ['rangez' as never] })).toThrow(/groups option/);
    expect(() => register({ env: { PARTCOPY_CONFORMANCE_SKIP: 'ranges.past-edn' } })).toThrow(
      /PARTCOPY_CONFORMANCE_SKIP/,
    );
    expect(() => register({ env: { PARTCOPY_CAPABILITIES_OFF: 'copySourceIfMatc' } })).toThrow(
      /PARTCOPY_CAPABILITIES_OFF/,
    );
    expect(() => register({ bucketPrefix: 'Bad_Prefix' })).toThrow(/bucketPrefix/);
  });

  it('supports an async createProvider (the describe body returns a promise)', async () => {
    const runner = new RecordingRunner();
    rangesGroup({
      name: 'async',
      runner: runner.runner,
      createProvider: async () => createMemoryProvider(),
      env: {},
    });
    const outcomes = await runner.run();
    expect(outcomes.length).toBe(listChecks(['ranges']).length);
    expect(outcomes.every((o) => o.status === 'passed')).toBe(true);
    expect(outcomes[0]?.path.startsWith('partcopy conformance: async > ranges > ')).toBe(true);
  });

  it('fails a check whose clean-up fails, and closes every provider it created', async () => {
    const runner = new RecordingRunner();
    let closed = 0;
    rangesGroup({
      name: 'cleanup',
      runner: runner.runner,
      createProvider: () => Object.assign(createMemoryProvider(), { close: async () => void closed++ }),
      destroyBucket: async () => {
        throw new Error('cannot delete');
      },
      env: {},
      skip: Object.fromEntries(
        listChecks(['ranges'])
          .slice(1)
          .map((c) => [c.id, 'one is enough']),
      ),
    });
    const [outcome] = (await runner.run()).filter((o) => o.status !== 'skipped');
    expect(outcome?.status).toBe('failed');
    expect(String((outcome?.error as Error | undefined)?.message)).toContain(
      'clean-up after the check failed',
    );
    expect(closed).toBeGreaterThanOrEqual(2); // the probe and the check's provider
  });
});

describe('switched-off features', () => {
  it('checks that features switched off by PARTCOPY_CAPABILITIES_OFF are refused with Unsupported', async () => {
    const runner = new RecordingRunner();
    register(
      {
        groups: ['conditions', 'versioned-sources', 'sse-c'],
        env: {
          PARTCOPY_CAPABILITIES_OFF:
            'copySourceIfMatch,copySourceIfModifiedSince,versionedSources,sseCustomerKey',
        },
      },
      runner,
    );
    const outcomes = new Map((await runner.run()).map((o) => [idOf(o.title), o]));
    for (const id of [
      'conditions.switched-off-refused',
      'versioned-sources.switched-off-refused',
      'sse-c.switched-off-refused',
    ]) {
      expect(outcomes.get(id)?.status, `${id}: ${String(outcomes.get(id)?.error)}`).toBe('passed');
    }
    expect(outcomes.get('conditions.if-match-false')?.status).toBe('skipped');
    expect(outcomes.get('conditions.if-none-match-false')?.status).toBe('passed');
    expect([...outcomes.values()].filter((o) => o.status === 'failed')).toEqual([]);
  });
});

describe('catalog', () => {
  it('has unique, stable, group-prefixed ids and documents requirements', () => {
    const checks = listChecks();
    expect(new Set(checks.map((c) => c.id)).size).toBe(checks.length);
    for (const check of checks) {
      expect(check.id.startsWith(`${check.group}.`)).toBe(true);
      expect(check.title.length).toBeGreaterThan(10);
    }
    expect(new Set(checks.map((c) => c.group))).toEqual(new Set(GROUP_NAMES));
    expect(checks.find((c) => c.id === 'versioned-sources.bogus-version')?.requiredCapabilities).toEqual([
      'versionedSources',
      'versionedBuckets',
    ]);
    expect(checks.find((c) => c.id === 'listing.cross-instance-complete')?.otherRequirements).toBe(
      'reopenProvider option',
    );
  });

  it('parses PARTCOPY_CONFORMANCE_SKIP entries with and without reasons', () => {
    const parsed = parseSkipEnv(' ranges.past-end = answers 416 , sse-c ,', new Set(['ranges.past-end']));
    expect([...parsed]).toEqual([
      ['ranges.past-end', 'PARTCOPY_CONFORMANCE_SKIP: answers 416'],
      ['sse-c', 'PARTCOPY_CONFORMANCE_SKIP (no reason given)'],
    ]);
  });
});

describe('bucket names', () => {
  it('are valid for S3, Azure containers and GCS for any accepted prefix', () => {
    const valid = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
    for (const prefix of ['pc-conf-', 'a', 'x'.repeat(40), 'team-7-']) {
      checkBucketPrefix(prefix);
      for (let i = 0; i < 50; i++) {
        const name = randomBucketName(prefix);
        expect(name.length).toBeGreaterThanOrEqual(3);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(valid);
      }
    }
  });
});
