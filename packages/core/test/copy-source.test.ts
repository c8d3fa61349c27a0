import { PartCopyError } from '@partcopy/core';
import { encodeCopySourceKey, formatCopySource, parseCopySource } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

describe('parseCopySource', () => {
  it('parses bucket/key and /bucket/key', () => {
    expect(parseCopySource('b/k/x.txt')).toEqual({ bucket: 'b', key: 'k/x.txt' });
    expect(parseCopySource('/b/k')).toEqual({ bucket: 'b', key: 'k' });
  });

  it('decodes URL-encoded keys, keeping + literal', () => {
    expect(parseCopySource('b/a%20b%2Bc+d/%E6%97%A5')).toEqual({ bucket: 'b', key: 'a b+c+d/日' });
  });

  it('reads an unencoded versionId', () => {
    expect(parseCopySource('b/k%3Fq?versionId=3/L4kqtJl.x')).toEqual({
      bucket: 'b',
      key: 'k?q',
      versionId: '3/L4kqtJl.x',
    });
  });

  it('parses access-point ARNs', () => {
    const arn = 'arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap';
    expect(parseCopySource(`${arn}/object/reports/a%20b.csv?versionId=v1`)).toEqual({
      bucket: arn,
      key: 'reports/a b.csv',
      versionId: 'v1',
      accessPointArn: arn,
    });
  });

  it('takes structured sources as they are (no decoding)', () => {
    expect(parseCopySource({ bucket: 'b', key: 'a%20b', versionId: 'v' })).toEqual({
      bucket: 'b',
      key: 'a%20b',
      versionId: 'v',
    });
  });

  it.each(['b', 'b/', '/b', '', 'b/k?foo=1', 'b/%E0%A4%A'])('rejects %j', (input) => {
    expect(() => parseCopySource(input)).toThrow(PartCopyError);
  });

  it('round-trips awkward keys through formatCopySource', () => {
    for (const key of ['a b', 'x+y', '100%', 'q?', 'h#', "it's (1)*!", '日本/é', 'a//b', '/lead', 'trail/']) {
      const text = formatCopySource({ bucket: 'bkt', key, versionId: 'v9' });
      expect(parseCopySource(text)).toEqual({ bucket: 'bkt', key, versionId: 'v9' });
    }
  });

  it('encodes segments and keeps slashes', () => {
    expect(encodeCopySourceKey("a b/c+d/(x)!*'")).toBe('a%20b/c%2Bd/%28x%29%21%2A%27');
  });
});
