import { PartCopyError } from '@partcopy/core';
import { decideCopySourceConditions, evaluateCopySourceConditions } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

const target = { etag: '"abc"', lastModified: new Date('2026-01-10T12:00:00.500Z') };
const before = new Date('2026-01-09T00:00:00Z');
const after = new Date('2026-01-11T00:00:00Z');

describe('copy-source conditions (S3 semantics)', () => {
  it('passes with no condition', () => {
    expect(decideCopySourceConditions({}, target)).toEqual({ ok: true });
  });

  it.each([
    [{ ifMatch: ['"abc"'] }, true],
    [{ ifMatch: ['abc'] }, true],
    [{ ifMatch: ['W/"abc"'] }, true],
    [{ ifMatch: ['*'] }, true],
    [{ ifMatch: ['"x"', '"abc"'] }, true],
    [{ ifMatch: ['"x"'] }, false],
    [{ ifNoneMatch: ['"x"'] }, true],
    [{ ifNoneMatch: ['"abc"'] }, false],
    [{ ifNoneMatch: ['*'] }, false],
    [{ ifModifiedSince: before }, true],
    [{ ifModifiedSince: after }, false],
    [{ ifUnmodifiedSince: after }, true],
    [{ ifUnmodifiedSince: before }, false],
  ])('%o alone -> ok=%s', (conditions, ok) => {
    expect(decideCopySourceConditions(conditions, target).ok).toBe(ok);
  });

  it('if-match true and if-unmodified-since false: the copy proceeds', () => {
    expect(decideCopySourceConditions({ ifMatch: ['"abc"'], ifUnmodifiedSince: before }, target)).toEqual({
      ok: true,
    });
  });

  it('if-match false fails even when if-unmodified-since holds', () => {
    expect(decideCopySourceConditions({ ifMatch: ['"x"'], ifUnmodifiedSince: after }, target)).toEqual({
      ok: false,
      failed: 'ifMatch',
    });
  });

  it('if-none-match false and if-modified-since true: 412', () => {
    expect(decideCopySourceConditions({ ifNoneMatch: ['"abc"'], ifModifiedSince: before }, target)).toEqual({
      ok: false,
      failed: 'ifNoneMatch',
    });
  });

  it('if-none-match true makes if-modified-since irrelevant (RFC 9110)', () => {
    expect(decideCopySourceConditions({ ifNoneMatch: ['"x"'], ifModifiedSince: after }, target)).toEqual({
      ok: true,
    });
  });

  it('compares dates at one-second resolution', () => {
    const sameSecond = new Date('2026-01-10T12:00:00.000Z');
    expect(decideCopySourceConditions({ ifModifiedSince: sameSecond }, target).ok).toBe(false);
    expect(decideCopySourceConditions({ ifUnmodifiedSince: sameSecond }, target).ok).toBe(true);
  });

  it('evaluate throws PreconditionFailed 412 with context', () => {
    try {
      evaluateCopySourceConditions({ ifMatch: ['"x"'] }, target, { provider: 'test', bucket: 'b' });
      expect.unreachable();
    } catch (error) {
      expect(PartCopyError.hasCode(error, 'PreconditionFailed')).toBe(true);
      const e = error as PartCopyError;
      expect(e.status).toBe(412);
      expect(e.bucket).toBe('b');
      expect(e.message).toMatch(/copySourceIfMatch/);
    }
  });
});
