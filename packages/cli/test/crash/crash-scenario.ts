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

/** How a crash scenario ends: the same `cp --resume` again, or the session aborted (a gc). */
export type CrashEnding = 'resume' | 'abort';

export interface CrashEndingScenario extends Omit<CrashScenario, 'parts' | 'bytesOf'> {
  ending: CrashEnding;
  /** Only calls of this provider method count for the kill point (e.g. the completion). */
  killMethod?: string;
  /** Reads an object's bytes, or undefined when it does not exist. */
  bytesOf: (key: string) => Promise<Buffer | undefined>;
}

export interface CrashEndingOutcome {
  trials: number;
  kills: number;
  /** Trials whose ending ran to success (resume: exit 0; abort: every session aborted). */
  completed: number;
  /** Resume: the copy is identical; abort: the destination is absent, or whole and identical. */
  identical: number;
  /** Destinations seen after a kill that were neither absent nor identical (must stay empty). */
  torn: string[];
  /** Uploads and sessions left after every trial ended. */
  leftovers: string[];
}

/**
 * Kill one `cp --resume` at a seeded point (any provider call, or one of `killMethod`, before or
 * after the real call), check the destination is not torn, then end the copy as `ending` says.
 * Every trial must end with identical bytes (resume) or nothing left (abort), never a torn
 * destination.
 */
export async function runCrashEndings(s: CrashEndingScenario): Promise<CrashEndingOutcome> {
  const random = seededRandom(s.seed);
  const source = await s.bytesOf('src');
  if (source === undefined) throw new Error(`${s.bucketUrl}src is missing`);
  const outcome: CrashEndingOutcome = {
    trials: s.trials,
    kills: 0,
    completed: 0,
    identical: 0,
    torn: [],
    leftovers: [],
  };
  for (let trial = 0; trial < s.trials; trial++) {
    const key = `${s.ending}-${s.killMethod ?? 'any'}-${trial}`;
    const args = ['cp', `${s.bucketUrl}src`, `${s.bucketUrl}${key}`, '--resume', ...s.cpOptions];
    const crashAt = s.killMethod ? 1 : 1 + Math.floor(random() * s.callsPerCopy);
    const phase = random() < 0.5 ? 'before' : 'after';
    const killed = await runChild(s.child, args, s.cwd, {
      ...s.env,
      CRASH_AT: String(crashAt),
      CRASH_PHASE: phase,
      CRASH_METHOD: s.killMethod,
    });
    const where = `[${s.label} seed ${s.seed} trial ${trial}: kill at ${s.killMethod ?? 'call'} ${crashAt} ${phase}]`;
    if (killed.signal === 'SIGKILL') outcome.kills++;
    const afterKill = await s.bytesOf(key);
    if (afterKill !== undefined && Buffer.compare(afterKill, source) !== 0)
      outcome.torn.push(`${where} after the kill`);
    if (s.ending === 'resume') {
      const resumed = await runChild(s.child, args, s.cwd, s.env);
      if (resumed.code === 0) outcome.completed++;
      const bytes = await s.bytesOf(key);
      if (bytes !== undefined && Buffer.compare(bytes, source) === 0) outcome.identical++;
      else outcome.torn.push(`${where} after the resume (exit ${resumed.code}): ${resumed.stderr.trim()}`);
    } else {
      const listed = await runChild(s.child, ['sessions', 'list', '--json'], s.cwd, s.env);
      const sessions = (JSON.parse(listed.stdout) as { sessions: Array<{ id: string }> }).sessions;
      let aborted = listed.code === 0;
      for (const session of sessions) {
        const run = await runChild(s.child, ['sessions', 'abort', session.id], s.cwd, s.env);
        aborted &&= run.code === 0;
      }
      if (aborted) outcome.completed++;
      const bytes = await s.bytesOf(key);
      if (bytes === undefined || Buffer.compare(bytes, source) === 0) outcome.identical++;
      else outcome.torn.push(`${where} after the abort`);
    }
  }
  const uploads = await runChild(s.child, ['uploads', 'list', s.bucketUrl, '--json'], s.cwd, s.env);
  for (const upload of (JSON.parse(uploads.stdout) as { uploads: Array<{ key: string; uploadId: string }> })
    .uploads)
    outcome.leftovers.push(`upload ${upload.key} ${upload.uploadId}`);
  const sessions = await runChild(s.child, ['sessions', 'list', '--json'], s.cwd, s.env);
  for (const session of (JSON.parse(sessions.stdout) as { sessions: Array<{ id: string }> }).sessions)
    outcome.leftovers.push(`session ${session.id}`);
  return outcome;
}
