// The packages the workspace publishes (every folder under packages/ whose package.json is not
// private) and the entries each one exports, read from its package.json `exports` map, so the
// release checks follow whatever a package decides to export instead of a list kept here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;

/** One conditional-exports target, as the package.json `exports` field allows it. */
type ExportTarget = string | null | ExportTarget[] | { [condition: string]: ExportTarget };

export interface PublishedPackage {
  /** Package name, e.g. `@partcopy/core`. */
  name: string;
  /** Absolute path of the package folder. */
  dir: string;
  exports: Record<string, ExportTarget>;
}

export interface PackageEntry {
  /** The subpath as written in `exports`: `.`, `./provider`, ... */
  subpath: string;
  /** A file-name-safe name for the entry: `index` for `.`, `provider` for `./provider`. */
  name: string;
  /** Absolute path of the ESM declaration file the entry resolves to for a TypeScript importer. */
  types: string;
}

export function publishedPackages(): PublishedPackage[] {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .sort()
    .map((folder) => {
      const dir = join(packagesDir, folder);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
        exports?: ExportTarget;
      };
      return { manifest, dir };
    })
    .filter(({ manifest }) => !manifest.private)
    .map(({ manifest, dir }) => ({
      name: manifest.name,
      dir,
      exports: exportsMap(manifest.name, manifest.exports),
    }));
}

/** Every code entry of a package (`./package.json` is metadata, not API). */
export function packageEntries(pkg: PublishedPackage): PackageEntry[] {
  return Object.entries(pkg.exports)
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      if (subpath.includes('*')) {
        throw new Error(`${pkg.name}: export "${subpath}" is a pattern; name each entry explicitly`);
      }
      const types = typesOf(target);
      if (types === undefined) {
        throw new Error(`${pkg.name}: export "${subpath}" has no "types" condition to read its API from`);
      }
      return { subpath, name: entryName(subpath), types: join(pkg.dir, types) };
    });
}

function exportsMap(name: string, field: ExportTarget | undefined): Record<string, ExportTarget> {
  if (field === undefined || field === null) throw new Error(`${name}: package.json has no "exports"`);
  if (typeof field === 'string' || Array.isArray(field)) return { '.': field };
  const keys = Object.keys(field);
  // An exports object is either a subpath map (keys start with '.') or the conditions of '.' alone.
  return keys.every((key) => key.startsWith('.')) ? field : { '.': field };
}

// The ESM view is the one we document; the CJS declarations are the same file in another format.
const conditionOrder = ['import', 'types', 'node', 'default'];

function typesOf(target: ExportTarget): string | undefined {
  if (target === null) return undefined;
  if (typeof target === 'string') return /\.d\.[cm]?ts$/.test(target) ? target : undefined;
  if (Array.isArray(target)) return target.map(typesOf).find((found) => found !== undefined);
  const keys = Object.keys(target).sort((a, b) => rank(a) - rank(b));
  for (const key of keys) {
    const found = typesOf(target[key] as ExportTarget);
    if (found !== undefined) return found;
  }
  return undefined;
}

function rank(condition: string): number {
  const index = conditionOrder.indexOf(condition);
  return index === -1 ? conditionOrder.length : index;
}

function entryName(subpath: string): string {
  return subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replaceAll('/', '-');
}
