import { UsageError } from './usage-error.js';

// Units are binary, as aws-cli reads `8MB`: K, KB and KiB all mean 1024 bytes.
const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/**
 * Parses a size such as `1048576`, `8M`, `8MB`, `5MiB` or `1.5GiB` into bytes. Units are
 * binary (1K = 1024). Throws a {@link UsageError} naming `option` for anything else, including
 * sizes that are not a whole number of bytes.
 */
export function parseSize(text: string, option: string): number {
  const match = SIZE_PATTERN.exec(text.trim());
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new UsageError(`${option}: "${text}" is not a size (examples: 1048576, 8M, 5MiB, 1GiB)`);
  }
  const bytes = Number(match[1]) * unit;
  if (!Number.isSafeInteger(bytes)) {
    throw new UsageError(`${option}: "${text}" is not a whole number of bytes`);
  }
  return bytes;
}

/** Parses a positive integer option (`--concurrency 4`, `--part-number 2`). */
export function parsePositiveInteger(text: string, option: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${option}: "${text}" is not a positive whole number`);
  }
  return value;
}

/** Formats bytes for people: `512 B`, `8.0 MiB`, `1.25 GiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;
}

/** Formats a duration in seconds for people: `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
