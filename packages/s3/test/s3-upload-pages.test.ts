import { describe, expect, it } from 'vitest';
import { pageUploads } from '../src/s3-upload-pages.js';

const upload = (key: string, uploadId: string) => ({ key, uploadId, initiated: new Date(0) });

// Servers that ignore ListMultipartUploads markers (MinIO, moto) return every upload; the page
// continues after the markers client-side, in S3's key order (UTF-8 bytes).
describe('pageUploads', () => {
  it('continues after a key marker in UTF-8 byte order when the server ignored it', () => {
    // UTF-8: U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80); UTF-16 says the opposite.
    const server = {
      uploads: [upload('a', '1'), upload('\uFFFD', '2'), upload('\u{1F600}', '3')],
      isTruncated: false,
    };
    expect(pageUploads({ bucket: 'b', keyMarker: '\uFFFD' }, server).uploads.map((u) => u.key)).toEqual([
      '\u{1F600}',
    ]);
  });

  it('cuts a page the server did not cut, with markers to continue', () => {
    const server = { uploads: [upload('a', '1'), upload('b', '2'), upload('c', '3')], isTruncated: false };
    expect(pageUploads({ bucket: 'b', maxUploads: 2 }, server)).toMatchObject({
      isTruncated: true,
      nextKeyMarker: 'b',
      nextUploadIdMarker: '2',
    });
    expect(
      pageUploads({ bucket: 'b', keyMarker: 'b', uploadIdMarker: '2' }, server).uploads.map((u) => u.key),
    ).toEqual(['c']);
  });
});
