import { readFileSync } from 'node:fs';

/** The machine's load averages (1, 5, 15 min) as /proc/loadavg gives them, e.g. "1.52 0.98 0.61". */
export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
