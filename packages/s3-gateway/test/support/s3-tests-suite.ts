/**
 * Runs the S3 compatibility suite (ceph/s3-tests, installed by scripts/s3-tests-install.sh)
 * against a gateway URL and reads its JUnit report: the configuration file it needs, the
 * markers each lane deselects (as gaul/s3proxy's CI does, so the counts compare), the outcome
 * of every test and the failures grouped by cause.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

const repoRoot = resolve(import.meta.dirname, '../../../..');
/** The pytest plugin of compat/ (partcopy_s3tests.py). */
const compatDir = resolve(import.meta.dirname, '../../compat');

export type CompatBackend = 'memory' | 'fs' | 'azurite' | 'fake-gcs';

/** One of the suite's users: its key, and the identity the gateway gives the key (gateway-users.ts). */
export interface SuiteUser {
  accessKeyId: string;
  secretAccessKey: string;
  userId: string;
  displayName: string;
  email: string;
}

/**
 * The suite's three identities: main, alt (cross-account checks) and a tenant user. The gateway
 * is configured with the same ids, names and e-mail addresses the suite's configuration file
 * gives them, so owners and grants compare. Main is the gateway's primary user (`partcopy`, the
 * owner of buckets made directly in the store).
 */
export const SUITE_USERS: Record<'main' | 'alt' | 'tenant', SuiteUser> = {
  main: {
    accessKeyId: 'S3TESTSMAINKEY',
    secretAccessKey: 's3-tests-main-secret-0123456789',
    userId: 'partcopy',
    displayName: 'partcopy',
    email: 'main@example.com',
  },
  alt: {
    accessKeyId: 'S3TESTSALTKEY',
    secretAccessKey: 's3-tests-alt-secret-0123456789',
    userId: '56789abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234',
    displayName: 'john.doe',
    email: 'john.doe@example.com',
  },
  tenant: {
    accessKeyId: 'S3TESTSTENANTKEY',
    secretAccessKey: 's3-tests-tenant-secret-0123456789',
    userId: '9876543210abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    displayName: 'testx$tenanteduser',
    email: 'tenanteduser@example.com',
  },
};

// gaul/s3proxy's run-s3-tests.sh deselects whole features it does not implement; its lanes then
// put back what a store has (versioning and SSE on the transient store, versioning on GCS).
// The same expressions here, so "passed" counts the same tests as its lane figures.
const S3PROXY_DESELECTED = [
  'appendobject',
  'bucket_logging',
  'bucket_policy',
  'cors',
  'encryption',
  'fails_strict_rfc2616',
  'iam_tenant',
  'lifecycle',
  'object_attributes',
  'object_lock',
  'object_ownership',
  'policy',
  'policy_status',
  's3control',
  's3select',
  's3website',
  'sse_s3',
  'tagging',
  'test_of_sts',
  'user_policy',
  'versioning',
  'webidentity_test',
];

const LANE_RESTORED: Record<CompatBackend, string[]> = {
  memory: ['versioning', 'sse_s3', 'encryption'],
  fs: [],
  azurite: [],
  'fake-gcs': ['versioning'],
};

/** s3proxy's passed count on the same lane (its CI, gaul/s3proxy@f8859ad, issue 17). */
export const S3PROXY_LANE_PASSED: Record<CompatBackend, number> = {
  memory: 407,
  fs: 369,
  azurite: 352,
  'fake-gcs': 376,
};

export function laneMarkers(backend: CompatBackend): string {
  const restored = new Set(LANE_RESTORED[backend]);
  return S3PROXY_DESELECTED.filter((m) => !restored.has(m))
    .map((m) => `not ${m}`)
    .join(' and ');
}

export interface SuiteInstall {
  dir: string;
  python: string;
}

/** Installs the suite when missing (idempotent, seconds when cached) and says where it is. */
export function installSuite(): SuiteInstall {
  const run = spawnSync('bash', [join(repoRoot, 'scripts/s3-tests-install.sh')], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`scripts/s3-tests-install.sh failed (exit ${run.status}):\n${run.stderr}`);
  }
  const dir = run.stdout.trim().split('\n').at(-1) ?? '';
  const cache = process.env.PARTCOPY_CACHE ?? join(process.env.HOME ?? '', '.cache/partcopy');
  const python = join(cache, 's3-tests-venv/bin/python');
  if (!existsSync(join(dir, 's3tests')) || !existsSync(python)) {
    throw new Error(`the s3-tests install left no suite in ${dir} or no ${python}`);
  }
  return { dir, python };
}

