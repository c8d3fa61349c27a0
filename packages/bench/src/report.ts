// The tables the bench prints, from one run's results, and the comparison with an earlier run.
import { PEERS } from './managed-copy.ts';
import type { BenchResults } from './results.ts';
import { flatFigures, perRunRatio } from './results.ts';
import { formatBytes, formatSummary, mibPerSecond, millis, ratio, seconds, summarize } from './stats.ts';
import { printTable } from './table.ts';

const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const count = (n: number) =>
  Number.isInteger(n) || Math.abs(n) >= 1000 ? String(Math.round(n)) : n.toPrecision(3);

export function printReport(r: BenchResults): void {
  const m = r.machine;
  console.log(
    `\npartcopy bench (${r.mode}), ${r.startedAt}: ${m.hostname}, ${m.cpus} x ${m.cpuModel}, ` +
      `${m.memoryGiB} GiB RAM, Linux ${m.kernel}, Node ${m.node}`,
  );
  console.log(`tools: partcopy ${r.tools.partcopy}; ${r.tools.rclone}; ${r.tools.aws}`);
  if (r.tools.awsWarning) console.log(`WARNING: ${r.tools.awsWarning}`);
  console.log(`load average (1/5/15 min): ${r.load.start} at start, ${r.load.end ?? '?'} at end`);
  console.log('each figure: min / median / max over runs; ratios are taken within one run');
  printManagedCopy(r);
  printProviderBytes(r);
  printRequestsPerGiB(r);
  printFacade(r);
  printRss(r);
  // The compose bench is a command of its own: it needs minutes per store (1,000 pieces on
  // three servers, 10,000 objects on fake-gcs-server), more than this bench's quick mode allows.
  console.log(
    '\nCompose: a separate bench, `node packages/bench/src/compose-bench.ts` (see packages/bench/README.md);' +
      ' its last figures are in packages/core/README.md.',
  );
}

function printManagedCopy(r: BenchResults): void {
  const rows: string[][] = [];
  for (const c of r.managedCopy) {
    if (c.skipped) {
      rows.push([c.label, 'all', `skipped: ${c.skipped}`, '', '', '', '']);
      continue;
    }
    const runs = String(c.ms.physical.length);
    for (const peer of PEERS) {
      const s = summarize(c.ms[peer]);
      rows.push([
        c.label,
        peer,
        formatSummary(s, seconds),
        mibPerSecond(c.size / s.median),
        formatSummary(summarize(perRunRatio(c.ms[peer], c.ms.physical)), ratio),
        formatSummary(summarize(c.rss[peer]), mib),
        runs,
      ]);
    }
    rows.push([
      c.label,
      'partcopy startup alone (--version)',
      formatSummary(summarize(c.ms.startup), seconds),
      '',
      '',
      '',
      runs,
    ]);
    const phys = summarize(c.ms.physical);
    rows.push([
      c.label,
      'physical (faster of dd oflag=direct, cp+sync)',
      formatSummary(phys, seconds),
      mibPerSecond(c.size / phys.median),
      '1.00x',
      '',
      runs,
    ]);
    rows.push(...serverFloorRows(c, r.machine.cpus, runs));
    rows.push([
      c.label,
      'partcopy / physical',
      formatSummary(summarize(c.partcopyToPhysical), ratio),
      '',
      '',
      '',
      runs,
    ]);
    rows.push([
      c.label,
      'partcopy / best peer',
      formatSummary(summarize(c.partcopyToBestPeer), ratio),
      '',
      '',
      '',
      runs,
    ]);
    rows.push([
      c.label,
      `load ${c.loadBefore} -> ${c.loadAfter ?? '?'}`,
      planText(c.partcopyPlan),
      '',
      '',
      '',
      '',
    ]);
  }
  printTable(
    'Managed copy on MinIO (server-side; partcopy cp defaults, rclone copyto, aws s3 cp)',
    ['size', 'tool', 'time', 'median rate', 'vs physical', 'peak RSS', 'runs'],
    rows,
  );
}

/**
 * MinIO's own CPU per copy, and the floor it sets: a server that spends S CPU-seconds on a copy
 * needs at least S / cores seconds, so a target below that floor is out of any client's reach.
 */
function serverFloorRows(c: BenchResults['managedCopy'][number], cores: number, runs: string): string[][] {
  const cpu = c.serverCpu?.partcopy ?? [];
  if (cpu.length === 0) return [];
  const floorMs = cpu.map((s) => (s * 1000) / cores);
  return [
    [
      c.label,
      "MinIO CPU for partcopy's copy",
      formatSummary(summarize(cpu.map((s) => s * 1000)), seconds),
      '',
      '',
      '',
      runs,
    ],
    [
      c.label,
      `MinIO floor (its CPU / ${cores} cores)`,
      formatSummary(summarize(floorMs), seconds),
      '',
      formatSummary(summarize(perRunRatio(floorMs, c.ms.physical)), ratio),
      '',
      runs,
    ],
  ];
}

