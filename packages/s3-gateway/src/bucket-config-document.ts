/**
 * The gateway's configuration of one bucket, kept in the store itself so that every gateway
 * instance over the same store sees the same thing (the gateway keeps no state of its own).
 *
 * It is one JSON object at the reserved key {@link BUCKET_CONFIG_KEY} (`.partcopy-gateway/bucket.json`)
 * inside the bucket. Keys under {@link RESERVED_PREFIX} belong to the gateway: they are refused as
 * client keys, hidden from every listing, and removed by DeleteBucket (a bucket holding only them
 * is empty). The stores' own reserved prefix (`.partcopy/`, Azure and GCS staging) is a different
 * one, so the document is an ordinary object to every store.
 *
 * Updates are read-modify-write with a conditional put (`If-None-Match: *` for the first write,
 * `If-Match: <etag>` after), retried when another gateway won the race, so concurrent updates of
 * different settings are never lost. Fields this version of the gateway does not know are kept
 * as they are on every rewrite (room for public access block, CORS, tags...).
 */
import { type PartCopyClient, PartCopyError } from '@partcopy/core';
import { GatewayError } from './gateway-error.js';

/** Every key under this prefix is the gateway's, never a client's. */
export const RESERVED_PREFIX = '.partcopy-gateway/';
/** Where a bucket's configuration document lives. */
export const BUCKET_CONFIG_KEY = `${RESERVED_PREFIX}bucket.json`;

/** S3's Object Ownership settings: ACLs are disabled only under BucketOwnerEnforced. */
export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export const OBJECT_OWNERSHIPS: readonly ObjectOwnership[] = [
  'BucketOwnerEnforced',
  'BucketOwnerPreferred',
  'ObjectWriter',
];

/** A canonical user: S3's owner / grantee by id. */
export interface CanonicalUser {
  id: string;
  displayName: string;
}

/** One ACL grant as stored: to a canonical user id or to a group URI. */
export interface StoredGrant {
  /** A canonical user id (grants by e-mail are resolved to ids before they are stored). */
  id?: string;
  /** A group: `http://acs.amazonaws.com/groups/global/AllUsers` or `.../AuthenticatedUsers`. */
  uri?: string;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

/** The document. Every field is optional: an absent one means the gateway's default. */
export interface BucketConfig {
  /** Format version of the document; this gateway writes 1. */
  version?: 1;
  /** Who created the bucket through the gateway. */
  owner?: CanonicalUser;
  objectOwnership?: ObjectOwnership;
  /** The bucket's ACL (the owner's own FULL_CONTROL grant included, as S3 shows it). */
  acl?: StoredGrant[];
  /** Settings other gateway features (or newer gateways) keep here. */
  [setting: string]: unknown;
}

/** The document as read, with the ETag a conditional rewrite names. */
export interface StoredBucketConfig {
  config: BucketConfig;
  etag: string;
}

/** Attempts of a read-modify-write before giving up on a busy document. */
const MAX_ATTEMPTS = 10;

/** Whether a key is the gateway's own (refused to clients, hidden from listings). */
export function isReservedKey(key: string): boolean {
  return key.startsWith(RESERVED_PREFIX);
}

/** Refuses a client request that names a reserved key. */
export function refuseReservedKey(key: string | undefined): void {
  if (key !== undefined && isReservedKey(key)) {
    throw new GatewayError(
      'AccessDenied',
      `Keys under "${RESERVED_PREFIX}" are reserved by the gateway for its bucket configuration.`,
    );
  }
}

/** The bucket's document, or undefined when it has none. NoSuchBucket when the bucket is missing. */
export async function readBucketConfig(
  client: PartCopyClient,
  bucket: string,
  signal?: AbortSignal,
): Promise<StoredBucketConfig | undefined> {
  try {
    const got = await client.getObject({
      bucket,
      key: BUCKET_CONFIG_KEY,
      ...(signal === undefined ? {} : { abortSignal: signal }),
    });
    return { config: parseConfig(await got.body.text(), bucket), etag: got.etag };
  } catch (error) {
    if (PartCopyError.hasCode(error, 'NoSuchKey')) return undefined;
    throw error;
  }
}

/**
 * Writes a new bucket's document; fails with PreconditionFailed (or the store's conflict code)
 * when the bucket already has one.
 */
export async function createBucketConfig(
  client: PartCopyClient,
  bucket: string,
  config: BucketConfig,
  signal?: AbortSignal,
): Promise<void> {
  await writeConfig(client, bucket, config, { ifNoneMatch: '*' }, signal);
}

/**
 * Changes the document: `change` gets the current one (undefined when there is none) and answers
 * the new one, or undefined to leave it as it is. Retried from a fresh read when another writer
 * changed it meanwhile. Answers the document now stored (undefined: none and none written).
 */
export async function updateBucketConfig(
  client: PartCopyClient,
  bucket: string,
  change: (current: BucketConfig | undefined) => BucketConfig | undefined,
  signal?: AbortSignal,
): Promise<BucketConfig | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await readBucketConfig(client, bucket, signal);
    const next = change(current === undefined ? undefined : structuredClone(current.config));
    if (next === undefined) return current?.config;
    // Nothing changes: no write, so many writers setting the same value do not contend.
    if (current !== undefined && sameDocument(next, current.config)) return current.config;
    try {
      await writeConfig(
        client,
        bucket,
        next,
        current === undefined ? { ifNoneMatch: '*' } : { ifMatch: current.etag },
        signal,
      );
      return next;
    } catch (error) {
      if (!lostRace(error) || attempt >= MAX_ATTEMPTS) throw error;
      await backOff(attempt);
    }
  }
}

