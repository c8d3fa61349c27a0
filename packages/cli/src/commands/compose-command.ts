import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ComposeObjectResult,
  type ComposePlanSummary,
  type ComposeSource,
  composeObject,
  PartCopyError,
} from '@partcopy/core';
import type { CommandContext, CommandSpec } from '../command.js';
import { SESSION_DIR_OPTION, sessionStore, storeLabel } from '../session-folder.js';
import { formatBytes, parsePositiveInteger, parseSize } from '../sizes.js';
import { parseObjectRef } from '../stores.js';
import { UsageError } from '../usage-error.js';

/** `URL[a-b]` or `URL[bytes=a-b]`: a piece with a range. */
const RANGE_SUFFIX = /\[(?:bytes=)?(\d+)-(\d+)\]$/;

/** A piece as written on the command line or in a manifest. */
interface PieceText {
  url: string;
  range?: string | { start: number; end: number } | undefined;
  versionId?: string | undefined;
  ifMatch?: string | undefined;
}

export const composeCommand: CommandSpec = {
  name: 'compose',
  summary: 'make one object out of many objects or byte ranges of them, on the store wherever it can',
  usage: 'DST SRC[range]... [--manifest FILE] [options]',
  description: [
    'Concatenates the pieces SRC (whole objects, or URL[a-b] for bytes a..b inclusive) into DST, in order; a',
    'source may appear any number of times and ranges may overlap. Every source is read once and pinned to',
    'its ETag: a source that changes during the compose fails it with PreconditionFailed, and nothing is left.',
    'Stores that compose natively do (Azure: Put Block From URL with no minimum size, zero bytes through this',
    'process; GCS: compose trees, ranges streamed through this process; fs/memory: in the store). Elsewhere',
    "S3's rules apply: pieces of at least the minimum part size are copied on the server, smaller ones are",
    'joined through this process, reading the fewest bytes; the plan prints that figure next to the least',
    'any legal plan could read. The destination changes once, atomically, at the end.',
    'Thousands of pieces: --manifest FILE, one piece per line (URL or URL[a-b]; # comments) or JSON',
    '([{"url": ..., "range": "bytes=a-b", "versionId": ...}, ...]).',
  ],
  positionals: { min: 1, max: Number.MAX_SAFE_INTEGER },
  options: {
    manifest: {
      type: 'string',
      value: 'FILE',
      description: 'read the pieces from FILE (lines or JSON), after any SRC',
    },
    concurrency: { type: 'string', value: 'N', description: 'requests in flight (default 4)' },
    'part-size': {
      type: 'string',
      value: 'SIZE',
      description: 'bytes per server-side part copy of a large piece (multipart plan; default chosen)',
    },
    multipart: {
      type: 'boolean',
      description: "use S3's multipart rules even where the store composes natively (to compare)",
    },
    'if-none-match': { type: 'boolean', description: 'publish only if nothing exists at DST' },
    'if-match': { type: 'string', value: 'ETAG', description: 'publish only if DST has this ETag' },
    'content-type': { type: 'string', value: 'TYPE', description: 'content type of the result' },
    'dry-run': { type: 'boolean', description: 'pin the pieces and print the plan; write nothing' },
    resume: {
      type: 'boolean',
      description:
        'keep a session so an interrupted compose is finished by running it again, or by sessions resume (multipart plans; Azure native compose: staged blocks are kept and reused)',
    },
    'session-id': {
      type: 'string',
      value: 'ID',
      description: 'name the session (default: derived from the compose)',
    },
    ...SESSION_DIR_OPTION,
  },
  examples: [
    'partcopy compose s3://logs/day.log s3://logs/00.log s3://logs/01.log s3://logs/02.log',
    'partcopy compose az://media/cut.mp4 "az://media/raw.mp4[0-1048575]" "az://media/raw.mp4[5242880-9437183]"',
    'partcopy compose gs://chunks/joined.bin --manifest pieces.txt --if-none-match',
  ],
  async run(ctx) {
    const destination = parseObjectRef(ctx.positional(0));
    const texts = [...ctx.positionals.slice(1).map(pieceFromArgument), ...(await manifestPieces(ctx))];
    if (texts.length === 0) throw new UsageError('compose needs at least one SRC or a --manifest', 'compose');
    const sources = texts.map((text) => sourceOf(text, destination.scheme));
    const client = await ctx.stores.client(destination.scheme);
    const resumable = ctx.flag('resume') || ctx.string('session-id') !== undefined;
    const stop = new AbortController();
    const signal = AbortSignal.any([ctx.signal, stop.signal]);
    let plan: ComposePlanSummary | undefined;
    const bar = ctx.progress('compose');
    try {
      const result = await composeObject({
        client,
        destination: {
          bucket: destination.bucket,
          key: destination.key,
          ...(ctx.flag('if-none-match') ? { ifNoneMatch: '*' } : {}),
          ifMatch: ctx.string('if-match'),
        },
        sources,
        settings: ctx.string('content-type') === undefined ? {} : { contentType: ctx.string('content-type') },
        concurrency: optionalInteger(ctx, 'concurrency'),
        partSize:
          ctx.string('part-size') === undefined
            ? undefined
            : parseSize(ctx.required('part-size'), '--part-size'),
        mode: ctx.flag('multipart') ? 'multipart' : 'auto',
        signal,
        onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal),
        onPlan: (summary) => {
          plan = summary;
          if (!ctx.quiet && !ctx.json && !ctx.flag('dry-run'))
            ctx.io.stderr.write(`partcopy: plan: ${planLine(summary)}\n`);
          if (ctx.flag('dry-run')) stop.abort(new Error('dry run'));
        },
        ...(resumable
          ? {
              session: {
                store: await sessionStore(ctx),
                id: ctx.string('session-id'),
                storeLabel: storeLabel(ctx, destination.scheme),
              },
            }
          : {}),
      });
      bar.finish();
      return composeOutcome(ctx.positional(0), result, plan);
    } catch (error) {
      bar.finish();
      if (
        ctx.flag('dry-run') &&
        plan &&
        stop.signal.aborted &&
        PartCopyError.hasCode(error, 'RequestAborted')
      )
        return {
          result: { dryRun: true, destination: ctx.positional(0), plan },
          human: [`dry run: ${planLine(plan)}`],
        };
      if (
        resumable &&
        PartCopyError.isInstance(error) &&
        (error.code === 'RequestAborted' || error.retryable)
      )
        ctx.warn(
          'compose session kept: run the same compose --resume again, or `partcopy sessions resume ID` (`partcopy sessions list` names it)',
        );
      throw error;
    }
  },
};

