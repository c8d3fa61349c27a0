/**
 * A native compose on Azurite (Put Block From URL of every piece into uncommitted blocks of the
 * destination, one Put Block List) run as a session: `partcopy compose --resume` SIGKILLed in the
 * middle of the staging (right after a seeded number of blocks answered, counted by a request
 * policy in the child, never by time), resumed by the same command, killed again, then run to the
 * end. The result is the pieces' bytes (SHA-256 of a local reconstruction); no block a run saw
 * staged is staged again (the resume lists the uncommitted blocks and stages only the missing
 * ones: the Put Block From URL requests are counted per block id); the destination is never torn;
 * nothing is left (no uncommitted block, no session record, no other blob).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureProvider } from '@partcopy/azure';
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
  a: patternBytes(300 * 1024, 1),
  b: patternBytes(1024, 2),
  c: patternBytes(70 * 1024 + 5, 3),
};
// 40 pieces, one block each (Azure has no minimum block size): whole objects, ranges, 1-byte pieces.
const pieces: Array<{ key: string; range?: [number, number] }> = Array.from({ length: 40 }, (_, i) => {
  const key = ['a', 'b', 'c'][i % 3] as string;
  const size = (objects[key] as Uint8Array).length;
  if (i % 4 === 0) return { key };
  if (i % 7 === 0) return { key, range: [i, i] };
  const start = (i * 997) % (size - 1);
  return { key, range: [start, Math.min(size - 1, start + 1000 + i * 311)] };
});

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

const container = `pc-crash-native-${randomBytes(4).toString('hex')}`;
let child: string;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partcopy-crash-compose-az-'));
  child = await bundleChild(dir);
  env = { AZURE_STORAGE_CONNECTION_STRING: required('PARTCOPY_AZURITE_CONNECTION_STRING') };
  expect((await runChild(child, ['mb', `az://${container}`], dir, env)).code).toBe(0);
  for (const [key, bytes] of Object.entries(objects)) {
    await writeFile(join(dir, `${key}.bin`), bytes);
    const run = await runChild(child, ['put', `${key}.bin`, `az://${container}/${key}`], dir, env);
    expect(run.code, run.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  const listed = await runChild(child, ['ls', `az://${container}`, '--json'], dir, env);
  if (listed.code === 0) {
    for (const object of (JSON.parse(listed.stdout) as { objects: Array<{ key: string }> }).objects)
      await runChild(child, ['rm', `az://${container}/${object.key}`], dir, env);
  }
  await runChild(child, ['rb', `az://${container}`], dir, env);
  await rm(dir, { recursive: true, force: true });
});

const composeArgs = (key: string) => [
  'compose',
  `az://${container}/${key}`,
  ...pieces.map((p) => `az://${container}/${p.key}${p.range ? `[${p.range[0]}-${p.range[1]}]` : ''}`),
  '--resume',
  '--session-dir',
  'sessions',
  '--json',
];

async function bytesOf(key: string): Promise<Buffer | undefined> {
  const out = join(dir, `${key}.out`);
  const run = await runChild(child, ['get', `az://${container}/${key}`, out], dir, env);
  if (run.code === 3) return undefined;
  expect(run.code, run.stderr).toBe(0);
  return readFile(out);
}

describe('native compose --resume on Azurite killed mid-staging', () => {
  it('resumes from the staged blocks: identical bytes, no block staged twice, nothing left', async () => {
    const seed = crashSeed('native compose azurite');
    const random = seededRandom(seed);
    const key = 'joined.bin';
    const log = join(dir, `${key}.log`);
    // Two kills mid-staging (each after 4..19 blocks answered in that run), then a run to the end.
    const kills = [4 + Math.floor(random() * 16), 4 + Math.floor(random() * 16)];
    const history: string[] = [];
    const torn: string[] = [];
    let last: ChildRun | undefined;
    for (let run = 0; run <= kills.length; run++) {
      last = await runChild(child, composeArgs(key), dir, {
        ...env,
        CRASH_LOG: log,
        CRASH_RUN: String(run),
        CRASH_BLOCK_AT: kills[run] === undefined ? undefined : String(kills[run]),
      });
      history.push(`run ${run}: kill after block ${kills[run] ?? '-'}: exit ${last.code ?? last.signal}`);
      if (last.signal !== 'SIGKILL') break;
      const seen = await bytesOf(key);
      if (seen !== undefined) torn.push(`run ${run}: destination exists after a kill mid-staging`);
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

    // Requests per block id: a block whose staging answered in one run is never sent again.
    const entries = (await readLog(log)).filter((e) => e.azure !== undefined);
    const stagedIn = new Map<string, string>();
    const restaged: string[] = [];
    for (const e of entries) {
      if (e.azure !== 'PutBlockFromURL' || e.block === undefined) continue;
      const first = stagedIn.get(e.block);
      if (e.event === 'request' && first !== undefined)
        restaged.push(`run ${e.run} re-sent a block run ${first} staged`);
      if (e.event === 'response' && e.status !== undefined && e.status < 300 && first === undefined)
        stagedIn.set(e.block, e.run);
    }
    expect(restaged, context).toEqual([]);
    // Each of the 40 blocks was sent (blocks in flight at a kill may be staged without an answer:
    // the resume lists those too and does not send them again).
    const requested = new Set(entries.filter((e) => e.azure === 'PutBlockFromURL').map((e) => e.block));
    expect(requested.size, context).toBe(pieces.length);
    // Every run after the first asked the destination for its uncommitted blocks first.
    const listedBy = new Set(
      entries.filter((e) => e.azure === 'GetBlockList' && e.event === 'request').map((e) => e.run),
    );
    expect([...listedBy].sort(), context).toEqual(['0', '1', '2']);

    // The last run reused what the killed runs staged and staged only the rest.
    const result = JSON.parse(last?.stdout ?? '{}') as {
      strategy: string;
      session?: { resumed: boolean; partsReused: number };
      providerRequests?: Record<string, number>;
    };
    const stagedBefore = [...stagedIn.values()].filter((run) => run !== '2').length;
    expect(result.strategy, context).toBe('native');
    expect(result.session, context).toMatchObject({ resumed: true });
    expect(result.session?.partsReused, context).toBeGreaterThanOrEqual(stagedBefore);
    expect(
      (result.providerRequests?.putBlockFromUrl ?? 0) + (result.session?.partsReused ?? 0),
      context,
    ).toBe(pieces.length);

    // Nothing left: no uncommitted block on the destination, no session, no other blob.
    const provider = createAzureProvider({ connectionString: env.AZURE_STORAGE_CONNECTION_STRING as string });
    const blob = provider.native.serviceClient.getContainerClient(container).getBlockBlobClient(key);
    expect((await blob.getBlockList('uncommitted')).uncommittedBlocks ?? [], context).toEqual([]);
    expect((await readdir(join(dir, 'sessions')).catch(() => [])).filter((f) => f.endsWith('.json'))).toEqual(
      [],
    );
    const listed = await runChild(child, ['ls', `az://${container}`, '--json'], dir, env);
    const keys = (JSON.parse(listed.stdout) as { objects: Array<{ key: string }> }).objects.map((o) => o.key);
    expect(keys.sort()).toEqual(['a', 'b', 'c', key]);
  }, 600_000);
});
