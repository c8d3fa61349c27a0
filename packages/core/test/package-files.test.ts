import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `files` decides what npm publishes; an entry that does not exist is silently left out (core
// once listed a README it did not have). `dist` is build output, made by `pnpm run build`.
describe('package.json files', () => {
  it('names only files that exist in the package (besides the build output)', () => {
    const root = new URL('../', import.meta.url);
    const { files } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[] };
    const missing = files.filter((entry) => entry !== 'dist' && !existsSync(new URL(entry, root)));
    expect(missing).toEqual([]);
  });
});
