// One worker process of the fleet benchmark: `startFleetWorker` over MinIO, from the built
// packages (as a user's worker would run), until SIGTERM. Prints `ready` once it takes jobs.
import { PartCopyClient } from '@partcopy/core';
import { startFleetWorker } from '@partcopy/fleet';
import { createS3Provider } from '@partcopy/s3';

const env = process.env;
const client = new PartCopyClient(
  createS3Provider({
    endpoint: env.BENCH_S3_ENDPOINT as string,
    region: 'us-east-1',
    credentials: {
      accessKeyId: env.BENCH_S3_ACCESS_KEY as string,
      secretAccessKey: env.BENCH_S3_SECRET_KEY as string,
    },
  }),
);
const worker = startFleetWorker({
  redisUrl: env.BENCH_REDIS_URL as string,
  queue: env.BENCH_QUEUE,
  concurrency: Number(env.BENCH_CONCURRENCY ?? 4),
  resolveClient: () => client,
});
await worker.ready();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().finally(() => process.exit(0));
});
