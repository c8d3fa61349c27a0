/**
 * A request's identity for the fault plan: what stays the same when the same copy runs again
 * with the same seed. Upload ids, block ids, generations, signatures and dates change from run
 * to run, so they are left out; the method, the path (long random-looking tokens folded), the
 * query's names, the few query values that name the request's role (part number, `comp`...) and
 * the byte ranges stay. Two concurrent requests with one identity are told apart by their
 * occurrence number (fault-plan.ts); those are the same request to the server anyway.
 */
const KEPT_VALUES = new Set(['partNumber', 'comp', 'restype', 'x-id', 'uploadType', 'alt', 'prefix']);
const RANGE_HEADERS = ['range', 'x-amz-copy-source-range', 'x-ms-range', 'x-ms-source-range'];
/** Upload ids, block ids, generations: long runs of token characters. */
const RANDOM_TOKEN = /[A-Za-z0-9_=-]{16,}/g;

export function requestIdentity(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
): string {
  const parsed = new URL(url, 'http://fault.proxy');
  const path = decodeURIComponent(parsed.pathname).replace(RANDOM_TOKEN, '*');
  const query = [...parsed.searchParams.keys()]
    .sort()
    .map((name) => (KEPT_VALUES.has(name) ? `${name}=${parsed.searchParams.get(name)}` : name))
    .join('&');
  const ranges = RANGE_HEADERS.map((name) => headers[name])
    .filter((value) => value !== undefined)
    .join(',');
  return `${method} ${path}?${query} ${ranges}`;
}
