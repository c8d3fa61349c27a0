import { evaluateWriteConditions, type WritePhase } from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const context = { bucket: 'b', key: 'k' };
const current = { etag: '"abc"' };

function codeOf(
  object: { etag: string } | undefined,
  conditions: { ifMatch?: string; ifNoneMatch?: string },
  phase: WritePhase = 'before',
): string {
  return thrownPartCopyError(() => evaluateWriteConditions(object, conditions, phase, context)).code;
}

describe('evaluateWriteConditions', () => {
  it('lets a write through when its conditions hold', () => {
    expect(() => evaluateWriteConditions(current, {}, 'before', context)).not.toThrow();
    expect(() => evaluateWriteConditions(undefined, { ifNoneMatch: '*' }, 'before', context)).not.toThrow();
    expect(() => evaluateWriteConditions(current, { ifMatch: 'abc' }, 'publish', context)).not.toThrow();
    expect(() => evaluateWriteConditions(current, { ifMatch: '*' }, 'before', context)).not.toThrow();
  });

  it('answers as S3 before the work: 412 for ifNoneMatch on an object or a wrong ifMatch, 404 without an object', () => {
    expect(codeOf(current, { ifNoneMatch: '*' })).toBe('PreconditionFailed');
    expect(codeOf(current, { ifMatch: '"other"' })).toBe('PreconditionFailed');
    expect(codeOf(undefined, { ifMatch: '"abc"' })).toBe('NoSuchKey');
  });

  it('answers every failure at publication with 409 ConditionalRequestConflict (a lost race)', () => {
    expect(codeOf(current, { ifNoneMatch: '*' }, 'publish')).toBe('ConditionalRequestConflict');
    expect(codeOf(current, { ifMatch: '"other"' }, 'publish')).toBe('ConditionalRequestConflict');
    expect(codeOf(undefined, { ifMatch: '"abc"' }, 'publish')).toBe('ConditionalRequestConflict');
  });
});
