/**
 * `startServers({ emulatorData: 'disk' })`: Azurite and fake-gcs-server keep the objects in the
 * run folder instead of RAM (the benchmark's 1 GiB transfers filled the machine's memory), and
 * serve them as before. Starts its own pair of servers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerSet, startServers, stopServers } from '../src/index.ts';

/** Bytes of every file under `dir`. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  return total;
}

describe("emulatorData 'disk'", () => {
  let set: ServerSet;
  beforeAll(async () => {
    set = await startServers({ servers: ['azurite', 'gcs'], emulatorData: 'disk', log: () => {} });
  }, 60_000);
  afterAll(async () => {
    if (set) await stopServers(set);
  });

  const payload = randomBytes(3 * 1024 * 1024);
  const folderOf = (name: string) => join(set.runDir, name);

  it('Azurite writes blobs into its folder and reads them back', async () => {
    const before = bytesUnder(folderOf('azurite'));
    const service = BlobServiceClient.fromConnectionString(
      set.env.PARTCOPY_AZURITE_CONNECTION_STRING as string,
    );
    const container = service.getContainerClient(`disk-${randomUUID().slice(0, 8)}`);
    await container.create();
    await container.getBlockBlobClient('a').uploadData(payload);
    const got = await container.getBlockBlobClient('a').downloadToBuffer();
    expect(got.equals(payload)).toBe(true);
    expect(bytesUnder(folderOf('azurite')) - before).toBeGreaterThanOrEqual(payload.length);
  });

  it('fake-gcs-server writes objects into its folder and composes them', async () => {
    const before = bytesUnder(folderOf('gcs'));
    const storage = new Storage({
      apiEndpoint: set.env.PARTCOPY_GCS_ENDPOINT,
      projectId: set.env.PARTCOPY_GCS_PROJECT,
    });
    const [bucket] = await storage.createBucket(`disk-${randomUUID().slice(0, 8)}`);
    await bucket.file('a').save(payload, { resumable: false });
    await bucket.combine([bucket.file('a'), bucket.file('a')], bucket.file('aa'));
    const [got] = await bucket.file('aa').download();
    expect(got.equals(Buffer.concat([payload, payload]))).toBe(true);
    expect(bytesUnder(folderOf('gcs')) - before).toBeGreaterThanOrEqual(3 * payload.length);
  });
});