/** The suite's configuration file for a gateway at `url`. */
export function suiteConfig(url: string): string {
  const { hostname, port } = new URL(url);
  const user = (name: keyof typeof SUITE_USERS) =>
    [
      `[s3 ${name}]`,
      `user_id = ${SUITE_USERS[name].userId}`,
      `display_name = ${SUITE_USERS[name].displayName}`,
      `email = ${SUITE_USERS[name].email}`,
      `access_key = ${SUITE_USERS[name].accessKeyId}`,
      `secret_key = ${SUITE_USERS[name].secretAccessKey}`,
    ].join('\n');
  return [
    '[DEFAULT]',
    `host = ${hostname}`,
    `port = ${port}`,
    'is_secure = no',
    '',
    '[fixtures]',
    'bucket prefix = s3tests-{random}-',
    '',
    user('main'),
    '',
    user('alt'),
    '',
    `${user('tenant')}\ntenant = testx`,
    '',
    // The IAM sections must exist for the suite to load; no IAM is served.
    '[iam]',
    'email = s3@example.com',
    'user_id = 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'access_key = ABCDEFGHIJKLMNOPQRST',
    'secret_key = abcdefghijklmnopqrstuvwxyzabcdefghijklmn',
    'display_name = youruseridhere',
    '',
    '[iam root]',
    'access_key = AAAAAAAAAAAAAAAAAAaa',
    'secret_key = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'user_id = RGW11111111111111111',
    'email = account1@ceph.com',
    '',
    '[iam alt root]',
    'access_key = BBBBBBBBBBBBBBBBBBbb',
    'secret_key = bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    'user_id = RGW22222222222222222',
    'email = account2@ceph.com',
    '',
  ].join('\n');
}

export type Outcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestResult {
  /** The test function's name (unique across the suite's files). */
  name: string;
  file: string;
  outcome: Outcome;
  /** The failure's one-line message. */
  message: string;
  seconds: number;
}

export interface SuiteRun {
  backend: CompatBackend;
  results: TestResult[];
  counts: Record<Outcome | 'deselected', number>;
  seconds: number;
  /** pytest's last line. */
  summary: string;
}

export interface RunOptions {
  backend: CompatBackend;
  url: string;
  install: SuiteInstall;
  /** Where the configuration, the JUnit report and pytest's output go. */
  outDir: string;
  /** pytest -k expression (a quick loop over a few tests). */
  k?: string;
  /** Run only these tests (function names), e.g. the must-pass list. */
  only?: readonly string[];
  /** Seconds one test may take before pytest-timeout fails it. */
  testTimeout?: number;
}

