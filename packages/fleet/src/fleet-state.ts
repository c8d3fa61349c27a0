/**
 * The fleet's shared state in Redis: every worker and every submitter on any machine reads and
 * writes the same session and bulk-copy records, and counters only move through small Lua
 * scripts that count each part (or object) once, however often its job runs.
 */
import type { Redis } from 'ioredis';
import type { FleetKeys } from './fleet-keys.js';
import type {
  BulkRecord,
  BulkReport,
  BulkState,
  FleetProgress,
  FleetSessionRecord,
  FleetSessionState,
} from './fleet-types.js';

// HSETNX makes the first result of a part the one that counts: a re-run (a retry, or a stalled
// job re-delivered after its worker died) copies the same bytes again but is not counted twice.
const RECORD_PART = `
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'bytesDone', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'partsDone', 1)
  redis.call('HINCRBY', KEYS[1], ARGV[4], ARGV[3])
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[5])
  return 1
end
return 0`;

// A state change happens only from the states given, so two machines (a cancel and a failing
// worker, two completions) cannot both win.
// The state and the fields that go with it (an error, an ETag) change in one step, so a reader
// never sees a final state without its reason. ARGV: to, now, n, n from-states, field pairs.
const TRANSITION = `
local current = redis.call('HGET', KEYS[1], 'state')
local n = tonumber(ARGV[3])
for i = 4, 3 + n do
  if current == ARGV[i] then
    redis.call('HSET', KEYS[1], 'state', ARGV[1], 'updatedAt', ARGV[2])
    for j = 4 + n, #ARGV, 2 do
      redis.call('HSET', KEYS[1], ARGV[j], ARGV[j + 1])
    end
    return 1
  end
end
return 0`;

const RECORD_OUTCOME = `
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
  redis.call('HINCRBY', KEYS[1], ARGV[3] .. 'Bytes', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'serverSideBytes', ARGV[5])
  redis.call('HINCRBY', KEYS[1], 'clientBytes', ARGV[6])
  return 1
end
return 0`;

const SESSION_COUNTERS = ['bytesDone', 'partsDone', 'server-side', 'client-streamed'] as const;

/**
 * The fleet's records and counters in Redis, as `FleetClient.state` exposes them: what the
 * client's methods read, for tools that need more (a dashboard, a clean-up of old records).
 */
export class FleetState {
  constructor(
    readonly redis: Redis,
    readonly keys: FleetKeys,
  ) {}

  async createSession(record: FleetSessionRecord): Promise<void> {
    const now = Date.now();
    await this.redis
      .multi()
      .hset(this.keys.session(record.id), {
        record: JSON.stringify(record),
        state: 'running',
        startedAt: now,
        updatedAt: now,
        ...Object.fromEntries(SESSION_COUNTERS.map((c) => [c, 0])),
      })
      .sadd(this.keys.sessions, record.id)
      .exec();
  }

  async session(id: string): Promise<{ record: FleetSessionRecord; state: FleetSessionState } | undefined> {
    const [text, state] = await this.redis.hmget(this.keys.session(id), 'record', 'state');
    if (!text || !state) return undefined;
    return { record: JSON.parse(text) as FleetSessionRecord, state: state as FleetSessionState };
  }

  /** The session and the part's recorded ETag (if any), in one round trip. */
  async sessionAndPart(
    id: string,
    partNumber: number,
  ): Promise<{
    session: { record: FleetSessionRecord; state: FleetSessionState } | undefined;
    etag: string | undefined;
  }> {
    const replies = await this.redis
      .multi()
      .hmget(this.keys.session(id), 'record', 'state')
      .hget(this.keys.parts(id), String(partNumber))
      .exec();
    const [text, state] = (replies?.[0]?.[1] ?? []) as Array<string | null>;
    const etag = (replies?.[1]?.[1] as string | null) ?? undefined;
    if (!text || !state) return { session: undefined, etag };
    return {
      session: { record: JSON.parse(text) as FleetSessionRecord, state: state as FleetSessionState },
      etag,
    };
  }

