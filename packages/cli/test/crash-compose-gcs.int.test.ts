/**
 * A native compose on fake-gcs-server (ranged pieces streamed into staging objects, a compose
 * tree of 32 sources per call) run as a session: `partcopy compose --resume` SIGKILLed right after
 * a seeded number of its staging writes answered (counted by the crash child's fetch, never by
 * time), resumed, killed again, then run to the end. The staging objects and intermediate
 * composites have names derived from the session, so the resume lists them and writes only what is
 * missing: identical bytes (SHA-256), no staging object a run saw written is written again, the
 * destination absent until the end, and nothing left in the bucket.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './cli-harness.js';
import { sha256 } from './crash/compose-crash.js';
import {
  bundleChild,
  type ChildRun,
  crashSeed,
  readLog,
  runChild,
  seededRandom,
} from './crash/crash-harness.js';

const objects: Record<string, Uint8Array> = {
  a: patternBytes(200 * 1024, 1),
  b: patternBytes(1024, 2),
  c: patternBytes(50 * 1024 + 5, 3),
};
// 80 pieces: the even ones whole objects (compose sources as they are), the odd ones ranges
// (each streamed into a staging object): 40 staging objects; the tree then needs
// ceil((80 - 1) / 31) = 3 compose calls, 2 of them intermediate composites.
const pieces: Array<{ key: string; range?: [number, number] }> = Array.from({ length: 80 }, (_, i) => {
  const key = ['a', 'b', 'c'][i % 3] as string;
  const size = (objects[key] as Uint8Array).length;
  if (i % 2 === 0) return { key };
  const start = (i * 997) % (size - 1);
  return { key, range: [start, Math.min(size - 1, start + 500 + i * 97)] };
});
const STAGED = 40 + 2;

function expected(): Buffer {
  return Buffer.concat(
    pieces.map((p) => {
      const bytes = Buffer.from(objects[p.key] as Uint8Array);
      return p.range ? bytes.subarray(p.range[0], p.range[1] + 1) : bytes;
    }),
  );
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test servers' global set-up did not run`);
  return value;
}

const bucket = `pc-crash-native-${randomBytes(4).toString('hex')}`;
let child: string;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-crash-compose-gcs-'));
  child = await bundleChild(dir);
  env = {
    PARTCOPY_GCS_ENDPOINT: required('PARTCOPY_GCS_ENDPOINT'),
    PARTCOPY_GCS_PROJECT: required('PARTCOPY_GCS_PROJECT'),
  };
  expect((await runChild(child, ['mb', `gs://${bucket}`], dir, env)).code).toBe(0);
  for (const [key, bytes] of Object.entries(objects)) {
    await writeFile(join(dir, `${key}.bin`), bytes);
    const run = await runChild(child, ['put', `${key}.bin`, `gs://${bucket}/${key}`], dir, env);
    expect(run.code, run.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  for (const name of await allObjects()) await runChild(child, ['rm', `gs://${bucket}/${name}`], dir, env);
  await runChild(child, ['rb', `gs://${bucket}`], dir, env);
  await rm(dir, { recursive: true, force: true });
});

// Every object of the bucket, the hidden staging folder included (the JSON API, not `ls`).
async function allObjects(): Promise<string[]> {
  const names: string[] = [];
  let pageToken: string | undefined;
  do {
    const url = new URL(`${env.PARTCOPY_GCS_ENDPOINT}/storage/v1/b/${bucket}/o`);
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const page = (await (await fetch(url)).json()) as {
      items?: Array<{ name: string }>;
      nextPageToken?: string;
    };
    names.push(...(page.items ?? []).map((i) => i.name));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return names.sort();
}

const composeArgs = (key: string) => [
  'compose',
  `gs://${bucket}/${key}`,
  ...pieces.map((p) => `gs://${bucket}/${p.key}${p.range ? `[${p.range[0]}-${p.range[1]}]` : ''}`),
  '--resume',
  '--session-dir',
  'sessions',
  '--json',
];

async function bytesOf(key: string): Promise<Buffer | undefined> {
  const out = join(dir, `${key}.out`);
  const run = await runChild(child, ['get', `gs://${bucket}/${key}`, out], dir, env);
  if (run.code === 3) return undefined;
  expect(run.code, run.stderr).toBe(0);
  return readFile(out);
}

describe('native compose --resume on fake-gcs-server killed mid-tree', () => {
  it('resumes from the staging objects and composites: identical bytes, none written twice, nothing left', async () => {
    const seed = crashSeed('native compose fake-gcs-server');
    const random = seededRandom(seed);
    const key = 'joined.bin';
    const log = join(dir, `${key}.log`);
    // Two kills (after 3..12, then 2..6 staging writes answered in that run), then a run to the end.
    const kills = [3 + Math.floor(random() * 10), 2 + Math.floor(random() * 5)];
    const history: string[] = [];
    const torn: string[] = [];
    let last: ChildRun | undefined;
    for (let run = 0; run <= kills.length; run++) {
      last = await runChild(child, composeArgs(key), dir, {
        ...env,
        CRASH_LOG: log,
        CRASH_RUN: String(run),
        CRASH_GCS_WRITE_AT: kills[run] === undefined ? undefined : String(kills[run]),
      });
      history.push(`run ${run}: kill after write ${kills[run] ?? '-'}: exit ${last.code ?? last.signal}`);
      if (last.signal !== 'SIGKILL') break;
      if ((await bytesOf(key)) !== undefined) torn.push(`run ${run}: destination exists after a kill`);
    }
    const context = `[seed ${seed}]\n${history.join('\n')}\nstderr: ${last?.stderr ?? ''}`;
    expect(last?.code, context).toBe(0);
    expect(
      history.filter((h) => h.includes('SIGKILL')),
      context,
    ).toHaveLength(2);
    expect(torn, context).toEqual([]);
    const bytes = await bytesOf(key);
    expect(bytes && sha256(bytes), context).toBe(sha256(expected()));

    // Per staging object: written (answered) once over every run.
    const writes = (await readLog(log)).filter(
      (e) => e.gcs !== undefined && e.event === 'response' && e.object,
    );
    const written = new Map<string, string>();
    const twice: string[] = [];
    for (const e of writes) {
      if (e.object === key) continue;
      const first = written.get(e.object as string);
      if (first !== undefined) twice.push(`${e.object}: run ${first} and run ${e.run}`);
      else written.set(e.object as string, e.run);
    }
    expect(twice, context).toEqual([]);
    expect(written.size, context).toBeLessThanOrEqual(STAGED);

    // The last run reused what the killed runs wrote and wrote only the rest.
    const result = JSON.parse(last?.stdout ?? '{}') as {
      strategy: string;
      session?: { resumed: boolean; partsReused: number };
      providerRequests?: Record<string, number>;
    };
    const before = [...written.values()].filter((run) => run !== '2').length;
    const requests = result.providerRequests ?? {};
    const stagedNow = (requests.insert ?? 0) + (requests.rewrite ?? 0) + (requests.compose ?? 0) - 1;
    expect(result.strategy, context).toBe('native');
    expect(result.session, context).toMatchObject({ resumed: true });
    expect(result.session?.partsReused, context).toBeGreaterThanOrEqual(before);
    expect(
      stagedNow + (result.session?.partsReused ?? 0),
      `${context}\n${JSON.stringify(requests)} ${JSON.stringify(result.session)}`,
    ).toBe(STAGED);

    // Nothing left: no staging object, no session.
    expect(await allObjects(), context).toEqual(['a', 'b', 'c', key]);
    expect((await readdir(join(dir, 'sessions')).catch(() => [])).filter((f) => f.endsWith('.json'))).toEqual(
      [],
    );
  }, 600_000);

  it('a killed session is listed with what it staged, and sessions abort removes every staging object', async () => {
    const key = 'abandoned.bin';
    const killed = await runChild(child, composeArgs(key), dir, {
      ...env,
      CRASH_LOG: join(dir, `${key}.log`),
      CRASH_RUN: '0',
      CRASH_GCS_WRITE_AT: '6',
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const staged = (await allObjects()).filter((name) => !['a', 'b', 'c', 'joined.bin'].includes(name));
    expect(staged.length).toBeGreaterThanOrEqual(6);

    const list = await runChild(child, ['sessions', 'list', '--session-dir', 'sessions', '--json'], dir, env);
    expect(list.code, list.stderr).toBe(0);
    const [session] = (JSON.parse(list.stdout) as { sessions: Array<Record<string, unknown>> }).sessions;
    expect(session).toMatchObject({
      strategy: 'native',
      stagedUnits: staged.length,
      piecesTotal: pieces.length,
    });
    const human = await runChild(child, ['sessions', 'list', '--session-dir', 'sessions'], dir, env);
    expect(human.stdout).toContain(`${staged.length} staged/${pieces.length} pieces`);

    const id = String(session?.id);
    const abort = await runChild(child, ['sessions', 'abort', id, '--session-dir', 'sessions'], dir, env);
    expect(abort.code, abort.stderr).toBe(0);
    expect(abort.stdout).toContain(`removed ${staged.length} staged unit(s)`);
    expect((await allObjects()).filter((name) => !['a', 'b', 'c', 'joined.bin'].includes(name))).toEqual([]);
    expect((await readdir(join(dir, 'sessions')).catch(() => [])).filter((f) => f.endsWith('.json'))).toEqual(
      [],
    );
  }, 600_000);
});
