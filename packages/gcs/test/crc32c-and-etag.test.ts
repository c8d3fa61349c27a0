import { createHash, randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { md5Etag, multipartEtag } from '@partcopy/core/provider';
import { describe, expect, it } from 'vitest';
import { combinedCrc32c } from '../src/crc32c-combine.js';
import { composedEtag, ETAG_CRC32C_KEY, ETAG_KEY, gcsEtag } from '../src/gcs-etag.js';
import { PARTS_KEY, partsRecordMetadata, recordedParts } from '../src/gcs-parts-record.js';

function crc32c(bytes: Uint8Array): string {
  const crc = new CRC32C();
  crc.update(Buffer.from(bytes));
  return crc.toString();
}

describe('combinedCrc32c', () => {
  it('predicts the CRC32C of a concatenation from its pieces', () => {
    const pieces = [randomBytes(1), randomBytes(0), randomBytes(4096), randomBytes(77), randomBytes(100_003)];
    const combined = combinedCrc32c(pieces.map((p) => ({ crc32c: crc32c(p), size: p.length })));
    expect(combined).toBe(crc32c(Buffer.concat(pieces)));
  });

  it('is unknown when a piece hides its CRC32C (customer-supplied keys)', () => {
    expect(combinedCrc32c([{ size: 3 }])).toBeUndefined();
  });
});

describe('gcsEtag', () => {
  const base = { generation: '1700000000000001' };

  it('is the quoted hex MD5 of a single-part object', () => {
    const body = randomBytes(10);
    expect(gcsEtag({ ...base, md5Hash: createHash('md5').update(body).digest('base64') })).toBe(
      md5Etag(body),
    );
  });

  it('prefers a recorded ETag while the CRC32C still matches', () => {
    const object = {
      ...base,
      md5Hash: 'AAAAAAAAAAAAAAAAAAAAAA==',
      crc32c: 'AAAAAQ==',
      metadata: { [ETAG_KEY]: 'abc-3', [ETAG_CRC32C_KEY]: 'AAAAAQ==' },
    };
    expect(gcsEtag(object)).toBe('"abc-3"');
    expect(gcsEtag({ ...object, crc32c: 'AAAAAg==' })).toBe(`"${'0'.repeat(32)}"`);
  });

  it('is generation-based under a customer-supplied key and for foreign composites', () => {
    expect(
      gcsEtag({ ...base, md5Hash: 'AAAAAAAAAAAAAAAAAAAAAA==', customerEncryption: { keySha256: 'x' } }),
    ).toBe('"gen-1700000000000001"');
    expect(gcsEtag({ ...base, crc32c: 'AAAAAQ==' })).toBe('"00000001-g1700000000000001"');
  });

  it('composes S3 multipart ETags from MD5 part ETags, and a stable -N value otherwise', () => {
    const etags = [md5Etag(Buffer.from('a')), md5Etag(Buffer.from('b'))];
    expect(composedEtag(etags)).toBe(multipartEtag(etags));
    const mixed = composedEtag([etags[0] as string, '"gen-5"']);
    expect(mixed).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect(composedEtag([etags[0] as string, '"gen-6"'])).not.toBe(mixed);
  });
});

describe('the parts record of a completed object', () => {
  it('run-length encodes the sizes and reads them back only when they add up to the size', () => {
    const record = partsRecordMetadata([5, 5, 5, 2]);
    expect(record).toEqual({ [PARTS_KEY]: '5*3,2' });
    expect(recordedParts(record, 17)?.map((p) => p.size)).toEqual([5, 5, 5, 2]);
    expect(recordedParts(record, 18)).toBeUndefined();
    expect(recordedParts({ [PARTS_KEY]: '5*x' }, 5)).toBeUndefined();
    expect(partsRecordMetadata(Array.from({ length: 10_000 }, (_, i) => 5_000_000 + i))).toEqual({});
  });
});
