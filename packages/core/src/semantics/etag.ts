import { createHash } from 'node:crypto';

/** Strips quotes and a weak `W/` prefix: `W/"abc"` and `"abc"` and `abc` all give `abc`. */
export function unquoteEtag(etag: string): string {
  let value = etag.trim();
  if (value.startsWith('W/')) value = value.slice(2);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return value;
}

/** The quoted form S3 returns: `"abc"`. */
export function quoteEtag(etag: string): string {
  return `"${unquoteEtag(etag)}"`;
}

/** Same ETag, ignoring quotes and weakness? `*` matches any ETag. */
export function etagMatches(candidate: string, actual: string): boolean {
  const want = unquoteEtag(candidate);
  return want === '*' || want === unquoteEtag(actual);
}

/** Quoted hex MD5 of some bytes: the ETag S3 gives an unencrypted single-part object or part. */
export function md5Etag(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

/**
 * S3's multipart ETag: hex MD5 of the concatenated binary MD5s of the parts, then `-N`.
 * Takes each part's ETag (quoted or not, hex MD5).
 */
export function multipartEtag(partEtags: readonly string[]): string {
  const hash = createHash('md5');
  for (const etag of partEtags) hash.update(Buffer.from(unquoteEtag(etag), 'hex'));
  return `"${hash.digest('hex')}-${partEtags.length}"`;
}
