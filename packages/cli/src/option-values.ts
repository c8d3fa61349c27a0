import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CompletedPartInput, OwnershipInput, SseCustomerInput } from '@partcopy/core';
import type { CommandContext } from './command.js';
import { UsageError } from './usage-error.js';

/**
 * A range as the CLI accepts it: S3's `bytes=a-b`, or the shorthand `a-b`. The facade checks
 * the numbers; this only adds the prefix.
 */
export function normaliseRange(text: string): string {
  const trimmed = text.trim();
  return /^\d+-\d+$/.test(trimmed) ? `bytes=${trimmed}` : trimmed;
}

/**
 * An SSE-C key option: base64 text as S3 takes it, or `fileb://PATH` to read the raw 32-byte key
 * from a file (as aws-cli does), which keeps it out of the process list and shell history.
 */
export async function readSseKey(
  ctx: CommandContext,
  option: string,
): Promise<string | Uint8Array | undefined> {
  const value = ctx.string(option);
  if (value === undefined) return undefined;
  if (!value.startsWith('fileb://')) return value;
  try {
    return new Uint8Array(await readFile(resolve(ctx.io.cwd, value.slice('fileb://'.length))));
  } catch (error) {
    throw new UsageError(
      `--${option}: cannot read the key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      ctx.command,
    );
  }
}

/** `--sse-customer-*` as the facade's fields. */
export async function sseCustomerInput(ctx: CommandContext): Promise<SseCustomerInput> {
  const out: SseCustomerInput = {};
  const algorithm = ctx.string('sse-customer-algorithm');
  const key = await readSseKey(ctx, 'sse-customer-key');
  const md5 = ctx.string('sse-customer-key-md5');
  if (algorithm !== undefined) out.sseCustomerAlgorithm = algorithm;
  if (key !== undefined) out.sseCustomerKey = key;
  if (md5 !== undefined) out.sseCustomerKeyMD5 = md5;
  return out;
}

/** `--request-payer` and `--expected-bucket-owner` as the facade's fields. */
export function ownershipInput(ctx: CommandContext): OwnershipInput {
  const out: OwnershipInput = {};
  const payer = ctx.string('request-payer');
  const owner = ctx.string('expected-bucket-owner');
  if (payer !== undefined) out.requestPayer = payer as 'requester';
  if (owner !== undefined) out.expectedBucketOwner = owner;
  return out;
}

/**
 * `--metadata`: `key=value,key2=value2` (aws-cli's shorthand) or a JSON object; may be repeated.
 */
export function parseMetadata(
  values: string[] | undefined,
  command: string,
): Record<string, string> | undefined {
  if (!values) return undefined;
  const out: Record<string, string> = {};
  for (const value of values) {
    if (value.trim().startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new UsageError('--metadata: not valid JSON', command);
      }
      for (const [name, field] of Object.entries(parsed as Record<string, unknown>))
        out[name] = String(field);
      continue;
    }
    for (const pair of value.split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--metadata: "${pair}" is not key=value`, command);
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
    }
  }
  return out;
}

/**
 * `--parts`: ETags in part order (`"e1","e2"` or `e1,e2`, numbered 1, 2, ...), or explicit
 * `N=ETAG` pairs. May be repeated.
 */
export function parsePartsList(values: string[], command: string): CompletedPartInput[] {
  const parts: CompletedPartInput[] = [];
  for (const value of values) {
    for (const raw of value.split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const numbered = /^(\d+)[=:](.+)$/.exec(item);
      if (numbered) parts.push({ partNumber: Number(numbered[1]), etag: numbered[2] as string });
      else parts.push({ partNumber: parts.length + 1, etag: item });
    }
  }
  if (parts.length === 0) throw new UsageError('--parts: name at least one part ETag', command);
  return parts;
}

/**
 * `--multipart-upload`: S3's JSON shape, inline or from a file (`file://PATH` or a path):
 * `{"Parts":[{"PartNumber":1,"ETag":"..."}]}` as aws-cli writes it, or camelCase
 * `{"parts":[{"partNumber":1,"etag":"..."}]}`. Checksum fields are kept.
 */
export async function readMultipartUpload(ctx: CommandContext, value: string): Promise<CompletedPartInput[]> {
  let text = value.trim();
  if (!text.startsWith('{')) {
    const path = resolve(ctx.io.cwd, text.startsWith('file://') ? text.slice('file://'.length) : text);
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new UsageError(
        `--multipart-upload: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        ctx.command,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--multipart-upload: not valid JSON', ctx.command);
  }
  const body = parsed as { Parts?: unknown; parts?: unknown; MultipartUpload?: unknown };
  const nested = (body.MultipartUpload ?? undefined) as { Parts?: unknown } | undefined;
  const list = body.Parts ?? body.parts ?? nested?.Parts;
  if (!Array.isArray(list))
    throw new UsageError(
      '--multipart-upload: expected {"Parts": [{"PartNumber": 1, "ETag": "..."}]}',
      ctx.command,
    );
  return list.map((item: Record<string, unknown>) => camelPart(item));
}

// aws-cli's JSON is PascalCase (`PartNumber`, `ETag`, `ChecksumCRC32`); the library's is camelCase.
function camelPart(item: Record<string, unknown>): CompletedPartInput {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    const camel = name === 'ETag' ? 'etag' : name.charAt(0).toLowerCase() + name.slice(1);
    out[camel] = value;
  }
  return out as unknown as CompletedPartInput;
}