  /** Counts a part's first result; returns false when the part was already counted. */
  async recordPart(
    id: string,
    partNumber: number,
    etag: string,
    bytes: number,
    transfer: string,
  ): Promise<boolean> {
    const added = await this.redis.eval(
      RECORD_PART,
      2,
      this.keys.session(id),
      this.keys.parts(id),
      String(partNumber),
      etag,
      String(bytes),
      transfer,
      String(Date.now()),
    );
    return added === 1;
  }

  async partEtag(id: string, partNumber: number): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.parts(id), String(partNumber))) ?? undefined;
  }

  async partEtags(id: string): Promise<Map<number, string>> {
    const all = await this.redis.hgetall(this.keys.parts(id));
    return new Map(Object.entries(all).map(([n, etag]) => [Number(n), etag]));
  }

  /** Moves the session (or bulk copy) at `key` to `to` when it is in one of `from`. */
  /** Moves `key` to state `to` if it is in one of `from`, setting `fields` in the same step. */
  async transition(
    key: string,
    to: string,
    from: readonly string[],
    fields: Record<string, string | number> = {},
  ): Promise<boolean> {
    const pairs = Object.entries(fields).flatMap(([name, value]) => [name, String(value)]);
    const args = [to, String(Date.now()), String(from.length), ...from, ...pairs];
    return (await this.redis.eval(TRANSITION, 1, key, ...args)) === 1;
  }

  async setFields(key: string, fields: Record<string, string | number>): Promise<void> {
    await this.redis.hset(key, fields);
  }

  async progress(id: string): Promise<FleetProgress | undefined> {
    const h = await this.redis.hgetall(this.keys.session(id));
    if (!h.record) return undefined;
    const record = JSON.parse(h.record) as FleetSessionRecord;
    const num = (field: string) => Number(h[field] ?? 0);
    const startedAt = num('startedAt');
    const until = h.finishedAt ? num('finishedAt') : Date.now();
    const seconds = Math.max(until - startedAt, 1) / 1000;
    return {
      sessionId: id,
      state: h.state as FleetSessionState,
      source: record.source,
      destination: record.destination,
      totalBytes: record.totalBytes,
      partsCount: record.partsCount,
      bytesDone: num('bytesDone'),
      partsDone: num('partsDone'),
      serverSideBytes: num('server-side'),
      clientBytes: num('client-streamed'),
      bytesPerSecond: num('bytesDone') / seconds,
      startedAt: new Date(startedAt),
      ...(h.finishedAt ? { finishedAt: new Date(num('finishedAt')) } : {}),
      ...(h.error ? { error: h.error } : {}),
      ...(h.etag ? { etag: h.etag } : {}),
    };
  }

  async sessionIds(): Promise<string[]> {
    return this.redis.smembers(this.keys.sessions);
  }

  // ----- bulk copies ---------------------------------------------------------------------------

  async createBulk(record: BulkRecord): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.bulk(record.id), {
        record: JSON.stringify(record),
        state: 'listing',
        listed: 0,
        startedAt: Date.now(),
      })
      .sadd(this.keys.bulks, record.id)
      .exec();
  }

  async bulk(id: string): Promise<{ record: BulkRecord; state: BulkState; paused: boolean } | undefined> {
    const [text, state, paused] = await this.redis.hmget(this.keys.bulk(id), 'record', 'state', 'paused');
    if (!text || !state) return undefined;
    return { record: JSON.parse(text) as BulkRecord, state: state as BulkState, paused: paused === '1' };
  }

  /**
   * Pauses or resumes a bulk copy. A flag beside the state (which says whether the listing
   * ended): the listing goes on while paused, the object jobs wait. False when there is no such
   * bulk copy, or it already had that setting.
   */
  async setBulkPaused(id: string, paused: boolean): Promise<boolean> {
    const key = this.keys.bulk(id);
    if (!(await this.redis.exists(key))) return false;
    return paused
      ? (await this.redis.hsetnx(key, 'paused', '1')) === 1
      : (await this.redis.hdel(key, 'paused')) === 1;
  }

  async addListed(id: string, count: number): Promise<void> {
    await this.redis.hincrby(this.keys.bulk(id), 'listed', count);
  }

  /** Records an object's first outcome; returns false when it already had one. */
  async recordOutcome(
    id: string,
    key: string,
    outcome: 'copied' | 'skipped' | 'failed',
    bytes: number,
    detail?: string,
    moved: { serverSide: number; client: number } = { serverSide: 0, client: 0 },
  ): Promise<boolean> {
    const text = detail ? `${outcome}: ${detail}` : outcome;
    const added = await this.redis.eval(
      RECORD_OUTCOME,
      2,
      this.keys.bulk(id),
      this.keys.outcomes(id),
      key,
      text,
      outcome,
      String(bytes),
      String(moved.serverSide),
      String(moved.client),
    );
    return added === 1;
  }

  async bulkReport(id: string, failuresShown = 100): Promise<BulkReport | undefined> {
    const h = await this.redis.hgetall(this.keys.bulk(id));
    if (!h.record) return undefined;
    const num = (field: string) => Number(h[field] ?? 0);
    const copied = num('copied');
    const skipped = num('skipped');
    const failed = num('failed');
    const listed = num('listed');
    const listingDone = h.state !== 'listing';
    const failures: Array<{ key: string; error: string }> = [];
    if (failed > 0) {
      // HSCAN keeps memory flat on both sides however many objects the bulk copy holds.
      let cursor = '0';
      do {
        const [next, flat] = await this.redis.hscan(this.keys.outcomes(id), cursor, 'COUNT', 1000);
        cursor = next;
        for (let i = 0; i + 1 < flat.length && failures.length < failuresShown; i += 2) {
          const outcome = flat[i + 1] as string;
          if (outcome.startsWith('failed')) {
            failures.push({ key: flat[i] as string, error: outcome.replace(/^failed: ?/, '') });
          }
        }
      } while (cursor !== '0' && failures.length < failuresShown);
    }
    const startedAt = num('startedAt');
    const until = h.finishedAt ? num('finishedAt') : Date.now();
    const done = copied + skipped + failed;
    return {
      bulkId: id,
      state: h.state as BulkState,
      paused: h.paused === '1',
      listed,
      listingDone,
      copied,
      skipped,
      failed,
      done: listingDone && done >= listed,
      copiedBytes: num('copiedBytes'),
      serverSideBytes: num('serverSideBytes'),
      clientBytes: num('clientBytes'),
      skippedBytes: num('skippedBytes'),
      bytesPerSecond: num('copiedBytes') / (Math.max(until - startedAt, 1) / 1000),
      failures,
    };
  }

  async ledger(destination: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.ledger, destination)) ?? undefined;
  }

  async setLedger(destination: string, value: string): Promise<void> {
    await this.redis.hset(this.keys.ledger, destination, value);
  }
}

// The last outcome (or the end of the listing) closes the bulk copy, once.
const FINISH_BULK = `
local h = redis.call('HMGET', KEYS[1], 'state', 'listed', 'copied', 'skipped', 'failed')
if h[1] ~= 'running' then return 0 end
local done = tonumber(h[3] or '0') + tonumber(h[4] or '0') + tonumber(h[5] or '0')
if done >= tonumber(h[2] or '0') then
  redis.call('HSET', KEYS[1], 'state', 'done', 'finishedAt', ARGV[1])
  return 1
end
return 0`;

/** Marks the bulk copy done when the listing ended and every listed object has an outcome. */
export async function finishBulkIfDone(state: FleetState, id: string): Promise<boolean> {
  return (await state.redis.eval(FINISH_BULK, 1, state.keys.bulk(id), String(Date.now()))) === 1;
}
