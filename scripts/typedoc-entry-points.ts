// The source files typedoc documents for one package: one per entry of its package.json `exports`,
// found through the tsup config that builds that entry, so a new entry is documented as soon as it
// is exported and built. Each package's typedoc.config.mjs calls this.
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageEntries, publishedPackages } from './published-packages.ts';

interface TsupConfig {
  entry: string[] | Record<string, string>;
}

export async function typedocEntryPoints(packageDir: string): Promise<string[]> {
  const pkg = publishedPackages().find((candidate) => candidate.dir === resolve(packageDir));
  if (pkg === undefined) throw new Error(`${packageDir} is not a published package`);
  const config = (await import(pathToFileURL(join(pkg.dir, 'tsup.config.ts')).href)) as {
    default: TsupConfig;
  };
  const sources = sourcesByOutputName(config.default.entry);
  return packageEntries(pkg).map((entry) => {
    const outputName = basename(entry.types).replace(/\.d\.[cm]?ts$/, '');
    const source = sources.get(outputName);
    if (source === undefined) {
      throw new Error(
        `${pkg.name}: export "${entry.subpath}" (${outputName}) is not an entry of tsup.config.ts`,
      );
    }
    return join(pkg.dir, source);
  });
}

// tsup names an output after its entry's key, or after the file name for an array of entries.
function sourcesByOutputName(entry: TsupConfig['entry']): Map<string, string> {
  if (Array.isArray(entry)) return new Map(entry.map((file) => [basename(file, extname(file)), file]));
  return new Map(Object.entries(entry));
}
