import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // esbuild renames a class that refers to itself (`class _PartCopyError`); keep `.name` as written.
  keepNames: true,
  tsconfig: 'tsconfig.build.json',
});
