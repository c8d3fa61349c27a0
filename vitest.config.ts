import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name; resolve them to their sources so a test run never
// depends on a stale build. `@partcopy/<folder>` maps to `packages/<folder>/src/index.ts`.
const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// `PARTCOPY_SERVERS=off` runs the server-free tests only (for contributors without Go or
// Python). The global set-up says so loudly; integration files are named `*.int.test.ts`.
const serversOff = process.env.PARTCOPY_SERVERS === 'off';

// Scale tests (`*.scale.test.ts`: 10,000 parts, multi-GiB) take minutes and their time depends on
// the machine's load and an emulator's speed, so the default run leaves them out;
// `PARTCOPY_SCALE=1` (what `scripts/test.sh --scale` sets) adds them. They all need servers.
const scale = process.env.PARTCOPY_SCALE === '1';
const excluded = [
  '**/node_modules/**',
  ...(serversOff ? ['**/*.int.test.ts', '**/*.scale.test.ts'] : []),
  ...(scale ? [] : ['**/*.scale.test.ts']),
];

export default defineConfig({
  resolve: {
    alias: [
      // Subpath entries (`@partcopy/core/provider`) map to `src/<entry>.ts`.
      { find: /^@partcopy\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/$2.ts` },
      { find: /^@partcopy\/([a-z0-9-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: [...new Set(excluded)],
    globalSetup: ['packages/test-servers/src/vitest-global-setup.ts'],
    // Generous limits: the run must stay steady on a loaded 2-core machine, where a test that
    // starts real clients or moves tens of MiB through emulators took minutes at load 100.
    // No outcome depends on them; they only bound a hang.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
