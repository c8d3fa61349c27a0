/**
 * The policy of a browser-based POST upload, checked as S3 checks it: not expired, every
 * condition met by the form's fields (exact matches, `eq`, `starts-with`,
 * `content-length-range`), and every field the client sent named by a condition (except the
 * signature, the policy, the file and `x-ignore-*` fields). Field names are case-insensitive.
 */
import { GatewayError } from './gateway-error.js';

export interface PostPolicy {
  /** `content-length-range`, when the policy has one. */
  lengthRange?: { min: number; max: number };
}

// Fields the policy need not name (S3: x-amz-signature, file, policy, x-ignore-*, and SigV2's
// AWSAccessKeyId and signature); `bucket` is the request's own.
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy', 'bucket', 'awsaccesskeyid', 'signature']);

/**
 * Checks `policyBase64` against `fields` (lower-case names) and the bucket. Fails with
 * AccessDenied ("Invalid according to Policy: ...") as S3 does.
 */
export function checkPostPolicy(
  policyBase64: string,
  fields: ReadonlyMap<string, string>,
  bucket: string,
  now: Date,
): PostPolicy {
  const policy = parsePolicy(policyBase64);
  if (policy.expiration === undefined) throw malformedPolicy('Policy missing expiration.');
  const expiration = ISO_8601.test(String(policy.expiration))
    ? Date.parse(String(policy.expiration))
    : Number.NaN;
  if (Number.isNaN(expiration)) {
    throw malformedPolicy(`Invalid 'expiration' value: '${String(policy.expiration)}'`);
  }
  if (expiration < now.getTime()) throw invalidPolicy('Policy expired');
  if (!Array.isArray(policy.conditions)) throw malformedPolicy('Policy missing conditions.');
  const values = new Map(fields);
  values.set('bucket', bucket);
  const named = new Set<string>();
  const result: PostPolicy = {};
  for (const condition of policy.conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [operator, subject, operand] = condition as [unknown, unknown, unknown];
      const op = String(operator).toLowerCase();
      if (op === 'content-length-range') {
        if (condition.length !== 3 || !Number.isInteger(subject) || !Number.isInteger(operand)) {
          throw malformedPolicy('content-length-range needs a minimum and a maximum.');
        }
        result.lengthRange = { min: Number(subject), max: Number(operand) };
        continue;
      }
      const name = fieldName(subject);
      named.add(name);
      const value = values.get(name) ?? '';
      const ok =
        op === 'eq'
          ? value === String(operand)
          : op === 'starts-with'
            ? startsWith(name, value, String(operand))
            : false;
      if (!ok) throw conditionFailed(`["${op}", "$${name}", "${String(operand)}"]`);
    } else if (condition !== null && typeof condition === 'object') {
      if (Object.keys(condition).length === 0) throw malformedPolicy('Empty condition.');
      for (const [key, expected] of Object.entries(condition)) {
        const name = key.toLowerCase();
        named.add(name);
        if ((values.get(name) ?? '') !== String(expected))
          throw conditionFailed(`["eq", "$${name}", "${String(expected)}"]`);
      }
    } else {
      throw malformedPolicy('Policy condition is not an object or an array.');
    }
  }
  const extra = [...fields.keys()].filter(
    (name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !named.has(name),
  );
  if (extra.length > 0) throw invalidPolicy(`Extra input fields: ${extra.join(', ')}`);
  return result;
}

function parsePolicy(policyBase64: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new GatewayError('InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
}

function fieldName(subject: unknown): string {
  const text = String(subject);
  if (!text.startsWith('$')) throw invalidPolicy(`Condition subject "${text}" does not name a field ($name)`);
  return text.slice(1).toLowerCase();
}

// S3: a starts-with on Content-Type applies to each comma-separated value; "" matches anything.
function startsWith(name: string, value: string, prefix: string): boolean {
  if (name === 'content-type') return value.split(',').every((part) => part.trim().startsWith(prefix));
  return value.startsWith(prefix);
}

function conditionFailed(condition: string): GatewayError {
  return invalidPolicy(`Policy Condition failed: ${condition}`);
}

// The expiration as S3 reads it: an ISO 8601 date and time in UTC.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// A policy document that is not one S3 can read: 400 InvalidPolicyDocument, before any condition.
function malformedPolicy(reason: string): GatewayError {
  return new GatewayError('InvalidPolicyDocument', `Invalid Policy: ${reason}`);
}

function invalidPolicy(reason: string): GatewayError {
  return new GatewayError('AccessDenied', `Invalid according to Policy: ${reason}`);
}
