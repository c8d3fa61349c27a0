/**
 * What a request addresses: the bucket and key from path-style (`/bucket/key`) or virtual-host
 * (`bucket.s3.example.com/key`) addressing, and the query parameters as S3 reads them.
 */
import { GatewayError } from './gateway-error.js';

export interface RequestTarget {
  bucket?: string;
  key?: string;
  /** Query parameters, decoded (`+` stays `+`: S3 clients encode a space as `%20`). */
  query: Map<string, string>;
  /** The path as sent, still encoded (what a signature covers). */
  rawPath: string;
  /** The `Resource` an error document names. */
  resource: string;
  /** Whether the bucket came from the Host header (virtual-host addressing). */
  virtualHost?: true;
}

/**
 * Splits a request URL. `virtualHostSuffixes` are the host names under which the first label is
 * a bucket (`bucket.s3.localhost` with suffix `s3.localhost`); any other host is path-style.
 */
export function parseRequestTarget(
  url: string,
  host: string | undefined,
  virtualHostSuffixes: readonly string[],
): RequestTarget {
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
  const path = decodePath(rawPath);
  const hostBucket = bucketFromHost(host, virtualHostSuffixes);
  if (hostBucket !== undefined) {
    const key = path.slice(1);
    return {
      bucket: hostBucket,
      ...(key === '' ? {} : { key }),
      query,
      rawPath,
      resource: path,
      virtualHost: true,
    };
  }
  const rest = path.slice(1);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const key = slash === -1 ? '' : rest.slice(slash + 1);
  return {
    ...(bucket === '' ? {} : { bucket }),
    ...(key === '' ? {} : { key }),
    query,
    rawPath,
    resource: path,
  };
}

function bucketFromHost(host: string | undefined, suffixes: readonly string[]): string | undefined {
  if (host === undefined) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  for (const suffix of suffixes) {
    const tail = `.${suffix.toLowerCase()}`;
    if (name.endsWith(tail) && name.length > tail.length) return name.slice(0, -tail.length);
  }
  return undefined;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw new GatewayError('InvalidRequest', 'The request path is not valid percent-encoded UTF-8.');
  }
}

/** Query parameters in order of appearance; the first value of a repeated name wins. */
export function parseQuery(text: string): Map<string, string> {
  const query = new Map<string, string>();
  if (text === '') return query;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeComponent(equals === -1 ? pair : pair.slice(0, equals));
    const value = equals === -1 ? '' : decodeComponent(pair.slice(equals + 1));
    if (!query.has(name)) query.set(name, value);
  }
  return query;
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new GatewayError('InvalidArgument', 'A query parameter is not valid percent-encoded UTF-8.');
  }
}
