import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsProvider } from '../src/index.js';
import { ctx, payload, provider, read, tempDir, text } from './helpers.js';

const AWKWARD = [
  'with space',
  'ünïcødé/日本語/😀',
  'a+b',
  '100%',
  'what?',
  '#hash',
  'dir/',
  'dir//double',
  'a',
  'a/b',
  'a/b/c',
  'A',
  'CaseSensitive',
  'casesensitive',
];

let root: { dir: string; cleanup: () => Promise<void> };
let p: FsProvider;

beforeEach(async () => {
  root = await tempDir();
  p = provider(root.dir);
  await p.createBucket({ bucket: 'keys' }, ctx());
});
afterEach(() => root.cleanup());

describe('awkward keys', () => {
  it('stores each key separately, including a and a/b and case variants', async () => {
    for (const key of AWKWARD)
      await p.putObject({ bucket: 'keys', key, body: payload(text(`<${key}>`)) }, ctx());
    for (const key of AWKWARD) expect(new TextDecoder().decode(await read(p, 'keys', key))).toBe(`<${key}>`);
    const listed = (await p.listObjects({ bucket: 'keys' }, ctx())).objects.map((o) => o.key);
    expect(listed).toEqual([...AWKWARD].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
    await p.deleteObject({ bucket: 'keys', key: 'a' }, ctx());
    expect(new TextDecoder().decode(await read(p, 'keys', 'a/b'))).toBe('<a/b>');
  });
});
