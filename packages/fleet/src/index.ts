/**
 * `@partcopy/fleet`: copy sessions and bulk copies run as BullMQ jobs on Redis by any number of
 * worker processes. A {@link FleetClient} submits and follows; {@link startFleetWorker} runs a
 * worker; {@link RedisSessionStore} shares the engine's resumable sessions between machines.
 *
 * @packageDocumentation
 */
export type { BulkCopyRequest } from './bulk-submit.js';
export { FleetClient, type FleetCopyRequest, type FollowOptions } from './fleet-client.js';
export { type FleetKeys, fleetKeys } from './fleet-keys.js';
export { DEFAULT_FLEET_QUEUE, type FleetConnectionOptions, redactRedisUrl } from './fleet-options.js';
export { FleetState } from './fleet-state.js';
export type {
  BulkRecord,
  BulkReport,
  BulkState,
  CompleteJobData,
  FleetProgress,
  FleetSessionRecord,
  FleetSessionState,
  ObjectJobData,
  PartJobData,
} from './fleet-types.js';
export { type FleetWorker, type FleetWorkerOptions, startFleetWorker } from './fleet-worker.js';
export type { FleetRetryOptions } from './job-options.js';
export { RedisSessionStore } from './redis-session-store.js';
export type { ClientResolver } from './worker-context.js';
