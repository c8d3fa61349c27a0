/**
 * The `cause` a PartCopyError keeps: the provider's error as a redacted copy. Provider errors
 * carry the request they failed on (Azure's RestError: the request with its URL and headers, so a
 * Put Block From URL's `x-ms-copy-source` with the source's SAS; the S3 SDK: the raw response;
 * fetch: a presigned URL in the message), and `console.error(err)` or `util.inspect` prints the
 * whole cause chain. The copy keeps the error's class (so `instanceof` and the CLI's answered
 * status still work), its name, message and stack with secrets redacted, its primitive fields
 * (`code`, `statusCode`, `status`...) and flat records of primitives (`$metadata`, `details`),
 * and its own cause treated the same way; request and response objects are left out.
 */
import { redactSecrets } from './secret-patterns.js';

const MAX_DEPTH = 8;
const MAX_FIELDS = 64;

export function safeCause(cause: unknown, depth = 0): unknown {
  if (typeof cause === 'string') return redactSecrets(cause);
  if (typeof cause !== 'object' || cause === null) return cause;
  if (!(cause instanceof Error)) return flatRecord(cause) ?? '[object left out: it may hold a secret]';
  if (isRedacted(cause)) return cause;
  if (depth >= MAX_DEPTH) return new Error('[deeper causes left out]');
  return redactedCopy(cause, depth);
}

// PartCopyErrors redact their message and cause when they are built.
function isRedacted(error: Error): boolean {
  return (error as unknown as Record<symbol, unknown>)[Symbol.for('partcopy.error')] === true;
}

function redactedCopy(error: Error, depth: number): Error {
  // An error whose message is its own field can be copied with its class; others (DOMException,
  // whose fields are getters on internal slots) become plain errors of the same name.
  const keepsClass = Object.hasOwn(error, 'message');
  const copy: Error = keepsClass ? Object.create(Object.getPrototypeOf(error) as object) : new Error();
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(error).slice(0, MAX_FIELDS)) {
    if (name === 'cause') continue;
    const value = (error as unknown as Record<string, unknown>)[name];
    const safe = typeof value === 'object' && value !== null ? flatRecord(value) : safeValue(value);
    if (safe !== undefined) fields[name] = safe;
  }
  Object.assign(copy, fields);
  define(copy, 'name', redactSecrets(String(error.name)));
  define(copy, 'message', redactSecrets(String(error.message)));
  if (typeof error.stack === 'string') define(copy, 'stack', redactSecrets(error.stack));
  if (error.cause !== undefined) define(copy, 'cause', safeCause(error.cause, depth + 1));
  return copy;
}

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  return undefined;
}

/** A plain object of primitives (`$metadata`, `details`), redacted; anything richer is left out. */
function flatRecord(value: object): Record<string, unknown> | undefined {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value).slice(0, MAX_FIELDS)) {
    if (field === undefined || field === null) continue;
    const safe = safeValue(field);
    if (safe === undefined) return undefined;
    out[name] = safe;
  }
  return out;
}
