import type { PartCopyClient } from '@partcopy/core';
import type { FleetState } from './fleet-state.js';

/** Resolves a store label from a job to this worker's client for it (its own credentials). */
export type ClientResolver = (store: string) => PartCopyClient | Promise<PartCopyClient>;

/** What every job processor of one worker shares. */
export interface WorkerContext {
  state: FleetState;
  client: ClientResolver;
  /** How long a part job of a paused session waits before it looks again, in ms. */
  pausedRecheckMs: number;
}
