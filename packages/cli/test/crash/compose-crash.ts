/**
 * A compose crash run for any store the crash child reaches: the same `compose --multipart
 * --resume` killed at given provider calls, then run once more unkilled. Checks the final exit and
 * bytes (SHA-256), that no run wrote a part its listParts named and no part was written to
 * completion twice, and records a destination seen torn (neither absent nor whole) after a kill.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type ChildRun, type LogEntry, readLog, runChild } from './crash-harness.js';

export interface Kill {
  at: number;
  phase: 'before' | 'after';
  /** Only calls of this method count (e.g. the completion). */
  method?: string;
}

export interface ComposeCrash {
  child: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** The compose's arguments for a destination key. */
  args: (key: string) => string[];
  /** SHA-256 of the expected result. */
  want: string;
  /** An object's bytes, or undefined when it does not exist. */
  bytesOf: (key: string) => Promise<Buffer | undefined>;
}

export interface ComposeRuns {
  kills: number;
  /** Parts the resumes found listed (already written). */
  reused: number;
  /** The write methods seen (uploadPartCopy: server-side; uploadPart: joined through the process). */
  methods: Set<string>;
  torn: string[];
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function composeThroughKills(
  c: ComposeCrash,
  key: string,
  kills: Kill[],
  label: string,
): Promise<ComposeRuns> {
  const log = join(c.cwd, `${key}.log`);
  const history: string[] = [];
  const outcome: ComposeRuns = { kills: 0, reused: 0, methods: new Set(), torn: [] };
  let last: ChildRun | undefined;
  for (let run = 0; run <= kills.length; run++) {
    const kill = kills[run];
    last = await runChild(c.child, c.args(key), c.cwd, {
      ...c.env,
      CRASH_LOG: log,
      CRASH_RUN: String(run),
      CRASH_AT: kill === undefined ? undefined : String(kill.at),
      CRASH_PHASE: kill?.phase,
      CRASH_METHOD: kill?.method,
    });
    const where = kill ? `kill at ${kill.method ?? 'call'} ${kill.at} ${kill.phase}` : 'no kill';
    history.push(`run ${run}: ${where}: exit ${last.code ?? last.signal}`);
    if (last.signal !== 'SIGKILL') break;
    outcome.kills++;
    // The destination changes once, atomically: absent, or already the whole result.
    const seen = await c.bytesOf(key);
    if (seen !== undefined && sha256(seen) !== c.want) outcome.torn.push(`${label} run ${run}`);
  }
  const context = `[${label}]\n${history.join('\n')}\nstderr: ${last?.stderr ?? ''}`;
  expect(last?.code, context).toBe(0);
  const bytes = await c.bytesOf(key);
  expect(bytes && sha256(bytes), context).toBe(c.want);
  const counted = accounting(await readLog(log));
  expect(counted.recopiedListed, context).toEqual([]);
  expect(counted.writtenTwice, context).toEqual([]);
  outcome.reused = counted.listed;
  outcome.methods = counted.methods;
  return outcome;
}

const WRITES = new Set(['uploadPartCopy', 'uploadPart']);

/**
 * From the log of one compose's runs: parts a run wrote although its listParts named them, and
 * parts written to completion (response logged) more than once, per write method.
 */
export function accounting(entries: LogEntry[]): {
  recopiedListed: string[];
  writtenTwice: string[];
  listed: number;
  methods: Set<string>;
} {
  const listedBy = new Map<string, Set<number>>();
  const written = new Map<number, number>();
  const recopiedListed: string[] = [];
  const methods = new Set<string>();
  let listed = 0;
  for (const e of entries) {
    if (e.method === 'listParts' && e.event === 'response') {
      listedBy.set(e.run, new Set([...(listedBy.get(e.run) ?? []), ...(e.listed ?? [])]));
      listed += e.listed?.length ?? 0;
    }
    if (e.method === undefined || !WRITES.has(e.method) || e.part === undefined) continue;
    methods.add(e.method);
    if (e.event === 'request' && listedBy.get(e.run)?.has(e.part))
      recopiedListed.push(`run ${e.run} ${e.method} part ${e.part}`);
    if (e.event === 'response') written.set(e.part, (written.get(e.part) ?? 0) + 1);
  }
  const writtenTwice = [...written].filter(([, n]) => n > 1).map(([part]) => `part ${part}`);
  return { recopiedListed, writtenTwice, listed, methods };
}
