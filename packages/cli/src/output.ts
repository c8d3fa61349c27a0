import { PartCopyError, redactSecrets } from '@partcopy/core';
import type { CliOutput } from './cli-io.js';
import { answeredStatus, type ErrorSetting, errorHint, operationErrorText } from './error-text.js';
import { UsageError } from './usage-error.js';

/**
 * A result as JSON text: camelCase as the library returns it, dates as ISO 8601 (Date#toJSON),
 * undefined fields dropped, bytes as base64, and nothing that is not plain data.
 */
export function toJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value ?? {}, jsonReplacer, indent);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * A result as `name: value` lines for people: nested objects flattened with dots
 * (`copyPartResult.etag: "..."`), dates ISO, undefined fields left out.
 */
export function toHumanLines(value: unknown, prefix = ''): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || value instanceof Date)
    return [`${prefix || 'value'}: ${scalarText(value)}`];
  const plain = JSON.parse(toJsonText(value)) as Record<string, unknown>;
  const lines: string[] = [];
  for (const [name, field] of Object.entries(plain)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (field !== null && typeof field === 'object' && !Array.isArray(field))
      lines.push(...toHumanLines(field, path));
    else lines.push(`${path}: ${scalarText(field)}`);
  }
  return lines;
}

function scalarText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'object' ? toJsonText(item) : String(item))).join(', ');
  return String(value);
}

/** Columns padded to line up, for listings. */
export function formatTable(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
}

/**
 * The error object `--json` writes on stderr: `{ "error": { code, message, status, exitCode, ... } }`.
 * `status` stays the S3 status of the code (stable for scripts); `httpStatus` is present only
 * when a server answered; `hint` says what to do when the CLI knows.
 */
export function errorJson(
  error: unknown,
  exitCode: number,
  setting: ErrorSetting = {},
): Record<string, unknown> {
  if (PartCopyError.isInstance(error)) {
    const httpStatus = answeredStatus(error);
    const hint = errorHint(error, setting);
    return {
      error: {
        ...error.toJSON(),
        ...(httpStatus === undefined ? {} : { httpStatus }),
        ...(hint === undefined ? {} : { hint }),
        exitCode,
      },
    };
  }
  if (error instanceof UsageError) {
    return {
      error: {
        code: 'UsageError',
        message: error.message,
        exitCode,
        ...(error.command ? { command: error.command } : {}),
      },
    };
  }
  return {
    error: {
      code: 'InternalError',
      // Not built by partcopy, so not redacted yet: a factory or SDK message may hold a signed URL.
      message: redactSecrets(error instanceof Error ? error.message : String(error)),
      exitCode,
    },
  };
}

/**
 * The line people see on stderr: `partcopy: NoSuchKey: the object does not exist (NotFound, HTTP
 * 404 from the store)`; the HTTP part only when a server answered (see error-text.ts).
 */
export function errorLine(error: unknown, setting: ErrorSetting = {}): string {
  if (PartCopyError.isInstance(error)) return `partcopy: ${operationErrorText(error, setting)}`;
  if (error instanceof UsageError) {
    const hint = error.command ? `partcopy ${error.command} --help` : 'partcopy --help';
    return `partcopy: ${error.message}\nRun "${hint}" for usage.`;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `partcopy: internal error: ${redactSecrets(text)}`;
}

/** Where a failed operation happened, for a second line under the error (`during uploadPartCopy of b/k part 3`). */
export function errorWhere(error: unknown): string | undefined {
  if (!PartCopyError.isInstance(error)) return undefined;
  const { operation, provider, bucket, key, uploadId, partNumber } = error.context;
  if (!operation || operation === 'resolve') return undefined;
  const target = [bucket, key].filter(Boolean).join('/');
  const details = [
    target && `of ${target}`,
    partNumber !== undefined && `part ${partNumber}`,
    uploadId && `upload ${uploadId}`,
    provider && `(${provider})`,
  ].filter(Boolean);
  return `  during ${operation} ${details.join(' ')}`.trimEnd();
}

/** Writes one line. */
export function writeLine(out: CliOutput, line = ''): void {
  out.write(`${line}\n`);
}
