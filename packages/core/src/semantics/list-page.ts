/** S3's paging of list results, for providers that list from their own storage. */

/** S3's default and largest page for ListObjectsV2, ListParts and ListMultipartUploads. */
export const S3_MAX_PAGE_SIZE = 1000;

/**
 * The first page of `items` (already filtered past the caller's marker and sorted) as S3 pages a
 * listing: `requested` items (`maxKeys`, `maxParts`, `maxUploads`), at most and by default
 * {@link S3_MAX_PAGE_SIZE}. `isTruncated` when more items follow; an empty page (a request for
 * 0 items) is never truncated, so a paging loop ends.
 */
export function takeListPage<T>(
  items: readonly T[],
  requested: number | undefined,
): { page: T[]; isTruncated: boolean } {
  const page = items.slice(0, Math.min(requested ?? S3_MAX_PAGE_SIZE, S3_MAX_PAGE_SIZE));
  return { page, isTruncated: page.length > 0 && items.length > page.length };
}
