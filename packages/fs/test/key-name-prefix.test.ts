// Listings (listObjects, listObjectVersions) pick the key folders that may hold keys under a
// prefix from the folder names alone. The test must never drop a key under the prefix, and must
// drop every readable name that is not under it (only hashed names are undecidable).
import { describe, expect, it } from 'vitest';
import { decodeKeyName, encodeKey, keyNamePrefixTest } from '../src/key-encoding.js';

const KEYS = [
  'a',
  'a.',
  'a.b',
  'a..',
  'ab',
  'A',
  'a/b/c',
  'a b',
  'é',
  'éa',
  '.',
  '..',
  '.hidden',
  '%41',
  'x'.repeat(199),
  'x'.repeat(300),
  `${'y'.repeat(150)}.`,
  '日本/語',
];
const PREFIXES = ['', 'a', 'a.', 'a..', 'A', 'a/', 'é', '.', '%', 'x'.repeat(150), 'x'.repeat(250), '日本'];

describe('keyNamePrefixTest', () => {
  it('keeps every key under the prefix and drops every readable name that is not', () => {
    for (const prefix of PREFIXES) {
      const mayHold = keyNamePrefixTest(prefix);
      for (const key of KEYS) {
        const name = encodeKey(key);
        const readable = decodeKeyName(name) !== undefined;
        const expected = key.startsWith(prefix) || !readable;
        expect({ prefix, key, kept: mayHold(name) }).toEqual({ prefix, key, kept: expected });
      }
    }
  });
});
