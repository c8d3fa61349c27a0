// API reports: for every entry of every published package (read from its package.json `exports`),
// API Extractor reads the built declaration file and writes the public surface as
// packages/<pkg>/api/<entry>.api.md. The reports are committed, so a change to what a package
// exports shows up in review as a change to its report.
//
//   node scripts/api-report.ts            check: fail when a built surface differs from its report
//   node scripts/api-report.ts --update   rewrite the reports (pnpm run api:update)
//
// Run after `pnpm run build`: the reports come from dist/, not from src/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';
import {
  type PackageEntry,
  type PublishedPackage,
  packageEntries,
  publishedPackages,
  root,
} from './published-packages.ts';

const update = process.argv.includes('--update');
const reportSuffix = '.api.md';
const tempDir = mkdtempSync(join(tmpdir(), 'partcopy-api-'));
const failures: string[] = [];

// Findings that change the surface (an exported signature naming a type the entry does not export)
// are written into the report itself, so they are reviewed with it; doc-comment style is typedoc's
// job (including {@link} targets), and the packages do not use release tags (@public, @beta).
const messageRules = {
  compilerMessageReporting: { default: { logLevel: 'error' as const } },
  extractorMessageReporting: {
    default: { logLevel: 'none' as const, addToApiReportFile: true },
    'ae-missing-release-tag': { logLevel: 'none' as const, addToApiReportFile: false },
    'ae-unresolved-link': { logLevel: 'none' as const, addToApiReportFile: false },
    'ae-undocumented': { logLevel: 'none' as const, addToApiReportFile: false },
    'ae-wrong-input-file-type': { logLevel: 'error' as const },
  },
  tsdocMessageReporting: { default: { logLevel: 'none' as const, addToApiReportFile: false } },
};

main();

function reportEntry(pkg: PublishedPackage, entry: PackageEntry): void {
  const label = entry.subpath === '.' ? pkg.name : `${pkg.name}/${entry.subpath.slice(2)}`;
  if (!existsSync(entry.types)) {
    throw new Error(`${label}: ${relative(root, entry.types)} is missing; run \`pnpm run build\` first`);
  }
  const generated = extract(pkg, entry, label);
  const committed = join(pkg.dir, 'api', entry.name + reportSuffix);
  const shown = relative(root, committed);
  if (update) {
    const changed =
      !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(generated, 'utf8');
    mkdirSync(join(pkg.dir, 'api'), { recursive: true });
    copyFileSync(generated, committed);
    console.log(`${changed ? 'wrote' : 'same '} ${shown}`);
    return;
  }
  if (!existsSync(committed)) {
    console.log(`FAIL ${label}: no committed report ${shown}`);
    failures.push(label);
    return;
  }
  const diff = spawnSync('git', ['diff', '--no-index', '--no-color', committed, generated], {
    encoding: 'utf8',
  });
  if (diff.status === 0) {
    console.log(`ok   ${label}: ${shown}`);
    return;
  }
  console.log(`FAIL ${label}: public surface differs from ${shown} (- committed, + built)\n${diff.stdout}`);
  failures.push(label);
}

// Runs API Extractor on one entry and returns the path of the report it wrote in the temp folder.
function extract(pkg: PublishedPackage, entry: PackageEntry, label: string): string {
  const reportFolder = join(tempDir, pkg.name.replace(/[@/]/g, '_'));
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: pkg.dir,
      mainEntryPointFilePath: entry.types,
      newlineKind: 'lf',
      compiler: { overrideTsconfig: compilerConfig(entry.types), skipLibCheck: true },
      apiReport: { enabled: true, reportFileName: entry.name, reportFolder, reportTempFolder: reportFolder },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: messageRules,
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(pkg.dir, 'package.json'),
  });
  const errors: string[] = [];
  Extractor.invoke(config, {
    localBuild: true,
    messageCallback: (message: ExtractorMessage) => {
      message.handled = true;
      if (message.logLevel === 'error') errors.push(message.formatMessageWithLocation(root));
    },
  });
  if (errors.length > 0) {
    throw new Error(
      `${label}: API Extractor could not read ${relative(root, entry.types)}\n${errors.join('\n')}`,
    );
  }
  return join(reportFolder, entry.name + reportSuffix);
}

// The declaration files are already checked by tsc; this only needs to resolve their imports.
function compilerConfig(file: string): object {
  return {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2024'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      types: ['node'],
      strict: true,
      skipLibCheck: true,
    },
    files: [file],
  };
}

// A report whose entry left `exports` would otherwise stay committed and describe nothing.
function removeStaleReports(pkg: PublishedPackage, entries: PackageEntry[]): void {
  const folder = join(pkg.dir, 'api');
  if (!existsSync(folder)) return;
  const expected = new Set(entries.map((entry) => entry.name + reportSuffix));
  for (const file of readdirSync(folder)) {
    if (!file.endsWith(reportSuffix) || expected.has(file)) continue;
    const shown = relative(root, join(folder, file));
    if (update) {
      rmSync(join(folder, file));
      console.log(`removed ${shown} (no such entry in ${pkg.name}'s exports)`);
    } else {
      console.log(`FAIL ${pkg.name}: ${shown} reports an entry that is not in exports`);
      failures.push(`${pkg.name} (${file})`);
    }
  }
}

function main(): void {
  try {
    for (const pkg of publishedPackages()) {
      const entries = packageEntries(pkg);
      for (const entry of entries) reportEntry(pkg, entry);
      removeStaleReports(pkg, entries);
    }
  } catch (error) {
    console.error(`FAIL ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }

  if (failures.length > 0) {
    console.error(
      `\nAPI reports out of date: ${failures.join(', ')}\n` +
        'The public surface differs from the committed report. If the change is intended, ' +
        'run `pnpm run api:update` and commit the report with the change.',
    );
    process.exitCode = 1;
  }
}
