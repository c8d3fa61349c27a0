import { S3_MAX_PAGE_SIZE, takeListPage } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

describe('takeListPage', () => {
  const items = Array.from({ length: 1500 }, (_, i) => i);

  it('takes the requested number, at most and by default 1000, and says whether more follow', () => {
    expect(S3_MAX_PAGE_SIZE).toBe(1000);
    expect(takeListPage(items, 10)).toEqual({ page: items.slice(0, 10), isTruncated: true });
    expect(takeListPage(items, undefined).page).toHaveLength(1000);
    expect(takeListPage(items, 5000)).toMatchObject({ isTruncated: true });
    expect(takeListPage(items, 5000).page).toHaveLength(1000);
    expect(takeListPage(items.slice(0, 3), 3)).toEqual({ page: [0, 1, 2], isTruncated: false });
    expect(takeListPage([], undefined)).toEqual({ page: [], isTruncated: false });
  });

  it('never calls an empty page truncated, so a paging loop ends', () => {
    expect(takeListPage(items, 0)).toEqual({ page: [], isTruncated: false });
  });
});
