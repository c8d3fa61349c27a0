// The engine's collectGarbage on fake-gcs-server: staging objects of an upload whose manifest is
// gone (a clean-up that died half-way) are collected through the provider's collectStoreGarbage
// hook when older than the age, and so is a manifest that names no readable upload and what a
// compose left in its compose folder; a live upload's staging (kept by its session) is never touched;
// a dry run removes nothing. Ages are measured from a `now` the test chooses.
import { collectGarbage, MemorySessionStore, PartCopyClient } from '@partcopy/core';
import { describe, expect, it } from 'vitest';
import { GcsObjectStore } from '../src/gcs-object-store.js';
import { singleChunk } from '../src/gcs-upload-body.js';
import { ctx, newBucket, serverProvider } from './support/gcs-server.js';

const HOUR = 3_600_000;

describe('collectGarbage on GCS', () => {
  it('removes staging objects no upload names, keeps a live upload and its parts', async () => {
    const provider = serverProvider();
    const client = new PartCopyClient(provider);
    const bucket = await newBucket(provider);
    const staged = async () => {
      const all = await provider.native.api.json<{ items?: Array<{ name: string }> }>(
        'GET',
        `/b/${bucket}/o`,
        {
          query: { prefix: provider.names.prefix },
          signal: new AbortController().signal,
        },
      );
      return (all.items ?? []).map((item) => item.name).sort();
    };

    // An upload whose manifest was deleted before its part: the part is an orphan.
    const orphaned = await client.createMultipartUpload({ bucket, key: 'orphaned' });
    await client.uploadPart({ ...orphaned, partNumber: 1, body: new Uint8Array(700) });
    await provider.native.api.json(
      'DELETE',
      `/b/${bucket}/o/${encodeURIComponent(provider.names.manifest(orphaned.uploadId))}`,
      { signal: new AbortController().signal },
    );
    expect((await client.listMultipartUploads({ bucket })).uploads).toEqual([]);
    const orphanPart = provider.names.part(orphaned.uploadId, 1);

    // A manifest without the metadata that makes it an upload (not listed, never abortable).
    const bogus = provider.names.manifest('ZZZZZZZZZZZZZZZZZZZZZZZZ');
    const store = new GcsObjectStore(provider.native.api, 4);
    await store.insert(bucket, new AbortController().signal, {
      resource: { name: bogus, contentType: 'application/json' },
      chunks: singleChunk(new Uint8Array(5)),
      length: 5,
    });

    // What a compose session aborted (or a crashed compose) left in its compose folder.
    const composeLeftover = `${provider.names.prefix}compose/rAbandoned/piece-000001`;
    await store.insert(bucket, new AbortController().signal, {
      resource: { name: composeLeftover, contentType: 'application/octet-stream' },
      chunks: singleChunk(new Uint8Array(9)),
      length: 9,
    });

    // A live upload with a part, named by a session.
    const live = await client.createMultipartUpload({ bucket, key: 'live' });
    await client.uploadPart({ ...live, partNumber: 1, body: new Uint8Array(300) });
    const sessions = new MemorySessionStore();
    await sessions.write(
      's1',
      JSON.stringify({ destination: { bucket, key: 'live' }, uploadId: live.uploadId }),
    );
    const before = await staged();
    expect(before).toContain(orphanPart);

    const later = new Date(Date.now() + 24 * HOUR);
    const young = await collectGarbage({ client, buckets: [bucket], olderThanMs: HOUR, sessions });
    expect(young.items.filter((i) => i.kind !== 'upload')).toEqual([]);

    const dry = await collectGarbage({
      client,
      buckets: [bucket],
      olderThanMs: HOUR,
      now: later,
      sessions,
      dryRun: true,
    });
    expect(dry.items.map((i) => [i.kind, i.name, i.action, i.bytes])).toEqual([
      ['upload', 'live', 'kept', undefined],
      ['compose-staging', composeLeftover, 'would-remove', 9],
      ['unreadable-manifest', bogus, 'would-remove', 5],
      ['staging-object', orphanPart, 'would-remove', 700],
    ]);
    expect(await staged()).toEqual(before);

    const report = await collectGarbage({
      client,
      buckets: [bucket],
      olderThanMs: HOUR,
      now: later,
      sessions,
    });
    expect(report.items.map((i) => [i.kind, i.action])).toEqual([
      ['upload', 'kept'],
      ['compose-staging', 'removed'],
      ['unreadable-manifest', 'removed'],
      ['staging-object', 'removed'],
    ]);
    expect(report.bytesRemoved).toBe(714);
    expect(await staged()).toEqual(
      before.filter((name) => name !== orphanPart && name !== bogus && name !== composeLeftover),
    );
    const parts = await client.listParts(live);
    expect(parts.parts.map((p) => p.size)).toEqual([300]);

    // Without the session, the live upload is just an old upload: aborted, staging and all.
    const unprotected = await collectGarbage({ client, buckets: [bucket], olderThanMs: HOUR, now: later });
    expect(unprotected.items.map((i) => [i.kind, i.name, i.action, i.bytes])).toEqual([
      ['upload', 'live', 'removed', 300],
    ]);
    expect(await staged()).toEqual([]);
    await provider.deleteBucket({ bucket }, ctx());
  });
});
