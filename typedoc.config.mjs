// API reference (pnpm run docs): one module per published package (every package under packages/
// that is not private), each documenting the entries of its package.json `exports` (see each
// package's typedoc.config.mjs), plus the guides in docs/ as project documents. Any warning fails
// the run, so a broken link or an exported signature naming an unexported type is fixed, not shipped.
import { publishedPackages } from './scripts/published-packages.ts';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'partcopy',
  entryPointStrategy: 'packages',
  entryPoints: publishedPackages().map((pkg) => pkg.dir),
  packageOptions: {
    // The package's tsconfig.json resolves @partcopy/* to sources, so a link to another package's
    // export lands on that package's page (tsconfig.build.json would resolve to its dist/).
    tsconfig: 'tsconfig.json',
    includeVersion: true,
    // No links to a git host: clones (CI's included) have no remote a link could name.
    disableSources: true,
  },
  projectDocuments: ['docs/*.md'],
  out: 'docs/api',
  readme: 'README.md',
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: false },
  disableSources: true,
};
