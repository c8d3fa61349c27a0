import { PartCopyError } from '@partcopy/core';
import { checkCompletionPartOrder, md5Etag, multipartEtag, planCompletion } from '@partcopy/core/provider';
import { thrownPartCopyError } from '@partcopy/core/testing';
import { describe, expect, it } from 'vitest';

const stored = [
  { partNumber: 1, etag: '"e1"', size: 10 },
  { partNumber: 2, etag: '"e2"', size: 10 },
  { partNumber: 3, etag: '"e3"', size: 3 },
];
const rules = { minPartSize: 10 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return PartCopyError.isInstance(error) ? error.code : 'other';
  }
  return undefined;
}

describe('planCompletion', () => {
  it('returns the listed parts in order, ETags compared without quotes', () => {
    const plan = planCompletion(
      [
        { partNumber: 1, etag: 'e1' },
        { partNumber: 3, etag: '"e3"' },
      ],
      stored,
      rules,
    );
    expect(plan.map((p) => p.partNumber)).toEqual([1, 3]);
  });

  it('needs at least one part', () => {
    expect(codeOf(() => planCompletion([], stored, rules))).toBe('MalformedXML');
  });

  it('rejects descending or repeated part numbers', () => {
    expect(
      codeOf(() =>
        planCompletion(
          [
            { partNumber: 2, etag: 'e2' },
            { partNumber: 1, etag: 'e1' },
          ],
          stored,
          rules,
        ),
      ),
    ).toBe('InvalidPartOrder');
    expect(
      codeOf(() =>
        planCompletion(
          [
            { partNumber: 1, etag: 'e1' },
            { partNumber: 1, etag: 'e1' },
          ],
          stored,
          rules,
        ),
      ),
    ).toBe('InvalidPartOrder');
  });

  it('rejects missing parts and wrong ETags', () => {
    expect(codeOf(() => planCompletion([{ partNumber: 4, etag: 'e4' }], stored, rules))).toBe('InvalidPart');
    expect(codeOf(() => planCompletion([{ partNumber: 1, etag: 'nope' }], stored, rules))).toBe(
      'InvalidPart',
    );
  });

  it('rejects small non-last parts only', () => {
    expect(
      codeOf(() =>
        planCompletion(
          [
            { partNumber: 3, etag: 'e3' },
            { partNumber: 4, etag: 'x' },
          ],
          [...stored, { partNumber: 4, etag: 'x', size: 1 }],
          rules,
        ),
      ),
    ).toBe('EntityTooSmall');
    expect(
      codeOf(() =>
        planCompletion(
          [
            { partNumber: 1, etag: 'e1' },
            { partNumber: 3, etag: 'e3' },
          ],
          stored,
          rules,
        ),
      ),
    ).toBeUndefined();
  });
});

describe('ETags', () => {
  it('computes the S3 multipart ETag from part MD5s', () => {
    // Known value: md5(md5("a") || md5("b")) with two parts.
    const etag = multipartEtag([md5Etag(Buffer.from('a')), md5Etag(Buffer.from('b'))]);
    expect(etag).toBe('"96e024ba2074fe77e8e965ba43a704be-2"');
    expect(md5Etag(Buffer.from('a'))).toBe('"0cc175b9c0f1b6a831c399e269772661"');
  });
});

describe('checkCompletionPartOrder', () => {
  it('accepts a strictly ascending list, with gaps', () => {
    expect(
      codeOf(() =>
        checkCompletionPartOrder([
          { partNumber: 2, etag: 'a' },
          { partNumber: 7, etag: 'b' },
        ]),
      ),
    ).toBeUndefined();
  });

  it('rejects an empty list with MalformedXML and an unordered one with InvalidPartOrder, with the context', () => {
    expect(codeOf(() => checkCompletionPartOrder([]))).toBe('MalformedXML');
    const error = thrownPartCopyError(() =>
      checkCompletionPartOrder(
        [
          { partNumber: 2, etag: 'a' },
          { partNumber: 2, etag: 'b' },
        ],
        { bucket: 'b', uploadId: 'u' },
      ),
    );
    expect(error).toMatchObject({ code: 'InvalidPartOrder', bucket: 'b', uploadId: 'u' });
  });
});
