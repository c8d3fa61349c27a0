/**
 * CORS rules as S3 validates and applies them: the document's checks, origin wildcards, the
 * preflight's answers (400 / 403 / 200 with the rule's headers) and an actual request's headers.
 */
import { describe, expect, it } from 'vitest';
import {
  actualRequestHeaders,
  type CorsRule,
  corsDocument,
  corsRulesOf,
  preflightHeaders,
  wildcardMatch,
} from '../src/cors-rules.js';
import { GatewayError } from '../src/gateway-error.js';
import { parseXmlBody } from '../src/xml-codec.js';

function rulesFrom(xml: string): CorsRule[] {
  return corsRulesOf(parseXmlBody(xml, 'CORSConfiguration'));
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof GatewayError ? error.code : `not a GatewayError: ${String(error)}`;
  }
  return undefined;
}

const rule = (over: Partial<CorsRule>): CorsRule => ({
  allowedMethods: ['GET'],
  allowedOrigins: ['*'],
  allowedHeaders: [],
  exposeHeaders: [],
  ...over,
});

describe('the CORSConfiguration document', () => {
  it('reads repeated and single elements, and writes them back', () => {
    const rules = rulesFrom(
      '<CORSConfiguration><CORSRule><ID>one</ID><AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>' +
        '<AllowedOrigin>*.example</AllowedOrigin><AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>' +
        '<MaxAgeSeconds>600</MaxAgeSeconds></CORSRule><CORSRule><AllowedMethod>HEAD</AllowedMethod>' +
        '<AllowedOrigin>https://a.example</AllowedOrigin></CORSRule></CORSConfiguration>',
    );
    expect(rules).toEqual([
      {
        id: 'one',
        allowedMethods: ['GET', 'PUT'],
        allowedOrigins: ['*.example'],
        allowedHeaders: ['x-amz-*'],
        exposeHeaders: ['ETag'],
        maxAgeSeconds: 600,
      },
      {
        allowedMethods: ['HEAD'],
        allowedOrigins: ['https://a.example'],
        allowedHeaders: [],
        exposeHeaders: [],
      },
    ]);
    expect(corsDocument(rules).CORSRule).toEqual([
      {
        ID: 'one',
        AllowedHeader: ['x-amz-*'],
        AllowedMethod: ['GET', 'PUT'],
        AllowedOrigin: ['*.example'],
        ExposeHeader: ['ETag'],
        MaxAgeSeconds: '600',
      },
      { AllowedHeader: [], AllowedMethod: ['HEAD'], AllowedOrigin: ['https://a.example'], ExposeHeader: [] },
    ]);
  });

  it('refuses what S3 refuses', () => {
    const one = (inner: string) => () =>
      rulesFrom(`<CORSConfiguration><CORSRule>${inner}</CORSRule></CORSConfiguration>`);
    expect(codeOf(() => rulesFrom('<CORSConfiguration></CORSConfiguration>'))).toBe('MalformedXML');
    expect(codeOf(one('<AllowedOrigin>*</AllowedOrigin>'))).toBe('MalformedXML');
    expect(codeOf(one('<AllowedMethod>GET</AllowedMethod>'))).toBe('MalformedXML');
    expect(codeOf(one('<AllowedMethod>PATCH</AllowedMethod><AllowedOrigin>*</AllowedOrigin>'))).toBe(
      'InvalidRequest',
    );
    expect(codeOf(one('<AllowedMethod>GET</AllowedMethod><AllowedOrigin>*a*</AllowedOrigin>'))).toBe(
      'InvalidRequest',
    );
    expect(
      codeOf(
        one(
          '<AllowedMethod>GET</AllowedMethod><AllowedOrigin>a</AllowedOrigin><AllowedHeader>**</AllowedHeader>',
        ),
      ),
    ).toBe('InvalidRequest');
    expect(
      codeOf(
        one(
          '<AllowedMethod>GET</AllowedMethod><AllowedOrigin>a</AllowedOrigin><MaxAgeSeconds>x</MaxAgeSeconds>',
        ),
      ),
    ).toBe('MalformedXML');
    const many =
      '<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>a</AllowedOrigin></CORSRule>'.repeat(101);
    expect(codeOf(() => rulesFrom(`<CORSConfiguration>${many}</CORSConfiguration>`))).toBe('InvalidRequest');
  });
});

describe('origin patterns', () => {
  it('match one wildcard anywhere, and nothing else loosely', () => {
    expect(wildcardMatch('*suffix', 'foo.suffix')).toBe(true);
    expect(wildcardMatch('*suffix', 'foo.suffix.get')).toBe(false);
    expect(wildcardMatch('start*end', 'startend')).toBe(true);
    expect(wildcardMatch('start*end', 'start12end')).toBe(true);
    expect(wildcardMatch('start*end', '0start12end')).toBe(false);
    expect(wildcardMatch('startend', 'startend')).toBe(true);
    expect(wildcardMatch('prefix*', 'bla.prefix')).toBe(false);
    // The head and tail may not overlap.
    expect(wildcardMatch('ab*ba', 'aba')).toBe(false);
  });
});

describe('a preflight', () => {
  const rules = [
    rule({ allowedOrigins: ['*suffix'] }),
    rule({
      allowedMethods: ['PUT', 'POST'],
      allowedOrigins: ['https://app.example'],
      allowedHeaders: ['x-amz-*'],
      maxAgeSeconds: 60,
    }),
  ];

  it('needs an Origin and a method: 400', () => {
    expect(
      codeOf(() => preflightHeaders(rules, { origin: undefined, method: 'GET', headers: undefined })),
    ).toBe('BadRequest');
    expect(
      codeOf(() => preflightHeaders(rules, { origin: 'a.suffix', method: undefined, headers: undefined })),
    ).toBe('BadRequest');
  });

  it('is 403 without a configuration or a rule allowing it', () => {
    const ask = { origin: 'a.suffix', method: 'GET', headers: undefined };
    expect(codeOf(() => preflightHeaders(undefined, ask))).toBe('AccessForbidden');
    expect(codeOf(() => preflightHeaders(rules, { ...ask, method: 'PUT' }))).toBe('AccessForbidden');
    expect(codeOf(() => preflightHeaders(rules, { ...ask, headers: 'x-amz-meta-a' }))).toBe(
      'AccessForbidden',
    );
  });

  it('answers with the first matching rule, requested headers matched without case', () => {
    expect(preflightHeaders(rules, { origin: 'a.suffix', method: 'GET', headers: undefined })).toEqual({
      'access-control-allow-origin': 'a.suffix',
      'access-control-allow-methods': 'GET',
      'access-control-allow-credentials': 'true',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    expect(
      preflightHeaders(rules, {
        origin: 'https://app.example',
        method: 'PUT',
        headers: 'X-Amz-Meta-A, x-amz-date',
      }),
    ).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'PUT, POST',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'x-amz-meta-a, x-amz-date',
      'access-control-max-age': '60',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
  });
});

describe('an actual request', () => {
  it('gets the first matching rule’s headers, `*` for an any-origin rule, none otherwise', () => {
    const rules = [rule({ allowedOrigins: ['*'], exposeHeaders: ['ETag', 'x-amz-meta-a'] })];
    expect(actualRequestHeaders(rules, 'example.origin', 'GET')).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      'access-control-expose-headers': 'ETag, x-amz-meta-a',
      vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    });
    expect(actualRequestHeaders(rules, 'example.origin', 'PUT')).toEqual({});
    expect(actualRequestHeaders(rules, undefined, 'GET')).toEqual({});
    expect(actualRequestHeaders(undefined, 'example.origin', 'GET')).toEqual({});
  });
});
