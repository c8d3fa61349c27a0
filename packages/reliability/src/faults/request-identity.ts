/**
 * A request's identity for the fault plan: what stays the same when the same copy runs again
 * with the same seed. Upload ids, block ids, generations and tokens change from run to run, so
 * long runs of token characters are folded to `*` in the path and in query values; signatures
 * and dates are left out. The method, the path, the query and the byte ranges stay. Requests
 * that still share an identity (retries of one request) are told apart by their occurrence
 * number (fault-plan.ts).
 */
const VOLATILE_KEYS = new Set(['sig', 'se', 'st', 'sv', 'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'ses']);
const RANGE_HEADERS = ['range', 'x-amz-copy-source-range', 'x-ms-range', 'x-ms-source-range'];
/**
 * Upload ids and staging names in paths: runs of 20+ token characters (not `/`, so paths keep
 * their shape; an account or bucket name stays).
 */
const PATH_TOKEN = /[A-Za-z0-9_=-]{20,}/g;
/** The same in query values, where base64 also brings `+` and `/`. */
const VALUE_TOKEN = /[A-Za-z0-9_=+/-]{16,}/g;

export function requestIdentity(
  method: string,
  url: string,
  headers: Record<string, string | string[] | undefined>,
): string {
  const parsed = new URL(url, 'http://fault.proxy');
  const path = decodeURIComponent(parsed.pathname).replace(PATH_TOKEN, '*');
  const query = [...parsed.searchParams.entries()]
    .filter(([name]) => !VOLATILE_KEYS.has(name) && !name.toLowerCase().startsWith('x-amz-'))
    .map(([name, value]) => `${name}=${value.replace(VALUE_TOKEN, '*')}`)
    .sort()
    .join('&');
  const ranges = RANGE_HEADERS.map((name) => headers[name])
    .filter((value) => value !== undefined)
    .join(',');
  return `${method} ${path}?${query} ${ranges}`;
}
