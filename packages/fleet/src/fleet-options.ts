/**
 * How a fleet reaches its Redis and names its queue. The URL may carry a password
 * (`redis://:secret@host:6379`): it stays in the connection, never in a job or a message.
 */
import type { ConnectionOptions } from 'bullmq';

/** The queue every fleet process uses unless told otherwise. */
export const DEFAULT_FLEET_QUEUE = 'partcopy';

export interface FleetConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  redisUrl: string;
  /** The BullMQ queue's name; submitters and workers of one fleet use the same (default `partcopy`). */
  queue?: string | undefined;
}

/** BullMQ's connection options for a URL; `blocking` workers need `maxRetriesPerRequest: null`. */
export function bullConnection(options: FleetConnectionOptions): ConnectionOptions {
  return { url: options.redisUrl, maxRetriesPerRequest: null };
}

export function queueName(options: FleetConnectionOptions): string {
  return options.queue ?? DEFAULT_FLEET_QUEUE;
}

/** The URL with any password replaced, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable redis URL)';
  }
}
