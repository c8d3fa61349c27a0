/**
 * The injected runner type accepts the runners the README names: vitest's and node:test's
 * `describe`/`it` must be assignable to `ConformanceRunner` (checked by the type checker).
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceRunner } from '../src/index.js';

type NodeTest = typeof import('node:test');

// Compile-time checks: these functions only type-check if the runners fit.
const fromNodeTest = (
  runner: Pick<NodeTest, 'describe' | 'it' | 'beforeEach' | 'afterEach'>,
): ConformanceRunner => runner;
const fromVitest = (runner: { describe: typeof describe; it: typeof it }): ConformanceRunner => runner;

describe('ConformanceRunner', () => {
  it('accepts vitest and node:test runners', () => {
    expect(typeof fromNodeTest).toBe('function');
    expect(fromVitest({ describe, it }).it).toBe(it);
  });
});