function planLine(plan: ComposePlanSummary): string {
  const from = `${plan.pieces} pieces from ${plan.distinctSources} source${plan.distinctSources === 1 ? '' : 's'}, ${formatBytes(plan.totalSize)}`;
  const parts =
    plan.strategy === 'multipart'
      ? `, ${plan.parts} parts (${plan.partsCopied} copied on the server, ${plan.partsUploaded} joined through this process)`
      : '';
  return `${plan.strategy}: ${from}${parts}; client bytes planned ${formatBytes(plan.plannedClientBytes)} (lower bound ${formatBytes(plan.clientBytesLowerBound)})`;
}

export function composeOutcome(
  destination: string,
  result: ComposeObjectResult,
  plan: ComposePlanSummary | undefined,
) {
  const groups = result.groups
    .slice(0, 8)
    .map(
      (g) =>
        `  pieces ${g.firstPiece}..${g.firstPiece + g.pieces - 1}: ${g.strategy}, ${formatBytes(g.bytes)} (${g.transfer})`,
    );
  if (result.groups.length > 8)
    groups.push(`  ... ${result.groups.length - 8} more groups (--json lists them all)`);
  return {
    result: { destination, ...result, ...(plan ? { plan } : {}) },
    human: [
      `composed ${destination}: ${formatBytes(result.size)} from ${result.pieces} pieces (${result.distinctSources} sources), ${result.strategy}; ` +
        `server-side ${formatBytes(result.bytesServerSide)}, through this process ${formatBytes(result.bytesClientStreamed)} ` +
        `(lower bound ${formatBytes(result.clientBytesLowerBound)}); ${result.requests} requests; in ${(result.durationMs / 1000).toFixed(1)}s, ETag ${result.etag}`,
      ...groups,
    ],
  };
}

function pieceFromArgument(argument: string): PieceText {
  const match = RANGE_SUFFIX.exec(argument);
  if (!match) return { url: argument };
  return { url: argument.slice(0, match.index), range: { start: Number(match[1]), end: Number(match[2]) } };
}

/** The pieces of `--manifest`: JSON (an array, or `{ "sources": [...] }`) or one piece per line. */
async function manifestPieces(ctx: CommandContext): Promise<PieceText[]> {
  const path = ctx.string('manifest');
  if (path === undefined) return [];
  let text: string;
  try {
    text = await readFile(resolve(ctx.io.cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`--manifest ${path}: ${(error as Error).message}`, 'compose');
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    return text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map(pieceFromArgument);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new UsageError(`--manifest ${path} is not valid JSON: ${(error as Error).message}`, 'compose');
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { sources?: unknown }).sources;
  if (!Array.isArray(list))
    throw new UsageError(`--manifest ${path}: expected a JSON array of pieces`, 'compose');
  return list.map((entry, index) => {
    if (typeof entry === 'string') return pieceFromArgument(entry);
    const piece = entry as Partial<PieceText>;
    if (typeof piece?.url !== 'string')
      throw new UsageError(`--manifest ${path}: piece ${index} needs a "url"`, 'compose');
    return piece as PieceText;
  });
}

function sourceOf(text: PieceText, scheme: string): ComposeSource {
  const ref = parseObjectRef(text.url);
  if (ref.scheme !== scheme) {
    throw new PartCopyError(
      'Unsupported',
      `compose works within one store; ${text.url} is on ${ref.scheme}://, the destination on ${scheme}://`,
    );
  }
  return {
    bucket: ref.bucket,
    key: ref.key,
    ...(text.range === undefined ? {} : { range: text.range }),
    ...(text.versionId === undefined ? {} : { versionId: text.versionId }),
    ...(text.ifMatch === undefined ? {} : { ifMatch: text.ifMatch }),
  };
}

function optionalInteger(ctx: CommandContext, name: string): number | undefined {
  const text = ctx.string(name);
  return text === undefined ? undefined : parsePositiveInteger(text, `--${name}`);
}
