/**
 * One run of one cell: a fresh bucket and work folder, the fault proxy with this run's seed, the
 * operation through it, then the checks through a direct client: completed, identical bytes,
 * leftovers (in-progress uploads, staging objects, stray objects, files left in the work folder),
 * retries. Everything is removed afterwards, leftovers included.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartCopyClient } from '@partcopy/core';
import { requireServerEnv } from '@partcopy/test-servers';
import { FaultPlan } from '../faults/fault-plan.ts';
import { type FaultLogEntry, startFaultProxy } from '../faults/fault-proxy.ts';
import type { Cell } from './cells.ts';
import type { RunOutcome } from './operation.ts';

export interface RunReport {
  cell: string;
  seed: number;
  completed: boolean;
  identical: boolean;
  leftovers: string[];
  retries: number;
  requests: number;
  faults: number;
  rounds: number;
  errors: string[];
  /** Every injected fault, to replay or explain the run. */
  faultLog: FaultLogEntry[];
}

/** Attempts per call through the faulted client (the engine's default is 3). */
export const MATRIX_MAX_ATTEMPTS = 5;

export async function runCellOnce(cell: Cell, seed: number): Promise<RunReport> {
  const plan = new FaultPlan({ seed, rate: cell.rate });
  const bucket = `pcf${seed}x${randomBytes(4).toString('hex')}`;
  const proxy = await startFaultProxy({
    upstream: cell.store.upstream(),
    dialect: cell.store.dialect,
    plan,
    toxiproxyUrl: requireServerEnv('toxiproxy').PARTCOPY_TOXIPROXY_URL,
    aliases: { [bucket]: '{bucket}' },
  });
  const direct = new PartCopyClient(cell.store.provider(cell.store.upstream()), { env: {} });
  const client = new PartCopyClient(cell.store.provider(proxy.url), {
    env: {},
    retry: { maxAttempts: MATRIX_MAX_ATTEMPTS, baseDelayMs: 10, maxDelayMs: 200 },
  });
  const workDir = await mkdtemp(join(tmpdir(), 'partcopy-fault-'));
  let outcome: RunOutcome = { completed: false, identical: false, rounds: 0, errors: [], keys: [] };
  try {
    await direct.createBucket({ bucket });
    try {
      outcome = await cell.operation.run({ seed, store: cell.store, client, direct, bucket, workDir });
    } catch (error) {
      outcome = { ...outcome, errors: [`${(error as Error).name}: ${(error as Error).message}`] };
    }
    const leftovers = await findLeftovers(cell, direct, bucket, workDir, outcome.keys);
    const stats = plan.stats();
    return {
      cell: cell.name,
      seed,
      completed: outcome.completed,
      identical: outcome.identical,
      leftovers,
      retries: client.metrics().retries,
      requests: stats.requests,
      faults: stats.faults,
      rounds: outcome.rounds,
      errors: outcome.errors,
      faultLog: [...proxy.log],
    };
  } finally {
    await proxy.close();
    await removeBucket(direct, bucket).catch(() => undefined);
    await rm(workDir, { recursive: true, force: true });
  }
}

async function findLeftovers(
  cell: Cell,
  direct: PartCopyClient,
  bucket: string,
  workDir: string,
  keys: string[],
): Promise<string[]> {
  const found: string[] = [];
  const uploads = await direct.listMultipartUploads({ bucket });
  found.push(...uploads.uploads.map((u) => `upload ${u.key} ${u.uploadId}`));
  found.push(
    ...(await cell.store.stagingLeftovers(direct.provider, bucket)).map((name) => `staging ${name}`),
  );
  const objects = await direct.listObjects({ bucket });
  found.push(...objects.objects.filter((o) => !keys.includes(o.key)).map((o) => `object ${o.key}`));
  const files = await readdir(workDir, { recursive: true, withFileTypes: true });
  found.push(...files.filter((f) => f.isFile()).map((f) => `file ${join(f.parentPath, f.name)}`));
  return found;
}

async function removeBucket(direct: PartCopyClient, bucket: string): Promise<void> {
  for (const upload of (await direct.listMultipartUploads({ bucket })).uploads) {
    await direct
      .abortMultipartUpload({ bucket, key: upload.key, uploadId: upload.uploadId })
      .catch(() => undefined);
  }
  for (;;) {
    const page = await direct.listObjects({ bucket });
    for (const object of page.objects) await direct.deleteObject({ bucket, key: object.key });
    if (!page.isTruncated || page.objects.length === 0) break;
  }
  await direct.deleteBucket({ bucket });
}
