// The figures of one bench run as written to bench-results/<timestamp>.json, and their flat
// form (name -> median) used to compare two runs.
import type { FacadeOverhead } from './facade-overhead.ts';
import type { FleetBenchResult } from './fleet-bench.ts';
import type { GatewayBenchResult } from './gateway-throughput.ts';
import type { ManagedCopyResult } from './managed-copy.ts';
import { PEERS } from './managed-copy.ts';
import type { PathResult } from './provider-bytes.ts';
import { summarize } from './stats.ts';
import type { TransferPairResult } from './transfer-pairs.ts';

export interface BenchResults {
  format: 1;
  mode: 'quick' | 'full';
  startedAt: string;
  finishedAt?: string;
  machine: {
    hostname: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    kernel: string;
    node: string;
  };
  tools: { partcopy: string; rclone: string; aws: string; awsWarning?: string };
  load: { start: string; end?: string };
  managedCopy: ManagedCopyResult[];
  providerBytes: PathResult[];
  facadeOverhead?: FacadeOverhead;
  fleet?: FleetBenchResult;
  /** Cross-store transfers next to rclone (section `transfer`). */
  transfer?: TransferPairResult[];
  gateway?: GatewayBenchResult[];
  notYet: string[];
}

/** Per-run ratios of one series to another (runs are aligned: same run, same index). */
export function perRunRatio(a: readonly number[], b: readonly number[]): number[] {
  return a.map((x, i) => x / (b[i] as number));
}

/** Every figure's median under a stable name: what `--compare` lines up. */
export function flatFigures(r: BenchResults): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, values: readonly number[]) => {
    if (values.length > 0) out[name] = summarize(values).median;
  };
  for (const m of r.managedCopy) {
    if (m.skipped) continue;
    for (const peer of PEERS) {
      put(
        `managed ${m.label} ${peer} s`,
        m.ms[peer].map((ms) => ms / 1000),
      );
      put(
        `managed ${m.label} ${peer} peak RSS MiB`,
        m.rss[peer].map((b) => b / 2 ** 20),
      );
    }
    put(
      `managed ${m.label} physical s`,
      m.ms.physical.map((ms) => ms / 1000),
    );
    put(`managed ${m.label} partcopy/physical`, m.partcopyToPhysical);
    put(`managed ${m.label} partcopy/best peer`, m.partcopyToBestPeer);
    if (m.wire) {
      for (const peer of PEERS)
        out[`requests/GiB ${peer} (MinIO)`] = m.wire[peer].requests / (m.size / 2 ** 30);
    }
  }
  for (const p of r.providerBytes) {
    put(
      `client bytes ${p.provider} ${p.path}`,
      p.sent.map((s, i) => s + (p.received[i] as number)),
    );
    put(`requests ${p.provider} ${p.path}`, p.requests);
    put(
      `peak RSS MiB ${p.provider} ${p.path}`,
      p.rss.map((b) => b / 2 ** 20),
    );
  }
  if (r.facadeOverhead) {
    for (const shape of ['ranged', 'whole'] as const) {
      const f = r.facadeOverhead[shape];
      if (!f) continue; // a JSON from before the two shapes were measured
      put(`facade uploadPartCopy ${shape} ms`, f.facadeMs);
      put(`raw UploadPartCopy ${shape} ms`, f.rawMs);
      put(`facade overhead ${shape} ms`, f.differenceMs);
    }
  }
  return out;
}
