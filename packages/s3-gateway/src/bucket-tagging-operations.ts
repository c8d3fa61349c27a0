/**
 * Bucket tags (S3 PutBucketTagging, GetBucketTagging, DeleteBucketTagging, `?tagging` on a bucket),
 * kept in the bucket's gateway configuration document (field `tags`, in the order given) on every
 * store: the store contract has no bucket tags. Validated as S3 validates a tag set: at most 50
 * tags, keys of 1 to 128 characters and values of at most 256, no key twice, none under the
 * reserved `aws:` prefix (InvalidTag).
 */
import { GatewayError } from './gateway-error.js';
import { bucketOf, type GatewayRequest } from './gateway-request.js';
import { readSmallBody } from './small-body.js';
import { malformedXml, parseXmlBody } from './xml-codec.js';
import { sendEmpty, sendXml } from './xml-response.js';

/** One tag as the document keeps it. */
export interface BucketTag {
  key: string;
  value: string;
}

const MAX_TAGS = 50;

export async function getBucketTagging(request: GatewayRequest): Promise<void> {
  const bucket = bucketOf(request);
  const stored = await request.options.bucketConfigs.read(bucket, request.signal);
  const tags = stored?.config.tags;
  if (!Array.isArray(tags) || tags.length === 0) {
    throw new GatewayError('NoSuchTagSet', 'The TagSet does not exist', { BucketName: bucket });
  }
  sendXml(request, 'Tagging', {
    TagSet: { Tag: (tags as BucketTag[]).map((tag) => ({ Key: tag.key, Value: tag.value })) },
  });
}

export async function putBucketTagging(request: GatewayRequest): Promise<void> {
  const tags = parseTagSet(parseXmlBody(await readSmallBody(request, 64 * 1024), 'Tagging'));
  await request.options.bucketConfigs.set(bucketOf(request), 'tags', tags, request.signal);
  sendEmpty(request, 204);
}

export async function deleteBucketTagging(request: GatewayRequest): Promise<void> {
  await request.options.bucketConfigs.unset(bucketOf(request), 'tags', request.signal);
  sendEmpty(request, 204);
}

/** The tags of a `<Tagging><TagSet><Tag><Key/><Value/></Tag>…` document, validated as S3 does. */
export function parseTagSet(document: Record<string, unknown>): BucketTag[] {
  const set = document.TagSet;
  if (set === undefined || (set !== '' && (set === null || typeof set !== 'object'))) throw malformedXml();
  const entries = set === '' ? [] : [(set as Record<string, unknown>).Tag ?? []].flat();
  const tags = entries.map((entry) => {
    const { Key: key, Value: value = '' } = (entry ?? {}) as Record<string, unknown>;
    if (typeof key !== 'string' || typeof value !== 'string') throw malformedXml();
    return { key, value };
  });
  if (tags.length > MAX_TAGS) throw invalidTag(`A bucket can have at most ${MAX_TAGS} tags.`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key.length === 0 || key.length > 128) throw invalidTag('The TagKey you have provided is invalid');
    if (value.length > 256) throw invalidTag('The TagValue you have provided is invalid');
    if (key.startsWith('aws:')) throw invalidTag('System tags cannot be added/updated by requester');
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
  return tags;
}

function invalidTag(message: string): GatewayError {
  return new GatewayError('InvalidTag', message);
}
