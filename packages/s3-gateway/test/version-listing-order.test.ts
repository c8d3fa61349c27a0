/**
 * The order of ListObjectVersions' Version and DeleteMarker elements: the store's own when it
 * gives one, else merged by key, current first, then newest first.
 */
import { describe, expect, it } from 'vitest';
import { versionsInListingOrder } from '../src/version-listing-order.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const version = (key: string, versionId: string, second: number, isLatest = false) => ({
  key,
  versionId,
  isLatest,
  lastModified: at(second),
  etag: '"e"',
  size: 1,
});
const marker = (key: string, versionId: string, second: number, isLatest = false) => ({
  key,
  versionId,
  isLatest,
  lastModified: at(second),
});
const ids = (entries: ReturnType<typeof versionsInListingOrder>) =>
  entries.map((e) => `${e.kind === 'version' ? 'V' : 'M'}:${e.entry.key}:${e.entry.versionId}`);

describe('versionsInListingOrder', () => {
  it("follows the store's order when it gives one, ties in time included", () => {
    const listed = {
      versions: [version('a', 'v2', 5, true), version('a', 'v1', 5)],
      deleteMarkers: [marker('a', 'm1', 5)],
      order: ['version', 'deleteMarker', 'version'] as Array<'version' | 'deleteMarker'>,
    };
    expect(ids(versionsInListingOrder(listed))).toEqual(['V:a:v2', 'M:a:m1', 'V:a:v1']);
  });

  it('without an order, merges by key, the current entry first, then newest first', () => {
    const listed = {
      versions: [version('a', 'v2', 9), version('a', 'v1', 1), version('c', 'v3', 2, true)],
      deleteMarkers: [marker('a', 'm2', 10, true), marker('a', 'm1', 5), marker('b', 'm3', 3, true)],
    };
    expect(ids(versionsInListingOrder(listed))).toEqual([
      'M:a:m2',
      'V:a:v2',
      'M:a:m1',
      'V:a:v1',
      'M:b:m3',
      'V:c:v3',
    ]);
  });

  it('ignores an order that does not add up to the lists', () => {
    const listed = {
      versions: [version('a', 'v1', 1, true)],
      deleteMarkers: [marker('b', 'm1', 1, true)],
      order: ['deleteMarker'] as Array<'version' | 'deleteMarker'>,
    };
    expect(ids(versionsInListingOrder(listed))).toEqual(['V:a:v1', 'M:b:m1']);
  });
});
