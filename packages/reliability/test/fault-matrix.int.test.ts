// The fault matrix. By default a small fixed-seed slice of every cell (part of the default test
// run); scripts/reliability.sh sets PARTCOPY_RELIABILITY_RUNS for the full matrix and prints the
// table. PARTCOPY_FAULT_SEED replays from another first seed (every failure names its seed).
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CELLS, formatTable, type RunReport, runCellOnce, summarise } from '../src/index.ts';

const fullRuns = Number(process.env.PARTCOPY_RELIABILITY_RUNS ?? 0);
const runs = fullRuns > 0 ? fullRuns : 2;
const firstSeed = Number(process.env.PARTCOPY_FAULT_SEED ?? 1000);
const only = process.env.PARTCOPY_RELIABILITY_ONLY;
const cells = only ? CELLS.filter((cell) => cell.name.toLowerCase().includes(only.toLowerCase())) : CELLS;
const reports = new Map<string, RunReport[]>();

console.info(
  `[fault matrix] ${cells.length} cells × ${runs} runs, seeds ${firstSeed}..${firstSeed + runs - 1}`,
);

function explain(report: RunReport): string {
  return [
    `${report.cell}, seed ${report.seed} (replay: PARTCOPY_FAULT_SEED=${report.seed} PARTCOPY_RELIABILITY_ONLY='${report.cell}')`,
    `  rounds ${report.rounds}, retries ${report.retries}, faults ${report.faults}/${report.requests}`,
    ...report.errors.map((e) => `  error: ${e}`),
    ...report.leftovers.map((l) => `  leftover: ${l}`),
    ...report.faultLog.map((f) => `  fault: ${f.fault} on ${f.identity} #${f.occurrence}`),
  ].join('\n');
}

describe.sequential('fault matrix', () => {
  for (const cell of cells) {
    const skipped = fullRuns === 0 && !only ? cell.operation.outOfDefaultRun : undefined;
    const title = skipped
      ? `${cell.name}: left out of the default run (${skipped}); scripts/reliability.sh runs it`
      : `${cell.name}: ${runs} runs complete with identical bytes and nothing left over`;
    it.skipIf(skipped !== undefined)(title, { timeout: 120_000 * runs }, async () => {
      const done: RunReport[] = [];
      reports.set(cell.name, done);
      for (let i = 0; i < runs; i++) done.push(await runCellOnce(cell, firstSeed + i));
      const bad = done.filter((r) => !r.completed || !r.identical || r.leftovers.length > 0);
      expect(bad.map(explain).join('\n\n')).toBe('');
      // The faults were really there: a run at these rates sees some of them.
      expect(done.reduce((n, r) => n + r.requests, 0)).toBeGreaterThan(0);
    });
  }

  it.runIf(fullRuns > 0)('prints the table', () => {
    const rows = cells.map((cell) => summarise(cell.name, reports.get(cell.name) ?? []));
    const table = formatTable(rows);
    console.info(`\n[fault matrix] seeds ${firstSeed}..${firstSeed + runs - 1}\n${table}\n`);
    const out = process.env.PARTCOPY_RELIABILITY_OUT;
    if (out)
      writeFileSync(
        out,
        `${JSON.stringify({ firstSeed, runs, rows, reports: [...reports.values()].flat() }, null, 2)}\n`,
      );
  });
});
