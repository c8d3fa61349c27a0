/** Where the fleet keeps its own state in Redis, beside BullMQ's keys for the same queue. */
export function fleetKeys(queue: string) {
  const base = `partcopy-fleet:${queue}`;
  return {
    /** Hash: the session record, its state and its counters. */
    session: (id: string) => `${base}:session:${id}`,
    /** Hash: part number → ETag of the parts copied (the first result of each part counts). */
    parts: (id: string) => `${base}:session:${id}:parts`,
    /** Set of the session ids this queue holds. */
    sessions: `${base}:sessions`,
    /** Hash: a bulk copy's record, state and counters. */
    bulk: (id: string) => `${base}:bulk:${id}`,
    /** Hash: object key → outcome (`copied`, `skipped`, `failed: why`), first outcome counts. */
    outcomes: (id: string) => `${base}:bulk:${id}:outcomes`,
    /** Set of the bulk copy ids this queue holds. */
    bulks: `${base}:bulks`,
    /**
     * Hash: destination → `sourceETag destinationETag` of the last copy a worker made, so a
     * later sync knows the destination holds the source's bytes even where the store gives a
     * copy a new ETag (Azure, GCS) and no checksum to compare.
     */
    ledger: `${base}:ledger`,
    /** Session locks of {@link RedisSessionStore}. */
    records: `${base}:records`,
    lock: (id: string) => `${base}:lock:${id}`,
  };
}

/** The key names of one queue's fleet state. */
export type FleetKeys = ReturnType<typeof fleetKeys>;
