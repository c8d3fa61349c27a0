/**
 * A bucket's public access block (S3 PutPublicAccessBlock, GetPublicAccessBlock,
 * DeletePublicAccessBlock, `?publicAccessBlock`), kept in the bucket's gateway configuration
 * document (field `publicAccessBlock`), and what it means for ACLs:
 * - `BlockPublicAcls`: a request that would set a public ACL (a canned ACL or grant to AllUsers or
 *   AuthenticatedUsers) is refused with 403 AccessDenied;
 * - `IgnorePublicAcls`: public grants already stored give nobody access.
 * `BlockPublicPolicy` and `RestrictPublicBuckets` are kept and answered back; the gateway keeps no
 * bucket policies (PutBucketPolicy is NotImplemented), so there is no public policy to block.
 */
import type { BucketConfig } from './bucket-config-document.js';
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import type { Route } from './operation-routes.js';
import { readSmallBody } from './small-body.js';
import { malformedXml, parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

const FIELDS = [
  ['BlockPublicAcls', 'blockPublicAcls'],
  ['IgnorePublicAcls', 'ignorePublicAcls'],
  ['BlockPublicPolicy', 'blockPublicPolicy'],
  ['RestrictPublicBuckets', 'restrictPublicBuckets'],
] as const;

/** The group grantees whose grants make an ACL public, as S3 counts them. */
export const PUBLIC_GROUPS: readonly string[] = [
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
];

/** Canned ACLs that grant something to a public group. */
export const PUBLIC_CANNED_ACLS: readonly string[] = [
  'public-read',
  'public-read-write',
  'authenticated-read',
];

/** The route of a `?publicAccessBlock` request on a bucket, or undefined for any other request. */
export function publicAccessBlockRoute(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
): Route | undefined {
  if (bucket === undefined || key !== undefined || !query.has('publicAccessBlock')) return undefined;
  if (method === 'PUT') return { operation: 'PutPublicAccessBlock', handle: putPublicAccessBlock };
  if (method === 'GET') return { operation: 'GetPublicAccessBlock', handle: getPublicAccessBlock };
  if (method === 'DELETE') return { operation: 'DeletePublicAccessBlock', handle: deletePublicAccessBlock };
  return undefined;
}

/** The block a bucket's document holds, or undefined (nothing blocked). */
export function publicAccessBlockOf(config: BucketConfig | undefined): PublicAccessBlock | undefined {
  const stored = config?.publicAccessBlock;
  if (stored === null || typeof stored !== 'object') return undefined;
  const fields = stored as Record<string, unknown>;
  return {
    blockPublicAcls: fields.blockPublicAcls === true,
    ignorePublicAcls: fields.ignorePublicAcls === true,
    blockPublicPolicy: fields.blockPublicPolicy === true,
    restrictPublicBuckets: fields.restrictPublicBuckets === true,
  };
}

/**
 * Refuses a request that would set a public ACL on a bucket whose block says `BlockPublicAcls`
 * (S3 answers 403 AccessDenied). `publicAcl` says whether the ACL the request sets is public.
 */
export function checkPublicAclAllowed(config: BucketConfig | undefined, publicAcl: boolean): void {
  if (publicAcl && publicAccessBlockOf(config)?.blockPublicAcls === true) {
    throw new GatewayError(
      'AccessDenied',
      'Access Denied: the bucket’s public access block (BlockPublicAcls) refuses public ACLs.',
    );
  }
}

/** Whether the bucket's block says public grants give nobody access (`IgnorePublicAcls`). */
export function ignoresPublicAcls(config: BucketConfig | undefined): boolean {
  return publicAccessBlockOf(config)?.ignorePublicAcls === true;
}

async function putPublicAccessBlock(request: GatewayRequest): Promise<void> {
  const document = parseXmlBody(await readSmallBody(request, 64 * 1024), 'PublicAccessBlockConfiguration');
  const block = parsePublicAccessBlock(document);
  await request.options.bucketConfigs.set(bucketOf(request), 'publicAccessBlock', block, request.signal);
  sendEmpty(request);
}

async function getPublicAccessBlock(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  const stored = await request.options.bucketConfigs.read(bucket, request.signal);
  const block = publicAccessBlockOf(stored?.config);
  if (block === undefined) {
    throw new GatewayError(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
      { BucketName: bucket },
    );
  }
  sendXml(
    request,
    'PublicAccessBlockConfiguration',
    Object.fromEntries(FIELDS.map(([element, field]) => [element, String(block[field])])),
  );
}

async function deletePublicAccessBlock(request: GatewayRequest): Promise<void> {
  await request.options.bucketConfigs.unset(bucketOf(request), 'publicAccessBlock', request.signal);
  sendEmpty(request, 204);
}

/** A parsed `PublicAccessBlockConfiguration`: each element optional (absent is false), any value but true/false MalformedXML, as S3. */
export function parsePublicAccessBlock(document: Record<string, unknown>): PublicAccessBlock {
  const block = {} as Record<(typeof FIELDS)[number][1], boolean>;
  for (const [element, field] of FIELDS) {
    const value = document[element];
    if (value === undefined) block[field] = false;
    else if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
      block[field] = value.trim().toLowerCase() === 'true';
    else {
      throw malformedXml();
    }
  }
  return block;
}
