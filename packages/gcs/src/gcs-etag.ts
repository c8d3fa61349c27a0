import { createHash } from 'node:crypto';
import { multipartEtag, quoteEtag, unquoteEtag } from '@partcopy/core/provider';

/** Custom metadata keys starting with this are partcopy's own; they never show in `metadata`. */
export const RESERVED_METADATA_PREFIX = 'partcopy-';
/** The ETag partcopy computed for an object it composed or staged by copy. */
export const ETAG_KEY = `${RESERVED_METADATA_PREFIX}etag`;
/** The CRC32C (base64) of the bytes that ETag describes: binds the recorded ETag to the content. */
export const ETAG_CRC32C_KEY = `${RESERVED_METADATA_PREFIX}etag-crc32c`;

/**
 * The upload a completed object was composed from: lets an abort that raced the completion tell
 * that the completion won (multipart-uploads.ts).
 */
export const UPLOAD_ID_KEY = `${RESERVED_METADATA_PREFIX}upload-id`;

/** What {@link gcsEtag} reads. */
export interface EtagSource {
  generation: string;
  md5Hash?: string;
  crc32c?: string;
  metadata?: Record<string, string>;
  customerEncryption?: unknown;
}

/**
 * The ETag partcopy shows for a GCS object, quoted as S3 returns it. GCS's own `etag` changes
 * with every metadata update and composite objects have no MD5, so partcopy defines its own,
 * in this order:
 *
 * 1. A recorded ETag (`partcopy-etag` metadata, written in the same request that created the
 *    object: compose results and copied parts), used while the object's CRC32C still equals the
 *    recorded one (`partcopy-etag-crc32c`), so a copy of the bytes keeps it and different bytes
 *    never do. A completed multipart upload shows S3's multipart ETag, `"<md5 of part md5s>-N"`.
 * 2. Objects under a customer-supplied key (CSEK): `"gen-<generation>"`. GCS hides md5Hash and
 *    crc32c of such objects from requests without the key (listings never carry it), and S3's
 *    SSE-C ETags are not MD5s either; the generation is visible to everyone and changes with the
 *    bytes.
 * 3. The MD5 (`"<hex md5>"`): S3's ETag for a single-part object.
 * 4. Otherwise (a composite made by another tool): `"<hex crc32c>-g<generation>"`, stable for
 *    the object's bytes and changing when they change.
 *
 * Source conditions (If-Match...) and headObject both use this value.
 */
export function gcsEtag(object: EtagSource): string {
  const recorded = object.metadata?.[ETAG_KEY];
  if (recorded !== undefined) {
    const boundTo = object.metadata?.[ETAG_CRC32C_KEY];
    if (boundTo === undefined || object.crc32c === undefined || boundTo === object.crc32c)
      return quoteEtag(recorded);
  }
  if (object.customerEncryption) return `"gen-${object.generation}"`;
  if (object.md5Hash) return `"${base64ToHex(object.md5Hash)}"`;
  const crc = object.crc32c ? base64ToHex(object.crc32c) : 'none';
  return `"${crc}-g${object.generation}"`;
}

/**
 * The ETag of an object composed from parts: S3's multipart ETag when every part's ETag is an
 * MD5. A part without one (copied from a composite or CSEK source) has no MD5 to contribute, so
 * the result is then an MD5 over the part ETags' text, still `-N` shaped and stable.
 */
export function composedEtag(partEtags: readonly string[]): string {
  if (partEtags.every((etag) => /^[0-9a-f]{32}$/.test(unquoteEtag(etag)))) return multipartEtag(partEtags);
  const hash = createHash('md5');
  for (const etag of partEtags) hash.update(`${unquoteEtag(etag)}\n`);
  return `"${hash.digest('hex')}-${partEtags.length}"`;
}

/** Metadata that records an ETag for an object with this CRC32C (base64, when known). */
export function recordedEtagMetadata(etag: string, crc32c: string | undefined): Record<string, string> {
  const metadata: Record<string, string> = { [ETAG_KEY]: unquoteEtag(etag) };
  if (crc32c !== undefined) metadata[ETAG_CRC32C_KEY] = crc32c;
  return metadata;
}

function base64ToHex(value: string): string {
  return Buffer.from(value, 'base64').toString('hex');
}
