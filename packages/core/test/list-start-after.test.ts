import { PartCopyClient } from '@partcopy/core';
import { recordingProvider } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

// A store of keys a..f listed two a page; the token is the last key of the page.
const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];
function pagedStore(native: boolean) {
  return recordingProvider({ listStartAfter: native }, (method, request) => {
    if (method !== 'listObjects') return {};
    const r = request as { continuationToken?: string; startAfter?: string };
    const from = r.continuationToken ?? r.startAfter;
    const rest = KEYS.filter((key) => from === undefined || key > from);
    const page = rest.slice(0, 2);
    const objects = page.map((key) => ({ key, size: 1, etag: '"e"', lastModified: new Date(0) }));
    return rest.length > 2
      ? { objects, isTruncated: true, nextContinuationToken: page.at(-1) }
      : { objects, isTruncated: false };
  });
}

describe('listObjects startAfter', () => {
  it('passes startAfter to a provider that starts listings there (listStartAfter)', async () => {
    const provider = pagedStore(true);
    const page = await new PartCopyClient(provider).listObjects({ bucket: 'bkt', startAfter: 'c' });
    expect(page.objects.map((o) => o.key)).toEqual(['d', 'e']);
    expect(page.nextContinuationToken).toBe('e');
    expect(provider.calls.map((c) => c.request)).toEqual([{ bucket: 'bkt', startAfter: 'c' }]);
  });

  it('pages from the start and drops earlier keys for a provider that cannot, with the same answer', async () => {
    const provider = pagedStore(false);
    const client = new PartCopyClient(provider);
    const page = await client.listObjects({ bucket: 'bkt', startAfter: 'c' });
    expect(page.objects.map((o) => o.key)).toEqual(['d']);
    expect(page.nextContinuationToken).toBe('d');
    // The provider never saw startAfter: it was asked for pages from the start.
    expect(provider.calls.map((c) => c.request)).toEqual([
      { bucket: 'bkt' },
      { bucket: 'bkt', continuationToken: 'b' },
    ]);
    const next = await client.listObjects({ bucket: 'bkt', continuationToken: page.nextContinuationToken });
    expect(next.objects.map((o) => o.key)).toEqual(['e', 'f']);
    const past = await client.listObjects({ bucket: 'bkt', startAfter: 'f' });
    expect(past).toEqual({ objects: [], isTruncated: false });
  });

  it('refuses a startAfter that is not a string, as every field', async () => {
    const client = new PartCopyClient(pagedStore(true));
    await expect(
      client.listObjects({ bucket: 'bkt', startAfter: 5 as unknown as string }),
    ).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
  });
});
