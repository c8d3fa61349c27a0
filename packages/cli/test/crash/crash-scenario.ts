/**
 * One crash scenario, for any store the child can reach: copy SRC to fresh destinations with
 * `cp --resume`, SIGKILL the copying process at seeded random provider calls, run the same
 * command again until it succeeds, then check the bytes, that nothing is left (uploads,
 * sessions) and, from the request log, that no run copied a part the store already held.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { type ChildRun, partAccounting, readLog, runChild, seededRandom } from './crash-harness.js';

export interface CrashScenario {
  label: string;
  child: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** `scheme://bucket/`, holding `src` already. */
  bucketUrl: string;
  /** Extra `cp` options (part size, concurrency). */
  cpOptions: string[];
  /** Provider calls of one clean copy, roughly: kill points are drawn below this (plus a resume's). */
  callsPerCopy: number;
  /** Parts of the copy: each trial's first kill falls after one of the part copies, so resumes have parts to reuse. */
  parts: number;
  trials: number;
  seed: number;
  /** Reads an object's bytes (to compare the copy with the source). */
  bytesOf: (key: string) => Promise<Buffer>;
}

export async function runCrashScenario(s: CrashScenario): Promise<{ resumedParts: number; kills: number }> {
  const random = seededRandom(s.seed);
  const source = await s.bytesOf('src');
  let resumedParts = 0;
  let kills = 0;
  for (let trial = 0; trial < s.trials; trial++) {
    const key = `dst-${trial}`;
    const log = join(s.cwd, `crash-${s.label}-${trial}.log`);
    const args = ['cp', `${s.bucketUrl}src`, `${s.bucketUrl}${key}`, '--resume', ...s.cpOptions];
    const history: string[] = [];
    let last: ChildRun | undefined;
    for (let run = 0; run < 4; run++) {
      // The last run is never killed: every copy must end complete.
      // Calls 1-2 are the source's HEAD and the create; the part copies follow.
      const crashAt =
        run === 0
          ? 3 + Math.floor(random() * s.parts)
          : run < 3
            ? 1 + Math.floor(random() * (s.callsPerCopy + 2))
            : undefined;
      const phase = run === 0 || random() < 0.5 ? 'after' : 'before';
      last = await runChild(s.child, args, s.cwd, {
        ...s.env,
        CRASH_LOG: log,
        CRASH_RUN: String(run),
        CRASH_AT: crashAt === undefined ? undefined : String(crashAt),
        CRASH_PHASE: phase,
      });
      history.push(`run ${run}: kill at call ${crashAt ?? '-'} ${phase}: exit ${last.code ?? last.signal}`);
      if (last.signal === 'SIGKILL') {
        kills++;
        continue;
      }
      break;
    }
    const context = `[${s.label} seed ${s.seed} trial ${trial}]\n${history.join('\n')}\nstderr: ${last?.stderr ?? ''}`;
    expect(last?.code, context).toBe(0);
    expect(Buffer.compare(await s.bytesOf(key), source), context).toBe(0);
    const accounting = partAccounting(await readLog(log));
    expect(accounting.recopiedListed, context).toEqual([]);
    expect(accounting.completedTwice, context).toEqual([]);
    resumedParts += accounting.runs.reduce((sum, r) => sum + r.listed.length, 0);
  }
  const uploads = await runChild(s.child, ['uploads', 'list', s.bucketUrl, '--json'], s.cwd, s.env);
  expect(JSON.parse(uploads.stdout)).toMatchObject({ uploads: [] });
  const sessions = await runChild(s.child, ['sessions', 'list', '--json'], s.cwd, s.env);
  expect(JSON.parse(sessions.stdout)).toMatchObject({ sessions: [] });
  return { resumedParts, kills };
}
