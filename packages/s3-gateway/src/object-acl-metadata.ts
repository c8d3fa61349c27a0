/**
 * An object's ACL travels with the object, as one user-metadata entry the gateway reserves
 * ({@link OBJECT_ACL_METADATA}: `x-amz-meta-partcopygw-acl` on S3). Every store keeps user
 * metadata with the object and copies it with it: Azure stores the name escaped (metadata names
 * must be C# identifiers there, see the azure package's metadata-names.ts) and GCS as given (its
 * provider hides only `partcopy-`-prefixed names, which this one is not). The value is base64url
 * of a small JSON document, so any display name is an ASCII header value.
 *
 * The entry is never shown as metadata (HEAD/GET answers), a client cannot set it (its header is
 * dropped from the request's metadata), and CopyObject never carries it over: S3 gives a copy a
 * fresh ACL.
 */
import type { Acl } from './acl-model.js';
import type { StoredGrant } from './bucket-config-document.js';

/** The reserved user-metadata name (lowercase, as metadata names travel). */
export const OBJECT_ACL_METADATA = 'partcopygw-acl';

/** The metadata entry holding an object's ACL. */
export function aclMetadata(acl: Acl): Record<string, string> {
  const document = { owner: acl.owner, grants: acl.grants };
  return { [OBJECT_ACL_METADATA]: Buffer.from(JSON.stringify(document), 'utf8').toString('base64url') };
}

/** The ACL an object's metadata records, or undefined when it records none (or garbage). */
export function aclFromMetadata(metadata: Record<string, string> | undefined): Acl | undefined {
  const value = metadata?.[OBJECT_ACL_METADATA];
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Acl>;
    const owner = parsed.owner;
    if (typeof owner?.id !== 'string' || !Array.isArray(parsed.grants)) return undefined;
    return {
      owner: { id: owner.id, displayName: String(owner.displayName ?? owner.id) },
      grants: parsed.grants.filter(isGrant),
    };
  } catch {
    return undefined;
  }
}

/** The metadata without the reserved entry (what clients see and what a copy starts from). */
export function withoutAclMetadata(
  metadata: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (metadata === undefined || !(OBJECT_ACL_METADATA in metadata)) return metadata;
  const { [OBJECT_ACL_METADATA]: _acl, ...rest } = metadata;
  return rest;
}

function isGrant(value: unknown): value is StoredGrant {
  const g = value as StoredGrant;
  return (
    typeof g === 'object' &&
    g !== null &&
    typeof g.permission === 'string' &&
    (typeof g.id === 'string' || typeof g.uri === 'string')
  );
}
