import type { PartCopyEvent } from '@partcopy/core';
import { redactSecrets } from '@partcopy/core';

/**
 * `--debug`: one line per store request, response and error, with every field the client's
 * event carries (call id, attempt, timing, bytes, transfer mode, error code, retry), and one line
 * per store opened saying where it points and where its credentials come from. Events carry no
 * secrets (no headers, keys or signed URLs) and the store line names sources, never values; the
 * text still goes through `redactSecrets` in case a provider's message quotes a signed URL.
 */
export function formatDebugEvent(event: PartCopyEvent, startedMs: number): string | undefined {
  if (event.type === 'progress') return undefined;
  const elapsed = `+${Math.round(performance.now() - startedMs)}ms`;
  return redactSecrets(`partcopy debug ${elapsed} ${event.type} ${JSON.stringify(event)}`);
}

/** What a store was opened with, as `--debug` shows it: `partcopy debug store s3 {"endpoint": ...}`. */
export function formatDebugStore(scheme: string, summary: Record<string, unknown>): string {
  return redactSecrets(`partcopy debug store ${scheme}:// ${JSON.stringify(summary)}`);
}
