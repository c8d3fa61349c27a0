/**
 * A bulk copy from Azurite to fake-gcs-server: each object job transfers its object between the
 * two stores (two workers, in this process). Every object arrives with its bytes, the report
 * accounts for every byte (server-side or through a worker), and a second run skips them all.
 */
import { randomBytes } from 'node:crypto';
import { requireServerEnv } from '@partcopy/test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetClient, type FleetWorker, startFleetWorker } from '../src/index.js';
import { clientFor, randomBucket } from './support/stores.js';

describe('a fleet bulk copy across stores (Azurite to fake-gcs-server)', () => {
  const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
  const queue = `x${Math.random().toString(36).slice(2, 10)}`;
  const clients = { azurite: clientFor('azurite'), gcs: clientFor('gcs') };
  const from = randomBucket();
  const to = randomBucket();
  const bodies = new Map<string, Buffer>();
  let workers: FleetWorker[] = [];
  const fleet = new FleetClient({ redisUrl, queue });

  beforeAll(async () => {
    await clients.azurite.createBucket({ bucket: from });
    await clients.gcs.createBucket({ bucket: to });
    for (let i = 0; i < 40; i++) {
      const body = randomBytes(100 + i * 13);
      bodies.set(String(i), body);
      await clients.azurite.putObject({ bucket: from, key: `in/${i}`, body });
    }
    workers = [1, 2].map(() =>
      startFleetWorker({
        redisUrl,
        queue,
        concurrency: 4,
        resolveClient: (label) => clients[label as keyof typeof clients],
      }),
    );
    await Promise.all(workers.map((w) => w.ready()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await fleet.close();
  });

  const sync = () =>
    fleet.submitBulk({
      client: clients.azurite,
      store: 'azurite',
      destinationStore: 'gcs',
      source: { bucket: from, prefix: 'in/' },
      destination: { bucket: to, prefix: 'out/' },
    });

  it('transfers every object, then skips them all', async () => {
    const report = await fleet.waitForBulk(await sync(), { intervalMs: 100 });
    expect(report.failures).toEqual([]);
    expect({ copied: report.copied, skipped: report.skipped, failed: report.failed }).toEqual({
      copied: 40,
      skipped: 0,
      failed: 0,
    });
    const total = [...bodies.values()].reduce((n, b) => n + b.length, 0);
    expect(report.copiedBytes).toBe(total);
    expect(report.serverSideBytes + report.clientBytes).toBe(total);
    for (const [key, body] of bodies) {
      const copy = await (await clients.gcs.getObject({ bucket: to, key: `out/${key}` })).body.bytes();
      expect(Buffer.from(copy).equals(body), key).toBe(true);
    }
    const again = await fleet.waitForBulk(await sync(), { intervalMs: 100 });
    expect({ copied: again.copied, skipped: again.skipped, failed: again.failed }).toEqual({
      copied: 0,
      skipped: 40,
      failed: 0,
    });
  });
});
