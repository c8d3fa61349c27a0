/**
 * A bucket's CORS configuration as S3 reads, keeps and applies it: the `CORSConfiguration`
 * document (PutBucketCors / GetBucketCors), and the two evaluations a browser relies on:
 * - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`): the first rule
 *   whose origin, method and every requested header match answers it, else 403;
 * - an actual request with an `Origin`: the first rule whose origin and method match adds the
 *   `Access-Control-*` headers to the answer, whatever its status.
 * Pure functions: where the configuration is kept is cors-operations.ts's concern.
 */

import { GatewayError } from './gateway-error.js';
import { malformedXml } from './xml-codec.js';

/** One `CORSRule`. Patterns may hold one `*`, which matches any run of characters. */
export interface CorsRule {
  id?: string;
  allowedMethods: string[];
  allowedOrigins: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

/** What a matched rule adds to an answer (header name to value). */
export type CorsHeaders = Record<string, string>;

const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
const MAX_RULES = 100;

/** S3's `Vary` on every answer a CORS configuration was applied to: caches must key on these. */
const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

/** The rules of a parsed `CORSConfiguration` element, validated as S3 validates them. */
export function corsRulesOf(document: Record<string, unknown>): CorsRule[] {
  const rules = asList(document.CORSRule);
  if (rules.length === 0) throw malformedXml();
  if (rules.length > MAX_RULES) {
    throw new GatewayError('InvalidRequest', `A CORS configuration can have at most ${MAX_RULES} rules.`);
  }
  return rules.map((rule) => ruleOf(rule));
}

/** The rules as the `CORSConfiguration` document GetBucketCors answers. */
export function corsDocument(rules: readonly CorsRule[]): Record<string, unknown> {
  return {
    CORSRule: rules.map((rule) => ({
      ...(rule.id === undefined ? {} : { ID: rule.id }),
      AllowedHeader: rule.allowedHeaders,
      AllowedMethod: rule.allowedMethods,
      AllowedOrigin: rule.allowedOrigins,
      ExposeHeader: rule.exposeHeaders,
      ...(rule.maxAgeSeconds === undefined ? {} : { MaxAgeSeconds: String(rule.maxAgeSeconds) }),
    })),
  };
}

/** The preflight's request, read from its headers. */
export interface Preflight {
  origin: string | undefined;
  method: string | undefined;
  /** `Access-Control-Request-Headers`, unsplit. */
  headers: string | undefined;
}

/**
 * Answers a preflight: the headers of a 200, or the GatewayError S3 answers (400 when the request
 * lacks what a preflight needs, 403 when CORS is off for the bucket or no rule allows it).
 */
export function preflightHeaders(rules: readonly CorsRule[] | undefined, preflight: Preflight): CorsHeaders {
  if (preflight.origin === undefined) {
    throw new GatewayError('BadRequest', 'Insufficient information. Origin request header needed.');
  }
  if (preflight.method === undefined) {
    throw new GatewayError(
      'BadRequest',
      'Insufficient information. Access-Control-Request-Method request header needed.',
    );
  }
  if (rules === undefined) {
    throw new GatewayError('AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.');
  }
  const requested = splitHeaderList(preflight.headers);
  const origin = preflight.origin;
  const method = preflight.method;
  const rule = rules.find(
    (r) =>
      originMatches(r, origin) &&
      r.allowedMethods.includes(method) &&
      requested.every((h) => r.allowedHeaders.some((p) => wildcardMatch(p.toLowerCase(), h))),
  );
  if (rule === undefined) {
    throw new GatewayError(
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, ' +
        "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
    );
  }
  return {
    ...allowHeaders(rule, origin),
    ...(requested.length === 0 ? {} : { 'access-control-allow-headers': requested.join(', ') }),
    ...(rule.maxAgeSeconds === undefined ? {} : { 'access-control-max-age': String(rule.maxAgeSeconds) }),
  };
}

/**
 * The headers an actual request with an `Origin` gets: those of the first rule allowing its
 * origin and method (the `Access-Control-Request-Method` header when the request carries one, as
 * S3 and Ceph read it, else the request's own), or none.
 */
export function actualRequestHeaders(
  rules: readonly CorsRule[] | undefined,
  origin: string | undefined,
  method: string,
): CorsHeaders {
  if (rules === undefined || origin === undefined) return {};
  const rule = rules.find((r) => originMatches(r, origin) && r.allowedMethods.includes(method));
  if (rule === undefined) return {};
  return {
    ...allowHeaders(rule, origin),
    ...(rule.exposeHeaders.length === 0
      ? {}
      : { 'access-control-expose-headers': rule.exposeHeaders.join(', ') }),
  };
}

function allowHeaders(rule: CorsRule, origin: string): CorsHeaders {
  // A rule for every origin answers `*` (and so cannot allow credentials); any other names the
  // origin it matched, as S3 does.
  const anyOrigin = rule.allowedOrigins.includes('*');
  return {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(anyOrigin ? {} : { 'access-control-allow-credentials': 'true' }),
    vary: VARY,
  };
}

function originMatches(rule: CorsRule, origin: string): boolean {
  return rule.allowedOrigins.some((pattern) => wildcardMatch(pattern, origin));
}

/** `pattern` holds at most one `*` (validated on the way in); everything else is literal. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

function splitHeaderList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

function ruleOf(value: unknown): CorsRule {
  if (value === null || typeof value !== 'object') throw malformedXml();
  const rule = value as Record<string, unknown>;
  const allowedMethods = strings(rule.AllowedMethod);
  const allowedOrigins = strings(rule.AllowedOrigin);
  if (allowedMethods.length === 0 || allowedOrigins.length === 0) throw malformedXml();
  for (const method of allowedMethods) {
    if (!METHODS.has(method)) {
      throw new GatewayError(
        'InvalidRequest',
        `Found unsupported HTTP method in CORS config. Unsupported method is ${method}`,
      );
    }
  }
  const allowedHeaders = strings(rule.AllowedHeader);
  for (const origin of allowedOrigins) oneWildcard('AllowedOrigin', origin);
  for (const header of allowedHeaders) oneWildcard('AllowedHeader', header);
  const id = optionalString(rule.ID);
  if (id !== undefined && id.length > 255) {
    throw new GatewayError('InvalidArgument', 'The ID of a CORS rule can be at most 255 characters long.');
  }
  return {
    ...(id === undefined ? {} : { id }),
    allowedMethods,
    allowedOrigins,
    allowedHeaders,
    exposeHeaders: strings(rule.ExposeHeader),
    ...maxAgeOf(rule.MaxAgeSeconds),
  };
}

function maxAgeOf(value: unknown): { maxAgeSeconds?: number } {
  const text = optionalString(value);
  if (text === undefined) return {};
  if (!/^\d{1,10}$/.test(text.trim())) throw malformedXml();
  return { maxAgeSeconds: Number(text.trim()) };
}

function oneWildcard(element: string, value: string): void {
  if (value.indexOf('*') !== value.lastIndexOf('*')) {
    throw new GatewayError('InvalidRequest', `${element} "${value}" can not have more than one wildcard.`);
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function strings(value: unknown): string[] {
  return asList(value).map((item) => {
    if (typeof item !== 'string') throw malformedXml();
    return item.trim();
  });
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformedXml();
  return value;
}
