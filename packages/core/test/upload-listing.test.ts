import { listUploadsPage, type UploadPage, uploadsAfterMarkers } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';

interface Upload {
  key: string;
  uploadId: string;
  initiated: Date;
}

const at = (key: string, uploadId: string, ms: number): Upload => ({
  key,
  uploadId,
  initiated: new Date(ms),
});
const ids = (page: UploadPage<Upload> | Upload[]): string[] =>
  (Array.isArray(page) ? page : page.uploads).map((u) => u.uploadId);

describe('listUploadsPage', () => {
  // Given out of order: keys in UTF-8 byte order (U+FFFD EF BF BD before U+1F600 F0 9F 98 80,
  // which UTF-16 order reverses), then by initiation, then by id for equal times.
  const uploads = [
    at('\u{1F600}', 'u6', 1),
    at('b', 'u4', 30),
    at('a', 'u2', 20),
    at('\uFFFD', 'u5', 1),
    at('b', 'u3', 10),
    at('a', 'u1', 20),
    at('logs/x', 'u7', 5),
  ];

  it('orders by key in UTF-8 bytes, then initiation, then upload id', () => {
    expect(ids(listUploadsPage(uploads, {}))).toEqual(['u1', 'u2', 'u3', 'u4', 'u7', 'u5', 'u6']);
  });

  it('keeps only keys under the prefix', () => {
    expect(ids(listUploadsPage(uploads, { prefix: 'logs/' }))).toEqual(['u7']);
  });

  it('pages with nextKeyMarker / nextUploadIdMarker and lists every upload exactly once', () => {
    const seen: string[] = [];
    let request: { keyMarker?: string; uploadIdMarker?: string } = {};
    for (;;) {
      const page = listUploadsPage(uploads, { ...request, maxUploads: 2 });
      seen.push(...ids(page));
      if (!page.isTruncated) {
        expect(page).not.toHaveProperty('nextKeyMarker');
        break;
      }
      expect(page.nextKeyMarker).toBe(page.uploads.at(-1)?.key);
      expect(page.nextUploadIdMarker).toBe(page.uploads.at(-1)?.uploadId);
      request = {
        keyMarker: page.nextKeyMarker as string,
        uploadIdMarker: page.nextUploadIdMarker as string,
      };
    }
    expect(seen).toEqual(['u1', 'u2', 'u3', 'u4', 'u7', 'u5', 'u6']);
  });

  it('with only keyMarker lists the keys after it (UTF-8 order)', () => {
    expect(ids(listUploadsPage(uploads, { keyMarker: 'b' }))).toEqual(['u7', 'u5', 'u6']);
    expect(ids(listUploadsPage(uploads, { keyMarker: '\uFFFD' }))).toEqual(['u6']);
  });

  it('caps a page at 1000 and never calls an empty page truncated', () => {
    const many = Array.from({ length: 1001 }, (_, i) => at(`k${String(i).padStart(4, '0')}`, `id${i}`, 0));
    expect(listUploadsPage(many, { maxUploads: 5000 })).toMatchObject({
      isTruncated: true,
      nextKeyMarker: 'k0999',
    });
    expect(listUploadsPage(many, {}).uploads).toHaveLength(1000);
    expect(listUploadsPage(many, { maxUploads: 0 })).toEqual({ uploads: [], isTruncated: false });
  });

  it('uses the store order within a key and its rule for a marker upload that has ended', () => {
    const stored = [
      { key: 'k', uploadId: 'c', sequence: 1 },
      { key: 'k', uploadId: 'a', sequence: 3 },
      { key: 'k', uploadId: 'b', sequence: 2 },
    ];
    const sequenceOf: Record<string, number> = { c: 1, gone: 2, b: 2, a: 3 };
    const order = {
      compareSameKey: (x: { sequence: number }, y: { sequence: number }) => x.sequence - y.sequence,
      afterMissingMarker: (u: { sequence: number }, marker: string) => u.sequence > (sequenceOf[marker] ?? 0),
    };
    expect(listUploadsPage(stored, {}, order).uploads.map((u) => u.uploadId)).toEqual(['c', 'b', 'a']);
    expect(
      listUploadsPage(stored, { keyMarker: 'k', uploadIdMarker: 'c' }, order).uploads.map((u) => u.uploadId),
    ).toEqual(['b', 'a']);
    expect(
      listUploadsPage(stored, { keyMarker: 'k', uploadIdMarker: 'gone' }, order).uploads.map(
        (u) => u.uploadId,
      ),
    ).toEqual(['a']);
  });
});

describe('uploadsAfterMarkers', () => {
  const sorted = [at('a', 'x', 1), at('a', 'm', 2), at('a', 'z', 3), at('b', 'y', 4)];

  it('resumes right after a listed marker upload, in the given order', () => {
    expect(ids(uploadsAfterMarkers(sorted, 'a', 'x'))).toEqual(['m', 'z', 'y']);
    expect(ids(uploadsAfterMarkers(sorted, 'a', 'z'))).toEqual(['y']);
  });

  it('for a marker upload no longer listed, takes by default the marker key’s greater ids (S3’s documented rule)', () => {
    // By id, not by position: 'x' was initiated before 'm' yet sorts after the marker 'n'.
    expect(ids(uploadsAfterMarkers(sorted, 'a', 'n'))).toEqual(['x', 'z', 'y']);
    expect(ids(uploadsAfterMarkers(sorted, 'a', 'n', () => true))).toEqual(['x', 'm', 'z', 'y']);
  });

  it('without markers keeps everything; with only keyMarker drops that key', () => {
    expect(ids(uploadsAfterMarkers(sorted, undefined, undefined))).toEqual(['x', 'm', 'z', 'y']);
    expect(ids(uploadsAfterMarkers(sorted, 'a', undefined))).toEqual(['y']);
  });
});
