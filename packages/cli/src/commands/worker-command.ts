/**
 * `partcopy worker`: one process of a fleet. It runs the part, completion and object jobs of the
 * queue with this machine's own stores (flags, environment, remotes): jobs name stores, never
 * credentials. Stops on Ctrl-C or SIGTERM after the jobs in flight (a killed worker's jobs run
 * again elsewhere: BullMQ hands a job whose lock ran out to another worker).
 */
import type { CommandSpec } from '../command.js';
import { parsePositiveInteger } from '../sizes.js';
import { loadFleet, QUEUE_OPTIONS, requireQueue } from './fleet-queue.js';

export const workerCommand: CommandSpec = {
  name: 'worker',
  summary: 'run copy jobs of a fleet (BullMQ on Redis) until stopped',
  usage: '--queue redis://HOST:PORT [options]',
  description: [
    'Takes jobs from the queue (parts of `cp --queue` sessions, objects of `sync`) and runs them on the store',
    "each job names, with this machine's settings for it. Start any number, on any number of machines.",
    'Ctrl-C or SIGTERM: no new jobs; the jobs in flight finish, then the worker exits.',
  ],
  positionals: { min: 0, max: 0 },
  options: {
    ...QUEUE_OPTIONS,
    concurrency: { type: 'string', value: 'N', description: 'jobs this worker runs at once (default 4)' },
    'lock-duration': {
      type: 'string',
      value: 'MS',
      description: "job lock in ms (default 30000): a dead worker's jobs run elsewhere after about this long",
    },
  },
  examples: ['partcopy worker --queue redis://127.0.0.1:6379 --concurrency 8'],
  async run(ctx) {
    const connection = requireQueue(ctx);
    const { redactRedisUrl, startFleetWorker } = await loadFleet();
    const concurrency = parseOptional(ctx.string('concurrency'), '--concurrency');
    const lock = parseOptional(ctx.string('lock-duration'), '--lock-duration');
    let completed = 0;
    let failed = 0;
    const worker = startFleetWorker({
      ...connection,
      concurrency,
      lockDurationMs: lock,
      resolveClient: (store) => ctx.stores.client(store),
      onFailed: (job, error) => {
        failed++;
        if (!ctx.quiet) ctx.io.stderr.write(`partcopy: worker: job ${job.id} failed: ${error.message}\n`);
      },
    });
    worker.worker.on('completed', () => {
      completed++;
    });
    await worker.ready();
    const where = `${redactRedisUrl(connection.redisUrl)} queue ${connection.queue ?? 'partcopy'}`;
    if (!ctx.quiet && !ctx.json) ctx.io.stderr.write(`partcopy: worker ready on ${where}\n`);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await worker.close();
    return {
      result: { queue: where, jobsCompleted: completed, jobsFailed: failed },
      human: [`worker stopped: ${completed} jobs completed, ${failed} failed`],
    };
  },
};

function parseOptional(text: string | undefined, option: string): number | undefined {
  return text === undefined ? undefined : parsePositiveInteger(text, option);
}
