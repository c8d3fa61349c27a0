/**
 * The kit's assertions: small helpers over node:assert that compare bytes and error codes, and
 * say in their messages what S3 would have answered. No test runner's `expect` is used, so the
 * kit runs under any runner.
 */
import { AssertionError } from 'node:assert';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ERROR_CODES, type ErrorCode, PartCopyError } from '@partcopy/core';

/** Fails the check with a message. */
export function fail(message: string): never {
  throw new AssertionError({ message });
}

/** Fails unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

/** Fails unless the two values are identical (`Object.is`). */
export function checkEqual<T>(actual: T, expected: T, what: string): void {
  if (!Object.is(actual, expected)) {
    fail(`${what}: expected ${inspect(expected)}, got ${inspect(actual)}`);
  }
}

/** Hex SHA-256 of some bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Compares bytes exactly; on failure reports lengths, the first differing offset and digests. */
export function checkBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(e)) return;
  let offset = 0;
  while (offset < a.length && offset < e.length && a[offset] === e[offset]) offset++;
  fail(
    `${what}: bytes differ (got ${a.length} bytes sha256 ${sha256Hex(a).slice(0, 16)}…, expected ${e.length} bytes ` +
      `sha256 ${sha256Hex(e).slice(0, 16)}…; first difference at offset ${offset})`,
  );
}

/** ETags are returned quoted, as S3 returns them: `"…"`. */
export function checkQuotedEtag(etag: unknown, what: string): void {
  check(
    typeof etag === 'string' && /^"[^"]+"$/.test(etag),
    `${what}: the ETag must be quoted as S3 returns it ("…"), got ${inspect(etag)}`,
  );
}

export interface ExpectedError {
  /** Acceptable codes (usually one). */
  codes: readonly ErrorCode[];
  /** Also require `error.status` to be the code's S3 status (e.g. 404 for NoSuchUpload). */
  status?: boolean;
}

/**
 * Awaits `operation` and requires it to fail with a `PartCopyError` carrying one of `codes`.
 * Returns the error for further checks.
 */
export async function expectError(
  operation: Promise<unknown> | (() => Promise<unknown>),
  codes: ErrorCode | readonly ErrorCode[],
  what: string,
  options: { status?: boolean } = {},
): Promise<PartCopyError> {
  const list: readonly ErrorCode[] = typeof codes === 'string' ? [codes] : codes;
  const wanted = list.join(' or ');
  let outcome: unknown;
  try {
    outcome = await (typeof operation === 'function' ? operation() : operation);
  } catch (error) {
    if (!PartCopyError.isInstance(error)) {
      fail(`${what}: expected a PartCopyError ${wanted}, got a ${describeThrown(error)}`);
    }
    if (!list.includes(error.code)) {
      fail(`${what}: expected ${wanted}, got ${error.code} (${error.status}): ${error.message}`);
    }
    if (options.status && error.status !== ERROR_CODES[error.code]) {
      fail(`${what}: ${error.code} must carry HTTP status ${ERROR_CODES[error.code]}, got ${error.status}`);
    }
    return error;
  }
  return fail(`${what}: expected ${wanted}, but the call succeeded (${inspect(outcome, { depth: 1 })})`);
}

/** Fails when a secret's text appears in an error's message, JSON, string form or inspection. */
export function checkNoSecret(error: unknown, secrets: readonly string[], what: string): void {
  const views = [
    error instanceof Error ? error.message : '',
    safeJson(error),
    String(error),
    inspect(error, { depth: 4 }),
  ];
  for (const secret of secrets) {
    if (views.some((view) => view.includes(secret))) fail(`${what}: the error reveals the SSE-C key`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return inspect(error);
}
