import { UsageError } from './usage-error.js';

/** The first value that is set and not empty: callers list flags, then environment, then remote. */
export function first<T>(...values: Array<T | undefined>): T | undefined {
  return values.find((value) => value !== undefined && value !== '');
}

/** A boolean setting given as text (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`). */
export function parseBoolean(value: string, name: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new UsageError(`${name} must be true or false, got "${value}"`);
}
