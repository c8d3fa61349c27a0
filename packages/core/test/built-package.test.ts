import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What a user installs is dist/, not src/: the bundler can rename a class that refers to itself
// (esbuild wrote `class _PartCopyError`), and `error.constructor.name` or a stack trace then shows
// a name the package never declared. These tests load the built files the way package.json
// `exports` points a user at them, so they need `pnpm run build` (scripts/test.sh builds first).
const packageDir = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as {
  exports: Record<string, { import: { default: string }; require: { default: string } }>;
};

function builtFile(format: 'import' | 'require'): string {
  const target = manifest.exports['.']?.[format].default;
  if (target === undefined) throw new Error(`package.json exports "." has no ${format} target`);
  const file = fileURLToPath(new URL(target, packageDir));
  if (!existsSync(file)) {
    throw new Error(
      `${file} does not exist: run \`pnpm run build\` before this test (it checks the built package)`,
    );
  }
  return file;
}

type CoreModule = typeof import('../src/index.ts');

const formats: Array<[string, () => Promise<CoreModule>]> = [
  ['ESM', () => import(builtFile('import')) as Promise<CoreModule>],
  ['CommonJS', async () => createRequire(import.meta.url)(builtFile('require')) as CoreModule],
];

describe.each(formats)('built @partcopy/core (%s)', (_format, load) => {
  it('keeps the class name PartCopyError', async () => {
    const { PartCopyError } = await load();
    const error = new PartCopyError('NoSuchKey', 'no such key');
    expect(PartCopyError.name).toBe('PartCopyError');
    expect(error.constructor.name).toBe('PartCopyError');
    expect(error.name).toBe('PartCopyError');
    expect(String(error)).toBe('PartCopyError: no such key');
  });
});