function planText(plan: BenchResults['managedCopy'][number]['partcopyPlan']): string {
  return plan ? `partcopy: ${plan.transfer}, ${plan.partsCount} parts of ${formatBytes(plan.partSize)}` : '';
}

function printProviderBytes(r: BenchResults): void {
  const rows = r.providerBytes.map((p) => [
    p.provider,
    p.path,
    formatBytes(p.size),
    p.transfer,
    formatSummary(summarize(p.sent), formatBytes),
    formatSummary(summarize(p.received), formatBytes),
    formatSummary(summarize(p.requests), count),
    p.expectedBytes === 0 ? 'about 0' : formatBytes(p.expectedBytes),
    p.verdict,
  ]);
  printTable(
    'Payload bytes through the client (partcopy cp through a counting proxy)',
    ['provider', 'path', 'object', 'transfer', 'sent', 'received', 'requests', 'expected', 'verdict'],
    rows,
  );
}

function printRequestsPerGiB(r: BenchResults): void {
  const rows: string[][] = [];
  for (const c of r.managedCopy) {
    if (!c.wire) continue;
    for (const peer of PEERS) {
      const w = c.wire[peer];
      rows.push([
        `${peer} (MinIO, ${c.label})`,
        String(w.requests),
        count(w.requests / (c.size / 2 ** 30)),
        formatBytes(w.sent + w.received),
      ]);
    }
  }
  for (const p of r.providerBytes) {
    if (p.requests.length === 0 || p.transfer.startsWith('refused')) continue;
    const med = summarize(p.requests).median;
    rows.push([
      `partcopy ${p.provider}: ${p.path} (${formatBytes(p.size)})`,
      count(med),
      count(med / (p.size / 2 ** 30)),
      '',
    ]);
  }
  printTable(
    'Requests per GiB copied (counted in the proxy)',
    ['tool / path', 'requests', 'per GiB', 'client bytes'],
    rows,
  );
}

function printFacade(r: BenchResults): void {
  const f = r.facadeOverhead;
  if (!f) return;
  const rows: string[][] = [];
  for (const [shape, m] of [
    ['with a source range (as cp sends)', f.ranged],
    ['whole source, no range', f.whole],
  ] as const) {
    rows.push(
      [
        shape,
        'raw @aws-sdk/client-s3 UploadPartCopyCommand',
        formatSummary(summarize(m.rawMs), millis),
        count(m.rawRequestsPerCall),
      ],
      [
        shape,
        'PartCopyClient.uploadPartCopy (@partcopy/s3)',
        formatSummary(summarize(m.facadeMs), millis),
        count(m.facadeRequestsPerCall),
      ],
      [shape, 'difference (facade - raw, per pair)', formatSummary(summarize(m.differenceMs), millis), ''],
    );
  }
  printTable(
    `Facade overhead per uploadPartCopy (MinIO, 1 MiB source, ${f.calls} calls of each, alternated)`,
    ['shape', 'call', 'time', 'requests per call'],
    rows,
  );
}

function printRss(r: BenchResults): void {
  const rows: string[][] = [];
  for (const p of r.providerBytes) {
    if (p.rss.length === 0) continue;
    rows.push([
      `partcopy ${p.provider}: ${p.path}`,
      p.transfer,
      formatBytes(p.size),
      formatSummary(summarize(p.rss), mib),
    ]);
  }
  printTable(
    'Peak RSS of the partcopy process (GNU time; streamed paths hold at most a few parts)',
    ['path', 'transfer', 'object', 'peak RSS'],
    rows,
  );
}

export function printComparison(previous: BenchResults, current: BenchResults, file: string): void {
  const before = flatFigures(previous);
  const now = flatFigures(current);
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])];
  const rows = names.map((name) => {
    const a = before[name];
    const b = now[name];
    const change =
      a !== undefined && b !== undefined && a !== 0 ? `${(((b - a) / a) * 100).toFixed(0)}%` : '';
    return [name, a === undefined ? '-' : count(a), b === undefined ? '-' : count(b), change];
  });
  printTable(
    `Compared with ${file} (${previous.startedAt}, load ${previous.load.start}; medians)`,
    ['figure', 'before', 'now', 'change'],
    rows,
  );
}
