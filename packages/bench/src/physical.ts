// The physical limit of a copy on this machine: the same bytes written to the same disk, from a
// source in the page cache, by the faster of two ways (O_DIRECT writes; cp then fsync).
import { rmSync } from 'node:fs';
import { runCommand } from './run-command.ts';

export interface PhysicalRun {
  ddDirectMs: number;
  cpSyncMs: number;
  /** The faster of the two. */
  ms: number;
}

export async function physicalCopy(source: string, destination: string): Promise<PhysicalRun> {
  // Read once outside the timing so the source comes from the page cache, as MinIO's does.
  await runCommand(['dd', `if=${source}`, 'of=/dev/null', 'bs=8M', 'status=none']);
  rmSync(destination, { force: true });
  const dd = await runCommand([
    'dd',
    `if=${source}`,
    `of=${destination}`,
    'bs=8M',
    'oflag=direct',
    'status=none',
  ]);
  rmSync(destination, { force: true });
  // `sync FILE` flushes that file only, not the other users' dirty pages.
  const cp = await runCommand(['sh', '-c', 'cp "$1" "$2" && sync "$2"', 'sh', source, destination]);
  rmSync(destination, { force: true });
  return { ddDirectMs: dd.ms, cpSyncMs: cp.ms, ms: Math.min(dd.ms, cp.ms) };
}
