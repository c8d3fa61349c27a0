/**
 * Crash tests' tools: the child bundled from sources (as bin.test.ts bundles the bin), a run of
 * it with a kill point, a seeded random source (the seed is printed so a failure can be
 * replayed with PARTCOPY_CRASH_SEED), and the child's request log read back.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../../', import.meta.url));

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

/** Bundles crash-child.ts with the workspace packages taken from their sources. */
export async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'crash-child.mjs');
  const fromRoot = createRequire(join(packagesDir, '..', 'package.json'));
  const esbuild = createRequire(fromRoot.resolve('tsup'))('esbuild') as Esbuild;
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./crash-child.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'silent',
    // Some SDK dependencies are CommonJS that require() Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [
      {
        name: 'workspace-sources',
        setup(build: {
          onResolve: (o: { filter: RegExp }, f: (a: { path: string }) => { path: string }) => void;
        }) {
          build.onResolve({ filter: /^@partcopy\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
            const [, name, entry] = /^@partcopy\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path) ?? [];
            return { path: join(packagesDir, name as string, 'src', `${entry ?? 'index'}.ts`) };
          });
        },
      },
    ],
  });
  return outfile;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the child with `args` in `cwd`; `env` adds to (or, with undefined, removes from) the environment. */
export function runChild(
  child: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** mulberry32: a small seeded generator, enough to choose kill points reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed: PARTCOPY_CRASH_SEED to replay a run, else a fresh one. Printed either way. */
export function crashSeed(label: string): number {
  const fixed = process.env.PARTCOPY_CRASH_SEED;
  const seed = fixed ? Number(fixed) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[crash ${label}] seed ${seed} (replay with PARTCOPY_CRASH_SEED=${seed})`);
  return seed;
}

export interface LogEntry {
  run: string;
  event: 'request' | 'response' | 'kill' | 'stall';
  method?: string;
  part?: number;
  listed?: number[];
  /** Azure's own request names (PutBlockFromURL, GetBlockList, PutBlockList), with the block id. */
  azure?: string;
  block?: string;
  status?: number;
  /** GCS's compose writes (compose, insert, rewrite), with the object each answer names. */
  gcs?: string;
  object?: string;
}

export async function readLog(path: string): Promise<LogEntry[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogEntry);
}

/**
 * Checks the log of a sequence of runs of one copy: no run requested a part that the store
 * listed to it as already there (a resume copies only missing parts), and no part was copied to
 * completion twice. Returns per run the parts requested and the parts found already there.
 */
export function partAccounting(entries: LogEntry[]): {
  runs: Array<{ run: string; requested: number[]; listed: number[] }>;
  recopiedListed: Array<{ run: string; part: number }>;
  completedTwice: number[];
} {
  const runs = new Map<string, { requested: number[]; listed: number[] }>();
  const completed = new Map<number, number>();
  for (const entry of entries) {
    const run = runs.get(entry.run) ?? { requested: [], listed: [] };
    runs.set(entry.run, run);
    if (entry.method === 'listParts' && entry.event === 'response') run.listed.push(...(entry.listed ?? []));
    if (entry.method !== 'uploadPartCopy' || entry.part === undefined) continue;
    if (entry.event === 'request') run.requested.push(entry.part);
    if (entry.event === 'response') completed.set(entry.part, (completed.get(entry.part) ?? 0) + 1);
  }
  const recopiedListed: Array<{ run: string; part: number }> = [];
  for (const [name, run] of runs) {
    for (const part of run.requested) if (run.listed.includes(part)) recopiedListed.push({ run: name, part });
  }
  const completedTwice = [...completed].filter(([, count]) => count > 1).map(([part]) => part);
  return {
    runs: [...runs].map(([run, r]) => ({ run, ...r })),
    recopiedListed,
    completedTwice,
  };
}
