/** The matrix's one table: cell, runs, completed, identical, leftovers, retries (and faults). */
import type { RunReport } from './run-cell.ts';

export interface CellSummary {
  cell: string;
  runs: number;
  completed: number;
  identical: number;
  leftovers: number;
  retries: number;
  faults: number;
  requests: number;
}

export function summarise(cell: string, runs: readonly RunReport[]): CellSummary {
  const sum = (f: (r: RunReport) => number) => runs.reduce((total, r) => total + f(r), 0);
  return {
    cell,
    runs: runs.length,
    completed: sum((r) => (r.completed ? 1 : 0)),
    identical: sum((r) => (r.identical ? 1 : 0)),
    leftovers: sum((r) => r.leftovers.length),
    retries: sum((r) => r.retries),
    faults: sum((r) => r.faults),
    requests: sum((r) => r.requests),
  };
}

export function formatTable(rows: readonly CellSummary[]): string {
  const pct = (n: number, of: number) => (of === 0 ? '-' : `${Math.round((100 * n) / of)}%`);
  const header = ['cell', 'runs', 'completed', 'identical', 'leftovers', 'retries', 'faults/requests'];
  const body = rows.map((r) => [
    r.cell,
    String(r.runs),
    `${r.completed} (${pct(r.completed, r.runs)})`,
    `${r.identical} (${pct(r.identical, r.runs)})`,
    String(r.leftovers),
    String(r.retries),
    `${r.faults}/${r.requests}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
