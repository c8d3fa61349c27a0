import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { youngGenerationChosen } from '../src/young-generation.js';

const moduleFile = fileURLToPath(new URL('../src/young-generation.ts', import.meta.url));

// A fresh Node loads the module, optionally keeps the young generation small, then allocates
// 400,000 objects that all survive (as loading the SDKs does) and reports V8's new space.
const CHURN = `
import v8 from 'node:v8';
const { keepYoungGenerationSmall } = await import(process.argv[1]);
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const before = newSpace();
const set = process.argv[2] === 'on' ? keepYoungGenerationSmall([], undefined) : false;
const kept = [];
for (let i = 0; i < 400_000; i++) kept.push({ i, s: 'x' + i });
console.log(JSON.stringify({ set, before, after: newSpace(), kept: kept.length }));
`;

function churn(mode: 'on' | 'off'): { set: boolean; before: number; after: number } {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', CHURN, moduleFile, mode], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out) as { set: boolean; before: number; after: number };
}

describe("the CLI's young generation", () => {
  it('stays small once the CLI set the flag, and grows without it', () => {
    const kept = churn('on');
    const grown = churn('off');
    expect(kept.set).toBe(true);
    // Without the flag V8 doubles the young generation while objects survive (here to 32 MiB).
    // With it the young generation stays near its start: 2 MiB (two semi-spaces), up to 6 MiB
    // seen while V8 kept pages aside under a loaded machine; a quarter of the grown size bounds it.
    expect(grown.after).toBeGreaterThanOrEqual(8 * grown.before);
    expect(kept.after * 4).toBeLessThanOrEqual(grown.after);
  });

  it("is left alone when the user sized it on node's command line or in NODE_OPTIONS", () => {
    expect(youngGenerationChosen(['--max-semi-space-size=64'], undefined)).toBe(true);
    expect(youngGenerationChosen([], '--enable-source-maps --max_semi_space_size=8')).toBe(true);
    expect(youngGenerationChosen([], '--semi-space-growth-factor=4')).toBe(true);
    expect(youngGenerationChosen(['--min-semi-space-size=2'], '')).toBe(true);
    expect(youngGenerationChosen(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(false);
    expect(youngGenerationChosen([], undefined)).toBe(false);
  });
});
