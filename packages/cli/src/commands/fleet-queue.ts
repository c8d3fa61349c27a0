/**
 * The fleet options of `worker`, `sync` and `cp --queue`: which Redis (and BullMQ queue) the
 * fleet of workers shares. @partcopy/fleet (BullMQ, ioredis) is loaded only when a command uses it.
 */
import type { FleetConnectionOptions } from '@partcopy/fleet';
import type { CommandContext, OptionSpecs } from '../command.js';
import { UsageError } from '../usage-error.js';

export const QUEUE_OPTIONS: OptionSpecs = {
  queue: {
    type: 'string',
    value: 'URL',
    description:
      'redis://[user:password@]host:port[/db] of the fleet (BullMQ on Redis); worker, sync and fleet default to $PARTCOPY_QUEUE',
  },
  'queue-name': {
    type: 'string',
    value: 'NAME',
    description: 'the BullMQ queue of the fleet (default partcopy)',
  },
};

/**
 * The fleet's connection from `--queue` (or `$PARTCOPY_QUEUE` when `fromEnv`), with the password
 * from `$PARTCOPY_QUEUE_PASSWORD` when the URL names none: it never has to be on a command line.
 */
export function queueConnection(ctx: CommandContext, fromEnv: boolean): FleetConnectionOptions | undefined {
  const raw = ctx.string('queue') ?? (fromEnv ? ctx.io.env.PARTCOPY_QUEUE : undefined);
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--queue must be a redis:// or rediss:// URL, not "${raw.replace(/:[^:@/]*@/, ':***@')}"`,
      ctx.command,
    );
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(
      `--queue must be a redis:// or rediss:// URL, not ${url.protocol}//...`,
      ctx.command,
    );
  }
  const password = ctx.io.env.PARTCOPY_QUEUE_PASSWORD;
  if (!url.password && password) url.password = password;
  return { redisUrl: url.toString(), queue: ctx.string('queue-name') };
}

export function requireQueue(ctx: CommandContext): FleetConnectionOptions {
  const connection = queueConnection(ctx, true);
  if (!connection)
    throw new UsageError('--queue redis://HOST:PORT is required (or set $PARTCOPY_QUEUE)', ctx.command);
  return connection;
}

export async function loadFleet(): Promise<typeof import('@partcopy/fleet')> {
  return import('@partcopy/fleet');
}
