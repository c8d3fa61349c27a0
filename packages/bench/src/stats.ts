// Summaries of repeated measurements: every figure the bench prints is min/median/max over runs.

export interface Summary {
  min: number;
  median: number;
  max: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number, runs: values.length };
}

/** `min / median / max` with a formatter, or `-` when nothing was measured. */
export function formatSummary(s: Summary | undefined, fmt: (n: number) => string): string {
  if (!s || s.runs === 0) return '-';
  return `${fmt(s.min)} / ${fmt(s.median)} / ${fmt(s.max)}`;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
export const millis = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
export const ratio = (r: number) => `${r.toFixed(2)}x`;
export const mibPerSecond = (bytesPerMs: number) => `${((bytesPerMs * 1000) / 2 ** 20).toFixed(0)} MiB/s`;

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

/** `64MiB`, `1GiB`, `6GiB`: the labels used in tables and JSON keys. */
export function sizeLabel(bytes: number): string {
  return bytes >= 2 ** 30 ? `${bytes / 2 ** 30}GiB` : `${bytes / 2 ** 20}MiB`;
}