/** Runs the suite (serially: its tests share buckets' name prefix and clean up by listing). */
export async function runSuite(options: RunOptions): Promise<SuiteRun> {
  mkdirSync(options.outDir, { recursive: true });
  const conf = join(options.outDir, `s3tests-${options.backend}.conf`);
  const junit = join(options.outDir, `junit-${options.backend}.xml`);
  const logFile = join(options.outDir, `pytest-${options.backend}.log`);
  writeFileSync(conf, suiteConfig(options.url));
  const args = [
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:cacheprovider',
    '-p',
    'partcopy_s3tests',
    '-m',
    laneMarkers(options.backend),
    `--junitxml=${junit}`,
    `--timeout=${options.testTimeout ?? 300}`,
    // Only the test function: a timeout fired in the suite's set-up or tear-down (a fixture)
    // is a pytest INTERNALERROR that ends the whole session.
    '-o',
    'timeout_func_only=true',
    ...(options.k ? ['-k', options.k] : []),
    ...(options.only ? nodeIds(options.install.dir, options.only) : []),
  ];
  const started = Date.now();
  const output = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(options.install.python, args, {
      cwd: options.install.dir,
      env: {
        ...process.env,
        S3TEST_CONF: conf,
        PYTHONPATH: compatDir,
        PARTCOPY_S3TESTS_LIVE: join(options.outDir, `live-${options.backend}.jsonl`),
        // As s3proxy's CI: the gateway is local, so every answer is the first attempt's; botocore
        // would otherwise retry each deliberate 500 or BadDigest with back-off.
        AWS_MAX_ATTEMPTS: '1',
        AWS_RETRY_MODE: 'standard',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Written as it comes, so a long run can be followed (tail -f).
    const log = createWriteStream(logFile);
    const chunks: Buffer[] = [];
    const keep = (c: Buffer) => {
      chunks.push(c);
      log.write(c);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', () => log.end(() => resolvePromise(Buffer.concat(chunks).toString('utf8'))));
  });
  if (!existsSync(junit)) throw new Error(`pytest wrote no JUnit report; its output is in ${logFile}`);
  const results = parseJunit(readFileSync(junit, 'utf8'));
  const summary = output.trim().split('\n').at(-1) ?? '';
  const counts = { passed: 0, failed: 0, error: 0, skipped: 0, deselected: 0 };
  for (const r of results) counts[r.outcome]++;
  counts.deselected = Number(/(\d+) deselected/.exec(summary)?.[1] ?? 0);
  return { backend: options.backend, results, counts, seconds: (Date.now() - started) / 1000, summary };
}

// The suite's test files; a name is looked up in each (names are unique across them).
const SUITE_FILES = [
  'test_s3.py',
  'test_headers.py',
  'test_iam.py',
  'test_sns.py',
  'test_sts.py',
  'test_utils.py',
];

function nodeIds(dir: string, names: readonly string[]): string[] {
  const sources = SUITE_FILES.map((file) => ({
    file: `s3tests/functional/${file}`,
    text: existsSync(join(dir, 's3tests/functional', file))
      ? readFileSync(join(dir, 's3tests/functional', file), 'utf8')
      : '',
  }));
  return names.map((name) => {
    // A parametrized test is named `test_x[params]`: its function is `test_x`, its node id keeps
    // the parameters so only that case runs.
    const base = name.replace(/\[.*$/, '');
    const found = sources.find((s) => s.text.includes(`def ${base}(`));
    if (!found) throw new Error(`s3-tests has no test named ${base}`);
    return `${found.file}::${name}`;
  });
}

interface JunitCase {
  '@_classname'?: string;
  '@_name': string;
  '@_time'?: string;
  failure?: { '@_message'?: string } | string;
  error?: { '@_message'?: string } | string;
  skipped?: { '@_message'?: string } | string;
}

export function parseJunit(xml: string): TestResult[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testcase' || name === 'testsuite',
  });
  const doc = parser.parse(xml) as { testsuites?: { testsuite?: Array<{ testcase?: JunitCase[] }> } };
  const cases = (doc.testsuites?.testsuite ?? []).flatMap((s) => s.testcase ?? []);
  return cases.map((c) => {
    const outcome: Outcome =
      c.failure !== undefined
        ? 'failed'
        : c.error !== undefined
          ? 'error'
          : c.skipped !== undefined
            ? 'skipped'
            : 'passed';
    const detail = c.failure ?? c.error ?? c.skipped;
    const message = typeof detail === 'object' ? (detail['@_message'] ?? '') : (detail ?? '');
    // A parametrized test keeps its parameters in the name; the file is the class name's module.
    return {
      name: c['@_name'],
      file: (c['@_classname'] ?? '').replace(/\./g, '/'),
      outcome,
      message: message.split('\n')[0] ?? '',
      seconds: Number(c['@_time'] ?? 0),
    };
  });
}

/**
 * A failure's cause, as a line to group by: the S3 error code and operation of a refused call
 * (`NotImplemented on PutBucketAcl`), else the assertion with its literals blanked.
 */
export function failureCause(message: string): string {
  const refused = /An error occurred \(([^)]+)\) when calling the (\w+) operation/.exec(message);
  if (refused) return `${refused[1]} on ${refused[2]}`;
  return message
    .replace(/'[^']*'|"[^"]*"/g, "'…'")
    .replace(/\b\d+\b/g, 'N')
    .slice(0, 140);
}

/** The failures grouped by cause, biggest group first, as Markdown. */
export function failureReport(run: SuiteRun): string {
  const groups = new Map<string, string[]>();
  for (const r of run.results) {
    if (r.outcome !== 'failed' && r.outcome !== 'error') continue;
    const cause = failureCause(r.message);
    groups.set(cause, [...(groups.get(cause) ?? []), r.name]);
  }
  const lines = [`# s3-tests on ${run.backend}: ${run.summary}`, ''];
  for (const [cause, names] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`## ${names.length} × ${cause}`, '', ...names.map((n) => `- ${n}`), '');
  }
  return lines.join('\n');
}

/** One table row per backend against s3proxy's lane figure. */
export function resultTable(runs: readonly SuiteRun[]): string {
  const header = ['backend', 'passed', 'failed', 'errors', 'skipped', 'deselected', 's3proxy', 'seconds'];
  const rows = runs.map((r) => [
    r.backend,
    String(r.counts.passed),
    String(r.counts.failed),
    String(r.counts.error),
    String(r.counts.skipped),
    String(r.counts.deselected),
    String(S3PROXY_LANE_PASSED[r.backend]),
    r.seconds.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [format(header), ...rows.map(format)].join('\n');
}
