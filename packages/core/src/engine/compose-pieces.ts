/**
 * Validating and pinning the pieces of a compose: every input is checked before any request,
 * every distinct source is read once (HEAD), and every piece is resolved against that read and
 * pinned to its ETag. A bad range, a missing object or a result over the store's limits fails
 * here, before anything exists at the destination.
 */
import type { PartCopyClient } from '../client/part-copy-client.js';
import { checkBucket, checkKey } from '../client/validate.js';
import type { ObjectInfo } from '../contract/provider-contract.js';
import { PartCopyError } from '../errors/part-copy-error.js';
import { parseByteRange, rangeLength, resolveCopyRange } from '../semantics/byte-range.js';
import type { ComposeDestination, ComposeSource, PinnedPiece } from './compose-types.js';
import { mapWithConcurrency } from './concurrency.js';

/** Syntax checks of the whole request; nothing is sent. */
export function checkComposeInput(destination: ComposeDestination, sources: readonly ComposeSource[]): void {
  if (typeof destination !== 'object' || destination === null)
    throw new PartCopyError('InvalidArgument', 'compose needs a destination { bucket, key }');
  checkBucket(destination.bucket, 'destination.bucket');
  checkKey(destination.key, 'destination.key');
  if (!Array.isArray(sources) || sources.length === 0)
    throw new PartCopyError('InvalidArgument', 'compose needs at least one source piece');
  sources.forEach((source, index) => {
    if (typeof source !== 'object' || source === null)
      throw new PartCopyError('InvalidArgument', `sources[${index}] must be { bucket, key, range? }`);
    checkBucket(source.bucket, `sources[${index}].bucket`);
    checkKey(source.key, `sources[${index}].key`);
    if (source.range !== undefined) parseByteRange(source.range, `sources[${index}].range`);
  });
}

/** The identity HEADed once per compose: bucket, key and version. */
export function sourceIdentity(source: {
  bucket: string;
  key: string;
  versionId?: string | undefined;
}): string {
  return JSON.stringify([source.bucket, source.key, source.versionId ?? null]);
}

/** HEADs every distinct source once (`concurrency` at a time) and pins every piece to what it said. */
export async function pinPieces(
  client: PartCopyClient,
  sources: readonly ComposeSource[],
  concurrency: number,
  signal: AbortSignal | undefined,
): Promise<{ pieces: PinnedPiece[]; heads: Map<string, ObjectInfo> }> {
  const distinct = new Map<string, ComposeSource>();
  for (const source of sources) distinct.set(sourceIdentity(source), source);
  const entries = [...distinct.entries()];
  const infos = await mapWithConcurrency(
    entries,
    concurrency,
    ([, source], _index, inner) =>
      client.headObject({
        bucket: source.bucket,
        key: source.key,
        ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
        abortSignal: inner,
      }),
    signal,
  );
  const heads = new Map(entries.map(([id], index) => [id, infos[index] as ObjectInfo]));
  const pieces = sources.map((source, index) =>
    pinPiece(source, index, heads.get(sourceIdentity(source)) as ObjectInfo),
  );
  return { pieces, heads };
}

function pinPiece(source: ComposeSource, index: number, head: ObjectInfo): PinnedPiece {
  const context = { bucket: source.bucket, key: source.key, operation: 'headObject' as const };
  if (source.ifMatch !== undefined && stripQuotes(source.ifMatch) !== stripQuotes(head.etag)) {
    throw new PartCopyError(
      'PreconditionFailed',
      `sources[${index}] ${source.bucket}/${source.key} has ETag ${head.etag}, not ${source.ifMatch}`,
      context,
    );
  }
  const asked =
    source.range === undefined ? undefined : parseByteRange(source.range, `sources[${index}].range`);
  if (asked !== undefined && head.size === 0) {
    throw new PartCopyError(
      'InvalidArgument',
      `sources[${index}]: range ${asked.start}-${asked.end} of the empty object ${source.bucket}/${source.key}`,
      context,
    );
  }
  let range: PinnedPiece['range'];
  try {
    range = resolveCopyRange(asked, head.size, context);
  } catch (error) {
    throw new PartCopyError(
      'InvalidArgument',
      `sources[${index}]: range ${asked?.start}-${asked?.end} runs past the end of ${source.bucket}/${source.key} (${head.size} bytes)`,
      { ...context, cause: error },
    );
  }
  const size = range === undefined ? 0 : rangeLength(range);
  return {
    index,
    bucket: source.bucket,
    key: source.key,
    ...(source.versionId === undefined ? {} : { versionId: source.versionId }),
    etag: head.etag,
    sourceSize: head.size,
    range,
    size,
    whole: size === head.size,
  };
}

/** The result must fit the destination store. */
export function checkResultSize(client: PartCopyClient, bucket: string, total: number): void {
  const { maxObjectSize } = client.capabilitiesFor(bucket);
  if (total <= maxObjectSize) return;
  throw new PartCopyError(
    'EntityTooLarge',
    `the composed object would be ${total} bytes; ${client.provider.name} allows at most ${maxObjectSize}`,
    { provider: client.provider.name, bucket },
  );
}

function stripQuotes(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}
