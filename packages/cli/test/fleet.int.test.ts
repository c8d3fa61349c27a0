/**
 * `partcopy worker`, `cp --queue` and `sync --queue` against a real redis-server: two workers
 * run in this process (as two `partcopy worker` commands), the submitting commands follow.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetClient } from '@partcopy/fleet';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliHarness, patternBytes } from './cli-harness.js';

describe('partcopy worker, cp --queue and sync', () => {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const queue = `cli${Math.random().toString(36).slice(2, 10)}`;
  let cli: CliHarness;
  const stop = new AbortController();
  let workers: Promise<{ code: number; stdout: string }>[] = [];

  beforeAll(async () => {
    cli = await CliHarness.create();
    await cli.ok(['mb', 'file://fleetb']);
    const source = join(cli.cwd, 'src.bin');
    await writeFile(source, patternBytes(20_000));
    await cli.ok(['put', source, 'file://fleetb/in/big.bin']);
    for (let i = 0; i < 12; i++) {
      await writeFile(join(cli.cwd, `f${i}`), patternBytes(100 + i, i + 2));
      await cli.ok(['put', join(cli.cwd, `f${i}`), `file://fleetb/in/small/${i}.txt`]);
    }
    workers = [1, 2].map(() =>
      cli.run(['worker', '--queue', redisUrl, '--queue-name', queue], { signal: stop.signal }),
    );
  });

  afterAll(async () => {
    stop.abort();
    await Promise.all(workers);
    await cli?.dispose();
  });

  it('cp --queue copies one object in parts run by the workers', async () => {
    const run = await cli.ok([
      'cp',
      'file://fleetb/in/big.bin',
      'file://fleetb/out/big.bin',
      '--queue',
      redisUrl,
      '--queue-name',
      queue,
      '--part-size',
      '4096',
      '--json',
    ]);
    const result = run.json<{
      partsCount: number;
      size: number;
      serverSideBytes: number;
      clientBytes: number;
    }>();
    expect(result).toMatchObject({ partsCount: 5, size: 20_000 });
    expect(result.serverSideBytes + result.clientBytes).toBe(20_000);
    const copy = await cli.ok(['get', 'file://fleetb/out/big.bin', '-']);
    expect(Buffer.compare(copy.stdoutBytes, Buffer.from(patternBytes(20_000)))).toBe(0);
    expect((await cli.ok(['uploads', 'list', 'file://fleetb', '--json'])).stdout).not.toContain(
      'out/big.bin',
    );
  });

  it('sync copies a prefix, then skips what is already there', async () => {
    const first = await cli.ok([
      'sync',
      'file://fleetb/in/small/',
      'file://fleetb/mirror/',
      '--queue',
      redisUrl,
      '--queue-name',
      queue,
      '--json',
    ]);
    expect(first.json()).toMatchObject({ copied: 12, skipped: 0, failed: 0, listed: 12 });
    for (let i = 0; i < 12; i++) {
      const copy = await cli.ok(['get', `file://fleetb/mirror/${i}.txt`, '-']);
      expect(Buffer.compare(copy.stdoutBytes, Buffer.from(patternBytes(100 + i, i + 2)))).toBe(0);
    }
    const second = await cli.ok([
      'sync',
      'file://fleetb/in/small/',
      'file://fleetb/mirror/',
      '--queue',
      redisUrl,
      '--queue-name',
      queue,
    ]);
    expect(second.stdout).toMatch(/0 copied .* 12 skipped, 0 failed of 12 objects/);
  });

  it('sync with a manifest naming a missing key fails with exit 1 and names it', async () => {
    await writeFile(join(cli.cwd, 'manifest.txt'), 'in/small/0.txt\nin/small/none.txt\n');
    const run = await cli.run([
      'sync',
      'file://fleetb/in/',
      'file://fleetb/m2/',
      '--queue',
      redisUrl,
      '--queue-name',
      queue,
      '--manifest',
      'manifest.txt',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('in/small/none.txt');
    expect(run.stderr).toMatch(/1 copied .* 0 skipped, 1 failed of 2 objects/);
  });

  it('Ctrl-C while following cp --queue cancels the session; a worker then aborts its upload', async () => {
    const idle = `${queue}-idle`;
    const fleet = new FleetClient({ redisUrl, queue: idle });
    const interrupt = new AbortController();
    try {
      const run = cli.run(
        [
          'cp',
          'file://fleetb/in/big.bin',
          'file://fleetb/out/interrupted.bin',
          '--queue',
          redisUrl,
          '--queue-name',
          idle,
          '--part-size',
          '4096',
        ],
        { signal: interrupt.signal },
      );
      // No worker on this queue: the session waits; interrupt once it exists.
      while ((await fleet.state.sessionIds()).length === 0) await new Promise((r) => setTimeout(r, 50));
      const [id] = await fleet.state.sessionIds();
      interrupt.abort();
      expect((await run).code).toBe(130);
      expect((await fleet.progress(id as string)).state).toBe('cancelled');
      const worker = cli.run(['worker', '--queue', redisUrl, '--queue-name', idle], { signal: stop.signal });
      workers.push(worker);
      while ((await fleet.state.redis.hget(fleet.state.keys.session(id as string), 'aborted')) === null) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await cli.ok(['uploads', 'list', 'file://fleetb', '--json'])).stdout).not.toContain(
        'interrupted.bin',
      );
    } finally {
      await fleet.close();
    }
  });

  it('refuses a --queue that is not a redis URL, without echoing a password', async () => {
    const run = await cli.run(['worker', '--queue', 'http://user:hunter2@127.0.0.1:1']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('workers stop on interrupt after their jobs, exit 0 and say what they did', async () => {
    stop.abort();
    const runs = await Promise.all(workers);
    for (const run of runs) expect(run.code).toBe(0);
    const completed = runs
      .slice(0, 2)
      .map((run) => Number(/worker stopped: (\d+) jobs completed/.exec(run.stdout)?.[1]));
    // 6 session jobs (5 parts and the completion) and 12 + 12 + 1 object jobs, shared by the two.
    expect(completed.reduce((a, b) => a + b, 0)).toBe(6 + 12 + 12 + 1);
  });
});