function sameDocument(a: BucketConfig, b: BucketConfig): boolean {
  return JSON.stringify({ ...a, version: 1 }) === JSON.stringify({ ...b, version: 1 });
}

// Writers that lost a race spread out before reading again (a few ms, growing, jittered).
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * 5 * 2 ** Math.min(attempt, 6);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Removes the document (every version of it, in a versioned bucket) so the bucket can be deleted.
 * Nothing to remove is no error.
 */
export async function deleteBucketConfig(
  client: PartCopyClient,
  bucket: string,
  signal?: AbortSignal,
): Promise<void> {
  const abort = signal === undefined ? {} : { abortSignal: signal };
  if (client.capabilitiesFor(bucket).listObjectVersions) {
    const listed = await client.listObjectVersions({
      bucket,
      prefix: RESERVED_PREFIX,
      maxKeys: 1000,
      ...abort,
    });
    const versions = [...listed.versions, ...listed.deleteMarkers].filter((v) => isReservedKey(v.key));
    for (const version of versions) {
      await ignoreMissing(
        client.deleteObject({ bucket, key: version.key, versionId: version.versionId, ...abort }),
      );
    }
    if (versions.length > 0) return;
  }
  await ignoreMissing(client.deleteObject({ bucket, key: BUCKET_CONFIG_KEY, ...abort }));
}

/**
 * Whether the bucket holds nothing but the gateway's documents (objects, versions and delete
 * markers alike): then DeleteBucket removes them and deletes the bucket, as S3 deletes an empty one.
 */
export async function holdsOnlyReservedKeys(
  client: PartCopyClient,
  bucket: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const abort = signal === undefined ? {} : { abortSignal: signal };
  const listed = await client.listObjects({ bucket, maxKeys: 1000, ...abort });
  if (listed.isTruncated || !listed.objects.every((o) => isReservedKey(o.key))) return false;
  if (!client.capabilitiesFor(bucket).listObjectVersions) return true;
  const versions = await client.listObjectVersions({ bucket, maxKeys: 1000, ...abort });
  return (
    !versions.isTruncated &&
    [...versions.versions, ...versions.deleteMarkers].every((v) => isReservedKey(v.key))
  );
}

async function writeConfig(
  client: PartCopyClient,
  bucket: string,
  config: BucketConfig,
  condition: { ifMatch: string } | { ifNoneMatch: '*' },
  signal: AbortSignal | undefined,
): Promise<void> {
  await client.putObject({
    bucket,
    key: BUCKET_CONFIG_KEY,
    body: JSON.stringify({ ...config, version: 1 }),
    contentType: 'application/json',
    ...condition,
    ...(signal === undefined ? {} : { abortSignal: signal }),
  });
}

function parseConfig(text: string, bucket: string): BucketConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GatewayError(
      'InternalError',
      `The gateway configuration of bucket "${bucket}" (${BUCKET_CONFIG_KEY}) is not a JSON object.`,
    );
  }
  return parsed as BucketConfig;
}

// Another writer got there first: the conditional put failed.
function lostRace(error: unknown): boolean {
  return (
    PartCopyError.hasCode(error, 'PreconditionFailed') ||
    PartCopyError.hasCode(error, 'ConditionalRequestConflict')
  );
}

async function ignoreMissing(deleting: Promise<unknown>): Promise<void> {
  try {
    await deleting;
  } catch (error) {
    if (!PartCopyError.hasCode(error, 'NoSuchKey') && !PartCopyError.hasCode(error, 'NoSuchVersion'))
      throw error;
  }
}
