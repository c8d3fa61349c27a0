import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CompletedPart, collectBytes, PartCopyError } from '@partcopy/core';
import { type CreateMultipartUploadRequest, type OperationContext, toPayload } from '@partcopy/core/provider';
import { expect } from 'vitest';
import { FsProvider, type FsProviderOptions } from '../src/index.js';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(
  prefix = 'partcopy-fs-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A provider on `root` with 1 KiB minimum parts so tests stay small. */
export function provider(root: string, options: Partial<FsProviderOptions> = {}): FsProvider {
  return new FsProvider({ root, minPartSize: 1024, ...options });
}

/** An operation context with a fresh signal. */
export function ctx(extra: Partial<OperationContext> = {}): OperationContext {
  return { signal: new AbortController().signal, ...extra };
}

/** Deterministic bytes of a given length (a pattern offset by `seed`). */
export function bytes(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const payload = (data: Uint8Array | string) => toPayload(data);

/** Reads an object whole. */
export async function read(
  p: FsProvider,
  bucket: string,
  key: string,
  extra: Record<string, unknown> = {},
): Promise<Uint8Array> {
  const result = await p.getObject({ bucket, key, ...extra }, ctx());
  return collectBytes(result.body);
}

/** Runs `fn` and returns the PartCopyError code it failed with (fails the test when it succeeds). */
export async function errorCode(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (PartCopyError.isInstance(error)) return error.code;
    throw error;
  }
  throw new Error('expected the operation to fail');
}

/** Every path under `dir` (files and folders), relative and sorted, with file sizes. */
export async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        out.push(`${relative(dir, full)}/`);
        await walk(full);
      } else {
        out.push(`${relative(dir, full)} ${(await stat(full)).size}`);
      }
    }
  }
  await walk(dir);
  return out.sort();
}

/**
 * Creates a multipart upload (with `settings`) and uploads `parts` as parts 1..N; returns the
 * upload id and the part list a completion takes.
 */
export async function stageParts(
  p: FsProvider,
  bucket: string,
  key: string,
  parts: Uint8Array[],
  settings: Partial<CreateMultipartUploadRequest> = {},
): Promise<{ uploadId: string; listed: CompletedPart[] }> {
  const { uploadId } = await p.createMultipartUpload({ ...settings, bucket, key }, ctx());
  const listed: CompletedPart[] = [];
  for (const [index, body] of parts.entries()) {
    const { etag } = await p.uploadPart(
      { bucket, key, uploadId, partNumber: index + 1, body: payload(body) },
      ctx(),
    );
    listed.push({ partNumber: index + 1, etag });
  }
  return { uploadId, listed };
}

/** Uploads `parts` as a multipart upload and completes it; returns the completion result. */
export async function multipartPut(p: FsProvider, bucket: string, key: string, parts: Uint8Array[]) {
  const { uploadId, listed } = await stageParts(p, bucket, key, parts);
  return p.completeMultipartUpload({ bucket, key, uploadId, parts: listed }, ctx());
}

/** Concatenates byte arrays. */
export function concat(...arrays: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(arrays));
}

/** Asserts equal bytes quickly (deep equality of megabyte arrays is slow): compares length and SHA-256. */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  return actual.length === expected.length && digest(actual) === digest(expected);
}

/**
 * A Node script that runs `body` in another process with `FsProvider`, `root` and `c` (an
 * operation context) in scope. Node strips the TypeScript itself; the hooks only map `./x.js`
 * imports to `./x.ts` and `@partcopy/core` (and its subpath entries such as
 * `@partcopy/core/provider`) to its source, as vitest's alias does.
 */
export function childScript(body: string): string {
  const src = (pkg: string) =>
    pathToFileURL(join(import.meta.dirname, '..', '..', pkg, 'src', 'index.ts')).href;
  return `
    import { registerHooks } from 'node:module';
    import { existsSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    registerHooks({
      resolve(specifier, context, next) {
        if (specifier === '@partcopy/core') return next(${JSON.stringify(src('core'))}, context);
        if (specifier.startsWith('@partcopy/core/'))
          return next(new URL(specifier.slice('@partcopy/core/'.length) + '.ts', ${JSON.stringify(src('core'))}).href, context);
        if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
          const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
          if (existsSync(fileURLToPath(ts))) return next(ts.href, context);
        }
        return next(specifier, context);
      },
    });
    const { FsProvider } = await import(${JSON.stringify(src('fs'))});
    const [root, ...args] = process.argv.slice(1);
    const c = { signal: new AbortController().signal };
    const bodyOf = (text) => { const b = new TextEncoder().encode(text); return { length: b.length, bytes: b, async *chunks() { yield b; } }; };
    ${body}
  `;
}

/** Arguments for running {@link childScript} with `node`. */
export function childArgs(script: string, root: string, ...args: string[]): string[] {
  return ['--input-type=module', '-e', script, root, ...args];
}

/** A hook body: the child says so and waits to be killed, so the kill point is exact, not timed. */
export const STOP = `async () => { process.stdout.write('stopped\\n'); await new Promise((r) => setTimeout(r, 1e9)); }`;

/**
 * Runs `body` in a child process (an FsProvider `p` on `root` with `hook` installed) that stops at
 * the hook; SIGKILLs it there.
 */
export async function killChildAt(
  root: string,
  hook: string,
  body: string,
  ...args: string[]
): Promise<void> {
  const script = childScript(`
    const p = new FsProvider({ root, minPartSize: 1024, hooks: { ${hook} } });
    ${body}
    process.stdout.write('finished\\n');
  `);
  const child = spawn(process.execPath, childArgs(script, root, ...args), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors += chunk;
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_, signal) => resolve(signal)),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('stopped')) resolve();
    });
    child.on('exit', () => reject(new Error(`child ended before its hook: ${output} ${errors}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}
