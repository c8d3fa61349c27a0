import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';

// Every piece of state lives in the database file, so any process that opens the same file can
// list, complete or abort an upload it did not start.
const SCHEMA = `
  PRAGMA journal_mode = WAL;
  PRAGMA busy_timeout = 5000;
  CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, created INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS objects (
    bucket TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, etag TEXT NOT NULL,
    size INTEGER NOT NULL, modified INTEGER NOT NULL, settings TEXT NOT NULL, parts INTEGER,
    PRIMARY KEY (bucket, key));
  CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, initiated INTEGER NOT NULL,
    settings TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS parts (
    upload_id TEXT NOT NULL, part_number INTEGER NOT NULL, data BLOB NOT NULL, etag TEXT NOT NULL,
    size INTEGER NOT NULL, modified INTEGER NOT NULL, PRIMARY KEY (upload_id, part_number));
`;

/** Opens (and if needed creates) a store. `md5hex()` lets SQL compute part ETags in place. */
export function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec(SCHEMA);
  db.function('md5hex', { deterministic: true }, (data: unknown) =>
    createHash('md5')
      .update(data as Uint8Array)
      .digest('hex'),
  );
  return db;
}

/** Runs `work` in one write transaction: all of it happens, or none. */
export function transaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
