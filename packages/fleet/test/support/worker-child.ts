/**
 * A fleet worker process for the tests: a real `startFleetWorker` over the test stores, with
 * every provider call counted in Redis (successes only, by method; part copies also by part
 * number), and an optional hold: after its Nth successful call of FLEET_HOLD_METHOD the process
 * prints `held` and never returns from that call, so the test kills it while it is provably in
 * the middle of a job (the store did the work, the queue has not heard of it).
 */
import { PartCopyClient } from '@partcopy/core';
import { type Interceptor, wrapProvider } from '@partcopy/core/testing';
import { requireServerEnv } from '@partcopy/test-servers';
import { Redis } from 'ioredis';
import { startFleetWorker } from '../../src/index.js';
import { providerFor } from './stores.js';

const env = process.env;
const queue = env.FLEET_QUEUE ?? 'partcopy';
const redisUrl = requireServerEnv('redis').PARTCOPY_REDIS_URL;
const counters = new Redis(redisUrl);
const holdMethod = env.FLEET_HOLD_METHOD;
const holdAfter = Number(env.FLEET_HOLD_AFTER ?? 1);
let seen = 0;

const intercept: Interceptor = async (method, request, _ctx, next) => {
  const result = await next();
  const part = (request as { partNumber?: number }).partNumber;
  await counters
    .multi()
    .hincrby(`fleet-test:${queue}:calls`, method, 1)
    .hincrby(
      `fleet-test:${queue}:parts`,
      part === undefined ? 'none' : String(part),
      method === 'uploadPartCopy' ? 1 : 0,
    )
    .exec();
  if (method === holdMethod && ++seen === holdAfter) {
    process.stdout.write(`held ${method} ${part ?? ''}\n`);
    await new Promise(() => {});
  }
  return result;
};

const clients = new Map<string, PartCopyClient>();
const fleet = startFleetWorker({
  redisUrl,
  queue,
  concurrency: Number(env.FLEET_CONCURRENCY ?? 2),
  // 10 s: a lock renewal late by seconds on a loaded machine must not look like a dead worker.
  lockDurationMs: Number(env.FLEET_LOCK_MS ?? 10_000),
  stalledIntervalMs: Number(env.FLEET_STALLED_MS ?? 1000),
  maxStalledCount: Number(env.FLEET_MAX_STALLED ?? 10),
  resolveClient: (label) => {
    let client = clients.get(label);
    if (!client) {
      client = new PartCopyClient(wrapProvider(providerFor(label), intercept));
      clients.set(label, client);
    }
    return client;
  },
});
await fleet.ready();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void fleet.close().finally(() => process.exit(0));
});
