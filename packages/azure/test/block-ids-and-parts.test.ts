import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attemptEtag,
  decodePartBlockId,
  destinationBlockIds,
  encodeDigestBlockId,
  encodePartBlockId,
  newAttempt,
} from '../src/block-ids.js';
import { fromAzureMetadata, toAzureMetadata } from '../src/metadata-names.js';
import { currentParts, splitRange } from '../src/part-list.js';
import { partsRecordMetadata, recordedParts } from '../src/parts-record.js';

describe('block ids', () => {
  it('round-trips part block ids as 64 canonical base64 characters', () => {
    const attempt = newAttempt(10_000, 1_700_000_000_000);
    const id = encodePartBlockId(attempt, 41, 52);
    expect(id).toHaveLength(64);
    expect(id).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(decodePartBlockId(id)).toEqual({ ...attempt, index: 41, count: 52 });
  });

  it('round-trips ids naming their block MD5 at the same length, distinct from the attempt-only ids', () => {
    const attempt = newAttempt(10_000, 1_700_000_000_000);
    const md5 = createHash('md5').update('block').digest();
    const id = encodeDigestBlockId(attempt, 99_998, 99_999, md5);
    expect(id).toMatch(/^[A-Za-z0-9+/]{64}$/);
    expect(id).toHaveLength(encodePartBlockId(attempt, 0, 1).length);
    expect(decodePartBlockId(id)).toEqual({
      ...attempt,
      index: 99_998,
      count: 99_999,
      md5: Uint8Array.from(md5),
    });
    expect(decodePartBlockId(encodePartBlockId(attempt, 2, 3))?.md5).toBeUndefined();
    // The filler is checked: a binary id of another writer is not taken for one of ours.
    const other = Buffer.from(id, 'base64');
    other[47] = 0;
    expect(decodePartBlockId(other.toString('base64'))).toBeUndefined();
  });

  it('gives destination ids the same length and a fresh nonce per completion', () => {
    const a = destinationBlockIds(3);
    const b = destinationBlockIds(3);
    expect(new Set([...a, ...b].map((id) => id.length))).toEqual(new Set([64]));
    expect(a.some((id) => b.includes(id))).toBe(false);
    expect(a.map(decodePartBlockId)).toEqual([undefined, undefined, undefined]);
  });

  it('ignores ids it did not write, including non-canonical base64', () => {
    expect(decodePartBlockId('AAAA')).toBeUndefined();
    const id = encodePartBlockId(newAttempt(1), 0, 1);
    expect(decodePartBlockId(id.replace(/=*$/, '') + '\n')).toBeUndefined();
    expect(decodePartBlockId(Buffer.from('x'.repeat(48)).toString('base64'))).toBeUndefined();
  });
});

describe('current parts from a block list', () => {
  const blocks = (attempt: ReturnType<typeof newAttempt>, sizes: number[], skip?: number) =>
    sizes.flatMap((size, index) =>
      index === skip ? [] : [{ name: encodePartBlockId(attempt, index, sizes.length), size }],
    );

  it('takes the newest attempt with all its blocks, in block order', () => {
    const old = newAttempt(1, 1000);
    const fresh = newAttempt(1, 2000);
    const broken = newAttempt(1, 3000);
    const other = newAttempt(2, 1500);
    const parts = currentParts([
      ...blocks(fresh, [5, 6, 7]).reverse(),
      ...blocks(old, [1]),
      ...blocks(broken, [9, 9], 1),
      ...blocks(other, [4]),
    ]);
    expect([...parts.keys()]).toEqual([1, 2]);
    expect(parts.get(1)).toMatchObject({ etag: attemptEtag(fresh), size: 18 });
    expect(parts.get(1)?.blockIds).toEqual(blocks(fresh, [5, 6, 7]).map((b) => b.name));
    expect(parts.get(2)?.size).toBe(4);
  });

  it('reads each block’s MD5 from its id, and none from ids that name none', () => {
    const attempt = newAttempt(3, 1000);
    const md5s = ['a', 'b'].map((text) => createHash('md5').update(text).digest());
    const part = currentParts(
      md5s.map((md5, index) => ({ name: encodeDigestBlockId(attempt, index, 2, md5), size: 10 + index })),
    ).get(3);
    expect(part?.blocks).toEqual([
      { size: 10, md5: Uint8Array.from(md5s[0] as Buffer) },
      { size: 11, md5: Uint8Array.from(md5s[1] as Buffer) },
    ]);
    expect(part?.etag).toBe(attemptEtag(attempt));
    const copied = currentParts(blocks(newAttempt(4, 1000), [7])).get(4);
    expect(copied?.blocks).toEqual([{ size: 7 }]);
  });

  it('splits ranges into blocks of at most the limit', () => {
    expect(splitRange(10, 25, 10)).toEqual([
      { offset: 10, count: 10 },
      { offset: 20, count: 10 },
      { offset: 30, count: 5 },
    ]);
    expect(splitRange(0, 0, 10)).toEqual([{ offset: 0, count: 0 }]);
  });
});

describe('metadata names partcopy keeps for itself', () => {
  it('records part sizes under pcr_ names that never show as user metadata, and escapes user names so starting', () => {
    const record = partsRecordMetadata([5, 5, 2]);
    expect(recordedParts(record, 12)?.map((p) => p.size)).toEqual([5, 5, 2]);
    expect(recordedParts(record, 13)).toBeUndefined();
    expect(fromAzureMetadata({ ...record, colour: 'blue' })).toEqual({ colour: 'blue' });
    const user = toAzureMetadata({ pcr_parts: '1', empty: '' }) ?? {};
    expect(Object.keys(user).some((name) => name === 'pcr_parts')).toBe(false);
    expect(fromAzureMetadata(user)).toEqual({ pcr_parts: '1', empty: '' });
  });
});
