import type { PartCopyEvent } from '@partcopy/core';
import { formatBytes } from './sizes.js';

/**
 * One `--verbose` line per store call event (progress events are left to the progress bar):
 * `partcopy: uploadPartCopy demo/b.bin part 2: response 12ms 8.00 MiB server-side`.
 * Events never carry secrets, so neither does this.
 */
export function formatEvent(event: PartCopyEvent): string | undefined {
  if (event.type === 'progress') return undefined;
  const target = [event.bucket, event.key].filter(Boolean).join('/');
  const part = event.partNumber === undefined ? '' : ` part ${event.partNumber}`;
  const head = `partcopy: ${event.provider} ${event.operation} ${target}${part}`.trimEnd();
  switch (event.type) {
    case 'request':
      return `${head}: request${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'response': {
      const bytes = event.bytes === undefined ? '' : ` ${formatBytes(event.bytes)}`;
      return `${head}: response ${Math.round(event.durationMs)}ms${bytes}${event.transfer ? ` ${event.transfer}` : ''}`;
    }
    case 'error': {
      const retry = event.willRetry ? `, retrying in ${event.retryDelayMs ?? 0}ms` : '';
      return `${head}: ${event.code} (${event.status}) after ${Math.round(event.durationMs)}ms${retry}: ${event.message}`;
    }
  }
}
