#!/usr/bin/env node
// node packages/reliability/src/print-table.ts RESULTS.json...: prints the matrix's one table
// from the JSON files the fault matrix and the crash suite write (scripts/reliability.sh).
import { readFileSync } from 'node:fs';
import { type CellSummary, formatTable } from './matrix/report-table.ts';

const rows: CellSummary[] = [];
const seeds: string[] = [];
for (const file of process.argv.slice(2)) {
  const result = JSON.parse(readFileSync(file, 'utf8')) as {
    firstSeed?: number;
    seed?: number;
    runs: number;
    rows: CellSummary[];
  };
  rows.push(...result.rows);
  const name = file.replace(/.*\//, '');
  // The fault matrix runs one seed per run; a crash row draws all its trials from one seed.
  if (result.seed !== undefined) seeds.push(`${name}: seed ${result.seed}`);
  else seeds.push(`${name}: seeds ${result.firstSeed}..${(result.firstSeed ?? 0) + result.runs - 1}`);
}
console.log(formatTable(rows));
console.log('faults/requests: injected faults / requests through the proxy; crash rows: kills / runs');
console.log(seeds.join('\n'));
