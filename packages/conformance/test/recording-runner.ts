/**
 * A test runner of our own, for testing the kit itself: it records what the kit registers
 * (titles, skips) and runs the tests on demand, recording pass or fail. It proves the kit works
 * with any runner shaped like `{ describe, it }`, and that its checks can fail.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConformanceRunner } from '../src/index.js';

export interface RecordedTest {
  /** Titles of the enclosing describes and the test, joined with ' > '. */
  path: string;
  title: string;
  skipped: boolean;
  timeoutMs: number | undefined;
  body: () => unknown;
}

export interface TestOutcome {
  title: string;
  path: string;
  status: 'passed' | 'failed' | 'skipped';
  error?: unknown;
}

/** Records registrations; `withSkip: false` models a runner without `it.skip`. */
export class RecordingRunner {
  readonly tests: RecordedTest[] = [];
  // The describe path, carried into async describe bodies (their continuations keep the store).
  readonly #path = new AsyncLocalStorage<string[]>();
  readonly #pending: Promise<unknown>[] = [];
  readonly runner: ConformanceRunner;

  constructor(options: { withSkip?: boolean } = {}) {
    const it = Object.assign(
      (title: string, body: () => unknown, timeoutMs?: number) => this.#add(title, body, false, timeoutMs),
      options.withSkip === false
        ? {}
        : { skip: (title: string, body: () => unknown) => this.#add(title, body, true, undefined) },
    );
    this.runner = { describe: (title, body) => this.#describe(title, body), it };
  }

  #add(title: string, body: () => unknown, skipped: boolean, timeoutMs: number | undefined): void {
    const path = [...(this.#path.getStore() ?? []), title].join(' > ');
    this.tests.push({ path, title, skipped, timeoutMs, body });
  }

  #describe(title: string, body: () => unknown): void {
    const result = this.#path.run([...(this.#path.getStore() ?? []), title], body);
    if (result instanceof Promise) this.#pending.push(result);
  }

  /** Waits for async describe bodies to finish registering. */
  async collected(): Promise<RecordedTest[]> {
    while (this.#pending.length > 0) await this.#pending.shift();
    return this.tests;
  }

  /** Runs every registered test that is not skipped, one after another. */
  async run(): Promise<TestOutcome[]> {
    await this.collected();
    const outcomes: TestOutcome[] = [];
    for (const test of this.tests) {
      if (test.skipped) {
        outcomes.push({ title: test.title, path: test.path, status: 'skipped' });
        continue;
      }
      try {
        await test.body();
        outcomes.push({ title: test.title, path: test.path, status: 'passed' });
      } catch (error) {
        outcomes.push({ title: test.title, path: test.path, status: 'failed', error });
      }
    }
    return outcomes;
  }
}

/** The check id a test title starts with (`ranges.past-end: ...`). */
export function idOf(title: string): string {
  return title.replace(/^SKIPPED: /, '').split(':')[0] as string;
}
